"""Chat with concurrency: an agent serves up to k sessions, each slower as k grows.

Model (docs/staffing.md, Chat): per-session service rate at level k is
μ_k = μ₁ / s(k) with a linear slowdown s(k) = 1 + c·(k − 1) (``concurrency_slowdown`` c;
Goes, Ilk, Lin & Zhao 2018 measured responses ≈18% and sessions ≈4% longer when
multitasking). The concurrency cap used is K* = argmax_{k ≤ k_max} k·μ_k (Enqvist &
Svensson 2019: the cap that maximises an agent's total throughput), and the queue is
treated as Erlang A with N·K* "virtual servers" of rate μ_{K*} (Tezcan & Zhang 2014's
staffing view of a chat centre as a many-server system).

Assumptions, stated in docs/staffing.md: every agent works at the cap whenever it has a
queue (sessions at lower levels would actually be faster, so the approximation is
conservative at moderate load); the wait measured is the wait for a first response; the
approximation is exact only when k·μ_k is linear in k (Enqvist & Svensson) and is
validated against the simulator rather than taken as truth.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ChatCapacity:
    """How a chat channel maps onto virtual servers."""

    sessions: int  # K*: sessions per agent used for staffing
    session_time_s: float  # mean handle time of one session when K* run at once

    def virtual_servers(self, agents: np.ndarray | float) -> np.ndarray:
        """Session slots offered by ``agents`` agents."""
        return np.asarray(agents, dtype=np.float64) * self.sessions


def slowdown(k: int | np.ndarray, per_extra_session: float) -> np.ndarray:
    """s(k) = 1 + c·(k − 1): handle-time multiplier of each session at concurrency k."""
    return 1.0 + per_extra_session * (np.asarray(k, dtype=np.float64) - 1.0)


def chat_capacity(handle_s: float, concurrency: int, per_extra_session: float) -> ChatCapacity:
    """Pick K* = argmax_{k ≤ concurrency} k/s(k) and the session time at K*."""
    ks = np.arange(1, concurrency + 1)
    throughput = ks / slowdown(ks, per_extra_session)
    best = int(ks[int(np.argmax(throughput))])
    return ChatCapacity(sessions=best,
                        session_time_s=float(handle_s * slowdown(best, per_extra_session)))
