"""The KPI catalogue holds the specified names with the directions the domain implies."""

from __future__ import annotations

from rules.catalogue import CATALOGUE, direction, label

# the KPI names the product was specified with (written out here, not read from the module)
DESIGN_NAMES = """offered answered abandoned answer_rate abandon_rate service_level asa_s aht_s acw_s
talk_time_s contacts outbound_calls outbound_connect_rate service_volume occupancy utilization
online_rate fcr repeat_contacts qa_score satisfaction complaints violations named_good_reviews
named_good_review_rate bad_reviews first_response_s avg_response_s reply_rate answer_ratio
received_uv paid_uv conversion_rate sales_amount return_rate exchange_rate refund_rate
workload_deviation cost""".split()


def test_design_names_present():
    assert set(DESIGN_NAMES) <= set(CATALOGUE)


def test_directions():
    for name in ("aht_s", "asa_s", "abandon_rate", "complaints", "bad_reviews", "return_rate",
                 "avg_response_s", "cost"):
        assert direction(name) == "lower", name
    for name in ("answered", "fcr", "qa_score", "conversion_rate", "named_good_reviews"):
        assert direction(name) == "higher", name
    assert direction("not_a_metric") == "higher"


def test_labels():
    assert label("aht_s", "zh") == "平均通话时长"
    assert label("aht_s") == "aht_s"
