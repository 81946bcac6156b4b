"""Test-wide settings.

Property tests explore fresh random examples on every local run; in CI (``CI`` set) they
run derandomized — the same examples every time — so a submission's CI result does not
depend on the draw, while local runs keep searching for counterexamples.

The suite runs on every core with pytest-xdist (``pytest -q -n auto --dist loadgroup``,
the README's test line; on the command line rather than in pyproject.toml so that a
checkout without xdist still runs ``pytest`` serially). Each worker has its own
temporary folders, so tests never share files; the modules that read the shared results folders of
tests/scenarios/run/conftest.py (the flagship, the roster week, the promo-day and mini-peak
runs, made once per session) all go to one worker, which makes each folder once, as a
serial run does. Every number a test checks depends on its own seeds only, never on the
worker that runs it.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


#: session fixtures that run a whole what-if (tests/scenarios/run/conftest.py)
SHARED_RUNS = ("promo_runs", "flagship_run", "week_run", "mini_runs", "mini_and_flagship")


@cache
def uses_shared_runs(path: Path) -> bool:
    """Whether a test module names a shared-run fixture (as an argument or through
    ``request.getfixturevalue``)."""
    if path.suffix != ".py" or not path.is_file():
        return False
    text = path.read_text(encoding="utf-8")
    return any(name in text for name in SHARED_RUNS) and path.name != "conftest.py"


@pytest.hookimpl(tryfirst=True)  # before xdist's worker reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep every test of the shared runs on one xdist worker (group ``shared-runs``, with
    ``--dist loadgroup``), so each run is made once per session, not once per worker."""
    for item in items:
        if uses_shared_runs(Path(item.path)):
            item.add_marker(pytest.mark.xdist_group("shared-runs"))
