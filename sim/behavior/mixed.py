"""Mixed equilibrium for the agents a small team's best-response play cycles through.

A tournament between few agents can have no pure equilibrium: a marginal agent competes
when the others give up and gives up when they compete (each place is a large share of the
band). Its equilibrium is mixed (Nash 1951): the agents in the cycle ("mixers") randomise
between two lever points, each with a probability that leaves the other mixers
indifferent, and everyone else best-responds to that mixture. The mixers play
independently, so the others face a mixture of 2^m pure profiles (m mixers), each with the
product of the mixers' probabilities: the field of each profile, weighted
(:func:`sim.behavior.tournament.mix_fields`), gives every agent's exact expected pay.
Regret against a mixed profile: an agent's best-response gain over the expected pay of its
own (mixed or pure) play, the others playing the mixture.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import numpy as np

from sim.behavior.response import Evaluator, best_response
from sim.behavior.tournament import Field, mix_fields

#: at most this many mixers (2^m profiles of the others are enumerated)
MAX_MIXERS = 8


@dataclass(frozen=True)
class Mixture:
    """A mixed profile: agent ``mixers[k]`` plays ``support[k, 0]`` with probability
    ``prob[k]`` and ``support[k, 1]`` otherwise, independently; every other agent plays its
    row of ``levers`` (n, 4)."""

    levers: np.ndarray
    mixers: np.ndarray
    support: np.ndarray
    prob: np.ndarray

    def profiles(self) -> list[tuple[float, np.ndarray]]:
        """The 2^m pure profiles with their probabilities."""
        out = []
        for bits in itertools.product((0, 1), repeat=len(self.mixers)):
            lv = self.levers.copy()
            w = 1.0
            for k, b in enumerate(bits):
                lv[self.mixers[k]] = self.support[k, b]
                w *= self.prob[k] if b == 0 else 1.0 - self.prob[k]
            out.append((w, lv))
        return out

    def likeliest(self) -> np.ndarray:
        """The most likely pure profile (n, 4): each mixer at its more likely point."""
        lv = self.levers.copy()
        lv[self.mixers] = np.where((self.prob >= 0.5)[:, None], self.support[:, 0],
                                   self.support[:, 1])
        return lv

    def mean_levers(self) -> np.ndarray:
        """Expected levers (n, 4): the mixers' probability-weighted support."""
        lv = self.levers.copy()
        p = self.prob[:, None]
        lv[self.mixers] = p * self.support[:, 0] + (1.0 - p) * self.support[:, 1]
        return lv


@dataclass(frozen=True)
class Profiles:
    """The 2^m pure profiles of a mixture's support (bit order of ``bits``): each one's
    field and, per agent, the value (pay − effort cost) of its own levers there and, for
    the mixers, of each of their two points — all a mixture's probabilities need."""

    bits: np.ndarray                   # (2^m, m): 0 = the mixer's first point
    fields: list[Field]
    own: np.ndarray                    # (2^m, n)
    table: np.ndarray                  # (m, 2^m, 2): U[k, profile, point]

    def weights(self, prob: np.ndarray) -> np.ndarray:
        """Each profile's probability (2^m,) under independent mixing."""
        return np.prod(np.where(self.bits == 0, prob, 1.0 - prob), axis=1)


def profiles_of(ev: Evaluator, mix: Mixture) -> Profiles:
    """Fields and values of every pure profile of ``mix`` (one evaluation per profile)."""
    bits = _bits(len(mix.mixers))
    fields, own, table = [], [], np.zeros((len(mix.mixers), len(bits), 2))
    for q, (_, lv) in enumerate(mix.profiles()):
        f = ev.field(lv)
        cand = np.repeat(lv[:, None, :], 3, axis=1)
        cand[mix.mixers, 1:] = mix.support
        v = ev.objective(lv, cand, f)
        fields.append(f)
        own.append(v[:, 0])
        table[:, q, :] = v[mix.mixers, 1:]
    return Profiles(bits, fields, np.array(own), table)


def mixed_regret(ev: Evaluator, mix: Mixture, active: np.ndarray, thorough: bool = True,
                 profiles: Profiles | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Best-response gain per agent over the expected value of its own play under ``mix``
    (n,) — the profiles' values averaged with their probabilities — and the best
    responses to the mixture's field (every profile's field with its probability)."""
    pr = profiles_of(ev, mix) if profiles is None else profiles
    w = pr.weights(mix.prob)
    on = np.flatnonzero(w > 0)
    fld = mix_fields([(w[q], pr.fields[q]) for q in on])
    br, best = best_response(ev, mix.levers, active, thorough, fld)
    return np.maximum(best - w[on] @ pr.own[on], 0.0), br


@functools.lru_cache(maxsize=16)
def _bits(m: int) -> np.ndarray:
    return np.array(list(itertools.product((0, 1), repeat=m)), dtype=int).reshape(-1, m)


def restricted_regret(table: np.ndarray, prob: np.ndarray) -> np.ndarray:
    """Each mixer's regret in the game restricted to the supports (m,), at ``prob``: the
    better support's expected value over the others' profiles minus its own mixture's."""
    m = len(prob)
    bits = _bits(m)                                                      # (2^m, m)
    f = np.where(bits == 0, prob, 1.0 - prob)                            # (2^m, m)
    own = np.eye(m, dtype=bool)[:, None, :]                              # (m, 1, m)
    w = np.prod(np.where(own, 1.0, f[None]), axis=2)                     # others' weight
    w = w * (bits.T == 0)                     # one copy of each profile of the others
    u = np.einsum("kq,kqs->ks", w, table)                                # (m, 2)
    return u.max(axis=1) - (prob * u[:, 0] + (1.0 - prob) * u[:, 1])


def solve_restricted(table: np.ndarray, prob: np.ndarray, tol: float) -> np.ndarray:
    """Probabilities where the restricted game's regrets vanish (a mixed Nash equilibrium
    of the mixers' 2-point game): minimise the sum of squared regrets from the given
    probabilities, from one half each and from the flipped ones (Powell's method, scipy)
    until the largest regret is below ``tol`` (money), keep the best."""
    from scipy.optimize import minimize

    if len(prob) == 0:
        return prob

    def f(p: np.ndarray) -> float:
        return float(np.sum(restricted_regret(table, p) ** 2))

    here = np.clip(prob, 0.0, 1.0)
    found = []
    for start in (here, np.full_like(prob, 0.5), 1.0 - here):
        res = minimize(f, start, method="Powell", bounds=[(0.0, 1.0)] * len(prob),
                       options={"xtol": 1e-3, "ftol": 1e-10, "maxfev": 2000})
        p = np.clip(res.x, 0.0, 1.0)
        found.append((float(restricted_regret(table, p).max()), p))
        if found[-1][0] <= tol:
            break                        # the equilibrium nearest the current mixture
    ok = [p for r, p in found if r <= tol]
    if ok:
        return min(ok, key=lambda p: float(np.abs(p - here).sum()))
    return min(found, key=lambda rp: rp[0])[1]


def mixers_of(window: np.ndarray, span: np.ndarray, jump: float) -> Mixture | None:
    """The mixture a cycling play suggests: ``window`` (W, n, 4) the last rounds' levers.
    Mixers = agents whose levers changed basin (moved further than ``jump`` of a lever's
    range) within the window; support = their last levers and their last levers in the
    other basin; probability = the share of the window they spent nearer the first.
    None when no agent or more than MAX_MIXERS agents cycle."""
    last = window[-1]
    dist = np.max(np.abs(window - last[None]) / span, axis=2)               # (W, n)
    mixers = np.flatnonzero((dist > jump).any(axis=0))
    if not 0 < len(mixers) <= MAX_MIXERS:
        return None
    sup, prob = [], []
    for j in mixers:
        other = window[np.flatnonzero(dist[:, j] > jump)[-1], j]
        da = np.max(np.abs(window[:, j] - last[j]) / span, axis=1)
        db = np.max(np.abs(window[:, j] - other) / span, axis=1)
        sup.append([last[j], other])
        prob.append(float(np.mean(da <= db)))
    return Mixture(last.copy(), mixers, np.array(sup), np.array(prob))


def mixed_play(ev: Evaluator, mix: Mixture, active: np.ndarray, scale: np.ndarray,
               rounds: int) -> tuple[Mixture, np.ndarray, np.ndarray, bool, int]:
    """Rounds of: the mixers' probabilities moved ``mix_step`` of the way to where none of
    them gains in the game restricted to their supports (``solve_restricted``); then the
    exact regret against the mixture — coarse, and the thorough search when the coarse
    finds no gain above regret_tol; the agents gaining more than ``move_above`` × regret_tol move to their best
    response to the mixture (a mixer replaces the support point nearer to it). Returns the
    certified mixture with the least max regret share, its regret (n,), regret share,
    whether it meets regret_tol and the rounds used."""
    s = ev.settings
    span = np.ptp(ev.params.bounds(), axis=1)
    best = None
    for t in range(1, rounds + 1):
        pr = profiles_of(ev, mix)
        prob = solve_restricted(pr.table, mix.prob,
                                0.05 * s.regret_tol * float(scale[mix.mixers].min()))
        # damped: move part of the way to the restricted game's equilibrium (fictitious
        # play's averaging, Brown 1951; jumping between its many equilibria cycles)
        if t > 1:
            prob = mix.prob + s.mix_step * (prob - mix.prob)
        mix = Mixture(mix.levers, mix.mixers, mix.support, prob)
        gain, br = mixed_regret(ev, mix, active, False, pr)
        share = gain / scale
        if share.max(initial=0.0) <= s.regret_tol or t == rounds:
            gain, br = mixed_regret(ev, mix, active, True, pr)
            share = gain / scale
            top = float(share.max(initial=0.0))
            if best is None or top < best[0]:
                best = (top, mix, gain, share)
            if top <= s.regret_tol or t == rounds:
                top, mix, gain, share = best
                return mix, gain, share, top <= s.regret_tol, t
        move = share > s.move_above * s.regret_tol
        lv, sup = mix.levers.copy(), mix.support.copy()
        is_mixer = np.zeros(len(lv), bool)
        is_mixer[mix.mixers] = True
        lv[move & ~is_mixer] = br[move & ~is_mixer]
        for k, j in enumerate(mix.mixers):
            if move[j]:
                near = np.max(np.abs(br[j] - sup[k]) / span, axis=1)
                sup[k, int(np.argmin(near))] = br[j]
        lv[mix.mixers] = sup[:, 0]
        mix = Mixture(lv, mix.mixers, sup, mix.prob)
    raise AssertionError("unreachable: the last round returns")
