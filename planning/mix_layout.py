"""Index layout of the mix model: which decisions exist and which intervals each covers.

Computed once from the inputs by plain Python and shared by the model builder
(planning.mix_model) and the solution reader (planning.mix), so that no information has to
ride on the Pyomo model.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from planning.information import columns, decision_groups
from planning.mix_inputs import MixInputs
from planning.shifts import ShiftInstance, shift_instances


@dataclass(frozen=True)
class Blocks:
    """Recourse blocks aligned on multiples of ``length``: block k covers [start_k, end_k)."""

    length: int
    starts: np.ndarray  # int, first interval of each usable block
    ends: np.ndarray  # int, one past the last interval (clipped to the horizon)
    of_interval: np.ndarray  # int per interval: its block's position in starts, −1 if none

    @property
    def hours_factor(self) -> np.ndarray:
        """Intervals in each block (the paid length)."""
        return (self.ends - self.starts).astype(np.float64)


def aligned_blocks(length: int, first: int, n: int) -> Blocks:
    """Blocks [k·L, (k+1)·L) that start at or after ``first`` (a notice lead time)."""
    starts = np.arange(0, n, length)
    starts = starts[starts >= first]
    ends = np.minimum(starts + length, n)
    of = np.full(n, -1, dtype=np.int64)
    for k, (s, e) in enumerate(zip(starts, ends, strict=True)):
        of[s:e] = k
    return Blocks(length, starts.astype(np.int64), ends.astype(np.int64), of)


@dataclass(frozen=True)
class Columns:
    """Recourse decision columns under non-anticipativity (planning.information):
    ``of[s, k]`` is the column of scenario s's decision k; scenarios that cannot be told
    apart when decision k is due share its column."""

    of: np.ndarray  # (S, K) int
    count: int

    def weights(self, probabilities: np.ndarray, per_decision: np.ndarray) -> np.ndarray:
        """Σ over (s, k) mapped to each column of p_s·per_decision[k] (objective terms)."""
        out = np.zeros(self.count)
        np.add.at(out, self.of, probabilities[:, None] * per_decision[None, :])
        return out

    def expand(self, column_values: np.ndarray) -> np.ndarray:
        """Column values → (S, K) per scenario and decision."""
        return np.asarray(column_values, dtype=np.float64)[self.of]


def recourse_columns(inp: MixInputs, decide_at: np.ndarray) -> Columns:
    groups = decision_groups(inp.volume, decide_at, len(inp.cases), inp.information_z)
    of, count = columns(groups)
    return Columns(of, count)


@dataclass(frozen=True)
class MixLayout:
    shifts: list[ShiftInstance]
    shift_days: int
    week_blocks: list[list[int]]  # days of each 7-day block of the horizon
    block_starts: np.ndarray  # outsourced contracted block starts
    surge: Blocks | None
    callout: Blocks | None
    temp_intervals: np.ndarray  # intervals where temps may work
    u_cols: Columns | None = None  # reserve call-outs (S × callout blocks)
    v_cols: Columns | None = None  # surge seats (S × surge blocks)
    w_cols: Columns | None = None  # temps (S × temp intervals)


def decision_times(inp: MixInputs, lay: MixLayout) -> dict[str, np.ndarray]:
    """Interval at which each recourse decision is taken (its start − the lever's notice),
    per recourse variable of planning.mix_model ("u" call-outs, "v" surge, "w" temps)."""
    out: dict[str, np.ndarray] = {}
    if lay.callout is not None:
        out["u"] = lay.callout.starts - inp.reserve.notice
    if lay.surge is not None:
        out["v"] = lay.surge.starts - inp.outsourced.surge_notice
    if lay.temp_intervals.size:
        out["w"] = lay.temp_intervals - inp.temps.notice
    return out


def mix_layout(inp: MixInputs) -> MixLayout:
    """The decision index sets for ``inp`` (see planning.mix_model for their meaning)."""
    n = inp.n_intervals
    per_day = inp.intervals_per_day
    shifts = shift_instances(inp.in_house, n, per_day) if inp.in_house else []
    days = -(-n // per_day)
    weeks = [list(range(d, min(d + 7, days))) for d in range(0, days, 7)]
    o = inp.outsourced
    if o is not None and o.capacity > 0:
        block_starts = np.arange(0, n, o.block_step)
        block_starts = block_starts[block_starts >= o.available_from]
    else:
        block_starts = np.zeros(0, dtype=np.int64)
    surge = None
    if o is not None and o.surge_capacity > 0:
        surge = aligned_blocks(o.block, max(o.surge_from, 0), n)
    r = inp.reserve
    callout = aligned_blocks(r.callout, r.available_from, n) if r and r.max_size > 0 else None
    tp = inp.temps
    temp_iv = (np.arange(tp.available_from, n) if tp and tp.capacity > 0
               else np.zeros(0, dtype=np.int64))
    lay = MixLayout(shifts, days, weeks, block_starts.astype(np.int64), surge, callout,
                    temp_iv.astype(np.int64))
    cols = {f"{name}_cols": recourse_columns(inp, d)
            for name, d in decision_times(inp, lay).items()}
    return replace(lay, **cols)
