"""One sentence per fact, and true (issue 24): every per-scenario sentence and verdict of
the report agrees with sim_periods.csv, the runs the decision is judged on.

Reference: tests/scenarios/run/judge_ref.py re-derives by hand, from sim_periods.csv,
which demand scenario misses which target on which period (contacts pooled over the
scenario's replications, the check's noise allowance); the simulation stage's findings
about the largest demand scenario, its per-scenario verdicts (summary.json
``by_demand_scenario``) and the decision's risk line must say the same.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from scenarios.words.i18n import when

from .conftest import FLAGSHIP, MINI
from .judge_ref import judged_from_periods


@pytest.fixture(params=["mini", "flagship"])
def run(request: pytest.FixtureRequest) -> tuple[Path, Path]:
    if request.param == "mini":
        return request.getfixturevalue("mini_runs")["en"], MINI
    return request.getfixturevalue("flagship_run"), FLAGSHIP


def _label(ch: str, kpi: str, t: dict) -> str:
    """A target as the report names it ("voice 80/20", "voice abandonment ≤ 5%")."""
    goal = 100 * t["goal"]
    if kpi == "service_level":
        return f"{ch} {goal:g}/{t['within_s']:g}"
    if kpi == "asa_s":
        return f"{ch} ASA ≤ {t['goal']:,.0f} s"
    return f"{ch} {'abandonment' if kpi == 'abandon_rate' else kpi} ≤ {goal:g}%"


def test_per_scenario_verdicts_agree_with_sim_periods(run: tuple[Path, Path]) -> None:
    folder, scenario = run
    missed: dict = {}
    judged_from_periods(folder, scenario, missed)
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    sim = summary["stages"]["simulation"]["summary"]
    for e in sim["by_demand_scenario"]:
        said = {(m["channel"], m["target"], m["period_start"]) for m in e["misses"] or []}
        ref = {(ch, kpi, start) for (name, ch, kpi), starts in missed.items()
               if name == e["name"] for start in starts}
        assert said == ref, e["name"]
    # the largest scenario's sentences: "met every day" exactly where nothing misses
    drawn = [e for e in sim["by_demand_scenario"] if e["replications"]]
    top = max(drawn, key=lambda e: e["multiplier"])
    lines = [f for f in summary["stages"]["simulation"]["findings"]
             if f.startswith(f"In the largest demand scenario drawn ({top['name']}:")]
    assert len(lines) == len(sim["targets"])
    text = " ".join(lines)
    for ch, targets in sim["targets"].items():
        for kpi in targets:
            starts = sorted(missed.get((top["name"], ch, kpi), ()))
            label = _label(ch, kpi, targets[kpi])
            if not starts:
                assert f"{label} met every day" in text, (label, text)
            else:
                days = [when(datetime.fromisoformat(s), "en", True)[:-6] for s in starts[:3]]
                assert f"{label} missed on {', '.join(days)}" in text, (label, days, text)
    risk = next((x for x in summary["decision"] if x.startswith("Risks:")), "")
    top_missed = any(name == top["name"] for name, _, _ in missed)
    assert (f"largest demand scenario drawn ({top['name']}," in risk) == top_missed
    if top_missed:
        assert "met every day" not in risk.split(";")[0]
