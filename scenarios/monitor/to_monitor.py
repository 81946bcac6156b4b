"""Adapter: a loaded spec and history → the monitoring core's count panels.

Also where the counts are checked against each metric's model: counts are whole numbers;
a share's numerator never exceeds its denominator (else ``model: poisson``, a rate per
exposure); both cells empty is a period without data, one empty is an error.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from rules.monitor import MetricSeries, MonitorInputs, Settings
from scenarios.monitor.history import History
from scenarios.monitor.spec import MetricSpec, MonitorSpec
from scenarios.reading.errors import InputError, Problem
from scenarios.reading.yamlio import position

MAX_PROBLEMS = 30
DEFAULTS = {"day": {"baseline": 28, "floor_window": 30, "rank_window": 7},
            "week": {"baseline": 8, "floor_window": 4, "rank_window": 4}}


def needed_columns(spec: MonitorSpec) -> list[str]:
    return list(dict.fromkeys(c for _, _, m in spec.metrics() for c in m.ratio))


def settings(spec: MonitorSpec, periods: int) -> Settings:
    """The core's settings: the spec's, with the period's defaults where it is silent."""
    d = DEFAULTS[spec.period]
    baseline = spec.baseline_periods or min(d["baseline"], max(2, periods // 2))
    return Settings(period=spec.period, baseline_periods=baseline,
                    false_alarm_rate=spec.false_alarm_rate, shift=spec.shift,
                    team_shift=spec.team_shift,
                    floor_confidence=spec.floor_confidence,
                    floor_window=spec.floor_window or d["floor_window"],
                    rank_window=spec.rank_window or d["rank_window"],
                    rank_level=spec.rank_level, dispersion=spec.overdispersion,
                    seed=spec.seed, judge_agents=spec.judge_agents)


def _series(sec: str, m: MetricSpec, hist: History, row: np.ndarray, col: np.ndarray,
            shape: tuple[int, int], problems: list[Problem]) -> MetricSeries | None:
    num_name, den_name = m.ratio
    num, den = hist.columns[num_name], hist.columns[den_name]
    file = hist.file

    def bad(rows: np.ndarray, name: str, message: str) -> None:
        for r in rows[:MAX_PROBLEMS]:
            problems.append(Problem(file, *hist.where(int(r), name), name,
                                    message.format(num=num[r], den=den[r])))

    before = len(problems)
    one_empty = np.isnan(num) != np.isnan(den)
    bad(np.flatnonzero(one_empty & np.isnan(num)), num_name,
        f"empty while '{den_name}' is {{den:g}} (metric '{m.name}')")
    bad(np.flatnonzero(one_empty & np.isnan(den)), den_name,
        f"empty while '{num_name}' is {{num:g}} (metric '{m.name}')")
    ok = ~np.isnan(num) & ~np.isnan(den)
    bad(np.flatnonzero(ok & (num != np.round(num))), num_name,
        f"a count must be a whole number, got {{num:g}} (metric '{m.name}')")
    bad(np.flatnonzero(ok & (den == 0) & (num > 0)), den_name,
        f"0 while '{num_name}' is {{num:g}} (metric '{m.name}')")
    share = bool(np.all((num[ok] <= den[ok]) & (den[ok] == np.round(den[ok]))))
    model = m.model if m.model != "auto" else ("binomial" if share else "poisson")
    if m.model == "binomial":
        bad(np.flatnonzero(ok & (num > den)), num_name,
            f"{{num:g}} is more than '{den_name}' ({{den:g}}): metric '{m.name}' is a share "
            f"(model: binomial); use model: poisson for a rate per exposure")
        bad(np.flatnonzero(ok & (den != np.round(den))), den_name,
            f"a share needs whole-number trials, got {{den:g}} (metric '{m.name}')")
    if len(problems) > before:
        return None
    x = np.zeros(shape)
    n = np.zeros(shape)
    if sec == "bot":                 # the team's only: every row's counts into the totals
        row = np.zeros_like(row)
    ok = ok & (row >= 0)
    np.add.at(x, (row[ok], col[ok]), num[ok])
    np.add.at(n, (row[ok], col[ok]), den[ok])
    return MetricSeries(m.name, sec, model, m.better == "higher", m.target, m.floor,  # type: ignore[arg-type]
                        x, n, m.shift)


def bot_only(spec: MonitorSpec, hist: History) -> np.ndarray:
    """Rows that carry only the bot's counts (the bot's own rows): no trials in any agent
    metric, trials in a bot metric. Their agent_id is not an agent."""
    bot = [m.ratio[1] for sec, _, m in spec.metrics() if sec == "bot"]
    if not bot:
        return np.zeros(len(hist), dtype=bool)
    agent_cols = [m.ratio[1] for sec, _, m in spec.metrics() if sec != "bot"]
    has_agent = np.zeros(len(hist), dtype=bool)
    for c in agent_cols:
        has_agent |= np.nan_to_num(hist.columns[c]) > 0
    has_bot = np.zeros(len(hist), dtype=bool)
    for c in bot:
        has_bot |= np.nan_to_num(hist.columns[c]) > 0
    return has_bot & ~has_agent


def _agent_rows(spec: MonitorSpec, hist: History) -> tuple[np.ndarray, np.ndarray]:
    """(agents, row index of each history row; −1 for the bot's own rows)."""
    skip = bot_only(spec, hist)
    agents = np.unique(hist.agent_id[~skip])
    row = np.searchsorted(agents, hist.agent_id)
    row = np.where(skip, -1, np.minimum(row, max(len(agents) - 1, 0)))
    return agents, row


def monitor_inputs(spec: MonitorSpec, root: Any, spec_file: str, hist: History
                   ) -> MonitorInputs:
    """Count panels (agents × dates) per metric of the spec, checked; raise InputError."""
    dates, col = np.unique(hist.dates, return_inverse=True)
    agents, row = _agent_rows(spec, hist)
    if len(dates) < 4:
        raise InputError.single(hist.file, f"{len(dates)} date(s): monitoring needs at least "
                                "4 (a baseline and periods to judge)", field="date")
    problems: list[Problem] = []
    series = []
    for sec, i, m in spec.metrics():
        s = _series(sec, m, hist, row, col, (len(agents), len(dates)), problems)
        if s is None:
            continue
        if s.model == "binomial":
            for key in ("target", "floor"):
                v = getattr(m, key)
                if v is not None and v > 1:
                    line, c = position(root, (sec, i, key))
                    problems.append(Problem(spec_file, line, c, f"{sec}.{i}.{key}",
                                            f"{v:g} is not a share (metric '{m.name}' is "
                                            f"{m.ratio[0]} of {m.ratio[1]}): expected 0..1"))
        series.append(s)
    if problems:
        raise InputError(problems[:MAX_PROBLEMS])
    cfg = settings(spec, len(dates))
    if cfg.baseline_periods >= len(dates):
        line, c = position(root, ("baseline_periods",))
        raise InputError.single(spec_file, f"baseline_periods {cfg.baseline_periods} leaves "
                                f"no period to judge: the history has {len(dates)} dates",
                                field="baseline_periods", line=line, col=c)
    return MonitorInputs(dates, tuple(str(a) for a in agents), tuple(series), cfg)


def appended_inputs(spec: MonitorSpec, hist: History, agents: tuple[str, ...],
                    models: dict[str, str], settings: Settings) -> MonitorInputs | None:
    """Count panels of rows appended to a history (a daily update), in the state's agent
    order; None when they bring an agent the state does not know or turn a share into a
    rate (``model: auto``): the caller then runs the whole history again. Problems in the
    rows raise InputError as for a whole history."""
    dates, col = np.unique(hist.dates, return_inverse=True)
    index = {a: i for i, a in enumerate(agents)}
    skip = bot_only(spec, hist)
    if any(str(a) not in index for a in np.unique(hist.agent_id[~skip])):
        return None
    row = np.array([-1 if s else index[str(a)] for a, s in zip(hist.agent_id, skip,
                                                                strict=True)], dtype=int)
    problems: list[Problem] = []
    series = []
    for sec, _, m in spec.metrics():
        s = _series(sec, m, hist, row, col, (len(agents), len(dates)), problems)
        if s is not None:
            if s.model != models.get(m.name, s.model) and m.model == "auto":
                s = MetricSeries(s.name, s.section, models[m.name], s.higher,  # type: ignore[arg-type]
                                 s.target, s.floor, s.successes, s.trials, s.shift)
                if models[m.name] == "binomial":
                    return None
            series.append(s)
    if problems:
        raise InputError(problems[:MAX_PROBLEMS])
    return MonitorInputs(dates, agents, tuple(series), settings)
