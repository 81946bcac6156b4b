"""Turn a scenario's pools, planning section and demand into planning.mix_inputs objects.

``demand_cases(scenario)`` is the one place demand scenarios come from for planning: the
scenario's ``uncertainty`` section (scenarios.adapters.to_demand.demand_scenarios) when given, else the
planning-local peak multipliers (``planning.demand_cases``: the point forecast times a
multiplier inside the peak windows), else the point forecast alone.

Productivity follows the simulator's meaning (``pools.X.productivity`` = handle-time
multiplier, ``show_up`` = share of rostered agents who turn up; POOL_DEFAULTS): an agent
of the pool does show_up / productivity of an in-house agent's work. For the reserve the
show-up enters the call-out cap instead (u ≤ show_up·R).
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

import numpy as np

from planning.channel import channel_requirements_cases
from planning.mix_inputs import (
    DemandCase,
    InHouse,
    MixInputs,
    Outsourced,
    Reserve,
    ShiftPattern,
    SolverOptions,
    Temps,
)
from planning.roster.inputs import RosterRules
from scenarios.adapters.blending import blended
from scenarios.adapters.to_bot import agents_rates
from scenarios.adapters.to_demand import arrival_rates, demand_scenarios, interval_aht
from scenarios.adapters.to_staffing import repeat_factor, requirement_options, scenario_staffing
from scenarios.reading.errors import InputError, Problem
from scenarios.schema import Pool, Scenario, ShiftPatternSpec

CaseRates = tuple[str, float, dict[str, np.ndarray]]


def demand_cases(scenario: Scenario) -> list[CaseRates]:
    """Demand scenarios as (name, probability, arrivals per hour per interval by channel)."""
    if scenario.uncertainty is not None:
        return [(d.name, d.probability, d.rates) for d in demand_scenarios(scenario)]
    base = arrival_rates(scenario)
    dc = scenario.planning.demand_cases
    if dc is None:
        return [("forecast", 1.0, base)]
    k = len(dc.multipliers)
    probs = dc.probabilities or [1.0 / k] * k
    inside = _window_mask(scenario, [(w.start, w.end) for w in dc.windows])
    out: list[CaseRates] = []
    for i, (mult, p) in enumerate(zip(dc.multipliers, probs, strict=True)):
        rates = {ch: np.where(inside, r * mult, r) for ch, r in base.items()}
        out.append((f"peak×{mult:g}#{i + 1}", float(p), rates))
    return out


def mean_case(scenario: Scenario, cases: list[CaseRates]) -> DemandCase:
    """The requirement at the probability-weighted mean arrival rates (the mean-value
    problem's single demand case)."""
    kept = _AHEAD.mean(scenario, cases)
    if kept is not None:
        return kept
    return _mean_case(scenario, cases)


def _mean_case(scenario: Scenario, cases: list[CaseRates]) -> DemandCase:
    chans = cases[0][2].keys()
    mean = {ch: sum(p * r[ch] for _, p, r in cases) for ch in chans}
    return _requirement_cases(scenario, [("mean", 1.0, mean)])[0]


# ------------------------------------------------------- the requirement cases, two cores
#: demand scenarios below this count are computed here alone (a job costs a fork)
AHEAD_MIN_CASES = 4
#: share of the cases the other core takes (it also takes the mean case; this process
#: has the requirements stage's own work besides)
AHEAD_SHARE = 0.6


def _same_cases(a: list[CaseRates], b: list[CaseRates]) -> bool:
    """The same demand scenarios: names, probabilities and rates (bit for bit)."""
    return len(a) == len(b) and all(
        na == nb and pa == pb and ra.keys() == rb.keys()
        and all(np.array_equal(ra[c], rb[c]) for c in ra)
        for (na, pa, ra), (nb, pb, rb) in zip(a, b, strict=True))


class _Ahead:
    """The requirement cases of one scenario, started on the machine's other core before
    they are asked for (scenarios.background.Background: a forked process), so that the
    requirements stage and this process's share of the cases run beside them.

    Each case's numbers depend on that case alone (planning.channel.
    channel_requirements_cases: every interval searched on its own data), so the cases
    computed in two processes and put back in order are the ones computed here in one go,
    bit for bit (tests/scenarios/test_requirement_cases_ahead.py)."""

    def __init__(self) -> None:
        self._clear()

    def _clear(self) -> None:
        self.scenario: Scenario | None = None
        self.cases: list[CaseRates] = []
        self.split = 0
        self.job: Any = None
        self.kept_mean: DemandCase | None = None

    def start(self, scenario: Scenario) -> bool:
        """Start the other core's share of ``scenario``'s requirement cases (all demand
        scenarios, :func:`demand_cases`) and its mean case; False when it is not worth a
        process (one core, few cases, no fork)."""
        self.stop()
        from sim import execution

        # not inside a run whose work goes to an executor (a Dask worker, say: as the mix's
        # own background job, sim.execution), nor on one core
        if execution.current() is not None or not _two_cores():
            return False
        cases = demand_cases(scenario)
        if len(cases) < AHEAD_MIN_CASES:
            return False
        from planning.erlang import load_compiled
        from scenarios.background import Background

        # the compiled code (the event desk, Erlang A's integral) loaded once, here: the
        # job inherits it and the mix stage's own load of the desk is then done
        execution.preload_kernel()
        load_compiled()
        split = len(cases) - max(1, int(round(AHEAD_SHARE * len(cases))))
        self.scenario, self.cases, self.split = scenario, cases, split
        self.job = Background(_ahead_job_mean, scenario, cases, split)
        return True

    def take(self, scenario: Scenario, cases: list[CaseRates]
             ) -> tuple[DemandCase, ...] | None:
        """The job's cases (``cases`` from :attr:`split` on; waits for them) when the job
        computes ``cases`` of ``scenario``; None otherwise."""
        if self.job is None or scenario is not self.scenario \
                or not _same_cases(cases, self.cases):
            return None
        from scenarios.background import JobLost

        try:
            theirs, self.kept_mean = self.job.receive()
        except JobLost:  # killed (out of memory?): this process computes them
            return None
        finally:
            self.job.stop()
            self.job = None
        return theirs

    def mean(self, scenario: Scenario, cases: list[CaseRates]) -> DemandCase | None:
        if self.kept_mean is None or scenario is not self.scenario \
                or not _same_cases(cases, self.cases):
            return None
        return self.kept_mean

    def stop(self) -> None:
        """End a job still running and forget what was kept."""
        if self.job is not None:
            self.job.stop()
        self._clear()


def _ahead_job_mean(link: Any, scenario: Scenario, cases: list[CaseRates],
                    split: int) -> None:
    """The job: the requirement cases from ``split`` on, then the mean case."""
    link.send((_requirement_cases(scenario, cases[split:]), _mean_case(scenario, cases)))


def _two_cores() -> bool:
    from scenarios.background import START_ENV

    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return (cores >= 2 and hasattr(os, "fork")
            and os.environ.get(START_ENV, "").strip().lower() != "spawn")


_AHEAD = _Ahead()


def requirement_cases_ahead(scenario: Scenario) -> bool:
    """Start computing ``scenario``'s requirement cases (:func:`requirement_cases` of
    :func:`demand_cases`) and its mean case on the other core, now: the later calls with
    the same scenario object and demand scenarios take the answers. False when not
    started (one core, few demand scenarios)."""
    return _AHEAD.start(scenario)


def _window_mask(scenario: Scenario, windows: list[tuple[datetime, datetime]]) -> np.ndarray:
    starts = scenario.horizon.interval_starts()
    if not windows:
        return np.ones(len(starts), dtype=bool)
    return np.array([any(a <= s < b for a, b in windows) for s in starts], dtype=bool)


def requirement_cases(scenario: Scenario, cases: list[CaseRates]) -> tuple[DemandCase, ...]:
    """Requirement per case (:func:`_requirement_cases`); where
    :func:`requirement_cases_ahead` started these cases on the other core, this process
    computes its share and takes the rest from there."""
    if _AHEAD.job is not None and scenario is _AHEAD.scenario \
            and _same_cases(cases, _AHEAD.cases):
        mine = _requirement_cases(scenario, cases[:_AHEAD.split])
        theirs = _AHEAD.take(scenario, cases)
        if theirs is None:
            theirs = _requirement_cases(scenario, cases[len(mine):])
        return mine + tuple(theirs)
    return _requirement_cases(scenario, cases)


def _requirement_cases(scenario: Scenario, cases: list[CaseRates]
                       ) -> tuple[DemandCase, ...]:
    """Requirement per case: the pooled requirement of each group of channels the pools
    serve together (scenarios.adapters.blending), summed over groups (fractional scheduled agents,
    after shrinkage); ``by_channel`` keeps each channel's own requirement. Under
    in-house-first routing the per-pool rows (:func:`routed_needs`) are computed for all
    cases at once: one tier and one overflow staffing search per channel over the cases'
    intervals laid end to end, each interval with its own targets (the same numbers as
    case by case)."""
    specs = scenario_staffing(scenario)
    base_aht = interval_aht(scenario)  # events with an aht_factor lengthen contacts
    seen = [agents_rates(scenario, rates, base_aht) for _, _, rates in cases]  # a bot in front
    # every case's channel requirements at once (the same numbers as case by case)
    all_reqs = channel_requirements_cases(
        [{c: rates[c] for c in specs} for rates, _ in seen], specs,
        scenario.staffing.shrinkage, [{c: aht[c] for c in specs} for _, aht in seen],
        **requirement_options(scenario))
    parts = []
    for (name, prob, _), (rates, aht), reqs in zip(cases, seen, all_reqs, strict=True):
        # blended agents: one pooled requirement per group of channels they serve
        total = np.sum([b.scheduled_fractional for b in blended(
            scenario, specs, reqs, {c: aht[c] for c in specs})], axis=0)
        staffed = {c: np.asarray(r.staffed_rate if r.staffed_rate is not None
                                 else r.load.total, float) for c, r in reqs.items()}
        parts.append((name, prob, rates, reqs, aht, total, staffed))
    routed = routed_needs(scenario, specs, {c: np.concatenate([p[6][c] for p in parts])
                                            for c in specs},
                          {c: np.concatenate([np.broadcast_to(p[4][c], p[5].shape)
                                              for p in parts]) for c in specs}) \
        if parts else None
    out = []
    at = 0  # where this case's intervals start in the cases laid end to end
    for name, prob, rates, reqs, _, total, staffed in parts:
        by_ch = {c: r.scheduled_fractional.astype(np.float64) for c, r in reqs.items()}
        in_house = pooled = None
        n, at = total.shape[0], at + total.shape[0]
        if routed is not None:  # the per-pool rows see the wait for in-house agents
            in_house, both = (a[at - n:at] for a in routed)
            pooled, total = total, np.maximum(total, both)
        out.append(DemandCase(name, prob, total, by_ch, volume=case_volume(scenario, rates),
                              in_house=in_house, staffed=staffed, pooled=pooled))
    return tuple(out)


def routes_in_house_first(scenario: Scenario) -> bool:
    """Contacts wait for in-house agents before the other (planned) pools may answer."""
    r, pools = scenario.routing, scenario.pools
    return (r.policy == "in_house_first" and r.overflow_after_s > 0
            and "in_house" in pools and pools["in_house"].employment is not None
            and any(k != "in_house" for k in pools))


def routed_needs(scenario: Scenario, specs: dict, staffed: dict, aht: dict,
                 overflow_after_s: float | None = None
                 ) -> tuple[np.ndarray, np.ndarray] | None:
    """(in-house scheduled agents, in-house + overflow scheduled agents) per interval
    under in-house-first routing (planning.tier.routed_need per channel the in-house
    agents serve, summed: blended in-house agents are counted per channel, which errs
    high), or None when the routing has no wait for in-house agents. ``staffed``: the
    arrivals per hour each channel's requirement was staffed for, ``aht`` its seconds per
    contact, per interval (any number of intervals: several cases laid end to end)."""
    from planning.tier import routed_need

    if not routes_in_house_first(scenario):
        return None
    tau = scenario.routing.overflow_after_s if overflow_after_s is None else overflow_after_s
    skills = scenario.pools["in_house"].skills or list(specs)  # none given: every channel
    keep = 1.0 - scenario.staffing.shrinkage
    own = both = None
    for c, spec in specs.items():
        if c not in skills:
            continue
        need = routed_need(staffed[c], aht[c], spec.patience_s, spec.targets, tau,
                           scenario.routing.in_house_abandon_share, spec.concurrency,
                           spec.concurrency_slowdown)
        if need is None:
            continue
        own = need.in_house / keep if own is None else own + need.in_house / keep
        pair = (need.in_house + need.overflow) / keep
        both = pair if both is None else both + pair
    if own is None:
        return None
    return own, both


def case_volume(scenario: Scenario, rates: dict[str, np.ndarray]) -> np.ndarray:
    """Expected contacts per interval over the inbound channels: what the planner sees of a
    demand scenario as it unfolds (planning.information)."""
    hours = scenario.horizon.interval_minutes / 60.0
    names = [n for n, c in scenario.channels.items() if c.kind != "outbound" and n in rates]
    return hours * np.sum([np.asarray(rates[n], float) for n in names], axis=0)


def _intervals(hours: float, minutes_per_interval: int) -> int:
    return int(round(hours * 60.0 / minutes_per_interval))


def _pattern(spec: ShiftPatternSpec, scenario: Scenario) -> ShiftPattern:
    iv = scenario.horizon.interval_minutes
    day0 = scenario.horizon.start.hour * 60 + scenario.horizon.start.minute
    starts = tuple(sorted({((int(s[:2]) * 60 + int(s[3:])) - day0) % 1440 // iv
                           for s in spec.starts}))
    length = _intervals(spec.hours, iv)
    breaks: tuple[int, ...] = ()
    paid = spec.hours
    if spec.break_after_hours is not None and spec.break_minutes > 0:
        b0 = _intervals(spec.break_after_hours, iv)
        breaks = tuple(range(b0, min(b0 + int(round(spec.break_minutes / iv)), length)))
        if not spec.break_paid:
            paid -= spec.break_minutes / 60.0
    return ShiftPattern(spec.name, length, starts, breaks, paid)


def _productivity(name: str, pool: Pool, with_show_up: bool = True,
                  scenario: Scenario | None = None) -> float:
    """Work per rostered agent relative to an in-house agent: show_up / handle-time
    multiplier (the simulator's productivity), times the pool's repeat-contact factor
    (scenarios.adapters.to_staffing.repeat_factor: lower FCR brings more contacts back)."""
    eta = 1.0 / pool.default(name, "productivity")
    if scenario is not None:
        eta *= repeat_factor(scenario, name)
    return eta * pool.default(name, "show_up") if with_show_up else eta


def mix_inputs(scenario: Scenario, cases: tuple[DemandCase, ...]) -> MixInputs:
    """The mix model's inputs; pools without planning terms take no part."""
    h = scenario.horizon
    iv = h.interval_minutes
    per_day = 24 * 60 // iv
    pl = scenario.planning
    ahead = pl.decided_days_before

    def from_days(days: float) -> int:
        return int(np.ceil(max(0.0, days - ahead) * per_day - 1e-9))

    def from_hours(hours: float) -> int:
        return int(np.ceil(hours * 60.0 / iv - 1e-9))

    pools = scenario.pools
    ih = oc = rs = tp = None
    if "in_house" in pools and pools["in_house"].employment:
        p, e = pools["in_house"], pools["in_house"].employment
        ih = InHouse(headcount=e.headcount, cost_per_paid_hour=e.cost_per_paid_hour,
                     patterns=tuple(_pattern(s, scenario) for s in e.shifts),
                     productivity=_productivity("in_house", p, scenario=scenario), max_hires=e.max_hires,
                     hire_cost=e.hire_cost, hires_from=from_days(e.hire_lead_days),
                     max_days_per_week=e.max_days_per_week,
                     paid_hours_per_week=e.paid_hours_per_week if e.pay == "salaried" else None,
                     rules=roster_rules(e, h.start.date(), h.days))
    if "outsourced" in pools and pools["outsourced"].contract:
        p, c = pools["outsourced"], pools["outsourced"].contract
        price = c.price * (c.contacts_per_hour or 0.0) if c.per == "contact" else c.price
        block = max(1, _intervals(c.block_hours, iv))
        step = max(1, _intervals(c.block_start_every_hours or c.block_hours, iv))
        oc = Outsourced(price_per_hour=price, capacity=c.capacity, block=block, block_step=step,
                        available_from=from_days(c.notice_days),
                        productivity=_productivity("outsourced", p, scenario=scenario),
                        surge_capacity=c.surge_capacity,
                        surge_price_per_hour=price * c.surge_premium,
                        surge_from=from_hours(c.surge_notice_hours),
                        surge_notice=from_hours(c.surge_notice_hours),
                        quality_cost_per_hour=p.quality_cost_per_hour)
    if "reserve" in pools and pools["reserve"].on_call:
        p, r = pools["reserve"], pools["reserve"].on_call
        rs = Reserve(max_size=r.max_size, cost_per_agent=r.retainer + r.training_cost,
                     activation_per_hour=r.activation_per_hour,
                     show_up=p.default("reserve", "show_up"),
                     productivity=_productivity("reserve", p, with_show_up=False,
                                                scenario=scenario),
                     callout=max(1, _intervals(r.callout_hours, iv)),
                     available_from=max(from_days(r.training_lead_days),
                                        from_hours(r.notice_hours)),
                     quality_cost_per_hour=p.quality_cost_per_hour,
                     max_hours_per_agent=r.max_hours_per_agent,
                     notice=from_hours(r.notice_hours))
    if "temps" in pools and pools["temps"].temp_hire:
        p, t = pools["temps"], pools["temps"].temp_hire
        tp = Temps(capacity=t.capacity, price_per_hour=t.price_per_hour,
                   productivity=_productivity("temps", p, scenario=scenario),
                   quality_cost_per_hour=p.quality_cost_per_hour,
                   available_from=from_hours(t.notice_hours),
                   notice=from_hours(t.notice_hours))
    return MixInputs(interval_minutes=iv, n_intervals=h.n_intervals, cases=cases,
                     in_house=ih, outsourced=oc, reserve=rs, temps=tp,
                     shortfall_penalty_per_hour=pl.shortfall_penalty_per_hour,
                     hard_coverage=pl.hard_coverage, chance_min_share=pl.chance_min_share,
                     information_z=pl.tell_apart_sd,
                     interval_labels=tuple(s.isoformat(timespec="minutes")
                                           for s in h.interval_starts()))


def solver_options(scenario: Scenario, time_limit_s: float | None = None,
                   mip_gap: float | None = None) -> SolverOptions:
    s = scenario.planning.solver
    return SolverOptions(time_limit_s=time_limit_s if time_limit_s is not None
                         else s.time_limit_s,
                         mip_gap=mip_gap if mip_gap is not None else s.mip_gap,
                         threads=s.threads)


def raise_if(problems: list[Problem]) -> None:
    if problems:
        raise InputError(problems)


def roster_rules(e: Any, start: Any = None, days: int = 0) -> RosterRules:
    """The employment section's per-person rules (planning.roster); with the horizon's
    ``start`` date and ``days``, the employees on leave per day (``people``)."""
    r = e.rules
    leave = [0] * days
    for spec in e.people.values():
        for d in spec.unavailable:
            k = (d - start).days if start is not None else -1
            if 0 <= k < days:
                leave[k] += 1
    return RosterRules(min_rest_hours=r.min_rest_hours,
                       max_consecutive_days=r.max_consecutive_days,
                       max_nights_in_a_row=r.max_nights_in_a_row,
                       max_paid_hours_per_week=r.max_paid_hours_per_week,
                       max_days_per_week=e.max_days_per_week,
                       block_paid_hours=e.paid_hours_per_week if e.pay == "salaried" else None,
                       on_leave=tuple(leave))
