"""Run stages in order: skip those without inputs (saying why), time the others."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Protocol

from scenarios.run.stage import RunContext, Stage, StageResult


class Observer(Protocol):
    """Progress callbacks (the terminal display implements them; tests may record them)."""

    def stage_started(self, index: int, total: int, name: str, title: str) -> None: ...

    def stage_finished(self, index: int, total: int, result: StageResult) -> None: ...


def run_stages(stages: Sequence[Stage], ctx: RunContext,
               observer: Observer | None = None) -> list[StageResult]:
    """Run each stage that has its inputs; every stage yields a result (ok or skipped).

    Results are stored in ``ctx.results`` as they come, so later stages see earlier ones.
    """
    names = [s.name for s in stages]
    if len(set(names)) != len(names):
        raise ValueError(f"stage names must be unique: {names}")
    out: list[StageResult] = []
    for i, stage in enumerate(stages):
        title = stage.title(ctx)
        if observer:
            observer.stage_started(i, len(stages), stage.name, title)
        reason = stage.skip_reason(ctx)
        if reason is not None:
            result = StageResult(stage.name, title, status="skipped", reason=reason)
        else:
            t0 = time.perf_counter()
            result = stage.run(ctx)
            result.seconds = time.perf_counter() - t0
            if result.name != stage.name:
                raise ValueError(f"stage {stage.name!r} returned a result named {result.name!r}")
        ctx.results[stage.name] = result
        out.append(result)
        if observer:
            observer.stage_finished(i, len(stages), result)
    return out
