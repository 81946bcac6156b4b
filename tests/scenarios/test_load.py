"""Scenario loading: every bundled example loads; every problem is located (golden text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios import InputError, load_scenario
from scenarios.reading.files import file_kind
from scenarios.reading.yamlio import read_yaml

EXAMPLES = [p for p in sorted((Path(__file__).parents[2] / "scenarios" / "examples").glob(
    "*.yaml")) if file_kind(read_yaml(p)) == "scenario"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_bundled_examples_load(path: Path) -> None:
    sc = load_scenario(path)
    assert sc.horizon.n_intervals > 0 and sc.channels


def problems(tmp_path: Path, text: str) -> list[str]:
    f = tmp_path / "s.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_scenario(f)
    return [str(p).replace(str(f), "s.yaml") for p in exc.value.problems]


BASE = """\
name: t
horizon: {start: 2026-11-01T00:00, days: 1, interval_minutes: 60}
channels:
  voice:
    handle_time: {dist: exponential, mean_s: 240}
    service_level: {target: 0.8, within_s: 20}
demand:
  voice: {rate_per_hour: 100}
"""


def test_valid_base(tmp_path: Path) -> None:
    f = tmp_path / "ok.yaml"
    f.write_text(BASE)
    assert load_scenario(f).horizon.n_intervals == 24


def test_all_problems_reported_together_with_locations(tmp_path: Path) -> None:
    text = """\
name: bad
horizon:
  start: 2026-11-01T00:00
  days: one
  interval_minutes: 20
channels:
  voice:
    kind: voice
    handel_time: {dist: exponential, mean_s: 240}
    patience: {dist: exponential, mean_s: -5}
demand:
  voice:
    rate_per_hour: -10
pools:
  inhouse:
    agents: 3
"""
    assert problems(tmp_path, text) == [
        "s.yaml:4:9: horizon.days: Input should be a valid integer, unable to parse string "
        "as an integer (got 'one')",
        "s.yaml:5:21: horizon.interval_minutes: Input should be 15, 30 or 60 (got 20)",
        "s.yaml:8:5: channels.voice.handle_time: missing required field 'handle_time'",
        "s.yaml:9:5: channels.voice.handel_time: unknown key 'handel_time' (did you mean "
        "'handle_time'?); expected one of: after_contact_work_s, concurrency, "
        "concurrency_slowdown, handle_time, kind, max_abandon_rate, max_asa_s, "
        "max_occupancy, patience, repeat, retrial, sales, service_level",
        "s.yaml:10:43: channels.voice.patience.mean_s: Input should be greater than or equal "
        "to 0 (got -5)",
        "s.yaml:13:20: demand.voice.rate_per_hour: Input should be greater than or equal to 0 "
        "(got -10)",
        "s.yaml:15:3: pools.inhouse: unknown name 'inhouse' (did you mean 'in_house'?); "
        "expected one of: in_house, outsourced, reserve, temps",
    ]


def test_bad_yaml_is_located(tmp_path: Path) -> None:
    assert problems(tmp_path, "name: x\nhorizon: [1, 2\n") == [
        "s.yaml:3:1: invalid YAML: while parsing a flow sequence expected ',' or ']', but got "
        "'<stream end>'"]


def test_duplicate_key_is_an_error(tmp_path: Path) -> None:
    out = problems(tmp_path, BASE + "name: again\n")
    assert len(out) == 1 and out[0].startswith("s.yaml:") and "duplicate key" in out[0]


def test_yaml12_keeps_strings(tmp_path: Path) -> None:
    """PyYAML would turn NO into false and 12:30 into 750; ruamel (YAML 1.2) keeps them."""
    f = tmp_path / "s.yaml"
    f.write_text(BASE.replace("name: t", "name: NO"))
    assert load_scenario(f).name == "NO"
    f.write_text(BASE.replace("name: t", "name: 12:30"))
    assert load_scenario(f).name == "12:30"


def test_cross_references(tmp_path: Path) -> None:
    text = BASE.replace("  voice: {rate_per_hour: 100}",
                        "  voice: {rates_per_hour: [1, 2, 3]}\n  vocie: {rate_per_hour: 5}")
    assert problems(tmp_path, text) == [
        "s.yaml:8:27: demand.voice.rates_per_hour: has 3 values; the horizon has 24 intervals",
        "s.yaml:9:3: demand.vocie: demand for unknown channel 'vocie' (did you mean "
        "'voice'?); channels are: voice",
    ]


def test_wrong_type_and_missing_target(tmp_path: Path) -> None:
    text = BASE.replace("    service_level: {target: 0.8, within_s: 20}\n", "")
    f = tmp_path / "s.yaml"
    f.write_text(text)
    load_scenario(f)  # fine for simulation
    with pytest.raises(InputError) as exc:
        load_scenario(f, for_staffing=True)
    assert [str(p).replace(str(f), "s.yaml") for p in exc.value.problems] == [
        "s.yaml:4:3: channels.voice: no staffing target: give service_level, max_asa_s, "
        "max_abandon_rate or max_occupancy"]
    text = BASE.replace("mean_s: 240", "mean_s: [240]")
    out = problems(tmp_path, text)
    assert out == ["s.yaml:5:46: channels.voice.handle_time.mean_s: Input should be a valid "
                   "number"]


def test_missing_file_and_empty_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        load_scenario(tmp_path / "nope.yaml")
    assert problems(tmp_path, "") == ["s.yaml:1:1: the file is empty (no YAML content)"]
