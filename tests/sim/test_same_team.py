"""The flat-pay baseline of a comparison is the team the simulation stage ran, and
occupancy has one meaning in the catalogue, the simulator and the behaviour model.

References: the simulator itself, run as `peakdesk run`'s simulation stage runs it (same
scenario, same seed: the same customers) — the baseline must reproduce its service within
the replications' noise (paired 95% CI of the difference contains 0); conservation of time
(busy time = handle time × answered + outbound work) for occupancy.
"""

from pathlib import Path

import numpy as np

from rules.catalogue import CATALOGUE
from scenarios.adapters.to_behavior import behavior_params, skill_distribution
from scenarios.adapters.to_sim import sim_model
from scenarios.reading.load import load_scenario
from sim.behavior import expected_kpis
from sim.compare import CompareSettings, agent_table, compare, team_agents
from sim.runner import Demand, run_replications
from sim.stats import mean_ci

# A day of voice with 30% shrinkage applied by the simulator (as `peakdesk run` does for
# a scheduled mix plan), agents 90% available and 10% of idle time on outbound filler.
SCENARIO = """\
name: same team
horizon: {start: 2026-03-02T00:00, days: 1, interval_minutes: 60}
channels:
  voice:
    kind: voice
    handle_time: {dist: exponential, mean_s: 240}
    patience: {dist: exponential, mean_s: 120}
    service_level: {target: 0.8, within_s: 20}
demand:
  voice:
    rates_per_hour: [0, 0, 0, 0, 0, 0, 0, 0, 0, 240, 260, 280, 260, 240, 250, 270, 260, 240,
                     0, 0, 0, 0, 0, 0]
pools:
  in_house:
    agents: [0, 0, 0, 0, 0, 0, 0, 0, 0, 28, 28, 28, 28, 28, 28, 28, 28, 28, 0, 0, 0, 0, 0, 0]
    skills: [voice]
    levers: {availability: 0.9, outbound_effort: 0.1}
staffing: {shrinkage: 0.3}
behavior:               # no spread of pace or availability: the two teams are the same
  skills: {in_house: {speed_cv: 0.0, availability_sd: 0.0}}   # people, not two draws
simulation: {replications: 8, seed: 5, warmup_minutes: 0, apply_shrinkage: true}
"""
REPS = 8


def _setup(tmp_path: Path):
    path = tmp_path / "same_team.yaml"
    path.write_text(SCENARIO)
    sc = load_scenario(path)
    staffing = {"in_house": np.asarray(sc.pools["in_house"].agents, dtype=np.int64)}
    model = sim_model(sc, staffing)
    demand = Demand({"voice": np.asarray(sc.demand["voice"].rates_per_hour, float)})
    return sc, model, demand


def test_flat_pay_baseline_reproduces_the_simulation_stage(tmp_path):
    sc, model, demand = _setup(tmp_path)
    stage = run_replications(model, demand, REPS, seed=5)          # the simulation stage
    params = behavior_params(sc)
    agents = team_agents(model, {"in_house": skill_distribution(sc, "in_house")}, 5, params)
    c = compare(model, demand, agents, [], CompareSettings(replications=REPS, seed=5,
                                                           skills_seed=5, params=params))
    base = c.policies["baseline"].raw
    # same ready capacity on average: ready share at the natural point = 0.9 × 0.7, and the
    # natural outbound filler adds online time but takes none from inbound
    assert abs(float(np.mean(agents.ready_share(agents.availability)
                             * (1 - agents.outbound_natural))) - 0.63) < 1e-9
    for metric in ("service_level", "answered", "abandon_rate", "asa_s"):
        sim = np.array([o.channels["voice"][metric] for o in stage.outputs], float)
        diff = base[f"team.{metric}"] - sim                            # same customers
        m, lo, hi = mean_ci(diff)
        slack = 1e-9 * max(1.0, abs(float(sim.mean())))                # float rounding
        assert lo - slack <= 0 <= hi + slack, (metric, m, lo, hi, float(sim.mean()))


def test_occupancy_is_busy_over_staffed_everywhere(tmp_path):
    sc, model, demand = _setup(tmp_path)
    params = behavior_params(sc)
    agents = team_agents(model, {"in_house": skill_distribution(sc, "in_house")}, 5, params)
    from sim.compare import behavior_model

    lv = agents.natural_levers()
    out = run_replications(behavior_model(model, agents, lv, params), demand, 1, 5).outputs[0]
    assert CATALOGUE["occupancy"].description.startswith("busy time / staffed time")
    # the simulator's per-agent, per-day rows and the horizon table: busy / staffed
    a = out.agents
    np.testing.assert_allclose(a["occupancy"], (a["busy_s"] + a["outbound_s"]) / a["staffed_s"])
    tab = agent_table(out, agents.n)
    on = tab["staffed_s"] > 0
    np.testing.assert_allclose(tab["occupancy"][on],
                               ((tab["busy_s"] + tab["outbound_s"]) / tab["staffed_s"])[on])
    # the behaviour model's occupancy is busy / staffed by conservation of time: handle
    # time × answered + outbound time × calls, over the staffed hours
    from sim.compare import state_from_outputs

    st = state_from_outputs([out], model, agents, lv, np.ones(agents.n, bool), 9.0, params)
    k = expected_kpis(agents, lv, st, params)
    h = st.base_aht_s * st.aht_factor * agents.speed * lv[:, 0]
    c = st.outbound_connect_rate
    t_out = c * params.outbound_talk_s * agents.speed * lv[:, 0] + (1 - c) * params.dial_s
    busy = k["answered"] * h + k["outbound_calls"] * t_out
    np.testing.assert_allclose(k["occupancy"], busy / (st.staffed_hours * 3600.0), rtol=1e-9)
    # and on the same agents at the same levers the two models agree on it
    sim_occ = float(tab["occupancy"][on].mean())
    assert abs(float(k["occupancy"][on].mean()) / sim_occ - 1) < 0.06, (k["occupancy"].mean(),
                                                                        sim_occ)


# Two pools, two demand scenarios with their own staffing (the mix plan's recourse per
# scenario): in-house 28 or 34 agents, a reserve of 5 in both; the reserve's slots come
# after the in-house ones in the simulator's numbering, so they shift between the models.
TWO_POOLS = SCENARIO.replace("""staffing: {shrinkage: 0.3}""", """  reserve:
    agents: [0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 5, 5, 5, 5, 5, 5, 5, 0, 0, 0, 0, 0, 0, 0]
    skills: [voice]
    show_up: 1.0
    levers: {availability: 0.9}
staffing: {shrinkage: 0.3}""").replace(
    "skills: {in_house: {speed_cv: 0.0, availability_sd: 0.0}}",
    "skills: {in_house: {speed_cv: 0.0, availability_sd: 0.0}, "
    "reserve: {speed_cv: 0.0, availability_sd: 0.0}}")


def test_per_scenario_staffing_is_the_same_team(tmp_path):
    """Replication i runs models[i] in both the simulation and the comparison. References:
    the simulator run on the same models and demands (paired CI contains 0), and the
    reserve's staffed hours per slot counted by hand from its roster (slot k is on duty
    in the intervals rostering more than k agents)."""
    from sim.compare import behavior_model, to_union_slots, union_model

    path = tmp_path / "two.yaml"
    path.write_text(TWO_POOLS)
    sc = load_scenario(path)
    base_in = np.asarray(sc.pools["in_house"].agents, dtype=np.int64)
    reserve = np.asarray(sc.pools["reserve"].agents, dtype=np.int64)
    small = sim_model(sc, {"in_house": base_in, "reserve": reserve})
    big = sim_model(sc, {"in_house": np.where(base_in > 0, base_in + 6, 0), "reserve": reserve})
    rates = np.asarray(sc.demand["voice"].rates_per_hour, float)
    low, high = Demand({"voice": rates}, name="low"), Demand({"voice": rates * 1.2}, name="high")
    models, demands = [small, big] * (REPS // 2), [low, high] * (REPS // 2)
    stage = run_replications(models, demands, REPS, seed=5)
    params = behavior_params(sc)
    union = union_model(models)
    assert [n for _, n in [(p.name, int(p.staffing.max())) for p in union.pools]] == [34, 5]
    skills = {p: skill_distribution(sc, p) for p in ("in_house", "reserve")}
    agents = team_agents(union, skills, 5, params)
    c = compare(models, demands, agents, [], CompareSettings(replications=REPS, seed=5,
                                                             skills_seed=5, params=params))
    base = c.policies["baseline"].raw
    for metric in ("service_level", "answered", "abandon_rate"):
        sim = np.array([o.channels["voice"][metric] for o in stage.outputs], float)
        m, lo, hi = mean_ci(base[f"team.{metric}"] - sim)
        slack = 1e-9 * max(1.0, abs(float(sim.mean())))
        assert lo - slack <= 0 <= hi + slack, (metric, m, lo, hi, float(sim.mean()))
    # slots: the small model's run, renumbered as the union's
    out = run_replications(behavior_model(small, agents, agents.natural_levers(), params,
                                          union), low, 1, 5).outputs[0]
    tab = agent_table(to_union_slots(out, small, union), agents.n)
    hours = tab["staffed_s"] / 3600.0
    in_house = agents.pool == "in_house"
    assert np.allclose(hours[in_house][:28], 9.0) and np.allclose(hours[in_house][28:], 0.0)
    by_hand = np.array([float((reserve > k).sum()) for k in range(5)])
    assert np.allclose(hours[agents.pool == "reserve"], by_hand)
