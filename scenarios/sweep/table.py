"""The sweep table: one row per point — the values varied, cost in cash and in total,
targets held, service and abandonment per channel, pay cost per policy — as CSV, XLSX,
an HTML page with the plots a planner reads, and ``sweep.json`` (docs/formats.md §11).

Every number is read from the point's ``summary.json`` (the same numbers as its report):
cost = the mix plan's expected cost (``stages.mix.summary.cost``), in cash = without the
shortfall penalty (a price put on missing agent-hours, not money spent); targets held =
``simulation.targets_held`` of ``verdict.units`` demand scenarios (or replications).
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scenarios.writing.output import write_atomic, write_csv, write_json

LABELS = {
    "title": {"en": "Sweep: {name}", "zh": "参数扫描：{name}"},
    "intro": {"en": "{n} points, each a full run of the scenario with the values below "
                    "(results folder per point). Cost is the plan's expected cost; in cash "
                    "leaves out the shortfall penalty.",
              "zh": "共 {n} 个点，每个点按下列取值完整运行一次场景（每点一个结果文件夹）。成本为计划的"
                    "期望成本；现金成本不含缺员罚金。"},
    "cost_plot": {"en": "Expected cost vs {x}, one line per {s}",
                  "zh": "期望成本随 {x} 的变化（每条线一个 {s}）"},
    "cost": {"en": "expected cost", "zh": "期望成本"},
    "held_plot": {"en": "Share of demand scenarios where every target held",
                  "zh": "所有目标均达成的需求情景占比"},
    "no_cost": {"en": "No cost plot: the points have no mix plan (stage mix).",
                "zh": "无成本图：各点没有排班组合计划（mix 阶段）。"},
    "failed": {"en": "failed", "zh": "失败"},
}

FIXED = ["status", "skipped", "cost_cash", "cost_total", "reserve_trained", "targets_held",
         "targets_units"]


def _t(key: str, lang: str, **kw: Any) -> str:
    return LABELS[key]["zh" if lang == "zh" else "en"].format(**kw)


def _num(x: Any) -> float | None:
    if x is None or isinstance(x, bool):
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def _int(x: Any) -> int | float | None:
    v = _num(x)
    return int(v) if v is not None and v.is_integer() else v


def point_row(summary: dict[str, Any]) -> dict[str, Any]:
    """The table's numbers for one point, from its summary.json."""
    stages = summary.get("stages") or {}
    heads = summary.get("headlines") or {}
    mix = (stages.get("mix") or {}).get("summary") or {}
    cost = mix.get("cost") or {}
    sim = (stages.get("simulation") or {}).get("summary") or {}
    total = _num(cost.get("total"))
    penalty = _num(cost.get("shortfall_penalty")) or 0.0
    row: dict[str, Any] = {
        "skipped": ", ".join(n for n, st in stages.items() if st.get("status") == "skipped")
        or None,
        "cost_cash": None if total is None else total - penalty,
        "cost_total": total,
        "reserve_trained": _num(mix.get("reserve_pool")),
        "targets_held": _int(heads.get("simulation.targets_held")),
        "targets_units": _int((sim.get("verdict") or {}).get("units")),
    }
    for k, v in heads.items():
        parts = k.split(".")
        if parts[0] == "simulation" and len(parts) == 3 and parts[2] in ("service_level",
                                                                         "abandon_rate"):
            row[f"{parts[2]}_{parts[1]}"] = _num(v)
        elif parts[0] == "pay" and len(parts) == 3 and parts[2] == "cost_horizon":
            row[f"pay_cost_{parts[1]}"] = _num(v)
    return row


def table(keys: Sequence[str], outcomes: Sequence[Any]) -> tuple[list[str], list[list[Any]]]:
    """Header and rows: point, the varied keys, then the fixed and per-channel columns."""
    rows = [(o, point_row(o.summary) if o.status == "ok" else {}) for o in outcomes]
    extra: list[str] = []
    for _, r in rows:
        extra += [k for k in r if k not in FIXED and k not in extra]
    extra.sort(key=lambda k: (not k.startswith("service"), not k.startswith("abandon"), k))
    header = ["point", *keys, *FIXED, *extra, "results", "key", "error"]
    out = []
    for o, r in rows:
        out.append([o.point.name, *[o.point.values.get(k) for k in keys], o.status,
                    *[r.get(k) for k in FIXED[1:]], *[r.get(k) for k in extra],
                    f"points/{o.point.name}", o.point.key, o.error or None])
    return header, out


def sweep_json(keys: Sequence[str], outcomes: Sequence[Any]) -> dict[str, Any]:
    """docs/formats.md §11: values, status, results folder and headlines per point."""
    return {"keys": list(keys), "points": [
        {"values": {k: o.point.values.get(k) for k in keys}, "status": o.status,
         "results": str(Path(o.folder).absolute()), "headlines": o.headlines if o.status == "ok" else {},
         "key": o.point.key, **({"error": o.error} if o.error else {}),
         "skipped": {n: st.get("reason", "") for n, st in
                     (o.summary.get("stages") or {}).items() if st.get("status") == "skipped"}}
        for o in outcomes]}


def _plot_keys(keys: Sequence[str], header: list[str], rows: list[list[Any]]
               ) -> tuple[str | None, str | None]:
    """x: ``peak`` if varied, else the first key with numbers; series: ``reserve`` if
    varied, else the next key."""
    numeric = [k for k in keys if all(isinstance(r[header.index(k)], (int, float))
                                      and not isinstance(r[header.index(k)], bool)
                                      for r in rows)]
    x = "peak" if "peak" in numeric else (numeric[0] if numeric else None)
    rest = [k for k in keys if k != x]
    s = "reserve" if "reserve" in rest else (rest[0] if rest else None)
    return x, s


def _cost_svg(x: str, s: str | None, header: list[str], rows: list[list[Any]],
              lang: str, currency: str = "") -> str | None:
    import matplotlib as mpl
    from matplotlib.figure import Figure

    from scenarios.run.plots import PALETTE, _rc, _svg_text

    xi, ci = header.index(x), header.index("cost_total")
    si = header.index(s) if s else None
    lines: dict[Any, list[tuple[float, float]]] = {}
    for r in rows:
        if r[ci] is not None:
            lines.setdefault(r[si] if si is not None else "", []).append((r[xi], r[ci]))
    if not lines:
        return None
    with mpl.rc_context(_rc()):
        fig = Figure(figsize=(7, 3.6))
        ax = fig.add_subplot()
        for k, (name, pts) in enumerate(lines.items()):
            pts.sort()
            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o",
                    color=PALETTE[k % len(PALETTE)], label=f"{s}={name}" if s else None)
        ax.set_xlabel(x)
        ax.set_ylabel(_t("cost", lang) + (f" ({currency})" if currency else ""))
        if s:
            ax.legend(frameon=False)
        fig.tight_layout()
        return _svg_text(fig, "sweep-cost")


def _held_svg(x: str, s: str | None, header: list[str], rows: list[list[Any]],
              lang: str) -> str | None:
    import matplotlib as mpl
    import numpy as np
    from matplotlib.figure import Figure

    from scenarios.run.plots import _rc, _svg_text

    hi, ui = header.index("targets_held"), header.index("targets_units")
    xi, si = header.index(x), header.index(s) if s else None
    xs = sorted({r[xi] for r in rows}, key=_order)
    ss = sorted({r[si] for r in rows}, key=_order) if si is not None else [""]
    grid = np.full((len(ss), len(xs)), np.nan)
    for r in rows:
        if r[hi] is not None and r[ui]:
            grid[ss.index(r[si] if si is not None else ""), xs.index(r[xi])] = r[hi] / r[ui]
    if np.isnan(grid).all():
        return None
    with mpl.rc_context(_rc()):
        fig = Figure(figsize=(7, 1.2 + 0.5 * len(ss)))
        ax = fig.add_subplot()
        im = ax.imshow(np.ma.masked_invalid(grid), cmap="RdYlGn", vmin=0, vmax=1,
                       aspect="auto")
        ax.set_xticks(range(len(xs)), [str(v) for v in xs])
        ax.set_yticks(range(len(ss)), [str(v) for v in ss])
        ax.set_xlabel(x)
        if s:
            ax.set_ylabel(s)
        ax.grid(False)
        for (i, j), v in np.ndenumerate(grid):
            if not np.isnan(v):
                ax.text(j, i, f"{v:.0%}", ha="center", va="center", fontsize=9)
        fig.colorbar(im, ax=ax, fraction=0.04)
        fig.tight_layout()
        return _svg_text(fig, "sweep-held")


def _order(v: Any) -> tuple[int, Any]:
    return (0, v) if isinstance(v, (int, float)) and not isinstance(v, bool) else (1, str(v))


def _cell(v: Any, column: str = "") -> str:
    """A table cell: shares as percentages, money and counts with separators, the
    varied values as given."""
    if v is None:
        return "—"
    if isinstance(v, float) and column.startswith(("service_level", "abandon_rate")):
        return f"{v:.1%}"
    if isinstance(v, float) and column.startswith(("cost", "pay_cost", "reserve", "targets")):
        return f"{v:,.0f}"
    return str(v)


def skip_notes(outcomes: Sequence[Any]) -> list[str]:
    """Why a point has no plan or no simulation (a blank cost should say why)."""
    notes = []
    for o in outcomes:
        stages = o.summary.get("stages") or {} if o.status == "ok" else {}
        for name in ("mix", "simulation"):
            st = stages.get(name) or {}
            if st.get("status") == "skipped":
                notes.append(f"{o.point.label()}: {name} — {st.get('reason', '')}")
    return notes


def page(name: str, keys: Sequence[str], header: list[str], rows: list[list[Any]],
         lang: str, currency: str = "", notes: Sequence[str] = ()) -> str:
    """A self-contained HTML page: the plots, then the table (links to each report)."""
    x, s = _plot_keys(keys, header, rows)
    ok = [r for r in rows if r[header.index("status")] == "ok"]
    figs = []
    if x is not None and ok:
        cost = _cost_svg(x, s, header, ok, lang, currency)
        figs.append((_t("cost_plot", lang, x=x, s=s or "—"), cost) if cost
                    else (_t("no_cost", lang), ""))
        held = _held_svg(x, s, header, ok, lang)
        if held:
            figs.append((_t("held_plot", lang), held))
    shown = [c for c in header if c not in ("key", "results")]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in shown)
    body = []
    for r in rows:
        cells = []
        for c in shown:
            v = r[header.index(c)]
            text = html.escape(_cell(v, c))
            if c == "point":
                text = (f'<a href="{html.escape(r[header.index("results")])}/report.html">'
                        f"{text}</a>")
            cells.append(f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    plots = "".join(f"<h2>{html.escape(t)}</h2>{svg}" for t, svg in figs)
    return f"""<!doctype html>
<html lang="{'zh' if lang == 'zh' else 'en'}"><head><meta charset="utf-8">
<title>{html.escape(_t('title', lang, name=name))}</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:70em}}
table{{border-collapse:collapse;font-size:.9em}}td,th{{border:1px solid #ccc;padding:.25em .5em;
text-align:right}}svg.plot{{width:100%;height:auto;max-width:50em}}</style></head><body>
<h1>{html.escape(_t('title', lang, name=name))}</h1>
<p>{html.escape(_t('intro', lang, n=len(rows)))}</p>
{plots}
<table><thead><tr>{head}</tr></thead><tbody>
{chr(10).join(body)}
</tbody></table>
{"<ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in notes) + "</ul>" if notes else ""}
</body></html>
"""


def write_tables(out: Path, keys: Sequence[str], outcomes: Sequence[Any], lang: str,
                 json_path: str | None, final: bool) -> None:
    """sweep.csv and sweep.json after every point; sweep.xlsx and sweep.html at the end."""
    header, rows = table(keys, outcomes)
    write_csv(out / "sweep.csv", header, rows)
    doc = sweep_json(keys, outcomes)
    write_json(out / "sweep.json", doc)
    if not final:
        return
    if json_path:
        write_json(json_path, doc)
    from scenarios.run.stage import Table
    from scenarios.run.workbook import workbook_bytes

    cells = [[v if isinstance(v, (int, float, str)) or v is None else str(v) for v in r]
             for r in rows]
    write_atomic(out / "sweep.xlsx", workbook_bytes([Table("sweep", "sweep", header, cells)]))
    done = [o.summary for o in outcomes if o.status == "ok"]
    name = done[0].get("scenario", {}).get("name", "") if done else ""
    mix = ((done[0].get("stages") or {}).get("mix") or {}).get("summary") or {} if done else {}
    write_atomic(out / "sweep.html", page(name, keys, header, rows, lang,
                                          str(mix.get("currency") or ""),
                                          skip_notes(outcomes)))
