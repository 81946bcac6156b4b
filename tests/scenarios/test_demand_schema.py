"""Bad demand sections give one located message per problem (file:line field: message)."""

from __future__ import annotations

import pytest

from scenarios.reading.errors import InputError
from scenarios.reading.load import load_scenario

from .test_demand import COMPOSED, HEAD


def problems(tmp_path, text: str) -> list[str]:
    p = tmp_path / "s.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_scenario(p)
    return [str(x).replace(str(p), "F") for x in exc.value.problems]


def line_of(text: str, needle: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), start=1) if needle in ln)


def test_unknown_profile_name_with_suggestion(tmp_path):
    text = HEAD + "demand:\n  voice: {daily_volume: 100, intraday: ordinary_dya}\n" \
                  "  chat: {rate_per_hour: 1}\n"
    (msg,) = problems(tmp_path, text)
    assert msg.startswith(f"F:{line_of(text, 'ordinary_dya')}:")
    assert "demand.voice.intraday: unknown intraday profile 'ordinary_dya' " \
           "(did you mean 'ordinary_day'?)" in msg


def test_two_base_forms(tmp_path):
    text = HEAD + "demand:\n  voice: {daily_volume: 100, rate_per_hour: 5}\n" \
                  "  chat: {rate_per_hour: 1}\n"
    (msg,) = problems(tmp_path, text)
    assert "give at most one of 'rate_per_hour', 'rates_per_hour' or 'daily_volume'" in msg


def test_weekly_needs_seven_and_intraday_must_divide_the_day(tmp_path):
    # Field checks (schema) come first; cross-checks run on a schema-valid file.
    text = HEAD + "demand:\n  voice: {daily_volume: 100, weekly: [1, 2]}\n" \
                  "  chat: {rate_per_hour: 1}\n"
    assert any("'weekly' needs 7 weights" in m for m in problems(tmp_path, text))
    text = HEAD + "demand:\n  voice: {rate_per_hour: 1}\n" \
                  "  chat: {daily_volume: 100, intraday: [1, 2, 3, 4, 5, 6, 7]}\n"
    (msg,) = problems(tmp_path, text)
    assert f"F:{line_of(text, 'intraday')}:" in msg and "demand.chat.intraday: has 7 weights" in msg


def test_split_needed_and_unknown_channels(tmp_path):
    text = COMPOSED.replace("  channel_split: {voice: 0.25, chat: 0.75}\n", "") \
        .replace("channels: [voice]", "channels: [vocie]")
    msgs = problems(tmp_path, text)
    assert any("drivers.contacts_per_order: a total for several channels needs "
               "'drivers.channel_split'" in m for m in msgs)
    assert any(f"F:{line_of(text, 'vocie')}:" in m and "unknown channel 'vocie' "
               "(did you mean 'voice'?)" in m for m in msgs)


def test_orders_lengths_and_dates(tmp_path):
    text = COMPOSED.replace("per_day: 24000", "per_day: [1, 2]").replace(
        "voice: {daily_volume: 4800, intraday: flat}",
        "voice: {daily_volume: 4800, intraday: flat, intraday_by_date: {2026-12-01: flat}}")
    msgs = problems(tmp_path, text)
    assert any("drivers.orders.per_day: has 2 values; the horizon has 3 days" in m for m in msgs)
    assert any("date 2026-12-01 is outside the horizon (2026-11-02 .. 2026-11-04)" in m
               for m in msgs)


def test_event_problems(tmp_path):
    text = HEAD + """demand:
  voice: {rate_per_hour: 1}
  chat: {rate_per_hour: 1}
events:
  - {name: b, start: 2026-11-02T10:00, uplift: 2, peak_minutes: 60, applies_to: orders}
  - {name: c, start: 2026-11-02T10:00, uplift: 2, peak_minutes: 60, aht_factor: {voce: 1.1}}
"""
    msgs = problems(tmp_path, text)
    assert any("events.0.applies_to: an orders event needs a 'drivers' section" in m
               for m in msgs)
    assert any("events.1.aht_factor.voce: unknown channel 'voce'" in m for m in msgs)
    bad = text.replace("uplift: 2, peak_minutes: 60, applies_to", "uplift: 2, applies_to")
    assert any("events.0: an event needs ramp_minutes, peak_minutes or decay_minutes > 0" in m
               for m in problems(tmp_path, bad))


def test_uncertainty_problems(tmp_path):
    base = HEAD + "demand:\n  voice: {rate_per_hour: 1}\n  chat: {rate_per_hour: 1}\n"
    msgs = problems(tmp_path, base + "uncertainty:\n  peak_multiplier: {dist: normal, cv: 0.3}\n"
                                     "  scenarios: 9\n  method: gauss\n")
    assert any("<= 0" in m for m in msgs)
    msgs = problems(tmp_path, base + "uncertainty:\n  peak_multiplier: {dist: weibull, cv: 0.3}\n")
    assert any("uncertainty.peak_multiplier.dist" in m for m in msgs)


def test_channel_without_any_volume(tmp_path):
    text = HEAD + "demand:\n  voice: {rate_per_hour: 1}\n  chat: {}\n"
    (msg,) = problems(tmp_path, text)
    assert "demand.chat: gives no volume" in msg
