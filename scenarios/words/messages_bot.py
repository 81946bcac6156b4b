"""Wording of the bot in the run's report, English and Chinese (merged into the run's
catalogue, scenarios.words.i18n.MESSAGES)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "bot.table": {"en": "The bot in front of the agents (mean, 95% CI)",
                  "zh": "人工前的智能机器人（均值，95% 置信区间）"},
    "bot.note": {
        "en": "Service level, ASA and abandonment in the tables above start at hand-off; "
              "time in the bot does not count against the customer's patience there.",
        "zh": "上表的服务水平、平均应答时间和放弃率从转人工时起算；在机器人中的时间不计入"
              "客户在人工队列中的耐心。"},
    "bot.col.kpi": {"en": "bot", "zh": "机器人"},
    "bot.kpi.entered": {"en": "sessions entering the bot", "zh": "进入机器人会话数"},
    "bot.kpi.contained": {"en": "contained (solved by the bot)", "zh": "机器人解决"},
    "bot.kpi.handed_off": {"en": "handed off to agents", "zh": "转人工"},
    "bot.kpi.handed_off_customer": {"en": "hand-offs asked by the customer",
                                    "zh": "客户要求转人工"},
    "bot.kpi.handed_off_bot": {"en": "hand-offs triggered by the bot",
                               "zh": "机器人触发转人工"},
    "bot.kpi.abandoned": {"en": "left the bot unresolved", "zh": "机器人会话放弃"},
    "bot.kpi.returned": {"en": "contained, came back later", "zh": "解决后回流"},
    "bot.kpi.containment": {"en": "containment", "zh": "机器人解决率"},
    "bot.kpi.handoff_rate": {"en": "hand-off rate", "zh": "转人工率"},
    "bot.kpi.bot_abandon_rate": {"en": "bot abandonment", "zh": "机器人会话放弃率"},
    "bot.kpi.return_rate_24h": {"en": "contained, back within 24 h",
                                "zh": "解决后 24 小时内回流率"},
    "bot.kpi.escalated_aht_s": {"en": "handle time of hand-offs", "zh": "转人工会话处理时长"},
    "bot.kpi.bot_orders": {"en": "orders placed in the bot", "zh": "机器人促成订单"},
    "bot.kpi.bot_degraded": {"en": "replications with the bot degraded",
                             "zh": "机器人降级的仿真次数占比"},
    "bot.degraded_step": {"en": "bot degraded ({value})", "zh": "机器人降级（{value}）"},
    "bot.steps_table": {"en": "Containment steps on {channel}: agents, cost and service",
                        "zh": "{channel}机器人解决率各档：坐席、成本与服务"},
    "bot.steps_note": {
        "en": "Each step sets the bot's containment (every contact reason) and plans the "
              "agents for the contacts it hands off (Erlang, same targets); cost = "
              "scheduled agent-hours × the in-house cost per paid hour.",
        "zh": "每一档把机器人解决率（所有咨询类型）设为该值，按转人工的会话计算所需坐席"
              "（Erlang，同样的服务目标）；成本 = 排班工时 × 自有坐席每小时成本。"},
    "bot.col.step": {"en": "containment", "zh": "解决率"},
    "bot.col.to_agents": {"en": "contacts to agents", "zh": "进入人工的会话"},
    "bot.col.peak": {"en": "peak agents required", "zh": "峰值所需坐席"},
    "bot.col.hours": {"en": "agent-hours scheduled", "zh": "排班工时"},
    "bot.col.cost": {"en": "cost", "zh": "成本"},
    "bot.col.sl": {"en": "service level at the requirement", "zh": "按需求排班的服务水平"},
}
