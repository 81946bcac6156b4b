"""Wording of the capacity plan, English and Chinese (merged into the run's catalogue,
scenarios.words.i18n.MESSAGES; ``peakdesk capacity`` prints the same sentences)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "stage.capacity": {"en": "Capacity plan (the weeks before the peak)",
                       "zh": "备战产能计划（大促前各周）"},
    "capacity.no_section": {
        "en": "the scenario sets no capacity plan (hiring and training in the weeks before)",
        "zh": "场景未设置产能计划（峰值前数周的招聘与培训）"},
    "capacity.failed": {"en": "no capacity plan: {error}", "zh": "未能得到产能计划：{error}"},
    "capacity.intro": {
        "en": "A weekly plan over {weeks} weeks from {start}: hiring classes train for "
              "{training} week(s), then ramp up; {attrition} of the agents past training leave "
              "each week. The requirement is {source}.",
        "zh": "自 {start} 起 {weeks} 周的周度计划：新人班培训 {training} 周后逐步上量；每周"
              "有 {attrition} 的结业坐席流失。需求{source}。"},
    "capacity.source_given": {"en": "given in the scenario file", "zh": "由场景文件给出"},
    "capacity.source_derived": {
        "en": "derived from the demand and service targets ({inside} days inside the "
              "scenario's horizon; every other day an ordinary day of {baseline} productive "
              "hours)",
        "zh": "由需求与服务目标推算（{inside} 天在场景时段内；其余每天按平常日 {baseline} "
              "个有效工时计）"},
    "capacity.decision_hires": {
        "en": "Capacity: hire {hires} agents in {classes} classes, the first in the week of "
              "{first}; the {weeks} weeks cost {cost}.",
        "zh": "产能：分 {classes} 批招聘 {hires} 人，第一批在 {first} 那周；{weeks} 周总成本 "
              "{cost}。"},
    "capacity.decision_no_hires": {
        "en": "Capacity: no hiring needed; the {weeks} weeks cost {cost}.",
        "zh": "产能：无需招聘；{weeks} 周总成本 {cost}。"},
    "capacity.last_hire": {
        "en": "The last class that can still help the peak (week of {peak}) starts in the "
              "week of {last}.",
        "zh": "还能赶上高峰周（{peak}）的最后一批新人须在 {last} 那周开班。"},
    "capacity.last_hire_none": {
        "en": "No class can be productive by the peak (week of {peak}): training and ramp "
              "take {weeks} week(s).",
        "zh": "任何新人班都赶不上高峰周（{peak}）：培训与上量需要 {weeks} 周。"},
    "capacity.delay": {
        "en": "Starting hiring one week later (no class before the week of {week}) costs "
              "{cost} more.",
        "zh": "招聘推迟一周（{week} 之前不开班）将多花 {cost}。"},
    "capacity.attrition": {
        "en": "One more point of weekly attrition ({attrition}) would cost {cost} more.",
        "zh": "每周流失率再高 1 个百分点（{attrition}）将多花 {cost}。"},
    "capacity.time_limit": {
        "en": "HiGHS stopped at its time limit: the plan is within {gap} of the optimum "
              "(raise capacity.solver.time_limit_s).",
        "zh": "HiGHS 达到时间上限：该计划与最优解的差距在 {gap} 以内（可调高 "
              "capacity.solver.time_limit_s）。"},
    "capacity.met": {"en": "The requirement is covered in every week.",
                     "zh": "每周需求均已覆盖。"},
    "capacity.short": {
        "en": "{hours} required hours are not covered in {n} week(s); worst: the week of "
              "{week}, {missing} of {required} hours missing — {reasons}.",
        "zh": "有 {n} 周共 {hours} 个需求工时未覆盖；最严重的是 {week} 那周，{required} 个工时"
              "缺 {missing} 个——{reasons}。"},
    "capacity.short_week": {
        "en": "Week of {week}: {missing} of {required} hours missing — {reasons}.",
        "zh": "{week} 那周：{required} 个工时缺 {missing} 个——{reasons}。"},
    "capacity.reason.no_hiring": {"en": "no hiring allowed", "zh": "不允许招聘"},
    "capacity.reason.hiring_lead_time": {
        "en": "too late to hire (a class hired in week 0 is productive from week {k})",
        "zh": "招聘已来不及（第 0 周开班也要到第 {k} 周才能产出）"},
    "capacity.reason.hiring_cap": {
        "en": "hiring at its cap of {cap} a week in every week that can still help",
        "zh": "所有还来得及的周都已按上限每周 {cap} 人招聘"},
    "capacity.reason.headcount_cap": {"en": "the headcount cap of {cap} stops more hires",
                                      "zh": "编制上限 {cap} 人，无法再招"},
    "capacity.reason.no_overtime": {"en": "no overtime allowed", "zh": "不允许加班"},
    "capacity.reason.overtime_cap": {
        "en": "overtime at its cap ({share} of paid hours)",
        "zh": "加班已到上限（带薪工时的 {share}）"},
    "capacity.reason.no_outsourcing": {"en": "no outsourcing", "zh": "没有外包"},
    "capacity.reason.outsourcing_notice": {
        "en": "the vendor needs {n} week(s) of notice",
        "zh": "外包需提前 {n} 周通知"},
    "capacity.reason.outsourcing_cap": {"en": "outsourcing at its cap",
                                        "zh": "外包已到上限"},
    "capacity.reason.open": {
        "en": "the shortfall penalty ({penalty} an hour) is cheaper than more {levers}",
        "zh": "缺口惩罚（每小时 {penalty}）比增加{levers}更便宜"},
    "capacity.lever.hiring": {"en": "hiring", "zh": "招聘"},
    "capacity.lever.overtime": {"en": "overtime", "zh": "加班"},
    "capacity.lever.outsourcing": {"en": "outsourcing", "zh": "外包"},
    "capacity.headline_cost": {"en": "capacity plan cost (weeks before the peak)",
                               "zh": "备战产能计划成本"},
    "capacity.headline_hires": {"en": "hires before the peak", "zh": "大促前招聘人数"},
    "capacity.table": {"en": "The plan week by week", "zh": "逐周计划"},
    "capacity.table_answers": {"en": "What-ifs a planner asks", "zh": "规划常见问题"},
    "capacity.col.week": {"en": "week of", "zh": "周（周一）"},
    "capacity.col.required": {"en": "required h", "zh": "需求工时"},
    "capacity.col.on_staff": {"en": "on staff", "zh": "在职"},
    "capacity.col.in_training": {"en": "in training", "zh": "培训中"},
    "capacity.col.hires": {"en": "hires", "zh": "招聘"},
    "capacity.col.productive": {"en": "productive h", "zh": "有效工时"},
    "capacity.col.overtime": {"en": "overtime h", "zh": "加班工时"},
    "capacity.col.outsourced": {"en": "outsourced h", "zh": "外包工时"},
    "capacity.col.shortfall": {"en": "shortfall h", "zh": "缺口工时"},
    "capacity.col.cost": {"en": "cost", "zh": "成本"},
    "capacity.col.question": {"en": "question", "zh": "问题"},
    "capacity.col.answer": {"en": "answer", "zh": "回答"},
    "capacity.q.last_hire": {"en": "last week a class can still help the peak",
                             "zh": "还能赶上高峰的最后开班周"},
    "capacity.q.delay": {"en": "extra cost of starting hiring a week later",
                         "zh": "招聘推迟一周的额外成本"},
    "capacity.q.attrition": {"en": "extra cost of +1 point weekly attrition",
                             "zh": "周流失率 +1 个百分点的额外成本"},
    "capacity.none": {"en": "none", "zh": "无"},
    "capacity.figure": {"en": "Headcount build-up against the requirement (agents)",
                        "zh": "人员储备与需求对比（人）"},
    "capacity.series.required": {"en": "required (proficient agents)",
                                 "zh": "需求（熟练坐席当量）"},
    "capacity.series.in_house": {"en": "in-house (proficient equivalent)",
                                 "zh": "自有（熟练当量）"},
    "capacity.series.overtime": {"en": "overtime", "zh": "加班"},
    "capacity.series.vendor": {"en": "vendor", "zh": "外包"},
    "capacity.series.shortfall": {"en": "shortfall", "zh": "缺口"},
    "capacity.series.on_staff": {"en": "on staff (trainees included)", "zh": "在职（含培训）"},
    "capacity.series.past_training": {"en": "past training", "zh": "已结业"},
    "capacity.assumption": {
        "en": "Capacity plan: a weekly MILP over hiring classes (training, ramp-up, geometric "
              "attrition of expected survivors; average learning and turnover as in Gans & "
              "Zhou 2002), overtime and vendor hours; it plans hours per week, not intervals "
              "(the sourcing mix plans the peak's intervals).",
        "zh": "产能计划：以周为单位的混合整数规划，决策为新人班（培训、上量、按期望存活人数几何流失；"
              "平均学习与流失，参见 Gans & Zhou 2002）、加班与外包工时；按周工时规划，不涉及时段"
              "（大促期间各时段由人力组合方案规划）。"},
}
