"""Give the mix plan's shifts to people, in two phases: a roster keeping every rule, then
the hours spread fairly.

Phase 1 builds the roster one day at a time in time order, each day an exact linear
assignment whose costs look ahead (planning.roster.ahead.construct_ahead: the days ahead
priced, tomorrow's rest; a tenth of a second on the flagship); where that leaves a place
unfilled, the most-crowded-days-first build (planning.roster.days.construct), then HiGHS's
feasibility heuristics on the assignment MILP below (fair-share rows out, presolve off),
stopped at its first roster within FIRST_NODES nodes. Phase 2 (:func:`fairer`) re-gives one day at a time with every other day fixed,
each day exactly (planning.roster.days.improve), until no day improves the fair-share
objective below; a small model (≤ MILP_BINARIES) also gets the old two-phase MILP and
keeps the fairer roster. No step depends on the clock: same plan, same roster — HiGHS runs
under work limits (nodes, its first roster), its wall-clock limit only a guard whose expiry
raises RosterTimeout.

The assignment MILP, solved by HiGHS (highspy):

y_{p,k} ∈ {0,1}: person p works planned shift k (only where p is employed and available).

    coverage        Σ_p y_{p,k} = n_k                         for every planned shift k
    one a day       Σ_{k on d} y_{p,k} ≤ 1
    rest            Σ_{k ∈ A∪B} y_{p,k} ≤ 1                   threshold cuts (inputs.rest_cuts)
    consecutive     Σ_{k on d..d+C} y_{p,k} ≤ C               C = max_consecutive_days
    nights          Σ_{k night, on d..d+N} y_{p,k} ≤ N        N = max_nights_in_a_row
    weekly hours    Σ_{k on d..d+6} paid_k·y_{p,k} ≤ H         every 7 consecutive dates
    days per block  Σ_{k in block B} y_{p,k} ≤ D               the mix's 7-day blocks
    salaried hours  Σ_{k in B} paid_k·y_{p,k} ≤ W·min(D, employed days of B)/D
    fair share      Σ_k paid_k·y_{p,k} − o_p ≤ s_p,  o_p ≥ 0   s_p: p's share of the hours

min Σ_p o_p + Σ_{p,k} c_{p,k}·y_{p,k} (c: a pattern the person asked to avoid). The coverage
rows are equalities, so a roster this returns gives exactly the coverage the plan counts
(tests sum it from roster.csv). When no roster keeps every rule, the elastic model
(each per-person rule row may be exceeded at a large cost) says which rule, whom and
which days (planning.roster.check) — the rule is reported, never silently broken.

Built as flat CSR arrays (numpy) and passed to HiGHS in one call: the ten-fold flagship
(1,100 people) has ~10⁵ binaries, beyond what a Pyomo build does quickly.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np

from planning.roster.ahead import construct_ahead
from planning.roster.check import Violation, block_hours_cap, violations
from planning.roster.days import construct, improve, layout, score
from planning.roster.inputs import Person, RosterInputs, rest_conflicts

ELASTIC_COST = 1e4  # per unit a rule row is exceeded (only when no roster keeps every rule)
UNFILLED_COST = 1e6  # per place of a planned shift left empty (the plan's coverage first)
FAIR_NODES = 20  # the fair-share MILP stops after this many branch-and-bound nodes
MILP_BINARIES = 1000  # … and runs only for models this small (see _small)
AVOID_COST = 1.0  # per shift of a pattern the person asked to avoid (one hour of unfairness)
FIRST_NODES = 2000  # the feasibility search's work limit (branch-and-bound nodes)
ELASTIC_NODES = 200  # … and the elastic model's
STALL_S = 1800.0  # wall-clock guard only: reaching it is an error, never a different roster


class RosterTimeout(RuntimeError):
    """HiGHS hit the wall-clock guard before its work limit: no roster is returned (one
    made under a clock would depend on the machine's load)."""


@dataclass(frozen=True)
class RosterResult:
    """Per person (``inp.people`` order) the planned-shift positions they work, time order.

    status: ``optimal`` | ``feasible`` (HiGHS's work limit, a roster keeping every rule)
    | ``rules_broken`` (HiGHS proved no roster keeps every rule, or found none within
    FIRST_NODES nodes: see ``violations``)."""

    schedules: list[list[int]]
    status: str
    violations: list[Violation]
    build_s: float
    solve_s: float

    def coverage(self, inp: RosterInputs) -> np.ndarray:
        """People on the queue per interval, summed from the schedules."""
        out = np.zeros(inp.n_intervals, dtype=np.int64)
        for mine in self.schedules:
            for k in mine:
                out[list(inp.shifts[k].cover)] += 1
        return out


@dataclass
class _Rows:
    """A growing CSR matrix, appended a row or a block of rows at a time (a person's rule
    rows are one block: one array operation per person, not one per row)."""

    index: list[np.ndarray]  # column indices, block by block
    value: list[np.ndarray]
    length: list[np.ndarray]  # entries per row, block by block
    lower: list[float]
    upper: list[float]
    person: list[int]  # -1 for coverage rows

    def add(self, cols: np.ndarray, vals: np.ndarray, lo: float, hi: float, p: int) -> None:
        self.add_block(cols, vals, np.array([len(cols)], np.int64), [lo], [hi], p)

    def add_block(self, cols: np.ndarray, vals: np.ndarray, lengths: np.ndarray,
                  lo: list[float], hi: list[float], p: int) -> None:
        self.index.append(cols)
        self.value.append(vals)
        self.length.append(lengths)
        self.lower.extend(lo)
        self.upper.extend(hi)
        self.person.extend([p] * len(lengths))

    def __len__(self) -> int:
        return len(self.upper)


def _templates(inp: RosterInputs) -> list[tuple[np.ndarray, np.ndarray, float, str, tuple]]:
    """Per-person rule rows over planned-shift positions: (positions, coefficients,
    upper bound, rule, days); the salaried block rows get their bound per person."""
    r, sh = inp.rules, inp.shifts
    day = np.array([s.day for s in sh], dtype=np.int64)
    paid = np.array([s.paid_hours for s in sh], dtype=np.float64)
    night = np.array([inp.is_night(s) for s in sh], dtype=bool)
    ones = np.ones(len(sh))
    out = []

    def window(d0: int, d1: int, mask: np.ndarray | None = None) -> np.ndarray:
        sel = (day >= d0) & (day <= d1)
        return np.flatnonzero(sel if mask is None else sel & mask)

    for d in range(inp.days):
        ks = window(d, d)
        if len(ks) > 1:
            out.append((ks, ones[ks], 1.0, "one_shift_a_day", (d,)))
    for a, b in rest_conflicts(inp):
        ks = np.array(sorted(a + b), dtype=np.int64)
        out.append((ks, ones[ks], 1.0, "min_rest_hours", (sh[a[0]].day, sh[b[0]].day)))
    c = r.max_consecutive_days
    for d in range(inp.days - c):
        ks = window(d, d + c)
        if len({int(x) for x in day[ks]}) > c:
            out.append((ks, ones[ks], float(c), "max_consecutive_days", (d, d + c)))
    n = r.max_nights_in_a_row
    for d in range(inp.days - n):
        ks = window(d, d + n, night)
        if len({int(x) for x in day[ks]}) > n:
            out.append((ks, ones[ks], float(n), "max_nights_in_a_row", (d, d + n)))
    for d in range(max(inp.days - 6, 1)):
        ks = window(d, d + 6)
        if len(ks):
            out.append((ks, paid[ks], r.max_paid_hours_per_week, "max_paid_hours_per_week",
                        (d, min(d + 6, inp.days - 1))))
    for b0 in range(0, inp.days, 7):
        ks = window(b0, b0 + 6)
        if len({int(x) for x in day[ks]}) > r.max_days_per_week:
            out.append((ks, ones[ks], float(r.max_days_per_week), "max_days_per_week",
                        (b0, min(b0 + 6, inp.days - 1))))
        if r.block_paid_hours is not None and len(ks):
            out.append((ks, paid[ks], np.nan, "paid_hours_per_week",
                        (b0, min(b0 + 6, inp.days - 1))))
    return out


def _eligible(inp: RosterInputs) -> np.ndarray:
    """(people, shifts) bool: employed that day and not unavailable."""
    day = np.array([s.day for s in inp.shifts], dtype=np.int64)
    out = np.zeros((len(inp.people), len(inp.shifts)), dtype=bool)
    for p, person in enumerate(inp.people):
        ok = day >= person.first_day
        for d in person.unavailable:
            ok &= day != d
        out[p] = ok
    return out


def _fair_share(inp: RosterInputs, elig: np.ndarray) -> np.ndarray:
    """Each person's share of the planned paid hours, by the days they can work."""
    total = sum(s.paid_hours * s.count for s in inp.shifts)
    days = np.array([sum(1 for d in range(inp.days) if d >= q.first_day and
                         d not in q.unavailable) for q in inp.people], dtype=np.float64)
    return total * days / max(days.sum(), 1.0)


def build(inp: RosterInputs, elastic: bool = False, fair: bool = True
          ) -> tuple[highspy.HighsLp, np.ndarray, list[tuple]]:
    """The model as one HighsLp; returns it with the column map (people, shifts) → column
    (−1 where not eligible) and, elastic, the (person, rule, days) of each slack column.
    ``fair`` False leaves out the fair-share rows (the feasibility phase)."""
    k_n, p_n = len(inp.shifts), len(inp.people)
    elig = _eligible(inp)
    col = np.full((p_n, k_n), -1, dtype=np.int64)
    col[elig] = np.arange(int(elig.sum()))
    n_y = int(elig.sum())
    n_over = p_n if fair else 0
    cost = np.zeros(n_y + n_over)
    cost[n_y:] = 1.0
    for p, person in enumerate(inp.people):
        if person.avoid:
            for k, s in enumerate(inp.shifts):
                if s.pattern in person.avoid and col[p, k] >= 0:
                    cost[col[p, k]] += AVOID_COST
    rows = _Rows([], [], [], [], [], [])
    slacks: list[tuple] = []
    for k, s in enumerate(inp.shifts):
        cs = col[:, k][col[:, k] >= 0]
        rows.add(cs, np.ones(len(cs)), float(s.count), float(s.count), -1)
        if elastic:  # a shift nobody can take (more people needed than available)
            slacks.append((-1, "coverage", (s.day,), len(rows.upper) - 1))
    share = _fair_share(inp, elig)
    templ = _templates(inp)
    paid = np.array([s.paid_hours for s in inp.shifts])
    cache: dict[tuple, list[tuple]] = {}  # people alike (first day, days off) share rows
    for p, person in enumerate(inp.people):
        cmap = col[p]
        ks = np.flatnonzero(cmap >= 0)
        if not len(ks):
            continue
        off = int(cmap[ks[0]])
        key = (person.first_day, person.unavailable)
        if key not in cache:
            mine = _person_rows(inp, templ, cmap - off, person)
            cache[key] = (mine, _block(mine))
        mine, (cs, vals, lengths, his) = cache[key]
        first_row = len(rows)
        rows.add_block(cs + off, vals, lengths, [-np.inf] * len(his), his, p)
        if elastic:
            slacks.extend((p, rule, days, first_row + j)
                          for j, (_, _, _, rule, days) in enumerate(mine)
                          if rule != "one_shift_a_day")
        if fair:
            rows.add(np.append(cmap[ks], n_y + p), np.append(paid[ks], -1.0), -np.inf,
                     float(share[p]), p)
    n_col = n_y + n_over + len(slacks)
    lp = highspy.HighsLp()
    lp.num_col_ = n_col
    lp.num_row_ = len(rows.upper)
    lp.col_cost_ = np.concatenate([cost, [UNFILLED_COST if sl[0] < 0 else ELASTIC_COST
                                          for sl in slacks]])
    lp.col_lower_ = np.zeros(n_col)
    lp.col_upper_ = np.concatenate([np.ones(n_y), np.full(n_over + len(slacks), highspy.kHighsInf)])
    lp.row_lower_ = np.where(np.isinf(rows.lower), -highspy.kHighsInf, rows.lower)
    lp.row_upper_ = np.array(rows.upper)
    index = np.concatenate(rows.index) if rows.index else np.zeros(0, np.int64)
    value = np.concatenate(rows.value) if rows.value else np.zeros(0)
    lengths = np.concatenate(rows.length) if rows.length else np.zeros(0, np.int64)
    if slacks:  # slack j enters its row with −1: Σ a·y − s ≤ hi (coverage: Σ y + s = n),
        # as the row's last entry (inserted in row order: a stable insert keeps it so
        # where rows are empty)
        r = np.array([sl[3] for sl in slacks], np.int64)
        ends = np.cumsum(lengths)[r]
        index = np.insert(index, ends, n_y + n_over + np.arange(len(slacks)))
        value = np.insert(value, ends, np.where(np.asarray(rows.person)[r] < 0, 1.0, -1.0))
        lengths = lengths.copy()
        lengths[r] += 1
    a = lp.a_matrix_
    a.format_ = highspy.MatrixFormat.kRowwise
    a.num_col_, a.num_row_ = n_col, lp.num_row_
    a.start_ = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    a.index_ = index.astype(np.int32)
    a.value_ = value.astype(np.float64)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_y + \
        [highspy.HighsVarType.kContinuous] * (n_over + len(slacks))
    return lp, col, slacks


def _block(mine: list[tuple]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[float]]:
    """A person's rule rows (:func:`_person_rows`) as one block: columns and coefficients
    laid end to end, entries per row, upper bounds."""
    if not mine:
        return np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.int64), []
    return (np.concatenate([r[0] for r in mine]), np.concatenate([r[1] for r in mine]),
            np.array([len(r[0]) for r in mine], np.int64), [r[2] for r in mine])


def _person_rows(inp: RosterInputs, templ: list[tuple], cmap: np.ndarray, person: Person
                 ) -> list[tuple]:
    """One person's rule rows over their columns (``cmap``: shift → column, −1 where not
    eligible); rows that cannot bind for them are left out."""
    out = []
    for ks, vals, hi, rule, days in templ:
        cs = cmap[ks]
        keep = cs >= 0
        if keep.sum() == 0:
            continue
        if np.isnan(hi):
            hi = block_hours_cap(inp, person.first_day, range(days[0], days[1] + 1))
        if rule != "one_shift_a_day" and vals[keep].sum() <= hi + 1e-9:
            continue  # cannot bind for this person
        out.append((cs[keep], vals[keep], float(hi), rule, days))
    return out


def _solve(lp: highspy.HighsLp, time_limit_s: float, threads: int | None,
           start: np.ndarray | None = None, presolve: bool = True,
           max_nodes: int | None = None, gap: float = 0.05, first: bool = False,
           strict: bool = False) -> tuple[str, np.ndarray | None]:
    """Run HiGHS on ``lp``. ``max_nodes`` is a work limit (the same answer however loaded
    the machine); ``first`` stops at the first roster found; ``strict`` makes the clock
    (``time_limit_s``) a guard only: reaching it raises :class:`RosterTimeout`."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    if max_nodes is not None:
        h.setOptionValue("mip_max_nodes", int(max_nodes))
    if first:
        h.setOptionValue("mip_max_improving_sols", 1)
    if not presolve:  # the feasibility phase: presolve costs more than it saves here
        h.setOptionValue("presolve", "off")
    h.setOptionValue("time_limit", float(time_limit_s))
    h.setOptionValue("mip_rel_gap", float(gap))
    h.setOptionValue("random_seed", 7)
    if threads:
        h.setOptionValue("threads", int(threads))
    h.passModel(lp)
    if start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = list(start)
        sol.value_valid = True
        h.setSolution(sol)
    ran = h.run()
    status = h.getModelStatus()
    if strict and ran == highspy.HighsStatus.kError:  # e.g. a thread count HiGHS refuses
        raise RuntimeError(f"the roster's solver (HiGHS) failed: {h.modelStatusToString(status)}")
    if strict and status == highspy.HighsModelStatus.kTimeLimit:
        raise RosterTimeout(
            f"the roster's solver (HiGHS, {lp.num_col_:,} columns) ran past its "
            f"{time_limit_s:g} s guard before its work limit of {max_nodes} nodes; a roster "
            "cut off by the clock would depend on the machine's load, so none is given — "
            "run again on a less loaded machine or raise the guard (time_limit_s)")
    has = h.getInfo().primal_solution_status == 2  # kSolutionStatusFeasible
    x = np.asarray(h.getSolution().col_value) if has else None
    if status == highspy.HighsModelStatus.kOptimal:
        return "optimal", x
    if status in (highspy.HighsModelStatus.kInfeasible,):
        return "infeasible", None
    return ("feasible" if x is not None else "no_solution"), x


def _schedules(inp: RosterInputs, col: np.ndarray, x: np.ndarray) -> list[list[int]]:
    out = []
    for p in range(len(inp.people)):
        ks = [k for k in np.flatnonzero(col[p] >= 0).tolist() if x[col[p, k]] > 0.5]
        out.append(sorted(ks, key=lambda k: inp.shifts[k].start))
    return out


def _fair_enough(inp: RosterInputs, sched: list[list[int]]) -> bool:
    """Nobody is more than one shift's paid hours above their fair share."""
    share = _fair_share(inp, _eligible(inp))
    longest = max((s.paid_hours for s in inp.shifts), default=0.0)
    hours = np.array([sum(inp.shifts[k].paid_hours for k in mine) for mine in sched])
    return bool(np.all(hours - share <= longest + 1e-9))


def _work(inp: RosterInputs, sched: list[list[int]]) -> np.ndarray:
    """(people, days): the shift position each person works that day, −1 off."""
    out = np.full((len(inp.people), inp.days), -1, dtype=np.int64)
    for p, mine in enumerate(sched):
        for k in mine:
            out[p, inp.shifts[k].day] = k
    return out


def _from_work(inp: RosterInputs, work: np.ndarray) -> list[list[int]]:
    return [sorted((int(k) for k in row if k >= 0), key=lambda k: inp.shifts[k].start)
            for row in work]


def _fair_milp(inp: RosterInputs, sched: list[list[int]], time_s: float,
               threads: int | None) -> list[list[int]]:
    """The fair-share MILP started from ``sched`` for FAIR_NODES branch-and-bound nodes
    (``time_s`` only guards against a stall); ``sched`` if nothing better comes."""
    lp, col, _ = build(inp, fair=True)
    n_y = int((col >= 0).sum())
    share = _fair_share(inp, _eligible(inp))
    start = np.zeros(lp.num_col_)
    for p, mine in enumerate(sched):
        start[col[p, mine]] = 1.0
        start[n_y + p] = max(0.0, sum(inp.shifts[k].paid_hours for k in mine) - share[p])
    _, x = _solve(lp, time_s, threads, start, max_nodes=FAIR_NODES, strict=True)
    return sched if x is None else _schedules(inp, col, x)


def _small(inp: RosterInputs) -> bool:
    """A model of at most MILP_BINARIES binaries: HiGHS's root there took at most ~6 s of
    CPU on random problems (the flagship's 17,000 binaries take it past 30 s without a
    better roster; 2,000 already reach 30 s), so the node limit ends it, not the clock."""
    return int(_eligible(inp).sum()) <= MILP_BINARIES


def fairer(inp: RosterInputs, sched: list[list[int]], time_s: float = STALL_S,
           threads: int | None = None, time_limit_s: float = STALL_S) -> list[list[int]]:
    """Phase 2: the hours spread fairly without breaking a rule or the coverage. Each day's
    shifts are given out again with every other day fixed — an exact linear assignment per
    day (planning.roster.days.improve) — pass after pass until no day improves. A small
    model (:func:`_small`) also gets the two-phase MILP (HiGHS's feasibility roster, then
    the fair-share MILP for FAIR_NODES nodes) followed by the same descent, and the fairer
    of the two is kept (nobody more than a shift above share first, then the objective) — so there the roster is never less fair than the MILP's alone.
    No step can make a roster less fair (Σ paid hours above share + avoided shifts never
    rises), and none depends on the clock."""
    elig = _eligible(inp)
    lay = layout(inp, elig, _fair_share(inp, elig))
    best = improve(lay, _work(inp, sched))
    if time_s > 0 and _small(inp):
        lp, col, _ = build(inp, fair=False)
        _, x = _solve(lp, time_limit_s, threads, presolve=False, max_nodes=FIRST_NODES,
                      first=True, strict=True)
        if x is not None:
            first = _schedules(inp, col, x)
            if not _fair_enough(inp, first):
                first = _fair_milp(inp, first, time_s, threads)
            other = improve(lay, _work(inp, first))

            def key(work: np.ndarray) -> tuple:
                return (not _fair_enough(inp, _from_work(inp, work)), score(lay, work))

            if key(other) < key(best):
                best = other
    return _from_work(inp, best)


def _first(inp: RosterInputs, time_limit_s: float, threads: int | None
           ) -> tuple[list[list[int]] | None, str, float, float]:
    """Phase 1: a roster keeping every rule — built day by day, looking ahead
    (planning.roster.ahead), else the most crowded days first (planning.roster.days), or,
    where both leave a place unfilled, HiGHS's first roster on the assignment model
    (presolve off, FIRST_NODES nodes). Returns (schedules or None, status, build s,
    solve s)."""
    t0 = time.perf_counter()
    elig = _eligible(inp)
    lay = layout(inp, elig, _fair_share(inp, elig))
    for build_days in (construct_ahead, construct):
        work = build_days(lay)
        if work is not None:
            sched = _from_work(inp, work)
            if not violations(inp, sched):
                return sched, "optimal", 0.0, time.perf_counter() - t0
    t1 = time.perf_counter()
    lp, col, _ = build(inp, fair=False)
    t2 = time.perf_counter()
    status, x = _solve(lp, time_limit_s, threads, presolve=False, max_nodes=FIRST_NODES,
                       first=True, strict=True)
    sched = _schedules(inp, col, x) if x is not None else None
    return sched, status, t2 - t1, (t1 - t0) + time.perf_counter() - t2


def assign(inp: RosterInputs, time_limit_s: float = STALL_S, threads: int | None = None,
           fair_time_s: float = STALL_S) -> RosterResult:
    """Every planned shift to exactly ``count`` people under every rule (phase 1: any such
    roster, :func:`_first`; phase 2: hours spread fairly, :func:`fairer`, whose MILP step
    ``fair_time_s`` guards); when impossible, the fewest rule breaks (``violations``).
    ``time_limit_s``/``fair_time_s`` only guard HiGHS against a stall (RosterTimeout):
    the roster never depends on them."""
    t0 = time.perf_counter()
    sched, status, build_s, solve_s = _first(inp, time_limit_s, threads)
    if sched is not None:
        t1 = time.perf_counter()
        sched = fairer(inp, sched, fair_time_s, threads, time_limit_s)
        solve_s += time.perf_counter() - t1
        return RosterResult(sched, status, violations(inp, sched), build_s, solve_s)
    t1 = time.perf_counter()
    lp, col, _ = build(inp, elastic=True)
    t2 = time.perf_counter()
    status, x = _solve(lp, time_limit_s, threads, max_nodes=ELASTIC_NODES, strict=True)
    build_s += t2 - t1
    solve_s = time.perf_counter() - t0 - build_s
    sched = [[] for _ in inp.people] if x is None else _schedules(inp, col, x)
    return RosterResult(sched, "rules_broken", violations(inp, sched), build_s, solve_s)
