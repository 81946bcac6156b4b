"""The bundled named profiles (scenarios/profiles/*.yaml), merged with a scenario's own.

File reading lives here; the shape arithmetic is in :mod:`planning.demand.shapes`.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from ruamel.yaml import YAML

from scenarios.schema import Profiles


@lru_cache(maxsize=1)
def bundled_profiles() -> tuple[dict[str, tuple[float, ...]], dict[str, tuple[float, ...]]]:
    """(weekly, intraday) bundled profiles: name → weights (read once)."""
    out = []
    for kind in ("weekly", "intraday"):
        text = resources.files("scenarios").joinpath(f"profiles/{kind}.yaml").read_text("utf-8")
        data = YAML(typ="safe").load(text)
        out.append({str(k): tuple(float(x) for x in v) for k, v in data.items()})
    return out[0], out[1]


def profile_tables(own: Profiles) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """(weekly, intraday) name → weights: bundled ones, replaced/extended by the scenario's."""
    weekly, intraday = bundled_profiles()
    w = {k: list(v) for k, v in weekly.items()}
    d = {k: list(v) for k, v in intraday.items()}
    w.update({k: list(v) for k, v in own.weekly.items()})
    d.update({k: list(v) for k, v in own.intraday.items()})
    return w, d
