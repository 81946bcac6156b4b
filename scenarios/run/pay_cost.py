"""One in-house cost per person, in the mix and under every policy (docs/roster.md).

``employment.cost_per_paid_hour`` c is what one paid hour of an employee costs the
company: the wage w plus the on-costs o (social insurance and housing fund, seat, IT,
supervision, training), o = ``employment.on_costs_per_paid_hour`` (0 when not given:
c is then all pay). Over the horizon, with H the in-house paid hours the mix charges
(salaried: every employee's contracted hours, hires from their first day):

    in-house cost = o·H + pay + hiring costs

In the mix the pay is w·H (so c·H in all, the mix's in-house cost); under a policy it is
what the policy pays the rostered people, Σ_person period pay × hours on duty / period
hours (scenarios.run.pay_ledger), plus, salaried, the policy's base pay for contracted
hours nobody was rostered for (H − hours on duty). So the mix's expected cost under a
policy is the plan's cost − w·H + that pay: a policy that pays more costs the mix more, by
exactly the extra pay.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scenarios.run.pay_ledger import PAY_COLUMNS, PolicyPay
from scenarios.run.pay_table import PERIOD_HOURS
from scenarios.words.i18n import number
from scenarios.words.labels import policy_label


def in_house_cost(on_costs_per_hour: float, paid_hours: float, pay: float,
                  hiring: float = 0.0) -> float:
    """The one definition: on-costs of the paid hours, the pay, the hiring costs."""
    return on_costs_per_hour * paid_hours + pay + hiring


def policy_in_house_pay(paid: PolicyPay, contracted_hours: float | None) -> float:
    """What the policy pays the in-house people over the horizon (mean over replications);
    ``contracted_hours`` (salaried): hours on duty short of them are paid at base pay."""
    col = {k: PAY_COLUMNS.index(k) for k in ("pool", "horizon_pay", "hours_on_duty",
                                            "base_pay")}
    mine = [r for r in paid.rows if r[col["pool"]] == "in_house"]
    n = max(len({r[1] for r in paid.rows}), 1)
    total = sum(r[col["horizon_pay"]] for r in mine) / n
    if contracted_hours is not None and mine:
        duty = sum(r[col["hours_on_duty"]] for r in mine) / n
        base = float(np.mean([r[col["base_pay"]] for r in mine]))
        total += base * max(contracted_hours - duty, 0.0) / PERIOD_HOURS[paid.period]
    return total


def cost_view(ctx: Any, ledger: dict[str, PolicyPay]) -> dict[str, Any] | None:
    """The plan's in-house cost and each policy's, from the one definition; None without
    a mix plan that employs in-house people."""
    mix = ctx.ran("mix")
    sc = ctx.scenario
    emp = sc.pools["in_house"].employment if "in_house" in sc.pools else None
    if mix is None or emp is None or getattr(mix.data, "comparison", None) is None:
        return None
    plan = mix.data.comparison.plan
    c, o = emp.cost_per_paid_hour, emp.on_costs_per_paid_hour or 0.0
    charged = plan.cost.by_pool.get("in_house")
    if charged is None or c <= 0:
        return None
    hiring = emp.hire_cost * plan.hires
    hours = (charged - hiring) / c
    wage = c - o
    plan_cost = in_house_cost(o, hours, wage * hours, hiring)
    out = {"cost_per_paid_hour": c, "on_costs_per_paid_hour": o, "wage_per_paid_hour": wage,
           "paid_hours": hours, "hiring": hiring,
           "plan": {"pay": wage * hours, "in_house_cost": plan_cost,
                    "mix_cost": float(plan.objective)},
           "policies": {}}
    for name, paid in ledger.items():
        if not paid.rows or not any(r[3] == "in_house" for r in paid.rows):
            continue
        pay = policy_in_house_pay(paid, hours if emp.pay == "salaried" else None)
        cost = in_house_cost(o, hours, pay, hiring)
        out["policies"][name] = {"pay": pay, "in_house_cost": cost,
                                 "mix_cost": float(plan.objective) - plan_cost + cost}
    return out


def cost_table(ctx: Any, view: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Report rows: the plan's assumption, then each policy."""
    lang, cur = ctx.lang, ctx.scenario.currency

    def money(x: float) -> str:
        return f"{number(x, lang, 0)} {cur}"

    o, h = view["on_costs_per_paid_hour"], view["paid_hours"]
    rows = [[ctx.t("pay.cost.plan", wage=number(view["wage_per_paid_hour"], lang, 2)),
             money(view["plan"]["pay"]), money(o * h), money(view["hiring"]),
             money(view["plan"]["in_house_cost"]),
             money(view["plan"]["mix_cost"])]]
    for name, v in view["policies"].items():
        rows.append([policy_label(name, lang), money(v["pay"]), money(o * h),
                     money(view["hiring"]), money(v["in_house_cost"]), money(v["mix_cost"])])
    header = [ctx.t(f"pay.cost.col.{k}") for k in ("who", "pay", "on_costs", "hiring",
                                                   "in_house", "mix")]
    return header, rows
