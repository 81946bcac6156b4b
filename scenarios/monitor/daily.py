"""The morning update (``peakdesk monitor HISTORY.csv --spec MONITOR.yaml --state DIR``).

The team lead appends yesterday's rows to the history and runs the same command. When the
state folder holds the charts as they stood after the history's earlier bytes — same spec
text, the file's first bytes unchanged (SHA-256), the new rows all after the last date,
no new agent, no share turned into a rate — only the appended rows are read and the
charts advance by the new days (:func:`rules.monitor.advance`). Anything else (an edited
history, a new agent, another spec, a first run) runs the whole history and saves a fresh
state: the result is the same either way, only the time differs. The ``--out`` tables
keep their bytes up to the first period whose cells changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from rules.monitor import MonitorResult, MonitorState, advance, judge
from scenarios.monitor.history import history_header, parse_history, read_history
from scenarios.monitor.spec import MonitorSpec, load_spec, with_bot
from scenarios.monitor.state import Saved, load, save
from scenarios.monitor.to_monitor import (
    appended_inputs,
    monitor_inputs,
    needed_columns,
    settings,
)
from scenarios.reading.errors import MAX_INPUT_BYTES, InputError, decode_text


@dataclass
class PreviousOutputs:
    """The --out folder's tables as the state knows them: block offsets per table, and
    the first period (day, week, month) whose cells changed since."""

    offsets: dict[str, list[int]]
    first_changed: dict[str, int]


@dataclass
class Daily:
    """The result of a run with ``--state``, and what to save for tomorrow."""

    result: MonitorResult
    state: MonitorState
    spec: MonitorSpec
    sentence: str
    folder: Path
    out: Path | None
    source: dict[str, Any]
    previous_outputs: PreviousOutputs | None = None
    extra: dict[str, np.ndarray] = field(default_factory=dict)

    def save(self, outputs: dict[str, list[int]]) -> None:
        """Keep the state (and what the --out folder now holds) for tomorrow."""
        save(self.folder, Saved(self.state, self.source,
                                {"folder": str(self.out) if self.out else None, **outputs},
                                self.extra))


def _read_bytes(history: str) -> bytes:
    """The history's bytes (empty when missing or over the input limit: the full read
    then reports the problem)."""
    try:
        with open(history, "rb") as fh:
            raw = fh.read(MAX_INPUT_BYTES + 1)
    except OSError:
        return b""
    return b"" if len(raw) > MAX_INPUT_BYTES else raw


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _statuses(res: MonitorResult) -> dict[str, np.ndarray]:
    """What the next update compares with: every cell's status, and the roll-ups'."""
    out = {}
    for k, m in enumerate(res.metrics.values()):
        out[f"status.{k}"] = m.status.astype(np.int8)
        for level, ro in m.rollups.items():
            out[f"{level}.{k}.x"], out[f"{level}.{k}.n"] = ro.x, ro.n
            out[f"{level}.{k}.status"] = ro.status.astype(np.int8)
    return out


def _first_changed(res: MonitorResult, old: dict[str, np.ndarray], periods_before: int
                   ) -> dict[str, int]:
    """First day, week and month whose cells differ from the previous run's."""
    first = {"days": periods_before}
    for k, m in enumerate(res.metrics.values()):
        prev = old.get(f"status.{k}")
        if prev is None or prev.shape[0] != m.status.shape[0]:
            return {}
        diff = np.flatnonzero((m.status[:, :prev.shape[1]] != prev).any(axis=0))
        if len(diff):
            first["days"] = min(first["days"], int(diff[0]))
        for level, ro in m.rollups.items():
            key = f"{level}s"
            px = old.get(f"{level}.{k}.x")
            if px is None:
                return {}
            g = px.shape[1]
            changed = ((ro.x[:, :g] != px) | (ro.n[:, :g] != old[f"{level}.{k}.n"])
                       | (ro.status[:, :g] != old[f"{level}.{k}.status"])).any(axis=0)
            d = np.flatnonzero(changed)
            first[key] = min(first.get(key, g), int(d[0]) if len(d) else g)
    return first


def daily_result(history: str, spec_file: str, folder: Path, out: Path | None) -> Daily:
    """The result for ``history``, continuing from the state in ``folder`` when it can."""
    spec, root = load_spec(spec_file)
    spec = with_bot(spec, history_header(history))
    spec_sha = _sha(Path(spec_file).read_bytes())
    needed = needed_columns(spec)
    raw = _read_bytes(history)
    saved = load(folder)
    state, sentence, previous = None, "", None
    before = len(saved.state.dates) if saved is not None else 0
    if saved is not None and saved.source.get("spec_sha") == spec_sha:
        state, sentence = _continue(saved, raw, history, spec, needed)
    if state is None:
        hist = read_history(history, needed)
        inputs = monitor_inputs(spec, root, spec_file, hist)
        state = advance(None, inputs)
        if sentence:
            why = sentence
        elif saved is None:
            why = ("the saved state could not be read" if (folder / "state.json").exists()
                   else "no state yet")
        else:
            why = "the state was built from another spec"
        sentence = (f"ran the whole history ({len(state.dates)} dates, {len(state.agents)} "
                    f"agents): {why}; state saved in {folder}")
    elif saved is not None and saved.outputs.get("folder") == (str(out) if out else None) \
            and out is not None:
        previous = PreviousOutputs({k: v for k, v in saved.outputs.items() if k != "folder"},
                                   {})
    res = judge(state)
    if previous is not None and saved is not None:
        previous.first_changed = _first_changed(res, saved.extra, before)
        if not previous.first_changed:
            previous = None
    complete = raw.endswith(b"\n")
    source = {"spec_sha": spec_sha, "history_bytes": len(raw) if complete else None,
              "history_sha": _sha(raw) if complete else None,
              "history_lines": raw.count(b"\n")}
    return Daily(res, state, spec, sentence, folder, out, source, previous, _statuses(res))


def _continue(saved: Saved, raw: bytes, history: str, spec: MonitorSpec,
              needed: list[str]) -> tuple[MonitorState | None, str]:
    """The saved state advanced by the rows appended since, or (None, why not)."""
    src = saved.source
    size = src.get("history_bytes")
    if size is None or len(raw) < size or _sha(raw[:size]) != src.get("history_sha"):
        return None, "the history is not the one the state was built from plus new rows"
    state = saved.state
    tail = raw[size:]
    if not tail.strip():
        return state, f"no new rows since {state.dates[-1]}: the state as it was"
    try:
        text = decode_text(raw[:raw.index(b"\n") + 1] + tail, history)
    except (ValueError, InputError):
        return None, "the appended rows are not plain UTF-8 text"
    hist = parse_history(history, text, needed, line_offset=int(src["history_lines"]) - 1)
    if hist.dates.min() <= state.dates[-1]:
        return None, f"appended rows reach back to {hist.dates.min()}"
    new_dates = np.unique(hist.dates)
    cfg = settings(spec, len(state.dates) + len(new_dates))
    if cfg != state.settings:
        return None, "the settings depend on the history's length and changed"
    models = {name: ch.series.model for name, ch in state.charts.items()}
    inputs = appended_inputs(spec, hist, state.agents, models, cfg)
    if inputs is None:
        return None, "the appended rows bring a new agent or turn a share into a rate"
    days = ", ".join(str(d) for d in new_dates[:3]) + (" ..." if len(new_dates) > 3 else "")
    return advance(state, inputs), (f"updated from the state: {len(hist)} appended rows, "
                                    f"{len(new_dates)} new date(s) ({days})")
