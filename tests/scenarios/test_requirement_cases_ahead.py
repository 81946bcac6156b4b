"""The mix stage's requirement cases started on the other core by the requirements stage.

Reference: the same cases computed in this process alone, case by case as before — the
frozen path (tests/planning/reference_channel.py) — bit for bit; and the flow falls back
to this process when the job is lost or not worth starting.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios.adapters import to_mix
from scenarios.reading.load import load_scenario
from tests.bitwise import same
from tests.planning import reference_channel as ref

FLAGSHIP = Path(__file__).resolve().parents[2] / "scenarios" / "examples" / "double11.yaml"


@pytest.fixture(scope="module")
def flagship() -> tuple:
    """The flagship with 6 of its demand scenarios, and their cases computed here alone
    by the frozen case-by-case path."""
    sc = load_scenario(FLAGSHIP)
    sc = sc.model_copy(update={"uncertainty": sc.uncertainty.model_copy(
        update={"scenarios": 6})})
    rates = to_mix.demand_cases(sc)
    assert len(rates) == 6
    alone = ref.requirement_cases(sc, rates)
    mean = {ch: sum(p * r[ch] for _, p, r in rates) for ch in rates[0][2]}
    return sc, rates, alone, ref.requirement_cases(sc, [("mean", 1.0, mean)])[0]


def test_ahead_equals_alone(flagship: tuple) -> None:
    """Started ahead (4 of the 6 cases and the mean case in the job): the same cases, in
    order, and the same mean case, bit for bit."""
    sc, rates, alone, mean = flagship
    try:
        assert to_mix.requirement_cases_ahead(sc)
        assert to_mix._AHEAD.job is not None and to_mix._AHEAD.split == 2
        same(to_mix.requirement_cases(sc, rates), alone)
        assert to_mix._AHEAD.job is None  # answered and ended
        same(to_mix.mean_case(sc, rates), mean)
    finally:
        to_mix._AHEAD.stop()


def test_other_cases_are_computed_here(flagship: tuple) -> None:
    """Asked for other demand scenarios (or another scenario object) than those started:
    computed here; the job's answer is not taken."""
    sc, rates, alone, _ = flagship
    try:
        assert to_mix.requirement_cases_ahead(sc)
        same(to_mix.requirement_cases(sc, rates[:3]), alone[:3])
        assert to_mix._AHEAD.job is not None  # still for the whole list
        other = sc.model_copy()
        same(to_mix.requirement_cases(other, rates)[4:], alone[4:])
        assert to_mix._AHEAD.mean(other, rates) is None
    finally:
        to_mix._AHEAD.stop()


def test_lost_job_falls_back_here(flagship: tuple, monkeypatch: pytest.MonkeyPatch) -> None:
    """A job killed before answering (out of memory, say): its share computed here."""
    sc, rates, alone, _ = flagship
    try:
        assert to_mix.requirement_cases_ahead(sc)
        to_mix._AHEAD.job._proc.kill()
        same(to_mix.requirement_cases(sc, rates), alone)
        assert to_mix._AHEAD.kept_mean is None
    finally:
        to_mix._AHEAD.stop()


def test_not_started_on_one_core_or_few_cases(flagship: tuple,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    sc, rates, alone, _ = flagship
    monkeypatch.setattr(to_mix, "_two_cores", lambda: False)
    assert not to_mix.requirement_cases_ahead(sc)
    monkeypatch.setattr(to_mix, "_two_cores", lambda: True)
    monkeypatch.setattr(to_mix, "AHEAD_MIN_CASES", 7)
    assert not to_mix.requirement_cases_ahead(sc)
    assert to_mix._AHEAD.job is None
    same(to_mix.requirement_cases(sc, rates), alone)


def test_not_started_where_work_goes_to_an_executor(flagship: tuple) -> None:
    """Inside ``sim.execution.executing`` (e.g. a Dask worker's run): no job forked."""
    from concurrent.futures import ThreadPoolExecutor

    from sim.execution import executing

    sc, rates, alone, _ = flagship
    with ThreadPoolExecutor(1) as ex, executing(ex):
        assert not to_mix.requirement_cases_ahead(sc)
    assert to_mix._AHEAD.job is None
