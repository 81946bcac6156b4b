"""Randomness owned by the run: one SeedSequence per replication, named child streams.

Replication r of master seed S uses ``SeedSequence(S, spawn_key=(r,))``; its stream
``name`` uses ``spawn_key=(r, STREAMS.index(name))``. So a replication's numbers depend
only on (S, r), never on the worker that runs it, and two scenarios that differ only in
staffing or policy see the same customers (common random numbers).
"""

from __future__ import annotations

import numpy as np

STREAMS = ("arrivals", "patience", "handle", "resolve", "outcomes", "retrial", "repeat",
           "agents", "outbound", "demand", "rings", "bot")


def replication_seed(seed: int, replication: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(seed, spawn_key=(replication,))


class Streams:
    """Named generators of one replication (PCG64, independent by spawn key)."""

    def __init__(self, seed: int, replication: int):
        self.seed = seed
        self.replication = replication
        self._cache: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        if name not in self._cache:
            ss = np.random.SeedSequence(self.seed, spawn_key=(self.replication,
                                                              STREAMS.index(name)))
            self._cache[name] = np.random.Generator(np.random.PCG64(ss))
        return self._cache[name]

    def started(self, name: str) -> bool:
        """True once stream ``name`` has been handed out (it may have drawn numbers)."""
        return name in self._cache
