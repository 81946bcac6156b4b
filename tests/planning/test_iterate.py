"""Validate-and-tighten loop (planning/iterate.py) and its Erlang A stand-in validator."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

from planning.channel import ChannelStaffing
from planning.iterate import erlang_validator, tighten
from planning.mix_inputs import DemandCase, SolverOptions
from planning.requirements import Targets
from tests.planning import reference as R
from tests.planning.test_mix import tiny

OPTS = SolverOptions(time_limit_s=30, mip_gap=0.0, threads=1)


def test_erlang_validator_matches_birth_death_chain() -> None:
    # reference: mpmath M/M/n+M chain (tests/planning/reference.py), voice + chat (K* = 2)
    voice = ChannelStaffing("voice", 240.0, 120.0, Targets(service_level=0.8, within_s=20))
    chat = ChannelStaffing("chat", 400.0, 300.0, Targets(service_level=0.8, within_s=30),
                           concurrency=2, concurrency_slowdown=0.0)
    rates = {"voice": np.array([300.0, 90.0]), "chat": np.array([200.0, 0.0])}
    # requirements 3:1 voice:chat in interval 0, voice only in interval 1
    case = DemandCase("c", 1.0, np.array([8.0, 3.0]),
                      {"voice": np.array([6.0, 3.0]), "chat": np.array([2.0, 0.0])})
    shrink = 0.25
    on_queue = np.array([[16.0, 5.0]])  # agents on the queue per interval
    plan = SimpleNamespace(coverage=on_queue / (1 - shrink))
    sl = erlang_validator([rates], (case,), {"voice": voice, "chat": chat}, shrink)(plan)
    ref_v0 = R.erlang_a(12, 300.0, 240.0, 120.0, 20.0)["service_level"]
    ref_c0 = R.erlang_a(8, 200.0, 400.0, 300.0, 30.0)["service_level"]  # 4 agents × 2 sessions
    ref_v1 = R.erlang_a(5, 90.0, 240.0, 120.0, 20.0)["service_level"]
    assert sl["voice"][0, 0] == pytest.approx(float(ref_v0), rel=1e-9)
    assert sl["chat"][0, 0] == pytest.approx(float(ref_c0), rel=1e-9)
    assert sl["voice"][0, 1] == pytest.approx(float(ref_v1), rel=1e-9)
    assert sl["chat"][0, 1] == 1.0  # no chat demand: nothing to miss


def test_tighten_raises_missed_intervals_until_the_check_passes() -> None:
    # a validator that knows the "true" requirement (2 agents more than planned in three
    # intervals): each round raises those by one agent, so two rounds fix it.
    req = [[1, 1, 2, 2, 2, 1, 1, 1]]
    true = np.array(req, dtype=float)
    true[0, 2:5] += 2
    inp = tiny(req, [1.0], shortfall_penalty_per_hour=1000.0)

    def validate(plan):
        return {"voice": np.where(plan.coverage + 1e-9 >= true, 1.0, 0.0)}

    out = tighten(inp, OPTS, validate, {"voice": 0.8}, rounds=3)
    assert [r.misses for r in out.rounds] == [3, 3, 0]
    assert out.rounds[0].raised == 3
    assert np.all(out.final.coverage + 1e-9 >= true)
    assert out.final.objective >= out.first.objective
    assert len(out.rounds) == 3 and math.isclose(out.rounds[0].objective, out.first.objective)


def test_tighten_stops_at_round_limit() -> None:
    inp = tiny([[1, 1, 1, 1, 1, 1, 1, 1]], [1.0])
    out = tighten(inp, OPTS, lambda plan: {"voice": np.zeros((1, 8))}, {"voice": 0.8},
                  rounds=1)
    assert len(out.rounds) == 2 and out.rounds[-1].raised == 0
    assert out.final.cost.total >= out.first.cost.total
