"""The capacity plan's files: JSON (FORMATS §6 keys plus extras), CSV, and a PNG of the
headcount build-up against the requirement. Every file is written atomically."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np

from planning.capacity import CapacityReport, Variant
from scenarios.capacity.requirement import WeeklyRequirement
from scenarios.writing.output import write_atomic, write_csv, write_json

CSV_HEADER = ["week_start", "required_hours", "hires", "on_staff", "in_training",
              "past_training", "productive_hours", "overtime_hours", "outsourced_hours",
              "shortfall_hours", "paid_hours", "covered_hours", "overtime_cap_hours",
              "outsourcing_cap_hours", "wages", "hiring_cost", "overtime_cost",
              "outsourcing_cost", "shortfall_penalty", "cost"]


def week_records(rep: CapacityReport) -> list[dict[str, Any]]:
    """One dict per week: the contract's keys first, then the extras."""
    p, inp = rep.plan, rep.inputs
    c = p.cost_parts
    out = []
    for w in range(inp.weeks):
        out.append({
            "week_start": inp.label(w),
            "required_hours": float(p.required_hours[w]),
            "hires": int(p.hires[w]),
            "on_staff": float(p.on_staff[w]),
            "in_training": float(p.in_training[w]),
            "productive_hours": float(p.productive_hours[w]),
            "overtime_hours": float(p.overtime_hours[w]),
            "outsourced_hours": float(p.outsourced_hours[w]),
            "shortfall_hours": float(p.shortfall_hours[w]),
            "cost": float(p.cost[w]),
            "past_training": float(p.past_training[w]),
            "paid_hours": float(p.paid_hours[w]),
            "covered_hours": float(p.covered_hours[w]),
            "overtime_cap_hours": float(p.overtime_cap[w]),
            "outsourcing_cap_hours": float(p.outsourcing_cap[w]),
            "wages": float(c["wages"][w]),
            "hiring_cost": float(c["hiring"][w]),
            "overtime_cost": float(c["overtime"][w]),
            "outsourcing_cost": float(c["outsourcing"][w]),
            "shortfall_penalty": float(c["shortfall"][w]),
        })
    return out


def _variant(v: Variant | None) -> dict[str, Any] | None:
    if v is None:
        return None
    return {"label": v.label, "total_cost": v.total_cost, "extra_cost": v.extra_cost,
            "total_shortfall_hours": v.total_shortfall,
            "extra_shortfall_hours": v.extra_shortfall, "total_hires": v.total_hires}


def capacity_json(rep: CapacityReport, name: str, currency: str,
                  derived: WeeklyRequirement | None, sentences: list[str]) -> dict[str, Any]:
    """``{"weeks": [...], "total_cost", "total_hires"}`` and the planner's answers."""
    p, a, inp = rep.plan, rep.answers, rep.inputs

    def week(t: int | None) -> str | None:
        return None if t is None else inp.label(t)

    return {
        "weeks": week_records(rep),
        "total_cost": p.total_cost,
        "total_hires": p.total_hires,
        "scenario": name,
        "currency": currency,
        "status": p.status,
        "gap": p.gap,
        "total_shortfall_hours": p.total_shortfall,
        "cost_breakdown": {k: float(v.sum()) for k, v in p.cost_parts.items()
                           if k != "paid_hours"},
        "required_hours_source": "given" if derived is None else "derived",
        "baseline_day_hours": None if derived is None else derived.baseline_day_hours,
        "answers": {
            "peak_week_start": week(a.peak_week),
            "last_useful_hire_week_start": week(a.last_useful_hire_week),
            "first_hire_week_start": week(a.first_hire_week),
            "hire_one_week_later": _variant(a.hire_one_week_later),
            "attrition_plus_one_point": _variant(a.attrition_plus_one_point),
        },
        "shortfall": {
            "total_hours": a.shortfall.total_hours,
            "weeks": [{"week_start": inp.label(w.week), "required_hours": w.required_hours,
                       "missing_hours": w.missing_hours, "exhausted": list(w.exhausted),
                       "open": list(w.open)} for w in a.shortfall.weeks],
        },
        "sentences": sentences,
    }


def csv_rows(rep: CapacityReport) -> list[list[Any]]:
    return [[r[k] for k in CSV_HEADER] for r in week_records(rep)]



def headcount_series(rep: CapacityReport) -> dict[str, np.ndarray]:
    """The plot's series in agents. Stacked, in proficient-agent equivalents (productive
    hours ÷ a proficient agent's weekly productive hours): in-house regular time, overtime,
    vendor and shortfall — together the requirement. Lines: headcount on staff (trainees
    included) and past training."""
    p, inp = rep.plan, rep.inputs
    per_agent = inp.productive_hours_per_agent
    eta_x = inp.outsourcing.productivity if inp.outsourcing is not None else 0.0
    return {"in_house": p.productive_hours / per_agent,
            "overtime": inp.productive_share * p.overtime_hours / per_agent,
            "vendor": eta_x * p.outsourced_hours / per_agent,
            "shortfall": p.shortfall_hours / per_agent,
            "required": p.required_hours / per_agent,
            "on_staff": p.on_staff, "past_training": p.past_training}


STACK = (("in_house", "in-house (proficient equivalent)"), ("overtime", "overtime"),
         ("vendor", "vendor"), ("shortfall", "shortfall"))
LINES = (("on_staff", "on staff (trainees included)", "-"),
         ("past_training", "past training", "--"))


def plot_png(rep: CapacityReport, title: str) -> bytes:
    """Coverage by lever (stacked) against the requirement, with the headcount build-up."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    s = headcount_series(rep)
    w = rep.inputs.weeks
    x = np.arange(w + 1)
    fig = Figure(figsize=(11, 4.5))
    ax = fig.add_subplot()
    base = np.zeros(w)
    colours = {"in_house": "#1f5fa8", "overtime": "#7b5ea7", "vendor": "#d9822b",
               "shortfall": "#b8405e"}
    for key, label in STACK:
        top = base + s[key]
        ax.fill_between(x, np.append(base, base[-1]), np.append(top, top[-1]), step="post",
                        alpha=0.4, label=label, linewidth=0, color=colours[key])
        base = top
    ax.step(x, np.append(s["required"], s["required"][-1]), where="post", color="k", lw=1.4,
            label="required (proficient agents)")
    for key, label, ls in LINES:
        ax.step(x, np.append(s[key], s[key][-1]), where="post", color="#2e9d5b", lw=1.6,
                ls=ls, label=label)
    hires = rep.plan.hires
    for t in np.flatnonzero(hires):
        ax.annotate(f"+{hires[t]}", (t + 0.5, s["on_staff"][t]), ha="center", va="bottom",
                    fontsize=8, color="#2e9d5b")
    ax.set_xticks(np.arange(w) + 0.5, [rep.inputs.label(t)[5:] for t in range(w)],
                  rotation=45, fontsize=8)
    ax.set_xlim(0, w)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("week (Monday)")
    ax.set_ylabel("agents")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8, ncol=3)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    return buf.getvalue()


def write_capacity_files(rep: CapacityReport, doc: dict[str, Any], title: str,
                         json_path: str | Path | None, out_dir: str | Path | None
                         ) -> list[Path]:
    """``--json PATH`` and ``--out DIR`` (capacity.csv, capacity.json, capacity.png)."""
    written: list[Path] = []
    if json_path:
        write_json(json_path, doc)
        written.append(Path(json_path))
    if out_dir:
        out = Path(out_dir)
        write_csv(out / "capacity.csv", CSV_HEADER, csv_rows(rep))
        write_json(out / "capacity.json", doc)
        write_atomic(out / "capacity.png", plot_png(rep, title))
        written += [out / "capacity.csv", out / "capacity.json", out / "capacity.png"]
    return written
