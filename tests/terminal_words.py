"""What a person reads in the terminal: plain words and units, never a machine key.

Two checks on a command's output, like the report's (tests/scenarios/run/test_labels.py):
no key of the scenario file format (docs/scenario.schema.json, every level) nor of the
model's outputs (KPI and pool names) appears as a word, and no snake_case identifier at
all — except file names and paths, agent ids (``pool-001``), located messages about an
input file (``file:line:col field: message`` names the field on purpose) and the names a
user's own input defines (a monitoring spec's metric names), which are passed as allowed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: a machine identifier: lower-case words joined by underscores
RAW = re.compile(r"(?<![\w.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w-])")
FILE = re.compile(r"\S*\.(?:csv|md|yaml|yml|svg|png|json|xlsx|html|sqlite)\b\S*")
LOCATED = re.compile(r"\S+:\d+:\d+: ")  # file:line:col — a message about an input file
AGENT_ID = re.compile(r"\b[a-z_]+-\d+\b")


def schema_keys() -> set[str]:
    """Every property name of the scenario file format, at every level."""
    keys: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("properties"), dict):
                keys.update(node["properties"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads((ROOT / "docs" / "scenario.schema.json").read_text(encoding="utf-8")))
    return keys


def model_keys() -> set[str]:
    """The machine names of what the models return: KPIs, pools, channels' models."""
    from scenarios.words import labels

    return set(labels._KPI_EN) | {k.split(".", 1)[1] for k in labels.LABELS}


#: snake_case keys a terminal must name in words (only those with an underscore: plain
#: words such as "demand" or "offered" read the same in a sentence)
KEYS = {k for k in schema_keys() | model_keys() if "_" in k}


def machine_words(output: str, allowed: Iterable[str] = ()) -> list[str]:
    """snake_case identifiers a person would read in ``output`` (see the module)."""
    allowed = set(allowed)
    found = []
    for line in output.splitlines():
        located = LOCATED.search(line)
        if located:
            line = line[:located.start()]  # a located message names its field on purpose
        line = AGENT_ID.sub(" ", FILE.sub(" ", line))
        found += [w for w in RAW.findall(line) if w not in allowed]
    return found


def schema_words(output: str, allowed: Iterable[str] = ()) -> list[str]:
    """The keys of the file format and the models among ``machine_words``."""
    return [w for w in machine_words(output, allowed) if w in KEYS]
