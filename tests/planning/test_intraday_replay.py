"""The replay's pieces (planning/intraday/replay.py): contacts waiting at "now" and the
staffing swap. The replay against a plain simulation of the roster is checked end to end
in tests/cli/test_intraday_cli.py."""

from __future__ import annotations

import numpy as np

from planning.intraday.replay import queued_arrivals, recourse_cost, with_staffing
from sim.model import ChannelModel, Duration, PoolModel, SimModel


def model() -> SimModel:
    ch = ChannelModel("voice", Duration("exponential", 240.0))
    pool = PoolModel("in_house", np.zeros(3, np.int64), ("voice",))
    return SimModel((ch,), (pool,), interval_s=1800.0, n_intervals=3)


def test_waiting_contacts_arrive_at_the_first_instant() -> None:
    # reference: by construction — 7 contacts at t = 0, then the Poisson stream of each
    # interval inside it; with nobody waiting the simulator draws its own arrivals (None)
    rng = np.random.default_rng(1)
    out = queued_arrivals(model(), {"voice": np.array([100.0, 0.0, 50.0])}, {"voice": 7}, rng)
    t = out["voice"]
    assert (t[:7] == 0).all() and np.all(np.diff(t) >= 0)
    assert not np.any((t[7:] >= 1800) & (t[7:] < 3600))  # no arrivals at rate 0
    assert t.max() < 5400
    assert queued_arrivals(model(), {"voice": np.ones(3)}, {"voice": 0}, rng) is None


def test_with_staffing_and_recourse_cost_by_hand() -> None:
    m = with_staffing(model(), {"in_house": np.array([3, 4, 5])})
    assert m.pools[0].staffing.tolist() == [3, 4, 5] and m.n_intervals == 3
    # reference: by hand, 2 + 2 temps for 0.5 h at 80 an hour = 160
    assert recourse_cost({"temps": np.array([2, 2])}, {"temps": 80.0}, 0.5) == 160.0
