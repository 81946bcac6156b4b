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
from planning.erlang import QueueMetrics
from planning.offered_load import mol_rates
from planning.requirements import (
    Requirement,
    Targets,
    requirements,
    servers_and_abandonment,
)
from planning.returns import EffectiveLoad, Returns, effective_loads

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
    return channel_loads([rates], spec, [aht], interval_s, method)[0]


def channel_loads(rates: list[np.ndarray], spec: ChannelStaffing, aht: list[np.ndarray],
                  interval_s: float, method: str = "sipp") -> list[EffectiveLoad]:
    """:func:`channel_load` of several demand scenarios at once (planning.returns.
    effective_loads: one staffing search per step over all of them, each interval
    searched on its own data — the same numbers as one scenario at a time)."""
    return _channel_loads(rates, spec, aht, interval_s, method)[0]


def _channel_loads(rates: list[np.ndarray], spec: ChannelStaffing, aht: list[np.ndarray],
                   interval_s: float, method: str = "sipp"
                   ) -> tuple[list[EffectiveLoad], np.ndarray | None]:
    """:func:`channel_loads`, and the servers of the fixed point's last step per interval
    (the scenarios laid end to end; None without returns): the requirement's search
    starts from them."""
    firsts = [np.asarray(r, dtype=np.float64) for r in rates]
    if spec.returns is None or not spec.returns.active:
        out = []
        for first in firsts:
            z = np.zeros_like(first)
            out.append(EffectiveLoad(first, z, z.copy()))
        return out, None
    cap = chat_capacity(1.0, spec.concurrency, spec.concurrency_slowdown)
    holds = [np.broadcast_to(np.asarray(a, dtype=np.float64) * cap.session_time_s,
                             first.shape) for a, first in zip(aht, firsts, strict=True)]
    ends = np.cumsum([f.size for f in firsts])
    seg = [slice(int(e - f.size), int(e)) for f, e in zip(firsts, ends, strict=True)]
    hold = np.concatenate(holds) if firsts else np.zeros(0)
    pat = np.full(hold.shape, spec.patience_s)
    last: dict[str, np.ndarray] = {}

    def abandon(lam: np.ndarray) -> np.ndarray:
        # each scenario's staffing rates from its own arrivals (MOL looks back in time)
        staff = np.concatenate([staffing_rates(lam[s], h, interval_s, method)
                                for s, h in zip(seg, holds, strict=True)])
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

    loads = effective_loads(firsts, spec.returns, interval_s, abandon, aht_s=holds,
                            wait_s=spec.targets.within_s)
    return loads, last.get("n")


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
    return channel_requirements_cases([rates_per_hour], channels, shrinkage,
                                      [aht_by_interval] if aht_by_interval else None,
                                      interval_s, method)[0]


def channel_requirements_cases(rates_per_hour: list[dict[str, np.ndarray]],
                               channels: dict[str, ChannelStaffing], shrinkage: float,
                               aht_by_interval: list[dict[str, np.ndarray]] | None = None,
                               interval_s: float | None = None, method: str = "sipp"
                               ) -> list[dict[str, Requirement]]:
    """:func:`channel_requirements` of several demand scenarios (one rates dict each, and
    one ``aht_by_interval`` dict each when given), computed together: per channel one
    effective-load fixed point (:func:`channel_loads`) and one staffing search over the
    scenarios' intervals laid end to end. Every interval's search depends on its own data
    only (planning.requirements), so each scenario gets the numbers it gets alone; the
    work is vectorised over all of them (most of a scenario's cost was numpy's per-call
    overhead on arrays of one horizon)."""
    if method not in METHODS:
        raise ValueError(f"unknown staffing method {method!r} (expected one of {METHODS})")
    out: list[dict[str, Requirement]] = [{} for _ in rates_per_hour]
    if not rates_per_hour:
        return out
    for name, spec in channels.items():
        firsts, ahts = [], []
        for k, rates in enumerate(rates_per_hour):
            aht = spec.aht_s
            if aht_by_interval and aht_by_interval[k] and name in aht_by_interval[k]:
                aht = aht_by_interval[k][name]
            first = np.atleast_1d(np.asarray(rates[name], dtype=np.float64))
            firsts.append(first)
            ahts.append(np.broadcast_to(np.asarray(aht, dtype=np.float64), first.shape))
        with_returns = (interval_s is not None and spec.returns is not None
                        and spec.returns.active)
        loads, hint = (_channel_loads(firsts, spec, ahts, interval_s, method)
                       if with_returns else ([None] * len(firsts), None))
        staffs = []
        for first, aht, load in zip(firsts, ahts, loads, strict=True):
            staff = first if load is None else load.total
            if interval_s is not None and method != "sipp":
                staff = staffing_rates(staff, aht * spec.session_factor, interval_s, method)
            staffs.append(staff)
        req = requirements(np.concatenate(staffs), np.concatenate(ahts), spec.patience_s,
                           spec.targets, concurrency=spec.concurrency,
                           concurrency_slowdown=spec.concurrency_slowdown,
                           shrinkage=shrinkage, hint=hint)
        at = 0
        for k, (first, staff, load) in enumerate(zip(firsts, staffs, loads, strict=True)):
            part = _part(req, slice(at, at + first.size))
            at += first.size
            if load is None:
                z = np.zeros_like(first)
                load = EffectiveLoad(first, z, z.copy())
            out[k][name] = replace(part, load=load, staffed_rate=staff)
    return out


def _part(req: Requirement, sl: slice) -> Requirement:
    """The intervals ``sl`` of a requirement computed for several scenarios at once."""
    m = req.metrics
    return replace(req, agents=req.agents[sl].copy(), fractional=req.fractional[sl].copy(),
                   binding=req.binding[sl].copy(),
                   metrics=QueueMetrics(*(np.asarray(v)[sl].copy() for v in (
                       m.p_wait, m.p_abandon, m.service_level, m.asa_s, m.occupancy))),
                   scheduled=req.scheduled[sl].copy(),
                   scheduled_fractional=req.scheduled_fractional[sl].copy())
