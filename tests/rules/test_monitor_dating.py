"""When a shift started (rules.monitor.dating): the likelihood profiles against a
brute-force maximisation per candidate date (scipy's bounded scalar minimiser on the
log-likelihood written out from the binomial / Poisson pmf), and the estimator on
synthetic panels with known onsets (rules.monitor.synth) against Page's last-zero estimate
in the same run — the issue's comparison."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize, stats

from rules.monitor import MetricSeries, MonitorInputs, Settings, monitor
from rules.monitor.dating import date_change, date_change_two, profile, profile_two
from rules.monitor.synth import synthetic_panel


def _loglik(model, x, n, q, theta):
    """Reference: log-likelihood of periods with rates moved by θ (log-odds / log)."""
    if model == "binomial":
        p = 1.0 / (1.0 + np.exp(-(np.log(q / (1 - q)) + theta)))
        return stats.binom.logpmf(x, n, p).sum()
    return stats.poisson.logpmf(x, n * q * np.exp(theta)).sum()


def _best(model, x, n, q, lo, hi):
    if n.sum() == 0:
        return 0.0
    r = optimize.minimize_scalar(lambda t: -_loglik(model, x, n, q, t), bounds=(lo, hi),
                                 method="bounded", options={"xatol": 1e-9})
    return max(-r.fun, _loglik(model, x, n, q, lo), _loglik(model, x, n, q, hi))


def _case(model, varying, seed=2):
    rng = np.random.default_rng(seed)
    t = 40
    n = rng.poisson(40, t).astype(float)
    q = np.full(t, 0.3)
    if varying:
        q = q * np.exp(rng.normal(0, 0.15, t))
    p = q.copy()
    p[25:] *= 0.75
    x = (rng.binomial(n.astype(int), p) if model == "binomial" else rng.poisson(n * p))
    return x.astype(float), n, q


@pytest.mark.parametrize("model,varying", [("binomial", False), ("binomial", True),
                                           ("poisson", False), ("poisson", True)])
def test_profiles_against_brute_force(model, varying):
    """L(τ) = max_θ over the periods from τ (θ held to the decline side), and the two-
    segment version (a free level before τ as well), against a numerical maximisation.
    The grid (varying expected rates, shares) is within 0.01 of it."""
    x, n, q = _case(model, varying)
    tol = 0.01 if (model == "binomial" and varying) else 1e-6
    prof = profile(model, x, n, q, up=False)
    two = profile_two(model, x, n, q, pre=0)
    base = _loglik(model, x, n, q, 0.0)
    for tau in range(0, len(x), 3):
        tail = slice(tau, None)
        ref = _best(model, x[tail], n[tail], q[tail], -4.0, 0.0) - _loglik(
            model, x[tail], n[tail], q[tail], 0.0)
        assert prof[tau] == pytest.approx(ref, abs=tol)
        head = slice(0, tau)
        ref2 = (_best(model, x[head], n[head], q[head], -4.0, 4.0)
                + _best(model, x[tail], n[tail], q[tail], -4.0, 4.0) - base)
        assert two[tau] == pytest.approx(ref2, abs=2 * tol)


def test_a_clean_step_is_dated_on_its_day():
    """Expected counts exactly (no noise): 40 a day at 30%, then at 15% from period 25 —
    both estimators put the change on 25, inside a narrow interval."""
    n = np.full(40, 40.0)
    x = np.where(np.arange(40) >= 25, 6.0, 12.0)
    q = np.full(40, 0.3)
    one = date_change("binomial", x, n, q, up=False, lower=0, signalled=30)
    two = date_change_two("binomial", x, n, q, pre=1, signalled=30, offset=0)
    assert (one.since, two.since) == (25, 25)
    assert one.low <= 25 <= one.high and one.high - one.low <= 2
    assert two.low <= 25 <= two.high and two.high - two.low <= 2


def _panels(judge: str, seeds: int = 40):
    """The issue's history: 40 agents (35% ± 5 points, ~40 enquiries a day), 120 days,
    six agents lose 20% from a day drawn in days 35–89. Dating errors of the declines
    flagged on the last day: maximum likelihood, Page's last zero, interval coverage."""
    mle, page, cover, found, total = [], [], [], 0, 0
    for seed in range(seeds):
        rng = np.random.default_rng(1000 + seed)
        t = 120
        p = synthetic_panel(rng, agents=40, periods=t, trials_mean=40, rate_mean=0.35,
                            rate_sd=0.05, changed=6, change_from=35, change_to=90,
                            factor=0.8)
        s = MetricSeries("conversion", "core", "binomial", True, 0.35, None, p.successes,
                         p.trials)
        res = monitor(MonitorInputs(np.datetime64("2026-06-01") + np.arange(t),
                                    tuple(map(str, range(40))), (s,),
                                    Settings(baseline_periods=28, judge_agents=judge)))
        flags = {f.row: f for f in res.flags if f.kind == "decline" and f.row is not None}
        for a in np.flatnonzero(p.changed_at >= 0):
            total += 1
            if a in flags:
                f = flags[a]
                found += 1
                mle.append(abs(f.since - p.changed_at[a]))
                page.append(abs(f.since_page - p.changed_at[a]))
                cover.append(f.since_low <= p.changed_at[a] <= f.since_high)
    return np.array(mle), np.array(page), np.mean(cover), found, total


@pytest.mark.parametrize("judge", ["team_day", "own"])
def test_maximum_likelihood_dates_better_than_pages_last_zero(judge):
    """40 histories × 6 declines, the same flags dated both ways: the maximum-likelihood
    start has a smaller median and mean absolute error and more starts within 3 days;
    the 90% interval holds the true start at least 85% of the time. docs/monitoring.md
    quotes the printed numbers."""
    mle, page, coverage, found, total = _panels(judge)
    print(f"\n{judge}: {found} of {total} declines flagged; maximum likelihood: median "
          f"{np.median(mle):.0f} d, mean {mle.mean():.1f} d, within 3 d {np.mean(mle <= 3):.0%}; "
          f"Page: median {np.median(page):.0f} d, mean {page.mean():.1f} d, within 3 d "
          f"{np.mean(page <= 3):.0%}; interval coverage {coverage:.0%}")
    assert found / total > 0.8
    assert np.median(mle) < np.median(page)
    assert mle.mean() < page.mean()
    assert np.mean(mle <= 3) > np.mean(page <= 3) + 0.03
    assert coverage >= 0.85
