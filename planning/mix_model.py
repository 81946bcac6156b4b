"""Two-stage stochastic sourcing-mix MILP as a Pyomo model (docs/planning.md).

First stage (before the promotion): in-house shifts x_i, base headcount used h_b and hires
h, contracted outsourced blocks b_s, reserve pool size R. Recourse per demand scenario ω:
reserve call-outs u, surge outsourcing v, temps w, shortfall q. Objective: first-stage cost
+ Σ_ω p_ω·recourse cost (Robbins & Harrison 2010; Koçağa, Armony & Ward 2015; Gans et
al. 2015 for the recourse structure; Gurvich, Luedtke & Tezcan 2010 for the chance form).

Compactness (the benchmark needs it): the first-stage coverage of interval t is defined
once, F_t = η_H·Σ_{i∋t} x_i + η_O·Σ_{s∈W(t)} b_s, and every scenario's coverage row refers
to the single column F_t. Recourse quantities are continuous (expected agent counts per
scenario, an average over demand outcomes, so fractions mean something); first-stage
decisions are integers.
Reserve call-outs and surge seats come in blocks aligned on the block length, so one
recourse column covers a whole block.

Indices are flat integer ranges (ω·K + k); the layout (planning.mix_layout) maps them.

Each row is stated as one linear expression and a bound (:func:`at_most`, :func:`at_least`,
:func:`equal`): the terms in the order a Python sum chain would give them, so the model
handed to HiGHS is the one the chains gave, entry by entry (tests/planning/
test_mix_build.py against the frozen copy of the chains), built with one expression
object per row instead of one per term.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression
from pyomo.core.expr.relational_expr import EqualityExpression, InequalityExpression

from planning.mix_inputs import MixInputs
from planning.mix_layout import MixLayout, decision_times, mix_layout
from planning.roster.mix_rules import add_roster_rules


def build_model(inp: MixInputs, lay: MixLayout | None = None) -> pyo.ConcreteModel:
    """The whole model, one constraint family per call (a table of contents)."""
    lay = lay or mix_layout(inp)
    # the build makes ~10⁵ objects that all live on: the collector would pass over them
    # again and again while they are made (Pyomo's own writers pause it the same way)
    with PauseGC():
        m = pyo.ConcreteModel(name="sourcing_mix")
        add_in_house(m, inp, lay)
        add_roster_rules(m, inp, lay)
        add_outsourced(m, inp, lay)
        add_first_stage_coverage(m, inp, lay)
        add_reserve(m, inp, lay)
        add_recourse(m, inp, lay)
        add_monotone_recourse(m, inp, lay)
        add_coverage(m, inp, lay)
        add_in_house_coverage(m, inp, lay)
        add_chance(m, inp, lay)
        add_objective(m, inp, lay)
    return m


# ------------------------------------------------------------------ rows, one expression each
# A term is a variable (coefficient 1) or (coefficient, variable). A row keeps its terms
# in the order Python's sum chain gave them and its bound where Pyomo's
# ConstraintData.to_bounded_expression put it: a sum compared with a number keeps its
# side; variables on both sides become left − right compared with 0; a side that summed
# to the number 0 (no terms) leaves the other side compared with 0.


def _terms(terms: list) -> list:
    return [MonomialTermExpression(t) if t.__class__ is tuple else t for t in terms]


def _negated(terms: list) -> list:
    return [MonomialTermExpression((-t[0], t[1]) if t.__class__ is tuple else (-1, t))
            for t in terms]


def linear(terms: list) -> LinearExpression:
    """Σ terms as one LinearExpression."""
    return LinearExpression(_terms(terms))


def at_most(left: list, right: list | float) -> InequalityExpression:
    """Σ left ≤ right (terms, or a number); no variable on both sides."""
    if right.__class__ is not list:
        return InequalityExpression((linear(left), right), False)
    if not left:
        return InequalityExpression((0, linear(right)), False)
    return InequalityExpression((LinearExpression(_terms(left) + _negated(right)), 0), False)


def at_least(left: list, right: float) -> InequalityExpression:
    """Σ left ≥ right (a number)."""
    return InequalityExpression((right, linear(left)), False)


def equal(left: list, right: list) -> EqualityExpression:
    """Σ left = Σ right; no variable on both sides (a side without terms: 0)."""
    return EqualityExpression((LinearExpression(_terms(left) + _negated(right)), 0))


def rows(index: object, row: object) -> pyo.Constraint:
    """A constraint family over ``index`` whose row j is ``row(j)``."""
    return pyo.Constraint(index, rule=lambda m, j: row(j))


def add_in_house(m: pyo.ConcreteModel, inp: MixInputs, lay: MixLayout) -> None:
    """Shifts, headcount per day and the days-off rule.

    x_i ∈ ℤ₊ agents on shift instance i; h_b ∈ [0, H₀] base headcount used; h ∈ [0, H^max]
    hires (ℤ₊). For each day d:      Σ_{i starts on d} x_i ≤ h_b + [d ≥ d_hire]·h
    For each 7-day block B:          Σ_{i starts in B} x_i ≤ D_B·h_b + D_B^hire·h
    with D_B = min(max_days_per_week, |B|) and D_B^hire the same over days ≥ d_hire.
    Salaried (W paid hours a week over D working days): Σ_{i in B} paid_i·x_i ≤
    W·min(D, |B|)/D·h_b + W·min(D, |B_hire|)/D·h — rostered paid hours within the paid ones.
    The rest, consecutive-day, night and weekly-hours rules are kept in aggregate by
    planning.roster.mix_rules (add_roster_rules); planning.roster.assign gives the counts
    to people.
    """
    ih = inp.in_house
    if ih is None:
        return
    n_sh = len(lay.shifts)
    m.x = pyo.Var(range(n_sh), domain=pyo.NonNegativeIntegers)
    m.hb = pyo.Var(bounds=(0, ih.headcount))
    m.hire = pyo.Var(domain=pyo.NonNegativeIntegers, bounds=(0, ih.max_hires))
    per_day = inp.intervals_per_day
    hire_day = -(-ih.hires_from // per_day)
    by_day: list[list[int]] = [[] for _ in range(lay.shift_days)]
    for i, sh in enumerate(lay.shifts):
        by_day[sh.day].append(i)

    x, hb, hire = list(m.x.values()), m.hb, m.hire

    def day_rule(d: int) -> object:
        return at_most([x[i] for i in by_day[d]], [hb, hire] if d >= hire_day else [hb])

    m.headcount_per_day = rows(range(lay.shift_days), day_rule)

    def week_rule(w: int) -> object:
        days = lay.week_blocks[w]
        d_all = min(ih.max_days_per_week, len(days))
        d_hire = min(ih.max_days_per_week, sum(1 for d in days if d >= hire_day))
        return at_most([x[i] for d in days for i in by_day[d]],
                       [_scaled(d_all, hb), _scaled(d_hire, hire)])

    m.days_off = rows(range(len(lay.week_blocks)), week_rule)
    if ih.salaried:
        def hours_rule(w: int) -> object:
            days = lay.week_blocks[w]
            per, per_hire = block_paid_hours(inp, days, hire_day)
            return at_most([_scaled(lay.shifts[i].paid_hours, x[i])
                            for d in days for i in by_day[d]],
                           [_scaled(per, hb), _scaled(per_hire, hire)])

        m.paid_hours = rows(range(len(lay.week_blocks)), hours_rule)


def _scaled(c: float, v: object) -> object:
    """c·v as Python's ``c * v`` leaves it: v itself when c is 1."""
    return v if c == 1 else (c, v)


def block_paid_hours(inp: MixInputs, days: list[int], hire_day: int) -> tuple[float, float]:
    """Paid hours of one salaried agent in a 7-day block (employed; hired on ``hire_day``):
    the weekly hours W over the D working days the block holds, W·min(D, days)/D."""
    ih = inp.in_house
    d = ih.max_days_per_week
    return (ih.paid_hours_per_week * min(d, len(days)) / d,
            ih.paid_hours_per_week * min(d, sum(1 for x in days if x >= hire_day)) / d)


def salaried_pay(inp: MixInputs, lay: MixLayout) -> tuple[float, float]:
    """(pay of the employed headcount over the horizon, pay of one hire from its first
    day): Σ over 7-day blocks of their paid hours × cost per paid hour."""
    ih = inp.in_house
    hire_day = -(-ih.hires_from // inp.intervals_per_day)
    hours = [block_paid_hours(inp, days, hire_day) for days in lay.week_blocks]
    return (ih.cost_per_paid_hour * ih.headcount * sum(h for h, _ in hours),
            ih.cost_per_paid_hour * sum(h for _, h in hours))


def add_outsourced(m: pyo.ConcreteModel, inp: MixInputs, lay: MixLayout) -> None:
    """Contracted outsourced blocks and their seat cap.

    b_s ∈ ℤ₊ seats contracted for the block [s, s + L) (L = block length; chained blocks give
    any longer stretch), s ≥ notice. Seats on duty O_t = Σ_{s ∈ W(t)} b_s with
    W(t) = {s : t − L < s ≤ t};   O_t ≤ capacity for every t.
    """
    o = inp.outsourced
    if o is None or lay.block_starts.size == 0:
        return
    m.b = pyo.Var(range(lay.block_starts.size), domain=pyo.NonNegativeIntegers,
                  bounds=(0, o.capacity))
    windows = _block_windows(lay.block_starts, o.block, inp.n_intervals)
    b = list(m.b.values())
    m.outsourced_capacity = rows(
        [t for t in range(inp.n_intervals) if len(windows[t]) > 1],
        lambda t: at_most([b[k] for k in windows[t]], o.capacity))


def _block_windows(starts: np.ndarray, length: int, n: int) -> list[list[int]]:
    """For each interval, the positions of the contracted blocks that cover it."""
    win: list[list[int]] = [[] for _ in range(n)]
    for k, s in enumerate(starts.tolist()):
        for t in range(s, min(s + length, n)):
            win[t].append(k)
    return win


def add_first_stage_coverage(m: pyo.ConcreteModel, inp: MixInputs, lay: MixLayout) -> None:
    """F_t = η_H·Σ_{i ∋ t} x_i + η_O·Σ_{s ∈ W(t)} b_s — defined once per interval and
    referenced by every scenario's coverage row (the compact form)."""
    n = inp.n_intervals
    has_x, has_b = hasattr(m, "x"), hasattr(m, "b")
    m.F = pyo.Var(range(n), domain=pyo.NonNegativeReals)
    cover: list[list[int]] = [[] for _ in range(n)]
    for i, sh in enumerate(lay.shifts):
        for t in sh.cover:
            cover[t].append(i)
    windows = (_block_windows(lay.block_starts, inp.outsourced.block, n)
               if has_b and inp.outsourced else [[] for _ in range(n)])
    eta_h = inp.in_house.productivity if inp.in_house else 0.0
    eta_o = inp.outsourced.productivity if inp.outsourced else 0.0

    f = list(m.F.values())
    x = list(m.x.values()) if has_x else []
    b = list(m.b.values()) if has_b else []

    def rule(t: int) -> object:
        right = []
        if has_x and cover[t]:
            right += [_scaled(eta_h, x[i]) for i in cover[t]]
        if has_b and windows[t]:
            right += [_scaled(eta_o, b[k]) for k in windows[t]]
        return equal([f[t]], right)

    m.first_stage_coverage = rows(range(n), rule)


def add_reserve(m: pyo.ConcreteModel, inp: MixInputs, lay: MixLayout) -> None:
    """Reserve pool and call-outs.

    R ∈ ℤ ∩ [0, R^max] trained on-call agents; u_{ω,k} ≥ 0 agents called out for block k of
    scenario ω (blocks from the training/notice lead time on);   u_{ω,k} ≤ σ·R  (show-up σ).
    Hours cap (rest-time work):   Σ_k |k|·Δ·u_{ω,k} ≤ H^max·σ·R   for every ω.
    """
    r, c = inp.reserve, lay.callout
    if r is None or c is None:
        return
    cols = lay.u_cols
    m.R = pyo.Var(domain=pyo.NonNegativeIntegers, bounds=(0, r.max_size))
    m.u = pyo.Var(range(cols.count), domain=pyo.NonNegativeReals)
    u, pool = list(m.u.values()), m.R
    show_up = _scaled(r.show_up, pool)
    m.reserve_show_up = rows(range(cols.count), lambda j: at_most([u[j]], [show_up]))
    if r.max_hours_per_agent is not None:
        hours = (c.hours_factor * inp.interval_h).tolist()
        of = cols.of.tolist()
        cap = _scaled(r.max_hours_per_agent * r.show_up, pool)
        m.reserve_hours = rows(range(len(inp.cases)), lambda s: at_most(
            [_scaled(hours[k], u[of[s][k]]) for k in range(len(hours))], [cap]))


def add_recourse(m: pyo.ConcreteModel, inp: MixInputs, lay: MixLayout) -> None:
    """Surge outsourcing v_{ω,k} ∈ [0, surge capacity] per block, temps w_{ω,t} ∈ [0, temp
    capacity], shortfall q_{ω,t} ≥ 0 (fixed to 0 under hard coverage). Surge and temp
    columns are shared like the call-outs (non-anticipativity)."""
    n_w, n = len(inp.cases), inp.n_intervals
    if lay.surge is not None:
        m.v = pyo.Var(range(lay.v_cols.count), domain=pyo.NonNegativeReals,
                      bounds=(0, inp.outsourced.surge_capacity))
    if lay.temp_intervals.size:
        m.w = pyo.Var(range(lay.w_cols.count), domain=pyo.NonNegativeReals,
                      bounds=(0, inp.temps.capacity))
    m.q = pyo.Var(range(n_w * n), domain=pyo.NonNegativeReals,
                  bounds=(0, 0) if inp.hard_coverage else (0, None))


def monotone_pairs(volume: np.ndarray, decide_at: np.ndarray, of: np.ndarray
                   ) -> list[tuple[int, int, bool]]:
    """The rows of the monotone decision rule for one recourse variable: (column a, column
    b, tie) meaning value[a] ≤ value[b] (tie: value[a] = value[b]).

    For each decision k (taken at interval ``decide_at[k]``), the scenarios sorted by the
    contacts seen by then, V_s = Σ_{t<d} volume[s, t] (planning.information's visible
    volume); each adjacent pair in that order whose columns ``of[:, k]`` differ gives one
    row — the chain makes the decision non-decreasing in V over all scenarios, at most
    S − 1 rows a decision (fewer where scenarios share a column). Equal volumes: equal
    decisions. Duplicate rows are dropped."""
    volume = np.asarray(volume, dtype=np.float64)
    n_t = volume.shape[1]
    cum = np.concatenate([np.zeros((volume.shape[0], 1)), np.cumsum(volume, axis=1)], axis=1)
    rows: dict[tuple[int, int], bool] = {}
    for k, d in enumerate(np.asarray(decide_at, dtype=np.int64).tolist()):
        seen = cum[:, min(max(d, 0), n_t)]
        order = np.argsort(seen, kind="stable")
        for a, b in zip(order[:-1].tolist(), order[1:].tolist(), strict=True):
            ca, cb = int(of[a, k]), int(of[b, k])
            if ca == cb:
                continue
            tie = bool(seen[b] - seen[a] <= 1e-9 * max(1.0, seen[b]))
            key = (min(ca, cb), max(ca, cb)) if tie else (ca, cb)
            rows[key] = rows.get(key, False) or tie
    return [(a, b, tie) for (a, b), tie in rows.items()]


def add_monotone_recourse(m: pyo.ConcreteModel, inp: MixInputs, lay: MixLayout) -> None:
    """A monotone decision rule for the recourse: call-outs u, surge seats v and temps w
    never fall as the contacts seen by the decision's notice time rise.

    For each decision k and scenarios a, b adjacent in the order of their visible volume at
    k's decision time d_k (V_a(d_k) ≤ V_b(d_k)): y_{a,k} ≤ y_{b,k}, and y_{a,k} = y_{b,k}
    when the volumes are equal (y ∈ {u, v, w}; a pair in one information set shares its
    column and needs no row). Model assumption, for the booking sheet: a call-out booked
    as "call if the contacts seen by the notice time reach V" is exactly such a rule, so
    every call-out reads as one volume threshold (docs/planning.md, "Monotone recourse").
    The rows restrict the plan; what they cost is measured in docs/planning.md. Without
    volumes (every scenario known from the start) there is no volume to order by: no rows.
    """
    vol = inp.volume
    if vol is None:
        return
    for name, d in decision_times(inp, lay).items():
        if not hasattr(m, name):
            continue
        var = list(getattr(m, name).values())
        pairs = monotone_pairs(vol, d, getattr(lay, f"{name}_cols").of)
        if not pairs:
            continue

        def rule(j: int, var: list = var, pairs: list = pairs) -> object:
            a, b, tie = pairs[j]
            return equal([var[a]], [var[b]]) if tie else at_most([var[a]], [var[b]])

        setattr(m, f"{name}_monotone", rows(range(len(pairs)), rule))


def add_coverage(m: pyo.ConcreteModel, inp: MixInputs, lay: MixLayout) -> None:
    """For every scenario ω and interval t with a requirement ρ_{ω,t} > 0:

    F_t + η_R·u_{ω,k_R(t)} + η_O·v_{ω,k_S(t)} + η_T·w_{ω,t} + q_{ω,t} ≥ ρ_{ω,t}
    """
    req = inp.requirement
    n = inp.n_intervals
    keep = np.flatnonzero(req.ravel() > 0).tolist()
    eta_r = inp.reserve.productivity if inp.reserve else 0.0
    eta_o = inp.outsourced.productivity if inp.outsourced else 0.0
    eta_t = inp.temps.productivity if inp.temps else 0.0
    has_u, has_v, has_w = hasattr(m, "u"), hasattr(m, "v"), hasattr(m, "w")
    k_r = lay.callout.of_interval if has_u else None
    k_s = lay.surge.of_interval if has_v else None
    w_pos = np.full(n, -1, dtype=np.int64)
    w_pos[lay.temp_intervals] = np.arange(lay.temp_intervals.size)
    flat = req.ravel().tolist()
    f, q = list(m.F.values()), list(m.q.values())
    # each row's recourse terms: (variables, per-scenario columns of each interval or −1,
    # productivity)
    recourse = []
    for has, name, at, eta in ((has_u, "u", k_r, eta_r), (has_v, "v", k_s, eta_o),
                               (has_w, "w", w_pos, eta_t)):
        if has:
            of = getattr(lay, f"{name}_cols").of
            cols = np.where(at >= 0, of[:, np.maximum(at, 0)], -1).tolist()
            recourse.append((list(getattr(m, name).values()), cols, eta))

    def rule(j: int) -> object:
        s, t = divmod(j, n)
        terms = [f[t], q[j]]
        for var, cols, eta in recourse:
            col = cols[s][t]
            if col >= 0:
                terms.append(_scaled(eta, var[col]))
        return at_least(terms, flat[j])

    m.coverage = rows(keep, rule)


@dataclass(frozen=True)
class ShortfallSteps:
    """The in-house row's expected shortfall cost as steps of the on-duty agents H_t.

    For interval t with positive in-house requirements ρ_{ω,t} (sorted: b_1 ≤ … ≤ b_K):
    Σ_ω p_ω·max(0, ρ_{ω,t} − H_t) = Σ_ω p_ω·ρ_{ω,t} − Σ_k P_k·min(ℓ_k, max(0, H_t − b_{k−1}))
    with step lengths ℓ_k = b_k − b_{k−1} (b_0 = 0) and P_k = Σ p_ω over ρ_{ω,t} ≥ b_k —
    non-increasing in k, so an LP fills the steps in order (convex, piecewise linear)."""

    used: np.ndarray  # (U,) intervals with a positive in-house requirement
    start: np.ndarray  # (U + 1,) each interval's first step
    length: np.ndarray  # (K,) step lengths ℓ_k, in agents
    weight: np.ndarray  # (K,) P_k
    expected: float  # Σ_{ω,t} p_ω·ρ_{ω,t}


def shortfall_steps(req: np.ndarray, p: np.ndarray) -> ShortfallSteps:
    """The steps of every interval with a positive requirement in ``req`` (S, T)."""
    pos = req > 0
    used = np.flatnonzero(pos.any(axis=0))
    counts = pos[:, used].sum(axis=0)
    start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    length, weight = np.zeros(start[-1]), np.zeros(start[-1])
    for i, t in enumerate(used.tolist()):
        on = pos[:, t]
        order = np.argsort(req[on, t], kind="stable")
        vals, probs = req[on, t][order], p[on][order]
        s, e = start[i], start[i + 1]
        length[s:e] = np.diff(vals, prepend=0.0)
        weight[s:e] = np.cumsum(probs[::-1])[::-1]  # Σ p over ρ ≥ b_k (ties: length 0)
    return ShortfallSteps(used, start, length, weight, float(p @ np.where(pos, req, 0).sum(1)))


def add_in_house_coverage(m: pyo.ConcreteModel, inp: MixInputs, lay: MixLayout) -> None:
    """In-house-first routing: the in-house agents' own row (planning.tier), beside the
    pooled one. For every scenario ω and interval t with an in-house requirement
    ρ^H_{ω,t} > 0 the in-house agents the headcount cannot give, q^H_{ω,t} =
    max(0, ρ^H_{ω,t} − H_t) with H_t = η_H·Σ_{i ∋ t} x_i (once per interval), are priced
    like the shortfall.

    Contacts wait for in-house agents before any other pool may answer, so only in-house
    shifts count here. The row is priced, never forced: hard coverage and the chance
    constraint bind the pooled row (a headcount short of the in-house row is reported as
    the limit, not an infeasible plan).

    Form: the expected price Σ_ω p_ω·π·Δ·q^H_{ω,t} is convex and piecewise linear in H_t
    (ShortfallSteps): steps g_{t,k} ∈ [0, ℓ_k] with Σ_k g_{t,k} ≤ H_t, each earning
    π·Δ·P_k, and the constant π·Δ·Σ p_ω·ρ_{ω,t} — one row per interval instead of one
    row and one column q^H per scenario-interval (the same optimum; on the flagship the
    LP relaxation's interior point 6.4 → 4.6 CPU s, 45,556 → 32,788 rows). q^H is read
    from H_t (planning.mix).
    """
    req = inp.in_house_requirement
    if req is None or not hasattr(m, "x"):
        return
    n = inp.n_intervals
    cover: list[list[int]] = [[] for _ in range(n)]
    for i, sh in enumerate(lay.shifts):
        for t in sh.cover:
            cover[t].append(i)
    eta = inp.in_house.productivity
    steps = shortfall_steps(req, inp.probabilities)
    used = steps.used.tolist()
    # compact, as the pooled row: H_t = η_H·Σ_{i∋t} x_i defined once per interval
    m.H = pyo.Var(used, domain=pyo.NonNegativeReals)
    x, on_duty = list(m.x.values()), dict(zip(used, m.H.values(), strict=True))
    m.in_house_on_duty = rows(used, lambda t: equal(
        [on_duty[t]], [_scaled(eta, x[i]) for i in cover[t]]))
    length = steps.length.tolist()
    m.gh = pyo.Var(range(len(length)), domain=pyo.NonNegativeReals,
                   bounds=lambda m, k: (0.0, length[k]))
    gh, start = list(m.gh.values()), steps.start.tolist()
    at = dict(zip(used, range(len(used)), strict=True))

    def rule(t: int) -> object:
        i = at[t]
        return at_most(gh[start[i]:start[i + 1]], [on_duty[t]])

    m.in_house_steps = rows(used, rule)


def add_chance(m: pyo.ConcreteModel, inp: MixInputs, lay: MixLayout) -> None:
    """Optional SAA chance constraint (Gurvich, Luedtke & Tezcan 2010).

    z_ω ∈ {0,1} marks a scenario allowed to miss;  q_{ω,t} ≤ ρ_{ω,t}·z_ω;
    Σ_ω p_ω·z_ω ≤ 1 − share.
    """
    if inp.chance_min_share is None or inp.hard_coverage:
        return
    req = inp.requirement
    n_w, n = req.shape
    m.z = pyo.Var(range(n_w), domain=pyo.Binary)
    keep = np.flatnonzero(req.ravel() > 0).tolist()
    flat = req.ravel().tolist()
    q, z = list(m.q.values()), list(m.z.values())
    m.chance_link = rows(keep, lambda j: at_most([q[j]], [_scaled(flat[j], z[j // n])]))
    p = inp.probabilities.tolist()
    m.chance = pyo.Constraint(expr=at_most([_scaled(p[s], z[s]) for s in range(n_w)],
                                           1.0 - inp.chance_min_share + 1e-9))


def add_objective(m: pyo.ConcreteModel, inp: MixInputs, lay: MixLayout) -> None:
    """min  Σ_i c_H·paid_i·x_i + c_hire·h + Σ_s (c_O + κ_O)·L·Δ·b_s + f_R·R
          + Σ_ω p_ω [ Σ_k (c_A + κ_R)·|k|·Δ·u_{ω,k} + Σ_k (c_S + κ_O)·|k|·Δ·v_{ω,k}
                      + Σ_t (c_T + κ_T)·Δ·w_{ω,t} + Σ_t π·Δ·q_{ω,t} ]
    (Δ = interval hours, κ = quality cost per hour, π = shortfall penalty per agent-hour;
    the in-house row's q^H is priced by π like q, as steps of H_t: add_in_house_coverage).
    Salaried in-house pay replaces Σ_i c_H·paid_i·x_i by the constant c_H·P·H₀ and adds
    c_H·P_hire per hire (P = Σ_B W·min(D, |B|)/D paid hours of an agent over the 7-day
    blocks B, P_hire the same from the hires' first day): employed agents cost their paid
    hours, rostered or not."""
    dt = inp.interval_h
    p = inp.probabilities
    n = inp.n_intervals
    ih, o, r, tp = inp.in_house, inp.outsourced, inp.reserve, inp.temps
    constant = 0.0
    coefs: list[float] = []
    cols: list = []

    def add(c: list[float], var: pyo.Var) -> None:
        coefs.extend(c)
        cols.extend(var.values())

    if hasattr(m, "x") and ih.salaried:
        constant, per_hire = salaried_pay(inp, lay)
        add([ih.hire_cost + per_hire], m.hire)
    elif hasattr(m, "x"):
        add([ih.cost_per_paid_hour * sh.paid_hours for sh in lay.shifts], m.x)
        add([ih.hire_cost], m.hire)
    if hasattr(m, "b"):
        c = (o.price_per_hour + o.quality_cost_per_hour) * o.block * dt
        add([c] * lay.block_starts.size, m.b)
    if hasattr(m, "R"):
        add([r.cost_per_agent], m.R)
        hours = lay.callout.hours_factor * dt * (r.activation_per_hour + r.quality_cost_per_hour)
        add(lay.u_cols.weights(p, hours).tolist(), m.u)
    if hasattr(m, "v"):
        hours = lay.surge.hours_factor * dt * (o.surge_price_per_hour + o.quality_cost_per_hour)
        add(lay.v_cols.weights(p, hours).tolist(), m.v)
    if hasattr(m, "w"):
        c = dt * (tp.price_per_hour + tp.quality_cost_per_hour)
        add(lay.w_cols.weights(p, np.full(lay.temp_intervals.size, c)).tolist(), m.w)
    c = dt * inp.shortfall_penalty_per_hour
    if not inp.hard_coverage:  # q_{ω,t} at ω·T + t: p_ω·c for each of ω's intervals
        add(np.repeat(p * c, n).tolist(), m.q)
    if hasattr(m, "gh"):  # in-house agents missing from their own row, priced alike
        steps = shortfall_steps(inp.in_house_requirement, p)
        constant += c * steps.expected
        add([-c * w for w in steps.weight.tolist()], m.gh)
    expr = LinearExpression(constant=constant, linear_coefs=coefs, linear_vars=cols)
    m.cost = pyo.Objective(expr=expr, sense=pyo.minimize)
