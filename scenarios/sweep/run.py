"""``peakdesk sweep``: run every point, keep each point's results folder, write the table.

The sweep folder::

    DIR/points/<point>/     one results folder per point (as ``peakdesk run`` writes it)
    DIR/scenarios/<point>.yaml   the point's resolved scenario (``peakdesk run`` it alone)
    DIR/sweep.csv, sweep.xlsx, sweep.html, sweep.json   the table, its plots, the points

Each point's folder is built whole and renamed into place (:class:`ResultsFolder`), so an
interrupted sweep leaves finished points and nothing half-written; ``--resume`` runs only
the points whose folder (named after the point's key) is missing. Locally the points run
one after another and their replications use the process pool; with a scheduler each
point is a task on the Dask cluster (its replications spread over the cluster too) and
the finished points are written here as they come back.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from scenarios.reading.errors import InputError
from scenarios.sweep.outcome import (  # noqa: F401  (names the sweep's users import from here)
    NEEDS,
    PointFailed,
    PointOutcome,
    _failure,
    read_summary,
    stage_list,
)
from scenarios.sweep.points import Point, build_points, grid, parse_vary, read_points
from scenarios.sweep.points import scenario_text as point_yaml
from scenarios.writing.output import write_atomic

OWN = ("points", "scenarios", "sweep.csv", "sweep.xlsx", "sweep.html", "sweep.json")


class SweepObserver(Protocol):
    """What a progress display hears (scenarios.sweep.terminal.SweepProgress); a sweep
    run without one is silent."""

    def started(self, total: int, reused: int) -> None:
        """Before the first point: points in all, and how many are reused (--resume)."""

    def point_done(self, outcome: PointOutcome, done: int, total: int) -> None:
        """A point finished (ok or failed): ``done`` of ``total``."""

    def replication_done(self) -> None:
        """One replication of a point's run finished (for the time-left estimate)."""


@dataclass(frozen=True)
class SweepOutcome:
    folder: Path
    outcomes: list[PointOutcome]
    keys: list[str]
    lang: str
    wall_s: float


def plan_points(scenario: str | Path, vary: Sequence[str], points_csv: str | None,
                options: dict[str, Any]) -> tuple[list[str], list[Point]]:
    """The varied keys and every point, checked before anything runs (exit 2 on a bad
    key or value)."""
    if points_csv and vary:
        raise InputError.single("--points", "give --vary (a grid) or --points (a list), "
                                            "not both")
    if points_csv:
        combos = read_points(points_csv)
    elif vary:
        combos = grid(parse_vary(vary, str(scenario)))
    else:
        raise InputError.single("--vary", "give at least one --vary KEY=V1,V2,... "
                                          "(or --points POINTS.csv)")
    keys = list(combos[0])
    return keys, build_points(scenario, combos, options)


def prepare_folder(out: Path, resume: bool, force: bool) -> None:
    """Refuse to mix with a folder that is not a sweep being resumed."""
    if out.exists() and not out.is_dir():
        raise InputError.single(str(out), "exists and is not a folder", field="--out")
    if out.exists() and any(out.iterdir()) and not resume:
        if not force:
            raise InputError.single(str(out), "the sweep folder exists; add --resume to "
                                              "continue it or --force to start again",
                                    field="--out")
        for name in OWN:
            p = out / name
            if p.is_dir():
                shutil.rmtree(p)
            elif p.exists():
                p.unlink()
    out.mkdir(parents=True, exist_ok=True)


def run_local(point: Point, scenario_file: Path, target: Path, lang: str | None, quick: bool,
              stages: list[Any] | None) -> dict[str, Any]:
    """One point as ``peakdesk run`` does it, in this process (its replications on the
    execution layer's executor)."""
    from scenarios.run.runner import run_scenario

    run_scenario(scenario_file, out=target, lang=lang, quick=quick,  # type: ignore[arg-type]
                 stages=stages, record=False,
                 command=["peakdesk", "run", str(scenario_file), "--out", str(target)]
                 + (["--quick"] if quick else []))
    return read_summary(target) or {}


def run_sweep(scenario: str | Path, out: str | Path, *, vary: Sequence[str] = (),
              points_csv: str | None = None, stages: Sequence[str] | None = None,
              quick: bool = False, lang: str | None = None, scheduler: str | None = None,
              resume: bool = False, force: bool = False, json_path: str | None = None,
              observer: SweepObserver | None = None) -> SweepOutcome:
    """Run the sweep (see the module docstring); every point is checked first."""
    from scenarios.execution import execution
    from scenarios.reading.load import load_scenario
    from scenarios.sweep.table import write_tables

    t0 = time.perf_counter()
    base = load_scenario(scenario)
    lang = lang or base.language
    stage_objs = stage_list(stages)
    options = {"quick": quick, "stages": [s.name for s in stage_objs] if stage_objs else None,
               "lang": lang}
    keys, points = plan_points(scenario, vary, points_csv, options)
    out = Path(out)
    prepare_folder(out, resume, force)
    obs = observer
    outcomes: dict[str, PointOutcome] = {}
    todo: list[Point] = []
    for p in points:
        folder = out / "points" / p.name
        write_atomic(out / "scenarios" / f"{p.name}.yaml", point_yaml(p, scenario))
        summary = read_summary(folder) if resume and folder.is_dir() else None
        if summary is not None:
            outcomes[p.key] = PointOutcome(p, "ok", folder, summary, reused=True)
        else:
            todo.append(p)
    if obs is not None:
        obs.started(len(points), len(points) - len(todo))

    def finished(o: PointOutcome) -> None:
        outcomes[o.point.key] = o
        done = len(outcomes)
        if obs is not None:
            obs.point_done(o, done, len(points))
        ordered = [outcomes[p.key] for p in points if p.key in outcomes]
        write_tables(out, keys, ordered, lang, json_path=None, final=False)

    with execution(scheduler, on_replication=obs.replication_done if obs else None) as client:
        if client is None:
            for p in todo:
                folder, t1 = out / "points" / p.name, time.perf_counter()
                try:
                    summary = run_local(p, out / "scenarios" / f"{p.name}.yaml", folder, lang,
                                        quick, stage_objs)
                    o = PointOutcome(p, "ok", folder, summary)
                except (InputError, Exception) as exc:  # noqa: BLE001 - the point failed
                    o = PointOutcome(p, "failed", folder, error=_failure(exc))
                o.seconds = time.perf_counter() - t1
                finished(o)
        else:
            from scenarios.sweep.remote import run_on_cluster

            run_on_cluster(client, todo, out, scenario, lang, quick, options["stages"],
                           finished)
    ordered = [outcomes[p.key] for p in points]
    write_tables(out, keys, ordered, lang, json_path=json_path, final=True)
    return SweepOutcome(out, ordered, keys, lang, time.perf_counter() - t0)
