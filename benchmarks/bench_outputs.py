"""What the flagship run spends outside its stages: the workbook, the CSV files, the
figures, the start-up imports — each against the code it replaced, in the same run.

The flagship's tables and its step charts' inputs are captured from one run of its stages
(about 1.5 min on a quiet 2-core machine) and kept in a pickle (``--cache``), so a rerun
times the writers alone. Then, in this one process:

- results.xlsx: openpyxl's writer (the code before) against XlsxWriter all at once and
  sheet by sheet with rows streamed to files (what the run does in its helper thread); the
  XlsxWriter workbook is read back with openpyxl and compared cell by cell to the
  openpyxl one (``--no-check`` skips it: reading 540,000 cells takes a while);
- the CSV text of every table;
- every step chart drawn again from its inputs (checked equal to the SVG the run made);
- fresh interpreters importing what ``peakdesk run`` imports before its first stage.

CPU seconds are the figure to compare on a shared machine (the load average is printed).
Run: ``python benchmarks/bench_outputs.py [--cache PATH] [--no-check]``.
"""

from __future__ import annotations

import argparse
import io
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FLAGSHIP = ROOT / "scenarios" / "examples" / "double11.yaml"


def capture(path: Path | None) -> dict:
    """The flagship's tables and step-chart calls (read from ``path`` if it exists)."""
    if path is not None and path.exists():
        return pickle.loads(path.read_bytes())
    import scenarios.run.figures as figures
    import scenarios.run.plots as plots
    import scenarios.run.stages.capacity as capacity
    from scenarios.reading.load import load_scenario
    from scenarios.run.pipeline import run_stages
    from scenarios.run.stage import RunContext
    from scenarios.run.stages import default_stages

    calls: list = []
    draw = plots.step_chart

    def recorded(*args, **kwargs):
        svg = draw(*args, **kwargs)
        calls.append((args, kwargs, svg))
        return svg

    figures.step_chart = capacity.step_chart = recorded
    sc = load_scenario(FLAGSHIP)
    ctx = RunContext(sc, FLAGSHIP, sc.language, quick=False, seed=sc.simulation.seed)
    results = run_stages(default_stages(), ctx)
    figures.step_chart = capacity.step_chart = draw
    snap = {"tables": [t for r in results for t in r.tables], "calls": calls}
    if path is not None:
        path.write_bytes(pickle.dumps(snap))
    return snap


def timed(fn, *args):
    c, w = time.process_time(), time.perf_counter()
    out = fn(*args)
    return out, time.process_time() - c, time.perf_counter() - w


def same_workbook(new: bytes, old: bytes) -> int:
    """Cells compared (value, type, bold, number format); raises on the first difference."""
    from openpyxl import load_workbook

    a, b = load_workbook(io.BytesIO(new)), load_workbook(io.BytesIO(old))
    assert a.sheetnames == b.sheetnames
    n = 0
    for name in b.sheetnames:
        assert a[name].freeze_panes == b[name].freeze_panes
        for ra, rb in zip(a[name].iter_rows(), b[name].iter_rows(), strict=True):
            for ca, cb in zip(ra, rb, strict=True):
                assert (ca.value, ca.font.b, ca.number_format) == \
                    (cb.value, cb.font.b, cb.number_format), (name, ca.coordinate)
                n += 1
    return n


def imports(code: str, repeat: int = 3) -> tuple[float, float]:
    """Fewest (CPU s, wall s) of a fresh interpreter running ``code``."""
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        w = time.perf_counter()
        before = os.times()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        after = os.times()
        cpu = (after.children_user - before.children_user
               + after.children_system - before.children_system)
        best = min(best, (cpu, time.perf_counter() - w))
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, default=Path("/tmp/peakdesk_bench_outputs.pkl"))
    ap.add_argument("--no-check", action="store_true")
    args = ap.parse_args()
    snap = capture(args.cache)
    tables = snap["tables"]
    cells = sum(len(r) for t in tables for r in t.rows)
    print(f"load average {os.getloadavg()[0]:.1f}; {len(tables)} tables, "
          f"{sum(len(t.rows) for t in tables):,} rows, {cells:,} cells")

    from scenarios.run.workbook import (
        BackgroundWorkbook,
        openpyxl_workbook_bytes,
        workbook_bytes,
    )
    from scenarios.writing.output import csv_text

    old, c_old, w_old = timed(openpyxl_workbook_bytes, tables)
    new, c_new, w_new = timed(workbook_bytes, tables)

    def streamed() -> bytes:
        book = BackgroundWorkbook()
        book.add(tables)
        return book.result()

    bg, c_bg, w_bg = timed(streamed)
    print(f"results.xlsx  openpyxl {c_old:6.2f} CPU s ({w_old:.2f} wall) | XlsxWriter "
          f"{c_new:6.2f} CPU s ({w_new:.2f} wall) = {c_old / c_new:.1f}x | streamed "
          f"{c_bg:6.2f} CPU s ({w_bg:.2f} wall)")
    # what the run waits for at its end: the last stage's sheets (pay: the agents' tables)
    # and the packing; the earlier stages' sheets were written while later stages ran
    import tempfile

    from scenarios.run.workbook import WorkbookBuilder

    last = [i for i, t in enumerate(tables) if t.name == "agents"][0]
    with tempfile.TemporaryDirectory() as tmp:
        book = WorkbookBuilder(tmp)
        _, c_early, _ = timed(lambda: [book.add(t) for t in tables[:last]])
        _, c_tail, w_tail = timed(lambda: ([book.add(t) for t in tables[last:]], book.close()))
    tail_cells = sum(len(r) for t in tables[last:] for r in t.rows)
    print(f"  streamed: earlier stages' sheets {c_early:.2f} CPU s (written while later "
          f"stages run); the pay stage's {len(tables) - last} sheets ({tail_cells:,} cells) "
          f"and packing {c_tail:.2f} CPU s ({w_tail:.2f} wall): the run's wait at its end")
    if not args.no_check:
        n = same_workbook(new, old)
        same_workbook(bg, old)
        print(f"  read back with openpyxl: {n:,} cells equal (value, bold, number format)")
    _, c_csv, w_csv = timed(lambda: [csv_text(t.columns, t.rows) for t in tables])
    print(f"CSV text      {c_csv:6.2f} CPU s ({w_csv:.2f} wall)")

    from scenarios.run.plots import step_chart

    c0, w0 = time.process_time(), time.perf_counter()
    for a, k, svg in snap["calls"]:
        assert step_chart(*a, **k) == svg, a[0]
    print(f"step charts   {time.process_time() - c0:6.2f} CPU s "
          f"({time.perf_counter() - w0:.2f} wall) for {len(snap['calls'])} charts, "
          "each the same SVG as in the run")

    for label, code in (("import cli", "import cli"),
                        ("+ runner, stages", "import cli, scenarios.run.runner, "
                         "scenarios.run.terminal, scenarios.execution")):
        c, w = imports(code)
        print(f"{label:<14}{c:6.2f} CPU s ({w:.2f} wall), fresh interpreter, best of 3")


if __name__ == "__main__":
    main()
