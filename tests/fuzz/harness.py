"""Run peakdesk commands on fuzzed files in this process, one JSON line per job.

Usage: ``python -m tests.fuzz.harness JOBS.json``, where each job is ``{"id": ..., "steps":
[[arg, ...], ...]}``: the steps run in order while they exit 0 (a scenario that validates
is then asked for its requirements). Each step is bounded: ``STEP_TIMEOUT_S`` of wall
clock (a hang detector: an alarm interrupts it) and the process's address space is
capped at ``MEMORY_BYTES`` (a runaway allocation fails instead of swapping). A step's
outcome: its exit code, whether a traceback or an uncaught exception appeared, the time
it took and its first error line.
"""

from __future__ import annotations

import json
import resource
import signal
import sys
import time
import traceback

from click.testing import CliRunner

STEP_TIMEOUT_S = 60
MEMORY_BYTES = 6 * 1024**3


class Hang(BaseException):
    """The step ran past STEP_TIMEOUT_S (BaseException: no handler of peakdesk's eats it)."""


def _alarm(signum: int, frame: object) -> None:
    raise Hang()


def run_step(args: list[str]) -> dict:
    from cli import main

    t0 = time.perf_counter()
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, STEP_TIMEOUT_S)
    try:
        res = CliRunner().invoke(main, args)
        code, output = res.exit_code, res.output
        crashed = res.exception is not None and not isinstance(res.exception, SystemExit)
        if crashed:
            output += "".join(traceback.format_exception(res.exception))
    except Hang:
        code, output, crashed = "timeout", "", False
    except MemoryError:
        code, output, crashed = "memory", "", True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    first = next((ln for ln in output.splitlines() if ln.lower().startswith("error")), "")
    return {"args": args, "exit": code, "traceback": crashed or "Traceback" in output,
            "seconds": round(time.perf_counter() - t0, 3), "error": first[:300]}


def main(jobs_file: str) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    with open(jobs_file, encoding="utf-8") as fh:
        jobs = json.load(fh)
    for job in jobs:
        steps = []
        for args in job["steps"]:
            steps.append(run_step(args))
            if steps[-1]["exit"] != 0:
                break
        print(json.dumps({"id": job["id"], "steps": steps}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
