"""How big a simulation may be: refused before any work when it cannot fit in memory.

The estimate of what a simulation needs at its peak, in bytes:

    workers_at_once × (contacts × BYTES_PER_CONTACT + agents × intervals × BYTES_PER_AGENT_INTERVAL
                       + BYTES_PER_WORKER when they run in a pool of processes)
    + replications × agents × (days + 1) × BYTES_PER_AGENT_DAY        (results kept by the parent)
    + replications × contacts × BYTES_PER_LOGGED_CONTACT              (only with the contact log)

where ``contacts`` is the worst demand's expected number of contacts in one replication —
first attempts (:func:`expected_contacts`) and the redials and repeat contacts they bring
(:func:`follow_up_factor`). It must stay within :data:`USABLE_SHARE` of the memory the
machine has free now (:func:`available_memory`: MemAvailable, capped by a cgroup limit).
The scenario's fields are bounded one by one (scenarios.reading.limits); this bounds their product.

The per-unit constants are measured by ``benchmarks/bench_memory.py`` (peak resident memory
a replication adds, in a fresh process, VmHWM) on the flagship scaled 1x to 10x, with both
event desks; the largest figure is kept, rounded up (docs/performance.md, Memory).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.demand import Demand
    from sim.model import SimModel

# Peak bytes one simulated contact adds to its replication's process. Measured (bench_memory,
# flagship 1x-10x, 245k-2.5M contacts a replication): readable desk 270-300 B, compiled desk
# 190-200 B; before the outcome draws were chunked and the desk freed early, ~630 B.
BYTES_PER_CONTACT = 320
# Per agent and interval: the duty, ready, idle, busy, outbound and missed-ring tables;
# measured ~80 B (bench_memory on the 10x roster, 1,250 agents x 672 intervals, no contacts)
BYTES_PER_AGENT_INTERVAL = 100
# Per worker process when replications run in a pool (imports, numba's machine code, the
# model): measured 114 MB (readable desk) and 221 MB (compiled) on the 10x flagship
BYTES_PER_WORKER = 256 * 2**20
# Per agent and day, per replication, kept by the parent: the agent KPI table (~45 columns)
BYTES_PER_AGENT_DAY = 400
# Per contact and replication kept by the parent with the contact log on (11 record fields)
BYTES_PER_LOGGED_CONTACT = 80
# Share of the free memory a simulation may plan to use (the rest: the operating system,
# other programs, allocator slack)
USABLE_SHARE = 0.8
# When the free memory cannot be read (not Linux, no sysconf): assume this much
UNKNOWN_MEMORY = 4 * 2**30


class SimulationTooLarge(ValueError):
    """The demand asks for more contacts per replication than memory allows."""


def expected_contacts(model: SimModel, demand: Demand) -> float:
    """Mean number of first-attempt arrivals one replication draws (or replays)."""
    if demand.arrivals is not None:
        return float(sum(len(a) for a in demand.arrivals.values()))
    hours = model.interval_s / 3600.0
    return float(sum(np.sum(r) for r in demand.rates.values())) * demand.multiplier * hours


def follow_up_factor(model: SimModel) -> float:
    """Contacts simulated per first attempt, at most: a contact brings at most one more —
    a redial if abandoned (``retrial_p``) or a repeat contact if unresolved (``repeat_p`` ×
    (1 − resolution), taken at the least resolving pool's mean) — so a chain has geometric
    length 1 / (1 − q) with q the larger of the two; the largest channel's factor."""
    fcr = [float(np.mean(p.natural_fcr)) if p.natural_fcr is not None else p.quality.fcr
           for p in model.pools] or [1.0]
    unresolved = 1.0 - min(fcr)
    q = max((max(c.retrial_p, c.repeat_p * unresolved) for c in model.channels), default=0.0)
    return 1.0 / (1.0 - min(q, 0.95))


def _read_int(path: str) -> int | None:
    try:
        text = Path(path).read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def available_memory() -> int:
    """Bytes this process may still use: /proc/meminfo's MemAvailable (free memory plus
    the caches the kernel can drop), capped by a cgroup memory limit (v2 or v1) minus its
    usage; sysconf's free pages elsewhere; :data:`UNKNOWN_MEMORY` if neither is there."""
    free: int | None = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                free = int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        free = None
    if free is None:
        try:
            free = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (ValueError, OSError, AttributeError):
            free = UNKNOWN_MEMORY
    for limit_path, usage_path in (("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
                                   ("/sys/fs/cgroup/memory/memory.limit_in_bytes",
                                    "/sys/fs/cgroup/memory/memory.usage_in_bytes")):
        limit, usage = _read_int(limit_path), _read_int(usage_path)
        if limit is not None and usage is not None and limit < 2**60:
            free = min(free, max(limit - usage, 0))
    return free


def check_size(model: SimModel, demands: Sequence[Demand], workers: int = 1,
               replications: int = 1) -> None:
    """Refuse, before any work, a simulation whose replications cannot fit in memory:
    ``workers`` replications at once (each at its peak) and the ``replications`` results
    the parent keeps, against the memory free now (the rule in the module's docstring)."""
    first = max((expected_contacts(model, d) for d in demands), default=0.0)
    per_first = follow_up_factor(model)
    agents = int(sum(p.size for p in model.pools))
    days = model.n_intervals * model.interval_s / 86400.0
    at_once = max(1, min(workers, replications))
    fixed = (at_once * agents * model.n_intervals * BYTES_PER_AGENT_INTERVAL
             + (at_once * BYTES_PER_WORKER if at_once > 1 else 0)
             + replications * agents * (np.ceil(days) + 1) * BYTES_PER_AGENT_DAY)
    per_contact = per_first * (at_once * BYTES_PER_CONTACT
                               + (replications * BYTES_PER_LOGGED_CONTACT
                                  if model.contact_log else 0))
    free = available_memory()
    usable = USABLE_SHARE * free
    fits = max(0.0, (usable - fixed) / per_contact)
    if not first <= fits:
        need = fixed + first * per_contact
        raise SimulationTooLarge(
            f"the simulation would draw about {first:,.0f} contacts in one replication; at "
            f"most {fits:,.0f} fit in memory ({at_once} replication"
            f"{'s' if at_once > 1 else ''} at a time would need about {need / 2**30:,.1f} GB; "
            f"{free / 2**30:,.1f} GB is free): simulate a shorter horizon or part of the "
            f"demand, or fewer workers at a time")
