"""``peakdesk run / rerun / runs / diff`` end to end through click's CliRunner.

References: the CSV files (for results.xlsx, read back with openpyxl), a second run from
manifest.json (summary.json byte for byte), the scenario file's own SHA-256 (hashlib),
and the report/summary contract in docs/report.md."""

from __future__ import annotations

import csv
import hashlib
import html
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cli import main
from scenarios.reading.files import file_kind
from scenarios.reading.yamlio import read_yaml

from .conftest import EXAMPLES, PROMO, cli

BUNDLED = [p for p in sorted(EXAMPLES.glob("*.yaml"))
           if file_kind(read_yaml(p)) == "scenario"]      # not the monitoring spec


@pytest.mark.parametrize("scenario", BUNDLED, ids=lambda p: p.stem)
def test_every_bundled_scenario_runs_quick(scenario: Path, tmp_path: Path,
                                           request: pytest.FixtureRequest) -> None:
    # the flagship and the roster week are run once per session by their fixtures
    # (the same command), shared with the browser and simulation/pay tests
    shared = {"double11": "flagship_run", "double11_week": "week_run"}.get(scenario.stem)
    if shared is not None:
        out = request.getfixturevalue(shared)
    else:
        res = cli("run", scenario, "--out", tmp_path / "r", "--quick")
        assert res.exit_code == 0, res.output
        out = tmp_path / "r"
        # the console wraps long paths (xdist's tmp folders are long): compare unwrapped
        assert str(out / "report.html") in res.output.replace("\n", "")
    for name in ("report.html", "summary.json", "manifest.json", "results.xlsx",
                 "scenario.yaml"):
        assert (out / name).is_file(), name
    summary = json.loads((out / "summary.json").read_text())
    assert summary["quick"] is True
    assert [n for n, s in summary["stages"].items() if s["status"] == "ok"]


def _same(csv_cell: str, xlsx_value: object) -> bool:
    """Numbers compare as numbers (Excel stores 40.0 as 40) at the 16 significant digits
    openpyxl writes ("%.16g", Excel keeps 15); text compares as text."""
    if xlsx_value is None:
        return csv_cell == ""
    if isinstance(xlsx_value, (int, float)):
        return float(f"{float(csv_cell):.16g}") == float(xlsx_value)
    return csv_cell == xlsx_value


def test_workbook_equals_the_csv_files(promo_runs: dict[str, Path]) -> None:
    out = promo_runs["en"]
    wb = load_workbook(out / "results.xlsx", read_only=True)
    csvs = sorted(p.stem for p in out.glob("*.csv"))
    summary = json.loads((out / "summary.json").read_text())
    tables = sorted(t for s in summary["stages"].values() for t in s.get("tables", []))
    assert sorted(wb.sheetnames) == csvs == tables
    assert {"demand", "intervals", "staffing", "sim_intervals", "sim_team"} <= set(csvs)
    for name in csvs:
        with open(out / f"{name}.csv", newline="", encoding="utf-8") as fh:
            expected = list(csv.reader(fh))
        got = list(wb[name].iter_rows(values_only=True))
        assert len(got) == len(expected) > 1, name
        for want, row in zip(expected, got, strict=True):
            assert len(want) == len(row) and all(
                _same(c, v) for c, v in zip(want, row, strict=True)), (name, want, row)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_rerun_from_manifest_reproduces_summary_exactly(promo_runs: dict[str, Path],
                                                        lang: str, tmp_path: Path) -> None:
    first = promo_runs[lang]
    res = cli("rerun", first / "manifest.json", "--out", tmp_path / "again")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "again" / "summary.json").read_bytes() == \
        (first / "summary.json").read_bytes()


def test_rerun_uses_the_folder_copy_when_the_original_changed(tmp_path: Path) -> None:
    scen = tmp_path / "s.yaml"
    scen.write_bytes(PROMO.read_bytes())
    assert cli("run", scen, "--out", tmp_path / "a").exit_code == 0
    scen.write_text(scen.read_text() + "\n# edited after the run\n")
    res = cli("rerun", tmp_path / "a" / "manifest.json", "--out", tmp_path / "b")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "b" / "summary.json").read_bytes() == \
        (tmp_path / "a" / "summary.json").read_bytes()
    (tmp_path / "a" / "scenario.yaml").write_text("changed")
    res = cli("rerun", tmp_path / "a" / "manifest.json", "--out", tmp_path / "c")
    assert res.exit_code == 2 and "no scenario file with SHA-256" in res.output


def test_manifest_records_what_reproduces_the_run(promo_runs: dict[str, Path]) -> None:
    man = json.loads((promo_runs["zh"] / "manifest.json").read_text())
    assert man["scenario"]["sha256"] == hashlib.sha256(PROMO.read_bytes()).hexdigest()
    assert man["options"] == {"lang": "zh", "quick": True, "seed": 7}  # seed from the file
    assert man["command"][:2] == ["peakdesk", "run"] or man["command"][0] == "peakdesk"
    assert {"numpy", "matplotlib", "jinja2", "openpyxl"} <= set(man["packages"])
    assert all(v for k, v in man["packages"].items() if k in ("numpy", "matplotlib"))
    assert [s["name"] for s in man["stages"]] == ["demand", "requirements", "capacity", "mix",
                                                "simulation", "policies", "pay"]
    assert all(s["seconds"] >= 0 for s in man["stages"])


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_report_shows_every_summary_sentence_and_figure(promo_runs: dict[str, Path]) -> None:
    for lang, out in promo_runs.items():
        page = (out / "report.html").read_text(encoding="utf-8")
        summary = json.loads((out / "summary.json").read_text())
        text = " ".join(_text(page).split())
        for sentence in summary["decision"]:
            assert " ".join(sentence.split()) in text, sentence
        figures = [f for s in summary["stages"].values() for f in s.get("figures", [])]
        assert page.count('<svg class="plot"') == len(figures) >= 4
        assert "<script" not in page and "Content-Security-Policy" in page
        urls = set(re.findall(r"https?://[^\"' )]+", page))
        assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, urls
        headings = re.findall(r"<h2>(.*?)</h2>", page)
        ran = [s["title"] for s in summary["stages"].values() if s["status"] == "ok"]
        frame = {"en": ("Decision summary", ["Warnings", "Model assumptions and sources",
                                             "Words used in this report",
                                             "Files in this folder"]),
                 "zh": ("决策摘要", ["警告", "模型假设与来源", "本报告用语",
                                     "本文件夹中的文件"])}[lang]
        assert headings == [frame[0], *ran, *frame[1]]
        assert {"en": "Demand", "zh": "话务需求"}[lang] in ran


def test_report_escapes_scenario_text(tmp_path: Path) -> None:
    scen = tmp_path / "s.yaml"
    scen.write_text(PROMO.read_text().replace("name: presale night — voice + chat",
                                              "name: '<script>alert(1)</script> night'"))
    assert cli("run", scen, "--out", tmp_path / "r").exit_code == 0
    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_existing_folder_refused_without_force(tmp_path: Path) -> None:
    out = tmp_path / "r"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    res = cli("run", PROMO, "--out", out)
    assert res.exit_code == 2 and "--force" in res.output
    assert (out / "keep.txt").read_text() == "mine"
    res = cli("run", PROMO, "--out", out, "--force")
    assert res.exit_code == 0 and not (out / "keep.txt").exists()
    assert (out / "report.html").is_file()


def test_bad_scenario_exit_2_with_location(tmp_path: Path) -> None:
    scen = tmp_path / "bad.yaml"
    scen.write_text(PROMO.read_text().replace("interval_minutes: 30", "interval_minute: 30"))
    res = cli("run", scen, "--out", tmp_path / "r")
    assert res.exit_code == 2
    assert re.search(r"bad\.yaml:\d+:\d+: horizon\.interval_minute", res.output), res.output
    assert not (tmp_path / "r").exists()


def test_runs_and_diff_show_what_changed(tmp_path: Path) -> None:
    results = tmp_path / "results"
    scen = tmp_path / "s.yaml"
    scen.write_bytes(PROMO.read_bytes())
    assert cli("run", scen, "--out", results / "a").exit_code == 0
    scen.write_text(scen.read_text().replace("agents: 45", "agents: 120"))
    assert cli("run", scen, "--out", results / "b", "--lang", "zh").exit_code == 0
    listing = CliRunner(env={"COLUMNS": "250"}).invoke(main, ["runs", "--dir", str(results)])
    assert listing.exit_code == 0
    assert re.search(r"│ 1 .*presale night", listing.output)
    assert re.search(r"│ 2 .*presale night", listing.output)
    res = cli("diff", "1", "2", "--dir", results)
    assert res.exit_code == 0, res.output
    assert "-    agents: 45" in res.output and "+    agents: 120" in res.output
    assert "lang: en → zh" in res.output
    # more in-house agents: fewer short intervals and missing hours, same demand
    a = json.loads((results / "a" / "summary.json").read_text())["headlines"]
    b = json.loads((results / "b" / "summary.json").read_text())["headlines"]
    assert b["requirements.missing_agent_hours"] < a["requirements.missing_agent_hours"]
    assert "requirements.missing_agent_hours" in res.output
    assert "demand.contacts" not in res.output  # unchanged headlines are not listed
    missing = cli("diff", "1", "9", "--dir", results)
    assert missing.exit_code == 2 and "no run 9" in missing.output
    # issue 14: the error names the argument, says where ids come from, and is located
    assert f"{results / 'peakdesk-runs.sqlite'}: RUN_B: no run 9 in the history; RUN_A and " \
           "RUN_B are the ids `peakdesk runs` lists (here: 1, 2)" in missing.output
    assert "Traceback" not in missing.output


def test_diff_help_says_ids_come_from_runs() -> None:
    res = CliRunner(env={"COLUMNS": "200"}).invoke(main, ["diff", "--help"])
    assert res.exit_code == 0
    assert "RUN_A and RUN_B are the ids `peakdesk runs` lists" in res.output


def test_diff_unknown_id_without_history(tmp_path: Path) -> None:
    res = cli("diff", "1", "2", "--dir", tmp_path)
    assert res.exit_code == 2 and "RUN_A: no run 1" in res.output
    assert "(here: none recorded yet)" in res.output


def test_runs_without_history(tmp_path: Path) -> None:
    res = cli("runs", "--dir", tmp_path)
    assert res.exit_code == 0 and "no runs recorded" in res.output
