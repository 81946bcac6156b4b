"""Compile a policy once: every formula checked against the known metric names.

Names resolve against the KPI catalogue, the policy's own ``metrics`` (each may use the
ones written above it) and, when paying a KPI table, that table's columns (docs/formats.md §2).
A custom metric that reuses a catalogue or column name replaces it for the policy.
``score`` is visible to ranking, commission and event formulas once a scorecard exists.
All formula problems are collected, each with its path in the policy file.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rules.catalogue import CATALOGUE, direction
from rules.formula import Formula, FormulaError, compile_formula, parse
from rules.schema import Policy

Loc = tuple[Any, ...]


class PolicyFormulaError(ValueError):
    """Every formula problem of a policy: (path in the file, error) pairs."""

    def __init__(self, errors: list[tuple[Loc, FormulaError]]):
        self.errors = errors
        super().__init__("; ".join(f"{'.'.join(map(str, loc))}: {e.message}" for loc, e in errors))


@dataclass(frozen=True)
class CompiledCommission:
    per: Formula
    when: Formula | None
    clawback_units: Formula | None
    clawback_rate: Formula | None


@dataclass(frozen=True)
class CompiledEvent:
    per: Formula
    when: Formula | None
    per_key: str
    by_key: str | None


@dataclass(frozen=True)
class CompiledPolicy:
    """A policy with its formulas compiled; pay any number of KPI tables with it
    (``rules.pay.pay(compiled, table)``)."""

    policy: Policy
    metrics: list[tuple[str, Formula]]
    items: list[Formula]
    item_directions: list[str]
    points: list[Formula]
    ranking_by: Formula | None
    ranking_direction: str
    commissions: list[CompiledCommission]
    events: list[CompiledEvent]
    needed: frozenset[str]
    columns: frozenset[str] = field(default_factory=frozenset)


def unit_key(source: str) -> str:
    """Same key for the same formula however it is spaced (matches offsets to events)."""
    return ast.dump(parse(source).body)


def compile_policy(policy: Policy, columns: Iterable[str] = ()) -> CompiledPolicy:
    """Check and compile every formula; raise :class:`PolicyFormulaError` with all problems."""
    cols = frozenset(c for c in columns if c not in ("agent_id", "pool"))
    base = set(CATALOGUE) | set(cols)
    customs = list(policy.metrics)
    errors: list[tuple[Loc, FormulaError]] = []
    has_score = policy.scorecard is not None

    def suggester(visible: set[str], later: list[str]):
        def suggest(name: str) -> str:
            if name in later:
                return f" (custom metric '{name}' is defined further down: a custom metric " \
                       f"may only use the ones above it)"
            if name == "score":
                return " ('score' is only known to ranking, commission and events of a " \
                       "policy with a scorecard)"
            close = difflib.get_close_matches(name, sorted(visible), n=3, cutoff=0.6)
            return f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
        return suggest

    def comp(loc: Loc, source: str, visible: set[str], later: list[str] = ()) -> Formula | None:
        try:
            return compile_formula(source, visible.__contains__, suggester(visible, list(later)))
        except FormulaError as exc:
            errors.append((loc, exc))
            return None

    metrics: list[tuple[str, Formula]] = []
    needed: set[str] = set()
    defined: set[str] = set()
    for k, (name, src) in enumerate(policy.metrics.items()):
        f = comp(("metrics", name), src, base | defined, customs[k + 1:])
        if f is not None:
            metrics.append((name, f))
            needed |= {x for x in f.names if x not in defined}
        defined.add(name)
    all_known = base | defined
    pay_known = all_known | ({"score"} if has_score else set())

    def use(f: Formula | None) -> Formula | None:
        if f is not None:
            needed.update(x for x in f.names if x not in defined and x != "score")
        return f

    items: list[Formula] = []
    dirs: list[str] = []
    points: list[Formula] = []
    if policy.scorecard is not None:
        for i, it in enumerate(policy.scorecard.items):
            f = use(comp(("scorecard", "items", i, "metric"), it.metric, all_known))
            if f is not None:
                items.append(f)
            dirs.append(it.direction or direction(it.metric.strip()))
        for i, pt in enumerate(policy.scorecard.points):
            f = use(comp(("scorecard", "points", i, "per"), pt.per, all_known))
            if f is not None:
                points.append(f)

    ranking_by = None
    ranking_dir = "higher"
    if policy.ranking is not None:
        by = policy.ranking.by.strip()
        if by != "score":
            ranking_by = use(comp(("ranking", "by"), by, pay_known))
        ranking_dir = policy.ranking.direction or _item_direction(policy, by, dirs)

    commissions: list[CompiledCommission] = []
    for i, c in enumerate(policy.commission):
        per = use(comp(("commission", i, "per"), c.per, pay_known))
        when = use(comp(("commission", i, "when"), c.when, pay_known)) if c.when else None
        cu = cr = None
        if c.clawback is not None:
            if c.clawback.units is not None:
                cu = use(comp(("commission", i, "clawback", "units"), c.clawback.units, pay_known))
            else:
                cr = use(comp(("commission", i, "clawback", "rate"), c.clawback.rate, pay_known))
        if per is not None:
            commissions.append(CompiledCommission(per, when, cu, cr))

    events: list[CompiledEvent] = []
    for i, e in enumerate(policy.events):
        per = use(comp(("events", i, "per"), e.per, pay_known))
        when = use(comp(("events", i, "when"), e.when, pay_known)) if e.when else None
        by_key = None
        if e.offset is not None:
            by = use(comp(("events", i, "offset", "by"), e.offset.by, all_known))
            if by is not None:
                if not e.offset.by.strip().isidentifier():
                    errors.append((("events", i, "offset", "by"),
                                   FormulaError("offset 'by' must be a metric name")))
                by_key = unit_key(e.offset.by)
        if per is not None:
            events.append(CompiledEvent(per, when, unit_key(e.per), by_key))

    if policy.uses_tenure() and "tenure_months" not in defined:
        needed.add("tenure_months")
    if errors:
        raise PolicyFormulaError(errors)
    return CompiledPolicy(policy, metrics, items, dirs, points, ranking_by, ranking_dir,
                          commissions, events, frozenset(needed), cols)


def _item_direction(policy: Policy, by: str, dirs: list[str]) -> str:
    """docs/formats.md §2: the scorecard item's direction for the ranked metric, else higher."""
    if by == "score" or policy.scorecard is None:
        return "higher"
    for it, d in zip(policy.scorecard.items, dirs, strict=True):
        if it.metric.strip() == by:
            return d
    return "higher"


def raw_formula_sites(data: Any) -> list[tuple[Loc, str]]:
    """Formula texts of a policy that failed schema validation, with their paths.

    Lets the loader report formula problems together with schema problems.
    """
    if not isinstance(data, dict):
        return []
    sites: list[tuple[Loc, str]] = []

    def add(loc: Loc, value: Any) -> None:
        if isinstance(value, str) and value.strip():
            sites.append((loc, value))

    def items(x: Any) -> list[tuple[int, dict]]:
        return [(i, v) for i, v in enumerate(x) if isinstance(v, dict)] if isinstance(x, list) else []

    metrics = data.get("metrics")
    if isinstance(metrics, dict):
        for k, v in metrics.items():
            add(("metrics", k), v)
    card = data.get("scorecard")
    if isinstance(card, dict):
        for i, it in items(card.get("items")):
            add(("scorecard", "items", i, "metric"), it.get("metric"))
        for i, pt in items(card.get("points")):
            add(("scorecard", "points", i, "per"), pt.get("per"))
    ranking = data.get("ranking")
    if isinstance(ranking, dict) and ranking.get("by", "score") != "score":
        add(("ranking", "by"), ranking.get("by"))
    com = data.get("commission")
    for i, c in items([com] if isinstance(com, dict) else com):
        add(("commission", i, "per"), c.get("per"))
        add(("commission", i, "when"), c.get("when"))
        if isinstance(c.get("clawback"), dict):
            for key in ("units", "rate"):
                add(("commission", i, "clawback", key), c["clawback"].get(key))
    for i, e in items(data.get("events")):
        add(("events", i, "per"), e.get("per"))
        add(("events", i, "when"), e.get("when"))
        if isinstance(e.get("offset"), dict):
            add(("events", i, "offset", "by"), e["offset"].get("by"))
    return sites


def check_raw_formulas(data: Any, columns: Iterable[str] = ()) -> list[tuple[Loc, FormulaError]]:
    """Grammar and name errors of the formulas in unvalidated policy data (lenient on order:
    every custom metric and ``score`` count as known)."""
    known = set(CATALOGUE) | set(columns) | {"score"}
    if isinstance(data, dict) and isinstance(data.get("metrics"), dict):
        known |= {str(k) for k in data["metrics"]}
    errors = []
    for loc, src in raw_formula_sites(data):
        try:
            compile_formula(src, known)
        except FormulaError as exc:
            errors.append((loc, exc))
    return errors
