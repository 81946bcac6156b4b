"""Every command's terminal output in plain words and units (issue 30): no key of the
scenario file format or of the models' outputs in what ``plan``, ``simulate``,
``requirements``, ``capacity`` and ``monitor`` print (``run``:
tests/scenarios/run/test_terminal_words.py, on the session's shared run).

Reference: docs/scenario.schema.json (every property name at every level), the models'
machine names (KPIs, pools, queueing models) and a snake_case pattern
(tests/terminal_words.py). The check is shown to fail on the raw lines ``peakdesk plan``
printed before (issue 30's own examples).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from scenarios.reading.yamlio import read_yaml
from tests.terminal_words import KEYS, machine_words, schema_words

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "scenarios" / "examples"
SMALL_PLAN = (Path(__file__).with_name("test_plan_cli.py").read_text(encoding="utf-8")
              .split('SMALL = """\\\n', 1)[1].split('"""', 1)[0])


def printed(*args: str) -> str:
    res = CliRunner().invoke(main, [str(a) for a in args], env={"COLUMNS": "200"},
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.output


def flat(output: str) -> str:
    """The output as one line (rich wraps long lines at the terminal width)."""
    return " ".join(output.split())


def assert_plain(output: str, allowed: tuple[str, ...] = ()) -> None:
    assert schema_words(output, allowed) == [], output
    assert machine_words(output, allowed) == [], output


def test_plan_prints_words(tmp_path: Path) -> None:
    sc = tmp_path / "small.yaml"
    sc.write_text(SMALL_PLAN, encoding="utf-8")
    out = printed("plan", sc, "--time-limit", "30")
    assert_plain(out)
    # the labels the report uses (scenarios.words): pools, KPIs, baselines
    out = flat(out)
    assert "in-house only" in out and "outsourced surge seats" in out
    assert "by pool: in-house " in out and "check round 0" in out


def test_simulate_prints_words() -> None:
    out = printed("simulate", EXAMPLES / "steady_voice.yaml", "-r", "2")
    assert_plain(out)
    out = flat(out)
    assert "service level" in out and "average speed of answer (ASA)" in out
    assert "%" in out and " s ±" in out  # shares in %, times in seconds


def test_requirements_prints_words() -> None:
    out = printed("requirements", EXAMPLES / "promo_day.yaml")
    assert_plain(out)
    assert "Erlang A" in out


def test_capacity_prints_words() -> None:
    assert_plain(printed("capacity", EXAMPLES / "double11_capacity.yaml"))


def test_monitor_prints_words() -> None:
    """The spec's own metric names (``complaint_rate``, ``qa_pass``) are the user's words:
    allowed; nothing else."""
    spec = EXAMPLES / "monitor.yaml"
    doc = read_yaml(spec)
    names = tuple(m["name"] for kind in ("core", "auxiliary", "floor") for m in doc[kind])
    out = printed("monitor", EXAMPLES / "monitor_history.csv", "--spec", spec)
    assert_plain(out, names)


@pytest.mark.parametrize("line", [
    "first stage 13,976 + expected recourse 14,888 (shortfall penalty 3,840); by pool: "
    "in_house 4,320, outsourced 6,656, outsourced_surge 2,005",
    "check round 0: cost 28,540, targets hold in 2 of 3 scenarios (80%); missed periods: "
    "service_level 3, abandon_rate 128; raised 3426 scenario-intervals",
    "│ asa_s           │      0.0 ± 0.0 │",
    "voice (erlang_a): peak 95 required / 136 scheduled",
])
def test_the_check_fails_on_the_old_lines(line: str) -> None:
    assert schema_words(line) and machine_words(line)


def test_the_check_lets_files_ids_and_located_messages_through() -> None:
    assert machine_words("wrote out/plan_by_pool.csv; agent in_house-007; "
                         "lint ../rules/policies/forced_ranking_phase1.yaml:17:51: "
                         "scorecard.items.1.target: no agent reaches it") == []
    assert {"service_level", "in_house", "abandon_rate", "max_asa_s"} <= KEYS
