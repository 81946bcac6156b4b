"""The stage pipeline: order, skipping with a reason, payload passing, observer calls.
Reference: the behaviour specified in scenarios/run/stage.py, on hand-made stages."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios import load_scenario
from scenarios.run.pipeline import run_stages
from scenarios.run.stage import RunContext, StageResult
from scenarios.run.summary import decision, summary_json

from .conftest import PROMO


class Producer:
    name = "producer"

    def title(self, ctx: RunContext) -> str:
        return "Producer"

    def skip_reason(self, ctx: RunContext) -> str | None:
        return None

    def run(self, ctx: RunContext) -> StageResult:
        r = StageResult(self.name, "Producer", data=21, summary={"x": 21})
        r.decisions.append("produced 21")
        r.warnings.append("careful")
        return r


class Consumer:
    name = "consumer"

    def title(self, ctx: RunContext) -> str:
        return "Consumer"

    def skip_reason(self, ctx: RunContext) -> str | None:
        return None if ctx.ran("producer") else "no producer"

    def run(self, ctx: RunContext) -> StageResult:
        return StageResult(self.name, "Consumer", summary={"y": ctx.results["producer"].data * 2})


class NeverReady:
    name = "pricing"

    def title(self, ctx: RunContext) -> str:
        return "Pricing"

    def skip_reason(self, ctx: RunContext) -> str | None:
        return "the scenario prices no pools"

    def run(self, ctx: RunContext) -> StageResult:  # pragma: no cover - must not be called
        raise AssertionError("a skipped stage ran")


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []

    def stage_started(self, index: int, total: int, name: str, title: str) -> None:
        self.events.append(("start", name))

    def stage_finished(self, index: int, total: int, result: StageResult) -> None:
        self.events.append((result.status, result.name))


@pytest.fixture()
def ctx() -> RunContext:
    return RunContext(load_scenario(PROMO), Path(PROMO), "en")


def test_stages_run_in_order_and_see_earlier_payloads(ctx: RunContext) -> None:
    rec = Recorder()
    results = run_stages([Producer(), NeverReady(), Consumer()], ctx, rec)
    assert [r.status for r in results] == ["ok", "skipped", "ok"]
    assert results[2].summary == {"y": 42}
    assert results[1].reason == "the scenario prices no pools"
    assert rec.events == [("start", "producer"), ("ok", "producer"), ("start", "pricing"),
                          ("skipped", "pricing"), ("start", "consumer"), ("ok", "consumer")]


def test_stage_skipped_when_its_input_stage_did_not_run(ctx: RunContext) -> None:
    results = run_stages([Consumer()], ctx)
    assert results[0].status == "skipped" and results[0].reason == "no producer"


def test_duplicate_stage_names_are_refused(ctx: RunContext) -> None:
    with pytest.raises(ValueError, match="unique"):
        run_stages([Producer(), Producer()], ctx)


def test_decision_summary_covers_ran_and_skipped_stages(ctx: RunContext) -> None:
    results = run_stages([Producer(), NeverReady()], ctx)
    dec = decision(ctx, results)
    assert dec.sentences == ["produced 21"]
    assert dec.stage_lines == ["Producer: computed.",
                               "Pricing: skipped — the scenario prices no pools"]
    assert dec.warnings == ["Producer: careful"]
    js = summary_json(ctx, "abc", results, dec)
    assert js["stages"]["pricing"] == {"status": "skipped", "title": "Pricing",
                                       "reason": "the scenario prices no pools"}
    assert js["stages"]["producer"]["summary"] == {"x": 21}
    assert "seconds" not in str(js)  # timings live in manifest.json only


def test_nothing_ran_is_said(ctx: RunContext) -> None:
    dec = decision(ctx, run_stages([NeverReady()], ctx))
    assert dec.sentences == ["No stage could run on this scenario."]
