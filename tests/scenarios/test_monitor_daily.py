"""``peakdesk monitor --state DIR``: the morning update. Rows appended day by day give the
same files as one run over the whole history (reference: that full run, byte for byte;
the workbook cell by cell); an edited history, a new agent or another spec fall back to
the full run with a sentence saying why; a bad appended row is located on its own line of
the whole file."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

import cli
from scenarios.monitor.example import example_rows
from scenarios.writing.output import csv_text

SPEC = Path(__file__).resolve().parents[2] / "scenarios" / "examples" / "monitor.yaml"


def invoke(*args):
    res = CliRunner().invoke(cli.main, [str(a) for a in args])
    res.text = " ".join(res.output.split())      # the terminal wraps long sentences
    return res


def _days():
    header, rows = example_rows()
    days: dict[str, list] = {}
    for r in rows:
        days.setdefault(r[0], []).append(r)
    return header, list(days.values())


def _write(path: Path, header, days) -> None:
    path.write_text(csv_text(header, [r for d in days for r in d]), encoding="utf-8")


def _append(path: Path, day) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.write(csv_text(["x"], day).split("\n", 1)[1])


def _sheets(path: Path):
    wb = load_workbook(path, read_only=True)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb}


def test_appending_days_one_by_one_equals_the_full_run(tmp_path):
    header, days = _days()
    h = tmp_path / "history.csv"
    _write(h, header, days[:47])
    args = ("--spec", SPEC, "--state", tmp_path / "state", "--out", tmp_path / "out",
            "--json", tmp_path / "m.json")
    res = invoke("monitor", h, *args)
    assert res.exit_code == 0, res.output
    assert "ran the whole history" in res.text and "no state yet" in res.text
    new_seen = 0
    for day in days[47:]:
        _append(h, day)
        res = invoke("monitor", h, *args)
        assert res.exit_code == 0, res.output
        assert "updated from the state" in res.text, res.output
        # a flag that signalled this morning is marked new (the overnight change)
        flags = (tmp_path / "out" / "flags.csv").read_text(encoding="utf-8").splitlines()
        today = [r for r in flags[1:] if r.split(",")[7] == day[0][0]]
        assert ("(new" in res.output) == bool(today)     # the cell may wrap
        new_seen += bool(today)
    assert new_seen >= 1
    res = invoke("monitor", h, *args)
    assert "no new rows" in res.text
    full = invoke("monitor", h, "--spec", SPEC, "--out", tmp_path / "full", "--json",
                  tmp_path / "full.json")
    assert full.exit_code == 0, full.output
    assert (tmp_path / "m.json").read_bytes() == (tmp_path / "full.json").read_bytes()
    for f in sorted((tmp_path / "full").iterdir()):
        if f.suffix == ".xlsx":
            assert _sheets(f) == _sheets(tmp_path / "out" / f.name)
        else:
            assert f.read_bytes() == (tmp_path / "out" / f.name).read_bytes(), f.name
    # the flags on the last day carry dated starts with their interval
    flags = (tmp_path / "out" / "flags.csv").read_text(encoding="utf-8")
    assert "since_earliest,since_latest,since_last_zero" in flags.splitlines()[0]


def test_what_falls_back_to_the_full_run(tmp_path):
    header, days = _days()
    h = tmp_path / "history.csv"
    _write(h, header, days[:40])
    state = tmp_path / "state"
    assert invoke("monitor", h, "--spec", SPEC, "--state", state).exit_code == 0
    # an edited earlier row
    _write(h, header, [[r[:3] + [r[3] + 1] + r[4:] for r in days[0]], *days[1:41]])
    res = invoke("monitor", h, "--spec", SPEC, "--state", state)
    assert "ran the whole history" in res.text and "not the one the state" in res.text
    # a new agent in the appended rows
    _append(h, [["2026-04-12", "NEW", "presale", 40, 14, 120, 1, 0, 0]])
    res = invoke("monitor", h, "--spec", SPEC, "--state", state)
    assert "ran the whole history" in res.text and "new agent" in res.text
    # another spec
    other = tmp_path / "other.yaml"
    other.write_text(SPEC.read_text(encoding="utf-8") + "\njudge_agents: own\n",
                     encoding="utf-8")
    res = invoke("monitor", h, "--spec", other, "--state", state)
    assert "ran the whole history" in res.text and "another spec" in res.text
    # a damaged state is not trusted
    (state / "state.npz").write_bytes(b"not a state")
    res = invoke("monitor", h, "--spec", other, "--state", state)
    assert res.exit_code == 0 and "could not be read" in res.text


def test_a_bad_appended_row_is_located_in_the_whole_file(tmp_path):
    header, days = _days()
    h = tmp_path / "history.csv"
    _write(h, header, days[:40])
    state = tmp_path / "state"
    assert invoke("monitor", h, "--spec", SPEC, "--state", state).exit_code == 0
    lines = len(h.read_text(encoding="utf-8").splitlines())
    bad = [list(r) for r in days[40]]
    bad[2][4] = -3
    _append(h, bad)
    res = invoke("monitor", h, "--spec", SPEC, "--state", state)
    assert res.exit_code == 2
    assert f"history.csv:{lines + 3}:" in res.text and "paid_uv" in res.text
    assert "Traceback" not in res.text


def test_state_and_simulated_do_not_mix(tmp_path):
    res = invoke("monitor", tmp_path / "a.csv", "--simulated", "--spec", SPEC, "--state",
                 tmp_path / "s")
    assert res.exit_code == 2 and "--state" in res.text


def test_bot_section_when_the_history_has_the_bot_columns(tmp_path):
    """The bot's own row per day (agent_id "bot") with the bot columns of a bot in front
    of chat (entered, contained, handed_off, abandoned, returned): a bot section of the
    team's table (no agent row, the bot not counted as an agent); containment falling
    from 60% to 45% on the last 12 days is flagged for the team, dated near its start."""
    import json

    import numpy as np

    header, days = _days()
    rng = np.random.default_rng(4)
    header = header + ["entered", "contained", "handed_off", "abandoned", "returned"]
    rows = []
    for t, day in enumerate(days):
        rows += [r + ["", "", "", "", ""] for r in day]
        entered = int(rng.poisson(2000))
        share = 0.45 if t >= 44 else 0.60
        contained = int(rng.binomial(entered, share))
        abandoned = int(rng.binomial(entered - contained, 0.1))
        returned = int(rng.binomial(contained, 0.15))
        rows.append([day[0][0], "bot", "chat", "", "", "", "", "", "", entered, contained,
                     entered - contained - abandoned, abandoned, returned])
    h = tmp_path / "history.csv"
    h.write_text(csv_text(header, rows), encoding="utf-8")
    res = invoke("monitor", h, "--spec", SPEC, "--json", tmp_path / "m.json", "--out",
                 tmp_path / "out", "--lang", "zh")
    assert res.exit_code == 0, res.output
    doc = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    metrics = {r["metric"] for r in doc["team"]}
    assert {"containment", "handoff_rate", "bot_abandon_rate", "return_rate"} <= metrics
    bot = [f for f in doc["flags"] if f["metric"] == "containment"]
    assert [(f["agent_id"], f["kind"]) for f in bot] == [(None, "decline")]
    assert "2026-04-12" <= bot[0]["since"] <= "2026-04-18"       # day 44 = 2026-04-15
    assert all(f["agent_id"] != "bot" for f in doc["flags"])
    html = (tmp_path / "out" / "monitor.html").read_text(encoding="utf-8")
    assert "机器人数据" in html and "机器人解决率" in html
    agents_part = html.split('id="agents"')[1].split("</section>")[0]
    assert "机器人" not in agents_part            # the bot is the team's only
    days_csv = (tmp_path / "out" / "days.csv").read_text(encoding="utf-8")
    assert ",bot," not in days_csv


def test_a_history_saved_with_a_bom_updates_too(tmp_path):
    """Spreadsheet exports often start with a UTF-8 BOM: the appended rows are still read
    alone (the header is decoded as the full read decodes it)."""
    header, days = _days()
    h = tmp_path / "history.csv"
    h.write_bytes(b"\xef\xbb\xbf" + csv_text(header, [r for d in days[:45] for r in d])
                  .encode("utf-8"))
    state = tmp_path / "state"
    assert invoke("monitor", h, "--spec", SPEC, "--state", state).exit_code == 0
    _append(h, days[45])
    res = invoke("monitor", h, "--spec", SPEC, "--state", state)
    assert res.exit_code == 0 and "updated from the state" in res.text, res.output
