"""The words of ``peakdesk intraday``'s page and terminal, in English and Chinese (one
table below both users)."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "title": {"en": "On the day: {name}", "zh": "当日调度：{name}"},
    "now": {"en": "Now {now} — contacts seen until {until}",
            "zh": "当前 {now} —— 已看到截至 {until} 的进线"},
    "seen": {"en": "Seen so far: {seen} contacts; the plan expected {expected} ({ratio} of it). "
                   "Most likely demand scenario: {best}.",
             "zh": "目前进线 {seen} 个；计划预期 {expected}（实际为其 {ratio}）。"
                   "最可能的需求情景：{best}。"},
    "outside": {"en": "The counts fall outside every demand scenario: the forecast is wrong, "
                      "not just unlucky — re-forecast before relying on the actions below.",
                "zh": "进线量超出所有需求情景：是预测错了，而不只是运气不好——"
                      "请先重新预测，再依赖下面的行动。"},
    "inside": {"en": "The counts are within the demand scenarios.",
               "zh": "进线量在需求情景范围之内。"},
    "channels_outside": {"en": "Outside every scenario on its own: {channels}.",
                         "zh": "单独看超出所有情景的渠道：{channels}。"},
    "releases": {"en": "Ordered, not started, no longer needed: stand down before the start",
                 "zh": "已下单未开始、已不需要：在开始前取消"},
    "saving": {"en": "saving", "zh": "节省"},
    "actions": {"en": "Orders to send", "zh": "需要发出的指令"},
    "no_actions": {"en": "No order is needed now.", "zh": "目前无需发出任何指令。"},
    "lever": {"en": "lever", "zh": "手段"},
    "send_by": {"en": "send by", "zh": "最晚发出时间"},
    "start": {"en": "start", "zh": "开始"},
    "end": {"en": "end", "zh": "结束"},
    "agents": {"en": "agents", "zh": "人数"},
    "cost": {"en": "cost", "zh": "成本"},
    "status": {"en": "status", "zh": "状态"},
    "firm": {"en": "firm", "zh": "确定"},
    "provisional": {"en": "provisional ({low}–{high})", "zh": "待定（{low}–{high}）"},
    "reserve_callout": {"en": "reserve call-out", "zh": "储备人员召回"},
    "outsourced_surge": {"en": "surge seats", "zh": "外包临时加席"},
    "temps": {"en": "temps", "zh": "临时工"},
    "posterior": {"en": "Which demand scenario are we in?", "zh": "我们处在哪个需求情景？"},
    "scenario": {"en": "scenario", "zh": "情景"},
    "prior": {"en": "plan's probability", "zh": "计划概率"},
    "probability": {"en": "probability now", "zh": "当前概率"},
    "multiplier": {"en": "peak multiplier", "zh": "峰值倍数"},
    "expected_seen": {"en": "expected so far", "zh": "至今预期"},
    "reforecast": {"en": "Re-forecast of contacts", "zh": "进线量重新预测"},
    "window": {"en": "window", "zh": "时段"},
    "plan": {"en": "plan", "zh": "计划"},
    "by_posterior": {"en": "from the scenarios (posterior)", "zh": "按情景（后验）"},
    "run_rate": {"en": "run rate", "zh": "按当前速率"},
    "actual": {"en": "actual", "zh": "实际"},
    "contacts": {"en": "contacts per interval", "zh": "每时段进线量"},
    "rest_of_day": {"en": "rest of today", "zh": "今天剩余"},
    "rest_of_horizon": {"en": "rest of the horizon", "zh": "计划期剩余"},
    "replay": {"en": "The rest of today, simulated", "zh": "今天剩余时段的仿真"},
    "replay_note": {"en": "{start} to {end}; replications: {n}, on the same random streams; "
                          "recourse pay on duty: with the orders {with_cost}, without "
                          "{without_cost}.",
                    "zh": "{start} 至 {end}，{n} 次重复仿真（相同随机数）；当班补充人力费用："
                          "执行指令 {with_cost}，不执行 {without_cost}。"},
    "channel": {"en": "channel", "zh": "渠道"},
    "with_actions": {"en": "with the orders", "zh": "执行指令"},
    "without_actions": {"en": "without", "zh": "不执行"},
    "service_level": {"en": "service level", "zh": "服务水平"},
    "abandon_rate": {"en": "abandonment", "zh": "放弃率"},
    "absence": {"en": "In-house agents present: {ratio} of the plan (from {at}); the rest of "
                      "today is planned with that share.",
                "zh": "在岗自有坐席为计划的 {ratio}（自 {at} 起）；今天剩余时段按此比例计算。"},
    "later": {"en": "{n} more orders later in the horizon (see actions.csv).",
              "zh": "计划期后段还有 {n} 条指令（见 actions.csv）。"},
    "ignored": {"en": "{n} rows of the actuals are at or after now and were not used.",
                "zh": "实际数据中有 {n} 行在当前时间或之后，未使用。"},
}


def label(key: str, lang: str, **kw: object) -> str:
    """The text of ``key`` in ``lang`` (en or zh) with its fields filled in."""
    text = LABELS[key]["zh" if lang == "zh" else "en"]
    return text.format(**kw) if kw else text
