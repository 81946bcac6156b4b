"""``peakdesk capacity SCENARIO``: load, adapt, plan, answer, write — one call."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from planning.capacity import CapacityReport, capacity_report
from scenarios.adapters.to_capacity import capacity_inputs, capacity_solver_options
from scenarios.capacity.output import capacity_json, write_capacity_files
from scenarios.capacity.requirement import WeeklyRequirement
from scenarios.capacity.text import header, sentences, short_week_lines, week_rows
from scenarios.reading.errors import InputError
from scenarios.reading.load import load_scenario
from scenarios.reading.yamlio import position, read_yaml
from scenarios.schema import Scenario


@dataclass(frozen=True)
class CapacityRun:
    """What the command prints: the scenario, the plan and answers, the files written."""

    scenario: Scenario
    report: CapacityReport
    derived: WeeklyRequirement | None  # how required_hours was derived (None: given)
    sentences: list[str]
    doc: dict[str, Any]
    written: list[Path]


def run_capacity(path: str | Path, json_path: str | Path | None = None,
                 out_dir: str | Path | None = None) -> CapacityRun:
    """Plan the scenario's ``capacity:`` section and write the requested files (raises
    InputError for a bad file, planning.solver.PlanError when HiGHS finds no plan)."""
    sc = load_scenario(path)
    if sc.capacity is None:
        line, col = position(read_yaml(path), ())
        raise InputError.single(str(path), "the scenario has no capacity: section (the weeks "
                                           "before the peak; see docs/capacity.md)",
                                field="capacity", line=line, col=col)
    inp, derived = capacity_inputs(sc)
    rep = capacity_report(inp, capacity_solver_options(sc))
    said = sentences(rep, sc.currency, "en")
    doc = capacity_json(rep, sc.name, sc.currency, derived, said)
    written = write_capacity_files(rep, doc, f"{sc.name}: headcount build-up vs requirement",
                                   json_path, out_dir)
    return CapacityRun(sc, rep, derived, said, doc, written)


def print_capacity(con: Console, run: Any) -> None:
    """The weekly table, the planner's answers, short weeks and the files written."""
    rep, sc = run.report, run.scenario
    t = Table(title=f"{sc.name}: capacity plan ({rep.plan.status}, {sc.currency})",
              box=box.SIMPLE_HEAD, padding=(0, 1))
    for i, h in enumerate(header("en")):
        t.add_column(h, justify="left" if i == 0 else "right", no_wrap=True, min_width=len(h))
    for row in week_rows(rep):
        t.add_row(*row)
    if not con.is_terminal:
        con.width = max(con.width, 112)  # ten columns: wider than 80 when piped
    con.print(t)
    for s in run.sentences:
        con.print(s)
    lines = short_week_lines(rep, sc.currency, "en")
    if len(lines) > 1:
        for line in lines:
            con.print(f"  {line}")
    con.print(f"build {rep.build_s:.2f} s, HiGHS {rep.solve_s:.2f} s (plan and what-ifs)")
    for f in run.written:
        con.print(f"wrote {f}")
