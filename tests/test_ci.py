"""CI runs what a newcomer types: the README's set-up lines, verbatim, in a fresh clone.

Issue 30: the README's test line failed on a fresh machine while CI passed, because
``.ci/run`` made its virtual environment elsewhere. Reference: the README's own text —
every shell line of its "Set up" section must be a command line of ``.ci/run``, unchanged
and in the same order, and nothing else in ``.ci/run`` may make or pick a different
virtual environment.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def setup_lines(readme: str) -> list[str]:
    """The shell lines of the README's "Set up" section, in order."""
    section = readme.split("\n## Set up\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:bash|sh)\n(.*?)```", section, flags=re.S)
    return [ln for b in blocks for ln in b.splitlines() if ln.strip()]


def commands(script: str) -> list[str]:
    """The lines of a shell script that run something (no comments, no blank lines)."""
    return [ln for ln in script.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def test_the_readme_has_an_install_line_and_a_test_line() -> None:
    lines = setup_lines(README)
    assert len(lines) == 2
    install, test = lines
    assert install.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install")
    assert "peakdesk run scenarios/examples/double11.yaml" in install
    assert 'pip install -e ".[test]"' in test and "ruff check ." in test
    assert re.search(r"&& pytest\b", test)


def test_ci_runs_the_readme_lines_verbatim_in_order() -> None:
    lines = setup_lines(README)
    ran = commands(CI)
    positions = [ran.index(ln) if ln in ran else -1 for ln in lines]
    assert -1 not in positions, f".ci/run lacks a README line verbatim: {lines}"
    assert positions == sorted(positions)
    # the README's lines are the last commands: nothing after them changes what they test
    assert ran[-len(lines):] == lines


def test_ci_makes_no_other_virtual_environment() -> None:
    others = [ln for ln in commands(CI) if ln not in setup_lines(README)
              and re.search(r"-m venv|bin/activate|mktemp|\bpip |\bpytest\b", ln)]
    assert others == []


def test_the_check_fails_on_a_changed_line() -> None:
    """A CI script that rewrites the test line (its own venv) is caught."""
    lines = setup_lines(README)
    changed = CI.replace(lines[-1], lines[-1].replace(".venv", "/tmp/venv"))
    assert lines[-1] not in commands(changed)
