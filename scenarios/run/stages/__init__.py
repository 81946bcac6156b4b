"""The stages of ``peakdesk run``, in order. Plug a new stage in by adding it here.

demand → requirements → mix → simulation → policies → pay; each module holds one stage
(:class:`scenarios.run.stage.Stage`): what it needs, why it may be skipped, what it adds to
the results folder and the report.
"""

from __future__ import annotations

from scenarios.run.stage import Stage
from scenarios.run.stages.capacity import CapacityStage
from scenarios.run.stages.demand import DemandStage
from scenarios.run.stages.mix import MixStage
from scenarios.run.stages.pay import PayStage
from scenarios.run.stages.policies import PoliciesStage
from scenarios.run.stages.requirements import RequirementsStage
from scenarios.run.stages.simulation import SimulationStage


def default_stages() -> list[Stage]:
    """The pipeline of a full run: each stage may use the ones before it."""
    return [DemandStage(), RequirementsStage(), CapacityStage(), MixStage(), SimulationStage(),
            PoliciesStage(), PayStage()]
