"""Plan CSV reading (scenarios/reading/plan.py): forms, interval keys and located errors.
Reference: hand-written files with known contents."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from scenarios.reading.errors import InputError
from scenarios.reading.load import load_scenario
from scenarios.reading.plan import read_plan, staffing

ROOT = Path(__file__).resolve().parents[2]
SC = load_scenario(ROOT / "scenarios" / "examples" / "steady_voice.yaml")  # 48 × 30 min


def write(tmp_path, text: str) -> Path:
    p = tmp_path / "plan.csv"
    p.write_text(text, encoding="utf-8")
    return p


def test_wide_form_with_iso_timestamps(tmp_path):
    rows = "".join(f"2026-11-01T{i // 2:02d}:{30 * (i % 2):02d},{i},{2 * i}\n"
                   for i in range(48))
    plan = read_plan(write(tmp_path, "timestamp,in_house,reserve\n" + rows), SC)
    np.testing.assert_array_equal(plan["in_house"], np.arange(48))
    np.testing.assert_array_equal(plan["reserve"], 2 * np.arange(48))


def test_long_form(tmp_path):
    rows = "".join(f"{i},{p},{k}\n" for i in range(48)
                   for p, k in (("in_house", 10), ("outsourced", 3)))
    plan = read_plan(write(tmp_path, "interval,pool,agents\n" + rows), SC)
    assert plan["in_house"].tolist() == [10] * 48 and plan["outsourced"].tolist() == [3] * 48


def test_missing_intervals_reported(tmp_path):
    with pytest.raises(InputError) as e:
        read_plan(write(tmp_path, "interval,in_house\n0,5\n1,5\n"), SC)
    assert ("46 of 48 intervals have no agents given (first missing: interval "
            "2026-11-01T01:00, #2)") in str(e.value)


def test_interval_outside_horizon_located(tmp_path):
    with pytest.raises(InputError) as e:
        read_plan(write(tmp_path, "interval,in_house\n0,5\n48,5\n"), SC)
    p = e.value.problems[0]
    assert (p.line, p.col, p.field) == (3, 1, "interval")


def test_scenario_staffing_then_plan_override(tmp_path):
    base = staffing(SC, ROOT / "scenarios" / "examples" / "steady_voice.yaml")
    assert base["in_house"].tolist() == [90] * 48
    plan = write(tmp_path, "interval,outsourced\n" + "".join(f"{i},4\n" for i in range(48)))
    both = staffing(SC, ROOT / "scenarios" / "examples" / "steady_voice.yaml", plan)
    assert both["in_house"].tolist() == [90] * 48 and both["outsourced"].tolist() == [4] * 48
