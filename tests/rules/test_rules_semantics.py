"""Every semantic rule of docs/formats.md §2, with expectations computed by hand in the comments
(the worked examples of docs/formats.md §2 included)."""

from __future__ import annotations

import numpy as np
import pytest

from rules import MissingMetrics, Policy, explain, pay
from rules.compiled import PolicyFormulaError, compile_policy
from rules.ranking import band_size


def table(**cols):
    n = len(next(iter(cols.values())))
    out = {"agent_id": np.array([f"a{i + 1}" for i in range(n)]),
           "pool": np.array(cols.pop("pool", ["in_house"] * n))}
    out.update({k: np.asarray(v, dtype=float) for k, v in cols.items()})
    return out


def policy(**kw):
    return Policy.model_validate({"policy": "t", **kw})


# ---- scorecard -------------------------------------------------------------------------

CARD = {"pay_base": 1000, "floor": 0.5, "cap": 1.5, "items": [
    {"metric": "answer_rate", "weight": 0.30, "target": 0.95, "direction": "higher"},
    {"metric": "aht_s", "weight": 0.30, "target": 300, "direction": "lower"},
    {"metric": "answered", "weight": 0.40, "target": 900, "direction": "higher"}]}


def test_item_scores_clip_and_sum():
    r = pay(policy(scorecard=CARD), table(answer_rate=[0.95, 0.19, 0.99],
                                          aht_s=[300, 100, 0], answered=[450, 2000, 900]))
    # a1: 1.0*0.3 + 1.0*0.3 + 0.5*0.4 = 0.8
    # a2: answer 0.2 -> floor 0.5 -> 0.15; aht 300/100 = 3 -> cap 1.5 -> 0.45;
    #     answered 2000/900 = 2.22 -> cap -> 0.6; total 1.2
    # a3: 0.99/0.95 = 1.0421 -> 0.31263; aht 0 with lower counts as the cap -> 0.45; 0.4
    assert r.score == pytest.approx([0.8, 1.2, 0.3 * 0.99 / 0.95 + 0.45 + 0.4])
    assert r.performance_pay == pytest.approx(1000 * r.score)
    assert r.item_scores["aht_s"] == pytest.approx([0.3, 0.45, 0.45])


def test_item_floor_and_cap_override_and_soft_items():
    card = {"pay_base": 100, "floor": 0.5, "cap": 1.5, "items": [
        {"metric": "fcr", "weight": 0.5, "target": 0.8, "cap": 1.0},
        {"metric": "supervisor_rating", "weight": 0.5, "target": 10, "kind": "soft"}]}
    r = pay(policy(scorecard=card), table(fcr=[0.96, 0.2], supervisor_rating=[10, 2]))
    # fcr: 1.2 -> item cap 1.0 -> 0.5; 0.25 -> floor 0.5 -> 0.25
    # soft: 10/10 = 1 -> 0.5; 2/10 = 0.2, no floor -> 0.1
    assert r.score == pytest.approx([1.0, 0.35])


def test_points_added_to_score():
    card = {"pay_base": 1000, "items": [{"metric": "fcr", "weight": 1, "target": 1}],
            "points": [{"per": "missed_activities", "points": -0.5},
                       {"per": "missed_team_events", "points": -3}]}
    r = pay(policy(scorecard=card), table(fcr=[1, 1], missed_activities=[2, 0],
                                          missed_team_events=[1, 0]))
    # a1: 1 + (2 × −0.5 + 1 × −3) × 0.01 = 0.96
    assert r.score == pytest.approx([0.96, 1.0])
    assert r.performance_pay == pytest.approx([960, 1000])


# ---- ranking ---------------------------------------------------------------------------

@pytest.mark.parametrize("share, n, k", [(0.15, 20, 3), (0.2, 16, 4), (0.1, 16, 2), (0.1, 3, 1),
                                         (0.3, 10, 3), (0.07, 100, 7), (1.0, 5, 5)])
def test_band_size_is_ceil_on_decimals(share, n, k):
    # ceil(0.15 × 20) = 3 exactly, though 0.15 * 20 == 3.0000000000000004 in floats
    assert band_size(share, n) == k


def test_top_band_of_ceil_share():
    scores = list(range(20, 0, -1))    # a1 best ... a20 worst, no ties
    p = policy(ranking={"by": "answered", "bands": [{"top": 0.15, "pay": 100},
                                                    {"bottom": 0.15, "pay": -100}]})
    r = pay(p, table(answered=scores))
    assert r.ranking_pay.tolist() == [100] * 3 + [0] * 14 + [-100] * 3


def test_ties_at_band_edge_all_get_the_band_when_ties_all():
    # 10 agents, top 0.2 -> 2 agents; the 2nd and 3rd tie at 8 -> both in: 3 agents
    vals = [9, 8, 8, 7, 6, 5, 4, 3, 2, 2]
    p = policy(ranking={"by": "answered", "ties": "all",
                        "bands": [{"top": 0.2, "pay": 800}, {"bottom": 0.1, "pay": -500}]})
    r = pay(p, table(answered=vals))
    # bottom 0.1 -> 1 agent, but the last two tie at 2 -> both get -500
    assert r.ranking_pay.tolist() == [800, 800, 800, 0, 0, 0, 0, 0, -500, -500]
    assert r.rank.tolist() == [1, 2, 2, 4, 5, 6, 7, 8, 9, 9]


def test_ties_split_keep_the_band_budget():
    # Reference: hand arithmetic. Top 0.2 of 10 = 2 places: the 9 takes one, the two 8s
    # share the other (400 each); bottom 0.1 = 1 place shared by the two 2s (-250 each).
    # The budget is the band's places × pay, as without ties: 2 × 800 and 1 × -500.
    vals = [9, 8, 8, 7, 6, 5, 4, 3, 2, 2]
    p = policy(ranking={"by": "answered", "ties": "split",
                        "bands": [{"top": 0.2, "pay": 800}, {"bottom": 0.1, "pay": -500}]})
    r = pay(p, table(answered=vals))
    assert r.ranking_pay.tolist() == [800, 400, 400, 0, 0, 0, 0, 0, -250, -250]
    assert sum(r.band_pay[0]) == 2 * 800 and sum(r.band_pay[1]) == -500


def test_fully_tied_team_splits_the_top_band():
    # The case: 5 agents all tied, top 20% = 1 place: split gives each 800 / 5;
    # ties: all (the contract's rule, and the default when a policy says nothing) gives
    # everyone 800.
    band = [{"top": 0.2, "pay": 800}]
    split = pay(policy(ranking={"by": "answered", "ties": "split", "bands": band}),
                table(answered=[7] * 5))
    every = pay(policy(ranking={"by": "answered", "ties": "all", "bands": band}),
                table(answered=[7] * 5))
    default = pay(policy(ranking={"by": "answered", "bands": band}), table(answered=[7] * 5))
    assert split.ranking_pay.tolist() == [160.0] * 5
    assert every.ranking_pay.tolist() == [800.0] * 5
    assert default.ranking_pay.tolist() == [800.0] * 5


def test_agent_in_two_bands_gets_both():
    p = policy(ranking={"by": "answered", "bands": [{"top": 0.5, "pay": 100},
                                                    {"top": 0.25, "pay": 50},
                                                    {"bottom": 0.75, "pay": -10}]})
    r = pay(p, table(answered=[4, 3, 2, 1]))
    # top 50% = a1,a2; top 25% = a1; bottom 75% = a2,a3,a4
    assert r.ranking_pay.tolist() == [150, 90, -10, -10]


def test_ranking_direction_lower_and_default_from_item():
    card = {"pay_base": 0, "items": [{"metric": "aht_s", "weight": 1, "target": 300}]}
    # aht_s is lower-is-better in the catalogue, so the item's direction is lower; ranking
    # by aht_s takes the item's direction: smallest first
    p = policy(scorecard=card, ranking={"by": "aht_s", "bands": [{"top": 0.25, "pay": 1}]})
    r = pay(p, table(aht_s=[300, 200, 400, 250]))
    assert r.ranking_pay.tolist() == [0, 1, 0, 0]
    # not a scorecard item and no direction: higher (docs/formats.md §2) — largest first
    p = policy(ranking={"by": "aht_s", "bands": [{"top": 0.25, "pay": 1}]})
    assert pay(p, table(aht_s=[300, 200, 400, 250])).ranking_pay.tolist() == [0, 0, 1, 0]
    p = policy(ranking={"by": "aht_s", "direction": "lower", "bands": [{"bottom": 0.25, "pay": -1}]})
    assert pay(p, table(aht_s=[300, 200, 400, 250])).ranking_pay.tolist() == [0, 0, -1, 0]


def test_ranking_only_over_pools_the_policy_applies_to():
    p = policy(applies_to=["in_house"], ranking={"by": "answered",
                                                 "bands": [{"top": 0.5, "pay": 1}]})
    r = pay(p, table(answered=[1, 9, 2, 3], pool=["in_house", "outsourced", "in_house", "in_house"]))
    # the outsourced agent is neither paid nor ranked: 3 agents, top ceil(1.5) = 2
    assert r.agent_id.tolist() == ["a1", "a3", "a4"]
    assert r.ranking_pay.tolist() == [0, 1, 1]


# ---- commission --------------------------------------------------------------------------

TIERS = [{"from": 0, "rate": 1.0}, {"from": 800, "rate": 1.5}]


@pytest.mark.parametrize("mode, answered, expected", [
    ("marginal", 1000, 800 * 1.0 + 200 * 1.5),   # docs/formats.md §2: 1100
    ("whole", 1000, 1000 * 1.5),                 # docs/formats.md §2: 1500
    ("marginal", 800, 800.0),
    ("whole", 800, 800 * 1.5),                   # `from` is the first unit: 800 reaches the tier
    ("whole", 799, 799.0),
    ("marginal", 0, 0.0),
])
def test_commission_tiers(mode, answered, expected):
    p = policy(commission=[{"per": "answered", "mode": mode, "tiers": TIERS}])
    assert pay(p, table(answered=[answered])).commission[0] == pytest.approx(expected)


def test_units_below_first_tier_earn_nothing():
    p = policy(commission={"per": "answered", "mode": "marginal",
                           "tiers": [{"from": 100, "rate": 2}, {"from": 200, "rate": 3}]})
    # 250: 100 units in tier 1 (×2) + 50 in tier 2 (×3) = 350; 50: nothing
    assert pay(p, table(answered=[250, 50])).commission.tolist() == [350, 0]


def test_commission_when_tenure_and_clawback():
    p = policy(probation_months=3, commission=[
        {"per": "sales_amount", "rate": 0.02, "when": "qa_score >= 80",
         "clawback": {"rate": "return_rate"}},
        {"per": "orders", "rate": 1, "tenure": "regular",
         "clawback": {"units": "returned_orders"}}])
    r = pay(p, table(sales_amount=[100000, 100000], qa_score=[90, 70], return_rate=[0.1, 0],
                     orders=[50, 50], returned_orders=[5, 5], tenure_months=[12, 1]))
    # a1: 0.02 × 100000 × (1 − 0.1) = 1800; orders (50 − 5) × 1 = 45
    # a2: qa below 80 -> 0; probation -> no orders commission
    assert r.commission.tolist() == pytest.approx([1845, 0])


# ---- events ------------------------------------------------------------------------------

REVIEWS = [{"per": "named_good_reviews", "pay": 5},
           {"per": "bad_reviews", "pay": -50, "offset": {"by": "named_good_reviews", "ratio": 25}}]


def test_offset_worked_examples():
    r = pay(policy(events=REVIEWS), table(named_good_reviews=[80, 60], bad_reviews=[3, 3]))
    # docs/formats.md §2: 80 good, 3 bad -> 3 offset by 75, 5 good remain -> +25
    #             60 good, 3 bad -> 2 offset by 50, 10 good (+50), 1 bad (−50) -> 0
    assert r.event_pay.tolist() == [25, 0]


def test_offsets_that_run_out():
    r = pay(policy(events=REVIEWS), table(named_good_reviews=[24, 0, 50], bad_reviews=[2, 4, 0]))
    # 24 good cannot cancel a bad one: 24 × 5 − 2 × 50 = 20; 0 good: −200; no bad: +250
    assert r.event_pay.tolist() == [20, -200, 250]


def test_offset_events_settle_first_whatever_the_order():
    r = pay(policy(events=list(reversed(REVIEWS))),
            table(named_good_reviews=[80], bad_reviews=[3]))
    assert r.event_pay.tolist() == [25]


def test_when_false_pays_nothing_and_does_not_offset():
    events = [{"per": "named_good_reviews", "pay": 5, "when": "named_good_review_rate > 0.06"},
              REVIEWS[1]]
    r = pay(policy(events=events), table(named_good_reviews=[80, 80], bad_reviews=[3, 3],
                                         named_good_review_rate=[0.07, 0.05]))
    # a1: as the worked example, +25; a2: good reviews pay nothing (when false) but still
    # cancel the 3 bad ones -> 0
    assert r.event_pay.tolist() == [25, 0]
    # an offset event whose `when` is false cancels nothing and pays nothing
    events = [REVIEWS[0], {**REVIEWS[1], "when": "bad_reviews > 5"}]
    r = pay(policy(events=events), table(named_good_reviews=[80], bad_reviews=[3]))
    assert r.event_pay.tolist() == [400]


def test_two_offset_events_share_the_by_units_in_order():
    events = [{"per": "bad_reviews", "pay": -50, "offset": {"by": "named_good_reviews", "ratio": 25}},
              {"per": "complaints", "pay": -100, "offset": {"by": "named_good_reviews", "ratio": 30}},
              {"per": "named_good_reviews", "pay": 5}]
    r = pay(policy(events=events), table(named_good_reviews=[70], bad_reviews=[2], complaints=[1]))
    # 2 bad use 50 good; 20 good left cannot cancel the complaint (30) -> −100; 20 × 5 = +100
    assert r.event_pay.tolist() == [0]


def test_event_tenure():
    events = [{"per": "named_good_reviews", "pay": 5, "tenure": "probation"},
              {"per": "named_good_reviews", "pay": 3, "tenure": "regular"}]
    r = pay(policy(events=events, probation_months=3),
            table(named_good_reviews=[10, 10, 10], tenure_months=[2, 3, 30]))
    # tenure 3 is no longer below probation_months=3: regular
    assert r.event_pay.tolist() == [50, 30, 30]


# ---- variable pay, cap, floor, base --------------------------------------------------------

def test_variable_pay_cap_and_total():
    p = policy(base_pay=3000, cap_total=1000, commission={"per": "answered", "rate": 1},
               events=[{"per": "complaints", "pay": -100}])
    r = pay(p, table(answered=[1500, 500, 10], complaints=[1, 1, 3]))
    # a1: 1500 − 100 = 1400 -> capped 1000; a2: 400; a3: 10 − 300 = −290 (cap is a ceiling)
    assert r.variable_pay.tolist() == [1000, 400, -290]
    assert r.total_pay.tolist() == [4000, 3400, 2710]


def test_pay_floor_tops_up_variable_pay():
    p = policy(base_pay=2000, pay_floor=2500, commission={"per": "answered", "rate": 1})
    r = pay(p, table(answered=[100, 800]))
    assert r.total_pay.tolist() == [2500, 2800]
    assert r.variable_pay.tolist() == [500, 800]     # total = base + variable still holds


def test_base_pay_by_tenure():
    p = policy(base_pay={"probation": 2500, "regular": 3000},
               commission={"per": "answered", "rate": 0})
    assert pay(p, table(answered=[1, 1], tenure_months=[1, 6])).total_pay.tolist() == [2500, 3000]


# ---- metrics, warnings, errors ---------------------------------------------------------------

def test_custom_metrics_in_order_and_shadowing():
    p = policy(metrics={"service_volume": "answered + outbound_calls",
                        "double_volume": "service_volume * 2"},
               commission={"per": "double_volume", "rate": 1})
    r = pay(p, table(answered=[10], outbound_calls=[5], service_volume=[999]))
    # the policy's service_volume replaces the table's column: (10 + 5) × 2 = 30
    assert r.commission.tolist() == [30]


def test_division_by_zero_warning_names_agent_and_metric():
    p = policy(metrics={"conv": "paid_uv / received_uv"}, commission={"per": "conv", "rate": 100})
    r = pay(p, table(paid_uv=[3, 1], received_uv=[10, 0]))
    assert r.commission.tolist() == pytest.approx([30, 0])
    assert len(r.warnings) == 1
    assert "a2" in r.warnings[0] and "'conv'" in r.warnings[0] and "a1" not in r.warnings[0]


def test_unknown_metric_and_later_metric_are_errors():
    with pytest.raises(PolicyFormulaError) as exc:
        compile_policy(policy(metrics={"a": "b + 1", "b": "answerd"},
                              commission={"per": "a", "rate": 1}))
    locs = [e[0] for e in exc.value.errors]
    assert locs == [("metrics", "a"), ("metrics", "b")]
    assert "further down" in exc.value.errors[0][1].message
    assert "did you mean 'answered'" in exc.value.errors[1][1].message


def test_table_columns_are_usable_in_formulas():
    p = policy(commission={"per": "tickets_closed", "rate": 2})
    with pytest.raises(PolicyFormulaError):
        compile_policy(p)
    assert pay(p, table(tickets_closed=[4])).commission.tolist() == [8]


def test_missing_column_is_reported():
    with pytest.raises(MissingMetrics) as exc:
        pay(policy(commission={"per": "answered", "rate": 1}), table(offered=[3]))
    assert exc.value.names == ["answered"]


def test_explain_gives_a_reason_per_amount():
    p = policy(base_pay=3000, scorecard=CARD, ranking={"by": "score", "bands": [{"top": 0.5, "pay": 800}]},
               commission={"per": "answered", "tiers": TIERS}, events=REVIEWS, cap_total=12000)
    r = pay(p, table(answer_rate=[0.95, 0.5], aht_s=[300, 300], answered=[1000, 100],
                     named_good_reviews=[80, 0], bad_reviews=[3, 0]))
    reasons = explain(r, "a1")
    assert sum(x.amount for x in reasons if x.component in ("base_pay", "performance_pay",
                                                            "ranking_pay", "commission",
                                                            "event_pay")) == pytest.approx(r.total_pay[0])
    text = "\n".join(x.text for x in reasons)
    assert "800 × 1 + 200 × 1.5" in text and "3 offset by 75 named_good_reviews" in text
