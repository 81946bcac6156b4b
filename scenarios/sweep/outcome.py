"""What became of a sweep's point, and the pieces both the local and the cluster runner
use (the stages a point runs, its summary, a failure as text) — below both, so neither
imports the other."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scenarios.reading.errors import InputError
from scenarios.sweep.points import Point

# the stages each stage needs (scenarios/run/stages: what its skip_reason checks)
NEEDS = {"requirements": ("demand",), "capacity": (), "mix": ("requirements",),
         "simulation": ("demand",), "policies": ("simulation",), "pay": ("simulation",)}

@dataclass
class PointOutcome:
    """What became of one point."""

    point: Point
    status: str  # "ok" | "failed"
    folder: Path
    summary: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    reused: bool = False
    seconds: float = 0.0

    @property
    def headlines(self) -> dict[str, Any]:
        return dict(self.summary.get("headlines") or {})


def stage_list(names: Sequence[str] | None) -> list[Any] | None:
    """The run's stages named in ``--stages`` and the ones they need (:data:`NEEDS`), in
    pipeline order."""
    from scenarios.run.stages import default_stages

    if not names:
        return None
    every = default_stages()
    known = [s.name for s in every]
    wanted = {n.strip() for name in names for n in name.split(",") if n.strip()}
    unknown = sorted(wanted - set(known))
    if unknown:
        raise InputError.single("--stages", f"unknown stage {', '.join(unknown)}; the stages "
                                            f"are: {', '.join(known)}")
    wanted.add("demand")
    grown = True
    while grown:
        need = {n for w in wanted for n in NEEDS.get(w, ())}
        grown = not need <= wanted
        wanted |= need
    return [s for s in every if s.name in wanted]


def read_summary(folder: Path) -> dict[str, Any] | None:
    import json

    try:
        return json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


class PointFailed(Exception):
    """A point's run refused its inputs (sent back from a worker as plain text)."""


def _failure(exc: BaseException) -> str:
    if isinstance(exc, PointFailed):
        return str(exc)
    if isinstance(exc, InputError):
        return "; ".join(str(p) for p in exc.problems)
    return f"{type(exc).__name__}: {exc}"
