"""Messages of the decision summary, the roster and the report frame (English, Chinese).

Merged into ``scenarios.words.i18n.MESSAGES``; the catalogue test checks both languages and
their placeholders like every other message.
"""

from __future__ import annotations

REPORT_MESSAGES: dict[str, dict[str, str]] = {
    # ---- report frame
    "report.findings": {"en": "Findings", "zh": "要点"},
    "figure.peak_title": {"en": "Peak day {day}", "zh": "峰值日 {day}"},
    # ---- glossary: the terms of the field the report needs, one line each
    "report.glossary": {"en": "Words used in this report", "zh": "本报告用语"},
    "glossary.service_level": {
        "en": "Service level: the share of contacts answered within the target wait; "
              "\"voice 80/20\" means 80% of calls answered within 20 seconds.",
        "zh": "服务水平：在目标等待时间内接起的联系占比；“语音 80/20”指 80% 的来电在 20 秒内接起。"},
    "glossary.abandonment": {
        "en": "Abandonment: the share of contacts whose customer hangs up or leaves before "
              "an agent answers.",
        "zh": "放弃率：客户在坐席接起前挂断或离开的联系占比。"},
    "glossary.occupancy": {
        "en": "Occupancy: the share of agents' time on duty spent handling contacts.",
        "zh": "占用率：坐席在岗时间中用于处理联系的占比。"},
    "glossary.asa": {
        "en": "ASA (average speed of answer): the mean wait of answered contacts; AHT "
              "(average handle time): talk plus after-contact work.",
        "zh": "平均应答时间：已接起联系的平均等待时长；平均处理时长：通话加话后处理时间。"},
    "glossary.fcr": {
        "en": "First-contact resolution: the share of contacts resolved without the "
              "customer coming back; an unresolved one returns as a repeat contact.",
        "zh": "一次解决率：无需客户再次联系即解决的联系占比；未解决的会作为重复联系再次进线。"},
    "glossary.shrinkage": {
        "en": "Shrinkage: the share of paid time an agent is not available for contacts "
              "(breaks, training, meetings); agents scheduled = agents needed ÷ (1 − "
              "shrinkage).",
        "zh": "缩减率：计薪时间中坐席不能处理联系的占比（休息、培训、会议）；排班人数 = 所需人数 ÷（1 − 缩减率）。"},
    "glossary.scenario": {
        "en": "Demand scenario: one possible level of demand with its likelihood; the plan "
              "is made and judged over all of them.",
        "zh": "需求情景：一种可能的需求水平及其可能性；方案针对全部情景制定和评估。"},
    "glossary.agent_hour": {
        "en": "Agent-hour: one agent for one hour; a seat-hour is the same for a vendor's "
              "seat.",
        "zh": "人时：一名坐席工作一小时；座席小时指外包一个座席一小时。"},
    "glossary.charges": {
        "en": "Cash is money paid. The quality charge and the shortfall penalty are prices "
              "the plan puts on lower quality and on service missed; they are not paid.",
        "zh": "现金为实际支付的金额。质量折算费用和缺口惩罚是方案对质量下降和服务缺口所设的价格，并不实际支付。"},
    # ---- decision summary
    "decision.subject_mix": {"en": "The mix plan", "zh": "人力组合方案"},
    "decision.subject_pools": {"en": "Today's roster", "zh": "现有排班"},
    "decision.verdict_meets": {
        "en": "{subject} meets every target on every {period} in {held} of {n} {units} "
              "simulated, {share} of them by likelihood where {asked} is required.",
        "zh": "{subject}在仿真的 {n} {units}中有 {held} 个每{period}"
              "达成全部目标，按可能性计占 {share}，要求 {asked}。"},
    "decision.verdict_misses": {
        "en": "{subject} does NOT meet the targets: every target is met on every {period} "
              "in only {held} of {n} {units} simulated, {share} of them by likelihood "
              "where {asked} is required; missed: {targets}.",
        "zh": "{subject}未达成目标：仿真的 {n} {units}中仅 {held} 个每{period}"
              "达成全部目标，按可能性计占 {share}，要求 {asked}；未达标：{targets}"
              "。"},
    "decision.target": {"en": "{target} (met in {met} of {n}; worst {worst})",
                        "zh": "{target}（{n} 个中 {met} 个达标；最差 {worst}）"},
    "decision.fix_unsized": {
        "en": "What would meet them was not sized in this run (the plan's simulation check "
              "does that){where}{value}.",
        "zh": "本次测算未计算达标所需的调整（由方案的仿真校验给出）{where}{value}。"},
    "decision.fix_where": {
        "en": "; the shortfall: {channel} below target in {k} of {n} intervals, worst "
              "{sl} at {when}",
        "zh": "；缺口：{channel}在 {n} 个时段中有 {k} 个低于目标，最低 {sl}（{when}）"},
    "decision.fix_value": {
        "en": "; one more in-house agent would save {value} in the plan's own terms",
        "zh": "；按方案本身的测算，多一名自有坐席可节省 {value}"},
    "decision.mix": {
        "en": "Mix: {cash} cash for the {horizon}; with the quality charge {quality} and the "
              "shortfall penalty {penalty}, which are not paid, the expected cost is {cost}. "
              "{gap}Single-source plans: {baselines}.",
        "zh": "人力组合：{horizon}现金成本 {cash}；加上并不实际支付的质量折算费用 {quality} 和缺口惩罚 "
              "{penalty}，期望总成本 {cost}。{gap}单一来源方案：{baselines}。"},
    "decision.gap": {"en": "Its largest gap: {when}, {cov} of the {req} agents needed ({short} "
                           "short, {pct}). ",
                     "zh": "最大缺口：{when}，需要 {req} 名、覆盖 {cov} 名（缺 {short} 名，{pct}）。"},
    "decision.baseline": {"en": "{plan} {cash} cash / {cost} total",
                          "zh": "{plan} 现金 {cash} / 合计 {cost}"},
    "decision.roster": {
        "en": "Roster: {shifts} in-house agent-shifts ({starts} shift starts){peak}; "
              "{hires} hires on top of {headcount} employed; {blocks} outsourced blocks "
              "({seat_hours} seat-hours); a reserve of {reserve} trained agents{train}.",
        "zh": "排班：自有坐席 {shifts} 人次班（{starts} 个班次起点）{peak}；在现有 {headcount} "
              "人基础上招聘 {hires} 人；外包 {blocks} 个时段块（{seat_hours} 座席小时）；储备 "
              "{reserve} 名已培训人员{train}。"},
    "decision.reserve_train": {"en": " (sign them and start their training by {by}; "
                                     "{blocks} call-out blocks in the booking sheet)",
                               "zh": "（最晚 {by} 签约并开始培训；预订表中共 {blocks} 个调用时段块）"},
    "decision.roster_peak": {"en": ", most on {day} ({n})",
                             "zh": "，最多在 {day}（{n} 人次班）"},
    "decision.per_contact": {
        "en": "{answered}; {resolved} per extra contact resolved at first contact",
        "zh": "{answered}；每多一次一次解决 {resolved}"},
    "decision.detail": {
        "en": "service level {service}; abandonment {abandon}; contacts resolved at first "
              "contact {res_from} → {res_to} ({res_diff}; rate {fcr_from} → {fcr_to}), "
              "complaints {complaints}; {cost}",
        "zh": "服务水平 {service}；放弃率 {abandon}；一次解决的联系 {res_from}"
              " → {res_to}（{res_diff}；一次解决率 {fcr_from} → {fcr_to}"
              "），投诉 {complaints}；{cost}"},
    "decision.recommend": {
        "en": "Pay policy: {policy} — {detail}; its pay costs {extra} more than flat pay "
              "over the {horizon}.",
        "zh": "薪酬方案：建议 {policy}——{detail}；{horizon}内薪酬比固定工资多 {extra}。"},
    "decision.alternatives": {"en": "Against flat pay: {others}.",
                              "zh": "与固定工资相比：{others}。"},
    "decision.alternative": {"en": "{policy} — {text}", "zh": "{policy}——{text}"},
    "decision.sep": {"en": " | ", "zh": " | "},
    "decision.no_more_resolved": {
        "en": "{answered}; no cost per contact resolved at first contact: it resolves "
              "none extra",
        "zh": "{answered}；一次解决的联系没有增加，无从计算每多一次解决的成本"},
    "decision.repeats": {"en": " ({n} repeat contacts it causes taken off)",
                         "zh": "（已扣除其造成的 {n} 个重复联系）"},
    "decision.per_answered_net": {"en": "{answered} per extra contact answered{repeats}",
                                  "zh": "每多接听一个联系 {answered}{repeats}"},
    "decision.no_net_answered": {"en": "no extra contact answered{repeats}",
                                 "zh": "没有多接听联系{repeats}"},
    "decision.abandon_part": {"en": "{channel} {ab} ({dab}){note}",
                              "zh": "{channel} {ab}（{dab}）{note}"},
    "decision.abandon_over": {"en": ", at or above the {cap} cap", "zh": "，达到或超过 {cap} 上限"},
    "decision.abandon_missed": {"en": ", under the {cap} cap on average, but the cap is "
                                      "missed on some days",
                                "zh": "，平均低于 {cap} 上限，但部分日子未达到该上限"},
    "decision.keep_flat": {
        "en": "Pay policy: keep flat pay — no policy resolves significantly more contacts "
              "at first contact than flat pay (rule: the lowest cost per extra contact "
              "resolved at first contact).",
        "zh": "薪酬方案：保持固定工资——没有方案能比固定工资显著增加一次解决的联系（规则：每多一次解决成本最低者）。"},
    "decision.risks": {"en": "Risks: {risks}.", "zh": "风险：{risks}。"},
    "decision.risk_sep": {"en": "; ", "zh": "；"},
    "decision.risk_scenario": {
        "en": "in the largest demand scenario drawn ({name}, volume × {multiplier} in "
              "every interval, probability {p}): {channels}",
        "zh": "在抽到的最大需求情景（{name}，所有时段话务量 × {multiplier}，概率 "
              "{p}）中：{channels}"},
    "decision.risk_channel": {"en": "{verdicts}", "zh": "{verdicts}"},
    "decision.risk_equilibrium": {
        "en": "the agents' response to {policies} did not settle (no equilibrium)",
        "zh": "坐席对 {policies} 的反应未收敛（无均衡）"},
    "decision.risk_gap": {"en": "the mix solver stopped within {gap} of the optimum",
                          "zh": "组合方案求解在距最优 {gap} 内停止"},
    "decision.risk_quick": {
        "en": "a quick run (fewer simulations: wider margins of error)",
        "zh": "快速运行（仿真次数较少，误差范围更大）"},
    # ---- roster
    "roster.title": {"en": "Roster by day", "zh": "每日排班"},
    "roster.col.date": {"en": "date", "zh": "日期"},
    "roster.col.agent_shifts": {"en": "in-house agent-shifts", "zh": "自有人次班"},
    "roster.col.shifts": {"en": "shift starts (pattern: start ×agents)",
                          "zh": "班次起点（班型：起点 ×人数）"},
    "roster.col.blocks": {"en": "outsourced blocks (time ×seats)",
                          "zh": "外包时段块（时间 ×座席）"},
    "roster.next_day": {"en": "{clock} next day", "zh": "次日 {clock}"},
    "pay.cost.title": {"en": "In-house cost: the plan and each policy",
                       "zh": "自有坐席成本：方案与各政策"},
    "pay.cost.plan": {"en": "the plan (wage {wage} an hour)", "zh": "方案（时薪 {wage}）"},
    "pay.cost.col.who": {"en": "pay by", "zh": "薪酬来自"},
    "pay.cost.col.pay": {"en": "in-house pay over the horizon", "zh": "期间自有坐席薪酬"},
    "pay.cost.col.on_costs": {"en": "on-costs", "zh": "附加成本"},
    "pay.cost.col.in_house": {"en": "in-house cost", "zh": "自有坐席成本"},
    "pay.cost.col.hiring": {"en": "hiring", "zh": "招聘"},
    "pay.cost.col.mix": {"en": "expected cost of the mix", "zh": "组合方案期望成本"},
    "pay.cost.note": {
        "en": "One definition: in-house cost = on-costs ({o} {cur} a paid hour: social "
              "insurance, seat, supervision, training) × {hours} paid hours + pay + hiring. The "
              "mix charges {c} {cur} per paid hour, i.e. a wage of {w} {cur} an hour; "
              "under a policy the pay is what it pays the rostered people (their period pay pro "
              "rata to their hours on duty, and base pay for contracted hours not rostered), so "
              "a policy that pays more costs the mix more.",
        "zh": "统一口径：自有坐席成本 = 附加成本（每计薪小时 {o} {cur}：社保、座席、管理、培训）× {hours} "
              "计薪小时 + 薪酬 + 招聘费用。组合方案按每计薪小时 {c} {cur} 计成本，即时薪 {w} {cur}；在某一"
              "政策下，薪酬为该政策支付给排班人员的金额（按在岗工时折算的周期薪酬，未排班的合同工时按底薪），"
              "因此薪酬更高的政策使组合方案成本更高。"},
    "roster.people_title": {"en": "Roster by person", "zh": "个人排班"},
    "roster.people_note": {
        "en": "Each employee's shift start per date (— day off), days worked, night shifts "
              "(covering any time 00:00–05:00) and paid hours. {people} people; rules: at "
              "least {rest} h rest between shifts, at most {days} days and {nights} nights in a "
              "row, at most {hours} paid hours on any 7 consecutive dates; rules broken: "
              "{broken}. Every shift, with its break, is in roster.csv.",
        "zh": "每位员工每日的上班时间（— 为休息）、出勤天数、夜班数（覆盖 00:00–05:00 任一时段）与计薪"
              "工时。共 {people} 人；规则：两班之间至少休息 {rest} 小时，连续上班最多 {days} 天、连续夜班"
              "最多 {nights} 天，任意连续 7 天计薪工时最多 {hours} 小时；违反规则：{broken} 处。每个班次"
              "（含休息）见 roster.csv。"},
    "roster.col.employee": {"en": "employee", "zh": "员工"},
    "roster.col.days": {"en": "days", "zh": "天数"},
    "roster.col.nights": {"en": "nights", "zh": "夜班"},
    "roster.col.paid_hours": {"en": "paid h", "zh": "计薪小时"},
    "roster.unfilled": {
        "en": "{n} places of the plan's shifts on {dates} cannot be filled: too few employees "
              "are available then (leave, hire dates) — the simulated coverage is lower than "
              "planned.",
        "zh": "{dates} 方案班次中有 {n} 个岗位无法排人：当时可上班的员工不足（休假、入职日期）——仿真中的在岗人数低于方案。"},
    "roster.rule_broken": {
        "en": "The roster breaks the rule {rule} for {n} people ({who}) on {dates}: the "
              "headcount cannot staff the plan's shifts otherwise.",
        "zh": "排班在 {dates} 违反规则 {rule}，涉及 {n} 人（{who}）：现有人数无法以其他方式排满方案的班次。"},
    "roster.headline": {"en": "in-house agent-shifts", "zh": "自有坐席人次班"},
    "roster.facts": {"en": "The plan in numbers", "zh": "方案要点"},
    "roster.col.fact": {"en": "item", "zh": "项目"},
    "roster.col.value": {"en": "value", "zh": "数值"},
    "roster.fact.agent_shifts": {"en": "in-house shifts", "zh": "自有坐席班次"},
    "roster.fact.agent_shifts_value": {
        "en": "{n} agent-shifts on {starts} shift starts, {hours} paid hours",
        "zh": "{starts} 个班次起点共 {n} 人次班，计薪 {hours} 小时"},
    "roster.fact.hires": {"en": "hires", "zh": "招聘"},
    "roster.fact.hires_value": {"en": "{hires} on top of {headcount} employed",
                                "zh": "在现有 {headcount} 人基础上招聘 {hires} 人"},
    "roster.fact.outsourced": {"en": "outsourced contract", "zh": "外包合同"},
    "roster.fact.reserve": {"en": "reserve", "zh": "储备"},
    "roster.fact.value_in_house_agent": {
        "en": "value of one more in-house agent (expected cost saved, with the quality and "
              "shortfall charges)",
        "zh": "多一名自有坐席的价值（节省的期望总成本，含质量与缺口折算费用）"},
    "roster.fact.value_reserve_agent": {
        "en": "value of one more reserve agent (net of its cost; with the quality and "
              "shortfall charges)",
        "zh": "多一名储备人员的价值（扣除其成本；含质量与缺口折算费用）"},
    "roster.fact.vss": {
        "en": "value of planning for several demand scenarios",
        "zh": "按多个需求情景规划的价值"},
    "roster.fact.vss_value": {
        "en": "{vss}: a plan for the mean demand alone would cost {mean_cost} in expectation",
        "zh": "{vss}：只按平均需求做的方案期望成本为 {mean_cost}"},
}
