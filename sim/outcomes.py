"""Per-contact outcomes drawn from the handling agent's probabilities (after levers).

Resolution is decided in the kernel (it creates repeat contacts); everything else that a
contact leads to — rating and satisfaction, named good review, bad review, complaint,
language violation, QA score, and for pre-sale inquiries the order, its value and any
return / exchange / refund — is drawn afterwards, vectorised, from the ``outcomes`` stream,
one row of uniforms per contact id (common random numbers across scenarios).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.agents import AgentTable
from sim.model import SimModel
from sim.recorder import ContactRecords

QA_SD = 6.0  # spread of one monitored contact's QA score around the agent's mean [seed]


@dataclass
class Outcomes:
    """Boolean / numeric outcome per contact (False / 0 for contacts never answered)."""

    rated: np.ndarray
    satisfied: np.ndarray
    named_good_review: np.ndarray
    bad_review: np.ndarray
    complaint: np.ndarray
    violation: np.ndarray
    qa_score: np.ndarray
    presale: np.ndarray
    paid: np.ndarray
    order_value: np.ndarray
    returned: np.ndarray
    exchanged: np.ndarray
    refunded: np.ndarray


def agent_probabilities(model: SimModel, agents: AgentTable) -> dict[str, np.ndarray]:
    """Outcome probabilities per agent: the pool's quality moved by the agent's levers."""
    pools = model.pools
    q = {k: np.array([getattr(p.quality, k) for p in pools])[agents.pool]
         for k in ("rating_rate", "satisfaction", "named_good_review", "bad_review",
                   "complaint", "violation", "qa_mean")}
    eff = model.effects
    rush_up = eff.complaint_factor(agents.speed_lever)
    rush_down = eff.satisfaction_factor(agents.speed_lever)
    return {
        "rating_rate": q["rating_rate"],
        "satisfaction": np.clip(q["satisfaction"] * rush_down, 0, 1),
        "named_good_review": np.clip(q["named_good_review"] * rush_down, 0, 1),
        "bad_review": np.clip(q["bad_review"] * rush_up, 0, 1),
        "complaint": np.clip(q["complaint"] * rush_up, 0, 1),
        "violation": np.clip(q["violation"] * rush_up, 0, 1),
        "qa_mean": np.clip(q["qa_mean"] * rush_down, 0, 100),
        "conversion_factor": eff.conversion_factor(agents.sales_push),
        "returns_factor": eff.returns_factor(agents.sales_push),
    }


def draw_outcomes(model: SimModel, agents: AgentTable, rec: ContactRecords,
                  rng: np.random.Generator) -> Outcomes:
    n = len(rec)
    u = rng.random((n, 11))
    z = rng.standard_normal((n, 2))
    answered = rec.agent >= 0
    a = np.where(answered, rec.agent, 0)
    p = {k: v[a] if len(v) else np.zeros(n) for k, v in agent_probabilities(model,
                                                                           agents).items()}
    ch = rec.channel
    sales = [c.sales for c in model.channels]
    share = np.array([s.presale_share for s in sales])[ch]
    conv = np.clip(np.array([s.conversion for s in sales])[ch] * p["conversion_factor"], 0, 1)
    ret = np.clip(np.array([s.return_rate for s in sales])[ch] * p["returns_factor"], 0, 1)
    exc = np.clip(np.array([s.exchange_rate for s in sales])[ch] * p["returns_factor"], 0, 1)
    ref = np.clip(np.array([s.refund_rate for s in sales])[ch] * p["returns_factor"], 0, 1)
    mean = np.array([s.order_mean for s in sales])[ch]
    cv = np.array([s.order_cv for s in sales])[ch]
    s2 = np.log1p(cv ** 2)
    value = mean * np.exp(z[:, 0] * np.sqrt(s2) - s2 / 2)
    rated = answered & (u[:, 0] < p["rating_rate"])
    presale = answered & (u[:, 7] < share)
    paid = presale & (u[:, 8] < conv)
    return Outcomes(
        rated=rated,
        satisfied=rated & (u[:, 1] < p["satisfaction"]),
        named_good_review=answered & (u[:, 2] < p["named_good_review"]),
        bad_review=answered & (u[:, 3] < p["bad_review"]),
        complaint=answered & (u[:, 4] < p["complaint"]),
        violation=answered & (u[:, 5] < p["violation"]),
        qa_score=np.where(answered, np.clip(p["qa_mean"] + QA_SD * z[:, 1], 0, 100), np.nan),
        presale=presale,
        paid=paid,
        order_value=np.where(paid, value, 0.0),
        returned=paid & (u[:, 9] < ret),
        exchanged=paid & ~(u[:, 9] < ret) & (u[:, 10] < exc),
        refunded=paid & (u[:, 6] < ref),
    )
