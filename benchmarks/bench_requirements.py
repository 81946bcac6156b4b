"""Requirements for 10,000 intervals with loads up to 5,000 erlangs.

Compares, in the same run:
- peakdesk's vectorised search (Erlang C and Erlang A, 80/20 [+ 5% abandonment cap]);
- a straightforward per-interval loop written the usual way (pure Python: Erlang B by
  recursion up to n, then n += 1 until 80/20 holds) — timed on a sample, extrapolated;
- pyworkforce's ErlangC.required_positions where installed (`pip install -e .[bench]`),
  timed on a smaller sample, extrapolated.

Run: python benchmarks/bench_requirements.py [--intervals 10000] [--sample 400]
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

from planning.channel import ChannelStaffing, channel_requirements
from planning.requirements import Targets, requirements
from planning.returns import Delay, Returns


def usual_loop_erlang_c(rate_per_hour: float, aht: float, target: float, within: float) -> int:
    """The textbook loop: B(n) by recursion, C from B, n += 1 until SL ≥ target."""
    a = rate_per_hour / 3600.0 * aht
    n = math.floor(a) + 1
    inv_b = 1.0
    for k in range(1, n + 1):
        inv_b = 1.0 + inv_b * k / a
    while True:
        b = 1.0 / inv_b
        c = n * b / (n - a * (1.0 - b))
        if 1.0 - c * math.exp(-(n - a) * within / aht) >= target:
            return n
        n += 1
        inv_b = 1.0 + inv_b * n / a


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--intervals", type=int, default=10_000)
    ap.add_argument("--sample", type=int, default=400)
    ap.add_argument("--pyworkforce-sample", type=int, default=40)
    args = ap.parse_args()
    rng = np.random.default_rng(2026)
    loads = rng.uniform(1.0, 5000.0, args.intervals)
    aht = 240.0
    rates = loads * 3600.0 / aht
    sl = Targets(service_level=0.8, within_s=20)
    sl_ab = Targets(service_level=0.8, within_s=20, max_abandon_rate=0.05)

    requirements(rates[:100], aht, 120.0, sl)  # warm-up (imports, caches)
    t_c = best_of(lambda: requirements(rates, aht, math.inf, sl, with_asa=False))
    t_a = best_of(lambda: requirements(rates, aht, 120.0, sl, with_asa=False))
    t_a2 = best_of(lambda: requirements(rates, aht, 120.0, sl_ab, with_asa=False))
    t_a_asa = best_of(lambda: requirements(rates, aht, 120.0, sl_ab, with_asa=True), 1)
    ours_c = requirements(rates, aht, math.inf, sl, with_asa=False).agents
    # the day's own load: redials (0.4 after abandonment, 10 min) and repeat contacts
    # (0.8 of the unresolved, FCR 0.85, 1 h) as a fixed point, 30-minute intervals
    spec = ChannelStaffing("voice", aht, 120.0, sl_ab, returns=Returns(
        0.4, Delay("exponential", 600.0), 0.8, Delay("exponential", 3600.0), 0.85))
    plain_spec = ChannelStaffing("voice", aht, 120.0, sl_ab)
    t_plain = best_of(lambda: channel_requirements({"voice": rates}, {"voice": plain_spec},
                                                   0.0, interval_s=1800.0))
    t_ret = best_of(lambda: channel_requirements({"voice": rates}, {"voice": spec}, 0.0,
                                                 interval_s=1800.0))
    its = channel_requirements({"voice": rates}, {"voice": spec}, 0.0,
                               interval_s=1800.0)["voice"].load.iterations

    sample = np.arange(min(args.sample, args.intervals))
    t0 = time.perf_counter()
    loop = [usual_loop_erlang_c(rates[i], aht, 0.8, 20) for i in sample]
    t_loop = (time.perf_counter() - t0) * args.intervals / sample.size
    mismatch = int(np.sum(np.array(loop) != ours_c[sample]))

    print(f"requirements for {args.intervals:,} intervals, loads 1–5,000 erlangs, AHT 240 s")
    print(f"  peakdesk Erlang C 80/20                 {t_c:8.3f} s")
    print(f"  peakdesk Erlang A 80/20 (patience 120)  {t_a:8.3f} s")
    print(f"  peakdesk Erlang A 80/20 + abandon ≤ 5%  {t_a2:8.3f} s")
    print(f"  … the same with ASA at the requirement  {t_a_asa:8.3f} s")
    print(f"  usual per-interval loop (Erlang C)      {t_loop:8.3f} s  "
          f"(timed on {sample.size}, extrapolated; {mismatch} disagreements)")
    print(f"  ratio loop / peakdesk Erlang C          {t_loop / t_c:8.0f}×")
    print(f"  Erlang A 80/20 + abandon ≤ 5%, redials + repeats (fixed point, {its} "
          f"iterations) {t_ret:8.3f} s  vs first attempts only {t_plain:.3f} s in the same "
          f"run: {t_ret / t_plain:.1f}×  (target < 1 s)")
    try:
        from pyworkforce.queuing import ErlangC
    except ImportError:
        print("  pyworkforce not installed (pip install -e .[bench]): skipped")
        return
    k = min(args.pyworkforce_sample, args.intervals)
    t0 = time.perf_counter()
    pw = []
    for i in range(k):
        e = ErlangC(transactions=rates[i] / 2, aht=aht / 60, asa=20 / 60, interval=30)
        pw.append(e.required_positions(service_level=0.8)["raw_positions"])
    t_pw = (time.perf_counter() - t0) * args.intervals / k
    pw_mismatch = int(np.sum(np.array(pw) != ours_c[:k]))
    print(f"  pyworkforce ErlangC                     {t_pw:8.1f} s  "
          f"(timed on {k}, extrapolated; {pw_mismatch} disagreements)")
    print(f"  ratio pyworkforce / peakdesk Erlang C   {t_pw / t_c:8.0f}×")


if __name__ == "__main__":
    main()
