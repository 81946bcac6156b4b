"""docs/formats.md keeps up with the code: the KPI catalogue table equals
``rules.catalogue.CATALOGUE`` row for row, and every key of the scenario and policy files
(at the top level and in their main sections) is named in the document.

References: the catalogue module and the committed JSON Schemas (themselves kept equal to
the pydantic models by tests/scenarios/test_schema_file.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rules.catalogue import CATALOGUE

DOCS = Path(__file__).parents[1] / "docs"
TEXT = (DOCS / "formats.md").read_text(encoding="utf-8")


def catalogue_rows() -> list[tuple[str, ...]]:
    """The rows of the §3 catalogue table: (metric, 中文, better, unit, meaning)."""
    section = TEXT.split("### The KPI catalogue", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            rows.append((cells[0].strip("`"), *[c.replace("\\|", "|") for c in cells[1:]]))
    return rows


def test_catalogue_table_equals_the_module() -> None:
    expected = [(m.name, m.zh, m.direction, m.unit, m.description) for m in CATALOGUE.values()]
    assert catalogue_rows() == expected


SECTIONS = {
    "scenario": ["Channel", "Pool", "Simulation", "Horizon"],
    "policy": ["Scorecard", "ScoreItem", "Commission", "Event", "Ranking", "Band", "Offset",
               "Tier", "QaSampling", "Clawback"],
}


@pytest.mark.parametrize("kind", sorted(SECTIONS))
def test_every_key_is_named(kind: str) -> None:
    schema = json.loads((DOCS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    groups = {"top level": schema["properties"]}
    groups.update({m: schema["$defs"][m]["properties"] for m in SECTIONS[kind]})
    missing = [f"{g}.{k}" for g, props in groups.items() for k in props
               if not re.search(rf"(?<![\w-]){re.escape(k)}(?![\w-])", TEXT)]
    assert not missing, f"docs/formats.md does not name these {kind} keys: {missing}"
