"""report.html in a real browser (headless Debian chromium), English and Chinese.

References: the DOM chromium builds from the file (headings, number of plots, decision
sentences from summary.json, Chinese text for zh), chromium's console log (no uncaught
error, no blocked request: the page must work offline under its own CSP) and a
screenshot kept under the test's tmp dir. Skipped, with the reason, when chromium is
not installed (.ci/run installs it with apt-get when it runs as root)."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser"))
                 if p), None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium not installed: `apt-get install chromium` "
                             "(.ci/run does it when run as root)")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0"]
# the report's frame: first heading, then one per stage that ran, then these four
FRAME = {"en": ("Decision summary", ["Warnings", "Model assumptions and sources",
                                     "Words used in this report", "Files in this folder"]),
         "zh": ("决策摘要", ["警告", "模型假设与来源", "本报告用语", "本文件夹中的文件"])}
STAGE_TITLES = {"en": ["Demand", "Required vs staffed agents"],
                "zh": ["话务需求", "需求人数与在岗人数"]}


def _chromium(page: Path, tmp: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CHROMIUM or "chromium", *FLAGS, f"--user-data-dir={tmp / 'profile'}",
                           *extra, page.as_uri()], capture_output=True, text=True, timeout=60)


def _console_errors(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines()
            if "Uncaught" in ln or "Refused to" in ln or ("CONSOLE" in ln and "ERROR" in ln)
            or "net::ERR_" in ln]


def test_console_check_catches_a_broken_page(tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text("<html><body><script>no_such_function()</script></body></html>")
    res = _chromium(bad, tmp_path, "--dump-dom")
    assert _console_errors(res.stderr), res.stderr[-2000:]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_in_headless_chromium(promo_runs: dict[str, Path], lang: str,
                                     tmp_path: Path) -> None:
    out = promo_runs[lang]
    report = out / "report.html"
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    dom = _chromium(report, tmp_path, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert not _console_errors(dom.stderr), _console_errors(dom.stderr)
    headings = [html.unescape(h) for h in re.findall(r"<h2>(.*?)</h2>", dom.stdout)]
    ran = [s["title"] for s in summary["stages"].values() if s["status"] == "ok"]
    first, last = FRAME[lang]
    assert headings == [first, *ran, *last]
    assert set(STAGE_TITLES[lang]) <= set(ran)
    n_figures = sum(len(s.get("figures", [])) for s in summary["stages"].values())
    assert dom.stdout.count('class="plot"') == n_figures >= 4
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", dom.stdout)).split())
    for sentence in summary["decision"]:
        assert " ".join(sentence.split()) in text
    if lang == "zh":
        assert len(re.findall(r"[\u4e00-\u9fff]", text)) > 200
        assert 'lang="zh-CN"' in dom.stdout
    shot = tmp_path / f"report-{lang}.png"
    res = _chromium(report, tmp_path, f"--screenshot={shot}", "--window-size=1280,2000")
    assert res.returncode == 0 and shot.is_file(), res.stderr[-2000:]
    from PIL import Image  # pillow comes with matplotlib

    with Image.open(shot) as img:
        assert img.size == (1280, 2000)
        grey = img.convert("L")
        dark = sum(grey.histogram()[:128])
    assert dark > 5_000  # text and plot lines were drawn, not a blank page


def _dom_text(dom: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", dom)).split())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_mini_report_roster_peak_days_and_labels(mini_runs: dict[str, Path], lang: str,
                                                 tmp_path: Path) -> None:
    """Every stage in both languages: the decision summary first (at most eight lines),
    the roster table (one row per day, its agent-shifts summing to roster.csv's), a peak
    figure next to every horizon figure, and no raw key in the visible text; screenshots
    of both languages are kept."""
    from .test_labels import raw_keys

    out = mini_runs[lang]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    dom = _chromium(out / "report.html", tmp_path, "--dump-dom")
    assert dom.returncode == 0 and not _console_errors(dom.stderr), dom.stderr[-2000:]
    decision = re.search(r'<section class="decision".*?<ol class="sentences">(.*?)</ol>',
                         dom.stdout, re.S)
    assert decision is not None
    items = re.findall(r"<li>(.*?)</li>", decision.group(1), re.S)
    assert 1 <= len(items) <= 8 and len(items) == len(summary["decision"])
    mix = re.search(r'<section class="stage" id="stage-mix">(.*?)</section>', dom.stdout,
                    re.S)
    assert mix is not None
    title = {"en": "Roster by day", "zh": "每日排班"}[lang]
    table = re.search(rf"<h3>{title}</h3>\s*<table>(.*?)</table>", mix.group(1), re.S)
    assert table is not None
    rows = [[html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r)]
            for r in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)[1:]]
    assert len(rows) == 2  # one per day of the horizon
    roster = summary["stages"]["mix"]["summary"]["roster"]
    assert sum(int(r[1]) for r in rows) == roster["agent_shifts"]
    figures = [f for st in summary["stages"].values() for f in st.get("figures", [])]
    peaks = [f for f in figures if f.startswith("peak_")]
    assert len(peaks) >= 9
    for name in peaks:  # each peak figure sits in the same row as its horizon figure
        pair = re.search(rf'<div class="pair">\s*<figure class="chart" id="fig-'
                         rf'{re.escape(name[5:])}">.*?id="fig-{re.escape(name)}"',
                         dom.stdout, re.S)
        assert pair is not None, name
    visible = re.sub(r"<svg.*?</svg>", " ", dom.stdout, flags=re.S)
    visible = re.sub(r'<section class="files".*?</section>', " ", visible, flags=re.S)
    assert raw_keys(_dom_text(re.sub(r"<(style|script)\b.*?</\1>", " ", visible,
                                     flags=re.S))) == []
    shot = tmp_path / f"mini-{lang}.png"
    res = _chromium(out / "report.html", tmp_path, f"--screenshot={shot}",
                    "--window-size=1280,2400")
    assert res.returncode == 0 and shot.is_file(), res.stderr[-2000:]
    from PIL import Image

    with Image.open(shot) as img:
        assert img.size == (1280, 2400)
        assert sum(img.convert("L").histogram()[:128]) > 5_000


def test_flagship_report_in_headless_chromium(flagship_run: Path, tmp_path: Path) -> None:
    """The flagship's report as chromium builds it: every section, one plot per figure of
    summary.json (each horizon figure with its peak day), the decision summary, the pay
    table with one row per paid policy and its numbers from summary.json, the policy
    comparison per channel."""
    report = flagship_run / "report.html"
    summary = json.loads((flagship_run / "summary.json").read_text(encoding="utf-8"))
    dom = _chromium(report, tmp_path, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert not _console_errors(dom.stderr), _console_errors(dom.stderr)
    headings = [html.unescape(h) for h in re.findall(r"<h2>(.*?)</h2>", dom.stdout)]
    first, last = FRAME["en"]
    assert headings == [first, "Demand", "Required vs staffed agents", "Sourcing mix",
                        "Simulated service", "Incentive policies: how agents respond",
                        "Pay under the incentive policies", *last]
    n_figures = sum(len(s.get("figures", [])) for s in summary["stages"].values())
    # over the horizon, each with its peak day: demand 1; requirements 2 channels + total;
    # mix 1; SL and abandonment × 2 channels; then policies 1 (differences to flat pay)
    # and pay 1
    assert n_figures == 2 * (1 + 3 + 1 + 2 * 2) + 1 + 1
    assert dom.stdout.count('class="plot"') == n_figures
    text = _dom_text(dom.stdout)
    for sentence in summary["decision"]:
        assert " ".join(sentence.split()) in text
    assert len(summary["decision"]) <= 8
    assert any(s.startswith("Mix: ") and " cash " in s for s in summary["decision"])
    assert any(s.startswith("Roster: ") for s in summary["decision"])
    assert any("80/20: met on every day in" in s for s in summary["stages"]["simulation"]["findings"])
    pay = re.search(r'<section class="stage" id="stage-pay">(.*?)</section>', dom.stdout,
                    re.S)
    assert pay is not None
    tables = re.findall(r"<table>(.*?)</table>", pay.group(1), re.S)
    head = [html.unescape(h) for h in re.findall(r"<th>(.*?)</th>", tables[0])]
    assert head == ["policy", "period", "agents paid", "replications", "mean", "p10", "p50",
                    "p90", "variable share", "cost a period", "cost over the horizon"]
    rows = [[html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r)]
            for r in re.findall(r"<tr>(.*?)</tr>", tables[0], re.S)[1:]]
    policies = summary["stages"]["pay"]["summary"]["policies"]
    label = {"baseline": "flat pay (baseline)"}
    assert [r[0] for r in rows] == [label.get(p, p) for p in policies]
    for r, p in zip(rows, policies.values(), strict=True):
        assert r[2] == str(p["agents"]) and r[4] == f"{p['mean']:,.0f} CNY"
        assert r[7] == f"{p['p90']:,.0f}" and r[8] == f"{p['variable_share']:.0%}"
        assert r[9] == f"{p['cost_per_period']:,.0f} CNY"
        assert r[10] == f"{p['cost_horizon']:,.0f} CNY"
    # the policy comparison: one column per policy (flat pay first), service level per
    # channel with its significance mark from the per-replication CSV
    pol = re.search(r'<section class="stage" id="stage-policies">(.*?)</section>',
                    dom.stdout, re.S)
    assert pol is not None
    comp = summary["stages"]["policies"]["summary"]["comparison"]["policies"]
    table = re.findall(r"<table>(.*?)</table>", pol.group(1), re.S)[0]
    head = [html.unescape(h) for h in re.findall(r"<th>(.*?)</th>", table)]
    assert head == ["metric", *[label.get(p, p) for p in comp]]
    rows = {r[0]: r[1:] for r in ([html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                          r)]
                                  for r in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:])}
    assert "voice: service level" in rows and "chat: service level" in rows
    assert not any(k.startswith("all channels: service level") for k in rows)
    for j, name in enumerate(comp):
        assert rows["lever speed (handle-time multiplier)"][j] == \
            f"{comp[name]['levers']['speed']:.3f}"
    findings = summary["stages"]["policies"]["findings"]
    assert any(s.startswith("Under commission-phase-2, compared with flat pay") and
               "handle time" in s for s in findings)
    team = re.search(r'<section class="stage" id="stage-simulation">(.*?)</section>',
                     dom.stdout, re.S)
    assert team is not None and "Team KPIs after the warm-up" in team.group(1)
    # blended agents: occupancy is one figure, said once (not identical per-channel cells)
    assert "The same blended agents serve voice, chat" in html.unescape(team.group(1))
