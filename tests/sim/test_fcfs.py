"""The FCFS recursion (sim.fcfs) against the event-driven desk (sim.kernel).

Reference: the desk itself, an independent implementation of the same model (events,
idle deques, lazy deletion vs. the Kiefer–Wolfowitz recursion). With the same seed and no
contacts created during the run the per-contact records must be identical; with retrials
and repeat contacts (drawn in a different order) the statistics must agree within CIs.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sim import fcfs
from sim.runner import simulate
from tests.sim.helpers import run, steady

STAFF = [5, 9, 14, 20, 20, 12, 3, 0, 6, 8]


@pytest.mark.parametrize("drain", [True, False])
@pytest.mark.parametrize("patience", [90.0, None])
def test_recursion_equals_event_desk_record_by_record(drain, patience):
    model, demand = steady(STAFF, 200, 300, patience, hours=5, warmup_h=0, interval_s=1800,
                           drain=drain, contact_log=True)
    model = dataclasses.replace(model, pools=(dataclasses.replace(
        model.pools[0], speed_cv=0.3, show_up=0.8),))
    assert fcfs.applies(model, np.ones(1))
    events = dataclasses.replace(model, kernel="events")
    for seed in range(3):
        a = simulate(model, demand, seed, 0)
        b = simulate(events, demand, seed, 0)
        ca, cb = a.contacts, b.contacts
        for f in ("arrival_t", "channel", "agent", "answer_t", "abandon_t", "end_t",
                  "resolved"):
            np.testing.assert_allclose(getattr(ca, f).astype(float),
                                       getattr(cb, f).astype(float), rtol=0, atol=1e-6,
                                       err_msg=f)
        assert a.waiting_at_end == b.waiting_at_end
        np.testing.assert_allclose(a.agents["idle_s"], b.agents["idle_s"], atol=1e-5)


def test_recursion_agrees_with_desk_on_retrials_and_repeats():
    model, demand = steady(60, 900, 240, 100, hours=6, warmup_h=1)
    model = dataclasses.replace(model, channels=(dataclasses.replace(
        model.channels[0], retrial_p=0.5, repeat_p=1.0),), pools=(dataclasses.replace(
            model.pools[0], quality=dataclasses.replace(model.pools[0].quality, fcr=0.8)),))
    ra = run(model, demand, 10, seed=3)
    rb = run(dataclasses.replace(model, kernel="events"), demand, 10, seed=3)
    sa, sb = ra.channel_summary()["voice"], rb.channel_summary()["voice"]
    for m in ("offered", "abandon_rate", "service_level", "asa_s", "repeat_contacts",
              "retrials"):
        # difference of two independent means: within the sum of the two CI half-widths
        half = (sa[m][2] - sa[m][1]) / 2 + (sb[m][2] - sb[m][1]) / 2
        assert abs(sa[m][0] - sb[m][0]) <= half, m
