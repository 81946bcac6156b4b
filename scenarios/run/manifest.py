"""``manifest.json``: what is needed to rerun a run exactly, and how long each stage took.

Versions of peakdesk and of every package that computes or writes a number, the scenario's
SHA-256 (and a copy of it in the folder), the seed, the options and the command line.
"""

from __future__ import annotations

import hashlib
import platform
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from scenarios.errors import InputError, read_input_text
from scenarios.run.stage import StageResult

PACKAGES = ("numpy", "scipy", "simpy", "pyomo", "highspy", "pydantic", "ruamel.yaml",
            "click", "rich", "jinja2", "matplotlib", "openpyxl")
SCENARIO_COPY = "scenario.yaml"


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


def rerun_inputs(manifest_path: Path) -> tuple[Path, dict[str, Any]]:
    """The scenario file to rerun (original if unchanged, else the folder's copy) and the
    options recorded in ``manifest_path``; InputError when neither matches the hash."""
    import json

    file = str(manifest_path)
    try:
        man = json.loads(read_input_text(manifest_path))
        sha, opts = man["scenario"]["sha256"], man["options"]
        candidates = [Path(man["scenario"]["path"]),
                      manifest_path.parent / man["scenario"].get("copy", SCENARIO_COPY)]
        if not isinstance(sha, str) or not isinstance(opts, dict):
            raise TypeError("scenario.sha256 must be text and options a mapping")
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise InputError.single(file, f"not a peakdesk run manifest: {exc}") from None
    for cand in candidates:
        try:
            found = cand.is_file()
        except OSError:
            found = False
        if found and sha256_bytes(cand.read_bytes()) == sha:
            return cand, opts
    raise InputError.single(file, f"no scenario file with SHA-256 {sha[:12]}… found (looked "
                                  f"at {', '.join(str(c) for c in candidates)})",
                            field="scenario.sha256")
