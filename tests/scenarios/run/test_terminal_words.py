"""``peakdesk run``'s terminal in plain words, in both languages (issue 30): no key of the
scenario file format or of the models' outputs, like the report it summarises.

Reference: tests/terminal_words.py (docs/scenario.schema.json's keys, the models' machine
names, a snake_case pattern), on what the session's shared mini-peak run printed (every
stage: demand, requirements, mix, simulation, policies, pay).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.terminal_words import machine_words, schema_words

from .conftest import TERMINAL


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_run_prints_words(mini_runs: dict[str, Path], lang: str) -> None:
    out = TERMINAL[f"mini-{lang}"]
    assert mini_runs[lang].is_dir() and "report.html" in out  # the run's closing lines
    assert schema_words(out) == [], out
    assert machine_words(out) == [], out
