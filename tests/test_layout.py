"""The house rules of the layout, read from the source (ast), not from running code.

- the cores (``sim``, ``planning``, ``rules``) never import ``scenarios`` (the file layer)
  or ``cli``; nothing imports ``cli``;
- ``rules`` imports no other project package;
- ``planning.demand`` is numpy in, numpy out: it imports only itself among the project's
  packages.
Imports inside functions count too (``ast.walk`` sees every import statement).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.tree import python_modules

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ("sim", "planning", "rules", "scenarios", "cli")

#: package (dotted prefix) → project packages it must not import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "sim": ("scenarios", "cli"),
    "planning": ("scenarios", "cli"),
    "rules": ("sim", "planning", "scenarios", "cli"),
    "planning.demand": ("sim", "rules", "scenarios", "cli", "planning.mix", "planning.erlang"),
    "scenarios": ("cli",),
}


def imported_modules(source: str) -> set[str]:
    """Every absolute module name an import statement in ``source`` names."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
    return out


def violations(module: str, source: str) -> list[str]:
    """The forbidden imports of ``module`` (dotted name) given its source text."""
    found = []
    for pkg, banned in FORBIDDEN.items():
        if module != pkg and not module.startswith(pkg + "."):
            continue
        for name in sorted(imported_modules(source)):
            for b in banned:
                if name == b or name.startswith(b + "."):
                    found.append(f"{module} imports {name} ({pkg} must not import {b})")
    return found


def project_modules() -> list[tuple[str, Path]]:
    """The project's own modules (tests/tree.py: never a virtual environment or build
    folder, whatever sits in the working tree)."""
    return python_modules(ROOT, PROJECT[:-1])


@pytest.mark.parametrize("module,path", project_modules(), ids=lambda v: str(v))
def test_layout_rules_hold(module: str, path: Path) -> None:
    assert violations(module, path.read_text(encoding="utf-8")) == []


def test_no_library_module_imports_cli() -> None:
    """Only the tests drive the command line; the library never does."""
    users = [m for m, p in project_modules()
             if m != "cli" and "cli" in imported_modules(p.read_text(encoding="utf-8"))]
    assert users == []


@pytest.mark.parametrize("module,source", [
    ("sim.kernel", "from scenarios.schema import Scenario\n"),
    ("planning.mix", "def f():\n    import scenarios.load\n"),
    ("rules.pay", "from sim import kpi\n"),
    ("planning.demand.compose", "from planning.mix import solve\n"),
    ("scenarios.load", "import cli\n"),
])
def test_checker_catches_a_violation(module: str, source: str) -> None:
    """The rule test would fail on a violation (each line above breaks one rule)."""
    assert violations(module, source)


def test_checker_allows_the_intended_flow() -> None:
    assert violations("sim.compare", "from rules.compiled import compile_policy\n") == []
    assert violations("planning.iterate", "from sim.runner import run_replications\n") == []
    assert violations("scenarios.to_sim", "from sim.model import SimModel\n") == []


def test_every_package_has_a_map() -> None:
    """Each package's ``__init__`` docstring says what is inside (a newcomer's map)."""
    missing = [f"{pkg}/__init__.py" for pkg in PROJECT[:-1]
               if not (ROOT / pkg / "__init__.py").exists()]
    for _module, init in project_modules():
        if init.name != "__init__.py":
            continue
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        if not doc or len(doc.splitlines()) < 2:
            missing.append(str(init.relative_to(ROOT)))
    assert missing == []
