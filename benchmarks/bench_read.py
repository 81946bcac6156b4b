"""Reading scenario files at the size limit (issue 31): time and memory of read + validate.

Run (repo root):  python benchmarks/bench_read.py
Builds, in a temporary folder, the files of docs/robustness.md — a year of 15-minute
rates for 20 channels (366 days × 96 intervals × 20 channels, about 3.6 MB of the 4 MiB
limit), a promotion day with one 600,000-item list (1.8 MB) and a year for 9 channels in
block style ("- n" lines, 2.5 MB) — and reads each with
`load_scenario` (YAML, schema, cross-checks), printing the wall time, the Python memory
peak (tracemalloc) and its multiple of the file size. The baseline, measured in the same
run: ruamel.yaml's ordinary path (the fast path for long number lists switched off) on one
channel's year (35,136 numbers), per number, against the fast path's per number on the
whole file. The ordinary path on the whole file would take minutes (before issue 31: more
than 60 s and 930 MB for the year file, 59 s and 826 MB for the long list).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scenarios import number_lists  # noqa: E402
from scenarios.reading.errors import InputError  # noqa: E402
from scenarios.reading.load import load_scenario  # noqa: E402
from scenarios.reading.yamlio import read_yaml  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "scenarios" / "examples"
DAYS, PER_DAY = 366, 96


def year_text(channels: int, block: bool = False) -> str:
    """A year of 15-minute rates for ``channels`` channels, 12 numbers a line (or, with
    ``block``, one "- n" line each: PyYAML's default dump)."""
    rng = np.random.default_rng(1)
    n = DAYS * PER_DAY
    out = ["name: a year of 15-minute rates", "language: en", "horizon:",
           "  start: 2026-01-01T00:00", f"  days: {DAYS}", "  interval_minutes: 15",
           "channels:"]
    for c in range(channels):
        out += [f"  ch{c:02d}:", "    kind: voice",
                "    handle_time: {dist: lognormal, mean_s: 240, cv: 0.8}",
                "    patience: {dist: exponential, mean_s: 120}",
                "    service_level: {target: 0.8, within_s: 20}"]
    out.append("demand:")
    for c in range(channels):
        vals = np.round(rng.gamma(4, 25, n)).astype(int)
        if block:
            out += [f"  ch{c:02d}:", "    rates_per_hour:", *(f"    - {v}" for v in vals)]
            continue
        rows = ",\n        ".join(", ".join(map(str, vals[i:i + 12])) for i in range(0, n, 12))
        out += [f"  ch{c:02d}:", f"    rates_per_hour: [\n        {rows}]"]
    out += ["pools:", "  in_house:", "    agents: 50",
            "    skills: [" + ", ".join(f"ch{c:02d}" for c in range(channels)) + "]",
            "simulation:", "  replications: 2", "  seed: 1"]
    return "\n".join(out) + "\n"


def long_list_text() -> str:
    """promo_day with its voice rates replaced by 600,000 one-digit numbers."""
    text = (EXAMPLES / "promo_day.yaml").read_text(encoding="utf-8")
    start = text.index("rates_per_hour: [")
    end = text.index("]", start)
    items = ", ".join(str(i % 10) for i in range(600_000))
    return text[:start] + "rates_per_hour: [" + items + text[end:]


def _load(path: Path) -> str:
    try:
        load_scenario(path)
        return "valid"
    except InputError as exc:
        return f"{len(exc.problems)} located problem(s)"


def measure(path: Path) -> tuple[float, float, str]:
    """(seconds, Python memory peak in MB, outcome) of load_scenario on ``path``: the time
    of a plain run, the memory of a second run under tracemalloc (which slows it)."""
    t0 = time.perf_counter()
    outcome = _load(path)
    seconds = time.perf_counter() - t0
    tracemalloc.start()
    _load(path)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return seconds, peak, outcome


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench_read"))
    year, one, longf = tmp / "year.yaml", tmp / "one_channel.yaml", tmp / "long_list.yaml"
    year.write_text(year_text(20), encoding="utf-8")
    one.write_text(year_text(1), encoding="utf-8")
    longf.write_text(long_list_text(), encoding="utf-8")
    blockf = tmp / "year_block.yaml"  # 9 channels: "- n" lines make a longer file
    blockf.write_text(year_text(9, block=True), encoding="utf-8")
    load_scenario(EXAMPLES / "steady_voice.yaml")  # imports and caches out of the timings
    try:
        load_scenario(one)
    except InputError:
        pass
    print(f"load average {os.getloadavg()[0]:.1f}")
    for path in (year, longf, blockf):
        s, peak, outcome = measure(path)
        size = path.stat().st_size / 1e6
        print(f"{path.name}: {size:.2f} MB, read + validate {s:.2f} s, Python memory peak "
              f"{peak:.0f} MB ({peak / size:.0f}× the file), {outcome}")
    numbers = DAYS * PER_DAY
    t0 = time.perf_counter()
    read_yaml(year)
    fast_s = time.perf_counter() - t0
    saved = number_lists.MIN_ITEMS
    number_lists.MIN_ITEMS = 10**9
    try:
        t0 = time.perf_counter()
        read_yaml(one)
        slow_s = time.perf_counter() - t0
    finally:
        number_lists.MIN_ITEMS = saved
    fast_us, slow_us = fast_s / (20 * numbers) * 1e6, slow_s / numbers * 1e6
    print(f"YAML reading per number: fast path {fast_us:.2f} µs (whole year file), ruamel's "
          f"ordinary path {slow_us:.1f} µs (one channel's year, same run): "
          f"{slow_us / fast_us:.0f}×")


if __name__ == "__main__":
    main()
