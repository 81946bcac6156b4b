"""History CSV (docs/formats.md §4): every bad file gives a located message (file:line) and exit 2."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest
from click.testing import CliRunner

import cli
from planning.demand.synth import ChannelTruth, OrdersTruth, SynthParams, synthetic_history
from scenarios.reading.errors import InputError
from scenarios.reading.history import read_history, write_history

HEAD = "timestamp,channel,contacts,orders,event\n"


def rows(n: int, start_hour: int = 0, channels=("voice",), event: str = "") -> str:
    out = []
    for i in range(n):
        for ch in channels:
            out.append(f"2026-11-01T{start_hour + i:02d}:00,{ch},{10 + i},{100 + i},{event}\n")
    return "".join(out)


def write(tmp_path, text: str):
    p = tmp_path / "h.csv"
    p.write_text(text, encoding="utf-8")
    return p


def problems(path, **kw) -> list[str]:
    with pytest.raises(InputError) as exc:
        read_history(path, **kw)
    return [str(p) for p in exc.value.problems]


def test_good_file_on_a_grid(tmp_path):
    p = write(tmp_path, HEAD + rows(5, channels=("voice", "chat"), event="presale"))
    h = read_history(p)
    assert (h.n, h.interval_minutes, sorted(h.channels)) == (5, 60, ["chat", "voice"])
    np.testing.assert_array_equal(h.channels["voice"].contacts, [10, 11, 12, 13, 14])
    np.testing.assert_array_equal(h.channels["chat"].orders, [100, 101, 102, 103, 104])
    assert list(h.channels["voice"].events) == ["presale"] * 5


def test_missing_columns(tmp_path):
    p = write(tmp_path, "timestamp,contacts\n2026-11-01T00:00,3\n")
    (msg,) = problems(p)
    assert msg.startswith(f"{p}:1: header: missing column channel")


def test_negative_and_fractional_counts(tmp_path):
    text = HEAD + rows(2) + "2026-11-01T02:00,voice,-3,1,\n2026-11-01T03:00,voice,2.5,1,\n"
    msgs = problems(write(tmp_path, text))
    assert any(m.endswith(":4: contacts: contacts must be between 0 and 1,000,000 (got '-3')")
               for m in msgs)
    assert any(":5: contacts: contacts must be a whole number" in m for m in msgs)


def test_negative_orders(tmp_path):
    text = HEAD + rows(1) + "2026-11-01T01:00,voice,3,-1,\n"
    (msg,) = problems(write(tmp_path, text))
    assert ":3: orders: orders must be between 0 and 1,000,000,000" in msg


def test_duplicate_timestamps(tmp_path):
    text = HEAD + rows(2) + "2026-11-01T01:00,voice,7,1,\n"
    (msg,) = problems(write(tmp_path, text))
    assert ":4: timestamp: duplicate row for voice at 2026-11-01T01:00:00 (first on line 3)" in msg


def test_unsorted_rows(tmp_path):
    text = HEAD + "2026-11-01T01:00,voice,1,1,\n2026-11-01T00:00,voice,1,1,\n"
    (msg,) = problems(write(tmp_path, text))
    assert ":3: timestamp: rows are not sorted by timestamp" in msg


def test_gap_is_located_and_can_be_filled(tmp_path):
    text = HEAD + rows(2) + rows(2, start_hour=4)
    p = write(tmp_path, text)
    (msg,) = problems(p)
    # Line 4 is the first row after the gap (02:00 and 03:00 missing).
    assert msg.startswith(f"{p}:4: timestamp: gap: no row for channel 'voice' at "
                          "2026-11-01T02:00:00 .. 2026-11-01T03:00:00 (2 intervals")
    h = read_history(p, fill_gaps=True)
    assert h.filled == 2
    np.testing.assert_array_equal(h.channels["voice"].observed, [1, 1, 0, 0, 1, 1])


def test_missing_channel_rows_are_gaps(tmp_path):
    text = HEAD + rows(2, channels=("voice", "chat")) + "2026-11-01T02:00,voice,1,1,\n"
    (msg,) = problems(write(tmp_path, text))
    assert ":5: timestamp: gap: no row for channel 'chat' at 2026-11-01T02:00:00" in msg


def test_bad_timestamp_and_interval(tmp_path):
    (msg,) = problems(write(tmp_path, HEAD + "yesterday,voice,1,1,\n"))
    assert ":2: timestamp: not an ISO date-time (got 'yesterday')" in msg
    text = HEAD + "2026-11-01T00:00,voice,1,1,\n2026-11-01T00:20,voice,1,1,\n"
    (msg,) = problems(write(tmp_path, text))
    assert "intervals must be 15, 30 or 60 minutes" in msg


def test_all_problems_reported_together(tmp_path):
    text = HEAD + "2026-11-01T00:00,voice,-1,1,\n2026-11-01T01:00,voice,x,1,\n"
    assert len(problems(write(tmp_path, text))) == 2


def test_round_trip_of_synthetic_history(tmp_path):
    # Reference: the generator's arrays; writing and reading must not change a count.
    p = SynthParams(start=datetime(2026, 1, 5), days=3, interval_minutes=15, seed=1,
                    orders=OrdersTruth(per_day=1000),
                    channels={"voice": ChannelTruth(level=0.5, orders_elasticity=0.5)})
    h = synthetic_history(p)
    write_history(tmp_path / "x.csv", h)
    back = read_history(tmp_path / "x.csv")
    assert back.n == h.n == 3 * 96 and back.interval_minutes == 15
    np.testing.assert_array_equal(back.channels["voice"].contacts, h.channels["voice"].contacts)
    np.testing.assert_array_equal(back.channels["voice"].orders, h.channels["voice"].orders)


@pytest.mark.parametrize("text,fragment", [
    ("timestamp,contacts\n2026-11-01T00:00,3\n", ":1: header: missing column channel"),
    (HEAD + rows(2) + rows(2, start_hour=4), ":4: timestamp: gap"),
    (HEAD + rows(1) + "2026-11-01T01:00,voice,-3,1,\n", ":3: contacts: contacts must be between 0 and 1,000,000"),
])
def test_cli_exit_2_with_located_message(tmp_path, text, fragment):
    p = write(tmp_path, text)
    res = CliRunner().invoke(cli.main, ["forecast", str(p)])
    assert res.exit_code == 2
    assert f"error: {p}{fragment}" in res.output
    assert "Traceback" not in res.output


def test_cli_fill_gaps_flag(tmp_path):
    p = SynthParams(start=datetime(2026, 1, 5), days=14, interval_minutes=60, seed=1,
                    channels={"voice": ChannelTruth(level=20)})
    path = tmp_path / "h.csv"
    write_history(path, synthetic_history(p))
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:50] + lines[53:]))     # drop 3 intervals
    assert CliRunner().invoke(cli.main, ["forecast", str(path)]).exit_code == 2
    res = CliRunner().invoke(cli.main, ["forecast", str(path), "--fill-gaps"])
    assert res.exit_code == 0, res.output
    assert "3 gap interval(s) left out" in res.output
