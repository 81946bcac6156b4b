"""Check a plan against every target and correct its requirement where the check and the
model disagree (iterative staffing, two-sided).

The loop (Feldman, Mandelbaum, Massey & Whitt 2008, iterative staffing): solve the mix →
simulate it (a *validator*) over the demand scenarios → per scenario, interval, channel
and target, the gap between the simulated KPI and the *modelled* KPI (stationary Erlang
A, ``model``) at the staffing the simulation ran, read as a staffing factor f — the model
gives the simulated KPI at coverage/f (:func:`staffing_factors`) → the next requirement of
the interval is f × the coverage at which the model meets the target, the largest over
targets (the gap carried into the requirement) → re-solve. Steps are bounded (at
most +25% or one agent up, −10% down per round); the requirement is lowered only in
days that hold with margin in that scenario, raised only where the plan covers its
requirements — a knowing shortfall, or in-house agents short of their own row (the miss
is then the wait for them, which no other pool shortens), is priced and named by
planning.remedy and the caller instead. The loop stops
when the requirement stops changing (under 1% of its total and under one agent
anywhere: "settled"), or after ``rounds`` re-solves; it keeps the *best* plan seen —
the cheapest that holds, else the one holding in the most probability — and, when a
``verdict`` validator is given (fresh random streams the loop never tuned on), judges
that plan once more with it: that is the final assessment.

A validator is anything with ``validate(plan) -> Observed``: per channel, arrays (demand
scenarios × intervals) of contacts offered and answered and the achieved KPIs, and
optionally the same per replication (``replicas``) for the spread. ``erlang_validator``
is stationary Erlang A at the planned staffing (no noise); the simulator plugs in from
``scenarios.adapters.plan_check`` (the core never imports the file layer).

When is a target met? Over a *period* (each interval, each day, or the horizon): the
period's KPI (offered-weighted service level and abandonment, answered-weighted ASA,
agent-weighted occupancy) must not be worse than the target by more than ``z`` standard
errors of its estimate. The standard error is the binomial one at the target
(√(g(1−g)/n) for shares, g/√n for ASA) times √φ, where φ ≥ 1 is the spread measured
(:func:`dispersion`): across replications when there are several per scenario (the
variance of the period's KPI across replications over its binomial variance, pooled over
scenario-periods), else with the intervals as batches (successive differences of the
standardised interval KPIs). Contacts in a day are not independent — waits and
abandonment move together with the queue — so φ is well above 1 in practice.
A demand scenario *holds* when no target of any channel misses in any period.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import BrokenExecutor, Executor
from dataclasses import dataclass, field, replace

import numpy as np

from planning.channel import ChannelStaffing
from planning.chat import chat_capacity
from planning.mix import MixPlan, MixSolver
from planning.mix_inputs import DemandCase, MixInputs, SolverOptions
from planning.requirements import Targets, queue_metrics
from planning.solver import PlanError

#: KPI name → (the Targets attribute that caps or floors it, +1 higher is better / −1 lower)
TARGET_KPIS: dict[str, tuple[str, int]] = {
    "service_level": ("service_level", +1),
    "abandon_rate": ("max_abandon_rate", -1),
    "asa_s": ("max_asa_s", -1),
    "occupancy": ("max_occupancy", -1),
}
#: one-sided 95%: a period misses when it is worse than its target by more than this many
#: standard errors of its estimate (simulation noise)
DEFAULT_Z = 1.645


@dataclass(frozen=True)
class Observed:
    """What a check saw. ``channels[c][k]`` is an array (scenarios, intervals) for k in
    offered, answered (contacts), service_level, abandon_rate, asa_s, occupancy, agents
    (agents serving the channel: the occupancy weight). Intervals without contacts (or
    excluded, e.g. the warm-up) have offered = 0. ``replicas``: the same keys per
    replication, arrays (replications, scenarios, intervals), when there are several."""

    channels: dict[str, dict[str, np.ndarray]]
    replicas: dict[str, dict[str, np.ndarray]] | None = None

    @property
    def replications(self) -> int:
        if not self.replicas:
            return 1
        first = next(iter(self.replicas.values()))
        return int(first["offered"].shape[0])


Validator = Callable[[MixPlan], Observed]
#: coverage (scenarios, intervals) → the modelled KPIs at that coverage; a model with a
#: true ``selective`` attribute also takes ``only=(channel, kpi)`` and may then compute
#: that channel's offered contacts and that KPI alone (:class:`ErlangModel`)
Model = Callable[..., Observed]
#: where the correction may spread its work over other processes: called at each
#: correction, it gives an executor (``submit``, e.g. the command's idle simulation pool)
#: or None (all in this process)
Spread = Callable[[], "Executor | None"]


def modelled_channel(model: Model, coverage: np.ndarray, ch: str, kpi: str
                     ) -> dict[str, np.ndarray]:
    """The model's KPIs of channel ``ch`` at ``coverage``, at least ``offered`` and
    ``kpi`` (only those when the model is selective: the correction's searches call the
    model hundreds of times for one KPI each)."""
    if getattr(model, "selective", False):
        return model(coverage, only=(ch, kpi)).channels[ch]
    return model(coverage).channels[ch]


def period_labels(n_intervals: int, intervals_per_day: int, over: str) -> np.ndarray:
    """Period of each interval: itself ("interval"), its day ("day") or one ("horizon")."""
    t = np.arange(n_intervals)
    if over == "interval":
        return t
    if over == "day":
        return t // intervals_per_day
    if over == "horizon":
        return np.zeros(n_intervals, dtype=np.int64)
    raise ValueError(f"unknown period {over!r}")


#: hour bands of a day where misses are located and gaps measured: 4-hour windows
BAND_HOURS = 4


def band_labels(n_intervals: int, intervals_per_day: int) -> np.ndarray:
    """Band of each interval: day × 4-hour window (0 = 00–04h, …, 5 = 20–24h)."""
    t = np.arange(n_intervals)
    per_band = max(1, intervals_per_day * BAND_HOURS // 24)
    bands_a_day = -(-intervals_per_day // per_band)
    return (t // intervals_per_day) * bands_a_day + (t % intervals_per_day) // per_band


@dataclass(frozen=True)
class CheckSpec:
    """What the plan must meet: targets per channel, the share of demand-scenario
    probability in which all must hold, the period they are measured over (labels per
    interval, see :func:`period_labels`), the noise allowance ``z`` and the intervals
    of a day (for bands)."""

    targets: dict[str, Targets]
    periods: np.ndarray
    share: float = 0.9
    z: float = DEFAULT_Z
    intervals_per_day: int = 48


@dataclass(frozen=True)
class Miss:
    """One missed target: scenario, channel, KPI, period (first interval), value, goal."""

    scenario: int
    channel: str
    kpi: str
    start: int  # first interval of the period
    value: float
    goal: float


@dataclass(frozen=True)
class BandMiss:
    """Where a target misses: a day's hour band, the scenarios whose missed day is worse
    than the target in that band, and the worst band value among them."""

    channel: str
    kpi: str
    day: int
    band: int  # 0 = 00–04h, 1 = 04–08h, …
    scenarios: int
    worst: float


@dataclass(frozen=True)
class Assessment:
    """A plan against the targets: which scenarios hold, which periods miss, which
    scenario-intervals are worse than a missed target, the measured spread."""

    holds: np.ndarray  # (S,) bool
    share: float  # probability of the scenarios that hold
    misses: list[Miss]
    cells: np.ndarray  # (S, T) bool: intervals worse than a target their period missed
    gap: np.ndarray | None = None  # (S, T) largest relative distance from a missed target
    margin: np.ndarray | None = None  # (S, P) bool: every target met with margin
    spread: dict[str, float] = field(default_factory=dict)  # "channel kpi" → φ
    replications: int = 1  # per demand scenario
    bands: list[BandMiss] = field(default_factory=list)

    def count(self, kpi: str) -> int:
        return sum(1 for m in self.misses if m.kpi == kpi)

    def worst(self, kpi: str) -> float | None:
        vals = [m.value for m in self.misses if m.kpi == kpi]
        if not vals:
            return None
        return min(vals) if TARGET_KPIS[kpi][1] > 0 else max(vals)


def _weights(kpi: str, obs: dict[str, np.ndarray]) -> np.ndarray:
    if kpi == "asa_s":
        return obs["answered"]
    if kpi == "occupancy":
        return np.where(obs["offered"] > 0, obs.get("agents", obs["offered"]), 0.0)
    return obs["offered"]


def _binomial_var(kpi: str, goal: float, n: np.ndarray) -> np.ndarray:
    """Variance of a period's KPI estimated from n contacts, at the target."""
    n = np.maximum(n, 1.0)
    if kpi == "asa_s":
        return goal * goal / n  # waits roughly exponential: sd ≈ mean
    return goal * (1.0 - goal) / n


def _noise(kpi: str, goal: float, n: np.ndarray) -> np.ndarray:
    """Binomial standard error of a period's KPI estimated from n contacts, at the target."""
    return np.sqrt(_binomial_var(kpi, goal, n))


def period_values(kpi: str, obs: dict[str, np.ndarray], labels: np.ndarray, n_p: int
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(value, weight, contacts) per (scenario, period) of one KPI; value NaN without
    weight. ``obs`` arrays are (scenarios, intervals)."""
    w = _weights(kpi, obs)
    val = np.nan_to_num(obs[kpi], nan=0.0)
    has = (w > 0) & ~np.isnan(obs[kpi])
    cnt = obs["answered" if kpi == "asa_s" else "offered"]
    wsum = np.zeros((w.shape[0], n_p))
    vsum = np.zeros((w.shape[0], n_p))
    nsum = np.zeros((w.shape[0], n_p))
    for s in range(w.shape[0]):
        wsum[s] = np.bincount(labels, np.where(has[s], w[s], 0.0), n_p)
        vsum[s] = np.bincount(labels, np.where(has[s], w[s] * val[s], 0.0), n_p)
        nsum[s] = np.bincount(labels, np.where(has[s], cnt[s], 0.0), n_p)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(wsum > 0, vsum / wsum, np.nan), wsum, nsum


def dispersion(kpi: str, goal: float, obs: dict[str, np.ndarray],
               reps: dict[str, np.ndarray] | None, labels: np.ndarray, n_p: int) -> float:
    """φ ≥ 1: the measured variance of a period's KPI over its binomial variance.

    With two or more replications: the variance of the period KPI across replications,
    summed over scenario-periods, over the summed binomial variance. With one: the
    intervals as batches — each interval's KPI standardised by its binomial standard
    error at the target, z_i = (v_i − g)·√n_i / σ(g), whose variance is 1 under binomial
    noise; von Neumann's mean square successive difference, Σ(z_{i+1} − z_i)² / 2(k − 1)
    over the intervals of each scenario, estimates it while ignoring the slow drift of the
    KPI over the day (the load follows the time of day)."""
    if reps is not None and kpi in reps and reps["offered"].shape[0] >= 2:
        vals, ns = [], []
        for r in range(reps["offered"].shape[0]):
            v, w, n = period_values(kpi, {k: a[r] for k, a in reps.items()}, labels, n_p)
            vals.append(np.where(w > 0, v, np.nan))
            ns.append(n)
        v, n = np.array(vals), np.array(ns)
        ok = np.all(~np.isnan(v), axis=0) & np.all(n > 0, axis=0)
        if not ok.any():
            return 1.0
        var = np.var(v[:, ok], axis=0, ddof=1)
        binom = np.mean(_binomial_var(kpi, goal, n[:, ok]), axis=0)
        return float(max(1.0, var.sum() / max(binom.sum(), 1e-300)))
    cnt = obs["answered" if kpi == "asa_s" else "offered"]
    ok = (cnt > 0) & ~np.isnan(obs[kpi])
    if kpi == "occupancy":
        return 1.0  # not a share of contacts: no binomial yardstick
    z = np.where(ok, (np.nan_to_num(obs[kpi]) - goal) / np.sqrt(_binomial_var(kpi, goal, cnt)),
                 np.nan)
    num = den = 0.0
    for row in z:
        r = row[~np.isnan(row)]
        if r.size >= 3:
            num += float(np.sum(np.diff(r) ** 2)) / 2.0
            den += r.size - 1
    return float(max(1.0, num / den)) if den > 0 else 1.0


def assess(observed: Observed, spec: CheckSpec, probabilities: np.ndarray) -> Assessment:
    """Which (scenario, channel, target, period) miss, where (day, hour band), which
    intervals are worse than a missed target, and which periods hold with margin."""
    labels = np.asarray(spec.periods)
    n_p = int(labels.max()) + 1 if labels.size else 0
    first = np.array([int(np.flatnonzero(labels == p)[0]) for p in range(n_p)])
    bands = band_labels(labels.size, spec.intervals_per_day)
    n_b = int(bands.max()) + 1 if bands.size else 0
    bands_a_day = max(1, 24 // BAND_HOURS)
    misses: list[Miss] = []
    where: dict[tuple[str, str, int, int], list[float]] = {}
    n_s = len(probabilities)
    cells = np.zeros((n_s, labels.size), dtype=bool)
    gap = np.zeros((n_s, labels.size))
    margin = np.ones((n_s, n_p), dtype=bool)
    spread: dict[str, float] = {}
    for ch, obs in observed.channels.items():
        tg = spec.targets.get(ch)
        if tg is None:
            continue
        reps = observed.replicas.get(ch) if observed.replicas else None
        for kpi, (attr, sense) in TARGET_KPIS.items():
            goal = getattr(tg, attr)
            if goal is None or kpi not in obs:
                continue
            period_val, wsum, nsum = period_values(kpi, obs, labels, n_p)
            phi = dispersion(kpi, goal, obs, reps, labels, n_p) if spec.z > 0 else 1.0
            spread[f"{ch} {kpi}"] = phi
            allow = spec.z * np.sqrt(phi) * _noise(kpi, goal, nsum)
            dist = sense * (period_val - goal)
            bad = (wsum > 0) & (dist < -allow - 1e-12)
            margin &= ~(wsum > 0) | (dist > allow + 1e-12)
            band_val, band_w, _ = period_values(kpi, obs, bands, n_b)
            val = np.nan_to_num(obs[kpi], nan=0.0)
            has = (_weights(kpi, obs) > 0) & ~np.isnan(obs[kpi])
            for s, p in zip(*np.nonzero(bad), strict=True):
                misses.append(Miss(int(s), ch, kpi, int(first[p]), float(period_val[s, p]),
                                   float(goal)))
                in_p = labels == p
                mark = in_p & has[s] & (sense * (val[s] - goal) < 0)
                cells[s] |= mark
                rel = np.abs(val[s] - goal) / max(abs(goal), 1e-9)
                gap[s] = np.maximum(gap[s], np.where(mark, rel, 0.0))
                for b in np.unique(bands[in_p]).tolist():
                    if band_w[s, b] > 0 and sense * (band_val[s, b] - goal) < 0:
                        day = int(first[p]) // max(spec.intervals_per_day, 1)
                        where.setdefault((ch, kpi, day, b % bands_a_day), []).append(
                            float(band_val[s, b]))
    holds = np.ones(n_s, dtype=bool)
    for m in misses:
        holds[m.scenario] = False
    band_misses = [BandMiss(ch, kpi, day, b, len(v),
                            min(v) if TARGET_KPIS[kpi][1] > 0 else max(v))
                   for (ch, kpi, day, b), v in sorted(where.items())]
    return Assessment(holds, float(np.asarray(probabilities)[holds].sum()), misses, cells,
                      gap, margin, spread, observed.replications, band_misses)


# ---------------------------------------------------------------- the correction
@dataclass(frozen=True)
class Correction:
    """Bounds of one round's correction of the requirement."""

    up: float = 0.25  # at most this share of the requirement (or ``step`` agents) up
    down: float = 0.10  # at most this share down, and only in days holding with margin
    step: float = 1.0  # agents: the smallest raise allowed
    settle_share: float = 0.01  # settled: total change under this share of the total ...
    settle_agents: float = 1.0  # ... and under this many agents in every interval
    max_factor: float = 2.0  # the simulated-to-modelled staffing factor is read within


def _bisect(lo: np.ndarray, hi: np.ndarray, ok: Callable[[np.ndarray], np.ndarray],
            iterations: int = 30) -> np.ndarray:
    """The smallest x in [lo, hi] with ok(x) (ok monotone: False then True), elementwise;
    hi where even hi is not ok."""
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        good = ok(mid)
        hi = np.where(good, mid, hi)
        lo = np.where(good, lo, mid)
    return hi


#: intervals pooled on each side of an interval when its factor is measured (noise)
FACTOR_HALF_WINDOW = 1


def _window(x: np.ndarray, half: int) -> np.ndarray:
    """Sum over each interval and its ``half`` neighbours on each side (per scenario)."""
    if half <= 0:
        return x
    k = np.ones(2 * half + 1)
    return np.vstack([np.convolve(row, k, mode="same") for row in x])


def staffing_factors(sim: Observed, cover: np.ndarray, model: Model, spec: CheckSpec,
                     bounds: Correction, spread: Spread | None = None
                     ) -> dict[tuple[str, str], np.ndarray]:
    """Per (channel, KPI): the factor f per scenario-interval such that the model at
    coverage ``cover``/f gives the KPI the simulation gave at ``cover`` — the interval
    pooled with its neighbours (:data:`FACTOR_HALF_WINDOW`, the KPI's weights) against
    noise — and 1 where the two differ by no more than one binomial standard error of
    that window (noise moves nothing) or where it has no contacts. f > 1: the simulated
    desk needs more agents than the model says for the same service (more load than
    modelled, callers lost while waiting out a routing delay, …); f < 1: fewer. Bisection
    on f in [1/``max_factor``, ``max_factor``].

    ``spread``: where other processes may compute channels' factors while this one
    computes the last channel's (:data:`Spread`; each channel's factors depend on its
    own observations alone, so the numbers are the same; on the flagship voice and chat
    cost about the same)."""
    chans = [ch for ch in sim.channels if spec.targets.get(ch) is not None]
    pool = spread() if spread is not None and len(chans) > 1 else None
    elsewhere = {}
    if pool is not None:
        with contextlib.suppress(BrokenExecutor, RuntimeError):  # no pool: all here
            for ch in chans[:-1]:
                elsewhere[ch] = pool.submit(channel_factors, ch, sim.channels[ch], cover,
                                            model, spec, bounds)
    here = {ch: channel_factors(ch, sim.channels[ch], cover, model, spec, bounds)
            for ch in chans if ch not in elsewhere}
    out: dict[tuple[str, str], np.ndarray] = {}
    for ch in chans:  # in the channels' order, whichever process computed them
        if ch in elsewhere:
            try:
                got = elsewhere[ch].result()
            except BrokenExecutor:  # a worker died (e.g. killed for memory): here
                got = channel_factors(ch, sim.channels[ch], cover, model, spec, bounds)
        else:
            got = here[ch]
        out.update(got)
    return out


def channel_factors(ch: str, obs: dict[str, np.ndarray], cover: np.ndarray, model: Model,
                    spec: CheckSpec, bounds: Correction
                    ) -> dict[tuple[str, str], np.ndarray]:
    """:func:`staffing_factors` of one channel (``obs``: its observations)."""
    out: dict[tuple[str, str], np.ndarray] = {}
    lo_f, hi_f = 1.0 / bounds.max_factor, bounds.max_factor
    h = FACTOR_HALF_WINDOW if spec.z > 0 else 0  # an exact check has no noise to pool
    tg = spec.targets[ch]
    for kpi, (attr, sense) in TARGET_KPIS.items():
        goal = getattr(tg, attr)
        if goal is None or kpi not in obs:
            continue
        has = (_weights(kpi, obs) > 0) & ~np.isnan(obs[kpi])
        w = np.where(has, _weights(kpi, obs), 0.0)
        n = _window(np.where(has, obs["answered" if kpi == "asa_s" else "offered"], 0.0), h)
        w_win = _window(w, h)
        with np.errstate(invalid="ignore", divide="ignore"):
            v_sim = _window(w * np.nan_to_num(obs[kpi]), h) / w_win

        def modelled(f: np.ndarray, kpi: str = kpi, w: np.ndarray = w,
                     w_win: np.ndarray = w_win) -> np.ndarray:
            m = np.nan_to_num(modelled_channel(model, cover / f, ch, kpi)[kpi], nan=0.0)
            with np.errstate(invalid="ignore", divide="ignore"):
                return _window(w * m, h) / w_win

        at_one = modelled(np.ones(cover.shape))
        se = _noise(kpi, goal, n) if spec.z > 0 else 0.0
        same = ~(w_win > 0) | ~has | (np.abs(v_sim - at_one) <= se + 1e-12)
        # sense·(model(c/f) − sim) falls as f grows: the smallest f where it is ≤ 0
        f = _bisect(np.full(cover.shape, lo_f), np.full(cover.shape, hi_f),
                    lambda f, sense=sense, v=v_sim: ~(sense * (
                        np.nan_to_num(modelled(f)) - np.nan_to_num(v)) > 0),
                    iterations=16)
        out[(ch, kpi)] = np.where(same, 1.0, f)
    return out


def model_need(shape: tuple[int, int], model: Model, spec: CheckSpec, ch: str, kpi: str
               ) -> np.ndarray:
    """The coverage per scenario-interval (``shape``) at which the model meets one target
    (every modelled KPI is monotone in the coverage). It depends on the model and the
    target only, not on the plan: the loop computes it once per target
    (:func:`next_requirement`'s ``needs``) instead of once per round. The bracket starts
    at 16 agents and doubles where the model still misses (unreachable: stays at the
    widest)."""
    attr, sense = TARGET_KPIS[kpi]
    goal = getattr(spec.targets[ch], attr)

    def meets(x: np.ndarray) -> np.ndarray:
        m = modelled_channel(model, x, ch, kpi)
        return ~(m["offered"] > 0) | (sense * (np.nan_to_num(m[kpi], nan=-sense * np.inf)
                                               - goal) >= 0)

    hi = np.full(shape, 16.0)
    for _ in range(24):
        miss = ~meets(hi)
        if not miss.any():
            break
        hi = np.where(miss, 2.0 * hi, hi)
    return _bisect(np.zeros(shape), hi, meets)


def model_needs(shape: tuple[int, int], model: Model, spec: CheckSpec
                ) -> dict[tuple[str, str], np.ndarray]:
    """:func:`model_need` for every (channel, KPI) with a target in ``spec`` — what
    :func:`next_requirement` fills on first use, all computed beforehand (the same
    numbers: each depends on the model and its target alone), e.g. in another process
    while this one solves."""
    return {(ch, kpi): model_need(shape, model, spec, ch, kpi)
            for ch, tg in spec.targets.items() for kpi, (attr, _) in TARGET_KPIS.items()
            if getattr(tg, attr) is not None}


def next_requirement(plan: MixPlan, sim: Observed, a: Assessment, model: Model,
                     spec: CheckSpec, bounds: Correction,
                     needs: dict[tuple[str, str], np.ndarray] | None = None,
                     spread: Spread | None = None
                     ) -> tuple[np.ndarray, np.ndarray | None]:
    """The corrected pooled and in-house requirements after one check (see the module
    docstring: gap carried in, bounded steps, lowering only in days holding with margin,
    no raise where the plan knowingly falls short). ``needs``: the model's need per
    target (:func:`model_need`), filled on first use — pass the same dict every round.
    ``spread``: see :func:`staffing_factors`."""
    needs = {} if needs is None else needs
    req = plan.requirement
    cover = np.maximum(plan.coverage, 1e-6)
    busy = np.zeros(req.shape, dtype=bool)
    for obs in sim.channels.values():
        busy |= obs["offered"] > 0
    target = np.zeros(req.shape)
    for (ch, kpi), f in staffing_factors(sim, cover, model, spec, bounds, spread).items():
        if (ch, kpi) not in needs:
            needs[(ch, kpi)] = model_need(req.shape, model, spec, ch, kpi)
        target = np.maximum(target, f * np.where(busy, needs[(ch, kpi)], cover))
    target = np.where(busy, target, req)
    labels = np.asarray(spec.periods)
    lower_ok = a.margin[:, labels] if a.margin is not None else np.zeros(req.shape, bool)
    up = req + np.maximum(bounds.step, bounds.up * req)
    down = np.where(lower_ok, req * (1.0 - bounds.down), req)
    new = np.clip(target, down, up)
    short = plan.shortfall > 1e-6
    if plan.in_house_shortfall.size:  # in-house agents short of their own row: the miss
        short |= plan.in_house_shortfall > 1e-6  # is the wait for them, not the pooled need
    new = np.where(short & (new > req), req, new)
    in_house = None
    if plan.in_house_requirement.size:
        rh = plan.in_house_requirement
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(req > 0, new / req, 1.0)
        in_house = rh * ratio
        short_h = plan.in_house_shortfall > 1e-6
        in_house = np.where(short_h & (in_house > rh), rh, in_house)
    return new, in_house


@dataclass(frozen=True)
class CheckRound:
    """One round: the plan checked, what missed, how the requirement moved after it and
    what it changed against the previous round's plan."""

    round: int
    objective: float
    share_held: float
    scenarios_held: int
    misses: dict[str, int]  # missed periods per KPI
    worst: dict[str, float | None]  # worst missed period per KPI
    raised: int  # scenario-intervals raised after this round (0 in the last)
    raised_agent_hours: float  # requirement added, in-house-equivalent agent-hours
    changes: dict[str, float] = field(default_factory=dict)  # vs the previous round's plan
    lowered: int = 0  # scenario-intervals lowered after this round
    lowered_agent_hours: float = 0.0  # requirement removed (positive number)


@dataclass(frozen=True)
class CheckedPlan:
    """The first plan, the kept (checked) plan, its inputs and solver, and every round.

    ``assessment`` is the final verdict: on the ``verdict`` validator's fresh streams when
    one was given (``fresh``), else the loop's own check of the kept plan."""

    first: MixPlan
    final: MixPlan
    inputs: MixInputs  # the kept plan's inputs (corrected requirements)
    solver: MixSolver  # the kept plan's HiGHS instance (baselines, variants)
    rounds: list[CheckRound]
    assessment: Assessment  # the final verdict on the kept plan
    spec: CheckSpec
    stopped: str  # "settled" | "rounds" | "solver" (a re-solve failed)
    kept_round: int = 0  # which round's plan was kept
    loop_assessment: Assessment | None = None  # the kept plan on the loop's streams
    fresh: bool = False  # the verdict ran on streams the loop never tuned on
    next_requirement: np.ndarray | None = None  # the correction after the kept plan
    next_in_house: np.ndarray | None = None

    @property
    def holds(self) -> bool:
        return self.assessment.share >= self.spec.share - 1e-9


def plan_changes(before: MixPlan, after: MixPlan, interval_h: float) -> dict[str, float]:
    """First-stage and expected-recourse differences, after − before."""
    e_b, e_a = before.expected, after.expected
    return {
        "cost": after.objective - before.objective,
        "hires": float(after.hires - before.hires),
        "reserve_pool": float(after.reserve_pool - before.reserve_pool),
        "in_house_agent_hours": float((after.in_house - before.in_house).sum() * interval_h),
        "outsourced_seat_hours": float((after.outsourced - before.outsourced).sum()
                                       * interval_h),
        "expected_recourse_agent_hours": float(
            (e_a(after.reserve + after.surge + after.temps)
             - e_b(before.reserve + before.surge + before.temps)).sum() * interval_h),
    }


def _better(a: Assessment, plan: MixPlan, b: Assessment, other: MixPlan, share: float
            ) -> bool:
    """Is (a, plan) a better plan to keep than (b, other)? The cheapest that holds; else
    the one holding in the most probability, then the cheapest."""
    ha, hb = a.share >= share - 1e-9, b.share >= share - 1e-9
    if ha != hb:
        return ha
    if ha:
        return plan.objective < other.objective - 1e-6
    if abs(a.share - b.share) > 1e-9:
        return a.share > b.share
    return plan.objective < other.objective - 1e-6


def check_and_tighten(inp: MixInputs, options: SolverOptions, validate: Validator,
                      spec: CheckSpec, model: Model, rounds: int = 3,
                      bounds: Correction | None = None,
                      first: tuple[MixSolver, MixPlan] | None = None,
                      on_round: Callable[[CheckRound], None] | None = None,
                      verdict: Validator | None = None,
                      needs: dict[tuple[str, str], np.ndarray] | None = None,
                      spread: Spread | None = None) -> CheckedPlan:
    """Solve (unless ``first`` gives the solver and plan of ``inp``), check, correct,
    re-solve; keep the best plan; judge it on ``verdict`` (fresh streams) if given.

    ``rounds`` = how many re-solves at most; every plan solved is checked. ``model``:
    the modelled KPIs at a coverage (e.g. :func:`erlang_model`). ``needs``: the model's
    need per target (:func:`model_needs`) when computed beforehand; the missing ones are
    computed on first use. ``spread``: other processes for the corrections
    (:func:`staffing_factors`; the same numbers).
    """
    bounds = bounds or Correction()
    solver, plan = first if first is not None else _solve(inp, options)
    first_plan, prev = plan, None
    log: list[CheckRound] = []
    best = None
    stopped = "rounds"
    needs = {} if needs is None else needs  # the model's need per target: once
    for r in range(rounds + 1):
        seen = validate(plan)
        a = assess(seen, spec, plan.probabilities)
        new, new_h = next_requirement(plan, seen, a, model, spec, bounds, needs, spread)
        if best is None or _better(a, plan, best[0], best[1].final, spec.share):
            best = (a, _Kept(plan, inp, solver, r, new, new_h))
        delta = new - plan.requirement
        moved = np.abs(delta)
        settled = (moved.sum() <= bounds.settle_share * max(plan.requirement.sum(), 1e-9)
                   and moved.max(initial=0.0) < bounds.settle_agents)
        last = r == rounds or settled
        entry = CheckRound(
            r, plan.objective, a.share, int(a.holds.sum()),
            {k: a.count(k) for k in TARGET_KPIS}, {k: a.worst(k) for k in TARGET_KPIS},
            0 if last else int((delta > 1e-6).sum()),
            0.0 if last else float(np.maximum(delta, 0).sum() * inp.interval_h),
            plan_changes(prev, plan, inp.interval_h) if prev is not None else {},
            0 if last else int((delta < -1e-6).sum()),
            0.0 if last else float(np.maximum(-delta, 0).sum() * inp.interval_h))
        log.append(entry)
        if on_round is not None:
            on_round(entry)
        if last:
            stopped = "settled" if settled else "rounds"
            break
        nxt = inp.with_requirement(new, new_h)
        try:
            next_solver, next_plan = _solve(nxt, options, previous=solver)
        except PlanError:  # e.g. no plan within the time limit: keep what was checked
            log[-1] = replace(entry, raised=0, raised_agent_hours=0.0, lowered=0,
                              lowered_agent_hours=0.0)
            stopped = "solver"
            break
        inp, prev, solver, plan = nxt, plan, next_solver, next_plan
    loop_a, kept = best
    final_a = assess(verdict(kept.final), spec, kept.final.probabilities) if verdict else loop_a
    return CheckedPlan(first_plan, kept.final, kept.inputs, kept.solver, log, final_a, spec,
                       stopped, kept.round, loop_a, verdict is not None, kept.next_req,
                       kept.next_in_house)


@dataclass(frozen=True)
class _Kept:
    final: MixPlan
    inputs: MixInputs
    solver: MixSolver
    round: int
    next_req: np.ndarray
    next_in_house: np.ndarray | None


def _solve(inp: MixInputs, options: SolverOptions, previous: MixSolver | None = None
           ) -> tuple[MixSolver, MixPlan]:
    """Solve ``inp`` from its own LP relaxation (MixSolver.solve). After a round
    (``previous``: only the requirement moved) the last round's model and HiGHS instance
    are updated in place and the LP relaxation starts from its final basis
    (MixSolver.moved_to). Measured and not used: the previous round's first stage as the
    MIP start (a poor incumbent under the moved requirement; docs/performance.md, "The
    mix stage")."""
    if previous is not None and previous.options == options:
        solver = previous.moved_to(inp)
    else:
        solver = MixSolver(inp, options)
    return solver, solver.solve()


# ---------------------------------------------------------------- Erlang A validator
def channel_split(plan: MixPlan, cases: tuple[DemandCase, ...], shrinkage: float
                  ) -> dict[str, np.ndarray]:
    """On-queue agents per channel (S, T): the plan's coverage after shrinkage, shared
    between channels in proportion to their requirements (blended agents)."""
    names = list(cases[0].by_channel)
    req = {c: np.vstack([case.by_channel[c] for case in cases]) for c in names}
    total = np.sum(list(req.values()), axis=0)
    on_queue = plan.coverage * (1.0 - shrinkage)
    with np.errstate(invalid="ignore", divide="ignore"):
        return {c: np.where(total > 0, on_queue * req[c] / total, 0.0) for c in names}


def erlang_validator(rates: list[dict[str, np.ndarray]], cases: tuple[DemandCase, ...],
                     specs: dict[str, ChannelStaffing], shrinkage: float,
                     interval_h: float = 0.5) -> Validator:
    """Every KPI of each channel under the plan from stationary Erlang A (chat on
    agents × K* virtual servers), with ``rates[s][channel]`` the arrivals of scenario s.
    Offered = expected contacts; exact (use z = 0)."""
    return ErlangModel(rates, cases, specs, shrinkage, interval_h).validate


class ErlangModel:
    """The correction's model (:data:`Model`): :func:`erlang_validator`'s KPIs at any
    coverage (S, T); ``only=(channel, kpi)`` computes that channel alone and skips the
    service-level and ASA series unless they are the KPI asked (the same numbers, most
    of the cost saved: the service level's incomplete-gamma terms dominate Erlang A)."""

    selective = True

    def __init__(self, rates: list[dict[str, np.ndarray]], cases: tuple[DemandCase, ...],
                 specs: dict[str, ChannelStaffing], shrinkage: float,
                 interval_h: float = 0.5) -> None:
        self.rates, self.cases, self.specs = rates, cases, specs
        self.shrinkage, self.interval_h = shrinkage, interval_h

    def __call__(self, coverage: np.ndarray, only: tuple[str, str] | None = None
                 ) -> Observed:
        return self.validate(_Coverage(coverage), only)  # type: ignore[arg-type]

    def validate(self, plan: MixPlan, only: tuple[str, str] | None = None) -> Observed:
        agents = channel_split(plan, self.cases, self.shrinkage)
        out: dict[str, dict[str, np.ndarray]] = {}
        for c, spec in self.specs.items():
            if only is not None and c != only[0]:
                continue
            cap = chat_capacity(1.0, spec.concurrency, spec.concurrency_slowdown)
            lam = np.vstack([r[c] for r in self.rates])
            n = agents[c] * cap.sessions
            busy = lam > 0
            kpi = {k: np.zeros(lam.shape) for k in ("service_level", "abandon_rate", "asa_s",
                                                     "occupancy")}
            kpi["service_level"][:] = 1.0
            with_asa = spec.targets.max_asa_s is not None and only in (None, (c, "asa_s"))
            m = queue_metrics(np.maximum(n[busy], 1e-9), lam[busy],
                              np.full(busy.sum(), spec.aht_s * cap.session_time_s),
                              np.full(busy.sum(), spec.patience_s),
                              np.full(busy.sum(), spec.targets.within_s),
                              with_asa=with_asa,
                              with_sl=only in (None, (c, "service_level")))
            kpi["service_level"][busy] = np.nan_to_num(m.service_level, nan=0.0)
            kpi["abandon_rate"][busy] = np.nan_to_num(m.p_abandon, nan=1.0)
            if with_asa:
                kpi["asa_s"][busy] = np.nan_to_num(m.asa_s, nan=np.inf)
            kpi["occupancy"][busy] = np.nan_to_num(m.occupancy, nan=1.0)
            offered = lam * self.interval_h
            out[c] = {**kpi, "offered": offered,
                      "answered": offered * (1.0 - kpi["abandon_rate"]), "agents": agents[c]}
        return Observed(out)


def erlang_model(rates: list[dict[str, np.ndarray]], cases: tuple[DemandCase, ...],
                 specs: dict[str, ChannelStaffing], shrinkage: float,
                 interval_h: float = 0.5) -> Model:
    """The correction's model: :func:`erlang_validator`'s KPIs at any coverage (S, T)."""
    return ErlangModel(rates, cases, specs, shrinkage, interval_h)


@dataclass(frozen=True)
class _Coverage:
    coverage: np.ndarray
