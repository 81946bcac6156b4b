"""Why agents move: marginal pay per unit of each lever, split by pay component.

At the chosen levers, ∂E[pay]/∂l_k by central finite differences (one-sided at a bound;
relative schemes: the others stay put), per component key of the pay breakdown, next to
the marginal effort cost ∂C/∂l_k. At an interior optimum the two balance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.behavior.agents import marginal_effort_cost
from sim.behavior.params import LEVERS

if TYPE_CHECKING:
    from sim.behavior.response import Evaluator


@dataclass(frozen=True)
class Why:
    """Marginal pay (n, 4) per component and in total, and marginal effort cost (n, 4)."""

    levers: tuple[str, ...]
    marginal_pay: dict[str, np.ndarray]
    marginal_pay_total: np.ndarray
    marginal_cost: np.ndarray

    def team(self) -> dict[str, dict[str, float]]:
        """Team mean per lever: {lever: {component: marginal pay, ..., 'cost': ...}}."""
        out: dict[str, dict[str, float]] = {}
        for j, lever in enumerate(self.levers):
            row = {k: float(v[:, j].mean()) for k, v in self.marginal_pay.items()}
            row["total"] = float(self.marginal_pay_total[:, j].mean())
            row["cost"] = float(self.marginal_cost[:, j].mean())
            out[lever] = row
        return out

    def main_component(self, lever: str) -> str | None:
        """The component with the largest |team-mean marginal pay| for ``lever``."""
        j = self.levers.index(lever)
        if not self.marginal_pay:
            return None
        return max(self.marginal_pay, key=lambda k: abs(float(self.marginal_pay[k][:, j].mean())))


def explain(ev: Evaluator, levers: np.ndarray) -> Why:
    """Finite-difference marginal pay at ``levers`` (n, 4), split by component."""
    b = ev.params.bounds()
    h = ev.settings.fd_step * np.ptp(b, axis=1)
    up = np.minimum(levers + h, b[:, 1])
    down = np.maximum(levers - h, b[:, 0])
    n = levers.shape[0]
    cand = np.repeat(levers[:, None, :], 8, axis=1)
    for j in range(4):
        cand[:, 2 * j, j] = up[:, j]
        cand[:, 2 * j + 1, j] = down[:, j]
    total, comps = ev.pay(levers, cand)
    width = up - down
    safe = np.where(width > 0, width, 1.0)

    def slope(v: np.ndarray) -> np.ndarray:
        d = v[:, 0::2] - v[:, 1::2]
        return np.where(width > 0, d / safe, 0.0)

    return Why(LEVERS, {k: slope(v) for k, v in comps.items()}, slope(total),
               marginal_effort_cost(ev.agents, levers, ev.state.staffed_hours, ev.params)
               if n else np.zeros((0, 4)))
