"""Lint rules (each expectation follows from the policy text in the test)."""

from __future__ import annotations

import numpy as np

from rules import Policy, compile_policy
from rules.lint import lint


def findings(pol, table=None):
    cp = compile_policy(Policy.model_validate({"policy": "t", **pol}), (table or {}).keys())
    return {(f.loc, f.message.split(":")[0]) for f in lint(cp, table)}, lint(cp, table)


def test_weights_and_single_weight():
    _, out = findings({"scorecard": {"items": [{"metric": "fcr", "weight": 0.45, "target": 1},
                                               {"metric": "aht_s", "weight": 0.45, "target": 300}]}})
    msgs = [f.message for f in out]
    assert any("weights sum to 0.9" in m for m in msgs)
    assert sum("above 40%" in m for m in msgs) == 2


def test_clean_policy_has_no_findings():
    _, out = findings({"scorecard": {"items": [{"metric": "fcr", "weight": 0.4, "target": 0.8},
                                               {"metric": "aht_s", "weight": 0.3, "target": 300},
                                               {"metric": "answered", "weight": 0.3, "target": 10}]}},
                      {"agent_id": np.array(["a", "b"]), "fcr": np.array([0.7, 0.9]),
                       "aht_s": np.array([250.0, 350.0]), "answered": np.array([5.0, 12.0])})
    assert out == []


def test_lower_target_reachability():
    _, out = findings({"scorecard": {"items": [{"metric": "aht_s", "weight": 1, "target": 100}]}},
                      {"agent_id": np.array(["a"]), "aht_s": np.array([250.0])})
    assert any("no agent reaches the target 100 of 'aht_s' (best: 250)" in f.message for f in out)


def test_shadowing_direction_bands_and_dead_events():
    _, out = findings({"metrics": {"answered": "offered"},
                       "ranking": {"by": "aht_s", "bands": [{"top": 0.6, "pay": 1},
                                                            {"bottom": 0.6, "pay": -1}]},
                       "events": [{"per": "bad_reviews", "pay": 0}, {"per": "0", "pay": 5}]})
    msgs = " | ".join(f.message for f in out)
    assert "replaces the KPI catalogue" in msgs
    assert "add 'direction: lower'" in msgs
    assert "add up to over 100%" in msgs
    assert "pays 0" in msgs and "counts no units" in msgs
