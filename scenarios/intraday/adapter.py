"""Scenario, results folder and actuals → the typed inputs of planning.intraday and of the
simulator for the rest of the day (the one adapter of ``peakdesk intraday``).

Assumptions made here (docs/intraday.md):

- offered contacts count every attempt, as an ACD reports them; a scenario expects its
  fresh arrivals × 1 / (1 − q·(1 − f)) per channel (q: the channel's repeat probability,
  f: the in-house FCR — a first attempt brings 1 / (1 − u) contacts in all; redials after
  abandonment are left out, a few per cent at the targets' abandonment);
- the requirement is the scenario's, scaled per interval so that its probability-weighted
  mean equals the plan's (plan.csv), i.e. as the plan's check left it;
- absences: in-house agents present ÷ planned in the last interval with
  ``agents_present`` scale the in-house agents for the rest of that day (absent people stay
  absent; tomorrow's shifts are as planned).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np

from planning.intraday.decide import FirstStage
from planning.mix_inputs import DemandCase, MixInputs
from scenarios.intraday.actuals import Actuals
from scenarios.intraday.folder import PlanFolder
from scenarios.schema import Scenario


@dataclass(frozen=True)
class DayInputs:
    """The demand scenarios as the plan saw them, the mix inputs and the first stage."""

    names: list[str]  # as `peakdesk demand --json` names them
    case_names: list[str]  # as the plan names them (recourse_orders.csv)
    prior: np.ndarray  # (S,)
    multipliers: np.ndarray  # (S,)
    channels: list[str]
    rates: list[dict[str, np.ndarray]]  # per scenario: fresh arrivals per hour per interval
    offered: np.ndarray  # (S, C, T) expected offered contacts per interval
    mix: MixInputs
    first: FirstStage
    starts: list[datetime]


def returns_factor(sc: Scenario, channel: str) -> float:
    """Contacts offered per fresh arrival: 1 / (1 − q·(1 − f))."""
    from scenarios.adapters.to_staffing import reference_fcr

    rep = sc.channels[channel].repeat
    if rep is None:
        return 1.0
    return 1.0 / (1.0 - rep.probability * (1.0 - reference_fcr(sc)))


def scenario_multipliers(sc: Scenario, n: int) -> np.ndarray:
    """Each demand scenario's peak multiplier (1 for a point forecast)."""
    if sc.uncertainty is not None:
        from scenarios.adapters.to_demand import demand_scenarios

        return np.array([d.multiplier for d in demand_scenarios(sc)], dtype=np.float64)
    dc = sc.planning.demand_cases
    if dc is not None:
        return np.array([float(m) for m in dc.multipliers], dtype=np.float64)
    return np.ones(n)


def requirements_upto(sc: Scenario, rates: list, n: int) -> tuple[DemandCase, ...]:
    """scenarios.adapters.to_mix.requirement_cases over the first ``n`` intervals only (the day's
    decisions look no further; requirements are causal in time, so the first n intervals
    are the same numbers) — the Erlang A work of 20 scenarios × 14 days is the largest
    single cost of a call. Volumes stay whole (the information rule reads them)."""
    from planning.channel import channel_requirements
    from scenarios.adapters.blending import blended
    from scenarios.adapters.to_bot import agents_rates
    from scenarios.adapters.to_demand import interval_aht
    from scenarios.adapters.to_mix import case_volume
    from scenarios.adapters.to_staffing import requirement_options, scenario_staffing

    specs = scenario_staffing(sc)
    aht = {c: np.asarray(a, float)[:n] for c, a in interval_aht(sc).items() if c in specs}
    out = []
    for name, prob, r in rates:
        # a bot in front: the contacts that reach the agents (scenarios.adapters.to_bot)
        r_agents, aht_c = agents_rates(sc, {c: np.asarray(r[c], float)[:n] for c in specs},
                                       aht)
        reqs = channel_requirements(r_agents, specs,
                                    sc.staffing.shrinkage, aht_by_interval=aht_c,
                                    **requirement_options(sc))
        by_ch = {c: q.scheduled_fractional.astype(np.float64) for c, q in reqs.items()}
        total = np.sum([b.scheduled_fractional for b in blended(sc, specs, reqs, aht_c)],
                       axis=0)
        out.append(DemandCase(name, prob, total, by_ch, volume=case_volume(sc, r)))
    return tuple(out)


def day_inputs(sc: Scenario, folder: PlanFolder, upto: int | None = None) -> DayInputs:
    """Demand scenarios, requirement (scaled to the plan's), mix inputs (over the first
    ``upto`` intervals; all by default), first stage."""
    from planning.intraday.decide import truncated
    from scenarios.adapters.to_mix import demand_cases, mix_inputs

    n = sc.horizon.n_intervals if upto is None else min(upto, sc.horizon.n_intervals)
    rates = demand_cases(sc)
    cases = requirements_upto(sc, rates, n)
    prior = np.array([p for _, p, _ in rates], dtype=np.float64)
    req = np.vstack([c.requirement for c in cases])
    mean = prior @ req
    plan_mean = folder.requirement_expected[:n]
    scale = np.where(mean > 1e-9, plan_mean / np.maximum(mean, 1e-9), 1.0)
    cases = tuple(replace(c, requirement=c.requirement * scale) for c in cases)
    channels = [n for n, c in sc.channels.items() if c.kind != "outbound"]
    h = sc.horizon.interval_minutes / 60.0
    offered = np.stack([np.stack([np.asarray(r[ch], float) * h * returns_factor(sc, ch)
                                  for ch in channels]) for _, _, r in rates])
    # the names `peakdesk demand --json` gives (a point forecast is "point" there)
    names = ["point" if sc.uncertainty is None and sc.planning.demand_cases is None else n
             for n, _, _ in rates]
    return DayInputs(names, [name for name, _, _ in rates], prior, scenario_multipliers(sc, len(rates)),
                     channels, [r for _, _, r in rates], offered,
                     truncated(mix_inputs(sc, cases), n),
                     FirstStage(folder.in_house, folder.outsourced, folder.reserve_pool),
                     sc.horizon.interval_starts())


def observed_cells(day: DayInputs, act: Actuals) -> tuple[np.ndarray, np.ndarray]:
    """(expected (S, N), counts (N,)) over the interval × channel cells with a row."""
    exp, cnt = [], []
    for c, ch in enumerate(day.channels):
        got = ~np.isnan(act.offered[ch])
        exp.append(day.offered[:, c, :act.seen][:, got])
        cnt.append(act.offered[ch][got])
    return np.concatenate(exp, axis=1), np.concatenate(cnt)


def day_end(starts: list[datetime], t: int, per_day: int) -> int:
    """One past the last interval of interval t's calendar day."""
    d0 = starts[0]
    offset = (d0.hour * 60 + d0.minute) * per_day // 1440  # intervals before the first
    return min(len(starts), ((t + offset) // per_day + 1) * per_day - offset)


def absence_ratio(folder: PlanFolder, act: Actuals) -> tuple[float, int | None]:
    """(in-house present ÷ planned, the interval it is read from); 1 without data."""
    for k in range(act.seen - 1, -1, -1):
        p = act.agents_present[k]
        if p == p and folder.in_house[k] > 0:
            return float(np.clip(p / folder.in_house[k], 0.0, 2.0)), k
    return 1.0, None


def with_absence(first: FirstStage, ratio: float, start: int, end: int) -> FirstStage:
    """In-house agents scaled by ``ratio`` over [start, end) (rounded to whole agents)."""
    ih = np.asarray(first.in_house, float).copy()
    ih[start:end] = np.rint(ih[start:end] * ratio)
    return replace(first, in_house=ih)
