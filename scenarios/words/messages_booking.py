"""The booking sheet's words (scenarios.run.booking), English and Chinese."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "booking.title": {"en": "Booking sheet: what to sign before the peak, and by when",
                      "zh": "预订清单：高峰前要签订的内容与截止时间"},
    "booking.note": {
        "en": "By: the latest time to sign, order or start training — the vendor's notice "
              "before each block, the reserve's training time before its first call-out, "
              "the hiring time before the hires' first paid day; the plan and the roster are "
              "fixed on the first date. Cash is what is paid: {cash} over every line here "
              "and below, plus {quality} the plan charges for the lower quality of vendor, "
              "reserve and temp hours (not paid to anyone). Every line, with times and "
              "numbers, is in booking.csv.",
        "zh": "截止：最晚的签约、下单或开始培训时间——外包每个时段块按合同提前通知期，储备按首次调用前的"
              "培训期，招聘按新员工首个计薪日前的招聘周期；方案与排班在最早的日期确定。现金为实际支付："
              "本表与下表合计 {cash}，另有方案为外包、储备和临时工较低质量计入的 {quality}（不付给任何人）。"
              "全部明细见 booking.csv。"},
    "booking.col.what": {"en": "what to book", "zh": "预订内容"},
    "booking.col.by": {"en": "by", "zh": "截止"},
    "booking.col.cash": {"en": "cash", "zh": "现金"},
    "booking.what.in_house_pay": {
        "en": "in-house: salaries of the {n} employees ({hours} paid hours)",
        "zh": "自有坐席：{n} 名员工的工资（{hours} 计薪小时）"},
    "booking.what.hires": {"en": "in-house: hire {n} (paid from {first})",
                           "zh": "自有坐席：招聘 {n} 人（自 {first} 起计薪）"},
    "booking.what.shifts": {
        "en": "in-house: publish the roster — {n} shifts over {days} days (per day and "
              "per person below)",
        "zh": "自有坐席：发布排班——{days} 天共 {n} 个班次（每日与个人排班见下）"},
    "booking.in_pay": {"en": "in the salaries", "zh": "含在工资中"},
    "booking.what.blocks": {
        "en": "vendor seats on {day}: {blocks} ({seat_hours} seat-hours)",
        "zh": "外包座席 {day}：{blocks}（{seat_hours} 座席·小时）"},
    "booking.what.reserve": {
        "en": "reserve: sign and train {n} agents (first call-out {first})",
        "zh": "储备：签约并培训 {n} 人（首次调用 {first}）"},
    "booking.callouts": {"en": "Call-outs: when to decide, and on what volume",
                         "zh": "调用：何时决定，依据多少话务量"},
    "booking.callout_note": {
        "en": "Decide by: the notice before the start. The rule is the plan's own: in the "
              "demand scenarios where it calls the agents out, the contacts seen by the "
              "decision time (counted from the first day of the plan) are above the threshold "
              "shown, in the others below it — also shown per hour and against the contacts "
              "the forecast expects by then. Probability: the share of demand scenarios that "
              "call it out. Agents: the most any scenario calls (reserve: agents to call, of "
              "whom not all turn up); hours and cash are expected over the scenarios.",
        "zh": "决定截止：开始前的通知期。规则来自方案本身：在方案调用的需求情景中，截至决定时（自方案首日起计）"
              "已见话务量高于所示阈值，其余情景低于阈值——同时给出每小时话务量及与预测到该时的话务量之比。"
              "概率：调用该项的需求情景所占比例。人数：任一情景最多调用人数（储备为需通知的人数，并非全部到岗）；"
              "工时与现金为各情景的期望值。"},
    "booking.more": {"en": "Shown: the call-outs with the most cash; {n} smaller ones are "
                           "in booking.csv.",
                     "zh": "此处列出现金最多的调用；另有 {n} 项较小的见 booking.csv。"},
    "booking.col.decide_by": {"en": "decide by", "zh": "决定截止"},
    "booking.col.lever": {"en": "what", "zh": "项目"},
    "booking.col.when": {"en": "when", "zh": "时段"},
    "booking.col.agents": {"en": "agents", "zh": "人数"},
    "booking.col.trigger": {"en": "call out when", "zh": "调用条件"},
    "booking.col.probability": {"en": "probability", "zh": "概率"},
    "booking.agents": {"en": "up to {most}; {hours} agent-hours expected",
                       "zh": "最多 {most} 人；期望 {hours} 人·小时"},
    "booking.lever.reserve_callout": {"en": "reserve call-out", "zh": "储备调用"},
    "booking.lever.outsourced_surge": {"en": "extra vendor seats", "zh": "外包临时加座"},
    "booking.lever.temps": {"en": "temps", "zh": "临时工"},
    "booking.trigger.firm": {"en": "always (every demand scenario)",
                             "zh": "必定调用（所有需求情景）"},
    "booking.trigger.known": {"en": "the plan took the demand scenario as known",
                              "zh": "方案假定需求情景已知"},
    "booking.trigger.mixed_alike": {
        "en": "no volume decides it: every demand scenario has shown the same contacts by "
              "then, yet the plan calls it out in some only",
        "zh": "无话务量可依据：截至决定时各需求情景的话务量相同，方案却只在部分情景中调用"},
    "booking.trigger.mixed_closest": {
        "en": "no single volume decides it exactly; closest: {rule} — the plan decides "
              "otherwise in demand scenarios with a {share} chance between them",
        "zh": "无单一话务量阈值完全对应；最接近的规则：{rule}——方案在合计概率 {share} 的需求情景中另作决定"},
    "booking.trigger.above": {
        "en": "contacts since {since} above {contacts} ({rate} an hour; {ratio} × the "
              "forecast)",
        "zh": "自 {since} 起话务量超过 {contacts}（每小时 {rate}；为预测的 {ratio} 倍）"},
    "booking.trigger.below": {
        "en": "contacts since {since} below {contacts} ({rate} an hour; {ratio} × the "
              "forecast)",
        "zh": "自 {since} 起话务量低于 {contacts}（每小时 {rate}；为预测的 {ratio} 倍）"},
    # the roster's day table: each day's own part of the call-outs (scenarios.run.roster)
    "roster.col.seats_most": {"en": "most vendor seats at once", "zh": "外包座席同时最多"},
    "roster.col.callouts_day": {"en": "call-outs that day (expected)",
                                "zh": "当日调用（期望）"},
    "roster.day.callouts": {
        "en": "{lever}: {blocks} × up to {most}, {hours} agent-hours, {cash} (probability "
              "{p})",
        "zh": "{lever}：{blocks} 段，最多 {most} 人，{hours} 人·小时，{cash}（概率 {p}）"},
    "roster.note_booking": {
        "en": "Agent-shifts: agents starting a shift that day (a shift start holds several "
              "agents). Vendor seats: the most seats on duty at one time. Call-outs: that "
              "day's own blocks — the most agents any demand scenario calls, expected "
              "agent-hours and cash, the range of probabilities; when to decide each and on "
              "what volume is in the call-out table. Every row, with breaks and paid hours, "
              "is in roster.csv.",
        "zh": "人次班：当日开始上班的人数（一个班次起点可有多人）。外包座席：同一时刻在岗的最多座席数。"
              "调用：当日自身的调用时段——任一需求情景最多调用人数、期望工时与现金、概率范围；"
              "各项何时决定及依据的话务量见调用表。全部明细（含休息与计薪工时）见 roster.csv。"},
    "roster.fact.outsourced_most": {
        "en": "{blocks} blocks, at most {most} seats at one time, {hours} seat-hours",
        "zh": "{blocks} 个时段块，同一时刻最多 {most} 座席，共 {hours} 座席小时"},
    "roster.fact.reserve_trained": {
        "en": "{n} agents: sign them and start their training by {by}; {blocks} call-out "
              "blocks (booking sheet)",
        "zh": "{n} 人，{by} 前签约并开始培训；{blocks} 个调用时段（见预订清单）"},
    "roster.fact.reserve_none": {"en": "{n} agents", "zh": "{n} 人"},
}
