"""A sweep's points are ordinary runs: each equals a separate ``peakdesk run`` of a
scenario file edited by hand (the reference: the run pipeline on an independently made
file); an interrupted sweep, resumed, gives the same table as one uninterrupted."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from cli import main

ROOT = Path(__file__).parents[3]
PROMO = ROOT / "scenarios" / "examples" / "promo_day.yaml"
# a 2 × 2 grid on the promotion day (no mix plan: the pools are simulated as staffed);
# --quick: 4 replications per point
VARY = ["--vary", "pools.in_house.agents=40,50", "--vary", "peak=1,1.2"]
OPTS = ["--quick"]


def cli(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def grid_sweep(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sweep") / "grid"
    js = out.parent / "grid.json"
    r = cli("sweep", PROMO, *VARY, *OPTS, "--out", out, "--json", js)
    assert r.exit_code == 0, r.output
    return out


def hand_made(tmp: Path, agents: int, peak: float) -> Path:
    """The point's scenario made without the sweep: the YAML edited by hand (round trip:
    the order of the channels is kept — it is the default routing priority)."""
    yaml = YAML(typ="rt")
    data = yaml.load(PROMO.read_text())
    data["pools"]["in_house"]["agents"] = agents
    for ch in data["demand"].values():
        ch["rates_per_hour"] = [r * peak for r in ch["rates_per_hour"]]
    path = tmp / f"hand-{agents}-{peak}.yaml"
    with path.open("w") as fh:
        yaml.dump(data, fh)
    return path


@pytest.mark.slow
def test_points_equal_separate_runs(grid_sweep, tmp_path):
    doc = json.loads((grid_sweep.parent / "grid.json").read_text())
    assert len(doc["points"]) == 4 and all(p["status"] == "ok" for p in doc["points"])
    for p in doc["points"]:
        v = p["values"]
        scen = hand_made(tmp_path, v["pools.in_house.agents"], v["peak"])
        out = tmp_path / scen.stem
        r = cli("run", scen, "--quick", "--out", out)
        assert r.exit_code == 0, r.output
        alone = json.loads((out / "summary.json").read_text())
        swept = json.loads((Path(p["results"]) / "summary.json").read_text())
        assert p["headlines"] == alone["headlines"] == swept["headlines"], v
        # the whole simulation stage, not only its headlines
        assert swept["stages"]["simulation"] == alone["stages"]["simulation"], v
    # the points differ (the grid did vary something): more agents, better voice service
    sl = {(p["values"]["pools.in_house.agents"], p["values"]["peak"]):
          p["headlines"]["simulation.voice.service_level"] for p in doc["points"]}
    assert sl[(50, 1)] > sl[(40, 1)] and sl[(40, 1)] > sl[(40, 1.2)]


@pytest.mark.slow
def test_table_holds_the_points_numbers(grid_sweep):
    rows = list(csv.DictReader((grid_sweep / "sweep.csv").open()))
    doc = json.loads((grid_sweep / "sweep.json").read_text())
    assert len(rows) == 4
    for row, p in zip(rows, doc["points"], strict=True):
        h = p["headlines"]
        assert float(row["service_level_voice"]) == h["simulation.voice.service_level"]
        assert float(row["abandon_rate_chat"]) == h["simulation.chat.abandon_rate"]
        assert int(row["targets_held"]) == h["simulation.targets_held"]
        assert (grid_sweep / row["results"] / "report.html").is_file()
    html = (grid_sweep / "sweep.html").read_text()
    assert "<svg" in html and "points/" in html
    assert (grid_sweep / "sweep.xlsx").stat().st_size > 0


def test_existing_folder_needs_resume_or_force(grid_sweep):
    r = CliRunner().invoke(main, ["sweep", str(PROMO), *VARY, *OPTS, "--out", str(grid_sweep)])
    assert r.exit_code == 2 and "--resume" in r.output


@pytest.mark.slow
def test_interrupted_then_resumed_gives_the_same_table(grid_sweep, tmp_path):
    """SIGINT after the first point: finished points kept whole, nothing half-written;
    --resume runs the rest and the table equals the uninterrupted sweep's."""
    out = tmp_path / "cut"
    cmd = [sys.executable, "-c", "import cli; cli.main()", "sweep", str(PROMO), *VARY,
           *OPTS, "--out", str(out)]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            text=True, cwd=ROOT, env={**os.environ, "COLUMNS": "200"})
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith("point 1/4"):
            proc.send_signal(signal.SIGINT)
            break
    proc.communicate(timeout=120)
    assert proc.returncode == 130
    done = sorted(p.name for p in (out / "points").iterdir())
    assert 1 <= len(done) < 4
    assert not [p for p in out.rglob(".*") if "tmp" in p.name]  # no half-written folder
    for name in done:
        assert (out / "points" / name / "manifest.json").is_file()
    kept = {n: (out / "points" / n / "summary.json").stat().st_mtime_ns for n in done}
    r = cli("sweep", PROMO, *VARY, *OPTS, "--out", out, "--resume")
    assert r.exit_code == 0, r.output
    assert f"{len(done)} already done" in r.output
    for n, t in kept.items():  # finished points were not run again
        assert (out / "points" / n / "summary.json").stat().st_mtime_ns == t
    assert (out / "sweep.csv").read_text() == (grid_sweep / "sweep.csv").read_text()
