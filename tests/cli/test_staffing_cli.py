"""End-to-end CLI checks for validate, schema, erlang and requirements (exit codes 0/2)."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from planning.erlang import erlang_a
from tests.planning import reference as R

ROOT = Path(__file__).parents[2]
PROMO = str(ROOT / "scenarios" / "examples" / "promo_day.yaml")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_validate_examples_ok() -> None:
    res = run("validate", PROMO)
    assert res.exit_code == 0 and "ok:" in res.output


def test_validate_bad_file_exit_2_without_traceback(tmp_path: Path) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text("name: x\nhorizon: {start: 2026-11-01T00:00, days: 0}\nchannels: {}\n"
                 "demand: {}\n")
    res = run("validate", str(f))
    assert res.exit_code == 2
    assert "Traceback" not in res.output
    assert f"{f}:2:" in res.output and "horizon.days" in res.output


def test_schema_is_json_for_editors() -> None:
    res = run("schema")
    schema = json.loads(res.output)
    assert schema["$schema"].endswith("draft-07/schema#")
    assert "horizon" in schema["properties"] and schema["additionalProperties"] is False


def test_erlang_marks_the_requirement() -> None:
    res = run("erlang", "--rate", "1200/h", "--aht", "240", "--patience", "120",
              "--target", "80/20")
    assert res.exit_code == 0
    marked = [ln for ln in res.output.splitlines() if "◀ required" in ln]
    assert len(marked) == 1
    n = int(marked[0].split("│")[1])
    # reference: the mpmath chain at n meets 80/20, at n − 1 it does not
    assert float(R.erlang_a(n, 1200, 240, 120, 20)["service_level"]) >= 0.8
    assert float(R.erlang_a(n - 1, 1200, 240, 120, 20)["service_level"]) < 0.8


def test_erlang_bad_arguments_exit_2() -> None:
    assert run("erlang", "--rate", "fast", "--aht", "240").exit_code == 2
    assert run("erlang", "--rate", "100/h", "--aht", "240", "--target", "80").exit_code == 2


def test_erlang_batch_contract(tmp_path: Path) -> None:
    """docs/formats.md §5: agents rows get metrics; target rows get required_agents too."""
    cases = tmp_path / "cases.csv"
    cases.write_text("rate_per_hour,aht_s,agents,within_s,patience_s,target\n"
                     "1200,240,85,20,,\n"
                     "1200,240,80,20,120,\n"
                     "1200,240,,20,120,0.8\n")
    out = tmp_path / "out.csv"
    res = run("erlang", "--input", str(cases), "--output", str(out))
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(out.open()))
    assert set(rows[0]) >= {"p_wait", "service_level", "asa_s", "abandon_rate", "occupancy",
                            "required_agents"}
    c = R.erlang_c(85, 1200, 240, 20)
    assert math.isclose(float(rows[0]["service_level"]), float(c["service_level"]),
                        rel_tol=1e-9)
    assert float(rows[0]["abandon_rate"]) == 0.0
    a = R.erlang_a(80, 1200, 240, 120, 20)
    for key, ref in (("p_wait", "p_wait"), ("service_level", "service_level"),
                     ("asa_s", "asa_s"), ("abandon_rate", "p_abandon"),
                     ("occupancy", "occupancy")):
        assert math.isclose(float(rows[1][key]), float(a[ref]), rel_tol=1e-9), key
    n = int(rows[2]["required_agents"])
    assert float(R.erlang_a(n, 1200, 240, 120, 20)["service_level"]) >= 0.8
    assert float(R.erlang_a(n - 1, 1200, 240, 120, 20)["service_level"]) < 0.8


def test_erlang_batch_bad_rows_are_located(tmp_path: Path) -> None:
    cases = tmp_path / "cases.csv"
    cases.write_text("rate_per_hour,aht_s,agents,within_s\n1200,abc,85,20\n-5,240,85,20\n")
    res = run("erlang", "--input", str(cases), "--output", str(tmp_path / "o.csv"))
    assert res.exit_code == 2
    lines = res.output.strip().splitlines()
    assert lines[0] == f"error: {cases}:2:2: aht_s: expected a number, got 'abc'"
    assert lines[1] == (f"error: {cases}:3:1: rate_per_hour: expected a number >= 0 and <= "
                        f"1,000,000, got '-5'")
    assert not (tmp_path / "o.csv").exists()


def test_requirements_csv_and_json(tmp_path: Path) -> None:
    csv_path, json_path = tmp_path / "r.csv", tmp_path / "r.json"
    res = run("requirements", PROMO, "--csv", str(csv_path), "--json", str(json_path))
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(csv_path.open()))
    assert len(rows) == 48 * 2
    data = json.loads(json_path.read_text())
    assert set(data["channels"]) == {"voice", "chat"}
    for r in rows:
        if r["channel"] != "voice":
            continue
        n = int(r["required_agents"])
        rate = float(r["rate_per_hour"])
        # the promo example: voice, AHT 240 + 30 s wrap-up, patience 120 s, 80/20, ≤5% abandon,
        # ≤90% occupancy. Reference: forward Erlang A at n and n − 1.
        at = erlang_a(n, rate, 270, 120, 20)
        assert at.service_level >= 0.8 and at.p_abandon <= 0.05 and at.occupancy <= 0.9
        below = erlang_a(n - 1, rate, 270, 120, 20)
        assert (below.service_level < 0.8 or below.p_abandon > 0.05
                or below.occupancy > 0.9)
        assert int(r["scheduled_agents"]) == math.ceil(n / 0.7 - 1e-9)
        assert r["binding"] in {"service_level", "abandon_rate", "occupancy"}


def test_requirements_unknown_file_exit_2(tmp_path: Path) -> None:
    res = run("requirements", str(tmp_path / "missing.yaml"))
    assert res.exit_code == 2 and "file not found" in res.output


@pytest.mark.parametrize("rate", ["0", "0/h"])
def test_erlang_zero_rate(rate: str) -> None:
    """No contacts need no agents (closed form: zero load)."""
    res = run("erlang", "--rate", rate, "--aht", "240", "--target", "80/20")
    assert res.exit_code == 0
    assert "required: 0 agents" in res.output
