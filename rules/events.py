"""Per-event pay with ``when`` and offsets (docs/formats.md §2, seed 002 review rules).

Offset: each unit of ``per`` is cancelled by ``ratio`` units of ``by``, as far as ``by``
reaches (whole units: floor(by / ratio)); the cancelled ``by`` units earn nothing and only
uncancelled units of ``per`` pay. Events with an offset are settled first, in the order
written; the ``by`` units they use are taken away from every other event paying per ``by``.
Seed 002: "一个差评须25个好评抵扣 ... 一个差评扣罚50元" — 80 good and 3 bad: 75 good cancel
the 3 bad, 5 good pay +25; 60 good and 3 bad: 50 good cancel 2 bad, 10 good (+50), 1 bad
(−50) → 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Guards floor(by / ratio) against 74.99999999 for 75 good reviews / 25 and the like.
_EPS = 1e-9


@dataclass(frozen=True)
class EventInput:
    """One event, evaluated: its ``per`` key and units, pay, eligibility and offset."""

    per_key: str
    units: np.ndarray
    pay: float
    active: np.ndarray | None          # None: every agent
    by_key: str | None = None
    ratio: float = 0.0


@dataclass(frozen=True)
class EventOutcome:
    """What one event did per agent."""

    units: np.ndarray          # units of `per` available to the event
    taken: np.ndarray          # units of `per` used up by earlier offsets
    cancelled: np.ndarray      # units of `per` cancelled by the offset
    by_used: np.ndarray        # units of `by` used to cancel them
    paid_units: np.ndarray     # units paid
    amount: np.ndarray


def settle(events: list[EventInput], by_values: dict[str, np.ndarray]) -> list[EventOutcome]:
    """Settle offset events first, then the rest on what their ``per`` has left."""
    n = len(events[0].units) if events else 0
    taken: dict[str, np.ndarray] = {}
    out: list[EventOutcome | None] = [None] * len(events)
    zeros = np.zeros(n)
    for i, ev in enumerate(events):
        if ev.by_key is None:
            continue
        before = taken.get(ev.per_key, zeros)
        units = np.maximum(ev.units - before, 0.0)
        have = np.maximum(by_values[ev.by_key] - taken.get(ev.by_key, zeros), 0.0)
        cancel = np.minimum(units, np.floor(have / ev.ratio + _EPS))
        if ev.active is not None:
            cancel = np.where(ev.active, cancel, 0.0)
        used = cancel * ev.ratio
        taken[ev.by_key] = taken.get(ev.by_key, zeros) + used
        paid = units - cancel
        if ev.active is not None:
            paid = np.where(ev.active, paid, 0.0)
        out[i] = EventOutcome(units, np.minimum(before, np.maximum(ev.units, 0.0)), cancel, used, paid,
                              paid * ev.pay + 0.0)
    for i, ev in enumerate(events):
        if ev.by_key is not None:
            continue
        before = taken.get(ev.per_key, zeros)
        units = np.maximum(ev.units - before, 0.0)
        paid = units if ev.active is None else np.where(ev.active, units, 0.0)
        out[i] = EventOutcome(units, np.minimum(before, np.maximum(ev.units, 0.0)), zeros, zeros,
                              paid, paid * ev.pay + 0.0)
    return [o for o in out if o is not None]
