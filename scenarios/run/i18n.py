"""Message catalogue of the run report and terminal summary, in English and Chinese.

``t(key, lang, **params)`` formats one message; every label and sentence of the report
goes through it, so a missing translation is a test failure (tests check both languages
have the same keys and placeholders). KPI names come from the rules catalogue
(``rules.catalogue.CATALOGUE[name].zh``) when it is installed, else from ``_KPI_ZH`` here.
"""

from __future__ import annotations

import string
from datetime import datetime
from typing import Any, Literal

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")

MESSAGES: dict[str, dict[str, str]] = {
    # ---- report frame
    "report.title": {"en": "peakdesk what-if: {name}", "zh": "peakdesk 测算报告：{name}"},
    "report.generated": {"en": "Scenario file {file} (SHA-256 {sha}), seed {seed}, "
                                "peakdesk {version}.",
                         "zh": "场景文件 {file}（SHA-256 {sha}），随机种子 {seed}，"
                               "peakdesk {version}。"},
    "report.quick": {"en": "Run with --quick: stages that replicate use fewer replications "
                           "than the scenario asks for, and say so in their section.",
                     "zh": "以 --quick 运行：需要多次仿真的步骤使用的仿真次数少于场景设定，"
                           "并在各自章节中注明。"},
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
              "an interval (FORMATS.md §1).",
        "zh": "进线量为场景给出的各时段点预测，时段内视为恒定（FORMATS.md §1）。"},
    # ---- requirements
    "req.intro": {
        "en": "The fewest agents meeting every target of each channel in each interval "
              "(Erlang A where customers abandon, Erlang C otherwise), and the agents to "
              "schedule after {shrinkage} shrinkage.",
        "zh": "每个时段满足各渠道全部服务目标的最少坐席数（客户会放弃时用 Erlang A，否则用 "
              "Erlang C），以及计入 {shrinkage} 缩减率后需排班的人数。"},
    "req.figure_channel": {"en": "{channel}: required and scheduled agents",
                           "zh": "{channel}：需求与排班人数"},
    "req.figure_total": {"en": "Scheduled requirement vs staffed agents",
                         "zh": "排班需求与在岗人数"},
    "req.required": {"en": "required (on the queue)", "zh": "需求（在线处理）"},
    "req.scheduled": {"en": "scheduled (after shrinkage)", "zh": "排班（计入缩减）"},
    "req.scheduled_channel": {"en": "scheduled: {channel}", "zh": "排班：{channel}"},
    "req.staffed": {"en": "staffed (all pools)", "zh": "在岗（全部人力池）"},
    "req.ylabel": {"en": "agents", "zh": "坐席数"},
    "req.table": {"en": "Requirement by channel", "zh": "各渠道需求人数"},
    "req.col.model": {"en": "model", "zh": "模型"},
    "req.col.peak_required": {"en": "peak required", "zh": "峰值需求"},
    "req.col.peak_scheduled": {"en": "peak scheduled", "zh": "峰值排班"},
    "req.col.peak_at": {"en": "peak at", "zh": "峰值时段"},
    "req.col.hours_required": {"en": "agent-hours required", "zh": "需求人时"},
    "req.col.hours_scheduled": {"en": "agent-hours scheduled", "zh": "排班人时"},
    "req.col.binding": {"en": "binding target at peak", "zh": "峰值时的约束目标"},
    "req.staffing_table": {"en": "Staffed agents by pool", "zh": "各人力池在岗人数"},
    "req.staffing_short": {"en": "intervals short of agents", "zh": "人手不足的时段"},
    "req.staffing_missing": {"en": "agent-hours missing", "zh": "缺口人时"},
    "req.col.pool": {"en": "pool", "zh": "人力池"},
    "req.col.agents": {"en": "agents (min–max)", "zh": "人数（最少–最多）"},
    "req.col.agent_hours": {"en": "agent-hours", "zh": "人时"},
    "req.decision_peak": {
        "en": "At the peak ({when}) {total} agents must be scheduled: {parts}.",
        "zh": "峰值时段（{when}）需排班 {total} 人：{parts}。"},
    "req.decision_covered": {
        "en": "The staffed pools ({staffed}) cover the scheduled requirement in all "
              "{n} intervals.",
        "zh": "现有人力池（{staffed}）在全部 {n} 个时段满足排班需求。"},
    "req.decision_short": {
        "en": "The staffed pools ({staffed}) fall short in {short} of {n} intervals, "
              "by up to {gap} agents at {when}; {hours} agent-hours are missing in total.",
        "zh": "现有人力池（{staffed}）在 {n} 个时段中有 {short} 个不足，最多缺 {gap} 人"
              "（{when}），合计缺 {hours} 人时。"},
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
            "abandonment (research/literature.md §A.3, §A.5).",
        "zh": "每个时段按平稳排队独立计算（SIPP）；有放弃时用 Erlang A，耐心时间取均值的指数分布"
              "（Whitt 2006），无放弃时用 Erlang C（research/literature.md §A.3、§A.5）。"},
    "req.assumption_chat": {
        "en": "Chat agents serve several sessions at once, each slower by the concurrency "
              "slowdown per extra session (Goes et al. 2018; docs/staffing.md).",
        "zh": "在线客服同时服务多个会话，每增加一个会话处理时长按并发减速系数增加"
              "（Goes 等 2018；docs/staffing.md）。"},
    "req.assumption_sum": {
        "en": "The staffed comparison adds the channels' scheduled requirements: agents are "
              "not shared between channels within an interval, which is conservative.",
        "zh": "与在岗人数比较时将各渠道的排班需求相加：同一时段内坐席不跨渠道共享，结果偏保守。"},
    "binding.service_level": {"en": "service level", "zh": "服务水平"},
    "binding.asa": {"en": "ASA", "zh": "平均应答时间"},
    "binding.abandon_rate": {"en": "abandon rate", "zh": "放弃率"},
    "binding.occupancy": {"en": "occupancy cap", "zh": "占用率上限"},
    "binding.stability": {"en": "stability", "zh": "队列稳定"},
    "binding.none": {"en": "none", "zh": "无"},
    "pool.in_house": {"en": "in-house", "zh": "自有"},
    "pool.outsourced": {"en": "outsourced", "zh": "外包"},
    "pool.reserve": {"en": "reserve", "zh": "储备"},
    "pool.temps": {"en": "temps", "zh": "临时工"},
    "list.sep": {"en": ", ", "zh": "，"},
    "part.channel_agents": {"en": "{channel} {n}", "zh": "{channel} {n} 人"},
    "part.pool_agents": {"en": "{pool} {n}", "zh": "{pool} {n} 人"},
    # ---- terminal
    "term.skipped": {"en": "skipped: {reason}", "zh": "已跳过：{reason}"},
    "term.report": {"en": "Report: {path}", "zh": "报告：{path}"},
    "term.folder": {"en": "Results folder: {path}", "zh": "结果文件夹：{path}"},
    "term.writing": {"en": "writing results", "zh": "写入结果"},
    "term.run_id": {"en": "Run {id} recorded in {db}", "zh": "运行记录 {id} 已保存到 {db}"},
}

# Chinese KPI names used when rules.catalogue is not installed (seed documents' words).
_KPI_ZH: dict[str, str] = {
    "offered": "呼入量", "answered": "接听量", "abandoned": "放弃量", "answer_rate": "接通率",
    "abandon_rate": "放弃率", "service_level": "服务水平", "asa_s": "平均应答时间",
    "aht_s": "平均通话时长", "acw_s": "平均后续处理时长", "occupancy": "占用率",
    "utilization": "工时利用率", "fcr": "一次解决率", "satisfaction": "满意度", "cost": "成本",
}


def t(key: str, lang: Lang, **params: Any) -> str:
    """The message ``key`` in ``lang`` with ``params`` filled in (KeyError if unknown)."""
    return MESSAGES[key][lang].format(**params)


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a message uses (for the catalogue consistency test)."""
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def _from_catalogue(metric: str) -> str | None:
    """The rules catalogue's Chinese name of ``metric``, if the catalogue is installed."""
    try:
        from rules.catalogue import CATALOGUE  # type: ignore[import-not-found]
    except ImportError:
        return None
    entry = CATALOGUE.get(metric)
    return getattr(entry, "zh", None) if entry is not None else None


def kpi_name(metric: str, lang: Lang) -> str:
    """A KPI's display name: the catalogue name in English, its Chinese name in Chinese."""
    if lang == "en":
        return metric
    return _from_catalogue(metric) or _KPI_ZH.get(metric, metric)


def number(value: float, lang: Lang, digits: int = 0) -> str:
    """A number with thousands separators (same style in both languages)."""
    return f"{value:,.{digits}f}"


def join(parts: list[str], lang: Lang) -> str:
    return t("list.sep", lang).join(parts)


_CHANNEL_ZH = {"voice": "电话", "phone": "电话", "chat": "在线", "outbound": "外呼",
               "email": "邮件"}


def channel_label(name: str, lang: Lang) -> str:
    """A channel's display name: its identifier, or the usual Chinese word for common ones."""
    return _CHANNEL_ZH.get(name, name) if lang == "zh" else name


def when(moment: datetime, lang: Lang, with_date: bool) -> str:
    """An interval start for sentences and tables: ``10 Nov 20:00`` / ``11月10日 20:00``."""
    clock = moment.strftime("%H:%M")
    if not with_date:
        return clock
    if lang == "zh":
        return f"{moment.month}月{moment.day}日 {clock}"
    return f"{moment.day} {_MONTHS[moment.month - 1]} {clock}"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
