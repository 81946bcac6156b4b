"""Pay 10,000 agents under a 10-item scorecard with ranking, commission and events.

Compares ``rules.pay`` (compiled once, vectorised over agents) with a plain-Python loop
over agents computing the same docs/formats.md §2 rules, in the same run, and checks that both
give the same pay. Also times compiling the policy and rejecting the attack payloads of
docs/sources.md (design choices). Run: ``python benchmarks/bench_pay.py [--agents N]``.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rules import Policy, compile_policy, pay  # noqa: E402
from rules.formula import FormulaError, compile_formula  # noqa: E402

ITEMS = [("answer_rate", 0.95, "higher"), ("aht_s", 300, "lower"), ("fcr", 0.85, "higher"),
         ("qa_score", 90, "higher"), ("satisfaction", 0.9, "higher"), ("acw_s", 40, "lower"),
         ("answered", 1500, "higher"), ("outbound_calls", 300, "higher"),
         ("utilization", 0.85, "higher"), ("complaints_score", 1.0, "higher")]

POLICY = {
    "policy": "bench", "applies_to": ["in_house"], "base_pay": 3000,
    "metrics": {"complaints_score": "1 / (1 + complaints)"},
    "scorecard": {"pay_base": 1000, "floor": 0.5, "cap": 1.5, "items": [
        {"metric": m, "weight": 0.1, "target": t, "direction": d} for m, t, d in ITEMS]},
    "ranking": {"by": "score", "bands": [{"top": 0.2, "pay": 800}, {"bottom": 0.1, "pay": -500}]},
    "commission": [{"per": "answered", "mode": "marginal",
                    "tiers": [{"from": 0, "rate": 1.0}, {"from": 1200, "rate": 1.5},
                              {"from": 1800, "rate": 2.0}]},
                   {"per": "outbound_calls", "mode": "whole",
                    "tiers": [{"from": 0, "rate": 0.5}, {"from": 300, "rate": 0.8}]}],
    "events": [{"per": "named_good_reviews", "pay": 5},
               {"per": "bad_reviews", "pay": -50, "offset": {"by": "named_good_reviews", "ratio": 25}},
               {"per": "complaints", "pay": -30, "when": "qa_score < 80"}],
    "cap_total": 6000,
}


def make_table(n: int, seed: int = 1) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "agent_id": np.array([f"A{i:05d}" for i in range(n)]),
        "pool": np.where(rng.random(n) < 0.9, "in_house", "outsourced"),
        "answer_rate": rng.uniform(0.8, 1.0, n), "aht_s": rng.uniform(200, 400, n),
        "fcr": rng.uniform(0.6, 0.95, n), "qa_score": rng.uniform(70, 100, n),
        "satisfaction": rng.uniform(0.8, 1.0, n), "acw_s": rng.uniform(15, 70, n),
        "answered": rng.integers(800, 2400, n).astype(float),
        "outbound_calls": rng.integers(100, 600, n).astype(float),
        "utilization": rng.uniform(0.7, 0.95, n), "complaints": rng.integers(0, 4, n).astype(float),
        "named_good_reviews": rng.integers(0, 120, n).astype(float),
        "bad_reviews": rng.integers(0, 6, n).astype(float),
    }


def reference_loop(table: dict[str, np.ndarray]) -> list[float]:
    """Plain Python, agent by agent, straight from the docs/formats.md §2 text."""
    rows = [{k: (v[i].item() if hasattr(v[i], "item") else v[i]) for k, v in table.items()}
            for i in range(len(table["agent_id"]))]
    rows = [r for r in rows if r["pool"] == "in_house"]
    scores = []
    for r in rows:
        r["complaints_score"] = 1 / (1 + r["complaints"])
        s = 0.0
        for m, target, d in ITEMS:
            v = r[m]
            a = v / target if d == "higher" else (1.5 if v == 0 else target / v)
            s += 0.1 * min(max(a, 0.5), 1.5)
        scores.append(s)
    n = len(rows)
    order = sorted(scores, reverse=True)
    k_top = math.ceil(Decimal("0.2") * n)
    k_bot = math.ceil(Decimal("0.1") * n)
    top_edge, bot_edge = order[k_top - 1], order[n - k_bot]
    out = []
    for r, s in zip(rows, scores, strict=True):
        rank_pay = (800 if s >= top_edge - 1e-9 else 0) + (-500 if s <= bot_edge + 1e-9 else 0)
        u = r["answered"]
        com = (min(u, 1200) * 1.0 + min(max(u - 1200, 0), 600) * 1.5 + max(u - 1800, 0) * 2.0)
        o = r["outbound_calls"]
        com += o * (0.8 if o >= 300 else 0.5)
        good, bad = r["named_good_reviews"], r["bad_reviews"]
        cancelled = min(bad, good // 25)
        ev = (good - 25 * cancelled) * 5 - (bad - cancelled) * 50
        if r["qa_score"] < 80:
            ev -= 30 * r["complaints"]
        variable = min(1000 * s + rank_pay + com + ev, 6000)
        out.append(3000 + variable)
    return out


def best_of(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--agents", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    table = make_table(args.agents)
    policy = Policy.model_validate(POLICY)

    t_compile, compiled = best_of(lambda: compile_policy(policy, table.keys()), 5)
    t_vec, result = best_of(lambda: pay(compiled, table), args.repeat)
    t_cached, _ = best_of(lambda: pay(policy, table), args.repeat)
    t_ref, ref = best_of(lambda: reference_loop(table), 3)
    diff = float(np.max(np.abs(np.asarray(ref) - result.total_pay)))

    small = make_table(100)
    small_cp = compile_policy(policy, small.keys())
    t_small, _ = best_of(lambda: pay(small_cp, small), 200)

    payloads = ["__import__('os').system('true')", "9**9**9", "9**4000000 * 9**4000000 > 1",
                "[x for x in range(10**8)]", "-" * 50000 + "1", "+".join(["1"] * 200000),
                "().__class__.__bases__[0].__subclasses__()", "max(range(10**10))"]
    worst = 0.0
    for p in payloads:
        t0 = time.perf_counter()
        try:
            compile_formula(p, ["x"])
        except FormulaError:
            pass
        worst = max(worst, time.perf_counter() - t0)

    paid = len(result)
    print(f"agents: {args.agents} ({paid} paid), 10-item scorecard + ranking + 2 commissions "
          f"+ 3 events + cap")
    print(f"compile policy (once):            {t_compile * 1e3:8.2f} ms")
    print(f"rules.pay, compiled policy:       {t_vec * 1e3:8.2f} ms  (median of {args.repeat})")
    print(f"rules.pay, Policy (cached):       {t_cached * 1e3:8.2f} ms")
    print(f"plain-Python reference loop:      {t_ref * 1e3:8.2f} ms  (median of 3)")
    print(f"ratio reference / vectorised:     {t_ref / t_vec:8.1f}x")
    print(f"rules.pay, 100 agents (per call): {t_small * 1e3:8.2f} ms  (fixed overhead)")
    print(f"max |total pay difference|:       {diff:.3g}")
    print(f"slowest attack payload rejected:  {worst * 1e3:8.2f} ms")
    if diff > 1e-6:
        raise SystemExit("vectorised pay and the reference loop disagree")


if __name__ == "__main__":
    main()
