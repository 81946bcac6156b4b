"""The charts' state kept between mornings (``peakdesk monitor --state DIR``).

``DIR/state.npz`` holds every array of :class:`rules.monitor.MonitorState` (counts, expected
rates, CUSUM paths, baselines, thresholds, episode bookkeeping); ``DIR/state.json`` the
rest: the episodes already closed, the settings, and what the state was built from — the
spec's text, the history's first bytes (length and SHA-256) — so a run can tell whether
the history it is given only grew since. Plain numpy and JSON (no pickle): a state from a
different peakdesk or a damaged folder is not trusted; the run then starts from scratch.
Both files are written atomically, the JSON last, naming the npz's token.
"""

from __future__ import annotations

import dataclasses
import io
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rules.monitor import MetricSeries, MonitorState, Settings
from rules.monitor.charts import Episode, Tracker
from rules.monitor.metric_chart import ChartState, SideState
from scenarios.writing.output import write_atomic, write_json

FORMAT = 1
_CHART_ARRAYS = ("x", "n", "q", "first", "designed", "post_a", "post_b", "dispersion",
                 "laney", "design_trials", "reference", "shift")
_SIDE_ARRAYS = ("h", "carried", "value")
_TRACKER = ("last_zero", "window_from", "open_at", "open_page", "open_cusum")
_SERIES = ("name", "section", "model", "higher", "target", "floor", "shift")


@dataclass
class Saved:
    """A state and what it was built from."""

    state: MonitorState
    source: dict[str, Any]      # spec_sha, history_bytes, history_sha, history_lines, ...
    outputs: dict[str, Any]     # what the --out folder holds (block offsets of tables)
    extra: dict[str, np.ndarray] = dataclasses.field(default_factory=dict)  # its statuses


def save(folder: Path, saved: Saved) -> None:
    st = saved.state
    token = secrets.token_hex(8)
    arrays: dict[str, np.ndarray] = {"token": np.array(token),
                                     "dates": st.dates.astype("datetime64[D]")}
    arrays.update({f"extra.{k}": v for k, v in saved.extra.items()})
    charts = []
    for k, (name, ch) in enumerate(st.charts.items()):
        for f in _CHART_ARRAYS:
            arrays[f"{k}.{f}"] = np.asarray(getattr(ch, f))
        sides = {}
        for side_name in ("worse", "better"):
            side: SideState = getattr(ch, side_name)
            for f in _SIDE_ARRAYS:
                arrays[f"{k}.{side_name}.{f}"] = np.asarray(getattr(side, f))
            for f in _TRACKER:
                arrays[f"{k}.{side_name}.tracker.{f}"] = getattr(side.tracker, f)
            sides[side_name] = {"up": side.up,
                                "closed": [dataclasses.astuple(e) for e in side.closed]}
        charts.append({"name": name, "baseline": ch.baseline_periods,
                       "series": {f: getattr(ch.series, f) for f in _SERIES}, **sides})
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / "state.npz", buf.getvalue())
    write_json(folder / "state.json", {
        "format": FORMAT, "token": token, "agents": list(st.agents),
        "settings": dataclasses.asdict(st.settings), "charts": charts,
        "source": saved.source, "outputs": saved.outputs})


def load(folder: Path) -> Saved | None:
    """The saved state, or None when there is none or it cannot be trusted."""
    try:
        meta = json.loads((folder / "state.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            return None
        with np.load(folder / "state.npz", allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        if str(arrays["token"]) != meta["token"]:
            return None
        charts = {}
        for k, c in enumerate(meta["charts"]):
            series = MetricSeries(**c["series"], successes=np.zeros((0, 0)),
                                  trials=np.zeros((0, 0)))
            sides = {}
            for side_name in ("worse", "better"):
                tr = Tracker(*(arrays[f"{k}.{side_name}.tracker.{f}"].copy()
                               for f in _TRACKER))
                s = c[side_name]
                sides[side_name] = SideState(
                    bool(s["up"]), *(arrays[f"{k}.{side_name}.{f}"].copy()
                                     for f in _SIDE_ARRAYS), tr,
                    [Episode(*e) for e in s["closed"]])
            ch = ChartState(series, *(arrays[f"{k}.{f}"].copy() for f in _CHART_ARRAYS),
                            worse=sides["worse"], better=sides["better"],
                            baseline_periods=int(c["baseline"]))
            charts[c["name"]] = ch
        state = MonitorState(arrays["dates"].astype("datetime64[D]"), tuple(meta["agents"]),
                             Settings(**meta["settings"]), charts)
        extra = {k[6:]: v for k, v in arrays.items() if k.startswith("extra.")}
        return Saved(state, meta["source"], meta["outputs"], extra)
    except (OSError, ValueError, KeyError, TypeError, json.JSONDecodeError):
        return None
