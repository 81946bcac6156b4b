"""Pay stage: every policy listed under the scenario's ``policies:`` pays the simulated
agents (``rules.pay``) on the per-agent KPI table scaled to the policy's pay period, over
the same agents and replications it is judged on (scenarios.run.pay_ledger: one
computation feeds every pay and cost figure of the run).

When a ``policies`` stage ran before this one (:class:`PolicyResponses`), each policy pays
its final replications of that comparison, at the agents' response to it, and the flat
pay it was compared with is paid the same way; otherwise every replication of the
simulation stage pays, at natural behaviour (the pool's levers). See docs/report.md.
"""

from __future__ import annotations

from typing import Any, Protocol

from scenarios.reading.load import policy_path
from scenarios.run.pay_table import period_table
from scenarios.run.stage import RunContext, StageResult
from scenarios.run.stages.simulation import Simulated


class PolicyRun(Protocol):
    """One policy of a behaviour comparison: its final replications (``runs``: the
    ``ReplicationOutput`` of each, ``agents_horizon`` at the agents' response)."""

    runs: tuple[Any, ...]


class PolicyResponses(Protocol):
    """The hook for a behaviour comparison stage named ``policies`` (its ``data``): per
    policy name (the policy file's ``policy:``) its runs, ``focus_pools`` (the pools the
    flat pay it was compared with pays). Policies it leaves out are paid on the
    simulation stage's replications at natural behaviour."""

    policies: dict[str, PolicyRun]
    focus_pools: tuple[str, ...]


def policies_skip_reason(ctx: RunContext) -> str | None:
    """Why a stage about the scenario's policies can't run: none listed, or nothing
    simulated to pay (shared by the policies and pay stages)."""
    if not ctx.scenario.policies:
        return ctx.t("pay.no_policies")
    if ctx.ran("simulation") is None:
        return ctx.t("pay.no_simulation")
    return None


class PayStage:
    """Pay per agent under each of the scenario's incentive policies (docs/rules.md), over
    the same agents and replications the policy is judged on (scenarios.run.pay_ledger)."""

    name = "pay"

    def title(self, ctx: RunContext) -> str:
        return ctx.t("stage.pay")

    def skip_reason(self, ctx: RunContext) -> str | None:
        return policies_skip_reason(ctx)

    def run(self, ctx: RunContext) -> StageResult:
        from scenarios.run.pay_ledger import light
        from scenarios.run.pay_view import pay_section

        sc = ctx.scenario
        sim: Simulated = ctx.results["simulation"].data
        natural = light(sim.result.outputs)
        res = StageResult(self.name, self.title(ctx))
        ledger = pay_ledger(ctx, sim.model, natural, res)
        pay_section(ctx, ledger, natural, sim.model, sc.horizon.start, res)
        return res


def pay_ledger(ctx: RunContext, model: Any, natural: list[Any], res: StageResult
               ) -> dict[str, Any]:
    """Every policy of the scenario (and the behaviour comparison's flat pay) paid on its
    replications: ``{name: PolicyPay}``, plus lint findings as warnings."""
    from rules.lint import lint
    from scenarios.reading.policy_file import load_policy_located
    from scenarios.reading.yamlio import position
    from scenarios.run.pay_ledger import pay_flat, pay_runs
    from sim.compare import BASELINE

    sc = ctx.scenario
    start = sc.horizon.start
    comparison = ctx.ran("policies")
    c = comparison.data if comparison is not None else None
    columns = period_table(natural[0], model, start, "month").columns  # same every period
    ledger: dict[str, Any] = {}
    files: dict[str, str] = {}
    for rel in sc.policies:
        path = policy_path(ctx.scenario_path, rel)
        compiled, root = load_policy_located(path, columns)
        pol = compiled.policy
        runs = list(getattr(c.policies.get(pol.policy), "runs", ()) or ()) if c else []
        behaviour = "response" if runs else "natural"
        paid = pay_runs(compiled, pol.policy, pol.currency, behaviour, runs or natural, model,
                        start, list(pol.applies_to) if pol.applies_to else None)
        if paid.tables:
            for f in lint(compiled, paid.tables[0].arrays):
                line, col = position(root, f.loc)
                where = f"{rel}:{line}:{col}" if line is not None else rel
                res.warnings.append(ctx.t("pay.lint", where=where,
                                          field=".".join(map(str, f.loc)), message=f.message))
        ledger[pol.policy] = paid
        files[pol.policy] = rel
    if c is not None and BASELINE in c.policies and ledger:
        info = ctx.results["policies"].summary
        first = next(iter(ledger.values()))
        ledger[BASELINE] = pay_flat(BASELINE, info.get("baseline_pay", 3000.0),
                                    info.get("baseline_period", "month"), first.currency,
                                    list(c.policies[BASELINE].runs), model, start,
                                    list(c.focus_pools))
    for name, paid in ledger.items():
        paid.file = files.get(name)  # type: ignore[attr-defined]
    return ledger
