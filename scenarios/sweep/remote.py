"""A sweep's points as tasks on a Dask cluster.

Each point runs on a worker as ``peakdesk run`` would (its replications sent back to the
cluster through ``worker_client``, so they spread over every worker) and returns its
results folder as file contents; this machine writes the folder atomically as each point
comes back. A worker that dies takes only the points it was running: the scheduler gives
them to another worker, and the points already written stay. Files the scenario refers
to (policies, plan CSVs) are read on the worker at the same absolute path: keep them on
a drive every machine sees, or install them at the same place.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from scenarios.sweep.points import Point, scenario_text


def run_point_task(text: str, name: str, lang: str, quick: bool,
                   stage_names: Sequence[str] | None) -> tuple[dict[str, bytes], float]:
    """On a worker: run the point's scenario in a temporary folder; its files by name and
    the seconds it took."""
    import tempfile

    from distributed import worker_client

    from scenarios.reading.errors import InputError
    from scenarios.run.runner import run_scenario
    from scenarios.sweep.outcome import PointFailed, stage_list
    from sim.execution import executing

    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="peakdesk-point-") as tmp:
        scen = Path(tmp) / f"{name}.yaml"
        scen.write_text(text, encoding="utf-8")
        target = Path(tmp) / "out"
        try:
            with worker_client() as client, executing(client.get_executor(pure=False)):
                run_scenario(scen, out=target, lang=lang, quick=quick,  # type: ignore[arg-type]
                             stages=stage_list(stage_names), record=False,
                             command=["peakdesk", "run", f"{name}.yaml"])
        except InputError as exc:  # its problems do not survive pickling: send the text
            raise PointFailed("; ".join(str(p) for p in exc.problems)) from None
        return ({str(p.relative_to(target)): p.read_bytes()
                 for p in sorted(target.rglob("*")) if p.is_file()},
                time.perf_counter() - t0)


def write_folder(target: Path, files: dict[str, bytes]) -> None:
    """Lay a point's files out as its results folder, whole or not at all."""
    from scenarios.run.results_folder import ResultsFolder
    from scenarios.writing.output import write_atomic

    with ResultsFolder(target, force=True) as folder:
        for rel, data in files.items():
            write_atomic(folder.path / rel, data)
        folder.commit()


def run_on_cluster(client: Any, todo: Sequence[Point], out: Path, base: str | Path,
                   lang: str, quick: bool, stage_names: Sequence[str] | None,
                   finished: Callable[[Any], None]) -> None:
    """Submit every point, write each as it finishes (in whatever order)."""
    from distributed import as_completed

    from scenarios.sweep.outcome import PointOutcome, _failure, read_summary

    futures = {client.submit(run_point_task, scenario_text(p, base), p.name, lang, quick,
                             list(stage_names) if stage_names else None, pure=False,
                             key=f"peakdesk-point-{p.key[:16]}-{time.time_ns()}"): p
               for p in todo}
    try:
        for fut in as_completed(futures):
            p = futures[fut]
            folder = out / "points" / p.name
            try:
                files, seconds = fut.result()
                write_folder(folder, files)
                o = PointOutcome(p, "ok", folder, read_summary(folder) or {}, seconds=seconds)
            except Exception as exc:  # noqa: BLE001 - the point failed on the cluster
                o = PointOutcome(p, "failed", folder, error=_failure(exc))
            finished(o)
    except BaseException:
        client.cancel(list(futures))
        raise
