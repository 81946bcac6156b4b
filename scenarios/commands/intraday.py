"""``peakdesk intraday``: on the day, from the contacts seen so far — which demand scenario
we are in, what to order before each lever's notice runs out, and the rest of the day
replayed with and without those orders (docs/intraday.md).

``run_intraday`` reads the results folder, the actuals and the scenario, calls the core
(planning.intraday) and returns an :class:`IntradayOutcome` whose ``doc`` is the ``--json``
document (docs/formats.md §10); ``write_intraday`` writes JSON, CSVs and the page;
``print_intraday`` the short action list.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from scenarios.reading.errors import CommandError, InputError

#: replications of the replay (each case; common random numbers between the two)
REPLAY_REPLICATIONS = 4


@dataclass
class IntradayOutcome:
    """The ``--json`` document and the tables behind the CSVs and the page."""

    doc: dict[str, Any]
    forecast_rows: list[list[Any]]
    action_rows: list[list[Any]]
    written: list[Path] = field(default_factory=list)


def _iso(t: datetime) -> str:
    return t.isoformat(timespec="minutes")


def parse_now(text: str) -> datetime:
    """--now as a local date-time (a time zone, if given, is dropped: horizons are local)."""
    try:
        t = datetime.fromisoformat(text)
    except ValueError:
        raise InputError.single("--now", f"not an ISO date-time (e.g. 2026-11-11T01:30): "
                                          f"{text!r}", field="--now") from None
    return t.replace(tzinfo=None)


def run_intraday(results_dir: str, actuals: str, now: datetime, *,
                 scenario: str | None = None, replications: int | None = None,
                 workers: int | None = None) -> IntradayOutcome:
    """Posterior, re-forecast, decisions and replay for ``now``."""
    from planning.intraday.decide import decide, plan_recourse, recourse_from_plan
    from planning.intraday.posterior import band_spread, scenario_posterior
    from planning.solver import PlanError
    from scenarios.adapters.to_mix import solver_options
    from scenarios.intraday.actuals import read_actuals
    from scenarios.intraday.adapter import (
        absence_ratio,
        day_end,
        day_inputs,
        observed_cells,
        with_absence,
    )
    from scenarios.intraday.folder import read_folder
    from scenarios.intraday.recourse_table import read_recourse
    from scenarios.reading.load import load_scenario

    t_start = time.perf_counter()
    loaded: dict[str, Any] = {}

    def n_intervals_of(path: Path) -> int:
        loaded["sc"] = load_scenario(path)
        return loaded["sc"].horizon.n_intervals

    folder = read_folder(results_dir, scenario, n_intervals_of)
    sc = loaded["sc"]
    h = sc.horizon
    end_of_horizon = h.start + timedelta(minutes=h.interval_minutes * h.n_intervals)
    if not h.start < now <= end_of_horizon:
        raise InputError.single("--now", f"{_iso(now)} is outside the plan's horizon "
                                          f"({_iso(h.start)} to {_iso(end_of_horizon)})",
                                field="--now")
    channels = [n for n, c in sc.channels.items() if c.kind != "outbound"]
    act = read_actuals(actuals, h.start, h.interval_minutes, h.n_intervals, channels, now)
    per_day = 1440 // h.interval_minutes
    step_min = h.interval_minutes
    open_from = int(np.ceil((now - h.start).total_seconds() / 60.0 / step_min - 1e-9))
    seen = act.seen
    starts = h.interval_starts()
    end = day_end(starts, seen, per_day) if seen < h.n_intervals else h.n_intervals
    # the decisions cover the rest of the horizon: the reserve's hours cap spans it, so a
    # shorter model would spend hours today that the plan keeps for later days
    day = day_inputs(sc, folder)
    # absences: the in-house agents present scale the rest of today
    ratio, ratio_at = absence_ratio(folder, act)
    first = with_absence(day.first, ratio, seen, end)
    # (1) re-forecast
    expected, counts = observed_cells(day, act)
    spread = band_spread(day.multipliers)
    post = scenario_posterior(day.prior, expected, counts, spread)
    # (2) decide
    opts = solver_options(sc)
    try:
        # the plan's own recourse (recourse_orders.csv of plan --out), else re-solved: the plan's
        # model with its first stage fixed and the prior
        written = read_recourse(Path(results_dir), day.case_names, day.starts)
        plan_rec = (recourse_from_plan(day.mix, written) if written is not None
                    else plan_recourse(day.mix, day.first, opts))
        dec = decide(day.mix, first, open_from, post.probability, opts, plan_rec)
    except PlanError as exc:
        raise CommandError(f"no decision could be computed: {exc}") from None
    t_decided = time.perf_counter()
    # (3) replay the rest of today
    replay = _replay(sc, day, dec, first, post, act, seen, end,
                     replications or REPLAY_REPLICATIONS,
                     workers or min(2, os.cpu_count() or 1))
    doc = _document(sc, day, folder, act, now, post, dec, replay, seen, end, open_from,
                    ratio, ratio_at)
    doc["plan_recourse"] = "recourse_orders.csv" if written is not None else "re-solved"
    doc["timings_s"] = {"decide": round(t_decided - t_start, 3),
                        "replay": round(time.perf_counter() - t_decided, 3)}
    return IntradayOutcome(doc, _forecast_rows(day, act, post, seen, end),
                           _action_rows(doc["actions"], doc["releases"]))


def _replay(sc: Any, day: Any, dec: Any, first: Any, post: Any, act: Any, seen: int,
            end: int, replications: int, workers: int) -> dict[str, Any]:
    """The rest of today simulated with the decided actions and without them."""
    from planning.intraday.replay import queued_arrivals, recourse_cost, simulate_case
    from scenarios.adapters.plan_check import check_scenario, reserve_show_up
    from scenarios.adapters.to_demand import handle_time_factors
    from scenarios.adapters.to_sim import sim_model
    from sim.runner import Demand

    if end <= seen:
        return {}
    chk = check_scenario(sc)
    show_up = reserve_show_up(sc)
    win = slice(seen, end)
    pools = [p for p in ("in_house", "outsourced", "reserve", "temps") if p in sc.pools]
    n = end - seen

    def staffing(reserve: np.ndarray, surge: np.ndarray, temps: np.ndarray) -> dict:
        out = {"in_house": first.in_house[win], "outsourced": first.outsourced[win] + surge,
               "reserve": reserve / max(show_up, 1e-9), "temps": temps}
        return {k: np.rint(np.asarray(v, float) + 1e-9).astype(np.int64) for k, v in out.items()
                if k in pools}

    e = dec.expected
    with_st = staffing(e(dec.recourse.reserve)[win], e(dec.recourse.surge)[win],
                       e(dec.recourse.temps)[win])
    c = dec.committed
    without_st = staffing(c.get("reserve_callout", np.zeros(len(day.starts)))[win],
                          c.get("outsourced_surge", np.zeros(len(day.starts)))[win],
                          c.get("temps", np.zeros(len(day.starts)))[win])
    full = {p: np.zeros(len(day.starts), np.int64) for p in pools}
    model = sim_model(chk, full)
    from dataclasses import replace

    model = replace(model, n_intervals=n, warmup_s=0.0)
    w = post.probability * post.multiplier
    rates = {ch: sum(float(w[s]) * np.asarray(day.rates[s][ch], float)[win]
                     for s in range(len(w))) for ch in day.channels}
    htf = {ch: np.asarray(v, float)[win] for ch, v in handle_time_factors(sc).items()}
    arrivals = queued_arrivals(model, rates, act.waiting,
                               np.random.default_rng(sc.simulation.seed))
    demand = Demand(rates, handle_time_factor=htf, arrivals=arrivals, name="posterior")
    prices = _prices(day.mix)
    dt = day.mix.interval_h
    cases = {}
    for name, st in (("with_actions", with_st), ("without_actions", without_st)):
        cost_st = {"reserve": st.get("reserve", 0) * show_up, "outsourced_surge":
                   st.get("outsourced", 0) - first.outsourced[win], "temps": st.get("temps", 0)}
        cases[name] = simulate_case(model, demand, st, replications, sc.simulation.seed,
                                    recourse_cost(cost_st, prices, dt), workers)
    return {"cases": cases, "replications": replications, "window": (seen, end)}


def _prices(inp: Any) -> dict[str, float]:
    """Recourse pay per agent on duty per hour (price + quality cost), by pool."""
    out = {}
    if inp.reserve:
        out["reserve"] = inp.reserve.activation_per_hour + inp.reserve.quality_cost_per_hour
    if inp.outsourced:
        out["outsourced_surge"] = (inp.outsourced.surge_price_per_hour
                                   + inp.outsourced.quality_cost_per_hour)
    if inp.temps:
        out["temps"] = inp.temps.price_per_hour + inp.temps.quality_cost_per_hour
    return out


def _r(v: float, nd: int = 4) -> float:
    return round(float(v), nd)


def _document(sc: Any, day: Any, folder: Any, act: Any, now: datetime, post: Any, dec: Any,
              replay: dict, seen: int, end: int, open_from: int, ratio: float,
              ratio_at: int | None) -> dict[str, Any]:
    """The --json document (docs/formats.md §10 and docs/intraday.md)."""
    from planning.intraday.posterior import mixture_forecast, run_rate_forecast

    starts = day.starts
    step = timedelta(minutes=sc.horizon.interval_minutes)

    def label(t: int) -> str:
        return _iso(starts[t]) if t < len(starts) else _iso(starts[-1] + step)

    rest = day.offered[:, :, seen:end].sum(axis=1)  # (S, rest of today)
    later = day.offered[:, :, seen:].sum(axis=1)
    per_day = 1440 // sc.horizon.interval_minutes
    d0 = max(0, end - per_day)
    usual = day.prior @ day.offered[:, :, d0:end].sum(axis=1)
    seen_today = float(sum(np.nansum(act.offered[ch][d0:seen]) for ch in day.channels))
    run_rate = run_rate_forecast(seen_today, usual, seen - d0) if end > seen else np.zeros(0)
    actions = [{"lever": a.lever, "send_by": label(a.send_by), "start": label(a.start),
                "end": label(a.end), "agents": int(a.agents), "cost": _r(a.cost, 2),
                "firm": bool(a.firm), "expected_agents": _r(a.expected, 3),
                "range": [_r(a.low, 3), _r(a.high, 3)]} for a in dec.actions]
    released = [{"lever": a.lever, "send_by": label(a.send_by), "start": label(a.start),
                 "end": label(a.end), "agents": int(a.agents), "saving": _r(a.cost, 2),
                 "firm": bool(a.firm), "expected_agents": _r(a.expected, 3),
                 "range": [_r(a.low, 3), _r(a.high, 3)]} for a in dec.releases]
    replay_doc: dict[str, Any] = {"with_actions": {}, "without_actions": {}}  # day over
    extra: dict[str, Any] = {}
    if replay:
        for name, case in replay["cases"].items():
            replay_doc[name] = {ch: {k: (None if v != v else _r(v, 6)) for k, v in kp.items()}
                                for ch, kp in case.channels.items()}
        a, b = replay["window"]
        extra = {"start": label(a), "end": label(b), "replications": replay["replications"],
                 "recourse_cost": {k: _r(c.cost, 2) for k, c in replay["cases"].items()},
                 "agents": {k: {p: int(v.sum()) for p, v in c.staffing.items()}
                            for k, c in replay["cases"].items()}}
    names = day.names
    return {
        "now": _iso(now),
        "scenario": sc.name, "currency": sc.currency, "language": sc.language,
        "results_folder": folder.kind, "interval_minutes": sc.horizon.interval_minutes,
        "posterior": [{"scenario": names[s], "probability": _r(post.probability[s], 6),
                       "prior": _r(post.prior[s], 6), "multiplier": _r(day.multipliers[s], 4),
                       "expected_seen": _r(post.expected_seen[s], 1),
                       "tail_probability": _r(post.tail[s], 6),
                       "spread_cv": _r(post.spread_cv[s], 4)} for s in range(len(names))],
        "seen": {"intervals": int(act.observed.sum()), "until": label(seen),
                 "contacts": _r(post.seen, 1), "expected_by_plan": _r(post.prior_expected_seen, 1),
                 "ratio_to_plan": _r(post.seen / post.prior_expected_seen, 4)
                 if post.prior_expected_seen > 0 else None,
                 "most_likely": names[post.most_likely],
                 "outside_every_scenario": post.outside,
                 "channels_outside": _channels_outside(day, act, post),
                 "rows_after_now_ignored": act.ignored_rows},
        "reforecast": {
            "rest_of_day": {"start": label(seen), "end": label(end),
                            "plan": _r(day.prior @ rest.sum(axis=1), 1),
                            "posterior": _r(mixture_forecast(post, rest).sum(), 1),
                            "run_rate": _r(run_rate.sum(), 1)},
            "rest_of_horizon": {"start": label(seen), "end": label(len(starts)),
                                "plan": _r(day.prior @ later.sum(axis=1), 1),
                                "posterior": _r(mixture_forecast(post, later).sum(), 1)}},
        "absence": {"in_house_present_ratio": _r(ratio, 4),
                    "from_interval": None if ratio_at is None else label(ratio_at)},
        "actions": actions,
        "actions_cost": _r(sum(a["cost"] for a in actions), 2),
        "releases": released,
        "replay": replay_doc,
        "replay_details": extra,
    }


def _channels_outside(day: Any, act: Any, post: Any) -> list[str]:
    """Channels whose own total falls outside every scenario (same test as the whole:
    the best scenario's two-sided tail below alpha) — e.g. voice far above while chat is
    below, which the total alone can hide."""
    from planning.intraday.posterior import tail_probability

    out = []
    for c, ch in enumerate(day.channels):
        got = ~np.isnan(act.offered[ch])
        seen = float(act.offered[ch][got].sum())
        lam = day.offered[:, c, :act.seen][:, got].sum(axis=1)
        if seen > 0 and float(tail_probability(lam, seen, post.spread_cv).max()) < post.alpha:
            out.append(ch)
    return out


def _forecast_rows(day: Any, act: Any, post: Any, seen: int, end: int) -> list[list[Any]]:
    """forecast.csv: today's intervals per channel — actual, plan, posterior, run rate."""
    from planning.intraday.posterior import mixture_forecast, run_rate_forecast

    per_day = 1440 // day.mix.interval_minutes
    d0 = max(0, end - per_day)
    rows = []
    for c, ch in enumerate(day.channels):
        usual = day.prior @ day.offered[:, c, d0:end]
        mix = mixture_forecast(post, day.offered[:, c, d0:end])
        seen_today = float(np.nansum(act.offered[ch][d0:seen]))
        rr = run_rate_forecast(seen_today, usual, seen - d0)
        for i, t in enumerate(range(d0, end)):
            actual = act.offered[ch][t] if t < seen else np.nan
            rows.append([_iso(day.starts[t]), ch, None if actual != actual else int(actual),
                         _r(usual[i], 2), _r(mix[i], 2),
                         _r(rr[t - seen], 2) if t >= seen else None])
    return rows


FORECAST_HEADER = ["interval_start", "channel", "actual", "plan", "posterior", "run_rate"]
ACTION_HEADER = ["lever", "send_by", "start", "end", "agents", "cost", "firm",
                 "expected_agents", "low", "high", "kind"]


def _action_rows(actions: list[dict], releases: list[dict]) -> list[list[Any]]:
    """actions.csv: the orders (kind order, cost) then the releases (kind release, cost =
    the pay saved, negative)."""
    return ([[a["lever"], a["send_by"], a["start"], a["end"], a["agents"], a["cost"],
              a["firm"], a["expected_agents"], *a["range"], "order"] for a in actions]
            + [[a["lever"], a["send_by"], a["start"], a["end"], a["agents"], -a["saving"],
                a["firm"], a["expected_agents"], *a["range"], "release"] for a in releases])


def write_intraday(outcome: IntradayOutcome, *, json_path: str | None = None,
                   out_dir: str | None = None, lang: str = "en") -> list[Path]:
    """``--json`` and the ``--out`` folder: intraday.json, actions.csv, forecast.csv,
    intraday.html (every file written atomically)."""
    from scenarios.intraday.output import page_html
    from scenarios.writing.output import write_atomic, write_csv, write_json

    written: list[Path] = []
    if json_path:
        write_json(json_path, outcome.doc)
        written.append(Path(json_path))
    if out_dir:
        d = Path(out_dir)
        write_json(d / "intraday.json", outcome.doc)
        write_csv(d / "actions.csv", ACTION_HEADER, outcome.action_rows)
        write_csv(d / "forecast.csv", FORECAST_HEADER, outcome.forecast_rows)
        write_atomic(d / "intraday.html", page_html(outcome.doc, outcome.forecast_rows, lang,
                                                    outcome.doc["interval_minutes"]))
        written += [d / "intraday.json", d / "actions.csv", d / "forecast.csv",
                    d / "intraday.html"]
    outcome.written = written
    return written
