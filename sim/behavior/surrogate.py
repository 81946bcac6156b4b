"""Fast KPI surrogate: an agent's expected period KPIs from its skills, levers and the state.

Inbound (docs/behavior.md, refined so that outbound work displaces inbound, seed 000): outbound
effort o is the share of ready time spent on outbound work; in the rest an idle agent is
rung at ν = ρ / ((1 − ρ) · team_aht) per hour, so with handle time h = base_aht · speed_i · s
and x = ν h the agent's inbound busy share of ready time is b = (1 − o) x / (1 + x) (an
M/M/1/1-like seat: faster agents answer more, less than proportionally when the team is
idle). Then answered = T a b / h, outbound_calls = T a o / t_out with t_out the mean
dial-plus-talk time. Rings that reach an agent in aux or on outbound work are missed
(the agent's answer_rate).
Quality falls with rushing (s < 1): FCR, QA, satisfaction; complaints and repeat contacts
rise (Holmström & Milgrom 1991; de Véricourt & Zhou 2005). Sales push raises conversion
and returns (seed 004). Outcome forms and defaults are the simulator's (sim/levers.py).
KPI names follow the KPI catalogue (rules/catalogue.py).

Count noise for rank and threshold schemes uses normal approximations of the Poisson /
binomial counts driven by fixed standard-normal draws (common random numbers), so expected
pay is a deterministic, piecewise-smooth function of the levers.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np

from sim.behavior.agents import Agents
from sim.behavior.params import AVAILABILITY, OUTBOUND, SALES_PUSH, SPEED, BehaviorParams
from sim.behavior.state import SystemState

#: The noise channels, in the order of the last axis of a noise array.
NOISE_CHANNELS: tuple[str, ...] = (
    "answered", "missed", "outbound_calls", "aht_s", "fcr", "qa_score", "satisfaction",
    "complaints", "named_good_reviews", "bad_reviews", "paid_uv", "returned_orders",
    "volume_shock", "aht_shock")

#: Every KPI the surrogate predicts (KPI catalogue names).
KPI_NAMES: tuple[str, ...] = (
    "offered", "answered", "answer_rate", "aht_s", "talk_time_s", "contacts", "outbound_calls",
    "outbound_connect_rate", "service_volume", "occupancy", "utilization", "online_rate", "fcr",
    "repeat_contacts", "qa_score", "satisfaction", "complaints", "named_good_reviews",
    "named_good_review_rate", "bad_reviews", "received_uv", "paid_uv", "conversion_rate",
    "sales_amount", "orders", "returned_orders", "return_rate")


def draw_noise(rng: np.random.Generator, draws: int, n_agents: int) -> np.ndarray:
    """Standard-normal draws, shape (draws, n_agents, len(NOISE_CHANNELS))."""
    return rng.standard_normal((draws, n_agents, len(NOISE_CHANNELS)))


def _per_agent(x: np.ndarray | float, n: int, extra: int) -> np.ndarray:
    return np.broadcast_to(np.asarray(x, dtype=float), (n,)).reshape((n,) + (1,) * extra)


def _means(agents: Agents, levers: np.ndarray, state: SystemState,
           p: BehaviorParams) -> dict[str, np.ndarray]:
    """Expected counts and per-contact probabilities, shape levers.shape[:-1]."""
    n, extra = agents.n, levers.ndim - 2
    s = levers[..., SPEED]
    a = agents.ready_share(levers[..., AVAILABILITY])   # ready share of staffed time
    o, q = levers[..., OUTBOUND], levers[..., SALES_PUSH]
    speed = _per_agent(agents.speed, n, extra)
    fcr0 = _per_agent(agents.fcr, n, extra)
    sales = _per_agent(agents.sales, n, extra)
    hours = _per_agent(state.staffed_hours, n, extra)
    rho = min(max(state.occupancy, 0.0), p.occupancy_cap)
    nu = rho / ((1.0 - rho) * state.team_aht_s / 3600.0)       # rings per idle hour
    h = state.base_aht_s * state.aht_factor * speed * s          # inbound handle time, s
    x = nu * h / 3600.0
    inbound_share = (1.0 - o) * x / (1.0 + x)
    outbound_share = o
    ready = hours * a
    c = state.outbound_connect_rate
    out_talk = p.outbound_talk_s * speed * s
    t_out = c * out_talk + (1.0 - c) * p.dial_s
    rush = np.maximum(1.0 - s, 0.0)
    slow = np.maximum(s - 1.0, 0.0)
    fcr = np.minimum(fcr0 * (1.0 - p.rush_fcr * rush) + p.slow_fcr_gain * slow * (1.0 - fcr0),
                     p.fcr_max)
    return {
        "h": h,
        "answered": ready * inbound_share * 3600.0 / h,
        "missed": state.offered_per_ready_hour * p.ring_unready_share
        * (hours * (1.0 - a) + ready * outbound_share),
        "outbound_calls": ready * outbound_share * 3600.0 / t_out,
        "out_talk": out_talk,
        "busy": a * (inbound_share + outbound_share),
        "a": a,
        "fcr": fcr,
        "rush": rush,
        "conversion": np.minimum(sales * (1.0 + p.push_conversion * q), p.conversion_max),
        "return_rate": np.minimum(p.return_rate * (1.0 + p.push_returns * q), 1.0),
    }


def _kpis(m: dict[str, np.ndarray], state: SystemState, p: BehaviorParams,
          z: np.ndarray | None, names: Collection[str] | None = None
          ) -> dict[str, np.ndarray]:
    """Assemble catalogue KPIs from the means; ``z`` (…, channels) adds count noise.
    ``names``: only these KPIs (and what they need) are computed (default: all)."""

    def zc(name: str) -> np.ndarray | float:
        return 0.0 if z is None else z[..., NOISE_CHANNELS.index(name)]

    def count(mean: np.ndarray, name: str) -> np.ndarray:
        return np.maximum(mean + np.sqrt(np.maximum(mean, 0.0)) * zc(name), 0.0)

    def share(prob: np.ndarray, trials: np.ndarray | float, name: str) -> np.ndarray:
        sd = np.sqrt(prob * (1.0 - prob) / np.maximum(trials, 1.0))
        return np.clip(prob + sd * zc(name), 0.0, 1.0)

    def ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
        zeros = np.zeros(np.broadcast(num, den).shape)
        return np.divide(num, den, out=zeros, where=den > 0)

    c = state.outbound_connect_rate
    rush = m["rush"]
    up = 1.0 + p.rush_complaint * rush
    down = 1.0 - p.rush_satisfaction * rush
    done: dict[str, np.ndarray] = {}

    def get(name: str) -> np.ndarray:
        if name not in done:
            done[name] = RULES[name]()
        return done[name]

    def volume() -> np.ndarray:
        return np.maximum(1.0 + p.volume_shock_cv * zc("volume_shock"), 0.05)

    def aht() -> np.ndarray:
        per_contact = p.handle_cv * zc("aht_s") / np.sqrt(np.maximum(get("answered"), 1.0))
        return m["h"] * np.maximum(1.0 + p.aht_shock_cv * zc("aht_shock") + per_contact, 0.05)

    def paid() -> np.ndarray:
        received, conv = get("received_uv"), m["conversion"]
        return np.clip(received * conv + np.sqrt(received * conv * (1.0 - conv)) * zc("paid_uv"),
                       0.0, received)

    def returned() -> np.ndarray:
        pu, rr = get("paid_uv"), m["return_rate"]
        return np.clip(pu * rr + np.sqrt(pu * rr * (1.0 - rr)) * zc("returned_orders"), 0.0, pu)

    def shape() -> np.ndarray:
        return np.zeros_like(get("answered"))

    RULES = {
        "_volume": volume,
        "_zeros": shape,
        "answered": lambda: count(m["answered"] * get("_volume"), "answered"),
        "_missed": lambda: count(m["missed"], "missed"),
        "outbound_calls": lambda: count(m["outbound_calls"] * get("_volume"), "outbound_calls"),
        "offered": lambda: get("answered") + get("_missed"),
        "answer_rate": lambda: ratio(get("answered"), get("offered")),
        "aht_s": aht,
        "talk_time_s": lambda: get("answered") * get("aht_s")
        + get("outbound_calls") * c * m["out_talk"],
        "contacts": lambda: get("answered") + get("outbound_calls"),
        "outbound_connect_rate": lambda: get("_zeros") + c,
        "service_volume": lambda: get("answered") + get("outbound_calls"),
        "occupancy": lambda: m["busy"] + get("_zeros"),          # busy / staffed (catalogue)
        "utilization": lambda: m["busy"] + get("_zeros"),
        "online_rate": lambda: m["a"] + get("_zeros"),
        "fcr": lambda: share(m["fcr"], get("answered"), "fcr"),
        "repeat_contacts": lambda: get("answered") * (1.0 - get("fcr"))
        * p.repeat_share_unresolved,
        "qa_score": lambda: 100.0 * share(np.clip(p.qa_mean / 100.0 * down, 0.0, 1.0)
                                          + get("_zeros"), float(p.qa_samples), "qa_score"),
        "satisfaction": lambda: share(np.clip(p.satisfaction * down, 0.0, 1.0),
                                      p.rating_rate * get("answered"), "satisfaction"),
        "complaints": lambda: count(get("answered") * np.clip(p.complaint * up, 0, 1),
                                    "complaints"),
        "named_good_reviews": lambda: count(get("answered")
                                            * np.clip(p.named_good_review * down, 0, 1),
                                            "named_good_reviews"),
        "named_good_review_rate": lambda: ratio(get("named_good_reviews"), get("answered")),
        "bad_reviews": lambda: count(get("answered") * np.clip(p.bad_review * up, 0, 1),
                                     "bad_reviews"),
        "received_uv": lambda: get("answered") * p.presale_share,
        "paid_uv": paid,
        "conversion_rate": lambda: ratio(get("paid_uv"), get("received_uv")),
        "sales_amount": lambda: get("paid_uv") * p.order_value,
        "orders": lambda: get("paid_uv"),
        "returned_orders": returned,
        "return_rate": lambda: ratio(get("returned_orders"), get("paid_uv")),
    }
    want = KPI_NAMES if names is None else [k for k in KPI_NAMES if k in names]
    return {k: get(k) for k in want}


def expected_kpis(agents: Agents, levers: np.ndarray, state: SystemState,
                  params: BehaviorParams | None = None,
                  names: Collection[str] | None = None) -> dict[str, np.ndarray]:
    """Expected KPIs per agent (and per candidate): ``levers`` shape (n, ..., 4)."""
    p = params or BehaviorParams()
    return _kpis(_means(agents, levers, state, p), state, p, None, names)


def noisy_kpis(agents: Agents, levers: np.ndarray, state: SystemState, noise: np.ndarray,
               params: BehaviorParams | None = None,
               names: Collection[str] | None = None) -> dict[str, np.ndarray]:
    """KPIs with count noise: ``noise`` (R, n, channels) → arrays (R, n, ...); ``names``:
    only these KPIs (default: all)."""
    p = params or BehaviorParams()
    extra = levers.ndim - 2
    z = noise.reshape(noise.shape[:2] + (1,) * extra + noise.shape[2:])
    m = {k: v[None] for k, v in _means(agents, levers, state, p).items()}
    return _kpis(m, state, p, z, names)
