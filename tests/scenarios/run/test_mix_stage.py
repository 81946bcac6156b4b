"""The run's mix stage: the same checked plan as `peakdesk plan --json` (one loop for both),
the staffing it hands to the simulation rebuilt by hand from that JSON (first stage as
planned, recourse at its probability-weighted expectation, reserve call-outs ÷ show-up),
each demand scenario's own staffing, and the report opening with the verdict."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from cli import main
from scenarios import load_scenario
from scenarios.run.pipeline import run_stages
from scenarios.run.stage import RunContext
from scenarios.run.stages import default_stages
from tests.cli.test_plan_cli import SMALL

# demand scenarios from `uncertainty:` (shared by the plan and the simulation stage)
SMALL_UNC = SMALL.replace("""  demand_cases:
    multipliers: [0.7, 1.0, 1.5]
    probabilities: [0.3, 0.5, 0.2]
    windows: [{start: 2026-11-11T17:00, end: 2026-11-11T22:00}]
""", "") + "uncertainty: {peak_multiplier: {dist: lognormal, cv: 0.25}, scenarios: 3}\n"


def test_mix_stage_matches_plan_command_and_feeds_the_simulation(tmp_path: Path) -> None:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL_UNC, encoding="utf-8")
    out = tmp_path / "plan.json"
    res = CliRunner().invoke(main, ["plan", str(path), "--json", str(out)],
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text())
    sc = load_scenario(path)
    ctx = RunContext(sc, path, "en", seed=sc.simulation.seed)
    results = {r.name: r for r in run_stages(default_stages(), ctx)}
    mix = results["mix"]
    assert mix.status == "ok"
    assert abs(mix.summary["objective"] - doc["objective"]) <= 1e-6 * abs(doc["objective"])
    assert mix.summary["reserve_pool"] == doc["reserve_pool"]
    # staffing handed to the simulation, rebuilt from the plan JSON rows
    n = sc.horizon.n_intervals
    rows: dict[str, np.ndarray] = {}
    for r in doc["plan"]:
        rows.setdefault(r["pool"], np.zeros(n))
    starts = [s.isoformat(timespec="minutes") for s in sc.horizon.interval_starts()]
    for r in doc["plan"]:
        rows[r["pool"]][starts.index(r["interval"])] = r["agents"]
    show_up = sc.pools["reserve"].default("reserve", "show_up") if "reserve" in sc.pools else 1
    expect = {"in_house": rows["in_house"],
              "outsourced": rows["outsourced"] + rows["outsourced_surge"],
              "reserve": rows["reserve"] / show_up, "temps": rows["temps"]}
    staffing = mix.data.staffing
    for pool, arr in staffing.items():
        assert np.all(np.abs(arr - expect[pool]) <= 0.5 + 1e-4), pool  # rounded to whole agents
    sim = results["simulation"]
    assert sim.summary["staffing_source"] == "mix"
    # the same check as the plan command: same rounds, same verdict
    assert mix.summary["validation"]["rounds"] == doc["validation"]["rounds"]
    assert mix.summary["meets_targets"] == doc["meets_targets"]
    assert mix.lead[0].startswith("The plan ") and "expected cost" in mix.lead[1]
    # each replication ran its demand scenario's own recourse: reference = the plan's
    # first stage + that scenario's recourse, rebuilt here from the MixPlan arrays
    plan = mix.data.comparison.plan
    for s, name in enumerate(plan.scenario_names):
        own = mix.data.by_scenario[name]
        assert np.array_equal(own["in_house"], np.rint(plan.in_house))
        assert np.all(np.abs(own["outsourced"] - plan.outsourced - plan.surge[s]) <= 0.5 + 1e-6)
        if "reserve" in own:
            assert np.all(np.abs(own["reserve"] - plan.reserve[s] / show_up) <= 0.5 + 1e-6)
    models = sim.data.models
    assert models is not None and len(models) == len(sim.data.demand_names)
    for m, name in zip(models, sim.data.demand_names, strict=True):
        pools = {p.name: p.staffing for p in m.pools}
        assert np.array_equal(pools["outsourced"], mix.data.by_scenario[name]["outsourced"])


def test_joint_limit_remedy_is_named_in_both_languages() -> None:
    """The remedy keeping the routing, when the shift rules (not one interval) stand in
    the way, names the agent-hours missing and the worst interval (planning.remedy
    joint_limit), in English and Chinese — not the generic solver message."""
    from types import SimpleNamespace

    from scenarios.words.i18n import t
    from scenarios.words.plan_check import remedy_sentence

    rem = {"feasible": False, "reason": "joint_limits", "short_agent_hours": 80.0,
           "worst": {"scenario": "s0", "interval": "2026-11-11T08:00", "needs": 10.0,
                     "most": 5.0}}
    for lang, words in (("en", "80 agent-hours (at in-house speed) short"), ("zh", "80")):
        ctx = SimpleNamespace(t=lambda key, lang=lang, **p: t(key, lang, **p), lang=lang)
        said = remedy_sentence(ctx, rem, "CNY")
        assert words in said and "08:00" in said and "s0" in said
        assert "no plan meets every constraint" not in said


def test_an_at_once_plan_stopped_on_the_clock_says_so() -> None:
    """The plan made for overflow at once whose solve stopped at the time limit (its
    JSON "status": "time_limit") is priced with a note that it may differ on a less busy
    machine, in both languages; one solved to its gap has no note."""
    from types import SimpleNamespace

    from scenarios.words.i18n import t
    from scenarios.words.plan_check import at_once_sentence

    x = {"cost": 1_132_569.16, "holds": False, "scenarios_held": 15, "scenarios": 20,
         "share_held": 0.75, "missed_periods": {}, "status": "optimal"}
    val = {"final": {"objective": 1_569_279.04}}
    for lang, note in (("en", "time limit"), ("zh", "时间上限")):
        ctx = SimpleNamespace(t=lambda key, lang=lang, **p: t(key, lang, **p), lang=lang)
        plain = at_once_sentence(ctx, x, val, "CNY", "day")
        clock = at_once_sentence(ctx, {**x, "status": "time_limit"}, val, "CNY", "day")
        assert note not in plain and clock.startswith(plain) and note in clock
