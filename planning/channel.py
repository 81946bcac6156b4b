"""Per-channel staffing inputs and the requirement table for a whole horizon.

Per channel: the effective arrivals (first attempts + redials + repeat contacts, a fixed
point with the staffing: planning.returns), then the time-varying method — SIPP (each
interval stationary at its own arrivals) or MOL (each interval at its modified offered
load: planning.offered_load) — then the fewest agents meeting every target
(planning.requirements).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from planning.chat import chat_capacity
from planning.offered_load import mol_rates
from planning.requirements import (
    Requirement,
    Targets,
    requirements,
    servers_and_abandonment,
)
from planning.returns import EffectiveLoad, Returns, effective_load

METHODS = ("sipp", "mol")


@dataclass(frozen=True)
class ChannelStaffing:
    """What the staffing math needs to know about one channel.

    aht_s: mean time a contact occupies an agent at concurrency 1 (handle + wrap-up).
    patience_s: mean patience (exponential, Erlang A); inf for Erlang C.
    returns: redials and repeat contacts this channel's contacts bring back (None: none).
    """

    name: str
    aht_s: float
    patience_s: float
    targets: Targets
    concurrency: int = 1
    concurrency_slowdown: float = 0.0
    returns: Returns | None = None

    @property
    def model(self) -> str:
        return "erlang_c" if math.isinf(self.patience_s) else "erlang_a"

    @property
    def session_factor(self) -> float:
        """Holding time of one session at the staffing cap K*, per second of AHT."""
        return chat_capacity(1.0, self.concurrency, self.concurrency_slowdown).session_time_s


def staffing_rates(rates: np.ndarray, hold_s: np.ndarray, interval_s: float | None,
                   method: str) -> np.ndarray:
    """Arrivals per hour each interval is staffed for: its own (SIPP) or its MOL rate."""
    if method == "sipp" or interval_s is None:
        return rates
    if method == "mol":
        return mol_rates(rates, hold_s, interval_s)
    raise ValueError(f"unknown staffing method {method!r} (expected one of {METHODS})")


def channel_load(rates: np.ndarray, spec: ChannelStaffing, aht: np.ndarray,
                 interval_s: float, method: str = "sipp") -> EffectiveLoad:
    """Effective arrivals of one channel: the fixed point of planning.returns with the
    abandonment of the staffing this module's requirement gives (the stationary Erlang A
    of each interval, chat on agents × K* virtual servers)."""
    first = np.asarray(rates, dtype=np.float64)
    if spec.returns is None or not spec.returns.active:
        z = np.zeros_like(first)
        return EffectiveLoad(first, z, z.copy())
    cap = chat_capacity(1.0, spec.concurrency, spec.concurrency_slowdown)
    hold = np.broadcast_to(np.asarray(aht, dtype=np.float64) * cap.session_time_s,
                           first.shape)
    pat = np.full(first.shape, spec.patience_s)
    last: dict[str, np.ndarray] = {}

    def abandon(lam: np.ndarray) -> np.ndarray:
        staff = staffing_rates(lam, hold, interval_s, method)
        # chat: virtual servers (session slots); the abandonment at the fractional
        # requirement moves continuously with the load (whole agents would give a little
        # less, ⌈n/K*⌉·K* slots: the redials are then slightly overstated)
        if not last:
            last["n"], last["p"] = servers_and_abandonment(staff, hold, pat, spec.targets)
            last["staff"] = staff
            return last["p"]
        # only intervals whose load moved re-evaluate (the others' abandonment is as is)
        moved = np.flatnonzero(np.abs(staff - last["staff"]) > 1e-7 * (1.0 + staff))
        if moved.size:
            n, p = servers_and_abandonment(staff[moved], hold[moved], pat[moved],
                                           spec.targets, last["n"][moved])
            last["n"][moved], last["p"][moved] = n, p
            last["staff"][moved] = staff[moved]
        return last["p"]

    return effective_load(first, spec.returns, interval_s, abandon, aht_s=hold,
                          wait_s=spec.targets.within_s)


def channel_requirements(rates_per_hour: dict[str, np.ndarray],
                         channels: dict[str, ChannelStaffing], shrinkage: float,
                         aht_by_interval: dict[str, np.ndarray] | None = None,
                         interval_s: float | None = None, method: str = "sipp"
                         ) -> dict[str, Requirement]:
    """Requirement per interval for every channel.

    ``aht_by_interval`` optionally overrides a channel's AHT per interval (e.g. longer
    contacts during a promotion event). ``interval_s`` (the interval length) is needed for
    redials / repeat contacts and for ``method="mol"``; without returns and with SIPP the
    result is the plain per-interval requirement at the first-attempt arrivals.
    """
    if method not in METHODS:
        raise ValueError(f"unknown staffing method {method!r} (expected one of {METHODS})")
    out: dict[str, Requirement] = {}
    for name, spec in channels.items():
        aht = spec.aht_s
        if aht_by_interval and name in aht_by_interval:
            aht = aht_by_interval[name]
        first = np.atleast_1d(np.asarray(rates_per_hour[name], dtype=np.float64))
        aht_arr = np.broadcast_to(np.asarray(aht, dtype=np.float64), first.shape)
        load = None
        rate = first
        if interval_s is not None and spec.returns is not None and spec.returns.active:
            load = channel_load(first, spec, aht_arr, interval_s, method)
            rate = load.total
        staff = rate
        if interval_s is not None and method != "sipp":
            staff = staffing_rates(rate, aht_arr * spec.session_factor, interval_s, method)
        req = requirements(staff, aht, spec.patience_s, spec.targets,
                           concurrency=spec.concurrency,
                           concurrency_slowdown=spec.concurrency_slowdown,
                           shrinkage=shrinkage)
        if load is None:
            z = np.zeros_like(first)
            load = EffectiveLoad(first, z, z.copy())
        out[name] = replace(req, load=load, staffed_rate=staff)
    return out
