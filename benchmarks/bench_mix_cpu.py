"""The sourcing-mix stage's CPU, process by process (issue 25: where the two cores go).

Runs ``peakdesk plan SCENARIO`` (scenarios/examples/double11.yaml unless another is given)
and reads every process of the command's tree from /proc twice a second: this process
(the planner), the background job (scenarios.background: the plan for overflow at once,
the loop's model needs, the mean-value plan) and the simulation workers. Prints the CPU
seconds of each, the span over which the job sat idle (its CPU flat for 10 s or more),
the wall and the load average — on a shared machine read the CPU seconds, not the wall.
Then, in this process, the work the job now takes off the planner's serial path, timed
alone: the loop's model need per target (planning.iterate.model_needs) and the mean-value
plan (planning.mix.mean_value_plan).

Linux only (/proc). Run: python benchmarks/bench_mix_cpu.py [SCENARIO] [--time-limit S]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def process_tree(root: int) -> dict[int, tuple[float, str, str, int]]:
    """CPU seconds, name (/proc comm), command line and parent of ``root`` and its
    descendants (benchmarks/bench_processes.py reads the same)."""
    parent, cpu = {}, {}
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            stat = Path(f"/proc/{p}/stat").read_text()
        except OSError:
            continue
        f = stat[stat.rfind(")") + 2:].split()
        parent[int(p)], cpu[int(p)] = int(f[1]), (int(f[11]) + int(f[12])) / TICK
    mine, grew = {root}, True
    while grew:
        grew = False
        for pid, pp in parent.items():
            if pp in mine and pid not in mine:
                mine.add(pid)
                grew = True
    out = {}
    for pid in mine & cpu.keys():
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            name = Path(f"/proc/{pid}/comm").read_text().strip()
        except OSError:
            cmd = name = ""
        out[pid] = (cpu[pid], name, cmd, parent[pid])
    return out


def _tree(root: int) -> dict[int, tuple[float, str, int]]:
    """CPU seconds, "[name] command line" and parent of ``root`` and its descendants."""
    return {pid: (c, f"[{name}] {cmd}" if cmd else "", pp)
            for pid, (c, name, cmd, pp) in process_tree(root).items()}


def sample(cmd: list[str]) -> tuple[float, list[tuple[float, dict]]]:
    t0 = time.time()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    rows = []
    while proc.poll() is None:
        rows.append((time.time() - t0, _tree(proc.pid)))
        time.sleep(0.5)
    if proc.returncode:
        sys.exit(f"the command failed (exit {proc.returncode})")
    return time.time() - t0, rows


def report(wall: float, rows: list, root_cmd: str) -> None:
    last: dict[int, tuple[float, str, int]] = {}
    for _, tree in rows:  # an ended process (a zombie) shows no command line: keep the first
        last.update({p: (c, last[p][1] if p in last else cmd, pp)
                     for p, (c, cmd, pp) in tree.items()})
    planner = min(p for p, (_, _, pp) in last.items() if pp not in last)
    # the job: the planner's child named peakdesk-job (forked) or running
    # scenarios.background (a fresh interpreter); its workers' parent is the job
    job = [p for p, (_, c, pp) in last.items()
           if pp == planner and ("scenarios.background" in c or "[peakdesk-job]" in c)]
    workers = sum(c for p, (c, _, _) in last.items() if p != planner and p not in job)
    print(f"wall {wall:.1f} s  ({root_cmd})")
    print(f"CPU: planner {last[planner][0]:.1f} s, background job "
          f"{sum(last[p][0] for p in job):.1f} s, simulation workers {workers:.1f} s, "
          f"all {sum(c for c, _, _ in last.values()):.1f} s")
    for p in job:  # its idle spans: CPU flat for 10 s or more
        series = [(t, tree[p][0]) for t, tree in rows if p in tree]
        start, idle = None, []
        for (t, c), (_, c_next) in zip(series, series[1:], strict=False):
            if c_next - c < 0.05:
                start = t if start is None else start
            elif start is not None:
                if t - start >= 10:
                    idle.append((start, t))
                start = None
        spans = ", ".join(f"{a:.0f}–{b:.0f} s" for a, b in idle) or "none"
        print(f"background job idle (CPU flat ≥ 10 s): {spans}")


def moved_work(scenario: str, time_limit: float) -> None:
    from planning.iterate import erlang_model, model_needs
    from planning.mix import mean_value_plan
    from scenarios.adapters.to_mix import (
        demand_cases,
        mean_case,
        mix_inputs,
        requirement_cases,
        solver_options,
    )
    from scenarios.adapters.to_staffing import scenario_staffing
    from scenarios.checked_mix import CHECK_Z, check_spec
    from scenarios.reading.load import load_scenario

    sc = load_scenario(scenario)
    rates = demand_cases(sc)
    cases = requirement_cases(sc, rates)
    inp = mix_inputs(sc, cases)
    model = erlang_model([r for _, _, r in rates], cases, scenario_staffing(sc),
                         sc.staffing.shrinkage, sc.horizon.interval_minutes / 60.0)
    c0 = time.process_time()
    needs = model_needs(inp.requirement.shape, model, check_spec(sc, CHECK_Z["sim"]))
    c1 = time.process_time()
    mean_value_plan(inp, solver_options(sc, time_limit, None), mean_case(sc, rates))
    c2 = time.process_time()
    print(f"moved to the background job, CPU alone: model needs ({len(needs)} targets) "
          f"{c1 - c0:.1f} s, mean-value plan {c2 - c1:.1f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", nargs="?", default="scenarios/examples/double11.yaml")
    ap.add_argument("--time-limit", type=float, default=600.0,
                    help="the solves' limit (raised: none stops on a busy machine's clock)")
    a = ap.parse_args()
    load0 = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-c", "from cli import main; main()", "plan", a.scenario,
               "--time-limit", str(a.time_limit), "--json", f"{tmp}/plan.json",
               "--out", f"{tmp}/out"]
        wall, rows = sample(cmd)
    report(wall, rows, f"peakdesk plan {a.scenario} --time-limit {a.time_limit:g}")
    moved_work(a.scenario, a.time_limit)
    print(f"load average {load0[0]:.1f} → {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
