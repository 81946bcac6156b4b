"""Per-interval figures over the horizon, each with its peak-day view.

On a 14-day horizon the busiest hours are a few pixels wide, so every horizon figure of
a multi-day run gets a companion ``peak_<name>`` that shows the same series over the
**peak day**: the calendar day with the most expected contacts in the demand stage's
point forecast (one day for every figure of the run, so they can be read side by side).

The horizon figures are drawn in a helper thread while the stage goes on (most of a
run's later stages wait on worker processes or the solver); a figure's ``svg`` waits for
its drawing when first read, so the report and the files get the same SVG text as if it
had been drawn on the spot (matplotlib's output is deterministic; ``plots`` draws one chart
at a time, whichever thread asks).
"""

from __future__ import annotations

import atexit
import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np

from scenarios.run.plots import Series, step_chart
from scenarios.run.stage import Figure, RunContext


@dataclass(frozen=True)
class PeakDay:
    """The peak day and its interval range [first, stop) on the horizon grid."""

    day: date
    first: int
    stop: int
    contacts: float


def peak_day(ctx: RunContext, dem: Any = None) -> PeakDay | None:
    """The calendar day with the most expected contacts in the demand stage's point
    forecast (``dem``, else the demand stage's payload), when the horizon spans several
    days; else None."""
    if dem is None:
        stage = ctx.ran("demand")
        dem = stage.data if stage is not None else None
    if dem is None or ctx.scenario.horizon.days <= 1:
        return None
    return peak_day_of(dem.starts, sum(np.asarray(r, float) for r in
                                       dem.rates_per_hour.values()) * dem.hours)


def peak_day_of(starts: Sequence[Any], contacts: np.ndarray) -> PeakDay | None:
    """The day of ``starts`` whose intervals hold the most ``contacts`` (first on ties)."""
    days = [s.date() for s in starts]
    unique = list(dict.fromkeys(days))
    if len(unique) <= 1:
        return None
    totals = {d: 0.0 for d in unique}
    for d, c in zip(days, np.asarray(contacts, float), strict=True):
        totals[d] += float(c)
    best = max(unique, key=lambda d: totals[d])
    first = days.index(best)
    stop = first + days.count(best)
    return PeakDay(best, first, stop, totals[best])


def _cut(s: Series, pk: PeakDay) -> Series:
    sl = slice(pk.first, pk.stop)
    band = None if s.band is None else (s.band[0][sl], s.band[1][sl])
    return replace(s, values=np.asarray(s.values)[sl], band=band)


def horizon_figure(ctx: RunContext, name: str, title: str, series: Sequence[Series],
                   ylabel: str, stacked: Sequence[Series] = (), height: float = 3.2,
                   caption: str = "", demand: Any = None,
                   ylim: tuple[float, float] | None = None) -> Figure:
    """The figure over the whole horizon and, on a multi-day run, its peak-day companion
    (``Figure.peak``, written as ``figures/peak_<name>.svg``). ``demand``: the demand
    stage's payload (default: read from ``ctx``; the demand stage passes its own)."""
    dem: Any = demand if demand is not None else ctx.results["demand"].data
    svg = _drawn_later(step_chart, name, dem.starts, dem.interval, series, ylabel,
                       stacked=stacked, height=height, ylim=ylim)
    pk = peak_day(ctx, dem)
    peak = None
    if pk is not None:
        from scenarios.words.i18n import when

        day = when(dem.starts[pk.first], ctx.lang, True)[:-6]  # the date without the clock
        pname = f"peak_{name}"
        peak = DrawnLater(pname, ctx.t("figure.peak_title", day=day), _drawn_later(
            step_chart, pname, dem.starts[pk.first:pk.stop], dem.interval,
            [_cut(s, pk) for s in series], ylabel, stacked=[_cut(s, pk) for s in stacked],
            height=height, width=6.0, ylim=ylim))
    return DrawnLater(name, title, svg, caption, peak=peak)


class DrawnLater(Figure):
    """A :class:`Figure` whose SVG may still be being drawn: reading ``svg`` waits for it
    (and raises what the drawing raised). Equal to, and pickled as, the drawn figure."""

    @property  # type: ignore[override]
    def svg(self) -> str:
        text = self.__dict__["_svg"]
        if isinstance(text, Future):
            text = self.__dict__["_svg"] = text.result()
        return text

    @svg.setter
    def svg(self, text: str | Future[str]) -> None:  # the dataclass's __init__ sets it once
        self.__dict__["_svg"] = text

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_svg": self.svg}


_queue: queue.SimpleQueue[tuple[Future[str], Callable[..., str], tuple, dict] | None] | None = None
_thread: threading.Thread | None = None
_started = threading.Lock()


def _drawn_later(draw: Callable[..., str], *args: Any, **kwargs: Any) -> Future[str]:
    """``draw(*args, **kwargs)`` queued for the drawing thread (started on first use; a
    daemon, so a run that stops early does not wait for the figures not yet drawn)."""
    global _queue, _thread
    with _started:
        if _queue is None:
            _queue = queue.SimpleQueue()
            _thread = threading.Thread(target=_draw_forever, args=(_queue,),
                                       name="figures", daemon=True)
            _thread.start()
            atexit.register(stop_drawing)
    done: Future[str] = Future()
    _queue.put((done, draw, args, kwargs))
    return done


def stop_drawing() -> None:
    """Drop the figures not yet drawn and wait for the one being drawn (at most one chart),
    then end the drawing thread. Run at exit: a daemon thread still inside matplotlib's
    compiled code when the interpreter finalizes is ended by a forced unwind through C++
    frames, which aborts the process ("terminate called without an active exception",
    status -6 instead of Ctrl-C's 130)."""
    global _queue, _thread
    with _started:
        todo, thread = _queue, _thread
        _queue = _thread = None
    if todo is None or thread is None:
        return
    while True:
        try:
            item = todo.get_nowait()
        except queue.Empty:
            break
        if item is not None:
            item[0].cancel()
    todo.put(None)  # the thread's last item: it returns after the chart it is drawing
    thread.join()


def _draw_forever(todo: queue.SimpleQueue) -> None:
    while True:
        item = todo.get()
        if item is None:  # stop_drawing
            return
        done, draw, args, kwargs = item
        if done.set_running_or_notify_cancel():
            try:
                done.set_result(draw(*args, **kwargs))
            except BaseException as exc:  # noqa: BLE001 - raised where the svg is read
                done.set_exception(exc)
