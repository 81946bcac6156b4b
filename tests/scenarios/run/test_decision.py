"""The decision summary: its verdict rule, its order and its length.

References: hand-made stage summaries (the simulation stage's verdict: units holding
against the asked share, computed by hand), the plan check's remedy as the fix line, and
the rendered lines of a real run (order: verdict, fix, mix, roster, policy,
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


def _sim(held: int, n: int = 20, voice_sl_met: int | None = None) -> StageResult:
    """A simulation stage's verdict as target_check writes it: ``held`` of ``n`` equally
    likely demand scenarios meet every target every day."""
    r = StageResult("simulation", "Simulated service")
    sl_met = n if voice_sl_met is None else voice_sl_met
    r.summary = {"verdict": {
        "holds": held / n >= 0.9 - 1e-9, "share_held": held / n, "share_asked": 0.9,
        "units_held": held, "units": n, "unit": "demand_scenario", "targets_over": "day",
        "targets": [{"channel": "voice", "target": "service_level", "goal": 0.8,
                     "met": sl_met, "units": n, "worst": None if sl_met == n else 0.71},
                    {"channel": "voice", "target": "abandon_rate", "goal": 0.05,
                     "met": held, "units": n, "worst": None if held == n else 0.123}]}}
    return r


def test_verdict_is_the_simulation_stages_judgement() -> None:
    """Reference: the hand-made verdict above (18 of 20 equally likely scenarios = 90% =
    the asked share holds; 17 does not), rendered with the counts it holds."""
    ctx = _ctx()
    v = targets_verdict(ctx, {"simulation": _sim(18)})
    assert v.meets is True and v.source == "simulation"
    assert [m.target for m in v.misses] == ["abandon_rate"]  # 2 scenarios miss it
    assert verdict_lines(ctx, v, {"simulation": _sim(18)}) == [
        "Today's roster meets every target on every day in 18 of 20 demand scenarios "
        "simulated, 90% of them by likelihood where 90% is required."]
    v = targets_verdict(ctx, {"simulation": _sim(17, voice_sl_met=19)})
    assert v.meets is False
    assert [(m.channel, m.target, m.met, m.units) for m in v.misses] == [
        ("voice", "service_level", 19, 20), ("voice", "abandon_rate", 17, 20)]
    line = verdict_lines(ctx, v, {"simulation": _sim(17, voice_sl_met=19)})[0]
    assert line == ("Today's roster does NOT meet the targets: every target is met on every "
                    "day in only 17 of 20 demand scenarios simulated, 85% of them by likelihood "
                    "where 90% is required; missed: voice 80/20 (met in 19 of 20; worst 71.0%), voice "
                    "abandonment ≤ 5% (met in 17 of 20; worst 12.3%).")
    assert targets_verdict(ctx, {}).meets is None


def test_remedy_from_the_plan_check_verdict_from_the_simulation() -> None:
    """The fix line is the plan check's remedy (hand-made here); the verdict is the
    simulation stage's even when the check's keys say otherwise; without a simulation stage
    the check's own sentence is the verdict."""
    mix = StageResult("mix", "Sourcing mix")
    mix.summary = {"validation": {"holds": False, "share_asked": 0.9,
                                  "remedy": {"feasible": True, "cost_delta": 38000.0,
                                             "sizes": {"reserve_pool": 12}, "days": []}}}
    mix.lead = ["The plan does NOT meet the targets: (the check's sentence)"]
    results = {"mix": mix, "simulation": _sim(16)}
    v = targets_verdict(_ctx(), results)
    assert v.meets is False and v.source == "simulation"
    assert v.remedy["remedy"]["cost_delta"] == 38000.0
    lines = verdict_lines(_ctx(), v, results)
    assert lines[0].startswith("The mix plan does NOT meet the targets: every target is met "
                               "on every day in only 16 of 20")
    assert lines[1].startswith("The cheapest change that would meet them: +12 reserve agents "
                               "(+38,000 CNY)")
    v = targets_verdict(_ctx(), {"mix": mix})
    assert v.source == "plan_check"
    assert verdict_lines(_ctx(), v, {"mix": mix}) == mix.lead
    # a simulation that holds has no fix line, whatever the check said
    v = targets_verdict(_ctx(), {"mix": mix, "simulation": _sim(20)})
    assert v.meets and v.remedy is None


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
        # line 2 after a miss is the way out, whose first words depend on the cause (the
        # in-house limit, overflow at once, the remedy keeping the routing, ...)
        starts = [1 if k == 1 and not any(line.startswith(p) for g in order[2:] for p in g)
                  else next(i for i, p in enumerate(order) if line.startswith(p))
                  for k, line in enumerate(lines)]
        assert starts == sorted(starts)
        assert lines[0].startswith(order[0])
        # each stage's own sentences are its findings, in its section and summary.json
        assert s["stages"]["mix"]["findings"]
