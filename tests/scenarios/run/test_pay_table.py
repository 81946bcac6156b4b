"""The pay-period table, built a column at a time, against the code it replaced.

Reference: the cell-at-a-time table (frozen below as it was: sim.tables' agent rows, each
additive cell times the agent's scale) on a synthetic agent KPI table with two pools —
slots named by the pool and rostered people named by their ids — NaN cells, integer
counts and several days per agent. Rows are compared by their ``repr`` (bit for bit: a
-0.0 or a last-digit difference shows), arrays by dtype and bytes."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from scenarios.run.pay_table import ADDITIVE, PERIOD_HOURS, period_table
from sim.tables import _agent_row_iter

START = datetime(2026, 11, 1)


def _reference(table: dict[str, np.ndarray], model: Any, period: str):
    """The table as period_table computed it before (cell by cell)."""
    skip = {"agent", "pool_index", "day"}
    metrics = [k for k in table if k not in skip]
    head = ["agent_id", "pool", "period", *metrics]
    rows = _agent_row_iter([SimpleNamespace(agents=table, replication=0)], model, START,
                           False, metrics)
    hours = PERIOD_HOURS[period]
    i_staffed = head.index("staffed_s")
    out_rows = []
    for row in rows:
        sim_hours = float(row[i_staffed]) / 3600.0
        scale = hours / sim_hours
        new = [(v * scale if (name in ADDITIVE and v is not None) else v)
               for name, v in zip(head, row, strict=True)]
        new[head.index("period")] = period
        out_rows.append([*new, sim_hours, scale])
    columns = [*head, "simulated_hours", "period_scale"]
    arrays = {}
    for k, name in enumerate(columns):
        col = [r[k] for r in out_rows]
        if name in ("agent_id", "pool", "period"):
            arrays[name] = np.array(col, dtype=str)
        else:
            arrays[name] = np.array([np.nan if v is None else v for v in col], dtype=float)
    return columns, out_rows, arrays


def _model() -> Any:
    ids = ["张三", "li-si", "w5"]
    return SimpleNamespace(pools=[
        SimpleNamespace(name="inhouse", size=3, agent_id=lambda j: ids[j]),
        SimpleNamespace(name="bpo", size=4, agent_id=lambda j: f"bpo-{j + 1:03d}")])


def _table(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    pool = rng.integers(0, 2, n)
    agent = np.where(pool == 0, rng.integers(0, 3, n), 3 + rng.integers(0, 4, n))
    t = {"agent": agent, "pool_index": pool, "day": rng.integers(0, 14, n),
         "staffed_s": rng.uniform(600, 50_000, n), "answered": rng.integers(0, 400, n),
         "aht_s": rng.lognormal(5.5, 0.4, n), "fcr": rng.uniform(0, 1, n),
         "sales_amount": rng.lognormal(8, 1, n) * (rng.uniform(size=n) > 0.2),
         "satisfaction": rng.uniform(3, 5, n)}
    for k in ("aht_s", "fcr", "sales_amount"):
        t[k][rng.uniform(size=n) < 0.15] = np.nan
    t["answered"] = t["answered"].astype(np.int64)
    return t


@pytest.mark.parametrize("period", ["day", "week", "month"])
@pytest.mark.parametrize("n", [0, 1, 257])
def test_period_table_equals_the_cell_by_cell_table(period: str, n: int) -> None:
    table, model = _table(np.random.default_rng(n + 7), n), _model()
    out = SimpleNamespace(agents_horizon=table)
    got = period_table(out, model, START, period)  # type: ignore[arg-type]
    columns, rows, arrays = _reference(table, model, period)
    assert got.columns == columns and got.period == period
    assert repr(got.rows) == repr(rows)
    assert all(type(v) in (str, float, type(None)) for r in got.rows for v in r)
    assert got.arrays.keys() == arrays.keys()
    for name, want in arrays.items():
        assert got.arrays[name].dtype == want.dtype, name
        assert got.arrays[name].tobytes() == want.tobytes(), name
    if n:  # the scaling itself, by hand: 174 paid hours a month over the hours on duty
        i = 0
        sim_h = table["staffed_s"][i] / 3600.0
        assert got.rows[i][columns.index("answered")] == \
            float(table["answered"][i]) * (PERIOD_HOURS[period] / sim_h)
        assert got.rows[i][columns.index("satisfaction")] == table["satisfaction"][i]


def test_horizon_table_passed_in_is_used() -> None:
    """``horizon`` (a behaviour comparison's table) replaces the output's own."""
    model = _model()
    mine, theirs = _table(np.random.default_rng(1), 5), _table(np.random.default_rng(2), 5)
    got = period_table(SimpleNamespace(agents_horizon=mine), model, START, "month",  # type: ignore[arg-type]
                       horizon=theirs)
    assert repr(got.rows) == repr(_reference(theirs, model, "month")[1])


def test_agent_never_on_duty_is_refused_as_before() -> None:
    table = _table(np.random.default_rng(3), 4)
    table["staffed_s"][2] = 0.0
    with pytest.raises(ZeroDivisionError):
        _reference(table, _model(), "month")
    with pytest.raises(ZeroDivisionError):
        period_table(SimpleNamespace(agents_horizon=table), _model(), START, "month")  # type: ignore[arg-type]


