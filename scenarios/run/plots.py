"""SVG plots for the report, drawn with matplotlib's object API (no pyplot state).

Text stays text (``svg.fonttype: none``): the browser draws the labels with its own
fonts, so Chinese labels render without a CJK font on the machine that made the plot.
Output is deterministic (fixed hash salt, no date) and its ids are prefixed with the
figure's name so several SVGs can sit inline in one HTML page.
"""

from __future__ import annotations

import functools
import io
import re
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

# The fonts the browser should try, in order; CJK faces for Chinese labels.
FONT_STACK = ["DejaVu Sans", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC",
              "WenQuanYi Zen Hei", "SimHei", "sans-serif"]
PALETTE = ["#1f5fa8", "#d9822b", "#2e9d5b", "#b8405e", "#7b5ea7", "#5f7d8c"]


@dataclass(frozen=True)
class Series:
    """One line of a chart: a value per interval (``dashed`` for targets / capacities)."""

    label: str
    values: np.ndarray
    dashed: bool = False
    band: tuple[np.ndarray, np.ndarray] | None = None  # shaded low/high per interval


#: one chart at a time: ``rc_context`` sets matplotlib's global settings while it draws,
#: and the run draws its horizon figures in a helper thread (scenarios.run.figures)
_DRAWING = threading.RLock()


def one_at_a_time(draw):  # type: ignore[no-untyped-def]
    """Hold the drawing lock while ``draw`` runs."""
    @functools.wraps(draw)
    def locked(*args, **kwargs):  # type: ignore[no-untyped-def]
        with _DRAWING:
            return draw(*args, **kwargs)
    return locked


def _rc() -> dict[str, object]:
    return {"svg.fonttype": "none", "svg.hashsalt": "peakdesk", "font.family": "sans-serif",
            "font.sans-serif": FONT_STACK, "font.size": 10, "axes.spines.top": False,
            "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.3}


def _svg_text(fig: object, prefix: str) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})  # type: ignore[attr-defined]
    return inline_svg(buf.getvalue(), prefix)


def inline_svg(text: str, prefix: str) -> str:
    """The bare ``<svg>`` element, ids prefixed, sized by CSS instead of fixed points."""
    text = text[text.index("<svg"):]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.S)  # RDF creator block
    text = re.sub(r'id="([^"]+)"', rf'id="{prefix}-\1"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", text)
    text = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', text)
    text = re.sub(r'(<svg[^>]*?) width="[^"]*" height="[^"]*"', r'\1', text, count=1)
    return text.replace("<svg ", '<svg class="plot" role="img" ', 1).strip()


@one_at_a_time
def step_chart(name: str, starts: Sequence[datetime], interval: timedelta,
               series: Sequence[Series], ylabel: str, stacked: Sequence[Series] = (),
               height: float = 3.2, legend: str = "below", width: float = 9.0,
               ylim: tuple[float, float] | None = None) -> str:
    """Per-interval values as step lines (optionally stacked areas underneath); SVG text.
    The legend sits below the axes (``legend`` is kept for callers; it is always below).
    NaN values leave a gap; ``ylim`` fixes the value axis (a target line stays in view)."""
    import matplotlib
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure

    x = [*starts, starts[-1] + interval]  # edges: each value holds for its interval
    with matplotlib.rc_context(_rc()), warnings.catch_warnings():
        # Layout uses DejaVu metrics for CJK glyphs it lacks; the browser draws them.
        warnings.filterwarnings("ignore", message="Glyph .* missing from")
        warnings.filterwarnings("ignore", message="findfont")
        n_entries = len(stacked) + len(series)
        rows = -(-n_entries // legend_columns(n_entries))
        fig = Figure(figsize=(width, height + 0.22 * rows), layout="constrained")
        ax = fig.add_subplot()
        colours = iter(PALETTE * 4)
        if stacked:
            base = np.zeros(len(starts))
            for s in stacked:
                top = base + s.values
                ax.fill_between(x, np.append(base, base[-1]), np.append(top, top[-1]),
                                step="post", alpha=0.35, color=next(colours), label=s.label,
                                linewidth=0)
                base = top
        for s in series:
            c = next(colours)
            if s.band is not None:
                lo, hi = s.band
                ax.fill_between(x, np.append(lo, lo[-1]), np.append(hi, hi[-1]), step="post",
                                alpha=0.2, color=c, linewidth=0)
            ax.step(x, np.append(s.values, s.values[-1]), where="post", color=c,
                    linestyle="--" if s.dashed else "-", linewidth=1.6, label=s.label)
        ax.set_ylabel(ylabel)
        if ylim is not None:
            ax.set_ylim(*ylim)
        else:
            ax.set_ylim(bottom=0)
        ax.set_xlim(x[0], x[-1])
        multi_day = (x[-1] - x[0]) > timedelta(days=1)
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=10 if width >= 8 else 6))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d %H:%M" if multi_day
                                                          else "%H:%M"))
        handles, labels = ax.get_legend_handles_labels()
        if handles:  # below the axes, in columns: it never hides the curves or the dates
            fig.legend(handles, labels, loc="outside lower center", frameon=False,
                       fontsize=9, ncol=legend_columns(len(handles)))
        return _svg_text(fig, name)


MAX_LEGEND_COLUMNS = 4


def legend_columns(n: int) -> int:
    """Columns of a legend of ``n`` entries below the plot (at most MAX_LEGEND_COLUMNS)."""
    return max(1, min(n, MAX_LEGEND_COLUMNS))


@one_at_a_time
def box_chart(name: str, groups: Sequence[tuple[str, np.ndarray]], xlabel: str,
              height: float | None = None) -> str:
    """One horizontal box per group (whiskers at p10 and p90, box p25–p75, line at the
    median, a dot at the mean); SVG text."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_rc()), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from")
        warnings.filterwarnings("ignore", message="findfont")
        fig = Figure(figsize=(9.0, height or 0.9 + 0.55 * len(groups)))
        ax = fig.add_subplot()
        data = [np.asarray(v, float) for _, v in groups]
        pos = list(range(len(groups), 0, -1))  # first group on top
        ax.bxp([{"med": float(np.percentile(v, 50)), "q1": float(np.percentile(v, 25)),
                 "q3": float(np.percentile(v, 75)), "whislo": float(np.percentile(v, 10)),
                 "whishi": float(np.percentile(v, 90)), "mean": float(v.mean()),
                 "fliers": []} for v in data],
               positions=pos, orientation="horizontal", showmeans=True, widths=0.5, patch_artist=True,
               boxprops={"facecolor": PALETTE[0], "alpha": 0.35},
               medianprops={"color": PALETTE[0], "linewidth": 1.6},
               meanprops={"marker": "o", "markerfacecolor": PALETTE[1],
                          "markeredgecolor": PALETTE[1], "markersize": 5})
        ax.set_yticks(pos, [label for label, _ in groups])
        ax.set_xlabel(xlabel)
        ax.grid(axis="y", visible=False)
        fig.tight_layout()
        return _svg_text(fig, name)


@one_at_a_time
def interval_chart(name: str, rows: Sequence[tuple[str, float, float, float]], xlabel: str
                   ) -> str:
    """One horizontal point with its interval per row (label, mean, lo, hi), first row on
    top, a vertical line at zero (differences to a baseline); SVG text."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_rc()), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from")
        warnings.filterwarnings("ignore", message="findfont")
        fig = Figure(figsize=(9.0, 0.9 + 0.45 * len(rows)))
        ax = fig.add_subplot()
        pos = np.arange(len(rows), 0, -1, dtype=float)
        mean = np.array([r[1] for r in rows], float)
        lo = np.array([r[2] for r in rows], float)
        hi = np.array([r[3] for r in rows], float)
        ax.axvline(0.0, color="#888888", linewidth=1.0)
        ax.errorbar(mean, pos, xerr=np.vstack([mean - lo, hi - mean]), fmt="o",
                    color=PALETTE[0], ecolor=PALETTE[0], capsize=4, markersize=5)
        ax.set_yticks(pos, [r[0] for r in rows])
        ax.set_ylim(0.4, len(rows) + 0.6)
        ax.set_xlabel(xlabel)
        ax.grid(axis="y", visible=False)
        fig.tight_layout()
        return _svg_text(fig, name)
