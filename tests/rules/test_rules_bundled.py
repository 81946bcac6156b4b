"""Every bundled policy loads, lints clean on its bundled KPI table, and pays as its seed
describes. Expected amounts are written out from the seed rules and the CSV values in the
comments (hand arithmetic), not taken from the engine."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from rules.lint import lint
from rules.pay import pay
from scenarios.reading.kpi_table import read_kpi_table
from scenarios.reading.policy_file import load_policy_located

POLICIES = Path(__file__).resolve().parents[2] / "rules" / "policies"
TABLE_OF = {
    "forced_ranking_phase1": "kpis_call_centre", "commission_phase2": "kpis_call_centre",
    "call_centre_six_part": "kpis_call_centre", "presale_scorecard": "kpis_presale",
    "reviews_tmall": "kpis_presale", "reviews_jd": "kpis_presale",
    "aftersales_40_40_20": "kpis_aftersales",
}


def run(name):
    table = read_kpi_table(POLICIES / f"{TABLE_OF[name]}.csv")
    cp, _ = load_policy_located(POLICIES / f"{name}.yaml", table.names)
    return cp, table, pay(cp, table.columns)


def rows(table_name):
    with open(POLICIES / f"{table_name}.csv", encoding="utf-8") as fh:
        return {r["agent_id"]: {k: (v if k in ("agent_id", "pool") else float(v))
                                for k, v in r.items()} for r in csv.DictReader(fh)}


def test_every_bundled_policy_is_covered():
    assert {p.stem for p in POLICIES.glob("*.yaml")} == set(TABLE_OF)


@pytest.mark.parametrize("name", sorted(TABLE_OF))
def test_loads_and_lints_clean(name):
    cp, table, result = run(name)
    assert cp.policy.source and "seed" in cp.policy.source
    assert lint(cp, table.columns) == []
    assert len(result) > 0
    assert (result.total_pay == result.base_pay + result.variable_pay).all()


def test_forced_ranking_phase1():
    _, _, r = run("forced_ranking_phase1")
    data = {k: v for k, v in rows("kpis_call_centre").items() if v["pool"] == "in_house"}

    def score(a):   # seed 004 clip [0.5, 1.5]; weights 35/35/30
        clip = lambda x: min(max(x, 0.5), 1.5)  # noqa: E731
        return (0.35 * clip(a["answer_rate"] / 0.95) + 0.35 * clip(a["answered"] / 1800)
                + 0.30 * clip(300 / a["aht_s"]))

    assert len(r) == 16                                   # outsourced agents are not paid
    for i, aid in enumerate(r.agent_id):
        assert r.performance_pay[i] == pytest.approx(1000 * score(data[aid]))
    order = sorted(data, key=lambda k: -score(data[k]))
    # 16 agents: top ceil(0.2 × 16) = 4 get +800, bottom ceil(1.6) = 2 get −500
    for aid, amount in zip(r.agent_id, r.ranking_pay, strict=True):
        want = 800 if aid in order[:4] else (-500 if aid in order[-2:] else 0)
        assert amount == want, aid


def test_commission_phase2():
    _, _, r = run("commission_phase2")
    i = r.index("C02")     # 2158 answered, 570 outbound: 1500×1.5 + 658×2.0 + 570×1.0
    assert r.commission[i] == pytest.approx(2250 + 1316 + 570)
    assert r.total_pay[i] == pytest.approx(2500 + 4136)
    assert (r.base_pay == 2500).all()                     # seed 000: base 2–3k


def test_call_centre_six_part():
    _, _, r = run("call_centre_six_part")
    i = r.index("C02")     # inbound over the 1,500 baseline × QA: (2158 − 1500) × 0.961 × 2
    assert r.commission[i] == pytest.approx(658 * 0.961 * 2)
    # seed 001: 12 monitored contacts a month; C06 has 10 -> a warning names C06
    assert any("C06" in w and "12" in w for w in r.warnings)
    a = rows("kpis_call_centre")["C02"]
    clip = lambda x, lo=0.5, hi=1.5: min(max(x, lo), hi)  # noqa: E731
    handling = (clip(300 / a["aht_s"], 0) + clip(40 / a["acw_s"], 0) + clip(a["utilization"] / 0.85, 0)
                + clip(a["fcr"] / 0.85, 0) + clip(a["timely_answer_rate"] / 0.9, 0)
                + clip(a["outbound_connect_rate"] / 0.7, 0)) / 6
    score = (0.20 * clip(a["qa_score"] / 90) + 0.40 * clip(a["outbound_calls"] / 400)
             + 0.10 * clip(a["ticket_audit_score"] / 95) + 0.15 * clip(handling)
             + 0.05 * clip(a["exam_score"] / 90) + 0.10 * a["supervisor_rating"] / 10)
    assert r.score[i] == pytest.approx(score)


def test_presale_scorecard():
    _, _, r = run("presale_scorecard")
    i = r.index("P07")
    # conversion 0.2318/0.28, return 0.05/0.0919, satisfaction 0.893/0.95, response 30/46,
    # answer ratio 1.58/1.2 (all inside [0.5, 1.5])
    card = (0.30 * 0.2318 / 0.28 + 0.30 * 0.05 / 0.0919 + 0.15 * 0.893 / 0.95 + 0.15 * 30 / 46
            + 0.10 * 1.58 / 1.2)
    # 加减分: 1 activity (−0.5), 1 training (−1), 1 notice (−0.5), 1 conduct lapse (−3) = −5
    assert r.score[i] == pytest.approx(card - 0.05)
    # sales 72,930 with 9.19% returned: 66,227.7 units -> first tier 2%
    assert r.commission[i] == pytest.approx(0.02 * 72930 * (1 - 0.0919))
    j = r.index("P04")     # 178,820 × (1 − 0.0279) = 173,831 >= 160,000 -> 3.2% on all
    assert r.commission[j] == pytest.approx(0.032 * 178820 * (1 - 0.0279))


def test_reviews_tmall():
    _, _, r = run("reviews_tmall")
    # P03 probation: 70 good, 4 bad -> 2 bad offset by 50 good; 20 good +100, 2 bad −100
    assert r.total_pay[r.index("P03")] == pytest.approx(3000 + 0)
    # P06 regular, rate 7.95% > 6%: 136 good, 4 bad -> 100 good offset, 36 × 5 = +180
    assert r.total_pay[r.index("P06")] == pytest.approx(3500 + 180)
    # P07 regular, rate 5.05% <= 6%: good reviews pay 0 but 83 still offset 3 of 5 bad -> −100
    assert r.total_pay[r.index("P07")] == pytest.approx(3500 - 100)


def test_reviews_jd():
    _, _, r = run("reviews_jd")
    assert r.total_pay[r.index("P03")] == pytest.approx(3000 + 0)     # probation as Tmall
    # P07 regular: 83 good × 5 = 415; 5 bad + 2 disputes = 7 × −50 = −350, no offset
    assert r.total_pay[r.index("P07")] == pytest.approx(3500 + 65)


def test_aftersales_40_40_20():
    _, _, r = run("aftersales_40_40_20")
    a = rows("kpis_aftersales")["A01"]
    clip = lambda x: min(max(x, 0.5), 1.5)  # noqa: E731
    service = (0.30 * a["qa_score"] / 100 + 0.25 * a["reply_rate"]
               + 0.20 * min(max(30 / a["avg_response_s"], 0), 1) + 0.25 * a["satisfaction"])
    score = (0.40 * clip(service / 0.95) + 0.40 * clip(a["fcr"] / 0.85)
             + 0.20 * clip((a["contacts"] + a["outbound_calls"]) / 1300)
             + 0.01 * (-2 * a["complaints"] - 1 * a["violations"]))
    i = r.index("A01")
    assert r.score[i] == pytest.approx(score)
    assert r.total_pay[i] == pytest.approx(3200 + 2000 * score)
