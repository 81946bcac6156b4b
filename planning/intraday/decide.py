"""What to order now: the recourse still open before each lever's notice runs out, at least
expected cost against the posterior (docs/intraday.md).

The same two-stage model as the plan (planning.mix_model, built by ``build_model``), with

1. the first stage fixed: the in-house agents and contracted seats on the queue per
   interval (F_t = η_H·in-house_t + η_O·outsourced_t, the plan's first-stage coverage) and
   the reserve pool size R — they were decided weeks ago;
2. the decisions already due fixed: a call-out block, surge block or temp interval whose
   decision time (start − notice) is before now was taken as the plan's recourse rule
   took it, in the group of scenarios the plan could tell apart by then (its value in the
   plan's recourse: as the plan wrote it, or re-solved — the plan's own recourse problem
   with the first stage fixed). Then, with the orders kept, what was ordered and has not
   started may be stood down (bounded by the ordered value, re-solved in the same HiGHS
   instance): only surplus is released, no lever is swapped for another;
3. the scenario probabilities replaced by the posterior (planning.intraday.posterior);
4. the open decisions grouped as the plan groups them (visible volume from the horizon
   start, planning.information) and, in addition, by what can still be learned between
   now and their decision time: scenarios whose expected contacts from now to that time
   differ by less than z Poisson sds must get the same decision — in particular a
   decision due now is one decision for every scenario (the coarser of the two
   groupings: never more foresight than the plan assumed, nor than the rest of the day
   can give).

Intervals before now carry no requirement (they are over). The model is a linear
programme (recourse quantities are continuous in the plan too); actions are rounded to the
nearest whole agent for the booking sheet (an order under half an agent is left out).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pyomo.environ as pyo

from planning.information import columns, decision_groups
from planning.mix_inputs import MixInputs, SolverOptions
from planning.mix_layout import Blocks, Columns, MixLayout, decision_times, mix_layout
from planning.mix_model import build_model
from planning.solver import HighsSession, values

#: posterior below which a scenario is ignored when telling firm from provisional actions
NEGLIGIBLE = 1e-3
LEVERS = ("reserve_callout", "outsourced_surge", "temps")


@dataclass(frozen=True)
class FirstStage:
    """What the plan fixed before the day: agents on the queue per interval (in-house,
    contracted outsourced seats) and the trained reserve pool."""

    in_house: np.ndarray  # (T,)
    outsourced: np.ndarray  # (T,)
    reserve_pool: int

    def truncated(self, n: int) -> FirstStage:
        """The first ``n`` intervals."""
        return replace(self, in_house=np.asarray(self.in_house, float)[:n],
                       outsourced=np.asarray(self.outsourced, float)[:n])

    def coverage(self, inp: MixInputs) -> np.ndarray:
        """F_t in in-house-equivalent agents."""
        eta_h = inp.in_house.productivity if inp.in_house else 1.0
        eta_o = inp.outsourced.productivity if inp.outsourced else 0.0
        return eta_h * np.asarray(self.in_house, float) + eta_o * np.asarray(self.outsourced,
                                                                            float)


@dataclass(frozen=True)
class Recourse:
    """Recourse per scenario and interval (S, T): reserve agents turned up, surge seats,
    temps, shortfall — and the column values of each lever (for fixing)."""

    reserve: np.ndarray
    surge: np.ndarray
    temps: np.ndarray
    shortfall: np.ndarray
    cols: dict[str, np.ndarray]  # lever → (S, K) value per scenario and decision
    objective: float


@dataclass(frozen=True)
class Action:
    """One order: lever, its decision interval (send by), the intervals it covers [start,
    end), agents to book (the nearest whole number; reserve: agents to call out, of whom
    the show-up share turns up), the expected agents the model wants on duty, its cost,
    and whether every likely scenario wants it (firm: one shared decision, or the same
    value in each) or it depends on what is seen before it is due (provisional: low..high
    agents to book over the scenarios)."""

    lever: str
    send_by: int
    start: int
    end: int
    agents: int
    expected: float
    cost: float
    firm: bool
    low: float
    high: float


@dataclass(frozen=True)
class Decision:
    """The recourse against the posterior, the plan's recourse, and the actions."""

    now: int  # first interval whose decisions are still open
    posterior: np.ndarray
    recourse: Recourse  # against the posterior (committed + open)
    plan: Recourse  # the plan's recourse rule (prior probabilities)
    committed: dict[str, np.ndarray]  # (T,) posterior-weighted recourse already ordered
    actions: list[Action]
    releases: list[Action] = field(default_factory=list)  # ordered, not started, not wanted

    def expected(self, arr: np.ndarray) -> np.ndarray:
        return self.posterior @ arr


def recourse_inputs(inp: MixInputs, probabilities: np.ndarray) -> MixInputs:
    """The mix inputs with the first stage taken out (no in-house shifts, no contracted
    blocks: their coverage is fixed separately) and the given scenario probabilities."""
    o = inp.outsourced
    cases = tuple(replace(c, probability=float(p))
                  for c, p in zip(inp.cases, probabilities, strict=True))
    return replace(inp, cases=cases, in_house=None,
                   outsourced=None if o is None else replace(o, capacity=0.0))


def truncated(inp: MixInputs, n: int) -> MixInputs:
    """The inputs over the first ``n`` intervals only (the decisions of the next day or two;
    blocks keep their alignment from interval 0). The reserve's hours cap then counts the
    call-outs inside these intervals only."""
    if n >= inp.n_intervals:
        return inp
    cases = tuple(replace(c, requirement=np.asarray(c.requirement, float)[:n],
                          by_channel={k: np.asarray(v)[:n] for k, v in c.by_channel.items()},
                          volume=None if c.volume is None else np.asarray(c.volume, float)[:n])
                  for c in inp.cases)
    return replace(inp, n_intervals=n, cases=cases, interval_labels=inp.interval_labels[:n])


_LEVER = {"u": "reserve_callout", "v": "outsourced_surge", "w": "temps"}


def _decide_at(inp: MixInputs, lay: MixLayout) -> dict[str, np.ndarray]:
    """Decision interval of each decision per lever (start − notice; the plan's own
    planning.mix_layout.decision_times, keyed by lever name)."""
    return {_LEVER[k]: d for k, d in decision_times(inp, lay).items()}


def _col_attr(lever: str) -> str:
    return {"reserve_callout": "u_cols", "outsourced_surge": "v_cols", "temps": "w_cols"}[lever]


def _var(lever: str) -> str:
    return {"reserve_callout": "u", "outsourced_surge": "v", "temps": "w"}[lever]


def coarsest(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The finest partition coarser than both labelings ``a`` and ``b`` (scenarios share a
    group when either labeling puts them together, transitively): labels 0, 1, ..."""
    parent = list(range(a.size))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for lab in (a, b):
        first: dict[int, int] = {}
        for s, g in enumerate(lab.tolist()):
            if g in first:
                parent[root(s)] = root(first[g])
            else:
                first[g] = s
    _, out = np.unique([root(s) for s in range(a.size)], return_inverse=True)
    return out.astype(np.int64)


def intraday_layout(inp: MixInputs, lay: MixLayout, now: int) -> MixLayout:
    """The plan's layout with the open decisions (decided at or after ``now``) regrouped:
    scenarios share an open decision when the plan's rule groups them or when the contacts
    still to be seen between now and its decision time cannot tell them apart (the
    coarser of the two groupings)."""
    vol = inp.volume
    n_s = len(inp.cases)
    out = lay
    for lever, d in _decide_at(inp, lay).items():
        plan_groups = decision_groups(vol, d, n_s, inp.information_z)
        groups = plan_groups.copy()
        open_k = d >= now
        if open_k.any():
            later = None if vol is None else vol[:, now:]
            new = decision_groups(later, d[open_k] - now, n_s, inp.information_z)
            merged = np.array([coarsest(a, b) for a, b in zip(plan_groups[open_k], new,
                                                              strict=True)])
            groups[open_k] = merged + plan_groups.max() + 1  # apart from committed groups
        of, count = columns(groups)
        out = replace(out, **{_col_attr(lever): Columns(of, count)})
    return out


def _model(inp: MixInputs, lay: MixLayout, first: FirstStage, now: int,
           fixed: dict[str, np.ndarray] | None) -> pyo.ConcreteModel:
    """The recourse model: first stage fixed, intervals before ``now`` without requirement,
    decisions before ``now`` fixed to ``fixed`` (lever → (S, K) values) when given."""
    req = inp.requirement.copy()
    req[:, :now] = 0.0
    m = build_model(inp.with_requirement(req), lay)
    m.first_stage_coverage.deactivate()
    cov = first.coverage(inp)
    for t in range(inp.n_intervals):
        m.F[t].fix(float(cov[t]))
    if hasattr(m, "R"):
        m.R.fix(int(first.reserve_pool))
    if fixed:
        for lever, d in _decide_at(inp, lay).items():
            var, cols = getattr(m, _var(lever)), getattr(lay, _col_attr(lever))
            for k in np.flatnonzero(d < now):
                for s in range(len(inp.cases)):
                    # bounds, not fix(): a fixed variable is handed to HiGHS as a
                    # constant, and the release check re-opens these in the same instance
                    value = max(float(fixed[lever][s, k]), 0.0)  # round-off −1e−13: none
                    v = var[int(cols.of[s, k])]
                    v.setlb(value)
                    v.setub(value)
    return m


def _starts(lay: MixLayout, lever: str) -> np.ndarray:
    """First interval of each decision of ``lever``."""
    if lever == "temps":
        return lay.temp_intervals
    return (lay.callout if lever == "reserve_callout" else lay.surge).starts


def _solve(m: pyo.ConcreteModel, inp: MixInputs, lay: MixLayout,
           options: SolverOptions, session: HighsSession | None = None) -> Recourse:
    """Solve ``m`` (in ``session`` when given: a re-solve after bound changes) and read
    the recourse."""
    out = (session or HighsSession(m, options)).solve()
    return _read(m, inp, lay, out.objective)


def _read(m: pyo.ConcreteModel, inp: MixInputs, lay: MixLayout, objective: float) -> Recourse:
    n_s, n = len(inp.cases), inp.n_intervals
    arrays = {"reserve_callout": np.zeros((n_s, n)), "outsourced_surge": np.zeros((n_s, n)),
              "temps": np.zeros((n_s, n))}
    cols: dict[str, np.ndarray] = {}
    for lever in _decide_at(inp, lay):
        c: Columns = getattr(lay, _col_attr(lever))
        vals = c.expand(values(getattr(m, _var(lever))))
        cols[lever] = vals
        if lever == "temps":
            arrays[lever][:, lay.temp_intervals] = vals
        else:
            blocks: Blocks = lay.callout if lever == "reserve_callout" else lay.surge
            of = blocks.of_interval
            arrays[lever][:, of >= 0] = vals[:, of[of >= 0]]
    q = values(m.q).reshape(n_s, n)
    return Recourse(arrays["reserve_callout"], arrays["outsourced_surge"], arrays["temps"],
                    q, cols, objective)


def plan_recourse(inp: MixInputs, first: FirstStage,
                  options: SolverOptions | None = None) -> Recourse:
    """The plan's recourse rule for the first stage ``first``: the plan's own model with
    the prior probabilities and the first stage fixed (over ``inp``'s intervals; the whole
    past stays in — call-outs before now used reserve hours under the hours cap)."""
    options = options or SolverOptions()
    first = first.truncated(inp.n_intervals)
    rinp = recourse_inputs(inp, inp.probabilities)
    lay = mix_layout(rinp)
    return _solve(_model(rinp, lay, first, 0, None), rinp, lay, options)


def recourse_from_plan(inp: MixInputs, arrays: dict[str, np.ndarray]) -> Recourse:
    """The plan's recourse as written by the plan (lever → (S, T) agents per scenario and
    interval: reserve turned up, surge seats, temps) in the decision columns' form — the
    values the decisions already due are fixed to. Block values are read at the block's
    first interval."""
    rinp = recourse_inputs(inp, inp.probabilities)
    lay = mix_layout(rinp)
    n_s, n = len(inp.cases), inp.n_intervals
    cols: dict[str, np.ndarray] = {}
    for lever in _decide_at(rinp, lay):
        arr = np.asarray(arrays.get(lever, np.zeros((n_s, n))), float)
        if lever == "temps":
            cols[lever] = arr[:, lay.temp_intervals]
        else:
            blocks = lay.callout if lever == "reserve_callout" else lay.surge
            cols[lever] = arr[:, blocks.starts]
    zero = np.zeros((n_s, n))
    return Recourse(arrays.get("reserve_callout", zero), arrays.get("outsourced_surge", zero),
                    arrays.get("temps", zero), zero, cols, float("nan"))


def decide(inp: MixInputs, first: FirstStage, now: int, post: np.ndarray,
           options: SolverOptions | None = None, plan: Recourse | None = None) -> Decision:
    """The recourse against the posterior ``post`` for decisions due at or after interval
    ``now``, those before fixed to the plan's (``plan``, computed when not given)."""
    options = options or SolverOptions()
    first = first.truncated(inp.n_intervals)
    plan = plan if plan is not None else plan_recourse(inp, first, options)
    rinp = recourse_inputs(inp, post)
    lay = intraday_layout(rinp, mix_layout(rinp), now)
    m = _model(rinp, lay, first, now, plan.cols)
    session = HighsSession(m, options)
    rec = _solve(m, rinp, lay, options, session)
    orders = actions(rinp, lay, rec, now, post)
    # then what was ordered and has not started, with today's orders kept: only surplus is
    # stood down (no swap of one lever for another that free cancellation would invite)
    session.set_bounds(_release_bounds(m, rinp, lay, rec, now))
    after = _solve(m, rinp, lay, options, session)
    committed = _committed(rinp, lay, plan, now, post)
    return Decision(now, np.asarray(post, float), after, plan, committed, orders,
                    releases(rinp, lay, after, plan, now, post))


def _release_bounds(m: pyo.ConcreteModel, inp: MixInputs, lay: MixLayout, rec: Recourse,
                    now: int) -> list[tuple[pyo.Var, float, float]]:
    """Bounds for the release check: decisions already due whose block starts at or after
    ``now`` in [0, as ordered]; open decisions fixed at the orders just decided."""
    out: list[tuple[pyo.Var, float, float]] = []
    for lever, d in _decide_at(inp, lay).items():
        var, cols = getattr(m, _var(lever)), getattr(lay, _col_attr(lever))
        start = _starts(lay, lever)
        seen: set[int] = set()
        for k in range(d.size):
            for s in range(len(inp.cases)):
                j = int(cols.of[s, k])
                if j in seen:
                    continue
                seen.add(j)
                v = var[j]
                value = max(float(rec.cols[lever][s, k]), 0.0)
                if d[k] < now and start[k] >= now:
                    out.append((v, 0.0, value))
                elif d[k] >= now:
                    out.append((v, value, value))
    return out


def _committed(inp: MixInputs, lay: MixLayout, plan: Recourse, now: int,
               post: np.ndarray) -> dict[str, np.ndarray]:
    """Posterior-weighted agents on duty per interval from decisions already due (as the
    plan took them: the roster without today's orders and releases)."""
    out = {}
    for lever, d in _decide_at(inp, lay).items():
        vals = np.where((d < now)[None, :], np.maximum(plan.cols[lever], 0.0), 0.0)
        arr = np.zeros(inp.n_intervals)
        per = post @ vals
        if lever == "temps":
            arr[lay.temp_intervals] = per
        else:
            blocks = lay.callout if lever == "reserve_callout" else lay.surge
            of = blocks.of_interval
            arr[of >= 0] = per[of[of >= 0]]
        out[lever] = arr
    return out


def _unit_cost(inp: MixInputs, lever: str) -> tuple[float, float]:
    """(cost per agent on duty per hour, agents on duty per agent booked)."""
    if lever == "reserve_callout":
        r = inp.reserve
        return r.activation_per_hour + r.quality_cost_per_hour, r.show_up
    if lever == "outsourced_surge":
        o = inp.outsourced
        return o.surge_price_per_hour + o.quality_cost_per_hour, 1.0
    t = inp.temps
    return t.price_per_hour + t.quality_cost_per_hour, 1.0


def actions(inp: MixInputs, lay: MixLayout, rec: Recourse, now: int,
            post: np.ndarray) -> list[Action]:
    """The open decisions the posterior wants (expected agents > 0), in send-by order;
    consecutive temp intervals with the same booking are merged into one order."""
    likely = np.asarray(post) > NEGLIGIBLE
    out: list[Action] = []
    for lever, d in _decide_at(inp, lay).items():
        price, per_booked = _unit_cost(inp, lever)
        cols: Columns = getattr(lay, _col_attr(lever))
        if lever == "temps":
            starts, ends = lay.temp_intervals, lay.temp_intervals + 1
        else:
            blocks = lay.callout if lever == "reserve_callout" else lay.surge
            starts, ends = blocks.starts, blocks.ends
        for k in np.flatnonzero(d >= now):
            vals = rec.cols[lever][:, k]
            exp = float(post @ vals)
            booked = int(np.floor(exp / per_booked + 0.5))  # nearest whole agent
            if booked == 0:
                continue
            hours = (ends[k] - starts[k]) * inp.interval_h
            same = float(vals[likely].max() - vals[likely].min()) <= 1e-6
            firm = same or len({int(cols.of[s, k]) for s in np.flatnonzero(likely)}) <= 1
            out.append(Action(lever, int(d[k]), int(starts[k]), int(ends[k]), booked, exp,
                              booked * per_booked * hours * price, firm,
                              float(vals[likely].min()) / per_booked,
                              float(vals[likely].max()) / per_booked))
    return _merge_temps(sorted(out, key=lambda a: (a.send_by, a.start, a.lever)), inp)


def releases(inp: MixInputs, lay: MixLayout, rec: Recourse, plan: Recourse, now: int,
             post: np.ndarray) -> list[Action]:
    """Recourse already ordered, not yet started, that the posterior no longer wants:
    agents to stand down before the start (``send_by`` = the start), ``cost`` = the pay
    saved. A cancellation fee is not modelled."""
    out: list[Action] = []
    likely = np.asarray(post) > NEGLIGIBLE
    for lever, d in _decide_at(inp, lay).items():
        price, per_booked = _unit_cost(inp, lever)
        start = _starts(lay, lever)
        ends = start + 1 if lever == "temps" else (
            lay.callout if lever == "reserve_callout" else lay.surge).ends
        for k in np.flatnonzero((d < now) & (start >= now)):
            drop = np.maximum(plan.cols[lever][:, k], 0.0) - rec.cols[lever][:, k]
            exp = float(post @ drop)
            booked = int(np.floor(exp / per_booked + 0.5))
            if booked <= 0:
                continue
            hours = (ends[k] - start[k]) * inp.interval_h
            same = float(drop[likely].max() - drop[likely].min()) <= 1e-6
            out.append(Action(lever, int(start[k]), int(start[k]), int(ends[k]), booked, exp,
                              booked * per_booked * hours * price, same,
                              float(drop[likely].min()) / per_booked,
                              float(drop[likely].max()) / per_booked))
    return sorted(out, key=lambda a: (a.start, a.lever))


def _merge_temps(acts: list[Action], inp: MixInputs) -> list[Action]:
    """Firm temp bookings for consecutive intervals with the same count: one order (send by
    the first interval's time); provisional ones stay apart (each decided when due)."""
    out: list[Action] = []
    last: dict[tuple, int] = {}
    for a in acts:
        key = ("temps", a.agents, a.firm)
        j = last.get(key)
        if a.lever == "temps" and a.firm and j is not None and out[j].end == a.start:
            b = out[j]
            out[j] = replace(b, end=a.end, cost=b.cost + a.cost,
                             expected=max(b.expected, a.expected),
                             low=min(b.low, a.low), high=max(b.high, a.high))
            continue
        if a.lever == "temps":
            last[key] = len(out)
        out.append(a)
    return out
