"""Keep freed memory in the process for reuse (glibc's allocator), instead of handing it
back to the kernel and faulting it in again page by page.

A replication allocates and frees the same few megabytes of arrays thousands of times
(event queues, recording arrays, KPI passes). With glibc's defaults a freed block above
the mmap threshold (128 KiB, raised on the fly up to 32 MiB) is unmapped at once, and the
top of the heap is trimmed above 128 KiB of free space: every reuse then costs a minor
page fault per 4 KiB page, the kernel zeroing each page again. Measured on the flagship
``peakdesk run`` (2 cores): 3.2 million minor page faults and 9.1 s of system CPU with the
defaults, 0.45 million and 2.2 s with the settings below, and 6 s less wall; the largest
process grew from 0.70 to 0.79 GB (benchmarks/bench_heap.py measures both in one run).

The settings (glibc ``mallopt``, documented in mallopt(3)): blocks up to the largest mmap
threshold glibc accepts (32 MiB on 64-bit) come from the heap; the heap's free top is kept
up to :data:`TRIM_BYTES`; the heap grows :data:`TOP_PAD_BYTES` at a time. The ``peakdesk``
command applies them as it starts (cli.py), before any array; its forked pool workers and
background job inherit them (a spawned process or a Dask worker keeps glibc's defaults).
Nothing changes but where memory comes from: the numbers are the same. Elsewhere (macOS,
musl, Windows) this is a no-op; ``PEAKDESK_HEAP=default`` leaves glibc's defaults.
"""

from __future__ import annotations

import ctypes
import gc
import os
import sys

M_TRIM_THRESHOLD = -1  # malloc.h
M_TOP_PAD = -2
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 32 * 1024 * 1024  # glibc's HEAP_MAX / 2 on 64-bit: larger is refused
TRIM_BYTES = 1024 ** 3  # free heap top kept (mallopt takes a C int: at most 2 GiB - 1)
TOP_PAD_BYTES = 256 * 1024 * 1024  # address space asked of the kernel at a time
ENV = "PEAKDESK_HEAP"  # "default": leave glibc's defaults (to measure against them)

# Python's cyclic collector: a full pass over the oldest generation once its younger
# generation has been collected this many times (CPython's default: 10) — see
# collect_less
FULL_PASS_AFTER = 100

_done = False


def glibc() -> ctypes.CDLL | None:
    """The C library when it is glibc on Linux, else None (the running program's own
    symbols: the C library it is linked with, found without a search)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION"):
            return None
        return ctypes.CDLL(None)
    except (OSError, ValueError):
        return None


def keep_freed_memory() -> bool:
    """Apply the settings to this process once (idempotent); True when they took."""
    global _done
    if _done:
        return True
    if os.environ.get(ENV, "").strip().lower() == "default":
        return False
    libc = glibc()
    if libc is None:
        return False
    ok = all(libc.mallopt(param, value) == 1 for param, value in (
        (M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES), (M_TRIM_THRESHOLD, TRIM_BYTES),
        (M_TOP_PAD, TOP_PAD_BYTES)))
    _done = ok
    return ok


def collect_less() -> bool:
    """Run Python's cyclic garbage collector over the oldest objects ten times less often
    (idempotent; True when applied).

    A run's main process holds ~600,000 objects the collector tracks (the imported
    modules, Pyomo's model components, the scenario's typed model, the stages' results),
    nearly all alive to the end. CPython passes over all of them whenever its middle
    generation has been collected 10 times and the objects added since the last full
    pass exceed a quarter of those already there (CPython's gc module documentation,
    "gc.set_threshold"). Measured on the flagship ``peakdesk run`` (gc.callbacks timing
    each pass in the main process): 9 full passes, 1.05 CPU s; with the oldest
    generation's threshold at :data:`FULL_PASS_AFTER`, 1 pass (0.21 s) and the same
    largest process (0.76 GB either way). The young generations are collected as before,
    so cycles that die young — most garbage — are freed as soon as before. Objects are
    freed, never changed: the numbers are the same. ``PEAKDESK_HEAP=default`` leaves
    CPython's thresholds too.
    """
    if os.environ.get(ENV, "").strip().lower() == "default":
        return False
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_PASS_AFTER)
    return True
