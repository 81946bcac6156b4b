"""The decision summary and ``summary.json``: built from whatever stages ran.

``summary.json`` holds every number the report shows and nothing that changes between
two runs of the same inputs (no times, no paths), so a rerun reproduces it byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scenarios.run.stage import Headline, RunContext, StageResult


@dataclass(frozen=True)
class Decision:
    """The report's first section."""

    sentences: list[str]
    headlines: list[Headline]
    stage_lines: list[str]  # one per stage: computed, or skipped and why
    warnings: list[str]
    assumptions: list[str]


def decision(ctx: RunContext, results: list[StageResult]) -> Decision:
    """Collect the stages' decision sentences and key numbers, in pipeline order."""
    sentences, headlines, lines, warns, assumptions = [], [], [], [], []
    lead = [s for r in results if r.status == "ok" for s in r.lead]
    for r in results:
        if r.status == "ok":
            sentences += r.decisions
            headlines += r.headlines
            lines.append(ctx.t("report.stage_ran", title=r.title))
            warns += [f"{r.title}: {w}" for w in r.warnings]
            assumptions += [a for a in r.assumptions if a not in assumptions]
        else:
            lines.append(ctx.t("report.stage_skipped", title=r.title, reason=r.reason))
    if not any(r.status == "ok" for r in results):
        sentences.append(ctx.t("report.nothing_ran"))
    return Decision(lead + sentences, headlines, lines, warns, assumptions)


def _plan_check(results: list[StageResult]) -> dict[str, Any] | None:
    """Whether the mix plan meets the targets in simulation (None without a checked mix)."""
    mix = next((r for r in results if r.name == "mix" and r.status == "ok"), None)
    val = mix.summary.get("validation") if mix is not None else None
    if not val:
        return None
    keys = ("holds", "share_held", "share_asked", "scenarios_held", "scenarios",
            "targets_over", "stopped", "remedy")
    return {"verdict": mix.lead[0] if mix.lead else "", **{k: val[k] for k in keys}}


def summary_json(ctx: RunContext, scenario_sha256: str, results: list[StageResult],
                 dec: Decision) -> dict[str, Any]:
    """Every figure in the report, machine-readable and reproducible."""
    stages: dict[str, Any] = {}
    for r in results:
        entry: dict[str, Any] = {"status": r.status, "title": r.title}
        if r.status == "skipped":
            entry["reason"] = r.reason
        else:
            entry["summary"] = r.summary
            entry["figures"] = [f.name for f in r.figures]
            entry["tables"] = [t.name for t in r.tables]
            entry["warnings"] = r.warnings
        stages[r.name] = entry
    return {
        "scenario": {"name": ctx.scenario.name, "sha256": scenario_sha256},
        "language": ctx.lang,
        "quick": ctx.quick,
        "seed": ctx.seed,
        "decision": dec.sentences,
        "plan_check": _plan_check(results),
        "headlines": {h.key: h.value for h in dec.headlines},
        "stages": stages,
        "warnings": dec.warnings,
    }
