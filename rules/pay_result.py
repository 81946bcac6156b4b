"""What paying a KPI table returns: per-agent arrays (:class:`PayResult`) and the reason
behind one amount (:class:`Reason`).

Types of their own, below the pay computation that fills them (rules/pay.py) and the text
that explains them (rules/explain.py), so neither module needs the other to be read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rules.schema import Policy


@dataclass(frozen=True)
class Reason:
    """One amount (or score part) with the arithmetic behind it, for display."""

    component: str
    amount: float
    text: str


@dataclass
class PayResult:
    """Per-agent pay under one policy; arrays are aligned with ``agent_id``."""

    policy: Policy
    agent_id: np.ndarray
    pool: np.ndarray
    base_pay: np.ndarray
    item_scores: dict[str, np.ndarray]
    score: np.ndarray
    rank: np.ndarray | None
    performance_pay: np.ndarray
    ranking_pay: np.ndarray
    commission: np.ndarray
    event_pay: np.ndarray
    variable_pay: np.ndarray
    total_pay: np.ndarray
    warnings: list[str]
    # per component, for "why" displays and the behaviour model's marginal pay split
    band_pay: list[np.ndarray] = field(default_factory=list)
    commission_parts: list[np.ndarray] = field(default_factory=list)
    event_parts: list[np.ndarray] = field(default_factory=list)
    points: np.ndarray | None = None
    capped: np.ndarray | None = None
    topped_up: np.ndarray | None = None
    _detail: dict[str, Any] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.agent_id)

    def index(self, agent_id: str) -> int:
        hits = np.flatnonzero(self.agent_id == agent_id)
        if not len(hits):
            raise KeyError(agent_id)
        return int(hits[0])

    def totals(self) -> dict[str, float]:
        """Sum, mean, p10/p50/p90 of total pay and the share of variable pay."""
        t = self.total_pay
        if not len(t):
            return {"agents": 0, "sum": 0.0, "mean": 0.0, "p10": 0.0, "p50": 0.0, "p90": 0.0,
                    "variable_share": 0.0}
        s = float(t.sum())
        return {"agents": len(t), "sum": s, "mean": float(t.mean()),
                "p10": float(np.percentile(t, 10)), "p50": float(np.percentile(t, 50)),
                "p90": float(np.percentile(t, 90)),
                "variable_share": float(self.variable_pay.sum() / s) if s else 0.0}
