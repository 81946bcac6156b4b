"""Absurd values (issue 17): every one the campaign found is a located exit 2 now.

Reference: the bounds of scenarios/reading/limits.py (each chosen so no real contact centre
reaches it, docs/robustness.md) and the file positions of the edited values, counted from
the bundled promo_day.yaml text. Before the fix each case below passed `validate` and then
hung, overflowed or raised (exit 1) in a later command.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main

EXAMPLES = Path(__file__).parents[2] / "scenarios" / "examples"
PROMO = (EXAMPLES / "promo_day.yaml").read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


def errors(tmp_path: Path, args: list[str], name: str, content: str) -> list[str]:
    f = tmp_path / name
    f.write_text(content, encoding="utf-8")
    res = CliRunner().invoke(main, [a.replace("{f}", str(f)) for a in args])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    return [ln.replace(str(f), name) for ln in res.output.splitlines()
            if ln.startswith("error:")]


FIRST_RATE = "rates_per_hour: [\n        40,"


@pytest.mark.parametrize("value, message", [
    (".inf", "Input should be a finite number (got inf)"),
    (".nan", "Input should be a finite number (got nan)"),
    ("1e15", "Input should be less than or equal to 1000000 (got 1000000000000000.0)"),
    ("1e308", "Input should be less than or equal to 1000000 (got 1e+308)"),
], ids=["inf", "nan", "1e15", "1e308"])
@pytest.mark.parametrize("command", ["validate", "requirements", "simulate"])
def test_absurd_rates_are_refused_by_every_command(tmp_path: Path, value: str, message: str,
                                                   command: str) -> None:
    text = PROMO.replace(FIRST_RATE, f"rates_per_hour: [\n        {value},")
    line = line_of(PROMO, FIRST_RATE) + 1
    got = errors(tmp_path, [command, "{f}"], "s.yaml", text)
    assert got == [f"error: s.yaml:{line}:9: demand.voice.rates_per_hour.0: {message}"]


@pytest.mark.parametrize("old, new, field, message", [
    ("start: 2026-11-10T00:00", "start: 9999-12-31T00:00", "horizon.start",
     "a date-time outside 2000-01-01 .. 2099-12-31 (got '9999-12-31T00:00')"),
    ("start: 2026-11-10T00:00", "start: 2026-11-10T00:00+08:00", "horizon.start",
     "give local time without a UTC offset: every time of a scenario is on the team's "
     "local clock (got '2026-11-10T00:00+08:00')"),
    ("mean_s: 240", "mean_s: 1e300", "channels.voice.handle_time.mean_s",
     "Input should be less than or equal to 2592000 (got 1e+300)"),
    ("seed: 7", "seed: 99999999999999999999999", "simulation.seed",
     "Input should be less than or equal to 18446744073709551615 (got "
     "99999999999999999999999)"),
], ids=["year-9999", "time-zone", "handle-time", "seed"])
def test_out_of_range_fields_are_located(tmp_path: Path, old: str, new: str, field: str,
                                         message: str) -> None:
    text = PROMO.replace(old, new, 1)
    got = errors(tmp_path, ["validate", "{f}"], "s.yaml", text)
    line = line_of(PROMO, old)
    col = PROMO.splitlines()[line - 1].index(old.split(":")[0]) + len(old.split(":")[0]) + 3
    assert got == [f"error: s.yaml:{line}:{col}: {field}: {message}"]


def test_time_zone_in_a_peak_window(tmp_path: Path) -> None:
    """A zone in a planning window compared naive with aware datetimes (TypeError)."""
    text = PROMO + ("planning:\n  demand_cases:\n    multipliers: [1, 2]\n    windows:\n"
                    "      - {start: 2026-11-10T20:00+08:00, end: 2026-11-10T23:00}\n")
    line = PROMO.count("\n") + 5
    got = errors(tmp_path, ["validate", "{f}"], "s.yaml", text)
    assert got == [f"error: s.yaml:{line}:17: planning.demand_cases.windows.0.start: give "
                   f"local time without a UTC offset: every time of a scenario is on the "
                   f"team's local clock (got '2026-11-10T20:00+08:00')"]


def test_policy_path_too_long_for_the_file_system(tmp_path: Path) -> None:
    text = PROMO.replace("simulation:", "policies: [" + "p" * 300 + ".yaml]\nsimulation:")
    line = line_of(PROMO, "simulation:")
    got = errors(tmp_path, ["validate", "{f}"], "s.yaml", text)
    assert got == [f"error: s.yaml:{line}:12: policies.0: path part of 305 bytes: file "
                   f"systems allow at most 255 (got '{'p' * 39}…)"]


def test_demand_summed_over_events_is_bounded(tmp_path: Path) -> None:
    """Each field in range, their product not: the 12:00 interval's 191/h (the 25th rate
    of promo_day's voice list) × 1000 × 1000 (two stacked events)."""
    events = "".join(f"  - {{name: e{k}, start: 2026-11-10T12:00, uplift: 1000, "
                     f"peak_minutes: 60}}\n" for k in range(2))
    text = PROMO.replace("pools:", "events:\n" + events + "pools:")
    got = errors(tmp_path, ["requirements", "{f}"], "s.yaml", text)
    line = line_of(PROMO, "demand:") + 1
    assert got[0] == (f"error: s.yaml:{line}:3: demand.voice: the demand reaches 1.91e+08 "
                      f"contacts per hour at 2026-11-10 12:00 (drivers and events included); "
                      f"at most 1,000,000: check the orders, contacts per order and the "
                      f"events' uplifts")


def test_simulation_too_large_for_memory(tmp_path: Path, monkeypatch) -> None:
    """500,000 contacts/h for a day: about 12 million contacts per replication, against
    2 GiB of free memory (stubbed; the rule itself: tests/sim/test_memory.py)."""
    from sim import sizes

    monkeypatch.setattr(sizes, "available_memory", lambda: 2 * 2**30)
    start = PROMO.index("  voice:\n    rates_per_hour")
    end = PROMO.index("  chat:\n    rates_per_hour")
    text = PROMO[:start] + "  voice:\n    rate_per_hour: 500000\n" + PROMO[end:]
    got = errors(tmp_path, ["simulate", "{f}"], "s.yaml", text)
    assert got[0].startswith("error: the simulation would draw about 12,")
    assert " fit in memory (" in got[0] and "2.0 GB is free): simulate a shorter" in got[0]


@pytest.mark.parametrize("content, expected", [
    ("rate_per_hour,aht_s,within_s,agents\ninf,240,20,10\n",
     "2:1: rate_per_hour: expected a number >= 0 and <= 1,000,000, got 'inf'"),
    ("rate_per_hour,aht_s,within_s,agents\n100,1e300,20,10\n",
     "2:2: aht_s: expected a number > 0 and <= 86,400, got '1e300'"),
    ("rate_per_hour,aht_s,within_s,agents\n100,240,nan,10\n",
     "2:3: within_s: expected a number >= 0 and <= 86,400, got 'nan'"),
    ("rate_per_hour,aht_s,within_s,agents\n100," + "1" * 140_000 + ",20,10\n",
     "2:5: aht_s: a value longer than 131,072 characters: expected one short value per cell"),
], ids=["inf-rate", "huge-aht", "nan-within", "field-over-128KiB"])
def test_erlang_batch_bounds(tmp_path: Path, content: str, expected: str) -> None:
    got = errors(tmp_path, ["erlang", "--input", "{f}", "--output", str(tmp_path / "o.csv")],
                 "c.csv", content)
    assert got[0] == f"error: c.csv:{expected}"
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.parametrize("content, expected", [
    ("timestamp,channel,contacts\n2026-01-01T00:00,voice," + "9" * 140_000 + "\n",
     "2:24: contacts: a value longer than 131,072 characters: expected one short value per cell"),
    ("timestamp,channel,contacts\n2026-01-01T00:00+08:00,voice,3\n2026-01-01T00:30,voice,4\n",
     "2: timestamp: give local time without a UTC offset: every time of a scenario is on "
     "the team's local clock (got '2026-01-01T00:00+08:00')"),
    ("timestamp,channel,contacts\n2026-01-01T00:00,voice,1e300\n",
     "2: contacts: contacts must be between 0 and 1,000,000 (got '1e300')"),
    # 36,525 days (25 leap years in 2000-2099) × 96 quarter hours = 3,506,400 intervals
    ("timestamp,channel,contacts\n2000-01-01T00:00,voice,3\n2000-01-01T00:15,voice,3\n"
     "2099-12-31T23:45,voice,4\n",
     " timestamp: 1 channel(s) × 3,506,400 intervals from 2000-01-01T00:00:00 to "
     "2099-12-31T23:45:00: more than 2,000,000 values; a forecast needs at most a few "
     "years of one team's channels"),
], ids=["field-over-128KiB", "time-zone", "huge-count", "century-of-intervals"])
def test_history_bounds(tmp_path: Path, content: str, expected: str) -> None:
    got = errors(tmp_path, ["forecast", "{f}"], "h.csv", content)
    assert got[0] == f"error: h.csv:{expected}"


@pytest.mark.parametrize("cell, expected", [
    ("1e400", "2:12: answered: not a finite number within ±1e+12: '1e400'"),
    ("nan", "2:12: answered: not a finite number within ±1e+12: 'nan'"),
    ("1" * 140_000, "2:12: answered: a value longer than 131,072 characters: expected one short value per cell"),
], ids=["overflow", "nan", "field-over-128KiB"])
def test_kpi_table_bounds(tmp_path: Path, cell: str, expected: str) -> None:
    policy = Path(__file__).parents[2] / "rules" / "policies" / "commission_phase2.yaml"
    got = errors(tmp_path, ["pay", str(policy), "{f}"], "k.csv",
                 f"agent_id,pool,answered\na,in_house,{cell}\n")
    assert got[0] == f"error: k.csv:{expected}"


SHA0 = "0" * 64


@pytest.mark.parametrize("content, expected", [
    ("[" * 100_000 + "]" * 100_000, [("[", "not a peakdesk run manifest: nested too deeply")]),
    ('{"scenario": {"sha256": 5, "path": "x"},\n "options": []}',
     [("5,", "scenario.sha256: Input should be a valid string (got 5)"),
      ("[]", "options: Input should be a valid dictionary or instance of ManifestOptions")]),
    ('{"scenario": {"path": "x", "sha256": "SHA0", "copy": ["a"]},\n'
     ' "options": {"lang": "xx", "quick": "yes"}}'.replace("SHA0", SHA0),
     [('["a"]', "scenario.copy: Input should be a valid string"),
      ('"xx"', "options.lang: Input should be 'en' or 'zh' (got 'xx')"),
      ('"yes"', "options.quick: Input should be a valid boolean (got 'yes')")]),
    ('{"scenario": {"path": "x", "sha256": "abc"}, "options": {}}',
     [('"abc"', "scenario.sha256: String should match pattern '^[0-9a-f]{64}$' "
                "(got 'abc')")]),
    ('{"scenario": {"path": "x",\n  "sha256": "SHA0"}, "options": {}}'.replace("SHA0", SHA0),
     [(f'"{SHA0}"', "scenario.sha256: no scenario file with SHA-256 000000000000… found "
                    "(looked at x, scenario.yaml): expected the scenario the run read, "
                    "unchanged")]),
    ('{"scenario": {"path": "x"\n  "sha256": 1}}',
     [('"sha256"', "not JSON: Expecting ',' delimiter (a peakdesk run manifest is the "
                   "manifest.json of a results folder)")]),
], ids=["deep-json", "wrong-types", "unknown-lang-and-copy", "bad-hash", "no-match",
        "not-json"])
def test_hostile_run_manifest(tmp_path: Path, content: str,
                              expected: list[tuple[str, str]]) -> None:
    """Before issue 31, 'copy' as a list leaked "unsupported operand type(s) for /" and an
    unknown lang crashed the run (KeyError in the message table); no message had a line.
    Reference: the place of each offending value, found in the text with str.index."""
    got = errors(tmp_path, ["rerun", "{f}", "--out", str(tmp_path / "o")], "manifest.json",
                 content)
    got = [g.replace(f"{tmp_path}/", "") for g in got]

    def at(needle: str) -> str:
        i = content.index(needle)
        return f"{content.count(chr(10), 0, i) + 1}:{i - content.rfind(chr(10), 0, i)}"

    assert got == [f"error: manifest.json:{at(n)}: {m}" for n, m in expected]


@pytest.mark.parametrize("quoted", [False, True], ids=["plain", "quoted"])
def test_monitor_history_cell_over_128KiB_is_located(tmp_path: Path, quoted: bool) -> None:
    """Issue 31: the monitoring history's reader said "field larger than field limit
    (131072)" with the file only. Reference: the cell's place, counted in the text."""
    examples = Path(__file__).parents[2] / "scenarios" / "examples"
    lines = (examples / "monitor_history.csv").read_text(encoding="utf-8").split("\n")
    long_id = "A" + "6" * 140_000
    lines[3] = lines[3].replace("A06", f'"{long_id}"' if quoted else long_id, 1)
    got = errors(tmp_path, ["monitor", "{f}", "--spec", str(examples / "monitor.yaml")],
                 "mh.csv", "\n".join(lines))
    col = lines[3].index(",") + 2  # where the cell starts (its quote, if quoted)
    assert got == [f"error: mh.csv:4:{col}: agent_id: a value longer than 131,072 "
                   f"characters: expected one short value per cell"]
