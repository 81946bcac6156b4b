"""The stages of ``peakdesk run``, in order. Plug a new stage in by adding it here.

demand → requirements → mix → simulation → policies → pay; each module holds one stage
(:class:`scenarios.run.stage.Stage`): what it needs, why it may be skipped, what it adds to
the results folder and the report.

Each stage's module is imported when the run reaches the stage (:class:`_Later`), not
before the first one: the mix stage's modules bring Pyomo (~0.85 CPU s), which the demand
and requirements stages do not need.
"""

from __future__ import annotations

import importlib
from typing import Any

from scenarios.run.stage import RunContext, Stage, StageResult

#: (name, module, class) of each stage, in order
_STAGES = (("demand", "demand", "DemandStage"),
           ("requirements", "requirements", "RequirementsStage"),
           ("capacity", "capacity", "CapacityStage"),
           ("mix", "mix", "MixStage"),
           ("simulation", "simulation", "SimulationStage"),
           ("policies", "policies", "PoliciesStage"),
           ("pay", "pay", "PayStage"))


class _Later:
    """A stage whose module is imported when it is first asked for its title."""

    def __init__(self, name: str, module: str, cls: str) -> None:
        self.name, self._where, self._stage = name, (module, cls), None

    @property
    def stage(self) -> Any:
        if self._stage is None:
            module, cls = self._where
            self._stage = getattr(importlib.import_module(f"{__name__}.{module}"), cls)()
            assert self._stage.name == self.name
        return self._stage

    def title(self, ctx: RunContext) -> str:
        return self.stage.title(ctx)

    def skip_reason(self, ctx: RunContext) -> str | None:
        return self.stage.skip_reason(ctx)

    def run(self, ctx: RunContext) -> StageResult:
        return self.stage.run(ctx)

    def __getattr__(self, attr: str) -> Any:  # anything else a stage offers
        if attr.startswith("_"):
            raise AttributeError(attr)
        return getattr(self.stage, attr)


def default_stages() -> list[Stage]:
    """The pipeline of a full run: each stage may use the ones before it."""
    return [_Later(*s) for s in _STAGES]  # type: ignore[misc]


def __getattr__(name: str) -> Any:
    """``from scenarios.run.stages import MixStage`` and the like still work."""
    for _, module, cls in _STAGES:
        if name == cls:
            return getattr(importlib.import_module(f"{__name__}.{module}"), cls)
    raise AttributeError(name)
