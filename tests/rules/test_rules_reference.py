"""Vectorised pay against an independent plain-Python reading of docs/formats.md §2
(tests/rules/rules_reference.py), on hypothesis-generated policies and KPI tables.

Values come from small integer sets so that ties, band edges, tier edges and offsets that
run out all happen often.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rules_reference import pay as reference_pay

from rules import Policy, pay

METRICS = ["answered", "aht_s", "fcr", "named_good_reviews", "bad_reviews", "complaints"]


@st.composite
def policies(draw):
    pol: dict = {"policy": "generated", "base_pay": draw(st.sampled_from([0, 2500, 3000]))}
    if draw(st.booleans()):
        pol["applies_to"] = ["in_house"]
    items = []
    for m in draw(st.lists(st.sampled_from(METRICS[:3]), min_size=1, max_size=3, unique=True)):
        items.append({"metric": m, "weight": draw(st.sampled_from([0.2, 0.3, 0.5])),
                      "target": draw(st.sampled_from([1, 2, 5, 10])),
                      "direction": draw(st.sampled_from(["higher", "lower"]))})
    if draw(st.booleans()):
        card = {"pay_base": draw(st.sampled_from([500, 1000])), "items": items}
        if draw(st.booleans()):
            card["floor"] = 0.5
        if draw(st.booleans()):
            card["cap"] = 1.5
        pol["scorecard"] = card
    if draw(st.booleans()):
        by = "score" if "scorecard" in pol and draw(st.booleans()) else draw(st.sampled_from(METRICS))
        bands = []
        for _ in range(draw(st.integers(1, 3))):
            side = draw(st.sampled_from(["top", "bottom"]))
            bands.append({side: draw(st.sampled_from([0.1, 0.15, 0.2, 0.25, 0.3, 0.5])),
                          "pay": draw(st.sampled_from([-500, 300, 800]))})
        pol["ranking"] = {"by": by, "bands": bands}
        tie_rule = draw(st.sampled_from([None, "split", "all"]))
        if tie_rule is not None:
            pol["ranking"]["ties"] = tie_rule
        if by != "score" and draw(st.booleans()):
            pol["ranking"]["direction"] = draw(st.sampled_from(["higher", "lower"]))
    coms = []
    for _ in range(draw(st.integers(0, 2))):
        starts = sorted(draw(st.lists(st.integers(0, 12), min_size=1, max_size=3, unique=True)))
        coms.append({"per": draw(st.sampled_from(METRICS)),
                     "mode": draw(st.sampled_from(["marginal", "whole"])),
                     "tiers": [{"from": s, "rate": draw(st.sampled_from([0.5, 1.0, 1.5, 2.0]))}
                               for s in starts]})
    for c in coms:
        if draw(st.booleans()):
            c["when"] = f"{draw(st.sampled_from(METRICS))} > {draw(st.integers(0, 10))}"
    if coms:
        pol["commission"] = coms
    events = []
    if draw(st.booleans()):
        events.append({"per": "named_good_reviews", "pay": 5})
    if draw(st.booleans()):
        events.append({"per": "bad_reviews", "pay": -50,
                       "offset": {"by": "named_good_reviews", "ratio": draw(st.sampled_from([2, 3, 25]))}})
    if draw(st.booleans()):
        events.append({"per": "complaints", "pay": -30,
                       "offset": {"by": "named_good_reviews", "ratio": 4}})
    if draw(st.booleans()):
        events.append({"per": "bad_reviews", "pay": -10})
    for e in events:
        if draw(st.booleans()):
            e["when"] = f"{draw(st.sampled_from(METRICS))} > {draw(st.integers(0, 10))}"
    draw(st.randoms()).shuffle(events)
    if events:
        pol["events"] = events
    if draw(st.booleans()):
        pol["cap_total"] = draw(st.sampled_from([500, 2000]))
    if draw(st.booleans()):
        pol["pay_floor"] = draw(st.sampled_from([2000, 3200]))
    return pol


@st.composite
def tables(draw):
    n = draw(st.integers(1, 25))
    agents = []
    for i in range(n):
        a = {"agent_id": f"a{i}", "pool": draw(st.sampled_from(["in_house", "in_house", "outsourced"]))}
        for m in METRICS:
            a[m] = float(draw(st.integers(0, 12)))
        agents.append(a)
    return agents


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policies(), tables())
def test_vectorised_pay_matches_reference(pol, agents):
    result = pay(Policy.model_validate(pol), {
        "agent_id": np.array([a["agent_id"] for a in agents]),
        "pool": np.array([a["pool"] for a in agents]),
        **{m: np.array([a[m] for a in agents]) for m in METRICS}})
    expected = reference_pay(pol, agents)
    assert result.agent_id.tolist() == [e["agent_id"] for e in expected]
    for field in ("score", "performance_pay", "ranking_pay", "commission", "event_pay",
                  "variable_pay", "total_pay"):
        got = getattr(result, field).tolist()
        want = [e[field] for e in expected]
        assert got == pytest.approx(want, rel=1e-9, abs=1e-9), field
