"""The one-page HTML of ``peakdesk intraday`` (en / zh) and the terminal's short list.

The page is self-contained (inline CSS, no script, no network; jinja2 with autoescape).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from scenarios.intraday.labels import label

_TEMPLATES = Path(__file__).with_name("templates")
#: actions shown on the terminal and on the page's first table: those due within a day
SHOWN_HOURS = 24.0


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.1%}"


def _short(iso: str, today: str, end: bool = False) -> str:
    """2026-11-11T10:00 → 10:00 on ``today`` (ISO date), else 11-12 10:00; an ``end`` at
    the next midnight → 24:00."""
    t = datetime.fromisoformat(iso)
    if iso[:10] == today:
        return f"{t:%H:%M}"
    if end and t.hour == t.minute == 0 and (t - timedelta(days=1)).date().isoformat() == today:
        return "24:00"
    return f"{t:%m-%d %H:%M}"


def status_text(a: dict, lang: str) -> str:
    lo, hi = a["range"]
    if a["firm"]:
        return label("firm", lang)
    digits = 1 if round(lo) == round(hi) else 0  # 1.6–2.4, not 2–2
    return label("provisional", lang, low=f"{lo:.{digits}f}", high=f"{hi:.{digits}f}")


def soon(doc: dict) -> tuple[list[dict], int]:
    """(actions whose send-by is within SHOWN_HOURS of now, number of later ones)."""
    now = datetime.fromisoformat(doc["now"])
    near = [a for a in doc["actions"]
            if (datetime.fromisoformat(a["send_by"]) - now).total_seconds() <= SHOWN_HOURS * 3600]
    return near, len(doc["actions"]) - len(near)


def view(doc: dict, lang: str) -> dict[str, Any]:
    """Sentences and table rows shared by the page and the terminal."""
    s = doc["seen"]
    cur = doc["currency"]
    near, later = soon(doc)
    ratio = s["ratio_to_plan"]
    lines = [label("seen", lang, seen=f"{s['contacts']:,.0f}",
                   expected=f"{s['expected_by_plan']:,.0f}",
                   ratio="—" if ratio is None else f"{ratio:.0%}", best=s["most_likely"]),
             label("outside" if s["outside_every_scenario"] else "inside", lang)]
    if s.get("channels_outside"):
        lines.append(label("channels_outside", lang, channels=", ".join(s["channels_outside"])))
    ab = doc["absence"]
    if ab["from_interval"] is not None:
        lines.append(label("absence", lang, ratio=f"{ab['in_house_present_ratio']:.0%}",
                           at=ab["from_interval"]))
    if s["rows_after_now_ignored"]:
        lines.append(label("ignored", lang, n=s["rows_after_now_ignored"]))
    day = doc["now"][:10]
    actions = [[label(a["lever"], lang), _short(a["send_by"], day),
                f"{_short(a['start'], day)}–{_short(a['end'], day, end=True)}",
                str(a["agents"]),
                f"{a['cost']:,.0f}", status_text(a, lang)] for a in near]
    post = [[p["scenario"], f"{p['multiplier']:.2f}", f"{p['prior']:.1%}",
             f"{p['probability']:.1%}", f"{p['expected_seen']:,.0f}"]
            for p in doc["posterior"]]
    rf = doc["reforecast"]
    fore = [[label(k, lang), f"{rf[k]['start']} – {rf[k]['end']}".replace("T", " "),
             f"{rf[k]['plan']:,.0f}", f"{rf[k]['posterior']:,.0f}",
             f"{rf[k]['run_rate']:,.0f}" if "run_rate" in rf[k] else "—"]
            for k in ("rest_of_day", "rest_of_horizon")]
    rep = doc["replay"]
    replay = []
    for ch in rep.get("with_actions", {}):
        w, o = rep["with_actions"][ch], rep["without_actions"][ch]
        replay.append([ch, _pct(w.get("service_level")), _pct(o.get("service_level")),
                       _pct(w.get("abandon_rate")), _pct(o.get("abandon_rate"))])
    det = doc["replay_details"]
    note = label("replay_note", lang, start=det["start"].replace("T", " "),
                 end=det["end"].replace("T", " "), n=det["replications"],
                 with_cost=f"{det['recourse_cost']['with_actions']:,.0f} {cur}",
                 without_cost=f"{det['recourse_cost']['without_actions']:,.0f} {cur}") \
        if det else ""
    releases = [[label(a["lever"], lang), _short(a["send_by"], day),
                 f"{_short(a['start'], day)}–{_short(a['end'], day, end=True)}",
                 str(a["agents"]), f"{a['saving']:,.0f}"] for a in doc.get("releases", [])]
    return {"lines": lines, "actions": actions, "releases": releases, "later": later,
            "posterior": post,
            "forecast": fore, "replay": replay, "replay_note": note}


def forecast_chart(forecast_rows: list[list[Any]], lang: str, interval_minutes: int) -> str:
    """Today's contacts per interval, all channels: actual, plan, posterior, run rate (SVG)."""
    import numpy as np

    from scenarios.run.plots import Series, step_chart

    starts = sorted({r[0] for r in forecast_rows})
    pos = {t: i for i, t in enumerate(starts)}
    cols = {k: np.zeros(len(starts)) for k in ("actual", "plan", "posterior", "run_rate")}
    seen = {k: np.zeros(len(starts), bool) for k in cols}
    for t, _ch, *vals in forecast_rows:
        for k, v in zip(cols, vals, strict=True):
            if v is not None:
                cols[k][pos[t]] += float(v)
                seen[k][pos[t]] = True
    series = [Series(label(k if k != "posterior" else "by_posterior", lang),
                     np.where(seen[k], cols[k], np.nan), dashed=k == "plan")
              for k in ("plan", "posterior", "run_rate", "actual")]
    return step_chart("intraday-forecast", [datetime.fromisoformat(t) for t in starts],
                      timedelta(minutes=interval_minutes), series, label("contacts", lang),
                      height=2.6)


def page_html(doc: dict, forecast_rows: list[list[Any]], lang: str,
              interval_minutes: int = 30) -> str:
    """intraday.html."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(_TEMPLATES),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined)
    keys = ("releases", "saving", "actions", "no_actions", "lever", "send_by", "start", "end", "agents", "cost",
            "status", "posterior", "scenario", "prior", "probability", "multiplier",
            "expected_seen", "reforecast", "window", "plan", "by_posterior", "run_rate",
            "replay", "channel", "with_actions", "without_actions", "service_level",
            "abandon_rate")
    v = view(doc, lang)
    return env.get_template("intraday.html.j2").render(
        html_lang="zh-CN" if lang == "zh" else "en",
        title=label("title", lang, name=doc["scenario"]),
        now=label("now", lang, now=doc["now"].replace("T", " "),
                  until=doc["seen"]["until"].replace("T", " ")),
        outside=doc["seen"]["outside_every_scenario"],
        later=label("later", lang, n=v["later"]) if v["later"] else "",
        L={k: label(k, lang) for k in keys}, v=v, currency=doc["currency"],
        chart=forecast_chart(forecast_rows, lang, interval_minutes) if forecast_rows else "")


def print_intraday(con: Any, doc: dict, written: list[Path], lang: str = "en") -> None:
    """The short action list, the posterior's verdict, the replay; files written."""
    from rich.markup import escape
    from rich.table import Table

    v = view(doc, lang)
    con.print(f"[bold]{escape(label('title', lang, name=doc['scenario']))}[/] — "
              + escape(label("now", lang, now=doc["now"].replace("T", " "),
                             until=doc["seen"]["until"].replace("T", " "))))
    for i, line in enumerate(v["lines"]):
        style = "[bold red]" if i == 1 and doc["seen"]["outside_every_scenario"] else "["
        con.print((style + escape(line) + "[/]") if style != "[" else escape(line))
    if v["actions"]:
        t = Table(title=label("actions", lang))
        heads = {"lever": label("lever", lang), "send_by": label("send_by", lang),
                 "window": label("window", lang), "agents": label("agents", lang),
                 "cost": f"{label('cost', lang)} {doc['currency']}",
                 "status": label("status", lang)}
        for k, head in heads.items():
            t.add_column(head, justify="right" if k in ("agents", "cost") else "left")
        for row in v["actions"]:
            t.add_row(*[escape(c) for c in row])
        con.print(t)
    else:
        con.print(label("no_actions", lang))
    if v["later"]:
        con.print(label("later", lang, n=v["later"]))
    if v["releases"]:
        t = Table(title=label("releases", lang))
        for k in ("lever", "send_by", "window", "agents"):
            t.add_column(label(k, lang), justify="right" if k == "agents" else "left")
        t.add_column(f"{label('saving', lang)} {doc['currency']}", justify="right")
        for row in v["releases"]:
            t.add_row(*[escape(c) for c in row])
        con.print(t)
    if v["replay"]:
        t = Table(title=label("replay", lang))
        for k in ("channel",):
            t.add_column(label(k, lang))
        for k in ("service_level", "abandon_rate"):
            t.add_column(f"{label(k, lang)} · {label('with_actions', lang)}", justify="right")
            t.add_column(f"{label(k, lang)} · {label('without_actions', lang)}",
                         justify="right")
        for r in v["replay"]:
            t.add_row(escape(r[0]), r[1], r[2], r[3], r[4])
        con.print(t)
        con.print(escape(v["replay_note"]))
    for f in written:
        con.print(f"wrote {escape(str(f))}")
