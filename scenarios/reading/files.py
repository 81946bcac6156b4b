"""Which kind of file is this? Load scenario, policy or monitoring-spec files by their
content."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scenarios.reading.load import load_scenario
from scenarios.reading.yamlio import read_yaml
from scenarios.schema import Scenario


def file_kind(data: Any) -> str:
    """'policy' for a mapping with a top-level ``policy`` key, 'monitor' for a monitoring
    spec (``core`` metrics and no ``horizon``), else 'scenario'."""
    if isinstance(data, dict) and "policy" in data:
        return "policy"
    if isinstance(data, dict) and "core" in data and "horizon" not in data:
        return "monitor"
    return "scenario"


def load_any(path: str | Path) -> tuple[str, Any]:
    """Load a scenario or policy file, validated; returns (kind, typed object)."""
    kind = file_kind(read_yaml(path))
    if kind == "policy":
        from scenarios.reading.policy_file import load_policy

        return kind, load_policy(path)
    if kind == "monitor":
        from scenarios.monitor.spec import load_spec

        return kind, load_spec(path)[0]
    return kind, load_scenario(path)


def json_schema(kind: str) -> dict[str, Any]:
    """JSON Schema (draft-07 compatible keywords) of the scenario or policy file."""
    if kind == "policy":
        from rules.schema import Policy

        model: Any = Policy
    elif kind == "monitor":
        from scenarios.monitor.spec import MonitorSpec

        model = MonitorSpec
    else:
        model = Scenario
    schema = model.model_json_schema()
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    return schema
