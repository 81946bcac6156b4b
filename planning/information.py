"""What a planner knows when a recourse decision is due: which demand scenarios can be told
apart from the contacts seen so far (non-anticipativity of the recourse).

A recourse decision (a reserve call-out block, surge seats, a temp) that starts at interval
t with a notice of n intervals is taken at d = t − n. By then the planner has seen the
contacts of the horizon's intervals [0, d) — nothing before the horizon starts. The rule
(stated in docs/planning.md):

- the *visible volume* of scenario s at d is V_s(d) = Σ_{t<d} expected contacts of s;
- two scenarios are told apart at d when their visible volumes differ by more than
  ``z`` Poisson standard deviations of the smaller one, |V_a − V_b| > z·√min(V_a, V_b)
  (z = 2: about 95% sure which is which); sorted by V, a new group starts where the next
  scenario is told apart from the group's smallest member;
- what was told apart stays apart (groups at a later decision time refine earlier ones).

Scenarios in one group must get the same decision (Mehrotra, Özlük & Saltzman 2010:
early-day volumes predict later volumes; the multi-stage
non-anticipativity of stochastic programming). Without volumes every scenario is known from the horizon start (the
plain two-stage model).
"""

from __future__ import annotations

import numpy as np

#: Poisson standard deviations that tell two scenarios' visible volumes apart
DEFAULT_Z = 2.0


def groups_at(visible: np.ndarray, z: float = DEFAULT_Z) -> np.ndarray:
    """Group label per scenario for visible volumes ``visible`` (S,): chained from the
    smallest, a new group where a volume exceeds its group's smallest by z·√smallest."""
    order = np.argsort(visible, kind="stable")
    labels = np.empty(visible.size, dtype=np.int64)
    g, base = -1, -np.inf
    for s in order:
        v = float(visible[s])
        if g < 0 or v - base > z * np.sqrt(max(base, 0.0)):
            g, base = g + 1, v
        labels[s] = g
    return labels


def decision_groups(volume: np.ndarray | None, decide_at: np.ndarray, n_scenarios: int,
                    z: float = DEFAULT_Z) -> np.ndarray:
    """Group label (K, S) of each scenario for each decision k taken at interval
    ``decide_at[k]`` (contacts of intervals before it are seen). ``volume`` (S, T) expected
    contacts per interval; None: every scenario known (its own group) at every decision."""
    decide_at = np.asarray(decide_at, dtype=np.int64)
    if volume is None:
        return np.tile(np.arange(n_scenarios, dtype=np.int64), (decide_at.size, 1))
    volume = np.asarray(volume, dtype=np.float64)
    n_s, n_t = volume.shape
    cum = np.concatenate([np.zeros((n_s, 1)), np.cumsum(volume, axis=1)], axis=1)
    out = np.zeros((decide_at.size, n_s), dtype=np.int64)
    label = np.zeros(n_s, dtype=np.int64)  # refined as time goes on
    for d in np.unique(decide_at):  # ascending: information only grows
        seen = cum[:, int(np.clip(d, 0, n_t))]
        pair = label * (n_s + 1) + groups_at(seen, z)
        _, label = np.unique(pair, return_inverse=True)
        out[decide_at == d] = label
    return out


def columns(groups: np.ndarray) -> tuple[np.ndarray, int]:
    """One decision column per (decision, group): (column of scenario s's decision k, shape
    (S, K); number of columns). Numbered by (first scenario of the group, decision), so
    that with every scenario its own group column = s·K + k (the plain two-stage layout)."""
    n_k, n_s = groups.shape
    if n_k == 0:
        return np.zeros((n_s, 0), dtype=np.int64), 0
    first = np.empty((n_k, n_s), dtype=np.int64)
    for k in range(n_k):
        g = groups[k]
        lead = {}
        for s in range(n_s):
            lead.setdefault(int(g[s]), s)
        first[k] = [lead[int(x)] for x in g]
    keys = first.T * n_k + np.arange(n_k)[None, :]  # (S, K): (lead scenario, decision)
    uniq, col = np.unique(keys, return_inverse=True)
    return col.reshape(n_s, n_k).astype(np.int64), int(uniq.size)
