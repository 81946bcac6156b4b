"""The scenario's ``bot:`` section end to end: planning and ``peakdesk simulate``.

References: the run without a ``bot:`` section (bit for bit); exact Erlang A in mpmath
(tests/sim/erlang_reference.py) at the agents' rate and handle time written out by hand
from the bot's definition; the bot's KPIs counted again from the contact-level CSVs.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import cli
from planning.channel import channel_requirements
from scenarios.adapters.to_bot import agents_rates
from scenarios.adapters.to_demand import arrival_rates, interval_aht
from scenarios.adapters.to_staffing import scenario_staffing
from scenarios.reading.load import load_scenario
from tests.sim.erlang_reference import erlang_a

ROOT = Path(__file__).resolve().parents[2]
BASE = """name: bot test
horizon: {start: 2026-11-10T00:00, days: 1, interval_minutes: 60}
channels:
  voice:
    kind: voice
    handle_time: {dist: exponential, mean_s: 200}
    patience: {dist: exponential, mean_s: 120}
    service_level: {target: 0.80, within_s: 20}
demand: {voice: {rate_per_hour: 400}}
pools: {in_house: {agents: 20}}
staffing: {model: erlang_a, shrinkage: 0.0}
simulation: {replications: 2, seed: 3, warmup_minutes: 0, contact_log: true}
"""


def write(tmp_path: Path, name: str, bot: str = "") -> Path:
    p = tmp_path / f"{name}.yaml"
    p.write_text(BASE + bot, encoding="utf-8")
    return p


def invoke(*args: str):
    return CliRunner().invoke(cli.main, list(args), catch_exceptions=False)


def simulate_json(path: Path, tmp_path: Path, *extra: str) -> dict:
    out = tmp_path / f"{path.stem}.json"
    r = invoke("simulate", str(path), "-w", "1", "--json", str(out), "--quiet", *extra)
    assert r.exit_code == 0, r.output
    return json.loads(out.read_text())


def test_containment_zero_equals_no_bot(tmp_path: Path) -> None:
    plain = simulate_json(write(tmp_path, "plain"), tmp_path)
    zero = simulate_json(write(tmp_path, "zero", "bot:\n  voice: {entry_share: 1.0, "
                                                  "containment: 0}\n"), tmp_path)
    absent = simulate_json(write(tmp_path, "off", "bot:\n  voice: {entry_share: 0, "
                                                  "containment: 0.6}\n"), tmp_path)
    assert zero["channels"] == plain["channels"] and zero["team"] == plain["team"]
    assert absent["channels"] == plain["channels"] and "bot" not in absent
    assert zero["bot"]["voice"]["contained"]["mean"] == 0
    assert set(zero["bot"]["voice"]) >= {"entered", "contained", "handed_off", "abandoned",
                                         "returned"}


def required(path: Path) -> np.ndarray:
    sc = load_scenario(path, for_staffing=True)
    specs = scenario_staffing(sc)
    rates, aht = agents_rates(sc, arrival_rates(sc), interval_aht(sc))
    reqs = channel_requirements({c: rates[c] for c in specs}, specs, 0.0,
                                aht_by_interval=aht)
    return reqs["voice"].agents


def exact_required(rate: float, aht: float) -> int:
    n = 1
    while rate * aht / 3600 >= n or erlang_a(n, rate, aht, 120.0, 20.0).service_level < 0.8:
        n += 1
    return n


@pytest.mark.parametrize("factor", [1.0, 1.5])
def test_handoff_handle_time_raises_the_requirement_as_erlang_predicts(tmp_path, factor):
    """λ = 400/h; e = 0.8, a = 0.1, c = 0.5: 80 skip at 200 s, 400·0.8·0.9·0.5 = 144 are
    handed off at 200·factor s; Erlang A needs the smallest n with SL ≥ 80% at their
    sum and work-weighted handle time."""
    bot = ("bot:\n  voice: {entry_share: 0.8, containment: 0.5, abandon: 0.1, "
           f"handoff_aht_factor: {factor}}}\n")
    got = required(write(tmp_path, f"f{factor}", bot))
    rate = 80.0 + 144.0
    aht = (80.0 * 200 + 144.0 * 200 * factor) / rate
    assert np.all(got == exact_required(rate, aht))
    assert exact_required(rate, aht) < exact_required(400.0, 200.0)
    if factor > 1:
        assert exact_required(rate, aht) > exact_required(rate, 200.0)


def test_bot_kpis_rederived_from_the_contact_csvs(tmp_path: Path) -> None:
    bot = ("bot:\n  voice:\n    entry_share: 0.9\n    reasons: {presale: 0.5, logistics: 0.5}\n"
           "    containment: {presale: 0.4, logistics: 0.7}\n    abandon: 0.05\n"
           "    return: {probability: 0.3, delay: {dist: exponential, mean_s: 1800}}\n"
           "    handoff_aht_factor: 1.4\n    bot_time_s: 60\n    customer_requested: 0.5\n"
           "    contained_conversion: 0.3\n")
    path = write(tmp_path, "kpi", bot)
    out = tmp_path / "out"
    r = invoke("simulate", str(path), "-r", "1", "-w", "1", "--out", str(out), "--quiet")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader((out / "bot_sessions.csv").open(encoding="utf-8")))
    kpi = {row["metric"]: float(row["mean"]) if row["mean"] else float("nan")
           for row in csv.DictReader((out / "bot.csv").open(encoding="utf-8"))}
    outcome = [row["outcome"] for row in rows]
    assert kpi["entered"] == len(rows)
    for name in ("contained", "handed_off", "abandoned"):
        assert kpi[name] == outcome.count(name)
    assert kpi["returned"] == sum(row["returned"] == "True" for row in rows)
    assert kpi["handed_off_customer"] == sum(row["handoff_kind"] == "customer" for row in rows)
    assert kpi["bot_orders"] == sum(row["ordered"] == "True" for row in rows)
    assert all(row["reason"] == "presale" for row in rows if row["ordered"] == "True")
    contained = outcome.count("contained")
    back = sum(row["return_delay_s"] != "" and float(row["return_delay_s"]) <= 86400
               for row in rows)
    assert kpi["return_rate_24h"] == pytest.approx(back / contained)
    # escalated AHT: contacts whose arrival at the agents is a hand-off time
    handoffs = {float(row["end_s"]) for row in rows if row["outcome"] == "handed_off"}
    contacts = list(csv.DictReader((out / "contacts.csv").open(encoding="utf-8")))
    talk = [float(c["talk_s"]) for c in contacts
            if c["kind"] == "new" and float(c["arrival_s"]) in handoffs and c["talk_s"]]
    assert kpi["escalated_aht_s"] == pytest.approx(np.mean(talk))
    # every return came back as a first attempt of the channel (attempt "return")
    assert sum(row["attempt"] == "return" for row in rows) <= kpi["returned"]


def test_bundled_scenario_loads_and_plans_on_handoffs() -> None:
    sc = load_scenario(ROOT / "scenarios" / "examples" / "double11_bot.yaml", for_staffing=True)
    rates = arrival_rates(sc)
    agents, _ = agents_rates(sc, rates, interval_aht(sc))
    assert np.all(agents["chat"] < rates["chat"])


def test_bot_on_unknown_channel_is_a_located_error(tmp_path: Path) -> None:
    p = write(tmp_path, "bad", "bot:\n  email: {entry_share: 1.0}\n")
    r = CliRunner().invoke(cli.main, ["simulate", str(p), "--quiet"])
    assert r.exit_code == 2 and "bot" in r.output and "email" in r.output


def test_containment_steps_in_the_report(tmp_path: Path) -> None:
    """Each step's requirement equals the requirement of the same scenario written with
    that containment (the planning path of `peakdesk requirements`), and falls as the
    containment rises."""
    from types import SimpleNamespace

    from scenarios.run.stage import StageResult
    from scenarios.run.stages.bot_report import containment_steps
    from scenarios.words.i18n import t

    bot = ("bot:\n  voice: {entry_share: 0.8, containment: 0.5, abandon: 0.1, "
           "handoff_aht_factor: 1.3, containment_steps: [0.3, 0.6]}\n")
    sc = load_scenario(write(tmp_path, "steps", bot), for_staffing=True)
    ctx = SimpleNamespace(scenario=sc, lang="en", t=lambda k, **p: t(k, "en", **p))
    res = StageResult("requirements", "requirements")
    containment_steps(ctx, arrival_rates(sc), res)
    steps = res.summary["bot_containment_steps"]["voice"]
    peaks = []
    for c, step in zip((0.3, 0.6), steps, strict=True):
        one = ("bot:\n  voice: {entry_share: 0.8, containment: " + str(c)
               + ", abandon: 0.1, handoff_aht_factor: 1.3}\n")
        peaks.append(int(required(write(tmp_path, f"c{c}", one)).max()))
        assert step["peak_required"] == peaks[-1]
        assert step["contacts_to_agents"] == pytest.approx(24 * 400 * (0.2 + 0.8 * 0.9 * (1 - c)))
    assert peaks[1] < peaks[0]
    assert len(res.report_tables) == 1 and len(res.report_tables[0].rows) == 2


def test_degraded_step_in_the_report(tmp_path: Path) -> None:
    """The "bot degraded" scenario adds a step at containment × factor (0.5 × 0.4)."""
    from types import SimpleNamespace

    from scenarios.run.stage import StageResult
    from scenarios.run.stages.bot_report import containment_steps
    from scenarios.words.i18n import t

    bot = ("bot:\n  voice: {entry_share: 0.8, containment: 0.5, abandon: 0.1, "
           "degraded: {probability: 0.2, containment_factor: 0.4}}\n")
    sc = load_scenario(write(tmp_path, "deg", bot), for_staffing=True)
    ctx = SimpleNamespace(scenario=sc, lang="zh", t=lambda k, **p: t(k, "zh", **p))
    res = StageResult("requirements", "requirements")
    containment_steps(ctx, arrival_rates(sc), res)
    (step,) = res.summary["bot_containment_steps"]["voice"]
    assert step["containment"] == pytest.approx(0.2)
    assert step["contacts_to_agents"] == pytest.approx(24 * 400 * (0.2 + 0.8 * 0.9 * 0.8))
    assert "机器人降级" in res.report_tables[0].rows[0][0]


def test_capacity_hours_use_the_handed_off_contacts(tmp_path: Path) -> None:
    """The capacity plan's derived hours equal the requirement at the agents' contacts
    (the same transform as `peakdesk requirements`), below the hours without a bot."""
    from scenarios.capacity.requirement import _interval_hours

    bot = "bot:\n  voice: {entry_share: 0.8, containment: 0.5, abandon: 0.1}\n"
    with_bot = load_scenario(write(tmp_path, "cap", bot), for_staffing=True)
    plain = load_scenario(write(tmp_path, "capplain"), for_staffing=True)
    hours = _interval_hours(with_bot, arrival_rates(with_bot), interval_aht(with_bot))
    hours_plain = _interval_hours(plain, arrival_rates(plain), interval_aht(plain))
    rate = 400 * (0.2 + 0.8 * 0.9 * 0.5)
    rates = {"voice": np.full(24, rate)}
    ref = _interval_hours(plain, rates, interval_aht(plain))
    assert np.allclose(hours, ref) and np.all(hours < hours_plain)
