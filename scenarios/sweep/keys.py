"""What a sweep varies: a scenario field by its dotted path, or a named shortcut.

A dotted path (``pools.reserve.on_call.max_size``, ``events.0.uplift``) is checked against
the scenario schema before anything runs: each part must be a field of the model reached
so far, a name that exists in the file for a mapping of names (``pools.<pool>``), or an
index that exists for a list. Shortcuts are a small table (:data:`SHORTCUTS`): a name, what
it means, and a function that sets the fields it stands for; add one by adding a row.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML

from scenarios.reading.yamlio import _unwrap, did_you_mean
from scenarios.schema import Scenario


class KeyError_(ValueError):
    """A --vary key or value the scenario cannot take (the message says why)."""


def parse_value(text: str) -> Any:
    """A value as YAML reads it: ``1.3`` a number, ``true`` a flag, ``null`` nothing,
    anything else text."""
    text = text.strip()
    if text == "":
        raise KeyError_("an empty value")
    try:
        value = YAML(typ="safe", pure=True).load(text)
    except Exception:  # noqa: BLE001 - not YAML: keep the text
        return text
    return value if isinstance(value, (int, float, bool, str)) or value is None else text


# ---------------------------------------------------------------- dotted paths
def _models(tp: Any) -> list[type[BaseModel]]:
    return [t for t in _unwrap(tp) if isinstance(t, type) and issubclass(t, BaseModel)]


def _containers(tp: Any, origin: Any) -> list[Any]:
    return [t for t in _unwrap(tp) if typing.get_origin(t) is origin]


def check_path(key: str, data: Any) -> list[str | int]:
    """The parts of ``key`` when it names a field of the scenario ``data`` may hold."""
    parts: list[str | int] = []
    tp: Any = Scenario
    node: Any = data
    for raw in key.split("."):
        where = ".".join(map(str, parts)) or "the scenario"
        if raw == "":
            raise KeyError_(f"'{key}' has an empty part")
        models, dicts, lists = _models(tp), _containers(tp, dict), _containers(tp, list)
        if models:
            model = models[0]
            fields = {f.alias or n: f for n, f in model.model_fields.items()}
            if raw not in fields:
                raise KeyError_(f"{where} has no field '{raw}'"
                                f"{did_you_mean(raw, sorted(fields))}; its fields are: "
                                f"{', '.join(sorted(fields))}")
            tp, part = fields[raw].annotation, raw
        elif dicts:
            names = sorted(map(str, node)) if isinstance(node, dict) else []
            if raw not in names:
                raise KeyError_(f"{where} has no entry '{raw}' in the scenario"
                                f"{did_you_mean(raw, names)}"
                                + (f"; its entries are: {', '.join(names)}" if names else ""))
            tp, part = typing.get_args(dicts[0])[1], raw
        elif lists and raw.isdigit():
            size = len(node) if isinstance(node, list) else 0
            if int(raw) >= size:
                raise KeyError_(f"{where} has {size} entries; index {raw} is out of range "
                                f"(the first is 0)")
            tp, part = typing.get_args(lists[0])[0], int(raw)
        else:
            raise KeyError_(f"{where} is a value, not a section: '{raw}' cannot follow it")
        parts.append(part)
        node = node.get(part) if isinstance(node, dict) else (
            node[part] if isinstance(node, list) and isinstance(part, int) else None)
    return parts


def set_path(data: Any, parts: list[str | int], value: Any) -> None:
    """Set the field at ``parts`` in the loaded scenario, making missing sections."""
    node = data
    for part in parts[:-1]:
        if isinstance(node, dict) and (part not in node or node[part] is None):
            node[part] = {}
        node = node[part]
    node[parts[-1]] = value


# ---------------------------------------------------------------- shortcuts
def _positive(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise KeyError_(f"{what} must be a number above 0, got {value!r}")
    return float(value)


def _scale(node: Any, name: str, factor: float) -> bool:
    v = node.get(name) if isinstance(node, dict) else None
    if isinstance(v, bool) or v is None:
        return False
    if isinstance(v, (int, float)):
        node[name] = float(v) * factor
    elif isinstance(v, list):
        node[name] = [float(x) * factor for x in v]
    else:
        return False
    return True


def set_peak(data: Any, value: Any) -> None:
    """Scale the whole forecast: every channel's base volume and the orders that drive
    contacts (like the demand scenarios' peak multiplier with ``applies_to: all``)."""
    f = _positive(value, "peak")
    scaled = False
    for dem in (data.get("demand") or {}).values():
        for name in ("rate_per_hour", "rates_per_hour", "daily_volume"):
            scaled |= _scale(dem, name, f)
    orders = (data.get("drivers") or {}).get("orders")
    for name in ("per_day", "per_interval", "before_start"):
        scaled |= _scale(orders, name, f)
    if not scaled:
        raise KeyError_("peak scales demand volumes and orders; the scenario gives none")


def set_reserve(data: Any, value: Any) -> None:
    """The largest reserve the plan may train: ``on_call.max_size`` of the on-call pool."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise KeyError_(f"reserve must be a whole number of agents ≥ 0, got {value!r}")
    pools = [p for p in (data.get("pools") or {}).values()
             if isinstance(p, dict) and isinstance(p.get("on_call"), dict)]
    if len(pools) != 1:
        raise KeyError_(f"reserve sets the on-call pool's on_call.max_size; the scenario "
                        f"has {len(pools)} on-call pools (vary pools.<pool>.on_call.max_size)")
    pools[0]["on_call"]["max_size"] = value


def set_policies(data: Any, value: Any) -> None:
    """The set of incentive policies: files joined by ``+``, or ``none``."""
    if value is None or str(value).strip().lower() == "none":
        data["policies"] = []
        return
    data["policies"] = [p.strip() for p in str(value).split("+") if p.strip()]


def set_bot(data: Any, value: Any) -> None:
    """The bot's containment (one share for every contact reason) on every channel it
    fronts (scenario section ``bot:``)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise KeyError_(f"bot must be a share between 0 and 1, got {value!r}")
    bots = data.get("bot")
    if not isinstance(bots, dict) or not bots:
        raise KeyError_("bot sets bot.<channel>.containment; the scenario has no bot: section")
    for spec in bots.values():
        spec["containment"] = value


@dataclass(frozen=True)
class Shortcut:
    """A named key: what it stands for (docs) and how it sets the scenario."""

    name: str
    meaning: str
    apply: Callable[[Any, Any], None]


SHORTCUTS: dict[str, Shortcut] = {s.name: s for s in (
    Shortcut("peak", "the forecast × V: every channel's base volume and the orders",
             set_peak),
    Shortcut("reserve", "the largest reserve the plan may train (the on-call pool's "
                        "on_call.max_size)", set_reserve),
    Shortcut("policies", "the incentive policies compared and paid: files joined by +, "
                         "or none", set_policies),
    Shortcut("bot", "the bot's containment on every channel it fronts (bot.<channel>."
                    "containment)", set_bot),
)}


@dataclass(frozen=True)
class Key:
    """One varied key: a shortcut or a checked dotted path."""

    text: str
    parts: tuple[str | int, ...] = ()

    def apply(self, data: Any, value: Any) -> None:
        if self.text in SHORTCUTS:
            SHORTCUTS[self.text].apply(data, value)
        else:
            set_path(data, list(self.parts), value)


def resolve_key(text: str, data: Any) -> Key:
    """A shortcut by name, else a dotted path checked against the schema and the file."""
    text = text.strip()
    if text in SHORTCUTS:
        return Key(text)
    if "." not in text and text not in Scenario.model_fields:
        raise KeyError_(f"unknown key '{text}'{did_you_mean(text, sorted(SHORTCUTS))}: give "
                        f"a shortcut ({', '.join(SHORTCUTS)}) or a dotted path into the "
                        f"scenario such as pools.reserve.on_call.max_size")
    return Key(text, tuple(check_path(text, data)))
