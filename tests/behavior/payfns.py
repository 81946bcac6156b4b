"""Test-local pay functions following docs/formats.md §2 semantics, vectorised over a leading
batch axis (agents along the last axis). Independent of the rules engine on purpose."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from sim.behavior.pay import PayBreakdown, RankBand, RankedRows


@dataclass
class Commission:
    """Linear commission: Σ rate × metric (docs/formats.md §2 ``commission`` with one tier)."""

    rates: dict[str, float]
    base_pay: float = 0.0
    relative = False
    batched = True

    def __call__(self, t):
        comps = {f"commission:{m}": r * np.asarray(t[m], float) for m, r in self.rates.items()}
        return PayBreakdown(self.base_pay + sum(comps.values()), comps)


@dataclass
class Item:
    metric: str
    weight: float
    target: float
    direction: str = "higher"


@dataclass
class Scorecard:
    """Scorecard (item score = weight × clip(a, floor, cap), pay = pay_base × score) with
    optional ranking bands on the score: top f → first ceil(f n), bottom f → last ceil(f n),
    ties at a band's edge all get the band (docs/formats.md §2)."""

    items: list[Item]
    pay_base: float = 1000.0
    floor: float = 0.5
    cap: float = 1.5
    top: tuple[float, float] | None = None      # (share, pay)
    bottom: tuple[float, float] | None = None   # (share, pay)
    base_pay: float = 0.0
    batched = True
    comps: dict = field(default_factory=dict)

    @property
    def relative(self) -> bool:
        return self.top is not None or self.bottom is not None

    def ranked_rows(self, t):
        """Row-wise part and bands (ties: all, as __call__), for the solver."""
        comps, score = self._items(t)
        bands = tuple(RankBand(side, share, amount) for side, sp in
                      (("top", self.top), ("bottom", self.bottom)) if sp is not None
                      for share, amount in [sp])
        return RankedRows(key=-score, bands=bands, ties="all",
                          base=np.full(score.shape, self.base_pay),
                          variable=self.pay_base * score, components=comps,
                          paid=np.ones(score.shape, bool))

    def _items(self, t):
        comps = {}
        score = 0.0
        for it in self.items:
            v = np.asarray(t[it.metric], float)
            if it.direction == "higher":
                a = v / it.target
            else:
                a = np.where(v > 0, it.target / np.where(v > 0, v, 1.0), self.cap)
            s = it.weight * np.clip(a, self.floor, self.cap)
            comps[f"item:{it.metric}"] = self.pay_base * s
            score = score + s
        return comps, np.asarray(score)

    def __call__(self, t):
        comps, score = self._items(t)
        total = self.base_pay + self.pay_base * score
        if self.relative:
            n = score.shape[-1]
            srt = np.sort(score, axis=-1)
            ranking = np.zeros_like(score)
            if self.top is not None:
                k = math.ceil(self.top[0] * n)
                edge = srt[..., n - k][..., None]
                ranking = ranking + np.where(score >= edge, self.top[1], 0.0)
            if self.bottom is not None:
                k = math.ceil(self.bottom[0] * n)
                edge = srt[..., k - 1][..., None]
                ranking = ranking + np.where(score <= edge, self.bottom[1], 0.0)
            comps["ranking"] = ranking
            total = total + ranking
        return PayBreakdown(total, comps)


@dataclass
class RankBonus:
    """Forced-ranking bonus on one metric only: top share gets ``pay``."""

    metric: str
    share: float
    pay: float
    batched = True
    relative = True

    def __call__(self, t):
        v = np.asarray(t[self.metric], float)
        n = v.shape[-1]
        k = math.ceil(self.share * n)
        edge = np.sort(v, axis=-1)[..., n - k][..., None]
        r = np.where(v >= edge, self.pay, 0.0)
        return PayBreakdown(r, {"ranking": r})

    def ranked_rows(self, t):
        v = np.asarray(t[self.metric], float)
        z = np.zeros(v.shape)
        return RankedRows(key=-v, bands=(RankBand("top", self.share, self.pay),), ties="all",
                          base=z, variable=z, components={}, paid=np.ones(v.shape, bool))
