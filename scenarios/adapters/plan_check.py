"""The simulator as the plan's check (planning.iterate.Validator).

For each demand scenario the plan's staffing becomes rostered agents per pool and interval
— in-house and contracted outsourced seats as planned, plus *that scenario's* recourse:
surge seats added to the outsourced pool, temps, and the reserve's turned-up call-outs
divided by its show-up rate (the simulator draws who turns up). The recourse is what the
plan decided for the scenario from the contacts seen by each decision's notice time
(planning.information), not its expectation. The scenario's own rates are simulated; the
KPIs per interval pool the replications (contacts summed, rates contact-weighted).
In-house agents are the plan's people, each on duty in their rostered shifts
(scenarios.adapters.to_roster): the check simulates the roster the run uses.
"""

from __future__ import annotations

import numpy as np

from planning.iterate import Observed
from planning.mix import MixPlan
from scenarios.adapters.to_mix import CaseRates
from scenarios.adapters.to_sim import sim_model
from scenarios.schema import Scenario
from sim.model import SimModel
from sim.runner import Demand


def rostered(plan: MixPlan, surge: np.ndarray, reserve: np.ndarray, temps: np.ndarray,
             reserve_show_up: float) -> dict[str, np.ndarray]:
    """Rostered agents per pool (whole agents, rounded to nearest): in-house and contracted
    outsourced seats as planned, plus the given surge seats, temps and reserve call-outs ÷
    show-up (the simulator draws who turns up)."""
    out = {"in_house": plan.in_house, "outsourced": plan.outsourced + surge,
           "reserve": reserve / max(reserve_show_up, 1e-9), "temps": temps}
    return {k: np.rint(v + 1e-9).astype(np.int64) for k, v in out.items()
            if k in plan.productivity and v.any()}


def plan_staffing(plan: MixPlan, s: int, reserve_show_up: float) -> dict[str, np.ndarray]:
    """Rostered agents per pool for demand scenario ``s``."""
    return rostered(plan, plan.surge[s], plan.reserve[s], plan.temps[s], reserve_show_up)


def reserve_show_up(scenario: Scenario) -> float:
    """Share of rostered reserve agents who turn up (1 without a reserve pool)."""
    return (scenario.pools["reserve"].default("reserve", "show_up")
            if "reserve" in scenario.pools else 1.0)


def check_scenario(scenario: Scenario) -> Scenario:
    """The scenario as the check simulates it: plan agents are scheduled (paid) agents, so
    the simulator applies the shrinkage."""
    return scenario.model_copy(update={"simulation": scenario.simulation.model_copy(
        update={"apply_shrinkage": True})})


def staffing_by_scenario(scenario: Scenario, plan: MixPlan) -> list[dict[str, np.ndarray]]:
    """Rostered agents per pool for each demand scenario of the plan: its first stage and
    that scenario's own recourse (decided from what it shows by each notice time)."""
    show_up = reserve_show_up(scenario)
    out = []
    for s in range(len(plan.scenario_names)):
        staffing = plan_staffing(plan, s, show_up)
        out.append(staffing or {"in_house": np.zeros(scenario.horizon.n_intervals, np.int64)})
    return out


def pooled(outputs: list, first: int) -> dict[str, dict[str, np.ndarray]]:
    """Replications of one demand scenario pooled per channel and interval: contacts
    summed, KPIs contact-weighted (service level and abandonment over offered, ASA over
    answered), occupancy and agents averaged; intervals before ``first`` (warm-up) count
    as without contacts."""
    out: dict[str, dict[str, np.ndarray]] = {}
    for ch in outputs[0].intervals:
        st = {k: np.vstack([o.intervals[ch][k] for o in outputs])
              for k in ("offered", "answered", "abandoned", "service_level", "asa_s",
                        "occupancy", "agents")}
        off, ans = st["offered"].sum(0), st["answered"].sum(0)
        with np.errstate(invalid="ignore", divide="ignore"):
            sl = np.nansum(st["service_level"] * st["offered"], 0) / off
            ab = st["abandoned"].sum(0) / off
            asa = np.nansum(np.nan_to_num(st["asa_s"]) * st["answered"], 0) / ans
        ok = ~np.isnan(st["occupancy"])
        with np.errstate(invalid="ignore", divide="ignore"):
            occ = np.where(ok, st["occupancy"], 0.0).sum(0) / ok.sum(0)
        off = off.copy()
        off[:first] = 0.0
        out[ch] = {"offered": off, "answered": np.where(off > 0, ans, 0.0),
                   "service_level": np.where(off > 0, sl, np.nan),
                   "abandon_rate": np.where(off > 0, ab, np.nan),
                   "asa_s": np.where(ans > 0, asa, np.nan), "occupancy": occ,
                   "agents": st["agents"].mean(0)}
    return out


def observed(outputs: list, units: int, first: int) -> Observed:
    """The check's view of simulated replications laid out round robin over ``units``
    demand scenarios (replication i ran scenario i mod units): each scenario's
    replications pooled (:func:`pooled`), stacked as (scenarios, intervals) per channel.
    The plan check and the run's simulation stage judge their replications through this
    one function, so the same replications give the same verdict. With several
    replications per scenario each is also kept on its own (``replicas``: the spread)."""
    per = [pooled(outputs[s::units], first) for s in range(units)]
    reps = len(outputs) // units
    replicas = None
    if reps >= 2:  # each replication on its own, for the spread (planning.iterate.dispersion)
        one = [[pooled([outputs[r * units + s]], first) for s in range(units)]
               for r in range(reps)]
        replicas = {ch: {k: np.stack([np.vstack([p[ch][k] for p in row]) for row in one])
                         for k in per[0][ch]} for ch in per[0]}
    return Observed({ch: {k: np.vstack([p[ch][k] for p in per]) for k in per[0][ch]}
                     for ch in per[0]}, replicas)


def warmup_intervals(scenario: Scenario) -> int:
    """Intervals of the warm-up (excluded from the targets)."""
    return int(np.ceil(scenario.simulation.warmup_minutes / scenario.horizon.interval_minutes
                       - 1e-9))


class SimValidator:
    """validate(plan) → Observed (a planning.iterate.Validator): each demand scenario
    simulated ``replications`` times with its own staffing. Round robin: replication r of
    scenario s is run i = r·S + s and uses stream i of ``seed`` — common random numbers
    across rounds (a round's change in service comes from the plan's change, not from the
    draw), and the same runs as the first S·R replications of ``peakdesk run``'s
    simulation stage on the checked plan, which reuses ``runs`` (the replications of the
    last plan validated) instead of simulating them again.

    A plan whose simulated staffing is the one just simulated (same rostered agents per
    pool and scenario, same in-house shifts and hires) is not simulated again: the same
    seed would give the same runs (e.g. the routing probe and the plan made for overflow
    at once, when the re-plan returns the checked plan).

    ``keep_runs`` False: nobody reads ``runs``: the replications then compute the queue's
    KPIs per interval alone (sim.runner.simulate's ``queue_only``) and ``runs`` stays
    empty — the judgement (:func:`observed`, the queue's KPIs per interval) is the same,
    the work and the memory kept are less. By default
    runs are kept only on the scenario's own seed (``simulation.seed``): only those can
    be the run's simulation-stage replications; the loop's streams (another seed) never
    are."""

    def __init__(self, scenario: Scenario, cases: list[CaseRates], replications: int,
                 seed: int, workers: int = 1, keep_runs: bool | None = None) -> None:
        from scenarios.adapters.to_demand import handle_time_factors

        self.scenario = check_scenario(scenario)
        htf = handle_time_factors(self.scenario)
        self.demands = [Demand(rates, handle_time_factor=htf, name=name)
                        for name, _, rates in cases]
        self.replications, self.seed, self.workers = replications, seed, workers
        self.keep_runs = seed == scenario.simulation.seed if keep_runs is None else keep_runs
        self.first = warmup_intervals(self.scenario)
        self.runs: list = []
        # the models of ``runs`` by demand scenario (kept with them: the run's simulation
        # stage reuses both instead of building the same models again)
        self.models: dict[str, SimModel] = {}
        self.simulated = 0  # plans simulated (not answered from the last one)
        self._last: tuple[bytes, Observed] | None = None

    def __call__(self, plan: MixPlan) -> Observed:
        from sim.runner import run_replications

        staffing = staffing_by_scenario(self.scenario, plan)
        key = plan_key(plan, staffing)
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        duties = plan_duties(self.scenario, plan)
        models = [sim_model(self.scenario, st, duties) for st in staffing]
        n, total = len(self.demands), len(self.demands) * self.replications
        res = run_replications([models[i % n] for i in range(total)],
                               [self.demands[i % n] for i in range(total)],
                               total, self.seed, workers=self.workers,
                               agent_tables=self.keep_runs, queue_only=not self.keep_runs)
        self.runs = res.outputs if self.keep_runs else []
        self.models = ({d.name: m for d, m in zip(self.demands, models, strict=True)}
                       if self.keep_runs else {})
        self.simulated += 1
        seen = observed(res.outputs, n, self.first)
        self._last = (key, seen)
        return seen


def plan_key(plan: MixPlan, staffing: list[dict[str, np.ndarray]]) -> bytes:
    """What the simulator sees of a plan: its in-house shifts and hires (the roster) and
    each scenario's rostered agents per pool."""
    import hashlib

    h = hashlib.sha256(repr((plan.shifts, plan.hires)).encode())
    for st in staffing:
        for pool in sorted(st):
            h.update(pool.encode())
            h.update(np.ascontiguousarray(st[pool], dtype=np.int64).tobytes())
    return h.digest()


def plan_duties(scenario: Scenario, plan: MixPlan) -> dict:
    """The in-house people of ``plan`` on their rostered shifts (scenarios.adapters.to_roster), for
    the simulator; empty when the plan has no in-house shifts."""
    if not plan.shifts or "in_house" not in scenario.pools or \
            scenario.pools["in_house"].employment is None:
        return {}
    from scenarios.adapters.to_roster import people_roster

    roster = people_roster(scenario, plan)
    return {"in_house": roster.duty(scenario.horizon.interval_s)}


def sim_validator(scenario: Scenario, cases: list[CaseRates], replications: int,
                  seed: int, workers: int = 1, keep_runs: bool | None = None
                  ) -> SimValidator:
    """The simulator as the plan check (:class:`SimValidator`)."""
    return SimValidator(scenario, cases, replications, seed, workers, keep_runs)
