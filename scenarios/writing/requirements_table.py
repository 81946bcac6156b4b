"""Flatten per-channel requirements into the interval × channel table and its totals."""

from __future__ import annotations

from typing import Any

import numpy as np

from planning.channel import ChannelStaffing
from planning.requirements import Requirement
from scenarios.schema import Scenario

HEADER = ["interval_start", "channel", "rate_per_hour", "aht_s", "model", "required_agents",
          "required_fractional", "scheduled_agents", "scheduled_fractional", "binding",
          "service_level", "asa_s", "abandon_rate", "occupancy", "p_wait",
          # the load staffed for: arrivals per hour by origin, and what the queue model saw
          # (their sum under SIPP; the modified offered load's rate under MOL)
          "first_attempts_per_hour", "redials_per_hour", "repeats_per_hour",
          "staffed_rate_per_hour"]


def _num(v: float) -> float | None:
    return float(v) if np.isfinite(v) else None


def _load(r: Requirement, rate: np.ndarray, i: int) -> list[float]:
    """First attempts, redials, repeats and the staffed rate of interval i (per hour)."""
    ld = r.load
    first, red, rep = ((ld.first_attempts[i], ld.redials[i], ld.repeats[i]) if ld is not None
                       else (rate[i], 0.0, 0.0))
    staffed = r.staffed_rate[i] if r.staffed_rate is not None else first + red + rep
    return [round(float(v), 6) for v in (first, red, rep, staffed)]


def requirements_rows(sc: Scenario, specs: dict[str, ChannelStaffing],
                      rates: dict[str, np.ndarray], aht: dict[str, np.ndarray],
                      reqs: dict[str, Requirement]) -> tuple[list[str], list[list[Any]]]:
    """Long-format rows, one per interval × channel (CSV / JSON)."""
    starts = sc.horizon.interval_starts()
    rows: list[list[Any]] = []
    for i, start in enumerate(starts):
        for ch, r in reqs.items():
            m = r.metrics
            rows.append([start.isoformat(timespec="minutes"), ch, float(rates[ch][i]),
                         float(aht[ch][i]), specs[ch].model, int(r.agents[i]),
                         round(float(r.fractional[i]), 6), int(r.scheduled[i]),
                         round(float(r.scheduled_fractional[i]), 6), str(r.binding[i]),
                         _num(m.service_level[i]), _num(m.asa_s[i]), _num(m.p_abandon[i]),
                         _num(m.occupancy[i]), _num(m.p_wait[i]),
                         *_load(r, rates[ch], i)])
    return HEADER, rows


def requirements_summary(sc: Scenario, specs: dict[str, ChannelStaffing],
                         rates: dict[str, np.ndarray], reqs: dict[str, Requirement]
                         ) -> dict[str, dict[str, Any]]:
    """Per channel: peak requirement and agent-hours (fractional sums: no compounded
    round-up when intervals are aggregated)."""
    hours = sc.horizon.interval_minutes / 60.0
    starts = sc.horizon.interval_starts()
    out: dict[str, dict[str, Any]] = {}
    for ch, r in reqs.items():
        peak = int(np.argmax(r.agents)) if r.agents.size else 0
        ld = r.load
        out[ch] = {
            "model": specs[ch].model,
            "contacts": float(rates[ch].sum() * hours),
            # contacts staffed for, by origin (the fixed point of planning.returns)
            "redials": float(ld.redials.sum() * hours) if ld is not None else 0.0,
            "repeats": float(ld.repeats.sum() * hours) if ld is not None else 0.0,
            "fixed_point_iterations": ld.iterations if ld is not None else 0,
            "peak_required": int(r.agents[peak]),
            "peak_scheduled": int(r.scheduled[peak]),
            "peak_interval": starts[peak].isoformat(timespec="minutes"),
            "agent_hours_required": float(r.fractional.sum() * hours),
            "agent_hours_scheduled": float(r.scheduled_fractional.sum() * hours),
            "sessions_per_agent": r.sessions_per_agent,
        }
    return out
