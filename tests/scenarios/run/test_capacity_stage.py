"""The run's capacity stage: skipped without a ``capacity:`` section, and the same plan
and numbers as ``peakdesk capacity --json`` (the reference) in both languages."""

from __future__ import annotations

from pathlib import Path

from scenarios import load_scenario
from scenarios.commands.capacity import run_capacity
from scenarios.run.stage import RunContext
from scenarios.run.stages import default_stages
from scenarios.run.stages.capacity import CapacityStage

from .conftest import EXAMPLES, PROMO

CAPACITY = EXAMPLES / "double11_capacity.yaml"


def test_skipped_without_a_capacity_section() -> None:
    ctx = RunContext(load_scenario(PROMO), Path(PROMO), "en")
    assert CapacityStage().skip_reason(ctx) == ("the scenario sets no capacity plan (hiring and training in the "
                                             "weeks before)")
    assert [s.name for s in default_stages()].index("capacity") == 2  # after requirements


def test_stage_matches_the_command(tmp_path: Path) -> None:
    ref = run_capacity(CAPACITY, tmp_path / "c.json").doc
    for lang in ("en", "zh"):
        ctx = RunContext(load_scenario(CAPACITY), CAPACITY, lang)
        res = CapacityStage().run(ctx)
        assert res.status == "ok"
        s = res.summary
        assert s["weeks"] == ref["weeks"] and s["total_cost"] == ref["total_cost"]
        assert s["answers"] == ref["answers"]
        heads = {h.key: h.value for h in res.headlines}
        assert heads == {"capacity.total_cost": ref["total_cost"],
                         "capacity.total_hires": ref["total_hires"]}
        assert [t.name for t in res.tables] == ["capacity"]
        assert len(res.tables[0].rows) == 12 and res.figures[0].svg.startswith("<svg")
        if lang == "en":
            assert res.decisions == ref["sentences"]
        else:
            assert "招聘" in res.decisions[0]
