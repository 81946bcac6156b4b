"""Shared runs: the bundled promo_day scenario run once in English and once in Chinese
through the CLI (CliRunner), reused by the read-only checks of the results folder."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main

ROOT = Path(__file__).parents[3]
EXAMPLES = ROOT / "scenarios" / "examples"
PROMO = EXAMPLES / "promo_day.yaml"


def cli(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="session")
def promo_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("runs")
    out = {}
    for lang in ("en", "zh"):
        res = cli("run", PROMO, "--out", base / f"promo-{lang}", "--lang", lang, "--quick")
        assert res.exit_code == 0, res.output
        out[lang] = base / f"promo-{lang}"
    return out


FLAGSHIP = EXAMPLES / "double11.yaml"


@pytest.fixture(scope="session")
def flagship_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The flagship (three pools, demand scenarios, two policies) run once with --quick."""
    out = tmp_path_factory.mktemp("flagship") / "double11"
    res = cli("run", FLAGSHIP, "--out", out, "--quick")
    assert res.exit_code == 0, res.output
    return out


WEEK = EXAMPLES / "double11_week.yaml"


@pytest.fixture(scope="session")
def week_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Today's roster for the Double 11 week (no mix plan: the pools are simulated as
    staffed), two policies, run once with --quick: its numbers can be compared with
    `peakdesk simulate` and `peakdesk pay` on the same file."""
    out = tmp_path_factory.mktemp("week") / "double11_week"
    res = cli("run", WEEK, "--out", out, "--quick")
    assert res.exit_code == 0, res.output
    return out


MINI = Path(__file__).parent / "data" / "mini_peak.yaml"
#: what ``peakdesk run`` printed for each shared run ("mini-en", "mini-zh"): the terminal
#: test reads it (tests/scenarios/run/test_terminal_words.py)
TERMINAL: dict[str, str] = {}


@pytest.fixture(scope="session")
def mini_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A two-day peak with every stage (mix, simulation, two policies, pay), run once in
    English and once in Chinese with --quick: the report tests' shared results folders."""
    base = tmp_path_factory.mktemp("mini")
    out = {}
    for lang in ("en", "zh"):
        res = cli("run", MINI, "--out", base / f"mini-{lang}", "--lang", lang, "--quick")
        assert res.exit_code == 0, res.output
        TERMINAL[f"mini-{lang}"] = res.output
        out[lang] = base / f"mini-{lang}"
    return out


def read_rows(path: Path) -> list[dict[str, str]]:
    """A CSV of a results folder as one dict a row — the tests' own reader (csv module
    only), independent of the product's writers."""
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(params=["mini", "flagship"])
def mini_and_flagship(request: pytest.FixtureRequest) -> tuple[Path, Path]:
    """(results folder, scenario file): the mini peak's English run, then the flagship's."""
    if request.param == "mini":
        return request.getfixturevalue("mini_runs")["en"], MINI
    return request.getfixturevalue("flagship_run"), FLAGSHIP
