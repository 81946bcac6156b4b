"""The committed JSON Schema (docs/scenario.schema.json, used by the examples' editor
modeline) must match the models; regenerate with `peakdesk schema scenario > docs/...`."""

from __future__ import annotations

import json
from pathlib import Path

from scenarios.files import json_schema

DOCS = Path(__file__).parents[2] / "docs"


def test_scenario_schema_file_is_current() -> None:
    committed = json.loads((DOCS / "scenario.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema("scenario"), \
        "docs/scenario.schema.json is stale: run `peakdesk schema scenario > docs/scenario.schema.json`"


def test_schema_rejects_unknown_top_level_keys() -> None:
    assert json_schema("scenario")["additionalProperties"] is False
