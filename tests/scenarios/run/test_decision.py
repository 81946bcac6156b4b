"""The decision summary: its verdict rule, its order and its length.

References: hand-made stage summaries (a target met in k of n replications against the
asked share, computed by hand), the mix stage's plan-check keys taking precedence when
present, and the rendered lines of a real run (order: verdict, fix, mix, roster, policy,
risks; at most eight)."""

from __future__ import annotations

import json
from pathlib import Path

from scenarios import load_scenario
from scenarios.run.decision import MAX_LINES, targets_verdict, verdict_lines
from scenarios.run.stage import RunContext, StageResult

MINI = Path(__file__).parent / "data" / "mini_peak.yaml"


def _ctx() -> RunContext:
    return RunContext(load_scenario(MINI), MINI, "en")


def _sim(voice_met: int, chat_met: int, n: int = 20) -> StageResult:
    r = StageResult("simulation", "Simulated service")
    r.summary = {"channels": {"voice": {"service_level": {"mean": 0.84},
                                        "abandon_rate": {"mean": 0.095}},
                              "chat": {"service_level": {"mean": 0.98}}},
                 "targets": {"voice": {"service_level": {"target": 0.8, "within_s": 20,
                                                         "met": voice_met, "replications": n},
                                       "abandon_rate": {"max": 0.05, "met": n,
                                                        "replications": n}},
                             "chat": {"service_level": {"target": 0.8, "within_s": 30,
                                                        "met": chat_met, "replications": n}}}}
    return r


def test_verdict_from_the_simulation_against_the_asked_share() -> None:
    ctx = _ctx()
    # 18 of 20 = 90% = the default share: holds; 17 of 20 does not
    v = targets_verdict(ctx, {"simulation": _sim(18, 20)})
    assert v.meets is True and v.source == "simulation" and not v.misses
    v = targets_verdict(ctx, {"simulation": _sim(17, 20)})
    assert v.meets is False
    assert [(m.channel, m.target, m.met, m.goal) for m in v.misses] == [
        ("voice", "service_level", 17, "80/20")]
    assert targets_verdict(ctx, {}).meets is None


def test_plan_check_keys_take_precedence() -> None:
    """When the mix stage checked its plan (issue 12's ``validation``), its verdict and
    remedy are the summary's, whatever the simulation stage counted."""
    mix = StageResult("mix", "Sourcing mix")
    mix.summary = {"validation": {"holds": False, "share_asked": 0.9,
                                  "remedy": {"feasible": True, "cost_delta": 38000.0,
                                             "sizes": {"reserve_pool": 12}, "days": []}}}
    results = {"mix": mix, "simulation": _sim(20, 20)}
    v = targets_verdict(_ctx(), results)
    assert v.meets is False and v.source == "plan_check"
    assert v.remedy["cost_delta"] == 38000.0
    lines = verdict_lines(_ctx(), v, results)
    assert lines[0].startswith("The mix plan does NOT meet the targets")
    assert lines[1] == "What would meet them: reserve +12, 38,000 CNY more."


def test_lines_in_order(mini_runs: dict[str, Path]) -> None:
    for lang, folder in mini_runs.items():
        s = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        lines = s["decision"]
        assert 1 <= len(lines) <= MAX_LINES
        if lang != "en":
            continue
        # the verdict first: the checked plan's (mix stage with its simulation check), or
        # the simulation stage's judgement of an unchecked mix plan
        order = [("The plan", "The mix plan"), ("What would meet",), ("Mix:",), ("Roster:",),
                 ("Pay policy:",), ("Against flat pay:",), ("Risks:",)]
        starts = [next(i for i, p in enumerate(order) if line.startswith(p)) for line in lines]
        assert starts == sorted(starts)
        assert lines[0].startswith(order[0])
        # each stage's own sentences are its findings, in its section and summary.json
        assert s["stages"]["mix"]["findings"]
