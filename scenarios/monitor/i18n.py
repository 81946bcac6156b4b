"""Messages of the monitoring page and evidence sentences, in English and Chinese.

Same machinery as the run report (:mod:`scenarios.words.i18n`): ``t(key, lang, **params)``
formats one message, KPI names come from the catalogue through ``kpi_name``; a test checks
both languages have the same keys and placeholders.
"""

from __future__ import annotations

from typing import Any

from scenarios.words.i18n import Lang, kpi_name

MESSAGES: dict[str, dict[str, str]] = {
    "title": {"en": "KPI monitoring: {name}", "zh": "数据监控表：{name}"},
    "generated": {"en": "History {history} ({agents} agents, {first} to {last}), spec {spec}, "
                        "peakdesk {version}.",
                  "zh": "历史数据 {history}（{agents} 名坐席，{first} 至 {last}），监控配置 "
                        "{spec}，peakdesk {version}。"},
    "settings": {"en": "Each agent is judged against their own baseline (their first "
                       "{baseline}){judge}; false-alarm rate {rate} per agent, metric and "
                       "{unit} when nothing changed; CUSUMs tuned to a {shift} change; floors "
                       "judged over the last {floor_window} at {confidence} confidence.",
                 "zh": "每名坐席与自身基线比较（其最初 {baseline}）{judge}；在没有变化时，每人"
                       "每指标每{unit}的误报率为 {rate}；CUSUM 针对 {shift} 的变化调校；底线指标按"
                       "最近 {floor_window}、{confidence} 置信度判断。"},
    "judge.team_day": {"en": ", moved each day by the rest of the team's rate that day (a "
                             "day that moves everyone is the team's shift, not each agent's)",
                       "zh": "，并按当天其他坐席的整体水平逐日调整（所有人一起变动的日子算作团队的"
                             "变化，而不是每名坐席的）"},
    "judge.own": {"en": "", "zh": ""},
    "unit.day": {"en": "day", "zh": "天"},
    "unit.week": {"en": "week", "zh": "周"},
    "count.day": {"en": "{n} days", "zh": "{n} 天"},
    "count.week": {"en": "{n} weeks", "zh": "{n} 周"},
    "h.summary": {"en": "This morning", "zh": "今日要点"},
    "h.flags": {"en": "Flags standing on {date}", "zh": "{date} 的预警"},
    "h.team": {"en": "Team: daily table", "zh": "团队：日数据监控表"},
    "h.week": {"en": "Team: weekly report", "zh": "团队：周报"},
    "h.month": {"en": "Team: monthly review", "zh": "团队：月复盘"},
    "h.agents": {"en": "Agents: latest week ({first} to {last})",
                 "zh": "坐席：最近一周（{first} 至 {last}）"},
    "h.agents_month": {"en": "Agents: month by month", "zh": "坐席：逐月"},
    "h.ranking": {"en": "Ranking on {metric}, {first} to {last}, and what the counts support",
                  "zh": "{metric} 排名（{first} 至 {last}）及数据能支持的程度"},
    "h.method": {"en": "How to read this page", "zh": "阅读说明"},
    "team_today": {"en": "Team {metric} on {date}: {value} — {status}.",
                   "zh": "{date} 团队{metric}：{value}——{status}。"},
    "n_flags": {"en": "{decline} agent(s) in a real decline, {improvement} improving, "
                      "{floor} below a floor.",
                "zh": "{decline} 名坐席确有下滑，{improvement} 名在提升，{floor} 名低于底线。"},
    "new_flags": {"en": "New since yesterday: {names}.", "zh": "今天新增：{names}。"},
    "no_flags": {"en": "No flag stands: every movement is within what the counts explain.",
                 "zh": "当前没有预警：所有波动都在样本量可解释的范围内。"},
    "naive": {"en": "The usual rule (last {window} below 90% of the team median) "
                    "would flag {n} agent(s) on {metric}: {names}. Of them, {steady} show no "
                    "decline against their own baseline; the charts flag {caught} of them.",
              "zh": "常用规则（最近 {window}低于团队中位数的 90%）在{metric}上会标记 "
                    "{n} 名坐席：{names}。其中 {steady} 名与自身基线相比并无下滑；控制图标记了其中 "
                    "{caught} 名。"},
    "naive_missed": {"en": "It misses {names}, in a real decline by the charts.",
                     "zh": "它漏掉了 {names}，控制图判断这些坐席确有下滑。"},
    "naive_none": {"en": "The usual rule (last {window} below 90% of the team median) "
                         "flags nobody on {metric}.",
                   "zh": "常用规则（最近 {window}低于团队中位数的 90%）在{metric}上"
                         "没有标记任何人。"},
    "ranking": {"en": "Of {pairs} neighbouring pairs, {separable} are separable at {level} "
                      "(the one above is really better); the rest could swap places by luck. "
                      "The bottom band ({bottom}) truly belongs there with probability "
                      "{reliability} on average (pure noise: {share}).",
                "zh": "{pairs} 对相邻排名中，有 {separable} 对在 {level} 置信度下可区分（排在前"
                      "面的确实更好）；其余的名次可能只是运气。末位组（{bottom}）确实属于末位的"
                      "平均概率为 {reliability}（纯随机时为 {share}）。"},
    "col.date": {"en": "date", "zh": "日期"},
    "col.week": {"en": "week of", "zh": "周起始"},
    "col.month": {"en": "month", "zh": "月份"},
    "col.agent": {"en": "agent", "zh": "坐席"},
    "col.metric": {"en": "metric", "zh": "指标"},
    "col.kind": {"en": "flag", "zh": "预警"},
    "col.since": {"en": "since", "zh": "起始"},
    "col.evidence": {"en": "evidence", "zh": "依据"},
    "col.rank": {"en": "rank", "zh": "名次"},
    "col.value": {"en": "value", "zh": "数值"},
    "col.counts": {"en": "counts", "zh": "计数"},
    "col.rank_interval": {"en": "rank could be", "zh": "可能名次"},
    "col.above_next": {"en": "really above the next", "zh": "确实高于下一名"},
    "col.baseline": {"en": "own baseline", "zh": "自身基线"},
    "section.core": {"en": "core", "zh": "核心数据"},
    "section.auxiliary": {"en": "auxiliary", "zh": "辅助数据"},
    "section.floor": {"en": "floor", "zh": "底线数据"},
    "section.bot": {"en": "bot", "zh": "机器人数据"},
    "status.on_target": {"en": "on target", "zh": "达标"},
    "status.within_noise": {"en": "off target, within noise", "zh": "未达标（波动范围内）"},
    "status.decline": {"en": "real decline", "zh": "确有下滑"},
    "status.improvement": {"en": "real improvement", "zh": "确有提升"},
    "status.below_floor": {"en": "below floor", "zh": "低于底线"},
    "status.no_data": {"en": "no data", "zh": "无数据"},
    "kind.decline": {"en": "decline", "zh": "下滑"},
    "kind.improvement": {"en": "improvement", "zh": "提升"},
    "kind.below_floor": {"en": "below floor", "zh": "低于底线"},
    "team": {"en": "team", "zh": "团队"},
    "yes": {"en": "yes", "zh": "是"},
    "maybe": {"en": "not separable", "zh": "无法区分"},
    "ev.shift": {"en": "{value} ({x} of {n}) since {since} {when}, against {whose} own "
                       "baseline {baseline} ({bx} of {bn}); the CUSUM reached its threshold "
                       "{h} on {signalled} and stands at {stat}.",
                 "zh": "自 {since} 起{when}为 {value}（{n} 中 {x}），{whose}自身基线为 "
                       "{baseline}（{bn} 中 {bx}）；CUSUM 于 {signalled} 达到阈值 {h}，当前为 "
                       "{stat}。"},
    "ev.single": {"en": "{value} ({x} of {n}) since {since} {when}, against {whose} own "
                        "baseline {baseline} ({bx} of {bn}); the count of {signalled} is "
                        "beyond its per-period limit.",
                  "zh": "自 {since} 起{when}为 {value}（{n} 中 {x}），{whose}自身基线为 "
                        "{baseline}（{bn} 中 {bx}）；{signalled} 的计数超出当期控制限。"},
    "ev.when_range": {"en": "(the start most likely between {low} and {high})",
                      "zh": "（起始日最可能在 {low} 至 {high} 之间）"},
    "ev.when_day": {"en": "(the start clear to the day)", "zh": "（起始日可确定到当天）"},
    "ev.floor": {"en": "{x} of {n} ({value}) over the last {window}, floor {floor}: "
                       "P = {p} if the true rate were at the floor.",
                 "zh": "最近 {window}为 {n} 中 {x}（{value}），底线 {floor}：若真实水平"
                       "恰在底线，出现这一结果的概率 P = {p}。"},
    "whose.agent": {"en": "the agent's", "zh": "该坐席"},
    "whose.team": {"en": "the team's", "zh": "团队"},
    "method": {"en": "A ratio is judged with its counts: conversion on 40 enquiries can "
                     "swing by ±15 points on luck alone, so each cell is compared with the "
                     "agent's own level, not with a bare number. A real decline needs "
                     "evidence that accumulates (a CUSUM) or one period far outside its "
                     "limits; a cell shows it from the day the evidence was enough. When the "
                     "decline began is estimated from all the days since (the most likely "
                     "start, and the range it most likely lies in). A floor is broken only "
                     "when the counts make it unlikely the true rate is still at the floor. "
                     "Methods and sources: docs/monitoring.md.",
               "zh": "比率要结合样本量判断：40 个询单的转化率仅凭运气就可能上下波动 15 个百分点，"
                     "因此每个单元格都与坐席自身水平比较，而不是与一个孤立数字比较。确有下滑需要"
                     "持续累积的证据（CUSUM）或某一期远超控制限；单元格从证据足够的那一天起显示"
                     "下滑。下滑从哪天开始，则用此后的全部数据估计（最可能的起始日及其可能范围）。"
                     "只有当样本量表明真实水平不太可能仍在底线之上时，才判定低于底线。方法与来源"
                     "见 docs/monitoring.md。"},
    "files": {"en": "Files: {files}.", "zh": "文件：{files}。"},
}


def t(key: str, lang: Lang, **params: Any) -> str:
    return MESSAGES[key][lang].format(**params)


def periods(n: int, period: str, lang: Lang) -> str:
    """``28 days`` / ``28 天``."""
    return t(f"count.{period}", lang, n=n)


def metric_label(name: str, zh: str | None, lang: Lang) -> str:
    """The spec's name, its Chinese name when given, else the catalogue's."""
    if lang == "zh" and zh:
        return zh
    return kpi_name(name, lang)
