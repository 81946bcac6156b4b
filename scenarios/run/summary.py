"""The decision summary and ``summary.json``: built from whatever stages ran.

``summary.json`` holds every number the report shows and nothing that changes between
two runs of the same inputs (no times, no paths), so a rerun reproduces it byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scenarios.run.stage import Headline, RunContext, StageResult


@dataclass(frozen=True)
class Decision:
    """The report's first section: at most eight lines (scenarios.run.decision); each
    stage's own sentences are its findings, shown in its section."""

    sentences: list[str]
    headlines: list[Headline]
    stage_lines: list[str]  # one per stage: computed, or skipped and why
    warnings: list[str]
    assumptions: list[str]
    basis: dict[str, Any] = field(default_factory=dict)  # the numbers behind the lines


def decision(ctx: RunContext, results: list[StageResult]) -> Decision:
    """The decision lines, and the stages' key numbers, warnings and assumptions in
    pipeline order."""
    from scenarios.run.decision import decision_lines

    headlines, lines, warns, assumptions = [], [], [], []
    sentences, basis = decision_lines(ctx, results)
    for r in results:
        if r.status == "ok":
            headlines += r.headlines
            lines.append(ctx.t("report.stage_ran", title=r.title))
            warns += [f"{r.title}: {w}" for w in r.warnings]
            assumptions += [a for a in r.assumptions if a not in assumptions]
        else:
            lines.append(ctx.t("report.stage_skipped", title=r.title, reason=r.reason))
    headlines = plan_first(headlines)
    if not sentences:  # no plan, simulation or policy to decide on: the stages' findings
        sentences = [d for r in results if r.status == "ok" for d in r.decisions][:8]
    if not any(r.status == "ok" for r in results):
        sentences.append(ctx.t("report.nothing_ran"))
    return Decision(sentences, headlines, lines, warns, assumptions, basis)


#: with a mix plan, its key figures lead (cash first), then how it serves in simulation;
#: the other stages' (demand, today's roster, policies, pay) follow in pipeline order
LEAD = ("mix.cash_cost", "mix.expected_cost", "mix.", "simulation.")


def plan_first(headlines: list[Headline]) -> list[Headline]:
    """The headlines with the plan's first (see LEAD); unchanged without a plan."""
    if not any(h.key.startswith("mix.") for h in headlines):
        return headlines

    def rank(h: Headline) -> int:
        return next((i for i, p in enumerate(LEAD) if h.key.startswith(p)), len(LEAD))
    return sorted(headlines, key=rank)  # stable: pipeline order within a rank


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
            entry["figures"] = [g.name for f in r.figures for g in (f, f.peak) if g]
            entry["tables"] = [t.name for t in r.tables]
            entry["warnings"] = r.warnings
            entry["findings"] = r.decisions
        stages[r.name] = entry
    return {
        "scenario": {"name": ctx.scenario.name, "sha256": scenario_sha256},
        "language": ctx.lang,
        "quick": ctx.quick,
        "seed": ctx.seed,
        "decision": dec.sentences,
        "decision_basis": dec.basis,
        "plan_check": _plan_check(results),
        "headlines": {h.key: h.value for h in dec.headlines},
        "stages": stages,
        "warnings": dec.warnings,
    }
