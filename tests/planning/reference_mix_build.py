"""A frozen copy of the mix model's build and hand-off before the fourth pass of issue 25
(planning/mix_model.py's builders and planning/linear_form.py's compile and HiGHS arrays
at main b946ba2), kept as the reference the faster build is compared with array by array
(tests/planning/test_mix_build.py, benchmarks/bench_mix_build.py). Do not edit: it is
the old code as it was, including its Python sum chains and its walk of every row.

The helpers that did not change (mix_layout, monotone_pairs, shortfall_steps,
block_paid_hours, salaried_pay, _block_windows, the roster rules) are imported from the
package rather than copied.
"""

from __future__ import annotations

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC
from pyomo.repn.linear import LinearRepnVisitor

from planning.linear_form import INF, LinearForm
from planning.mix_inputs import MixInputs
from planning.mix_layout import MixLayout, decision_times, mix_layout
from planning.mix_model import (
    _block_windows,
    block_paid_hours,
    monotone_pairs,
    salaried_pay,
    shortfall_steps,
)
from planning.roster.mix_rules import add_roster_rules


def build_model(inp: MixInputs, lay: MixLayout | None = None) -> pyo.ConcreteModel:
    """The whole model, one constraint family per call (a table of contents)."""
    lay = lay or mix_layout(inp)
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

    def day_rule(m: pyo.ConcreteModel, d: int) -> object:
        hires = m.hire if d >= hire_day else 0
        return sum(m.x[i] for i in by_day[d]) <= m.hb + hires

    m.headcount_per_day = pyo.Constraint(range(lay.shift_days), rule=day_rule)

    def week_rule(m: pyo.ConcreteModel, w: int) -> object:
        days = lay.week_blocks[w]
        d_all = min(ih.max_days_per_week, len(days))
        d_hire = min(ih.max_days_per_week, sum(1 for d in days if d >= hire_day))
        return (sum(m.x[i] for d in days for i in by_day[d])
                <= d_all * m.hb + d_hire * m.hire)

    m.days_off = pyo.Constraint(range(len(lay.week_blocks)), rule=week_rule)
    if ih.salaried:
        def hours_rule(m: pyo.ConcreteModel, w: int) -> object:
            days = lay.week_blocks[w]
            per, per_hire = block_paid_hours(inp, days, hire_day)
            return (sum(lay.shifts[i].paid_hours * m.x[i] for d in days for i in by_day[d])
                    <= per * m.hb + per_hire * m.hire)

        m.paid_hours = pyo.Constraint(range(len(lay.week_blocks)), rule=hours_rule)


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
    m.outsourced_capacity = pyo.Constraint(
        [t for t in range(inp.n_intervals) if len(windows[t]) > 1],
        rule=lambda m, t: sum(m.b[k] for k in windows[t]) <= o.capacity)


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

    def rule(m: pyo.ConcreteModel, t: int) -> object:
        expr = 0
        if has_x and cover[t]:
            expr = eta_h * sum(m.x[i] for i in cover[t])
        if has_b and windows[t]:
            expr = expr + eta_o * sum(m.b[k] for k in windows[t])
        return m.F[t] == expr

    m.first_stage_coverage = pyo.Constraint(range(n), rule=rule)


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
    m.reserve_show_up = pyo.Constraint(range(cols.count),
                                       rule=lambda m, j: m.u[j] <= r.show_up * m.R)
    if r.max_hours_per_agent is not None:
        hours = c.hours_factor * inp.interval_h
        m.reserve_hours = pyo.Constraint(range(len(inp.cases)), rule=lambda m, s: (
            sum(float(hours[k]) * m.u[int(cols.of[s, k])] for k in range(hours.size))
            <= r.max_hours_per_agent * r.show_up * m.R))


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
        var = getattr(m, name)
        pairs = monotone_pairs(vol, d, getattr(lay, f"{name}_cols").of)
        if not pairs:
            continue

        def rule(m: pyo.ConcreteModel, j: int, var=var, pairs=pairs) -> object:
            a, b, tie = pairs[j]
            return var[a] == var[b] if tie else var[a] <= var[b]

        setattr(m, f"{name}_monotone", pyo.Constraint(range(len(pairs)), rule=rule))


def add_coverage(m: pyo.ConcreteModel, inp: MixInputs, lay: MixLayout) -> None:
    """For every scenario ω and interval t with a requirement ρ_{ω,t} > 0:

    F_t + η_R·u_{ω,k_R(t)} + η_O·v_{ω,k_S(t)} + η_T·w_{ω,t} + q_{ω,t} ≥ ρ_{ω,t}
    """
    req = inp.requirement
    n = inp.n_intervals
    rows = [int(j) for j in np.flatnonzero(req.ravel() > 0)]
    eta_r = inp.reserve.productivity if inp.reserve else 0.0
    eta_o = inp.outsourced.productivity if inp.outsourced else 0.0
    eta_t = inp.temps.productivity if inp.temps else 0.0
    has_u, has_v, has_w = hasattr(m, "u"), hasattr(m, "v"), hasattr(m, "w")
    k_r = lay.callout.of_interval if has_u else None
    k_s = lay.surge.of_interval if has_v else None
    w_pos = np.full(n, -1, dtype=np.int64)
    w_pos[lay.temp_intervals] = np.arange(lay.temp_intervals.size)
    flat = req.ravel()

    def rule(m: pyo.ConcreteModel, j: int) -> object:
        s, t = divmod(j, n)
        expr = m.F[t] + m.q[j]
        if has_u and k_r[t] >= 0:
            expr = expr + eta_r * m.u[int(lay.u_cols.of[s, k_r[t]])]
        if has_v and k_s[t] >= 0:
            expr = expr + eta_o * m.v[int(lay.v_cols.of[s, k_s[t]])]
        if has_w and w_pos[t] >= 0:
            expr = expr + eta_t * m.w[int(lay.w_cols.of[s, w_pos[t]])]
        return expr >= float(flat[j])

    m.coverage = pyo.Constraint(rows, rule=rule)


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
    m.in_house_on_duty = pyo.Constraint(
        used, rule=lambda m, t: m.H[t] == eta * sum(m.x[i] for i in cover[t]))
    m.gh = pyo.Var(range(steps.length.size), domain=pyo.NonNegativeReals,
                   bounds=lambda m, k: (0.0, float(steps.length[k])))
    at = dict(zip(used, range(len(used)), strict=True))

    def rule(m: pyo.ConcreteModel, t: int) -> object:
        i = at[t]
        return sum(m.gh[k] for k in range(steps.start[i], steps.start[i + 1])) <= m.H[t]

    m.in_house_steps = pyo.Constraint(used, rule=rule)


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
    rows = [int(j) for j in np.flatnonzero(req.ravel() > 0)]
    flat = req.ravel()
    m.chance_link = pyo.Constraint(
        rows, rule=lambda m, j: m.q[j] <= float(flat[j]) * m.z[j // n])
    p = inp.probabilities
    m.chance = pyo.Constraint(
        expr=sum(float(p[s]) * m.z[s] for s in range(n_w)) <= 1.0 - inp.chance_min_share + 1e-9)


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
    terms = []
    dt = inp.interval_h
    p = inp.probabilities
    n_w, n = len(inp.cases), inp.n_intervals
    ih, o, r, tp = inp.in_house, inp.outsourced, inp.reserve, inp.temps
    constant = 0.0
    if hasattr(m, "x") and ih.salaried:
        constant, per_hire = salaried_pay(inp, lay)
        terms.append((ih.hire_cost + per_hire, m.hire))
    elif hasattr(m, "x"):
        terms += [(ih.cost_per_paid_hour * sh.paid_hours, m.x[i])
                  for i, sh in enumerate(lay.shifts)]
        terms.append((ih.hire_cost, m.hire))
    if hasattr(m, "b"):
        c = (o.price_per_hour + o.quality_cost_per_hour) * o.block * dt
        terms += [(c, m.b[k]) for k in range(lay.block_starts.size)]
    if hasattr(m, "R"):
        terms.append((r.cost_per_agent, m.R))
        hours = lay.callout.hours_factor * dt * (r.activation_per_hour + r.quality_cost_per_hour)
        wts = lay.u_cols.weights(p, hours)
        terms += [(float(wts[j]), m.u[j]) for j in range(wts.size)]
    if hasattr(m, "v"):
        hours = lay.surge.hours_factor * dt * (o.surge_price_per_hour + o.quality_cost_per_hour)
        wts = lay.v_cols.weights(p, hours)
        terms += [(float(wts[j]), m.v[j]) for j in range(wts.size)]
    if hasattr(m, "w"):
        c = dt * (tp.price_per_hour + tp.quality_cost_per_hour)
        wts = lay.w_cols.weights(p, np.full(lay.temp_intervals.size, c))
        terms += [(float(wts[j]), m.w[j]) for j in range(wts.size)]
    c = dt * inp.shortfall_penalty_per_hour
    if not inp.hard_coverage:
        terms += [(float(p[s] * c), m.q[s * n + t]) for s in range(n_w) for t in range(n)]
    if hasattr(m, "gh"):  # in-house agents missing from their own row, priced alike
        steps = shortfall_steps(inp.in_house_requirement, p)
        constant += c * steps.expected
        terms += [(-c * float(w), m.gh[k]) for k, w in enumerate(steps.weight.tolist())]
    from pyomo.core.expr.numeric_expr import LinearExpression

    expr = LinearExpression(constant=constant, linear_coefs=[c for c, _ in terms],
                            linear_vars=[v for _, v in terms])
    m.cost = pyo.Objective(expr=expr, sense=pyo.minimize)


# ---- planning/linear_form.py (the compile and the HiGHS arrays)
def integrality(integer: np.ndarray) -> list:
    """HiGHS variable types from a boolean 'is integer' array."""
    kinds = (highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger)
    return [kinds[int(b)] for b in integer.tolist()]


def column_state(variables: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lower, upper, is integer) of ``variables`` as HiGHS sees them: the domain and
    bounds together (Var.bounds), ±inf for none, both at the value when fixed."""
    n = len(variables)
    lower = np.empty(n)
    upper = np.empty(n)
    integer = np.zeros(n, dtype=bool)
    for j, v in enumerate(variables):
        if v.fixed:
            lower[j] = upper[j] = v.value
        else:
            lb, ub = v.bounds  # domain and bounds together, one call
            lower[j] = -INF if lb is None else lb
            upper[j] = INF if ub is None else ub
        integer[j] = v.is_integer()
    return lower, upper, integer


def compile_linear(model: pyo.ConcreteModel) -> LinearForm:
    """The model as arrays (see the module docstring). Raises ValueError for a nonlinear
    term or anything but one active objective."""
    # the walk makes and drops many small objects: the collector would scan the whole
    # model's objects again and again (Pyomo's own writers pause it the same way)
    with PauseGC():
        return _compile(model)


def _compile(model: pyo.ConcreteModel) -> LinearForm:
    declared = list(model.component_data_objects(pyo.Var, descend_into=True))
    by_id = {id(v): v for v in declared}
    col_of: dict[int, int] = {}  # filled in order of first appearance
    fixed = [v for v in declared if v.fixed]
    for v in fixed:  # the walker folds fixed variables into constants: keep them columns
        v.unfix()
    try:
        walker = LinearRepnVisitor({})
        rows, start, index, value, lower, upper = [], [0], [], [], [], []
        for con in model.component_data_objects(pyo.Constraint, active=True,
                                                descend_into=True):
            lb, body, ub = con.to_bounded_expression(evaluate_bounds=True)
            if lb is None and ub is None:
                continue
            repn = walker.walk_expression(body)
            if repn.nonlinear is not None:
                raise ValueError(f"constraint {con.name} is not linear")
            const = float(repn.constant)
            for vid, coef in repn.linear.items():
                if coef:
                    index.append(col_of.setdefault(vid, len(col_of)))
                    value.append(coef)
            start.append(len(index))
            rows.append(con)
            lower.append(-INF if lb is None else float(lb) - const)
            upper.append(INF if ub is None else float(ub) - const)
        objectives = list(model.component_data_objects(pyo.Objective, active=True,
                                                       descend_into=True))
        if len(objectives) != 1:
            raise ValueError(f"the model has {len(objectives)} active objectives, not one")
        obj = objectives[0]
        repn = walker.walk_expression(obj.expr)
        if repn.nonlinear is not None:
            raise ValueError(f"objective {obj.name} is not linear")
        costs = [(col_of.setdefault(vid, len(col_of)), coef)
                 for vid, coef in repn.linear.items()]
        offset = float(repn.constant)
        for v in declared:
            col_of.setdefault(id(v), len(col_of))
        columns = [by_id[vid] for vid in col_of]
        cost = np.zeros(len(columns))
        for j, coef in costs:
            cost[j] += coef
    finally:
        for v in fixed:
            v.fix()
    return LinearForm(
        columns=columns, col_of=col_of, rows=rows,
        row_of={id(c): i for i, c in enumerate(rows)},
        start=np.asarray(start, dtype=np.int32),
        index=np.asarray(index, dtype=np.int32),
        value=np.asarray(value, dtype=np.float64),
        row_lower=np.asarray(lower, dtype=np.float64),
        row_upper=np.asarray(upper, dtype=np.float64),
        cost=cost, offset=offset, maximize=obj.sense == pyo.maximize)


def to_highs(self: LinearForm) -> highspy.HighsLp:
    """The HiGHS model: matrix, row bounds, costs, and the columns' current bounds
    and integrality read from the variables."""
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = self.n_cols, self.n_rows
    lp.col_cost_ = self.cost
    lp.offset_ = self.offset
    lp.sense_ = highspy.ObjSense.kMaximize if self.maximize else highspy.ObjSense.kMinimize
    lower, upper, integer = column_state(self.columns)
    lp.col_lower_, lp.col_upper_ = lower, upper
    lp.row_lower_, lp.row_upper_ = self.row_lower, self.row_upper
    # row-wise, as the persistent interface leaves it (HiGHS: the same model)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = self.n_cols, self.n_rows
    lp.a_matrix_.start_ = self.start
    lp.a_matrix_.index_ = self.index
    lp.a_matrix_.value_ = self.value
    if integer.any():
        lp.integrality_ = integrality(integer)
    return lp
