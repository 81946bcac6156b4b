"""``peakdesk compare``: the side-by-side table of policies, then each one's why, pay
distribution and ranking-noise diagnostics."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table


def print_comparison(con: Console, name: str, c: Any) -> None:
    """Side-by-side table (mean ± CI half-width, * = differs from the baseline at 95%),
    then the why, pay distributions and ranking-noise diagnostics per policy."""
    from sim.compare import equilibrium_text

    pols = list(c.policies.values())
    t = Table(title=f"{name} — {c.replications} replications, seed {c.seed}; per agent: "
                    f"{', '.join(c.focus_pools)} ({c.n_agents} agents, per simulated "
                    f"horizon); pay and cost per pay period; * = differs from baseline (95%)")
    t.add_column("metric")
    for o in pols:
        t.add_column(o.name, justify="right")

    def num(x: float) -> str:
        if x != x:
            return "—"
        ax = abs(x)
        return f"{x:,.0f}" if ax >= 100 else f"{x:.1f}" if ax >= 10 else (
            f"{x:.2f}" if ax >= 1 else f"{x:.3f}")

    def cell(st: Any) -> str:
        half = (st.ci95[1] - st.ci95[0]) / 2 if st.ci95[0] == st.ci95[0] else 0.0
        mark = ""
        if st.significant:
            mark = " ↑*" if st.diff[0] > 0 else " ↓*"
        return f"{num(st.mean)} ±{num(half)}{mark}"

    for block, label in (("team", "team"), ("per_agent", "per agent"), ("pay", "pay"),
                         ("cost", "cost")):
        keys = list(getattr(pols[0], block))
        for k in keys:
            t.add_row(f"{label} {k}", *[cell(getattr(o, block)[k]) if k in getattr(o, block)
                                        else "" for o in pols])
    for k in pols[0].levers:
        t.add_row(f"lever {k}", *[f"{o.levers[k]:.3f}" for o in pols])
    t.add_row("equilibrium", *[equilibrium_text(o.equilibrium) for o in pols])
    con.print(t)
    for o in pols:
        con.print(f"[bold]{o.name}[/bold] (period {o.period}; "
                  f"{equilibrium_text(o.equilibrium)}; rounds per simulation round "
                  f"{list(o.equilibrium_rounds)})")
        for lever, comps in o.why.items():
            main = o.why_main.get(lever)
            if main is None:
                continue
            con.print(f"  why {lever}: marginal pay {comps['total']:+.1f} per unit, mostly "
                      f"{main} ({comps.get(main, 0.0):+.1f}); marginal effort cost "
                      f"{comps['cost']:+.1f}")
        d = o.pay_distribution
        if d:
            con.print(f"  pay: mean {d['mean']:,.0f}, p10 {d['p10']:,.0f}, p50 {d['p50']:,.0f}, "
                      f"p90 {d['p90']:,.0f}, Gini {d['gini']:.3f}")
        if o.ranking_noise:
            r = o.ranking_noise
            con.print(f"  ranking noise: skill-pay rank corr {r['skill_pay_rank_corr']:.2f}; "
                      f"bottom band truly below median {r['bottom_below_median']:.0%}; "
                      f"same agent in the bottom band again {r['bottom_repeat']:.0%} "
                      f"(pure noise: {r['bottom_share']:.0%})")
    con.print(f"behaviour solving {c.solve_s:.1f} s, simulation {c.simulate_s:.1f} s")
