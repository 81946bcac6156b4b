"""People on fixed rosters in the simulator (sim.model.Duty).

References: hours counted by hand from the spans; an exact timeline — a contact arriving
while only one person is on duty is answered by that person."""

from __future__ import annotations

import numpy as np
import pytest

from sim.model import ChannelModel, Duration, Duty, PoolModel, Quality, SimModel
from sim.runner import Demand, simulate

DET = Duration("deterministic", 100.0, 0.0)


def model(duty: Duty, n: int = 8, kernel: str = "auto") -> SimModel:
    staffing = duty.matrix(1800.0, n).sum(axis=0)
    pool = PoolModel("in_house", staffing, ("voice",), quality=Quality(fcr=1.0), duty=duty)
    return SimModel((ChannelModel("voice", DET),), (pool,), 1800.0, n, drain=False,
                    contact_log=True, kernel=kernel)


@pytest.mark.parametrize("kernel", ["auto", "events"])
def test_hours_on_duty_per_person_are_the_rosters(kernel: str) -> None:
    """E1 on 0–1 h and 2–3 h (a break between), E2 on 1–4 h (past the 4-h horizon end
    it is cut); staffed hours per person 2 and 3 (by hand); a contact at 1 h 10 min is
    answered by E2 (E1 is on break), one at 10 min by E1."""
    duty = Duty(("E1", "E2"), np.array([0, 0, 1]), np.array([0.0, 7200, 3600]),
                np.array([3600.0, 10800, 18000]))
    m = model(duty, kernel=kernel)
    rates = {"voice": np.zeros(8)}
    out = simulate(m, Demand(rates, arrivals={"voice": np.array([600.0, 4200.0])}), 0, 0)
    a = out.agents
    staffed = np.bincount(a["agent"].astype(int), weights=a["staffed_s"], minlength=2)
    assert staffed.tolist() == pytest.approx([2 * 3600.0, 3 * 3600.0])
    assert duty.hours(4 * 3600.0).tolist() == pytest.approx([2.0, 3.0])
    assert out.contacts.agent.tolist() == [0, 1]


def test_agent_ids_are_the_people() -> None:
    duty = Duty(("E007", "E008"), np.array([0, 1]), np.array([0.0, 0.0]),
                np.array([1800.0, 1800.0]))
    pool = model(duty).pools[0]
    assert pool.size == 2 and [pool.agent_id(j) for j in range(2)] == ["E007", "E008"]
