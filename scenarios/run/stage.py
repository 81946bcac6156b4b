"""The stage interface of ``peakdesk run``: what a stage gets, what it gives back.

A stage is a small object with a ``name``, a ``skip_reason(ctx)`` (``None`` when the
scenario has the inputs it needs, else a sentence saying why it is skipped) and
``run(ctx) -> StageResult``. Stages never write files or print: they return tables,
figures, numbers and sentences, and the results folder / report writers lay them out.
Later stages read earlier stages' typed payload through ``ctx.results[name].data``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from scenarios.schema import Scenario
from scenarios.words.i18n import Lang, t


@dataclass(frozen=True)
class Table:
    """A table written as ``<name>.csv`` and as sheet ``<name>`` of results.xlsx.

    ``columns`` are machine names (CSV header); cells are str, int, float or None.
    """

    name: str
    title: str
    columns: list[str]
    rows: list[list[Any]]


@dataclass(frozen=True)
class Figure:
    """An SVG plot shown inline in the report (``svg`` is the bare ``<svg>`` element)."""

    name: str
    title: str
    svg: str
    caption: str = ""
    peak: Figure | None = None  # the same series over the peak day (scenarios.run.figures)


@dataclass(frozen=True)
class ReportTable:
    """A small table shown in the report (its numbers must also be in ``summary``)."""

    title: str
    header: list[str]
    rows: list[list[str]]
    wrap: tuple[int, ...] = ()  # columns whose text may wrap (long lists of times)
    note: str = ""  # a line under the table (what the columns count)


@dataclass(frozen=True)
class Headline:
    """A key number for the decision summary and for ``peakdesk diff``.

    ``key`` is a stable machine name (``requirements.peak_scheduled``), ``value`` a number,
    ``text`` its formatted, translated display.
    """

    key: str
    label: str
    value: float
    text: str


@dataclass
class StageResult:
    """What one stage contributes to the results folder and the report."""

    name: str
    title: str
    status: Literal["ok", "skipped"] = "ok"
    reason: str = ""  # why it was skipped
    paragraphs: list[str] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)  # plain-language decision sentences
    lead: list[str] = field(default_factory=list)  # sentences that open the decision summary
    headlines: list[Headline] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    report_tables: list[ReportTable] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)  # CSV + xlsx
    summary: dict[str, Any] = field(default_factory=dict)  # JSON-able numbers
    warnings: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)  # each with its source
    data: Any = None  # typed payload for later stages; never serialised
    seconds: float = 0.0  # wall time (manifest only: not reproducible)


@dataclass
class RunContext:
    """Everything a stage may read: the scenario, the run options, earlier results."""

    scenario: Scenario
    scenario_path: Path
    lang: Lang
    quick: bool = False
    seed: int = 0
    results: dict[str, StageResult] = field(default_factory=dict)

    def t(self, key: str, **params: Any) -> str:
        """The message ``key`` in the run's language."""
        return t(key, self.lang, **params)

    def ran(self, name: str) -> StageResult | None:
        """An earlier stage's result if it ran (not skipped), else None."""
        r = self.results.get(name)
        return r if r is not None and r.status == "ok" else None


class Stage(Protocol):
    """One step of the run pipeline."""

    name: str

    def title(self, ctx: RunContext) -> str:
        """Section heading in the run's language."""
        ...

    def skip_reason(self, ctx: RunContext) -> str | None:
        """None if the scenario has this stage's inputs; else why it is skipped."""
        ...

    def run(self, ctx: RunContext) -> StageResult:
        """Do the stage's work (pure: no files, no printing)."""
        ...
