"""scenarios.heap: freed memory kept for reuse — fewer page faults, nothing else changes.

Reference: the kernel's own count of this process's minor page faults (getrusage's
ru_minflt) while the same arrays are allocated, written and freed again and again, in a
fresh process with glibc's defaults and in one with the settings applied. Four blocks of
8 MiB (8,192 pages) allocated, written and freed together 20 times: with the defaults the
freed top of the heap (32 MiB) exceeds the trim threshold glibc sets itself (twice its
mmap threshold, 16 MiB once an 8 MiB block was freed), so its part above the
threshold goes back to the kernel and faults again next time (40,560 faults measured,
about 8 MiB a round); kept, none.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from scenarios import heap

pytestmark = pytest.mark.skipif(heap.glibc() is None, reason="glibc's allocator only")

_PROBE = """
import json, resource, sys
import numpy as np
if sys.argv[1] == "kept":
    from scenarios.heap import keep_freed_memory
    assert keep_freed_memory()
total = 0.0
def work():  # four blocks of 8 MiB, every page written, then all freed
    global total
    blocks = [np.ones(1 << 20) for _ in range(4)]
    total += sum(float(b.sum()) for b in blocks)
for _ in range(3):  # warm: the first allocations fault in any case
    work()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(20):
    work()
faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
print(json.dumps({"faults": faults, "total": total}))
"""


def _faults(mode: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != heap.ENV}
    out = subprocess.run([sys.executable, "-c", _PROBE, mode], env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def test_freed_memory_is_reused_without_page_faults():
    default, kept = _faults("default"), _faults("kept")
    block_pages = (8 << 20) // 4096  # 2,048
    assert default["faults"] > 20 * block_pages // 2  # ≥ half a block given back a round
    assert kept["faults"] < block_pages // 2  # kept: the same pages reused
    assert kept["total"] == default["total"] == 23 * 4 * float(1 << 20)  # the same work


def test_default_leaves_glibc_alone(monkeypatch):
    monkeypatch.setattr(heap, "_done", False)
    monkeypatch.setenv(heap.ENV, "default")
    assert heap.keep_freed_memory() is False


def test_settings_are_ones_glibc_accepts():
    """mallopt takes a C int and refuses an mmap threshold above HEAP_MAX/2 (32 MiB on
    64-bit): each value within those bounds, or the call returns 0 and nothing is kept."""
    assert heap.MMAP_THRESHOLD_BYTES <= 32 * 1024 * 1024
    assert max(heap.TRIM_BYTES, heap.TOP_PAD_BYTES) < 2 ** 31


# --- the cyclic collector (scenarios.heap.collect_less) ---------------------------------
# Reference: CPython's own count of its collections by generation (gc.callbacks, "stop"
# phase, info["generation"]) in a fresh process building the same long-lived objects —
# 400,000 small lists kept alive, the shape of a run's modules and model components —
# while cyclic garbage (pairs of lists pointing at each other, watched by weak references
# through a tracked holder) is made and dropped beside them.
_COLLECTOR_PROBE = """
import gc, json, sys, weakref
if sys.argv[1] == "less":
    from scenarios.heap import collect_less
    assert collect_less()
full = [0]
def count(phase, info):
    if phase == "stop" and info["generation"] == 2:
        full[0] += 1
gc.callbacks.append(count)
class Node:
    pass
kept, watched = [], []
for i in range(400_000):
    kept.append([i])
    if i % 100 == 0:  # a cycle, dropped at once
        a, b = Node(), Node()
        a.other, b.other = b, a
        watched.append(weakref.ref(a))
        del a, b
gc.callbacks.remove(count)
for _ in range(3):  # the young generations' ordinary passes, no full one
    gc.collect(0); gc.collect(1)
alive = sum(w() is not None for w in watched)
gc.collect()
after_full = sum(w() is not None for w in watched)
print(json.dumps({"full": full[0], "alive": alive, "after_full": after_full,
                  "cycles": len(watched), "threshold": gc.get_threshold()}))
"""


def _collections(mode: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != heap.ENV}
    out = subprocess.run([sys.executable, "-c", _COLLECTOR_PROBE, mode], env=env,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def test_the_collector_passes_over_long_lived_objects_less_often():
    default, less = _collections("default"), _collections("less")
    assert default["threshold"][2] == 10  # CPython's default, the reference
    assert less["threshold"] == [default["threshold"][0], default["threshold"][1],
                                 heap.FULL_PASS_AFTER]
    assert default["full"] >= 3  # the defaults pass over the kept lists again and again
    assert less["full"] <= default["full"] // 3
    # the cycles dropped young are freed by the young passes as before (a few promoted to
    # the oldest generation just before the end may wait for its pass, either way), and
    # every one by a full pass
    assert default["cycles"] == less["cycles"] == 4_000
    assert default["alive"] <= 40 and less["alive"] <= 40
    assert default["after_full"] == less["after_full"] == 0


def test_peakdesk_heap_default_leaves_the_collector(monkeypatch):
    monkeypatch.setenv(heap.ENV, "default")
    before = __import__("gc").get_threshold()
    assert heap.collect_less() is False
    assert __import__("gc").get_threshold() == before
