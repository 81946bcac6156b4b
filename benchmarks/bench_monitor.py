"""KPI monitoring of 1,000 agents × 365 days × 3 metrics (conversion, complaint rate, QA).

Times ``rules.monitor.monitor`` (every chart vectorised over agents, one loop over days)
against the same core called agent by agent (on a sample of agents, scaled up) in the same
run, and checks both give the same flags on the sample. Then times the whole command —
reading the CSV, judging, writing the CSVs, the workbook and the page — on the same
history. Target: the whole command under 30 s on the 2-core development machine.

The morning update (``--state DIR``): the state built on all days but the last, the last
day's rows appended to the file, the update timed against a full re-run of the grown
file in the same run (both in-process, imports excluded), and their outputs compared
byte for byte. Target: the update under 2 s for 1,000 agents × 3 metrics.
Run: ``python benchmarks/bench_monitor.py [--agents N] [--days N] [--skip-full]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rules.monitor import MetricSeries, MonitorInputs, Settings, monitor  # noqa: E402
from rules.monitor.synth import synthetic_panel  # noqa: E402

SPEC = """period: day
core:
  - {name: conversion, ratio: [paid_uv, received_uv], target: 0.35, better: higher}
auxiliary:
  - {name: complaint_rate, ratio: [complaints, answered], target: 0.01, better: lower}
floor:
  - {name: qa_pass, ratio: [qa_passed, qa_samples], floor: 0.85, better: higher}
"""


def make_inputs(agents: int, days: int, seed: int = 1) -> MonitorInputs:
    rng = np.random.default_rng(seed)
    conv = synthetic_panel(rng, agents=agents, periods=days, trials_mean=40, rate_mean=0.35,
                           rate_sd=0.05, changed=agents // 20, change_from=days // 2,
                           factor=0.75, day_off_every=7)
    comp = synthetic_panel(rng, agents=agents, periods=days, trials_mean=120,
                           rate_mean=0.01, rate_sd=0.003)
    qa = synthetic_panel(rng, agents=agents, periods=days, trials_mean=12 / 26,
                         rate_mean=0.95, rate_sd=0.02)
    metrics = (
        MetricSeries("conversion", "core", "binomial", True, 0.35, None, conv.successes,
                     conv.trials),
        MetricSeries("complaint_rate", "auxiliary", "binomial", False, 0.01, None,
                     comp.successes, comp.trials),
        MetricSeries("qa_pass", "floor", "binomial", True, None, 0.85, qa.successes,
                     qa.trials),
    )
    return MonitorInputs(np.datetime64("2025-01-01") + np.arange(days),
                         tuple(f"A{i:04d}" for i in range(agents)), metrics, Settings())


def subset(inp: MonitorInputs, rows: list[int]) -> MonitorInputs:
    ms = tuple(MetricSeries(m.name, m.section, m.model, m.higher, m.target, m.floor,
                            m.successes[rows], m.trials[rows]) for m in inp.metrics)
    return MonitorInputs(inp.dates, tuple(inp.agents[i] for i in rows), ms, inp.settings)


def write_csv(inp: MonitorInputs, path: Path, days: range | None = None,
              append: bool = False) -> None:
    names = [("received_uv", "paid_uv"), ("answered", "complaints"), ("qa_samples", "qa_passed")]
    cols = []
    for m, (den, num) in zip(inp.metrics, names, strict=True):
        cols += [(den, m.trials), (num, m.successes)]
    days = days if days is not None else range(len(inp.dates))
    with path.open("a" if append else "w", encoding="utf-8") as fh:
        if not append:
            fh.write("date,agent_id," + ",".join(c for c, _ in cols) + "\n")
        for t in days:
            d = inp.dates[t]
            for a, aid in enumerate(inp.agents):
                fh.write(f"{d},{aid}," + ",".join(f"{int(v[a, t])}" for _, v in cols) + "\n")


def timed(args: list[str]) -> tuple[float, float, object]:
    from click.testing import CliRunner

    import cli

    t0, c0 = time.perf_counter(), time.process_time()
    out = CliRunner().invoke(cli.main, args)
    return time.perf_counter() - t0, time.process_time() - c0, out


def bench_update(inp: MonitorInputs, d: Path) -> None:
    """The morning update against a full re-run of the same grown history."""
    from rules.monitor import advance, judge

    days = len(inp.dates)
    # the core alone: advance one day and judge, against a full core run
    ms = tuple(MetricSeries(m.name, m.section, m.model, m.higher, m.target, m.floor,
                            m.successes[:, :days - 1], m.trials[:, :days - 1])
               for m in inp.metrics)
    state = advance(None, MonitorInputs(inp.dates[:days - 1], inp.agents, ms, inp.settings))
    last = tuple(MetricSeries(m.name, m.section, m.model, m.higher, m.target, m.floor,
                              m.successes[:, days - 1:], m.trials[:, days - 1:])
                 for m in inp.metrics)
    t0 = time.perf_counter()
    state = advance(state, MonitorInputs(inp.dates[days - 1:], inp.agents, last,
                                         inp.settings))
    t_adv = time.perf_counter() - t0
    judge(state)
    t_core = time.perf_counter() - t0
    t0 = time.perf_counter()
    monitor(inp)
    t_full_core = time.perf_counter() - t0
    print(f"core, one day appended: advance {t_adv:.2f} s + judge {t_core - t_adv:.2f} s = "
          f"{t_core:.2f} s; full core run {t_full_core:.2f} s → {t_full_core / t_core:.1f}×")
    h = d / "daily.csv"
    write_csv(inp, h, range(days - 2))
    (d / "monitor.yaml").write_text(SPEC, encoding="utf-8")
    spec = str(d / "monitor.yaml")
    args = [str(h), "--spec", spec, "--state", str(d / "state"), "--out", str(d / "o"),
            "--json", str(d / "o.json")]
    build, _, out = timed(["monitor", *args])
    assert out.exit_code == 0, out.output
    write_csv(inp, h, range(days - 2, days - 1), append=True)
    upd, upd_cpu, out = timed(["monitor", *args])
    ok = "updated from the state" in " ".join(out.output.split())
    assert out.exit_code == 0 and ok, out.output
    # the next morning as the lead runs it: a fresh process (imports included)
    write_csv(inp, h, range(days - 1, days), append=True)
    exe = Path(sys.executable).with_name("peakdesk")
    t0 = time.perf_counter()
    c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([str(exe), "monitor", *args], capture_output=True, text=True,
                          check=False)
    upd_proc = time.perf_counter() - t0
    c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc_cpu = (c1.ru_utime - c0.ru_utime) + (c1.ru_stime - c0.ru_stime)
    ok = "updated from the state" in " ".join(proc.stdout.split())
    assert proc.returncode == 0 and ok, proc.stdout + proc.stderr
    full, full_cpu, out = timed(["monitor", str(h), "--spec", spec, "--out", str(d / "f"),
                                 "--json", str(d / "f.json")])
    same = all((d / "o" / n).read_bytes() == (d / "f" / n).read_bytes()
               for n in ("days.csv", "weeks.csv", "months.csv", "flags.csv", "episodes.csv",
                         "ranking.csv", "charts.csv", "monitor.json", "monitor.html"))
    same = same and (d / "o.json").read_bytes() == (d / "f.json").read_bytes()
    print(f"morning update (read the appended day, advance, judge, write CSVs, xlsx, html, "
          f"json, state), in-process: {upd:.2f} s (CPU {upd_cpu:.2f} s); as a fresh "
          f"`peakdesk monitor` process (imports included): {upd_proc:.2f} s (CPU "
          f"{proc_cpu:.2f} s); full re-run "
          f"of the same history, in-process: {full:.1f} s (CPU {full_cpu:.1f} s) → "
          f"{full / upd:.0f}× wall, {full_cpu / upd_cpu:.0f}× CPU "
          f"({'same files' if same else 'DIFFERENT files'} as the update); building the "
          f"state: {build:.1f} s; target < 2 s")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--agents", type=int, default=1000)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--sample", type=int, default=40, help="agents run one by one")
    ap.add_argument("--skip-full", action="store_true", help="only the morning update")
    args = ap.parse_args()
    inp = make_inputs(args.agents, args.days)
    print(f"load average {os.getloadavg()[0]:.1f}")
    if args.skip_full:
        with tempfile.TemporaryDirectory() as tmp:
            bench_update(inp, Path(tmp))
        return 0
    t0, c0 = time.perf_counter(), time.process_time()
    res = monitor(inp)
    core_s, core_cpu = time.perf_counter() - t0, time.process_time() - c0
    rows = list(range(args.sample))
    t0 = time.perf_counter()
    one_by_one = [monitor(subset(inp, [i])) for i in rows]
    loop_s = (time.perf_counter() - t0) * args.agents / args.sample
    ours = {(f.row, f.metric, f.kind, f.since) for f in res.flags
            if f.row is not None and f.row < args.sample}
    theirs = {(i, f.metric, f.kind, f.since) for i, r in zip(rows, one_by_one, strict=True)
              for f in r.flags if f.row is not None}
    agree = "same flags" if ours == theirs else f"DIFFERENT flags: {ours ^ theirs}"
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(f"monitor core, {args.agents} agents × {args.days} days × 3 metrics: {core_s:.2f} s "
          f"(CPU {core_cpu:.2f} s); "
          f"agent by agent: {loop_s:.1f} s (from {args.sample} agents) → "
          f"{loop_s / core_s:.0f}× ({agree} on the sample)")
    from click.testing import CliRunner

    import cli

    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        write_csv(inp, d / "history.csv")
        (d / "monitor.yaml").write_text(SPEC, encoding="utf-8")
        t0, c0 = time.perf_counter(), time.process_time()
        out = CliRunner().invoke(cli.main, ["monitor", str(d / "history.csv"), "--spec",
                                            str(d / "monitor.yaml"), "--json",
                                            str(d / "m.json"), "--out", str(d / "out")])
        cmd_s, cmd_cpu = time.perf_counter() - t0, time.process_time() - c0
        size = (d / "history.csv").stat().st_size / 1e6
        status = "ok" if out.exit_code == 0 else f"exit {out.exit_code}: {out.output[-300:]}"
        print(f"peakdesk monitor (read {size:.0f} MB CSV, judge, write CSVs, xlsx, html): "
              f"{cmd_s:.1f} s (CPU {cmd_cpu:.1f} s), target < 30 s ({status})")
        bench_update(inp, d)
    return 0


if __name__ == "__main__":
    sys.exit(main())
