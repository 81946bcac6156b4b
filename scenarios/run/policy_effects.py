"""What each incentive policy does per channel, to quality, and what an extra contact costs.

Read from the behaviour comparison's final replications (``PolicyOutcome.runs``: the
same agents and customers under every policy, common random numbers), paired with the
flat-pay baseline replication by replication:

- per channel: service level, abandonment and ASA (never averaged across channels: a
  voice target is judged on voice);
- all channels: contacts answered, contacts resolved at first contact (Σ channel FCR ×
  answered) and complaints;
- cost per extra contact = (the policy's pay cost over the horizon − flat pay's) ÷ (extra
  contacts answered over the horizon), the same net of the repeat contacts the policy
  itself causes (÷ (extra answered − extra repeat contacts): a rushed contact that comes
  back is answered twice for one need), and per extra contact resolved at first contact;
  costs from the pay ledger (scenarios.run.pay_ledger), the one pay computation.

Recommendation rule (stated in the report): among the policies that resolve significantly
more contacts at first contact than flat pay, the one with the lowest cost per extra
resolved contact; if none does, flat pay. A contact answered but not resolved comes back
(a repeat contact), so resolved contacts are what a team pays for.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.compare import BASELINE, Stat
from sim.stats import mean_ci

CHANNEL_METRICS = ("service_level", "abandon_rate", "asa_s")
ALL_METRICS = ("answered", "resolved", "fcr", "complaints")


def _stat(values: np.ndarray, base: np.ndarray | None) -> Stat:
    m, lo, hi = mean_ci(values)
    diff = None if base is None else mean_ci(values - base)
    return Stat(m, (lo, hi), diff)


def _series(outcome: Any) -> dict[str, np.ndarray]:
    """Per replication: ``<channel>.<metric>`` and ``all.<metric>``."""
    out: dict[str, list[float]] = {}
    for o in outcome.runs:
        ans = res = comp = rep = 0.0
        for ch, kpi in o.channels.items():
            for m in CHANNEL_METRICS:
                out.setdefault(f"{ch}.{m}", []).append(float(kpi[m]))
            a = float(kpi["answered"])
            fcr = float(kpi["fcr"])
            ans += a
            res += 0.0 if math.isnan(fcr) else fcr * a
            comp += float(kpi["complaints"])
            rep += float(kpi.get("repeat_contacts", 0.0))
        out.setdefault("all.repeat_contacts", []).append(rep)
        out.setdefault("all.answered", []).append(ans)
        out.setdefault("all.resolved", []).append(res)
        out.setdefault("all.fcr", []).append(res / ans if ans else math.nan)
        out.setdefault("all.complaints", []).append(comp)
    return {k: np.asarray(v, float) for k, v in out.items()}


@dataclass(frozen=True)
class PolicyEffect:
    """One policy's per-channel and all-channel statistics (with paired differences to
    flat pay), and its cost per extra contact."""

    name: str
    stats: dict[str, Stat]  # "<channel>.<metric>" and "all.<metric>"
    cost_horizon: float | None  # pay cost over the horizon (pay ledger)
    extra_cost: float | None  # minus flat pay's
    per_extra_answered: float | None
    per_extra_resolved: float | None
    # per extra contact answered net of the repeat contacts the policy itself causes
    # (extra cost ÷ (Δ answered − Δ repeat contacts)); None when that net is not positive
    per_extra_answered_net: float | None = None

    def significant_more_resolved(self) -> bool:
        st = self.stats.get("all.resolved")
        return bool(st is not None and st.diff is not None and st.diff[1] > 0)


def policy_effects(comparison: Any, costs: dict[str, float] | None) -> dict[str, PolicyEffect]:
    """Every compared policy's effects; ``costs``: pay cost over the horizon per policy
    name (the pay ledger's ``cost_horizon``), None when the pay stage did not run."""
    base_out = comparison.policies.get(BASELINE)
    base = _series(base_out) if base_out is not None and base_out.runs else None
    out = {}
    for name, o in comparison.policies.items():
        if not o.runs:
            continue
        ser = _series(o)
        stats = {k: _stat(v, None if base is None or name == BASELINE or k not in base
                          else base[k]) for k, v in ser.items()}
        cost = None if costs is None else costs.get(name)
        base_cost = None if costs is None else costs.get(BASELINE)
        extra = (cost - base_cost) if cost is not None and base_cost is not None else None
        per_ans = per_res = per_net = None
        if extra is not None and name != BASELINE:
            d_ans = stats["all.answered"].diff
            d_res = stats["all.resolved"].diff
            d_rep = stats["all.repeat_contacts"].diff
            per_ans = extra / d_ans[0] if d_ans and d_ans[0] > 0 else None
            per_res = extra / d_res[0] if d_res and d_res[0] > 0 else None
            net = d_ans[0] - d_rep[0] if d_ans and d_rep else None
            per_net = extra / net if net is not None and net > 0 else None
        out[name] = PolicyEffect(name, stats, cost, extra, per_ans, per_res, per_net)
    return out


def recommend(effects: dict[str, PolicyEffect]) -> str:
    """The recommendation rule of the module docstring: a policy name or BASELINE."""
    best, best_cost = BASELINE, math.inf
    for name, e in effects.items():
        if name == BASELINE or not e.significant_more_resolved():
            continue
        c = e.per_extra_resolved if e.per_extra_resolved is not None else math.inf
        if c < best_cost:
            best, best_cost = name, c
    return best


RUN_COLUMNS = ["policy", "replication", "channel", "offered", "answered", "service_level",
               "abandon_rate", "asa_s", "fcr", "complaints"]


def runs_rows(comparison: Any) -> list[list[Any]]:
    """policy_channels.csv: per policy, final replication and channel, the KPIs the
    effects above are computed from (after the warm-up)."""
    rows = []
    for name, o in comparison.policies.items():
        for r in o.runs:
            for ch, k in r.channels.items():
                rows.append([name, int(r.replication), ch, *[_num(k[m]) for m in
                                                             RUN_COLUMNS[3:]]])
    return rows


def _num(x: Any) -> float | None:
    x = float(x)
    return None if math.isnan(x) else x
