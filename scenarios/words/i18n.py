"""Message catalogue of the run report and the terminal, in English and Chinese.

``t(key, lang, **params)`` formats one message; every label and sentence of the report
goes through it, so a missing translation is a test failure (tests check both languages
have the same keys and placeholders). Names of KPIs, pools and channels come from
``scenarios.words.labels``.
"""

from __future__ import annotations

import string
from datetime import datetime
from typing import Any, Literal

from scenarios.words.labels import LABELS
from scenarios.words.messages_booking import MESSAGES as BOOKING_MESSAGES
from scenarios.words.messages_bot import MESSAGES as BOT_MESSAGES
from scenarios.words.messages_capacity import MESSAGES as CAPACITY_MESSAGES
from scenarios.words.messages_report import REPORT_MESSAGES

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")

MESSAGES: dict[str, dict[str, str]] = {
    # ---- report frame
    "stage.mix": {"en": "Sourcing mix", "zh": "人力组合方案"},
    "mix.no_terms": {
        "en": "no pool has prices to plan with (employment terms, a vendor contract, "
              "on-call terms or temp hire)",
        "zh": "没有人力池给出可用于规划的价格（雇佣条款、外包合同、待命条款或临时工条款）"},
    "mix.no_requirements": {"en": "requirements were not computed",
                            "zh": "未计算人力需求"},
    "mix.failed": {"en": "no mix plan: {error}", "zh": "未能得到人力组合方案：{error}"},
    "mix.headline_cost": {"en": "expected cost of the mix (cash + quality and shortfall "
                                "charges)",
                          "zh": "组合方案期望总成本（现金 + 质量与缺口折算费用）"},
    "mix.headline_cash": {"en": "cash cost of the mix", "zh": "组合方案现金成本"},
    "mix.col.cash": {"en": "cash", "zh": "现金"},
    "mix.headline_gap": {"en": "the plan's largest gap: agents short / needed",
                         "zh": "方案最大缺口：缺少 / 需要人数"},
    "mix.gap": {
        "en": "The plan's largest gap is at {when}: it needs {req} agents and covers {cov} "
              "({short} short, {pct}; expected over the demand scenarios, agents counted at "
              "in-house speed); in {scenario}, {s_req} needed against {s_cov}, with {pools}"
              "{limit}.",
        "zh": "方案最大缺口在 {when}：需要 {req} 名坐席，覆盖 {cov} 名（缺 {short} 名，{pct}；"
              "为各需求情景的期望值，按自有坐席效率折算）；在 {scenario} 中需要 {s_req} 名、"
              "覆盖 {s_cov} 名，其中 {pools}{limit}。"},
    "mix.gap_pool": {"en": "{pool} {n} of {limit}", "zh": "{pool} {n} 人（上限 {limit}）"},
    "mix.gap_all_limits": {"en": " — every pool at its limit",
                           "zh": "——所有人力池均已用满"},
    "mix.col.quality": {"en": "quality charge", "zh": "质量折算费用"},
    "mix.col.penalty": {"en": "shortfall penalty", "zh": "缺口惩罚"},
    "mix.col.total": {"en": "total (expected cost)", "zh": "合计（期望成本）"},
    "mix.cost.shortfall": {"en": "agent-hours not covered", "zh": "未覆盖的人时"},
    "mix.cost.total": {"en": "total", "zh": "合计"},
    "mix.cost.note": {
        "en": "Cash is money paid: wages and hiring, vendor seats, the reserve's retainer, "
              "training and call-outs, surge seats and temps; call-outs, surge seats and temps "
              "are expected amounts over the demand scenarios. Signed before the peak "
              "(shifts, vendor blocks, the reserve): {signed} cash; decided on the day: "
              "{day} cash, expected. The quality charge ({rates} {cur} per agent-hour) and "
              "the shortfall penalty ({penalty} {cur} per agent-hour not covered) are not "
              "paid: they are the prices the plan puts on complaints and repeat contacts and "
              "on service missed.",
        "zh": "现金为实际支付的金额：工资与招聘、外包座席、储备的保留费、培训费与调用费、临时外包和临时工；"
              "调用、临时外包和临时工为各需求情景的期望金额。峰值前签约（排班、外包时段块、储备）："
              "现金 {signed}；当天决定：现金 {day}（期望）。质量折算费用（每人时 {rates} {cur}）和"
              "缺口惩罚（每未覆盖人时 {penalty} {cur}）并不实际支付：它们是方案对投诉与重复来电、"
              "以及服务缺口所设的价格。"},
    "mix.decision_against": {
        "en": "Against {baseline}: the mix costs {cash} in cash and {total} in total (with "
              "the quality and shortfall charges); {baseline} leaves {hours} agent-hours "
              "uncovered in expectation.",
        "zh": "与{baseline}相比：组合方案现金成本{cash}，总成本（含质量与缺口折算费用）{total}；"
              "{baseline}期望有 {hours} 人时未覆盖。"},
    "mix.diff.less": {"en": "{amount} less", "zh": "少 {amount}"},
    "mix.diff.more": {"en": "{amount} more", "zh": "多 {amount}"},
    "mix.diff.same": {"en": "the same", "zh": "相同"},
    "mix.baselines_note": {
        "en": "Each plan made with the same prices and demand scenarios from one source "
              "alone (or without the reserve). Cash is money paid; the total adds the quality "
              "charge and the shortfall penalty, which are not paid.",
        "zh": "在相同价格与需求情景下只用单一来源（或不用储备）做出的方案。现金为实际支付金额；"
              "合计另加质量折算费用和缺口惩罚，二者并不实际支付。"},
    "mix.headline_reserve": {"en": "reserve pool (trained agents)",
                             "zh": "储备池（已培训人数）"},
    "mix.decision": {"en": "Mix: in-house up to {in_house} on queue ({shifts} shift starts), "
                           "up to {outsourced} contracted outsourced seats ({blocks} blocks), "
                           "a reserve of {reserve} trained agents; expected cost {cost}; the "
                           "requirement is covered in full in {met} of {n} demand scenarios.",
                     "zh": "组合方案：自有坐席最多 {in_house} 人在线（{shifts} 个班次起点），外包"
                           "签约坐席最多 {outsourced} 个（{blocks} 个时段块），储备 {reserve} 名"
                           "已培训人员；期望成本 {cost}；{n} 个需求情景中有 {met} 个完全满足需求。"},
    "mix.this_plan": {"en": "mix (this plan)", "zh": "组合方案（本方案）"},
    "mix.no_plan": {"en": "no plan", "zh": "无可行方案"},
    "mix.baseline.in_house_only": {"en": "in-house only", "zh": "仅自有坐席"},
    "mix.baseline.outsourced_only": {"en": "outsourced only", "zh": "仅外包"},
    "mix.baseline.no_reserve": {"en": "no reserve", "zh": "无储备"},
    "mix.table_baselines": {"en": "The mix against single-source plans",
                            "zh": "组合方案与单一来源方案对比"},
    "mix.table_cost": {"en": "Cost breakdown of the mix", "zh": "组合方案成本构成"},
    "mix.col.plan": {"en": "plan", "zh": "方案"},
    "mix.col.cost": {"en": "expected cost", "zh": "期望成本"},
    "mix.col.shortfall": {"en": "expected shortfall, agent-hours", "zh": "期望缺口（人·小时）"},
    "mix.col.item": {"en": "item", "zh": "项目"},
    "mix.time_limit": {"en": "the mix solver stopped at its time limit; the plan is within "
                             "{gap} of the optimum",
                       "zh": "组合方案求解达到时间上限；方案与最优解差距在 {gap} 以内"},
    "mix.quick": {
        "en": "A quick run: each plan is solved for at most {limit} s and may cost up to "
              "{gap} more than the best plan.",
        "zh": "快速运行：每个方案最多求解 {limit} 秒，成本可能比最优方案高至多 {gap}。"},
    "mix.intro": {
        "en": "The plan is made for {n} demand scenarios at once: shifts, vendor blocks "
              "and the reserve's size are signed before the peak; reserve call-outs, surge "
              "seats and temps are decided on the day, for the demand that shows up.",
        "zh": "方案同时针对 {n} 个需求情景制定：排班、外包时段块和储备规模在峰值前签定；储备调用、"
              "临时外包和临时工在当天按实际出现的需求决定。"},
    "mix.figure": {
        "en": "Requirement (band over demand scenarios) and staffed agents by pool "
              "(call-outs, surge seats and temps at their expected level)",
        "zh": "需求（需求情景区间）与各人力池排班人数（储备调用、临时外包和临时工取期望值）"},
    "mix.series.requirement": {"en": "requirement", "zh": "需求"},
    "mix.ylabel": {
        "en": "agents, counted at in-house speed",
        "zh": "坐席数（按自有坐席效率折算）"},
    "mix.series.in_house": {"en": "in-house", "zh": "自有"},
    "mix.series.outsourced": {"en": "outsourced", "zh": "外包"},
    "mix.series.reserve": {"en": "reserve", "zh": "储备"},
    "mix.series.temps": {"en": "temps", "zh": "临时工"},
    "mix.assumption_model": {"en": "Sourcing mix: two-stage stochastic MILP (Robbins & "
                                   "Harrison; Gurvich, Luedtke & Tezcan), solved by HiGHS; "
                                   "pool productivity and show-up as in docs/planning.md.",
                             "zh": "人力组合：两阶段随机混合整数规划（Robbins & Harrison；"
                                   "Gurvich、Luedtke & Tezcan），由 HiGHS 求解；各池效率与"
                                   "到岗率见 docs/planning.md。"},
    "mix.assumption_sim": {
        "en": "The simulation runs the plan's shifts, vendor blocks and reserve with each "
              "demand scenario's own call-outs, surge seats and temps (decided from the "
              "contacts seen by each notice time), as scheduled agents (shrinkage applied).",
        "zh": "仿真使用方案的排班、外包时段块和储备，加上各需求情景自己的储备调用、临时外包和临时工（按"
              "各自通知时点前已观察到的进线量决定），按排班人数计（扣除缩减率）。"},
    "mix.verdict_holds": {
        "en": "The plan meets every target in simulation in {held} of {n} demand "
              "scenarios, {share} of them by likelihood where {asked} is required (targets "
              "per {period}).",
        "zh": "方案在仿真中于 {n} 个需求情景中的 {held} 个达成全部目标，按可能性计占 {share}"
              "，要求 {asked}（按{period}考核）。"},
    "mix.verdict_misses": {
        "en": "The plan does NOT meet the targets: in simulation they hold in only {held} "
              "of {n} demand scenarios, {share} of them by likelihood where {asked} is "
              "required (targets per {period}); misses in {kinds}. {remedy}",
        "zh": "方案未达成目标：仿真中仅 {n} 个需求情景中的 {held} 个达标，按可能性计占 {share}"
              "，要求 {asked}（按{period}考核）；未达标项：{kinds}。{remedy}"},
    "mix.not_checked": {
        "en": "The plan was not checked by simulation (the scenario asks for no check).",
        "zh": "方案未经仿真校验（场景未要求校验）。"},
    "mix.remedy_change": {
        "en": "The cheapest change that would meet them: {what} ({cost}); not yet "
              "simulated — allow more checks in the scenario's planning settings.",
        "zh": "达成目标的最低成本调整：{what}（{cost}）；尚未仿真校验——可在场景的规划设置"
              "中允许更多次校验。"},
    "mix.routing_probe": {
        "en": "Routing: contacts wait {wait} s for an in-house agent before the other "
              "pools may answer, and callers hang up meanwhile; if the other pools "
              "answered at once, the same plan would meet every target every {period} in "
              "{held} of {n} demand scenarios ({share}; simulated on the same runs, no "
              "extra cost).",
        "zh": "路由：联系需等待自有坐席 {wait} 秒后其他人力池才能接听，其间客户会挂断；若其他人"
              "力池立即接听，同一方案在 {n} 个需求情景中有 {held} 个每{period}达成"
              "全部目标（{share}；在相同仿真上验证，无额外成本）。"},
    "mix.keep_routing": {"en": "Keeping the routing: {remedy}", "zh": "若保持现有路由：{remedy}"},
    "mix.verdict_basis": {
        "en": "Judged on {runs} simulated runs ({reps} per demand scenario) on random streams "
              "the correction never tuned on, allowing for the run-to-run spread measured "
              "{how}.",
        "zh": "判定基于 {runs} 次仿真（每个需求情景 {reps} 次），所用随机数流未参与校正；噪声容差"
              "按{how}实测的波动计算。"},
    "mix.spread.replications": {"en": "across replications", "zh": "各次仿真之间"},
    "mix.spread.batches": {"en": "between intervals", "zh": "各时段之间"},
    "mix.where_missed": {"en": "Where it misses: {items}.", "zh": "未达标位置：{items}。"},
    "mix.where_item": {"en": "{target} {day} {hours}h ({scenarios} scenarios, worst {worst})",
                       "zh": "{target} {day} {hours}时（{scenarios} 个情景，最差 {worst}）"},
    "mix.in_house_limit": {
        "en": "The in-house headcount is the limit: contacts wait {wait} s for in-house agents, "
              "and in {intervals} intervals (worst {interval}: short in {scenarios} of the "
              "demand scenarios, by up to {short} agents) too few are employed to keep hang-ups during that wait "
              "within their share of the cap — {hours} agent-hours missing in expectation, "
              "most on {days}. With the planned in-house agents an overflow wait of "
              "{holds} s would keep them within it.",
        "zh": "自有编制是瓶颈：联系需等待自有坐席 {wait} 秒，在 {intervals} 个时段（最紧 {interval}："
              "{scenarios} 个需求情景不足，最多缺 {short} 人）自有人数不足以把等待期间的挂断控制在上限份额内——"
              "期望缺口 {hours} 人时，主要在 {days}。按现有自有人数，溢出等待设为 {holds} 秒即可达标。"},
    "mix.remedy_change_sim": {
        "en": "The cheapest change keeping the routing: {what} ({cost}); simulated, it meets "
              "every target every {period} in {held} of {n} demand scenarios ({share}).",
        "zh": "保持路由的最低成本调整：{what}（{cost}）；经仿真，在 {n} 个需求情景中有 {held} 个"
              "每{period}达成全部目标（{share}）。"},
    "mix.at_once_plan": {
        "en": "A plan made for the other pools answering at once: {cost} ({delta} against "
              "this plan); simulated, it meets every target every {period} in {held} of "
              "{n} demand scenarios ({share}).",
        "zh": "若按其他人力池立即接听重新规划：{cost}（较本方案 {delta}）；经仿真，在 {n}"
              " 个需求情景中有 {held} 个每{period}达成全部目标（{share}）。"},
    "mix.at_once_clock": {
        "en": " Its solve stopped at the solver's time limit (a busy machine): on a less "
              "busy one this plan may differ and cost less.",
        "zh": "其求解达到时间上限（机器繁忙）；在较空闲的机器上该方案可能不同、成本更低。"},
    "mix.remedy_same": {"en": "a different rostering at the same pool sizes",
                        "zh": "在相同人力池规模下调整排班"},
    "mix.remedy_limits": {
        "en": "The pools cannot meet them: at {interval} scenario {scenario} needs {needs} "
              "agents at in-house speed and every pool at its limit gives {most}; raise a "
              "pool's limit (headcount, hires, vendor or surge capacity, reserve size, "
              "temps).",
        "zh": "现有人力池无法达成：{interval} 情景 {scenario} 需要折合自有效率 "
              "{needs} 名坐席，所有人力池用满也只有 {most}；需提高人力池上限（编制、招聘"
              "、外包或临时外包容量、储备规模、临时工）。"},
    "mix.remedy_joint": {"en": "The pools cannot meet them together: each interval could "
                               "be covered on its own, but under the shift, days-off and "
                               "headcount rules they fall {hours} agent-hours "
                               "(at in-house speed) short in expectation; worst at {interval}, "
                               "scenario {scenario}: needs {needs}, gets {most}; raise a "
                               "pool's limit (headcount, hires, vendor or surge capacity, "
                               "reserve size, temps) or allow more shift starts.",
                         "zh": "现有人力池无法同时达成：每个时段单独都可覆盖，但在班次、休息日"
                               "和编制规则下，预计共缺折合自有效率 {hours} 坐席·小时；最缺在 "
                               "{interval}，情景 {scenario}：需要 {needs}，只有 {most}；需提高"
                               "人力池上限（编制、招聘、外包或临时外包容量、储备规模、临时工）"
                               "或增加班次开始时间。"},
    "mix.remedy_other": {"en": "No plan can meet them: {reason}",
                         "zh": "没有方案能达成：{reason}"},
    "mix.remedy_size.reserve_pool": {"en": "{n:+d} reserve agents", "zh": "储备 {n:+d} 人"},
    "mix.remedy_size.hires": {"en": "{n:+d} hires", "zh": "招聘 {n:+d} 人"},
    "mix.remedy_day": {"en": "{hours} {pool} agent-hours on {day}",
                       "zh": "{day} {pool} {hours} 人·小时"},
    "mix.pool.in_house": {"en": "in-house", "zh": "自有"},
    "mix.pool.outsourced": {"en": "contracted outsourced", "zh": "外包签约"},
    "mix.pool.outsourced_surge": {"en": "surge outsourced", "zh": "临时外包"},
    "mix.pool.reserve": {"en": "reserve call-out", "zh": "储备调用"},
    "mix.pool.temps": {"en": "temp", "zh": "临时工"},
    "mix.kpi.service_level": {"en": "service level", "zh": "服务水平"},
    "mix.kpi.abandon_rate": {"en": "abandonment", "zh": "放弃率"},
    "mix.kpi.asa_s": {"en": "ASA", "zh": "平均应答时间"},
    "mix.kpi.occupancy": {"en": "occupancy", "zh": "占用率"},
    "mix.check_round": {
        "en": "Simulation check {round}: cost {cost}; every target held in {held} of {n} "
              "demand scenarios; {period}s missed: {missed}; staffing raised in {raised} "
              "intervals (added over the demand scenarios).",
        "zh": "第 {round} 次仿真校验：成本 {cost}；{n} 个需求情景中 {held} "
              "个全部达标；未达标的{period}数：{missed}；在 {raised} 个时段上"
              "调人力（各需求情景合计）。"},
    "mix.before_check": {"en": "Before the check the plan cost {cost} with a reserve of "
                               "{reserve}; every figure of this section is the checked plan.",
                         "zh": "校验前方案成本 {cost}，储备 {reserve} 人；本节所有数字均为校验后的"
                               "方案。"},
    "mix.headline_holds": {"en": "plan meets targets (share of scenarios)",
                           "zh": "方案达标（情景概率占比）"},
    "report.title": {"en": "peakdesk what-if: {name}", "zh": "peakdesk 测算报告：{name}"},
    "report.generated": {"en": "Scenario file {file} (SHA-256 {sha}), seed {seed}, "
                                "peakdesk {version}.",
                         "zh": "场景文件 {file}（SHA-256 {sha}），随机种子 {seed}，"
                               "peakdesk {version}。"},
    "report.quick": {
        "en": "A quick run: stages that simulate use fewer runs than the scenario asks "
              "for, and say so in their section.",
        "zh": "快速运行：需要多次仿真的步骤使用的仿真次数少于场景设定，并在各自章节中注明。"},
    "report.decision": {"en": "Decision summary", "zh": "决策摘要"},
    "report.key_figures": {"en": "Key figures", "zh": "关键数字"},
    "report.stages": {"en": "What was computed", "zh": "本次测算内容"},
    "report.stage_ran": {"en": "{title}: computed.", "zh": "{title}：已完成。"},
    "report.stage_skipped": {"en": "{title}: skipped — {reason}",
                             "zh": "{title}：已跳过——{reason}"},
    "report.warnings": {"en": "Warnings", "zh": "警告"},
    "report.no_warnings": {"en": "No warnings.", "zh": "无警告。"},
    "report.assumptions": {"en": "Model assumptions and sources", "zh": "模型假设与来源"},
    "report.files": {"en": "Files in this folder", "zh": "本文件夹中的文件"},
    "report.files_text": {
        "en": "Every number above is in summary.json; the tables are in the CSV files and, "
              "one sheet each, in results.xlsx; manifest.json records how to rerun this "
              "exactly.",
        "zh": "以上所有数字均见 summary.json；明细表见各 CSV 文件及 results.xlsx（每表一页）；"
              "manifest.json 记录了精确复现本次测算所需的信息。"},
    "report.nothing_ran": {"en": "No stage could run on this scenario.",
                           "zh": "该场景没有可执行的测算步骤。"},
    # ---- stage titles
    "stage.demand": {"en": "Demand", "zh": "话务需求"},
    "stage.requirements": {"en": "Required vs staffed agents", "zh": "需求人数与在岗人数"},
    # ---- demand
    "demand.intro": {
        "en": "Arrivals per hour in each {minutes}-minute interval, per channel "
              "(point forecast). {contacts} contacts over the horizon.",
        "zh": "各渠道每 {minutes} 分钟时段的每小时进线量（点预测），整个周期共 {contacts} 个联系。"},
    "demand.figure": {"en": "Demand per channel", "zh": "各渠道话务量"},
    "demand.band": {"en": "Shaded: the lowest to highest demand scenario.",
                    "zh": "阴影：最低至最高需求情景。"},
    "demand.ylabel": {"en": "contacts per hour", "zh": "每小时进线量"},
    "demand.table": {"en": "Demand by channel", "zh": "各渠道需求"},
    "demand.col.channel": {"en": "channel", "zh": "渠道"},
    "demand.col.contacts": {"en": "contacts", "zh": "联系量"},
    "demand.col.peak_rate": {"en": "peak per hour", "zh": "峰值每小时"},
    "demand.col.peak_at": {"en": "peak at", "zh": "峰值时段"},
    "demand.col.peak_to_mean": {"en": "peak / mean", "zh": "峰值/均值"},
    "demand.decision": {
        "en": "Demand peaks at {rate} contacts per hour on {channel} at {when}, "
              "{ratio} times that channel's average.",
        "zh": "{channel}渠道在 {when} 达到峰值，每小时 {rate} 个联系，是该渠道平均水平的 {ratio} 倍。"},
    "demand.decision_flat": {
        "en": "Demand on {channel} is flat at about {rate} contacts per hour.",
        "zh": "{channel}渠道话务平稳，约每小时 {rate} 个联系。"},
    "demand.no_demand": {"en": "the scenario has no demand", "zh": "场景没有话务需求"},
    "demand.assumption": {
        "en": "Arrivals are the scenario's point forecast per interval, constant within "
              "an interval (docs/formats.md §1).",
        "zh": "进线量为场景给出的各时段点预测，时段内视为恒定（docs/formats.md §1）。"},
    # ---- requirements
    "req.intro": {
        "en": "The fewest agents meeting every target of each channel in each interval "
              "(Erlang A where customers abandon, Erlang C otherwise), and the agents to "
              "schedule after {shrinkage} shrinkage.",
        "zh": "每个时段满足各渠道全部服务目标的最少坐席数（客户会放弃时用 Erlang A，否则用 "
              "Erlang C），以及计入 {shrinkage} 缩减率后需排班的人数。"},
    "req.figure_channel": {"en": "{channel}: required and scheduled agents",
                           "zh": "{channel}：需求与排班人数"},
    "req.figure_total": {"en": "Scheduled requirement vs today's roster (the pools' agents)",
                         "zh": "排班需求与现有排班（各人力池现有人数）"},
    "req.required": {"en": "required (on the queue)", "zh": "需求（在线处理）"},
    "req.scheduled": {"en": "scheduled (after shrinkage)", "zh": "排班（计入缩减）"},
    "req.scheduled_channel": {"en": "scheduled: {channel}", "zh": "排班：{channel}"},
    "req.staffed": {"en": "today's roster (all pools)", "zh": "现有排班（全部人力池）"},
    "req.ylabel": {"en": "agents", "zh": "坐席数"},
    "req.table": {"en": "Requirement by channel", "zh": "各渠道需求人数"},
    "req.col.model": {"en": "model", "zh": "模型"},
    "req.col.peak_required": {"en": "peak required", "zh": "峰值需求"},
    "req.col.peak_scheduled": {"en": "peak scheduled", "zh": "峰值排班"},
    "req.col.peak_at": {"en": "peak at", "zh": "峰值时段"},
    "req.col.hours_required": {"en": "agent-hours required", "zh": "需求人时"},
    "req.col.hours_scheduled": {"en": "agent-hours scheduled", "zh": "排班人时"},
    "req.col.binding": {"en": "binding target at peak", "zh": "峰值时的约束目标"},
    "req.staffing_table": {
        "en": "Today's roster by pool (the agents each pool has today; the plan replaces "
              "it)",
        "zh": "各人力池现有排班（各人力池目前的人数；方案将取代它）"},
    "req.staffing_short": {
        "en": "today (before the plan): intervals short of agents",
        "zh": "现状（方案前）：人手不足的时段"},
    "req.staffing_missing": {
        "en": "today (before the plan): agent-hours missing",
        "zh": "现状（方案前）：缺口人时"},
    "req.col.pool": {"en": "pool", "zh": "人力池"},
    "req.col.agents": {"en": "agents (min–max)", "zh": "人数（最少–最多）"},
    "req.col.agent_hours": {"en": "agent-hours", "zh": "人时"},
    "req.decision_peak": {
        "en": "At the peak ({when}) {total} agents must be scheduled: {parts}.",
        "zh": "峰值时段（{when}）需排班 {total} 人：{parts}。"},
    "req.decision_covered": {
        "en": "Today's roster ({staffed}) covers the scheduled requirement in all {n} "
              "intervals.",
        "zh": "现有排班（{staffed}）在全部 {n} 个时段满足排班需求。"},
    "req.decision_short": {
        "en": "Today's roster ({staffed}; the plan below replaces it) falls short in "
              "{short} of {n} intervals, by up to {gap} agents at {when}; {hours} "
              "agent-hours are missing in total.",
        "zh": "现有排班（{staffed}；下文的方案将取代它）在 {n} 个时段中有 {short}"
              " 个不足，最多缺 {gap} 人（{when}），合计缺 {hours} 人时。"},
    "req.decision_peak_blended": {
        "en": "At the peak ({when}) {total} agents must be scheduled: {parts} on their own "
              "({sum} together), but the same blended agents serve {channels}, so each is "
              "counted once and the pooled requirement is {total}.",
        "zh": "峰值时段（{when}）需排班 {total} 人：单独计算为 {parts}（相加 {sum} 人），但{channels}"
              "由同一批混合技能坐席服务，每人只计一次，合并需求为 {total} 人。"},
    "req.headline_peak_blended": {"en": "peak scheduled (blended agents counted once)",
                                  "zh": "峰值排班（混合技能坐席只计一次）"},
    "req.decision_no_pools": {
        "en": "The scenario staffs no pools: {hours} agent-hours must be scheduled in total.",
        "zh": "场景未配置人力池：总共需排班 {hours} 人时。"},
    "req.no_inbound": {"en": "the scenario has no inbound channel to staff",
                       "zh": "场景没有需要排班的呼入渠道"},
    "req.warn_plan": {
        "en": "pool {pool} is staffed from a plan file ({plan}); this stage does not read "
              "plan files, so the staffed line leaves that pool out",
        "zh": "人力池 {pool} 由排班文件（{plan}）给出；本步骤不读取排班文件，在岗人数未包含该人力池"},
    "req.assumption_erlang": {
        "en": "Each interval is staffed on its own as a stationary queue (SIPP); Erlang A "
            "with exponential patience at its mean (Whitt 2006), Erlang C without "
            "abandonment (docs/staffing.md).",
        "zh": "每个时段按平稳排队独立计算（SIPP）；有放弃时用 Erlang A，耐心时间取均值的指数分布"
              "（Whitt 2006），无放弃时用 Erlang C（docs/staffing.md）。"},
    "req.assumption_chat": {
        "en": "Chat agents serve several sessions at once, each slower by the concurrency "
              "slowdown per extra session (Goes et al. 2018; docs/staffing.md).",
        "zh": "在线客服同时服务多个会话，每增加一个会话处理时长按并发减速系数增加"
              "（Goes 等 2018；docs/staffing.md）。"},
    "req.assumption_sum": {
        "en": "Channels served by the same (blended) agents get one pooled requirement: each "
              "channel's own requirement plus the agents the other channels keep busy, "
              "never more than the sum (docs/staffing.md); other channels add up.",
        "zh": "由同一批（混合技能）坐席服务的渠道按合并需求计算：本渠道需求加上其他渠道占用的"
              "坐席数，不超过各渠道之和（docs/staffing.md）；其余渠道直接相加。"},
    "req.load": {
        "en": "Load staffed for, {channel}: {first} first attempts, {redials} redials "
              "after abandonment and {repeats} repeat contacts after unresolved ones "
              "(redials and repeats depend on the staffing and are computed with it).",
        "zh": "{channel} 的排班负荷：首次进线 {first}，放弃后重拨 {redials}"
              "，未解决后的重复进线 {repeats}（重拨与重复进线取决于排班人数，与之一并计算）。"},
    "req.method_mol": {
        "en": "Time-varying load: each interval is staffed at its modified offered load "
              "(MOL: the load of the infinite-server system, lagging the arrivals by about "
              "a handle time; Jennings et al. 1996).",
        "zh": "时变负荷：各时段按修正供给负荷（MOL，无限服务台系统的负荷，比进线滞后约一个处理时长；"
              "Jennings 等 1996）排班。"},
    "binding.service_level": {"en": "service level", "zh": "服务水平"},
    "binding.asa": {"en": "ASA", "zh": "平均应答时间"},
    "binding.abandon_rate": {"en": "abandon rate", "zh": "放弃率"},
    "binding.occupancy": {"en": "occupancy cap", "zh": "占用率上限"},
    "binding.stability": {"en": "stability", "zh": "队列稳定"},
    "binding.none": {"en": "none", "zh": "无"},
    "list.sep": {"en": ", ", "zh": "，"},
    "part.channel_agents": {"en": "{channel} {n}", "zh": "{channel} {n} 人"},
    "part.pool_agents": {"en": "{pool} {n}", "zh": "{pool} {n} 人"},
    # ---- simulation
    "stage.simulation": {"en": "Simulated service", "zh": "仿真服务表现"},
    "sim.intro": {
        "en": "{n} replications of the event-driven simulator (seed {seed}) of {source}: "
              "customers abandon and redial, chat agents hold several sessions, each pool "
              "with its own speed, show-up and quality.",
        "zh": "用事件驱动仿真器对{source}进行 {n} 次仿真（随机种子 {seed}）：客户会放弃和重拨，"
              "在线坐席同时处理多个会话，各人力池有各自的处理速度、出勤率和质量。"},
    "sim.source_pools": {"en": "today's roster (the pools as the scenario lists them)",
                         "zh": "现有排班（场景中各人力池的人数）"},
    "sim.source_mix": {"en": "the mix plan", "zh": "人力组合方案"},
    "sim.quick": {
        "en": "Quick run: {n} replications instead of the scenario's {asked}; confidence "
              "intervals are wider and the counts below are out of {n}.",
        "zh": "快速模式：仿真 {n} 次，而非场景设定的 {asked} 次；置信区间更宽，以下计数以 {n} 次为基数。"},
    "sim.band_ci": {
        "en": "Shaded bands: the 95% confidence interval of the mean over the replications.",
        "zh": "阴影带：各次仿真均值的 95% 置信区间。"},
    "sim.band_scenarios": {
        "en": "Each replication draws one demand scenario with its probability. Shaded "
              "bands: the lowest to highest demand-scenario mean in each interval.",
        "zh": "每次仿真按概率抽取一个需求情景。阴影带：各时段不同需求情景均值的最低至最高值。"},
    "sim.band_round_robin": {
        "en": "Each of the {k} equally likely demand scenarios is simulated {r} time(s), "
              "each with its own call-outs, surge seats and temps, as the plan's check ran "
              "them. Shaded bands: the lowest to highest demand-scenario mean in each "
              "interval.",
        "zh": "{k} 个等概率需求情景各仿真 {r} 次，各用自己的储备调用、临时外包和临时工，与方案"
              "的仿真校验相同。阴影带：各时段不同需求情景均值的最低至最高值。"},
    "sim.band_label_ci": {"en": "95% CI", "zh": "95% 置信区间"},
    "sim.band_label_scenarios": {"en": "demand-scenario range", "zh": "需求情景范围"},
    "sim.mean_with_band": {"en": "mean (band: {band})", "zh": "均值（阴影：{band}）"},
    "sim.target": {"en": "target", "zh": "目标"},
    "sim.max": {"en": "maximum", "zh": "上限"},
    "sim.figure_sl": {"en": "{channel}: service level per interval",
                      "zh": "{channel}：各时段服务水平"},
    "sim.figure_abandon": {"en": "{channel}: abandonment per interval",
                           "zh": "{channel}：各时段放弃率"},
    "sim.ylabel_sl": {"en": "service level (%)", "zh": "服务水平（%）"},
    "sim.ylabel_abandon": {"en": "abandonment (%)", "zh": "放弃率（%）"},
    "sim.few_contacts": {
        "en": "{k} intervals with fewer than {n:g} contacts on average (mostly at night) are "
              "left out: a rate of a handful of contacts swings between 0% and 100%.",
        "zh": "平均联系量少于 {n:g} 个的 {k} 个时段（多在夜间）未画出：少量联系的比率会在 0% 与 100% 之间大幅波动。"},
    "sim.occupancy_shared": {
        "en": "Occupancy: {value}. The same blended agents serve {channels}, so occupancy "
              "(busy ÷ staffed time of the agents who serve a channel) is one figure for them "
              "together, not one per channel.",
        "zh": "占用率：{value}。{channels}由同一批混合技能坐席服务，因此占用率（服务该渠道坐席的忙碌时间 ÷ "
              "在岗时间）是它们共同的一个数字，而非各渠道各一个。"},
    "sim.table_team": {"en": "Team KPIs after the warm-up (mean, 95% CI)",
                       "zh": "预热期后的团队指标（均值，95% 置信区间）"},
    "sim.table_intervals": {"en": "Simulated service per interval",
                            "zh": "各时段仿真服务表现"},
    "sim.table_replications": {"en": "Service per replication", "zh": "各次仿真的服务表现"},
    "sim.table_scenarios": {"en": "Service level by demand scenario",
                            "zh": "各需求情景的服务水平"},
    "sim.col.metric": {"en": "KPI", "zh": "指标"},
    "sim.col.scenario": {"en": "demand scenario", "zh": "需求情景"},
    "sim.col.probability": {"en": "probability", "zh": "概率"},
    "sim.col.multiplier": {"en": "volume × (every interval)", "zh": "话务量倍数（所有时段）"},
    "sim.col.replications": {"en": "replications", "zh": "仿真次数"},
    "sim.col.sl": {"en": "service level {channel}", "zh": "{channel}服务水平"},
    "sim.headline_sl": {"en": "service level {channel}", "zh": "{channel}服务水平"},
    "sim.period.interval": {"en": "interval", "zh": "时段"},
    "sim.period.day": {"en": "day", "zh": "天"},
    "sim.period.horizon": {"en": "horizon", "zh": "整个周期"},
    "sim.unit.demand_scenario": {"en": "demand scenarios", "zh": "个需求情景"},
    "sim.unit.replication": {"en": "replications", "zh": "次仿真"},
    "sim.headline_held": {"en": "every target met every {period} ({units})",
                          "zh": "每{period}全部目标达标（{units}）"},
    "sim.headline_met": {"en": "{target} met every {period} ({units})",
                         "zh": "{target} 每{period}达标（{units}）"},
    "sim.target.service_level": {"en": "{channel} {goal}", "zh": "{channel} {goal}"},
    "sim.target.abandon_rate": {"en": "{channel} abandonment ≤ {goal}",
                                "zh": "{channel}放弃率 ≤ {goal}"},
    "sim.target.asa_s": {"en": "{channel} ASA ≤ {goal}", "zh": "{channel}平均应答速度 ≤ {goal}"},
    "sim.target.occupancy": {"en": "{channel} occupancy ≤ {goal}",
                             "zh": "{channel}占用率 ≤ {goal}"},
    "sim.decision_target": {
        "en": "{target}: met on every {period} in {met} of {n} {units}{mean}.",
        "zh": "{target}：{n} {units}中有 {met} 个每{period}达标{mean}。"},
    "sim.mean_ci": {"en": "; mean {mean} (95% CI {lo}–{hi})",
                    "zh": "；均值 {mean}（95% 置信区间 {lo}–{hi}）"},
    "sim.warn_target": {
        "en": "{target} missed on at least one {period} in {missed} of {n} {units} "
              "(worst {worst}, {when})",
        "zh": "{n} {units}中有 {missed} 个至少一{period}未达到 {target}（最差 {worst}，{when}）"},
    "sim.table_periods": {"en": "Service per replication and {period}",
                          "zh": "各次仿真每{period}的服务表现"},
    "sim.headline_abandon": {"en": "abandon rate {channel}", "zh": "{channel}放弃率"},
    "sim.decision_top_scenario": {
        "en": "In the largest demand scenario drawn ({name}: volume × {multiplier} in "
              "every interval; simulated {k} time(s)): {verdicts}; {channel} service level "
              "over the whole horizon {sl}.",
        "zh": "在抽到的最大需求情景（{name}：所有时段话务量 × {multiplier}，仿真 "
              "{k} 次）中：{verdicts}；{channel}整个周期的服务水平为 {sl}。"},
    "sim.target_met_every": {"en": "{target} met every {period}",
                             "zh": "{target} 每{period}达标"},
    "sim.target_missed_on": {"en": "{target} missed on {days} (worst {worst})",
                             "zh": "{target} 在 {days} 未达标（最差 {worst}）"},
    "sim.more_periods": {"en": " and {n} more", "zh": " 等另外 {n} 个"},
    "sim.col.held": {"en": "every target met every {period}", "zh": "每{period}全部目标达标"},
    "sim.held_yes": {"en": "yes", "zh": "是"},
    "sim.held_no": {"en": "no: {targets}", "zh": "否：{targets}"},
    "sim.scenarios_note": {
        "en": "Service level over the whole horizon per demand scenario; the last column "
              "is the verdict the decision uses, judged per period on the same runs.",
        "zh": "各需求情景整个周期的服务水平；最后一列为决策所用的判定，按考核期在同一批仿真上判断。"},
    "sim.warn_intervals": {
        "en": "{channel}: mean service level below target in {k} of {n} intervals "
              "(lowest {worst} at {when})",
        "zh": "{channel}：{n} 个时段中有 {k} 个平均服务水平低于目标（最低 {worst}，{when}）"},
    "sim.no_pools": {"en": "the scenario staffs no pools and no mix plan was made",
                     "zh": "场景未配置人力池，也没有人力组合方案"},
    "sim.assumption_model": {
        "en": "Simulation: non-homogeneous Poisson arrivals, exponential patience, redials "
              "and repeat contacts, chat concurrency slowdown, pool productivity, show-up "
              "and quality from docs/simulation.md (seed 000 in docs/sources.md; Goes et al. 2018; Ding et al. "
              "2013); team KPIs count contacts arriving after the warm-up.",
        "zh": "仿真：非齐次泊松到达、指数耐心、重拨与重复来电、在线并发减速、各人力池效率、出勤率与质量"
              "见 docs/simulation.md（实践案例 seed 000，见 docs/sources.md；Goes 等 2018；Ding 等 2013）；团队指标只统计预热期后到达的联系。"},
    "sim.assumption_count": {
        "en": "Targets are judged as the plan check judges them: every target of every "
              "channel per period (a day unless the scenario's planning section says otherwise) "
              "after the warm-up, a period missing "
              "when worse than the target by more than 1.645 standard errors of its "
              "estimate; a demand scenario (pooling its replications) — or, for today's "
              "roster, a replication — holds when nothing misses.",
        "zh": "达标判定与方案仿真校验相同：预热期后按考核周期（默认每天，场景的计划设置可改）逐一判断每个"
              "渠道的每项目标，差于目标超过估计值 1.645 个标准误即为未达标；一个需求情景（合并其各次"
              "仿真）——现有排班则为一次仿真——没有任何未达标即为达标。"},
    "stage.policies": {"en": "Incentive policies: how agents respond",
                       "zh": "激励方案：坐席如何反应"},
    "policies.intro": {
        "en": "Each policy is compared with flat pay on the same agents and the same "
              "customers (common random numbers): the agents choose their speed, "
              "availability, outbound effort and sales push to maximise expected pay minus "
              "effort cost, with the simulator in the loop, then {n} replications (seed "
              "{seed}). Per-agent figures are means over the {agents} {pools} agent slots "
              "per simulated horizon ({horizon}); pay and cost are in the pay section "
              "below, from the same replications.",
        "zh": "各方案与固定工资在同一批坐席、同一批客户上比较（共同随机数）：坐席选择处理速度、在线率、"
              "外呼投入和销售推动力度，使期望收入减去努力成本最大，并用仿真检验其效果，然后仿真 {n}"
              " 次（种子 {seed}）。人均指标为 {agents} 个{pools}席位在整个仿真"
              "周期（{horizon}）内的均值；薪酬与成本见下文薪酬部分（同一批仿真）。"},
    "policies.horizon_days": {"en": "{days} days", "zh": "{days} 天"},
    "policies.horizon_day": {"en": "one day", "zh": "1 天"},
    "policies.quick": {
        "en": "A quick run: {n} replications instead of the scenario's {asked} and a "
              "shorter search for the agents' response (a response that has not settled is "
              "warned about).",
        "zh": "快速运行：仿真 {n} 次（场景设定 {asked} 次），对坐席反应的搜索也较短（反应"
              "未稳定时给出警告）。"},
    "policies.marks": {
        "en": "▲ / ▼: higher / lower than flat pay (baseline), the paired 95 % confidence "
              "interval of the difference excludes zero; ± is the 95 % CI half-width "
              "(percentage points for rates).",
        "zh": "▲ / ▼：高于 / 低于固定工资（基准），差值的配对 95% 置信区间不含零；± 为 95% 置信区间"
              "半宽（比率为百分点）。"},
    "policies.table_channels": {"en": "Service per policy, replication and channel",
                                "zh": "各方案、各次仿真、各渠道的服务表现"},
    "policies.table": {"en": "Policies against flat pay", "zh": "各方案与固定工资对比"},
    "policies.table_levers": {"en": "Levers and why: the pay component that drives each",
                              "zh": "行为杠杆及原因：驱动各杠杆的薪酬组成部分"},
    "policies.table_ranking": {"en": "Ranking reliability", "zh": "排名可靠性"},
    "policies.why_explained": {
        "en": "Marginal pay: change of expected pay per unit of the lever, team mean; "
              "marginal cost: change of effort cost. The driver is the pay component with "
              "the largest marginal pay.",
        "zh": "边际收入：杠杆每变动一个单位带来的期望收入变化（团队均值）；边际成本：努力成本的变化。"
              "驱动项为边际收入最大的薪酬组成部分。"},
    "policies.ranking_explained": {
        "en": "Rank correlation between true skill and pay; share of the bottom band whose "
              "true skill is below the median; how often the same agent lands in the "
              "bottom band again in another replication (chance level: the band's share).",
        "zh": "真实能力与薪酬的秩相关；末位区间中真实能力低于中位数的比例；同一坐席在另一次仿真中"
              "再次落入末位区间的比例（纯随机水平即该区间占比）。"},
    "policies.col.metric": {"en": "metric", "zh": "指标"},
    "policies.col.policy": {"en": "policy", "zh": "方案"},
    "policies.col.lever": {"en": "lever", "zh": "杠杆"},
    "policies.col.level": {"en": "level", "zh": "水平"},
    "policies.col.change": {"en": "vs flat pay", "zh": "相对固定工资"},
    "policies.col.marginal_pay": {"en": "marginal pay ({currency} a period per unit)",
                                  "zh": "边际收入（每单位，{currency}/周期）"},
    "policies.col.marginal_cost": {"en": "marginal effort cost ({currency} per unit)",
                                   "zh": "边际努力成本（每单位，{currency}）"},
    "policies.col.driver": {"en": "driver (marginal pay, {currency})",
                            "zh": "驱动项（边际收入，{currency}）"},
    "policies.col.rank_corr": {"en": "rank corr. skill ↔ pay", "zh": "能力与薪酬秩相关"},
    "policies.col.below_median": {"en": "bottom band truly below median",
                                  "zh": "末位者能力确低于中位数"},
    "policies.col.repeat": {"en": "bottom band again", "zh": "再次落入末位"},
    "policies.col.chance": {"en": "chance level", "zh": "纯随机水平"},
    "policies.block.team": {"en": "all channels: {metric}", "zh": "全部渠道：{metric}"},
    "policies.block.channel": {"en": "{channel}: {metric}", "zh": "{channel}：{metric}"},
    "policies.block.per_agent": {"en": "per agent {metric}", "zh": "人均 {metric}"},
    "policies.block.lever": {"en": "lever {lever}", "zh": "杠杆 {lever}"},
    "policies.block.equilibrium": {
        "en": "equilibrium: largest gain an agent forgoes (share of effort cost)",
        "zh": "均衡：坐席偏离可多得的最大收入（占努力成本尺度）"},
    "policies.equilibrium_cell": {
        "en": "{mark} {regret} ({share})",
        "zh": "{mark} {regret}（{share}）"},
    "policies.metric.pay.mean": {"en": "mean per agent", "zh": "人均"},
    "policies.metric.pay.variable": {"en": "variable per agent", "zh": "人均浮动部分"},
    "policies.metric.cost.wages": {"en": "base wages", "zh": "基本工资"},
    "policies.metric.cost.variable_pay": {"en": "variable pay", "zh": "浮动薪酬"},
    "policies.metric.cost.sourcing": {"en": "pools not paid by the policy",
                                      "zh": "方案不覆盖的人力池费用"},
    "policies.metric.cost.total": {"en": "total", "zh": "合计"},
    "policies.lever.speed": {"en": "speed (handle-time multiplier)",
                             "zh": "处理速度（处理时长倍数）"},
    "policies.lever.availability": {"en": "availability (ready share)",
                                    "zh": "在线率（就绪时间占比）"},
    "policies.lever.outbound": {"en": "outbound effort", "zh": "外呼投入"},
    "policies.lever.sales_push": {"en": "sales push", "zh": "销售推动"},
    "policies.component.commission": {"en": "the commission on {metric}",
                                      "zh": "按{metric}的提成"},
    "policies.component.item": {"en": "the scorecard item {metric}", "zh": "考核项{metric}"},
    "policies.component.event": {"en": "the per-event pay on {metric}",
                                 "zh": "按{metric}的单次奖罚"},
    "policies.component.bonus": {"en": "the bonus on {metric}", "zh": "按{metric}的奖金"},
    "policies.component.ranking": {"en": "the forced ranking", "zh": "强制排名"},
    "policies.component.cap": {"en": "the pay cap", "zh": "薪酬封顶"},
    "policies.part.answered.more": {
        "en": "agents answer {d} more contacts a day (95% CI {lo} to {hi}){sig}",
        "zh": "坐席每天多接听 {d} 个联系（95% 置信区间 {lo} 至 {hi}）{sig}"},
    "policies.part.answered.fewer": {
        "en": "agents answer {d} fewer contacts a day (95% CI {lo} to {hi}){sig}",
        "zh": "坐席每天少接听 {d} 个联系（95% 置信区间 {lo} 至 {hi}）{sig}"},
    "policies.part.outbound_calls.more": {
        "en": "make {d} more outbound calls (95% CI {lo} to {hi}){sig}",
        "zh": "多打 {d} 通外呼（95% 置信区间 {lo} 至 {hi}）{sig}"},
    "policies.part.outbound_calls.fewer": {
        "en": "make {d} fewer outbound calls (95% CI {lo} to {hi}){sig}",
        "zh": "少打 {d} 通外呼（95% 置信区间 {lo} 至 {hi}）{sig}"},
    "policies.part.sl": {"en": "{channel} {sl} ({dsl})", "zh": "{channel} {sl}（{dsl}）"},
    "policies.decision_quality": {
        "en": " Service level {service}; first-contact resolution {fcr_from} → {fcr_to}, "
              "complaints {complaints} (all channels).",
        "zh": "服务水平 {service}；一次解决率 {fcr_from} → {fcr_to}，投诉 {complaints}（全部渠道）。"},
    "policies.change.speed": {"en": "handle time {pct}", "zh": "处理时长 {pct}"},
    "policies.change.availability": {"en": "ready time {pp} pp", "zh": "就绪时间 {pp} 个百分点"},
    "policies.change.effort": {"en": "{d} on a 0–1 effort scale", "zh": "努力程度（0–1）{d}"},
    "policies.not_significant": {"en": ", not significant", "zh": "，不显著"},
    "policies.significant": {"en": ", significant", "zh": "，显著"},
    "policies.no_change": {"en": "agents work as under flat pay",
                           "zh": "坐席表现与固定工资下相同"},
    "policies.decision": {"en": "Under {policy}, compared with flat pay, {what}{driver}.",
                          "zh": "在 {policy} 下，与固定工资相比，{what}{driver}。"},
    "policies.decision_driver": {
        "en": "; {component} drives it ({lever}: {change})",
        "zh": "；主要由{component}驱动（{lever}：{change}）"},
    "policies.decision_ranking": {
        "en": "{policy}'s ranking: skill ↔ pay rank correlation {corr}; {below} of the bottom "
              "band is truly below median skill; {repeat} of the bottom band is there again "
              "in another replication (chance: {chance}).",
        "zh": "{policy} 的排名：能力与薪酬秩相关 {corr}；末位区间中 {below} 的坐席能力确实低于中位数；"
              "{repeat} 的末位者在另一次仿真中再次落入末位（纯随机：{chance}）。"},
    "policies.headline_answered": {"en": "{policy}: answered per agent a day vs flat pay",
                                   "zh": "{policy}：人均日接听量相对固定工资"},
    "policies.not_converged": {
        "en": "{policy}: no equilibrium reached — at the levers shown an agent could still "
              "gain {regret} a {period} ({share} of its effort-cost scale; the bar is 2%) by "
              "changing how it works; read its response as indicative",
        "zh": "{policy}：未达到均衡——在所示杠杆下，仍有坐席改变工作方式每{period}可多得 {regret}"
              "（占其努力成本尺度的 {share}；标准为 2%）；其反应仅供参考"},
    "policies.assumption_model": {
        "en": "Behaviour: each agent maximises expected pay minus a convex effort cost over "
              "speed, availability, outbound effort and sales push; rushing lowers FCR and "
              "raises complaints; rankings are Nash equilibria of a tournament (Holmström & "
              "Milgrom 1991; Lazear & Rosen 1981; Lazear 2000; seed 000/001 in docs/sources.md; "
              "docs/behavior.md).",
        "zh": "行为模型：每名坐席在处理速度、在线率、外呼投入与销售推动上使期望收入减去凸的努力成本最大；"
              "赶速度会降低一次解决率并增加投诉；排名制取锦标赛的纳什均衡（Holmström & Milgrom 1991；"
              "Lazear & Rosen 1981；Lazear 2000；实践案例 seed 000/001，见 docs/sources.md；docs/behavior.md）。"},
    "policies.assumption_crn": {
        "en": "Every policy and the flat-pay baseline see the same agents (skills drawn "
              "once) and the same customers (same seed); differences are paired over "
              "replications.",
        "zh": "各方案与固定工资基准使用同一批坐席（能力只抽样一次）和同一批客户（同一种子）；差值按"
              "仿真次数配对计算。"},
    "policies.figure": {"en": "Per agent and day, difference to flat pay",
                        "zh": "人均每日指标与固定工资的差值"},
    "policies.xlabel": {"en": "difference per agent and day (95% CI)",
                        "zh": "人均每日差值（95% 置信区间）"},
    "policies.figure_caption": {
        "en": "Paired over replications (same agents, same customers); a bar crossing zero "
              "is not significant.",
        "zh": "按仿真次数配对（同一批坐席、同一批客户）；区间跨过零即不显著。"},
    "policies.and": {"en": " and ", "zh": "，并"},
    # ---- pay
    "stage.pay": {"en": "Pay under the incentive policies", "zh": "各激励方案下的薪酬"},
    "pay.intro": {
        "en": "Each policy pays the same simulated agents over the same replications it is "
              "judged on. Simulated agents are pool slots, some on duty around the clock, "
              "so each slot's counts are scaled to one full-time agent's paid hours in the "
              "policy's pay period; averages and rates are kept. Cost over the horizon "
              "({horizon}): each agent's pay for the period × the hours it was on duty ÷ "
              "the period's paid hours.",
        "zh": "各方案在评估它所用的同一批仿真坐席、同一批仿真次数上计薪。仿真坐席是人力池的席位，"
              "有的全天在岗，因此各席位的计数类指标按方案计薪周期内一名全职坐席的工时折算；均值和"
              "比率类指标保持不变。整个周期（{horizon}）的成本：每名坐席的周期薪酬 × 其在岗小时数"
              " ÷ 周期计薪工时。"},
    "pay.horizon_days": {"en": "{days} days", "zh": "{days} 天"},
    "pay.horizon_day": {"en": "one day", "zh": "1 天"},
    "pay.table_note": {
        "en": "Mean, p10–p90: pay per agent and pay period (p10–p90 across agents of each "
              "agent's mean over the replications). Cost a period: all paid agents, each a "
              "full period. Cost over the horizon ({horizon}): pro rata to the hours on duty.",
        "zh": "均值、P10–P90：每名坐席每计薪周期的薪酬（P10–P90 为各坐席跨仿真均值的分布）。"
              "每周期成本：全部计薪坐席各按完整周期计。周期内成本（{horizon}）：按在岗小时折算。"},
    "pay.col.replications": {"en": "replications", "zh": "仿真次数"},
    "pay.col.cost_period": {"en": "cost a period", "zh": "每周期成本"},
    "pay.col.cost_horizon": {"en": "cost over the horizon", "zh": "周期内成本"},
    "pay.headline_horizon": {"en": "{policy}: pay cost over {horizon}",
                             "zh": "{policy}：{horizon}内薪酬成本"},
    "pay.period.day": {"en": "day", "zh": "日"},
    "pay.period.week": {"en": "week", "zh": "周"},
    "pay.period.month": {"en": "month", "zh": "月"},
    "pay.table": {"en": "Total pay per agent by policy", "zh": "各方案的人均总薪酬"},
    "pay.table_agents": {"en": "Simulated agent KPIs per {period} (scaled)",
                         "zh": "仿真坐席指标（按{period}折算）"},
    "pay.table_response": {"en": "Agent KPIs per {period} at the response to {policy} (scaled)",
                           "zh": "坐席对 {policy} 作出反应后的指标（按{period}折算）"},
    "pay.col.policy": {"en": "policy", "zh": "方案"},
    "pay.col.period": {"en": "period", "zh": "周期"},
    "pay.col.agents": {"en": "agents paid", "zh": "计薪人数"},
    "pay.col.mean": {"en": "mean", "zh": "均值"},
    "pay.col.p10": {"en": "p10", "zh": "P10 分位"},
    "pay.col.p50": {"en": "p50", "zh": "中位数"},
    "pay.col.p90": {"en": "p90", "zh": "P90 分位"},
    "pay.col.variable": {"en": "variable share", "zh": "浮动占比"},
    "pay.figure": {"en": "Distribution of total pay per agent", "zh": "坐席总薪酬分布"},
    "pay.figure_caption": {
        "en": "Whiskers p10–p90, box p25–p75, line at the median, dot at the mean.",
        "zh": "须线为 P10–P90，箱体为 P25–P75，竖线为中位数，圆点为均值。"},
    "pay.xlabel": {"en": "total pay per agent and period ({currency})",
                   "zh": "每名坐席每周期总薪酬（{currency}）"},
    "pay.headline": {"en": "{policy}: mean pay a {period}", "zh": "{policy}：每{period}人均薪酬"},
    "pay.decision": {
        "en": "Under {policy}, {n} agents ({pools}) earn {mean} a {period} on average "
              "(p10 {p10} – p90 {p90}; {reps} replications), {share} of it variable; their "
              "pay costs {cost} a {period} ({n} agents × {hours} paid hours) and "
              "{cost_horizon} over the {horizon} simulated (pro rata to hours on duty).",
        "zh": "按 {policy}，{n} 名坐席（{pools}）平均每{period}收入 {mean}（P10 {p10} – P90 "
              "{p90}；{reps} 次仿真），其中浮动部分占 {share}；薪酬成本每{period} {cost}"
              "（{n} 人 × {hours} 计薪小时），仿真的 {horizon} 内为 {cost_horizon}（按在岗小时折算）。"},
    "pay.lint": {"en": "lint {where}: {field}: {message}",
                 "zh": "方案检查 {where}: {field}：{message}"},
    "pay.rules_warning": {"en": "{policy}: {message}", "zh": "{policy} 计薪提示：{message}"},
    "pay.missing": {
        "en": "{policy} needs metrics the simulation does not produce ({names}); not paid",
        "zh": "{policy} 需要仿真未产生的指标（{names}），未计薪"},
    "pay.incomplete": {
        "en": "{policy}: {n} agents have no value for a metric the policy needs (e.g. they "
              "answered nothing) and are not paid: {agents}",
        "zh": "{policy}：{n} 名坐席缺少方案所需指标的取值（如未接听任何联系），未计薪：{agents}"},
    "pay.nobody": {"en": "{policy} pays pools ({pools}) that have no simulated agent",
                   "zh": "{policy} 适用的人力池（{pools}）没有仿真坐席"},
    "pay.no_policies": {"en": "the scenario lists no incentive policies (policies:)",
                        "zh": "场景未列出激励方案（policies:）"},
    "pay.no_simulation": {"en": "the simulation did not run", "zh": "仿真未运行"},
    "pay.assumption_scale": {
        "en": "Pay period: a slot's counts × paid hours of the period (day 8 h, week 40 h, "
              "month 174 h = 21.75 days × 8 h) / the slot's hours on duty in the "
              "simulation; rates and averages unchanged (docs/report.md).",
        "zh": "计薪周期：席位的计数类指标 × 周期工时（日 8 小时、周 40 小时、月 174 小时 = 21.75 天 × 8 小时）"
              "÷ 该席位在仿真中的在岗小时数；比率与均值不变（docs/report.md）。"},
    "pay.response": {
        "en": "{policies}: paid on the agents' KPI tables at their response to the policy "
              "(every final replication of the behaviour comparison above, the same slots "
              "and demand scenarios), written as agents_<policy>.csv with a replication "
              "column.",
        "zh": "{policies}：按坐席对该方案作出反应后的指标计薪（上文行为比较的全部最终仿真，席位与"
              "需求情景相同），对应表格为 agents_<方案>.csv（含仿真序号列）。"},
    "pay.assumption_response": {
        "en": "Each policy pays the agents at their response to it as predicted by the "
              "behaviour model (docs/behavior.md), not at their natural behaviour.",
        "zh": "各方案按行为模型预测的坐席对该方案的反应计薪（docs/behavior.md），而非坐席的自然行为。"},
    "pay.assumption_natural": {
        "en": "Agents keep their natural behaviour under every policy (no response to "
              "incentives in this stage; the behaviour comparison is separate).",
        "zh": "各方案下坐席保持自然行为（本步骤不模拟对激励的反应；行为比较另行进行）。"},
    # ---- peakdesk plan's check rounds (terminal): what a round changed, with units
    "plan.change.cost": {"en": "cost {value} {currency}", "zh": "成本 {value} {currency}"},
    "plan.change.hires": {"en": "hires {value}", "zh": "招聘 {value} 人"},
    "plan.change.reserve_pool": {"en": "reserve pool {value} agents",
                                 "zh": "储备池 {value} 人"},
    "plan.change.in_house_agent_hours": {"en": "in-house {value} agent-hours",
                                         "zh": "自有坐席 {value} 人·小时"},
    "plan.change.outsourced_seat_hours": {"en": "outsourced {value} seat-hours",
                                          "zh": "外包 {value} 座席·小时"},
    "plan.change.expected_recourse_agent_hours": {
        "en": "expected recourse {value} agent-hours",
        "zh": "期望追加（储备调用、临时外包、临时工）{value} 人·小时"},
    "plan.missed": {"en": "targets missed ({period}s summed over the demand scenarios): "
                          "{missed}",
                    "zh": "未达标（各需求情景的{period}数合计）：{missed}"},
    "plan.raised": {"en": "staffing raised in {n} intervals summed over the demand scenarios "
                          "(+{hours} agent-hours)",
                    "zh": "在各需求情景合计 {n} 个时段上调人力（+{hours} 人·小时）"},
    "plan.lowered": {"en": "staffing lowered in {n} intervals summed over the demand "
                           "scenarios (−{hours} agent-hours)",
                     "zh": "在各需求情景合计 {n} 个时段下调人力（−{hours} 人·小时）"},
    "plan.kept": {"en": " (kept from check round {round}; {why})",
                  "zh": "（取自校验第 {round} 轮；{why}）"},
    "plan.stopped.settled": {"en": "the check settled", "zh": "校验已收敛"},
    "plan.stopped.rounds": {"en": "the check rounds ran out", "zh": "校验轮数已用完"},
    "plan.stopped.solver": {"en": "a re-solve failed", "zh": "重新求解失败"},
    # ---- terminal
    "term.skipped": {"en": "skipped: {reason}", "zh": "已跳过：{reason}"},
    "term.report": {"en": "Report: {path}", "zh": "报告：{path}"},
    "term.folder": {"en": "Results folder: {path}", "zh": "结果文件夹：{path}"},
    "term.writing": {"en": "writing results", "zh": "写入结果"},
    "term.replications": {"en": "{title} · {n} replications done",
                          "zh": "{title} · 已完成 {n} 次重复"},
    "term.run_id": {"en": "Run {id} recorded in {db}", "zh": "运行记录 {id} 已保存到 {db}"},
}

MESSAGES.update(CAPACITY_MESSAGES)  # the capacity plan's wording lives with it


def t(key: str, lang: Lang, **params: Any) -> str:
    """The message ``key`` in ``lang`` with ``params`` filled in (KeyError if unknown)."""
    return MESSAGES[key][lang].format(**params)


# pools' names: one table (scenarios.words.labels) for the report, the terminal and tests
MESSAGES.update({k: dict(v) for k, v in LABELS.items() if k.startswith("pool.")})
MESSAGES.update(REPORT_MESSAGES)  # the decision summary, the roster, the report frame
MESSAGES.update(BOT_MESSAGES)  # a bot in front of the agents (docs/bot.md)
MESSAGES.update(BOOKING_MESSAGES)  # the booking sheet (scenarios.run.booking)


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a message uses (for the catalogue consistency test)."""
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def kpi_name(metric: str, lang: Lang) -> str:
    """A KPI's display name in ``lang`` (scenarios.words.labels): never the raw key."""
    from scenarios.words.labels import kpi_label

    return kpi_label(metric, lang)


def number(value: float, lang: Lang, digits: int = 0) -> str:
    """A number with thousands separators (same style in both languages)."""
    return f"{value:,.{digits}f}"


def join(parts: list[str], lang: Lang) -> str:
    return t("list.sep", lang).join(parts)


def channel_label(name: str, lang: Lang) -> str:
    """A channel's display name (scenarios.words.labels), its identifier when unknown."""
    from scenarios.words.labels import channel_label as label

    return label(name, lang)


def when(moment: datetime, lang: Lang, with_date: bool) -> str:
    """An interval start for sentences and tables: ``10 Nov 20:00`` / ``11月10日 20:00``."""
    clock = moment.strftime("%H:%M")
    if not with_date:
        return clock
    if lang == "zh":
        return f"{moment.month}月{moment.day}日 {clock}"
    return f"{moment.day} {_MONTHS[moment.month - 1]} {clock}"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
