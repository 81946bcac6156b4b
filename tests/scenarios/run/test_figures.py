"""Peak-day figures and legends that fit.

References: a hand-made two-day series whose busiest day is known; the SVG text of a chart
(legend entries drawn below the axes, never over the curves); the results folder (one
``peak_<name>.svg`` for every horizon figure of a multi-day run)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from scenarios.run.figures import peak_day_of
from scenarios.run.plots import MAX_LEGEND_COLUMNS, Series, legend_columns, step_chart


def test_peak_day_is_the_day_with_most_contacts() -> None:
    starts = [datetime(2026, 11, 10) + timedelta(hours=h) for h in range(48)]
    contacts = np.ones(48)
    contacts[5] = 100.0  # the highest interval is on day 1 ...
    contacts[24:] = 10.0  # ... but day 2 has more contacts in total (240 > 123)
    pk = peak_day_of(starts, contacts)
    assert pk is not None and pk.day.isoformat() == "2026-11-11"
    assert (pk.first, pk.stop) == (24, 48) and pk.contacts == 240.0
    assert peak_day_of(starts[:24], contacts[:24]) is None  # one day: no companion


def test_legend_below_the_axes_in_columns() -> None:
    starts = [datetime(2026, 11, 10) + timedelta(hours=h) for h in range(48)]
    series = [Series(f"scenario {i}", np.full(48, float(i))) for i in range(22)]
    svg = step_chart("many", starts, timedelta(hours=1), series, "agents")
    # matplotlib writes the legend group after the axes; its entries sit below the axes
    axes_bottom = max(float(y) for y in re.findall(r'<g id="many-xtick_\d+">.*?y="([\d.]+)"',
                                                   svg, re.S)[:1] or ["0"])
    legend = svg[svg.index('id="many-legend_1"'):]
    ys = [float(y) for y in re.findall(r'<text[^>]* y="([\d.]+)"', legend)]
    assert ys and min(ys) > axes_bottom
    assert legend_columns(22) == MAX_LEGEND_COLUMNS and legend_columns(2) == 2


def test_every_horizon_figure_has_its_peak_day(mini_runs: dict[str, Path]) -> None:
    folder = mini_runs["en"]
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    names = [f for s in summary["stages"].values() for f in s.get("figures", [])]
    horizon = [n for n in names if not n.startswith("peak_")
               and n not in ("pay-distribution", "policies-diff")]
    assert horizon and all(f"peak_{n}" in names for n in horizon)
    for n in names:
        assert (folder / "figures" / f"{n}.svg").is_file()
    assert summary["stages"]["demand"]["summary"]["peak_day"]["date"] == "2026-11-11"
    mix = (folder / "figures" / "mix-plan.svg").read_text(encoding="utf-8")
    assert "agents, counted at in-house speed" in mix


def test_rate_plots_in_percent_with_the_target_in_view(mini_runs: dict[str, Path]) -> None:
    """Service level and abandonment are drawn in % with the target line inside the value
    axis, and the intervals with too few contacts for a rate are left out and counted in the
    caption. Reference: sim_intervals.csv (mean contacts offered per interval) and the
    scenario's targets (5% abandonment cap, 80% service level)."""
    import csv
    import re

    from scenarios.run.stages.simulation import MIN_CONTACTS_FOR_RATE

    folder = mini_runs["en"]
    with (folder / "sim_intervals.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    page = (folder / "report.html").read_text(encoding="utf-8")
    for ch in ("voice", "chat"):
        few = sum(float(r["offered"]) < MIN_CONTACTS_FOR_RATE for r in rows
                  if r["channel"] == ch)
        for kind, label, target in (("abandon", "abandonment (%)", 5.0),
                                    ("sl", "service level (%)", 80.0)):
            svg = (folder / "figures" / f"sim-{kind}-{ch}.svg").read_text(encoding="utf-8")
            assert label in svg
            ticks = [float(t) for t in re.findall(r">\s*(\d+(?:\.\d+)?)\s*</text>", svg)]
            assert ticks and max(ticks) > target  # the target line lies inside the axis
            fig = re.search(rf'<figure class="chart" id="fig-sim-{kind}-{ch}">.*?</figure>',
                            page, re.S).group(0)
            if few:
                assert f"{few} intervals with fewer than {MIN_CONTACTS_FOR_RATE:g} contacts" \
                    in fig
            else:
                assert "intervals with fewer than" not in fig


def test_figures_drawn_in_the_background_are_the_charts_drawn_on_the_spot() -> None:
    """Reference: ``step_chart`` called directly in this thread (the code before)."""
    import pickle
    from types import SimpleNamespace

    from scenarios.run.figures import DrawnLater, horizon_figure
    from scenarios.run.stage import Figure

    starts = [datetime(2026, 11, 10) + timedelta(minutes=30 * i) for i in range(96)]
    rates = {"voice": np.linspace(10, 200, 96)}
    dem = SimpleNamespace(starts=starts, interval=timedelta(minutes=30), rates_per_hour=rates,
                          hours=0.5)
    ctx = SimpleNamespace(lang="en", scenario=SimpleNamespace(horizon=SimpleNamespace(days=2)),
                          t=lambda key, **kw: f"{key} {kw}", ran=lambda name: None)
    series = [Series("need", np.linspace(1, 50, 96)), Series("target", np.full(96, 30.0), True)]
    figs = [horizon_figure(ctx, f"f{i}", "title", series, "agents", demand=dem)
            for i in range(3)]
    for i, fig in enumerate(figs):
        assert isinstance(fig, DrawnLater) and fig.peak is not None
        assert fig.svg == step_chart(f"f{i}", starts, timedelta(minutes=30), series, "agents")
        assert fig.peak.svg == step_chart(
            f"peak_f{i}", starts[48:], timedelta(minutes=30),
            [Series(s.label, s.values[48:], s.dashed) for s in series], "agents", width=6.0)
        back = pickle.loads(pickle.dumps(fig))
        assert back == fig and back.svg == fig.svg
        assert Figure(fig.name, fig.title, fig.svg).svg == fig.svg


def _broken() -> str:
    raise ValueError("no data to draw")


@pytest.mark.parametrize("where", ["process", "thread"])
def test_a_figure_that_fails_to_draw_raises_where_it_is_read(where: str, monkeypatch) -> None:
    from scenarios.run import figures
    from scenarios.run.figures import DrawnLater, _drawn_later

    monkeypatch.setattr(figures, "DRAW_IN", where)
    fig = DrawnLater("x", "x", _drawn_later(_broken))
    with pytest.raises(ValueError, match="no data to draw"):
        _ = fig.svg
    figures.stop_drawing()


def _slow(seconds: float) -> str:
    import time

    time.sleep(seconds)
    return "<svg/>"


def test_the_drawing_process_draws_beside_and_stops_at_once() -> None:
    """The charts are drawn in another process (its pid, not this one's), in the order
    asked; ``stop_drawing`` (run at exit) ends it without waiting for the chart in hand,
    and the figures not drawn raise where they are read; a later figure starts a new
    process."""
    import time

    from scenarios.run import figures

    if figures.DRAW_IN != "process":
        pytest.skip("no fork here: the figures are drawn in a thread")
    import os

    first = figures._drawn_later(os.getpid)
    assert first.result(60) != os.getpid()
    drawer = figures._drawer
    assert drawer is not None and drawer._proc.is_alive()
    slow = figures._drawn_later(_slow, 30.0)
    queued = [figures._drawn_later(_slow, 0.0) for _ in range(3)]
    t0 = time.monotonic()
    figures.stop_drawing()
    assert time.monotonic() - t0 < 10 and not drawer._proc.is_alive()
    for f in (slow, *queued):
        with pytest.raises(RuntimeError, match="ended before"):
            f.result(0)
    assert figures._drawn_later(_slow, 0.0).result(60) == "<svg/>"
    figures.stop_drawing()


def test_stop_drawing_drops_the_queued_figures_and_waits_for_the_one_being_drawn(
        monkeypatch) -> None:
    """The drawing thread's stop (run at exit): the chart in hand is finished, the ones
    queued behind it are cancelled, and the thread has ended when it returns."""
    import threading
    from concurrent.futures import CancelledError

    from scenarios.run import figures

    monkeypatch.setattr(figures, "DRAW_IN", "thread")

    started, release = threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        release.wait(10)
        return "<svg/>"

    first = figures._drawn_later(slow)
    queued = [figures._drawn_later(lambda: "<never/>") for _ in range(3)]
    assert started.wait(10)
    thread = figures._thread
    assert thread is not None and thread.is_alive()
    threading.Timer(0.2, release.set).start()  # the chart in hand ends while stop waits
    figures.stop_drawing()
    assert not thread.is_alive()
    assert first.result(0) == "<svg/>"
    for f in queued:
        with pytest.raises(CancelledError):
            f.result(0)
    # a later figure starts a new thread
    assert figures._drawn_later(lambda: "<again/>").result(10) == "<again/>"


def test_exit_while_figures_are_being_drawn_keeps_the_exit_status() -> None:
    """A process that exits (Ctrl-C's status 130) while the drawing thread is inside
    matplotlib exits with that status and no C++ abort ('terminate called without an
    active exception', status -6), which a daemon thread ended inside compiled code at
    interpreter exit can cause."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from datetime import datetime, timedelta\n"
        "import numpy as np\n"
        "from scenarios.run.figures import _drawn_later\n"
        "from scenarios.run.plots import Series, step_chart\n"
        "starts = [datetime(2026, 11, 1) + timedelta(minutes=30 * i) for i in range(672)]\n"
        "s = [Series('need', np.linspace(1, 50, 672)), Series('t', np.full(672, 30.0), True)]\n"
        "fs = [_drawn_later(step_chart, f'f{i}', starts, timedelta(minutes=30), s, 'y')\n"
        "      for i in range(20)]\n"
        "import time; time.sleep(float(sys.argv[1]))\n"
        "sys.exit(130)\n")
    root = Path(__file__).resolve().parents[3]
    # exits at several points of the drawing: without the stop at exit, 4 of 10 such
    # exits between 0.05 and 2 s aborted on the 2-core machine (status 134 from a shell)
    for delay in ("0.5", "1.0", "1.3", "1.6"):
        done = subprocess.run([sys.executable, "-c", code, delay], cwd=root,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 130, done.stderr
        assert "terminate called" not in done.stderr
