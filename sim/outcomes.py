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

from sim import compiled
from sim.agents import AgentTable
from sim.model import SimModel
from sim.recorder import ContactRecords

QA_SD = 6.0  # spread of one monitored contact's QA score around the agent's mean [seed]
CHUNK = 65_536  # contacts whose outcomes are drawn together (memory, not results)


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
                  rng: np.random.Generator, chunk: int = CHUNK) -> Outcomes:
    """Every contact's outcomes, from 11 uniforms and 2 normals per contact id.

    The numbers are those of one ``rng.random((n, 11))`` followed by one
    ``rng.standard_normal((n, 2))``, but drawn ``chunk`` contacts at a time so the
    temporaries stay small (about 260 bytes a contact when drawn at once): the normals come
    from a copy of the generator advanced past the n × 11 uniforms (PCG64 draws one 64-bit
    word per uniform and per normal tried), and ``rng`` ends where one draw would leave it.
    """
    n = len(rec)
    probs = agent_probabilities(model, agents)
    ch_tables = _channel_tables(model)
    normals = _after_uniforms(rng, n * 11)
    if normals is None:  # a generator that cannot jump ahead: one draw, as before
        chunk, normals = max(n, 1), rng
    out = Outcomes(*(np.empty(n, float if f in ("qa_score", "order_value") else bool)
                     for f in Outcomes.__dataclass_fields__))
    for i in range(0, n, chunk):
        _draw_chunk(rec, slice(i, min(i + chunk, n)), probs, ch_tables, rng, normals, out)
    if normals is not rng:
        rng.bit_generator.state = normals.bit_generator.state
    return out


def _after_uniforms(rng: np.random.Generator, words: int) -> np.random.Generator | None:
    """A copy of ``rng`` advanced by ``words`` 64-bit draws (None if it cannot advance)."""
    bg = rng.bit_generator
    if not isinstance(bg, np.random.PCG64):
        return None
    copy = np.random.PCG64()
    copy.state = bg.state
    copy.advance(words)
    return np.random.Generator(copy)


def _channel_tables(model: SimModel) -> dict[str, np.ndarray]:
    """Per-channel sales parameters as arrays indexed by channel."""
    sales = [c.sales for c in model.channels]
    return {k: np.array([getattr(s, k) for s in sales], float)
            for k in ("presale_share", "conversion", "return_rate", "exchange_rate",
                      "refund_rate", "order_mean", "order_cv")}


def _draw_chunk(rec: ContactRecords, rows: slice, probs: dict[str, np.ndarray],
                tab: dict[str, np.ndarray], rng: np.random.Generator,
                normals: np.random.Generator, out: Outcomes) -> None:
    """Write the outcomes of contacts ``rows`` into ``out`` (element by element the same
    formulas as one draw of all contacts, so the same bits)."""
    agent = rec.agent[rows]
    n = len(agent)
    u = rng.random((n, 11))
    z = normals.standard_normal((n, 2))
    if compiled.passes() and len(probs["rating_rate"]):
        _compiled_chunk(rec, rows, probs, tab, u, z, out)
        return
    answered = agent >= 0
    a = np.where(answered, agent, 0)
    p = {k: v[a] if len(v) else np.zeros(n) for k, v in probs.items()}
    ch = rec.channel[rows]
    share = tab["presale_share"][ch]
    conv = np.clip(tab["conversion"][ch] * p["conversion_factor"], 0, 1)
    ret = np.clip(tab["return_rate"][ch] * p["returns_factor"], 0, 1)
    exc = np.clip(tab["exchange_rate"][ch] * p["returns_factor"], 0, 1)
    ref = np.clip(tab["refund_rate"][ch] * p["returns_factor"], 0, 1)
    mean = tab["order_mean"][ch]
    cv = tab["order_cv"][ch]
    s2 = np.log1p(cv ** 2)
    value = mean * np.exp(z[:, 0] * np.sqrt(s2) - s2 / 2)
    rated = answered & (u[:, 0] < p["rating_rate"])
    presale = answered & (u[:, 7] < share)
    paid = presale & (u[:, 8] < conv)
    values = {
        "rated": rated,
        "satisfied": rated & (u[:, 1] < p["satisfaction"]),
        "named_good_review": answered & (u[:, 2] < p["named_good_review"]),
        "bad_review": answered & (u[:, 3] < p["bad_review"]),
        "complaint": answered & (u[:, 4] < p["complaint"]),
        "violation": answered & (u[:, 5] < p["violation"]),
        "qa_score": np.where(answered, np.clip(p["qa_mean"] + QA_SD * z[:, 1], 0, 100),
                             np.nan),
        "presale": presale,
        "paid": paid,
        "order_value": np.where(paid, value, 0.0),
        "returned": paid & (u[:, 9] < ret),
        "exchanged": paid & ~(u[:, 9] < ret) & (u[:, 10] < exc),
        "refunded": paid & (u[:, 6] < ref),
    }
    for name, v in values.items():
        getattr(out, name)[rows] = v


def _compiled_chunk(rec: ContactRecords, rows: slice, probs: dict[str, np.ndarray],
                    tab: dict[str, np.ndarray], u: np.ndarray, z: np.ndarray,
                    out: Outcomes) -> None:
    """:func:`_draw_chunk`'s formulas from the same draws, compiled
    (sim.compiled_kpi.outcome_flags), the order values in numpy for the paid contacts
    alone (the same element-wise expression as for all contacts)."""
    from sim import compiled_kpi as ck

    agent, ch = rec.agent[rows], np.ascontiguousarray(rec.channel[rows], np.int64)
    # the outcome arrays' rows written in place, in the kernel's O_* order
    flags = tuple(getattr(out, name)[rows] for name in (
        "rated", "satisfied", "named_good_review", "bad_review", "complaint", "violation",
        "presale", "paid", "returned", "exchanged", "refunded"))
    qa = out.qa_score[rows]
    f = {k: np.ascontiguousarray(v, float) for k, v in probs.items()}
    ck.outcome_flags(u, np.ascontiguousarray(z[:, 1]), np.asarray(agent, np.int64), ch,
                     f["rating_rate"], f["satisfaction"], f["named_good_review"],
                     f["bad_review"], f["complaint"], f["violation"], f["qa_mean"],
                     f["conversion_factor"], f["returns_factor"], tab["presale_share"],
                     tab["conversion"], tab["return_rate"], tab["exchange_rate"],
                     tab["refund_rate"], QA_SD, flags, qa)
    paid = np.flatnonzero(flags[ck.O_PAID])
    cp = ch[paid]
    mean, cv = tab["order_mean"][cp], tab["order_cv"][cp]
    s2 = np.log1p(cv ** 2)
    value = np.zeros(len(agent))
    value[paid] = mean * np.exp(z[paid, 0] * np.sqrt(s2) - s2 / 2)
    out.order_value[rows] = value
