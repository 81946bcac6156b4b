"""The capacity plan in words and table cells, in English or Chinese (one wording for
``peakdesk capacity`` and the run report's capacity section)."""

from __future__ import annotations

from planning.capacity import CapacityReport, ShortWeek
from scenarios.capacity.requirement import WeeklyRequirement
from scenarios.words.i18n import Lang, join, number, t

COLUMNS = ("week", "required", "on_staff", "in_training", "hires", "productive", "overtime",
           "outsourced", "shortfall", "cost")


def week_rows(rep: CapacityReport) -> list[list[str]]:
    """The weekly table's cells (numbers formatted)."""
    p, inp = rep.plan, rep.inputs
    rows = []
    for w in range(inp.weeks):
        rows.append([inp.label(w), f"{p.required_hours[w]:,.0f}", f"{p.on_staff[w]:,.1f}",
                     f"{p.in_training[w]:,.0f}", str(int(p.hires[w])),
                     f"{p.productive_hours[w]:,.0f}", f"{p.overtime_hours[w]:,.0f}",
                     f"{p.outsourced_hours[w]:,.0f}", f"{p.shortfall_hours[w]:,.0f}",
                     f"{p.cost[w]:,.0f}"])
    return rows


def header(lang: Lang) -> list[str]:
    return [t(f"capacity.col.{c}", lang) for c in COLUMNS]


def _money(x: float, currency: str, lang: Lang) -> str:
    return f"{number(x, lang)} {currency}"


def reasons(rep: CapacityReport, w: ShortWeek, currency: str, lang: Lang) -> str:
    """Why week ``w`` is short: the exhausted levers, and the open ones the penalty beats."""
    inp = rep.inputs
    parts = []
    for code in w.exhausted:
        params: dict[str, object] = {}
        if code == "hiring_lead_time":
            params["k"] = inp.hiring.weeks_to_productive
        elif code == "hiring_cap":
            params["cap"] = inp.hiring.max_per_week
        elif code == "headcount_cap":
            params["cap"] = f"{inp.max_headcount:,.0f}"
        elif code == "overtime_cap":
            params["share"] = f"{inp.overtime.max_share:.0%}"
        elif code == "outsourcing_notice":
            params["n"] = inp.outsourcing.notice_weeks
        parts.append(t(f"capacity.reason.{code}", lang, **params))
    if w.open:
        levers = join([t(f"capacity.lever.{k}", lang) for k in w.open], lang)
        parts.append(t("capacity.reason.open", lang, levers=levers,
                       penalty=_money(inp.shortfall_penalty_per_hour, currency, lang)))
    return ("；" if lang == "zh" else "; ").join(parts)


def sentences(rep: CapacityReport, currency: str, lang: Lang) -> list[str]:
    """The decision, the planner's answers and the shortfall, one sentence each."""
    p, a, inp = rep.plan, rep.answers, rep.inputs
    money = (lambda x: _money(x, currency, lang))  # noqa: E731
    out = []
    if p.total_hires > 0:
        out.append(t("capacity.decision_hires", lang, hires=p.total_hires,
                     classes=int((p.hires > 0).sum()), first=inp.label(a.first_hire_week),
                     weeks=inp.weeks, cost=money(p.total_cost)))
    else:
        out.append(t("capacity.decision_no_hires", lang, weeks=inp.weeks,
                     cost=money(p.total_cost)))
    peak = inp.label(a.peak_week)
    if a.last_useful_hire_week is not None:
        out.append(t("capacity.last_hire", lang, peak=peak,
                     last=inp.label(a.last_useful_hire_week)))
    elif inp.hiring is not None and inp.hiring.max_per_week > 0:
        out.append(t("capacity.last_hire_none", lang, peak=peak,
                     weeks=inp.hiring.weeks_to_productive))
    if a.hire_one_week_later is not None:
        out.append(t("capacity.delay", lang, week=inp.label(a.first_hire_week + 1)
                     if a.first_hire_week + 1 < inp.weeks else "—",
                     cost=money(a.hire_one_week_later.extra_cost)))
    att = min(inp.attrition + 0.01, 0.99)
    out.append(t("capacity.attrition", lang, attrition=f"{att:.1%}",
                 cost=money(a.attrition_plus_one_point.extra_cost)))
    if p.status == "time_limit":
        out.append(t("capacity.time_limit", lang, gap=f"{p.gap:.2%}"))
    sf = a.shortfall
    if not sf.weeks:
        out.append(t("capacity.met", lang))
    else:
        w = sf.worst
        out.append(t("capacity.short", lang, hours=number(sf.total_hours, lang), n=len(sf.weeks),
                     week=inp.label(w.week), missing=number(w.missing_hours, lang),
                     required=number(w.required_hours, lang),
                     reasons=reasons(rep, w, currency, lang)))
    return out


def short_week_lines(rep: CapacityReport, currency: str, lang: Lang) -> list[str]:
    """One line per short week (the terminal lists them all)."""
    inp = rep.inputs
    return [t("capacity.short_week", lang, week=inp.label(w.week),
              missing=number(w.missing_hours, lang), required=number(w.required_hours, lang),
              reasons=reasons(rep, w, currency, lang)) for w in rep.answers.shortfall.weeks]


def intro(rep: CapacityReport, derived: WeeklyRequirement | None, lang: Lang) -> str:
    inp = rep.inputs
    if derived is None:
        source = t("capacity.source_given", lang)
    else:
        source = t("capacity.source_derived", lang,
                   inside=number(float(derived.horizon_days.sum()), lang),
                   baseline=number(derived.baseline_day_hours, lang))
    return t("capacity.intro", lang, weeks=inp.weeks, start=inp.label(0),
             training=inp.hiring.training_weeks if inp.hiring else 0,
             attrition=f"{inp.attrition:.1%}", source=source)


def answer_rows(rep: CapacityReport, currency: str, lang: Lang) -> list[list[str]]:
    """The planner's questions and their short answers."""
    a, inp = rep.answers, rep.inputs
    none = t("capacity.none", lang)
    last = inp.label(a.last_useful_hire_week) if a.last_useful_hire_week is not None else none
    delay = (_money(a.hire_one_week_later.extra_cost, currency, lang)
             if a.hire_one_week_later is not None else none)
    return [[t("capacity.q.last_hire", lang), last],
            [t("capacity.q.delay", lang), delay],
            [t("capacity.q.attrition", lang),
             _money(a.attrition_plus_one_point.extra_cost, currency, lang)]]
