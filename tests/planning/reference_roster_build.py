"""Frozen reference: planning.roster.assign.build as it stood before building a person's
rule rows as one block (main 523d4fa; _Rows and build copied verbatim apart from
imports). tests/planning/test_roster_build.py checks that today's build gives the same
HiGHS model array for array. Not used by the package."""

# ruff: noqa
from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

import importlib

_A = importlib.import_module("planning.roster.assign")
AVOID_COST, ELASTIC_COST, UNFILLED_COST = _A.AVOID_COST, _A.ELASTIC_COST, _A.UNFILLED_COST
_eligible, _fair_share, _person_rows, _templates = (_A._eligible, _A._fair_share,
                                                    _A._person_rows, _A._templates)
from planning.roster.inputs import RosterInputs


@dataclass
class _Rows:
    """A growing CSR matrix."""

    start: list[int]
    index: list[np.ndarray]
    value: list[np.ndarray]
    lower: list[float]
    upper: list[float]
    person: list[int]  # -1 for coverage rows
    nnz: int = 0

    def add(self, cols: np.ndarray, vals: np.ndarray, lo: float, hi: float, p: int) -> None:
        self.start.append(self.nnz)
        self.index.append(cols)
        self.value.append(vals)
        self.lower.append(lo)
        self.upper.append(hi)
        self.person.append(p)
        self.nnz += len(cols)


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
            cache[key] = _person_rows(inp, templ, cmap - off, person)
        for cs, vals, hi, rule, days in cache[key]:
            rows.add(cs + off, vals, -np.inf, hi, p)
            if elastic and rule != "one_shift_a_day":
                slacks.append((p, rule, days, len(rows.upper) - 1))
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
    index = list(rows.index)
    value = list(rows.value)
    if slacks:  # slack j enters its row with −1: Σ a·y − s ≤ hi (coverage: Σ y + s = n)
        extra_i = {r: n_y + n_over + j for j, (_, _, _, r) in enumerate(slacks)}
        for r, c in extra_i.items():
            index[r] = np.append(index[r], c)
            value[r] = np.append(value[r], 1.0 if rows.person[r] < 0 else -1.0)
    lengths = np.array([len(x) for x in index], dtype=np.int64)
    a = lp.a_matrix_
    a.format_ = highspy.MatrixFormat.kRowwise
    a.num_col_, a.num_row_ = n_col, lp.num_row_
    a.start_ = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    a.index_ = np.concatenate(index).astype(np.int32) if index else np.zeros(0, np.int32)
    a.value_ = np.concatenate(value).astype(np.float64) if value else np.zeros(0)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_y + \
        [highspy.HighsVarType.kContinuous] * (n_over + len(slacks))
    return lp, col, slacks


