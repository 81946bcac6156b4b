"""Demand outputs: CSV / JSON of the demand scenarios, the fitted demand YAML, plots.

All files are written atomically (scenarios.writing.output). matplotlib is imported only when a
plot is asked for.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from ruamel.yaml import YAML

from scenarios.adapters.to_demand import DemandScenario
from scenarios.writing.output import write_atomic, write_csv, write_json


def scenario_table(starts: list[datetime], point: dict[str, np.ndarray],
                   scenarios: list[DemandScenario]) -> tuple[list[str], list[list[Any]]]:
    """Wide table: interval_start, channel, point, one column per scenario, aht_s (per hour)."""
    header = ["interval_start", "channel", "point"] + [s.name for s in scenarios] + ["aht_s"]
    rows: list[list[Any]] = []
    for ch, p in point.items():
        aht = scenarios[0].aht_s[ch]
        for i, t in enumerate(starts):
            rows.append([t.isoformat(timespec="minutes"), ch, float(p[i])]
                        + [float(s.rates[ch][i]) for s in scenarios] + [float(aht[i])])
    return header, rows


def write_demand_csv(path: str | Path, starts, point, scenarios) -> None:
    header, rows = scenario_table(starts, point, scenarios)
    write_csv(path, header, rows)


def demand_json(starts, point, scenarios, interval_minutes: int) -> dict[str, Any]:
    return {
        "interval_minutes": interval_minutes,
        "interval_starts": [t.isoformat(timespec="minutes") for t in starts],
        "scenarios": [{"name": s.name, "probability": s.probability,
                       "multiplier": s.multiplier} for s in scenarios],
        "channels": {ch: {"point": p.tolist(),
                          "scenarios": {s.name: s.rates[ch].tolist() for s in scenarios},
                          "aht_s": scenarios[0].aht_s[ch].tolist()}
                     for ch, p in point.items()},
    }


def write_demand_json(path: str | Path, starts, point, scenarios, interval_minutes: int) -> None:
    write_json(path, demand_json(starts, point, scenarios, interval_minutes))


def demand_yaml_text(section: dict[str, Any], comment: str) -> str:
    """YAML text of a scenario fragment (profiles / demand / events), lists in flow style."""
    data = dict(section)
    events = []
    for ev in data.get("events", []):
        ev = dict(ev)
        if isinstance(ev.get("start"), datetime):
            ev["start"] = ev["start"].isoformat(timespec="minutes")
        events.append(ev)
    data["events"] = events
    yaml = YAML(typ="safe")
    yaml.default_flow_style = None
    yaml.width = 100
    buf = io.StringIO()
    yaml.dump(data, buf)
    head = "".join(f"# {line}\n" if line else "#\n" for line in comment.splitlines())
    return head + buf.getvalue()


def write_demand_yaml(path: str | Path, section: dict[str, Any], comment: str) -> None:
    write_atomic(path, demand_yaml_text(section, comment))


def _matplotlib() -> Any:
    """matplotlib's Figure class (non-interactive backend), imported only for plots."""
    try:
        import matplotlib
    except ImportError:
        raise RuntimeError("--plot needs matplotlib: pip install 'peakdesk[plot]'") from None
    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure


def _figure_bytes(fig: Any, path: str | Path) -> bytes:
    fmt = Path(path).suffix.lstrip(".").lower() or "svg"
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, bbox_inches="tight")
    return buf.getvalue()


def plot_demand(path: str | Path, starts: list[datetime], point: dict[str, np.ndarray],
                scenarios: list[DemandScenario], title: str) -> None:
    """Point forecast, each scenario and the band between the lowest and highest."""
    fig = _matplotlib()(figsize=(11, 3.2 * len(point)))
    axes = fig.subplots(len(point), 1, squeeze=False)[:, 0]
    for ax, (ch, p) in zip(axes, point.items(), strict=True):
        stack = np.vstack([s.rates[ch] for s in scenarios])
        ax.fill_between(starts, stack.min(axis=0), stack.max(axis=0), step="post",
                        alpha=0.25, label="scenario band")
        if len(scenarios) > 1:
            for s in scenarios:
                ax.step(starts, s.rates[ch], where="post", lw=0.6, alpha=0.6,
                        label=f"{s.name} (p={s.probability:.2f}, ×{s.multiplier:.2f})")
        ax.step(starts, p, where="post", lw=1.6, color="black", label="point forecast")
        ax.set_ylabel(f"{ch}: contacts / hour")
        ax.legend(fontsize=7, loc="upper left")
        ax.grid(alpha=0.3)
    axes[0].set_title(title)
    fig.autofmt_xdate()
    write_atomic(path, _figure_bytes(fig, path))


def plot_forecast(path: str | Path, starts: list[datetime], actual: dict[str, np.ndarray],
                  fitted: dict[str, np.ndarray], n_fit: int, title: str) -> None:
    """Actual vs fitted (fit period) and forecast (holdout), per channel; last 4 weeks."""
    fig = _matplotlib()(figsize=(11, 3.2 * len(actual)))
    axes = fig.subplots(len(actual), 1, squeeze=False)[:, 0]
    per_day = 1440 // max(1, int((starts[1] - starts[0]).total_seconds() // 60)) \
        if len(starts) > 1 else 48
    lo = max(0, len(starts) - 28 * per_day)
    for ax, ch in zip(axes, actual, strict=True):
        ax.plot(starts[lo:], actual[ch][lo:], lw=0.6, color="grey", label="actual")
        ax.plot(starts[lo:n_fit], fitted[ch][lo:n_fit], lw=1.0, label="fitted")
        if n_fit < len(starts):
            ax.plot(starts[n_fit:], fitted[ch][n_fit:], lw=1.2, label="forecast (holdout)")
            ax.axvline(starts[n_fit], color="black", lw=0.8, ls="--")
        ax.set_ylabel(f"{ch}: contacts / interval")
        ax.legend(fontsize=7, loc="upper left")
        ax.grid(alpha=0.3)
    axes[0].set_title(title)
    fig.autofmt_xdate()
    write_atomic(path, _figure_bytes(fig, path))
