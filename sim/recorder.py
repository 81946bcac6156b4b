"""Observation apart from behaviour: the kernel calls these hooks, KPIs come later.

The recorder keeps flat per-contact records (lists, one entry per contact, indexed by
contact id in arrival order). KPIs are pure functions over :class:`ContactRecords`
(:mod:`sim.kpi`); time-weighted quantities (queue length, occupancy) are integrated from
the records' intervals there, exactly.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass

import numpy as np

NAN = math.nan

KIND_NEW, KIND_RETRIAL, KIND_REPEAT = 0, 1, 2


@dataclass
class ContactRecords:
    """One row per contact (numpy arrays of equal length)."""

    arrival_t: np.ndarray
    channel: np.ndarray
    kind: np.ndarray
    answer_t: np.ndarray     # nan when never answered
    agent: np.ndarray        # -1 when never answered
    talk_s: np.ndarray       # handle (talk) time, nan when not answered
    work_s: np.ndarray       # talk + after-contact work: the agent's busy time
    end_t: np.ndarray        # end of the agent's work, nan while not finished
    abandon_t: np.ndarray    # nan unless abandoned
    resolved: np.ndarray     # bool, meaningful for finished contacts
    sessions: np.ndarray     # concurrent sessions of the agent when answered (incl. this)

    def __len__(self) -> int:
        return len(self.arrival_t)

    @property
    def wait_s(self) -> np.ndarray:
        """Wait until answer or abandonment (nan while still waiting)."""
        return np.where(np.isnan(self.answer_t), self.abandon_t, self.answer_t) - self.arrival_t


class Recorder:
    """Hooks called by the kernel; stores flat records (C doubles appended to arrays: 8
    bytes a number; :meth:`records` turns them into numpy arrays)."""

    def __init__(self) -> None:
        self.arrivals = array("d")   # t, channel, kind
        self.answers = array("d")    # c, t, agent, talk_s, work_s, sessions
        self.abandons = array("d")   # c, t
        self.finishes = array("d")   # c, t, resolved

    def on_arrival(self, c: int, t: float, channel: int, kind: int) -> None:
        """Contact ``c`` (ids are given in arrival order) arrives on ``channel``."""
        self.arrivals.extend((t, channel, kind))

    def on_answer(self, c: int, t: float, agent: int, talk_s: float, work_s: float,
                  sessions: int) -> None:
        """An agent answers ``c``; it will be busy ``work_s`` (talk + after-contact work)."""
        self.answers.extend((c, t, agent, talk_s, work_s, sessions))

    def on_abandon(self, c: int, t: float) -> None:
        self.abandons.extend((c, t))

    def on_finish(self, c: int, t: float, resolved: bool) -> None:
        self.finishes.extend((c, t, resolved))

    def records(self) -> ContactRecords:
        def table(flat: array, width: int) -> np.ndarray:
            return np.frombuffer(flat, dtype=float).reshape(-1, width)

        arr = table(self.arrivals, 3)
        n = len(arr)
        nan = np.full(n, NAN)
        answer_t, talk, work, end_t, abandon_t = (nan.copy() for _ in range(5))
        agent = np.full(n, -1, dtype=np.int64)
        sessions = np.zeros(n, dtype=np.int16)
        resolved = np.zeros(n, dtype=bool)
        a = table(self.answers, 6)
        c = a[:, 0].astype(np.int64)
        answer_t[c], agent[c], talk[c], work[c] = a[:, 1], a[:, 2], a[:, 3], a[:, 4]
        sessions[c] = a[:, 5]
        b = table(self.abandons, 2)
        abandon_t[b[:, 0].astype(np.int64)] = b[:, 1]
        f = table(self.finishes, 3)
        c = f[:, 0].astype(np.int64)
        end_t[c], resolved[c] = f[:, 1], f[:, 2] > 0
        # copies (not views of the buffers), so the recorder's 112 bytes a contact can go
        return ContactRecords(arr[:, 0].copy(), arr[:, 1].astype(np.int64),
                              arr[:, 2].astype(np.int8),
                              answer_t, agent, talk, work, end_t, abandon_t, resolved, sessions)
