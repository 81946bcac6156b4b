"""``manifest.json``: what is needed to rerun a run exactly, and how long each stage took.

Versions of peakdesk and of every package that computes or writes a number, the scenario's
SHA-256 (and a copy of it in the folder), the seed, the options and the command line.
"""

from __future__ import annotations

import hashlib
import json
import platform
import sys
from importlib import metadata
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from scenarios.reading.errors import InputError, read_input_text
from scenarios.reading.yaml_guard import MAX_FILE_BYTES
from scenarios.run.stage import StageResult
from scenarios.words.i18n import Lang

PACKAGES = ("numpy", "scipy", "simpy", "pyomo", "highspy", "pydantic", "ruamel.yaml",
            "click", "rich", "jinja2", "matplotlib", "openpyxl", "xlsxwriter")
SCENARIO_COPY = "scenario.yaml"
MAX_MANIFEST_BYTES = MAX_FILE_BYTES  # a manifest is a few kB


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def version_of(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def peakdesk_version() -> str:
    return version_of("peakdesk") or "unknown"


def build_manifest(*, scenario_path: Path, sha256: str, scenario_name: str, lang: str,
                   quick: bool, seed: int, command: list[str], results: list[StageResult],
                   started_at: str, wall_s: float) -> dict[str, Any]:
    return {
        "peakdesk": peakdesk_version(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": {p: version_of(p) for p in PACKAGES},
        "scenario": {"path": str(scenario_path.absolute()), "sha256": sha256,
                     "name": scenario_name, "copy": SCENARIO_COPY},
        "options": {"lang": lang, "quick": quick, "seed": seed},
        "command": command,
        "cwd": str(Path.cwd()),
        "started_at": started_at,
        "wall_s": round(wall_s, 3),
        "stages": [{"name": r.name, "status": r.status, "seconds": round(r.seconds, 4)}
                   for r in results],
    }


class ManifestScenario(BaseModel):
    """``scenario`` of a manifest: where the scenario was, its hash, the folder's copy."""

    model_config = ConfigDict(extra="allow")
    path: str = Field(min_length=1, max_length=4096)
    sha256: str = Field(pattern="^[0-9a-f]{64}$", description="64 lower-case hex digits")
    copy_name: str = Field(SCENARIO_COPY, alias="copy", min_length=1, max_length=255,
                           pattern=r"^[^/\\\x00]+$")

    @field_validator("copy_name")
    @classmethod
    def _plain_name(cls, v: str) -> str:
        if v in (".", ".."):
            raise ValueError("expected a file name in the results folder")
        return v


class ManifestOptions(BaseModel):
    """``options`` of a manifest: what ``peakdesk run`` was given."""

    model_config = ConfigDict(extra="allow")
    lang: Lang | None = None
    quick: StrictBool = False
    seed: Annotated[int, Field(ge=0, le=2**64 - 1)] | None = None


class RunManifest(BaseModel):
    """The part of ``manifest.json`` a rerun reads (other keys are the run's record)."""

    model_config = ConfigDict(extra="allow")
    scenario: ManifestScenario
    options: ManifestOptions


def read_manifest(manifest_path: Path) -> tuple[RunManifest, Any]:
    """The manifest's rerun part and its parsed tree (for locating problems); a file that
    is not JSON, or whose fields are wrong, is one located problem per field."""
    from scenarios.reading.yamlio import read_yaml, validate

    file = str(manifest_path)
    text = read_input_text(manifest_path, max_bytes=MAX_MANIFEST_BYTES)
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError.single(file, f"not JSON: {exc.msg} (a peakdesk run manifest is "
                                      f"the manifest.json of a results folder)",
                                line=exc.lineno, col=exc.colno) from None
    except RecursionError:
        raise InputError.single(file, "not a peakdesk run manifest: nested too deeply",
                                line=1, col=1) from None
    tree = read_yaml(manifest_path)  # JSON is YAML 1.2: the same reader, with positions
    return validate(RunManifest, tree, file), tree


def rerun_inputs(manifest_path: Path) -> tuple[Path, dict[str, Any]]:
    """The scenario file to rerun (original if unchanged, else the folder's copy) and the
    options recorded in ``manifest_path``; InputError when neither matches the hash."""
    from scenarios.reading.yamlio import position

    file = str(manifest_path)
    man, tree = read_manifest(manifest_path)
    sha = man.scenario.sha256
    candidates = [Path(man.scenario.path), manifest_path.parent / man.scenario.copy_name]
    for cand in candidates:
        if _sha256_of(cand) == sha:
            return cand, man.options.model_dump()
    line, col = position(tree, ("scenario", "sha256"))
    raise InputError.single(file, f"no scenario file with SHA-256 {sha[:12]}… found (looked "
                                  f"at {', '.join(str(c) for c in candidates)}): expected "
                                  f"the scenario the run read, unchanged",
                            field="scenario.sha256", line=line, col=col)


def _sha256_of(path: Path) -> str | None:
    """SHA-256 of a regular file no larger than a scenario may be; None when unreadable."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            return None
        return sha256_bytes(path.read_bytes())
    except (OSError, ValueError):  # a path the system refuses (NUL, too long, no access)
        return None
