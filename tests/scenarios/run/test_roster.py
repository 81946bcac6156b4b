"""The roster: rows rebuilt into agents per interval equal the plan.

References: plan.csv (the mix plan per interval, written from the solver's arrays) and
the scenario's shift patterns — each in-house roster row puts its agents on the queue
from start to end minus its break, each outsourced block its seats from start to end;
the sums per interval, computed here from the roster rows alone, must equal plan.csv's
in_house and outsourced columns. Agent-shifts are the sum of the rows' agents."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from planning.mix import CostBreakdown, MixPlan
from scenarios import load_scenario
from scenarios.run.roster import build_roster, window_rows


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(params=["mini", "flagship"])
def folder(request: pytest.FixtureRequest) -> Path:
    if request.param == "mini":
        return request.getfixturevalue("mini_runs")["en"]
    return request.getfixturevalue("flagship_run")


def _on_duty(rows: list[dict[str, str]], starts: list[datetime], step: timedelta
             ) -> np.ndarray:
    out = np.zeros(len(starts))
    for r in rows:
        t0, t1 = datetime.fromisoformat(r["start"]), datetime.fromisoformat(r["end"])
        b0 = datetime.fromisoformat(r["break_start"]) if r["break_start"] else None
        b1 = datetime.fromisoformat(r["break_end"]) if r["break_end"] else None
        for i, s in enumerate(starts):
            if t0 <= s < t1 and not (b0 is not None and b0 <= s < b1):
                out[i] += int(r["agents"])
    return out


def test_roster_rows_rebuild_the_plan(folder: Path) -> None:
    plan = _csv(folder / "plan.csv")
    roster = _csv(folder / "roster.csv")
    starts = [datetime.fromisoformat(r["interval_start"]) for r in plan]
    step = starts[1] - starts[0]
    shifts = [r for r in roster if r["kind"] == "shift"]  # one row per person and shift
    blocks = [r for r in roster if r["kind"] == "outsourced_block"]
    assert np.array_equal(_on_duty(shifts, starts, step),
                          np.array([int(r["in_house"]) for r in plan]))
    assert np.array_equal(_on_duty(blocks, starts, step),
                          np.array([int(r["outsourced"]) for r in plan]))
    # every row is dated by its start and the windows cover the recourse's intervals
    for r in roster:
        assert r["date"] == r["start"][:10]
    used = {i for i, p in enumerate(plan) if float(p["reserve"]) > 1e-6}
    windows = [r for r in roster if r["kind"] == "reserve_callout"]
    covered = {i for i, s in enumerate(starts) for w in windows
               if datetime.fromisoformat(w["start"]) <= s < datetime.fromisoformat(w["end"])}
    assert used <= covered


def test_roster_sheet_in_the_workbook(folder: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(folder / "results.xlsx", read_only=True)
    ws = wb["roster"]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == list(_csv(folder / "roster.csv")[0])
    assert len(rows) - 1 == len(_csv(folder / "roster.csv"))


def _plan(reserve: np.ndarray, probs: list[float]) -> MixPlan:
    s, n = reserve.shape
    z = np.zeros((s, n))
    return MixPlan("optimal", 0.0, 0.0, 0.0, 0.0, tuple(f"s{i}" for i in range(s)),
                   np.array(probs), z, [], 0, np.zeros(n, int), [], np.zeros(n, int), 10,
                   reserve, z, z, z, z, CostBreakdown(0.0, 0.0, {}, 0.0))


def test_call_out_windows_by_hand() -> None:
    """Two scenarios (p 0.25 / 0.75) calling 3 and 1 turned-up agents in intervals 1–2,
    one calling 2 in interval 5: two windows; call-outs = turned up ÷ show-up 0.5."""
    sc = load_scenario(Path(__file__).parent / "data" / "mini_peak.yaml")
    n = sc.horizon.n_intervals
    r = np.zeros((2, n))
    r[0, 1:3] = 3
    r[1, 1:3] = 1
    r[1, 5] = 2
    rows = window_rows(sc, _plan(r, [0.25, 0.75]), "reserve_callout", r, 0.5)
    assert [(x[4][11:], x[5][11:]) for x in rows] == [("01:00", "03:00"), ("05:00", "06:00")]
    # expected call-outs: 0.25·6 + 0.75·2 = 3; most: 6; probability: both scenarios
    assert rows[0][10:13] == [3.0, 6.0, 1.0]
    assert rows[1][10:13] == [3.0, 4.0, 0.75]  # 0.75·4 = 3 expected, only scenario 1


def test_agent_shifts_count_agents_not_rows() -> None:
    sc = load_scenario(Path(__file__).parent / "data" / "mini_peak.yaml")
    n = sc.horizon.n_intervals
    plan = _plan(np.zeros((1, n)), [1.0])
    plan = MixPlan(**{**plan.__dict__, "shifts": [(0, 0, 7, 12), (0, 0, 9, 5), (1, 1, 46, 3)],
                      "hires": 2})
    roster = build_roster(sc, plan, 0.6)
    assert roster.summary["shift_starts"] == 3
    assert roster.summary["agent_shifts"] == 20
    assert roster.summary["agent_shifts_by_day"] == {"2026-11-10": 17, "2026-11-11": 3}
    # day8 is 8 h with an unpaid 1-h break: 7 paid hours; night8 8 h without a break
    assert roster.summary["in_house_paid_hours"] == 12 * 7 + 5 * 7 + 3 * 8
    night = [r for r in roster.rows if r[3] == "night8"][0]
    assert night[4:6] == ["2026-11-11T22:00", "2026-11-12T06:00"]
