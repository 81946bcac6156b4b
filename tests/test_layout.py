"""The house rules of the layout, read from the source (ast), not from running code.

- the cores (``sim``, ``planning``, ``rules``) never import ``scenarios`` (the file layer)
  or ``cli``; nothing imports ``cli``;
- ``rules`` imports no other project package;
- ``planning.demand`` is numpy in, numpy out: it imports only itself among the project's
  packages;
- ``scenarios.words`` (labels and messages, en/zh) sits below the run, the capacity plan,
  monitoring and the commands that use it; the capacity plan's file side never imports
  the run;
- no import circles: no two modules import each other, directly or round a loop (shared
  types go in a module below both).
Imports inside functions and under ``TYPE_CHECKING`` count too (``ast.walk`` sees every
import statement). Only the project's own files are read (tests/tree.py).
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
    # the shared words sit below every output that uses them (issue 30)
    "scenarios.words": ("scenarios.run", "scenarios.capacity", "scenarios.monitor",
                        "scenarios.commands", "cli"),
    "scenarios.capacity": ("scenarios.run", "scenarios.commands", "cli"),
    # a command's words come from scenarios.words, never from the run that also uses them
    "scenarios.commands": ("scenarios.run", "cli"),
    # the file layer's rooms (issue 30): readers and adapters below the commands and runs
    "scenarios.reading": ("scenarios.checked_mix", "scenarios.run", "scenarios.commands",
                          "scenarios.sweep", "scenarios.intraday", "cli"),
    "scenarios.adapters": ("scenarios.writing", "scenarios.run", "scenarios.commands",
                           "scenarios.sweep", "scenarios.monitor", "scenarios.intraday",
                           "cli"),
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
    ("planning.mix", "def f():\n    import scenarios.reading.load\n"),
    ("rules.pay", "from sim import kpi\n"),
    ("planning.demand.compose", "from planning.mix import solve\n"),
    ("scenarios.reading.load", "import cli\n"),
    ("scenarios.words.i18n", "from scenarios.run.stages.mix import check_verdict\n"),
    ("scenarios.capacity.text", "from scenarios.run.i18n import t\n"),
    ("scenarios.reading.load", "from scenarios.run.pipeline import x\n"),
    ("scenarios.commands.plan", "from scenarios.run.stages.mix import check_verdict\n"),
])
def test_checker_catches_a_violation(module: str, source: str) -> None:
    """The rule test would fail on a violation (each line above breaks one rule)."""
    assert violations(module, source)


def test_checker_allows_the_intended_flow() -> None:
    assert violations("sim.compare", "from rules.compiled import compile_policy\n") == []
    assert violations("planning.iterate", "from sim.runner import run_replications\n") == []
    assert violations("scenarios.adapters.to_sim", "from sim.model import SimModel\n") == []


def test_the_file_layer_map_fits_on_a_screen() -> None:
    """``scenarios/`` keeps its modules in rooms (reading, adapters, writing, …): a
    newcomer meets a handful of top-level modules, not thirty."""
    top = sorted(p.name for p in (ROOT / "scenarios").glob("*.py"))
    assert len(top) <= 8, top


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


# --- no import circles ------------------------------------------------------------------


def imported_project_modules(module: str, source: str, known: set[str]) -> set[str]:
    """The project modules ``module`` imports: ``from a.b import c`` names the module
    ``a.b.c`` when it is one, else ``a.b``; relative imports are resolved; imports inside
    functions and under ``TYPE_CHECKING`` count (a reader meets them all)."""
    package = module.split(".") if module in known and _is_package(module, known) \
        else module.split(".")[:-1]
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - (node.level - 1)]
                parent = ".".join(base + ([node.module] if node.module else []))
            else:
                parent = node.module or ""
            targets = [f"{parent}.{a.name}" if f"{parent}.{a.name}" in known else parent
                       for a in node.names]
        else:
            continue
        for name in targets:
            while name and name not in known:  # `import a.b.c` → the deepest module known
                name = name.rpartition(".")[0]
            if name and name != module:
                out.add(name)
    return out


def _is_package(module: str, known: set[str]) -> bool:
    return any(k.startswith(module + ".") for k in known)


def import_graph(sources: dict[str, str]) -> dict[str, set[str]]:
    known = set(sources)
    return {m: imported_project_modules(m, s, known) for m, s in sources.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or round a loop (the strongly
    connected components with more than one module; Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return sorted(found)


def test_no_import_circles() -> None:
    """A reader can learn each module from the ones below it: no two modules import each
    other, directly or round a loop (issue 30: rules.compiled ↔ rules.pay ↔ rules.explain
    and sim.runner ↔ sim.sizes were the last; shared types now sit below both)."""
    sources = {m: p.read_text(encoding="utf-8") for m, p in project_modules()}
    assert circles(import_graph(sources)) == []


@pytest.mark.parametrize("sources,expected", [
    # the two circles this test was written against, as they were
    ({"rules.compiled": "def pay():\n    from rules.pay import compute\n",
      "rules.pay": "from rules.compiled import CompiledPolicy\nfrom rules.explain import R\n",
      "rules.explain": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                       "    from rules.pay import PayResult\n",
      "rules": ""},
     [["rules.compiled", "rules.explain", "rules.pay"]]),
    ({"sim.runner": "from sim.sizes import check_size\n",
      "sim.sizes": "if TYPE_CHECKING:\n    from sim.runner import Demand\n",
      "sim": "from sim.runner import run_replications\n"},
     [["sim.runner", "sim.sizes"]]),
    # a loop of three through a package's submodule named in `from pkg import mod`
    ({"a": "", "a.x": "from a import y\n", "a.y": "import a.z\n", "a.z": "from .x import f\n"},
     [["a.x", "a.y", "a.z"]]),
])
def test_the_circle_check_catches_a_circle(sources: dict[str, str],
                                           expected: list[list[str]]) -> None:
    assert circles(import_graph(sources)) == expected


def test_the_circle_check_allows_a_package_that_gathers_its_modules() -> None:
    """``sim/__init__`` re-exporting ``sim.runner`` while ``sim.runner`` imports
    ``from sim import fcfs`` (a module, not the package) is no circle."""
    sources = {"sim": "from sim.runner import run\n", "sim.fcfs": "",
               "sim.runner": "from sim import fcfs\nfrom sim.demand import Demand\n",
               "sim.demand": "", "sim.sizes": "from sim.demand import Demand\n"}
    assert circles(import_graph(sources)) == []
