"""Scenario → mix inputs: unit conversions and demand cases, checked by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from scenarios import load_scenario
from scenarios.adapters.to_demand import arrival_rates
from scenarios.adapters.to_mix import demand_cases, mix_inputs, requirement_cases
from tests.cli.test_plan_cli import SMALL

ROOT = Path(__file__).parents[2]


@pytest.fixture()
def small(tmp_path: Path):
    f = tmp_path / "s.yaml"
    f.write_text(SMALL)
    return load_scenario(f)


def test_demand_cases_scale_only_inside_windows(small) -> None:
    base = arrival_rates(small)["voice"]
    cases = demand_cases(small)
    assert [p for _, p, _ in cases] == [0.3, 0.5, 0.2]
    high = cases[2][2]["voice"]
    assert np.allclose(high[17:22], 1.5 * base[17:22])  # 17:00–22:00 window
    assert np.array_equal(high[:17], base[:17]) and np.array_equal(high[22:], base[22:])


def test_terms_converted_by_hand(small) -> None:
    inp = mix_inputs(small, requirement_cases(small, demand_cases(small)))
    assert inp.interval_minutes == 60 and inp.n_intervals == 24
    o = inp.outsourced
    assert o.price_per_hour == 8 * 4  # per contact × contacts per hour
    assert o.surge_price_per_hour == pytest.approx(32 * 1.5)  # default premium
    # simulator defaults (POOL_DEFAULTS): handle time ×1.35, show-up 0.95
    assert o.block == 4 and o.block_step == 4 and o.productivity == pytest.approx(0.95 / 1.35)
    r = inp.reserve
    assert r.cost_per_agent == 150 and r.callout == 4 and r.show_up == 0.6
    assert r.productivity == pytest.approx(1 / 1.15)  # show-up is in the call-out cap
    assert r.available_from == 0  # trained 2 days ahead, decided 7 days ahead
    ih = inp.in_house
    assert [p.starts for p in ih.patterns] == [(7, 9, 11, 13, 15), (23,)]
    assert ih.patterns[0].length == 8 and ih.patterns[0].paid_hours == 8
    assert inp.temps.capacity == 5 and inp.temps.available_from == 0


def test_requirement_is_sum_of_channel_scheduled_agents() -> None:
    from planning.channel import channel_requirements
    from scenarios.adapters.to_staffing import scenario_staffing

    sc = load_scenario(ROOT / "scenarios" / "examples" / "double11_mix.yaml")
    cases = demand_cases(sc)
    assert len(cases) == 20 and sum(p for _, p, _ in cases) == pytest.approx(1.0)
    reqs = requirement_cases(sc, cases[:1])
    direct = channel_requirements(cases[0][2], scenario_staffing(sc), 0.30)
    total = direct["voice"].scheduled_fractional + direct["chat"].scheduled_fractional
    assert np.allclose(reqs[0].requirement, total)
    inp = mix_inputs(sc, reqs)
    ih = inp.in_house
    # day9: 9 h with a 60-min unpaid break after 4 h → 8 paid hours, 16 intervals on queue
    assert ih.patterns[0].paid_hours == 8 and len(ih.patterns[0].breaks) == 2
    assert ih.hires_from == 3 * 48  # hire lead 10 days, decided 7 days ahead
    assert inp.outsourced.available_from == 0  # notice 5 days < 7
    assert inp.outsourced.productivity == pytest.approx(1 / 1.8)
    assert inp.reserve.productivity == pytest.approx(0.8) and inp.reserve.show_up == 0.6
    assert inp.temps.productivity == pytest.approx(0.4)


def test_simulator_check_agrees_with_erlang_a(small) -> None:
    # reference: stationary Erlang A at the planned staffing (planning.iterate) — an
    # independent model; the simulator is time-varying, so agreement is qualitative:
    # the same intervals rank high and low, and deep misses are misses in both.
    from planning.iterate import erlang_validator
    from planning.mix import plan_mix
    from planning.mix_inputs import SolverOptions
    from scenarios.adapters.plan_check import sim_validator
    from scenarios.adapters.to_staffing import scenario_staffing

    rates = demand_cases(small)
    cases = requirement_cases(small, rates)
    plan = plan_mix(mix_inputs(small, cases), SolverOptions(30, 0.0, 1))
    sim_obs = sim_validator(small, rates, 8, 1)(plan).channels["voice"]
    erl_obs = erlang_validator([r for _, _, r in rates], cases, scenario_staffing(small),
                               small.staffing.shrinkage,
                               small.horizon.interval_minutes / 60.0)(plan).channels["voice"]
    sim, erl = sim_obs["service_level"], erl_obs["service_level"]
    busy = np.vstack([r["voice"] for _, _, r in rates]) >= 100
    assert np.corrcoef(sim[busy], erl[busy])[0, 1] > 0.8
    deep = busy & (erl < 0.6)
    assert deep.any() and np.all(sim[deep] < 0.8)
    assert np.all(sim[busy & (erl >= 0.8)] > 0.7)
    # abandonment too: the intervals Erlang A calls worst abandon most in simulation
    ab_s, ab_e = sim_obs["abandon_rate"], erl_obs["abandon_rate"]
    assert np.corrcoef(ab_s[busy], ab_e[busy])[0, 1] > 0.8
    # pooled replications: offered contacts are counts summed over the 8 replications,
    # close to 8 × the expected contacts (Poisson law of large numbers, ±5%)
    iv = small.horizon.interval_minutes
    first = int(np.ceil(small.simulation.warmup_minutes / iv - 1e-9))
    exp_after = 8 * np.vstack([r["voice"][first:] for _, _, r in rates]).sum(1) * iv / 60
    assert np.allclose(sim_obs["offered"].sum(1), exp_after, rtol=0.05)


def _routed(tmp_path: Path, **routing: float):
    from tests.cli.test_plan_cli import ROUTED

    text = ROUTED
    for key, value in routing.items():
        text = text.replace("overflow_after_s: 60}", f"overflow_after_s: 60, {key}: {value}}}")
    f = tmp_path / "routed.yaml"
    f.write_text(text)
    return load_scenario(f)


def test_overflow_at_once_cases_are_the_edited_scenarios(tmp_path: Path) -> None:
    """The plan made for overflow at once reuses the routed cases' pooled requirement
    (DemandCase.overflowing_at_once) instead of computing the requirements again.
    Reference: requirement_cases of the scenario edited to overflow_after_s: 0."""
    from scenarios.checked_mix import overflow_at_once

    sc = _routed(tmp_path)
    rates = demand_cases(sc)
    routed = requirement_cases(sc, rates)
    direct = requirement_cases(overflow_at_once(sc), rates)
    assert all(c.in_house is not None for c in routed)
    for mine, ref in zip((c.overflowing_at_once() for c in routed), direct, strict=True):
        assert mine.in_house is None and ref.in_house is None
        assert np.array_equal(mine.requirement, ref.requirement)
        assert mine.by_channel.keys() == ref.by_channel.keys()
        assert all(np.array_equal(mine.by_channel[c], ref.by_channel[c])
                   for c in ref.by_channel)
    # the routed rows raise the pooled requirement somewhere, never lower it
    assert any(np.any(c.requirement > c.pooled + 1e-9) for c in routed)
    assert all(np.all(c.requirement >= c.pooled - 1e-12) for c in routed)


@pytest.mark.parametrize("share", [0.5, 1.0])
def test_in_house_abandon_share_sets_the_in_house_row(tmp_path: Path, share: float) -> None:
    """routing.in_house_abandon_share is the share of the abandonment cap (5%) that the
    wait for in-house agents may use. Reference: planning.tier.in_house_tier (itself
    checked against an mpmath quadrature): with the row's whole on-queue agents the tier's
    abandonment is within share × cap, with one agent fewer it is not."""
    from planning.tier import in_house_tier

    sc = _routed(tmp_path, in_house_abandon_share=share)
    assert sc.routing.in_house_abandon_share == share
    keep = 1.0 - sc.staffing.shrinkage
    case = requirement_cases(sc, demand_cases(sc))[2]
    rate = case.staffed["voice"]
    n = np.ceil(case.in_house * keep - 1e-9)
    busy = rate > 0
    ab = in_house_tier(n[busy], rate[busy], 240.0, 120.0, 60.0).abandoned
    ab_less = in_house_tier(np.maximum(n[busy] - 1, 0), rate[busy], 240.0, 120.0, 60.0).abandoned
    assert np.all(ab <= share * 0.05 + 1e-12)
    assert np.all((ab_less > share * 0.05) | (n[busy] == 0))
    default = requirement_cases(_routed(tmp_path), demand_cases(sc))[2]
    # a smaller share of the cap needs at least as many in-house agents, and vice versa
    assert np.all((case.in_house - default.in_house) * (0.8 - share) >= -1e-9)
    assert np.any(np.abs(case.in_house - default.in_house) > 1e-6)
