"""Per-interval figures over the horizon, each with its peak-day view.

On a 14-day horizon the busiest hours are a few pixels wide, so every horizon figure of
a multi-day run gets a companion ``peak_<name>`` that shows the same series over the
**peak day**: the calendar day with the most expected contacts in the demand stage's
point forecast (one day for every figure of the run, so they can be read side by side).

The horizon figures are drawn beside the stages: in a drawing process forked from the
run when the first figure is asked for (on Linux), so the charts (matplotlib: ~3 CPU s for
the flagship's 18, and its import) use the core the main process leaves idle, not the main
process's interpreter lock; where fork is not available, in a helper thread. A figure's
``svg`` waits for its drawing when first read, so the report and the files get the same
SVG text as if it had been drawn on the spot (matplotlib's output is deterministic;
``plots`` draws one chart at a time, whichever thread asks).
"""

from __future__ import annotations

import atexit
import itertools
import multiprocessing
import os
import queue
import signal
import sys
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


def drawn_later(name: str, title: str, draw: Callable[..., str], *args: Any,
                caption: str = "", **kwargs: Any) -> Figure:
    """A figure drawn beside the stages: ``draw(*args, **kwargs)`` (a module-level
    function of scenarios.run.plots) gives its SVG text when it is first read."""
    return DrawnLater(name, title, _drawn_later(draw, *args, **kwargs), caption)


_queue: queue.SimpleQueue[tuple[Future[str], Callable[..., str], tuple, dict] | None] | None = None
_thread: threading.Thread | None = None
_started = threading.Lock()


#: where the charts are drawn: "process" (forked; Linux) or "thread"
DRAW_IN = "process" if sys.platform.startswith("linux") and \
    "fork" in multiprocessing.get_all_start_methods() else "thread"


def _drawn_later(draw: Callable[..., str], *args: Any, **kwargs: Any) -> Future[str]:
    """``draw(*args, **kwargs)`` queued for the drawing process or thread (started on
    first use; a run that stops early does not wait for the figures not yet drawn). In
    the process ``draw`` and its arguments travel pickled: a module-level function."""
    if DRAW_IN == "process":
        return _process_drawer().submit(draw, args, kwargs)
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


def beside(work: Callable[..., Any], *args: Any) -> Future[Any]:
    """``work(*args)`` run in the drawing process (forked on first use), in order with the
    charts; its result or error comes back in the Future. ``work`` and its arguments
    travel pickled: a module-level function. Only where the drawing runs in a process
    (:data:`DRAW_IN`); results.xlsx is written this way (scenarios.run.workbook)."""
    assert DRAW_IN == "process"
    return _process_drawer().submit(work, args, {})


def stop_drawing() -> None:
    """Drop the figures not yet drawn and wait for the one being drawn (at most one chart),
    then end the drawing thread (and the drawing process). Run at exit: a daemon thread
    still inside matplotlib's compiled code when the interpreter finalizes is ended by a
    forced unwind through C++ frames, which aborts the process ("terminate called without
    an active exception", status -6 instead of Ctrl-C's 130)."""
    global _queue, _thread, _drawer
    with _started:
        drawer, _drawer = _drawer, None
    if drawer is not None and drawer.pid == os.getpid():  # not a copy in a forked child
        drawer.stop()
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


class _ProcessDrawer:
    """A forked process that draws the charts sent to it, one at a time, in order.

    Jobs go down one pipe pickled (``(key, draw, args, kwargs)``), SVG text or the error
    comes back up another; a reader thread in this process settles each job's Future.
    The process ignores Ctrl-C (the command stops it, :meth:`stop`, at its exit) and ends
    when its job pipe closes — the command ended, even killed."""

    def __init__(self) -> None:
        ctx = multiprocessing.get_context("fork")
        self.pid = os.getpid()  # the process that owns it (a forked child only has a copy)
        jobs_in, self._jobs = ctx.Pipe(duplex=False)
        self._results, results_out = ctx.Pipe(duplex=False)
        self._pending: dict[int, Future[str]] = {}
        self._keys = itertools.count()
        self._lock = threading.Lock()
        self._proc = ctx.Process(target=_draw_in_process,
                                 args=(jobs_in, results_out, self._jobs, self._results),
                                 name="figures", daemon=True)
        self._proc.start()
        jobs_in.close()
        results_out.close()
        self._outbox: queue.SimpleQueue[tuple | None] = queue.SimpleQueue()
        self._sender = threading.Thread(target=self._send, name="figures-sender",
                                        daemon=True)
        self._reader = threading.Thread(target=self._read, name="figures-reader",
                                        daemon=True)
        self._sender.start()
        self._reader.start()

    def submit(self, draw: Callable[..., Any], args: tuple, kwargs: dict) -> Future[Any]:
        done: Future[Any] = Future()
        done.set_running_or_notify_cancel()
        with self._lock:
            key = next(self._keys)
            self._pending[key] = done
        self._outbox.put((key, draw, args, kwargs))  # never waits for the drawing
        return done

    def _send(self) -> None:
        """Send the jobs in turn (a job or an SVG is larger than a pipe's buffer: sending
        waits for the other side, so it is done here, not by the stage that asks)."""
        while (job := self._outbox.get()) is not None:
            try:
                self._jobs.send(job)
            except Exception as exc:  # noqa: BLE001 - unpicklable, or the process gone
                with self._lock:
                    done = self._pending.pop(job[0], None)
                if done is not None:
                    done.set_exception(exc)

    def _read(self) -> None:
        while True:
            try:
                key, ok, value = self._results.recv()
            except (EOFError, OSError):
                break
            with self._lock:
                done = self._pending.pop(key, None)
            if done is not None:
                (done.set_result if ok else done.set_exception)(value)
        with self._lock:
            left, self._pending = list(self._pending.values()), {}
        for done in left:
            done.set_exception(RuntimeError("the figures' drawing process ended"))

    def stop(self) -> None:
        """End the process now; the figures not drawn yet raise where they are read. (A
        process ended inside matplotlib's compiled code cannot abort this one, as a thread
        could.)"""
        with self._lock:
            left, self._pending = list(self._pending.values()), {}
        for done in left:
            done.set_exception(RuntimeError("the run ended before this figure was drawn"))
        self._outbox.put(None)
        self._proc.terminate()
        self._proc.join()
        self._sender.join(5)  # a send in progress fails once the process is gone
        self._reader.join(5)
        self._jobs.close()
        self._results.close()


_drawer: _ProcessDrawer | None = None


def _process_drawer() -> _ProcessDrawer:
    global _drawer
    with _started:
        if _drawer is None or _drawer.pid != os.getpid():
            _drawer = _ProcessDrawer()
            atexit.register(stop_drawing)
        return _drawer


def _draw_in_process(jobs: Any, results: Any, *parents_ends: Any) -> None:
    """The drawing process: draw each job in turn until the pipe closes or says stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the command decides when it stops
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for end in parents_ends:  # the command's ends: its death closes the job pipe
        end.close()
    while True:
        try:
            job = jobs.recv()
        except (EOFError, OSError):
            break
        if job is None:
            break
        key, draw, args, kwargs = job
        try:
            reply = (key, True, draw(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - raised where the svg is read
            reply = (key, False, exc)
        try:
            results.send(reply)
        except Exception as exc:  # noqa: BLE001 - an error that does not pickle
            results.send((key, False, RuntimeError(f"{type(exc).__name__}: {exc}")))
    os._exit(0)
