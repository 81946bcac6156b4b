"""The committed JSON Schemas (docs/*.schema.json, used by the files' editor modelines)
must match the models; regenerate with `peakdesk schema KIND > docs/KIND.schema.json`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scenarios.reading.files import json_schema

DOCS = Path(__file__).parents[2] / "docs"


@pytest.mark.parametrize("kind", ["scenario", "policy"])
def test_schema_files_are_current(kind: str) -> None:
    committed = json.loads((DOCS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(kind), \
        f"docs/{kind}.schema.json is stale: run `peakdesk schema {kind} > docs/{kind}.schema.json`"


def test_schema_rejects_unknown_top_level_keys() -> None:
    assert json_schema("scenario")["additionalProperties"] is False
