"""The run's mix stage: the same plan as `peakdesk plan --json`, and the staffing it hands
to the simulation rebuilt by hand from that JSON (first stage as planned, recourse at its
probability-weighted expectation, reserve call-outs ÷ show-up)."""

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


def test_mix_stage_matches_plan_command_and_feeds_the_simulation(tmp_path: Path) -> None:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    out = tmp_path / "plan.json"
    res = CliRunner().invoke(main, ["plan", str(path), "--json", str(out), "--rounds", "0"],
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
    assert mix.decisions and "expected cost" in mix.decisions[0]
