"""Shared runs: the bundled promo_day scenario run once in English and once in Chinese
through the CLI (CliRunner), reused by the read-only checks of the results folder."""

from __future__ import annotations

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
