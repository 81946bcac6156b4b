"""What a sweep may vary: dotted paths checked against the schema, the shortcuts, and the
located exit 2 for a bad key or value — all before anything runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from cli import main
from scenarios.reading.errors import InputError
from scenarios.reading.yamlio import read_yaml
from scenarios.sweep.keys import KeyError_, resolve_key
from scenarios.sweep.points import build_points, grid, parse_vary
from scenarios.sweep.run import stage_list

ROOT = Path(__file__).parents[3]
EXAMPLES = ROOT / "scenarios" / "examples"
PROMO = EXAMPLES / "promo_day.yaml"
FLAGSHIP = EXAMPLES / "double11.yaml"


def sweep(*args: str):
    return CliRunner().invoke(main, ["sweep", *map(str, args)])


def test_unknown_field_is_a_located_exit_2_before_anything_runs(tmp_path):
    r = sweep(FLAGSHIP, "--vary", "pools.reserve.on_call.max_sise=100,200", "--out",
              tmp_path / "s")
    assert r.exit_code == 2
    # located where the file writes the nearest existing part of the key (the CLI places a
    # field-only problem at its place in the file)
    assert re.search(r"double11\.yaml(:\d+:\d+)?: --vary pools\.reserve\.on_call\.max_sise:",
                     r.output), r.output
    assert "did you mean 'max_size'?" in r.output
    assert not (tmp_path / "s").exists()  # nothing ran, no folder


def test_unknown_pool_names_the_pools_of_the_file():
    with pytest.raises(KeyError_, match=r"no entry 'reserv'.*did you mean 'reserve'"):
        resolve_key("pools.reserv.on_call.max_size", read_yaml(FLAGSHIP))


def test_unknown_shortcut_lists_the_shortcuts():
    with pytest.raises(KeyError_, match="peak, reserve, policies, bot"):
        resolve_key("reserv", read_yaml(FLAGSHIP))


def test_bad_value_is_located_at_the_field_in_the_file(tmp_path):
    """max_size must be a whole number ≥ 0: pydantic's message, at the line of max_size in
    double11.yaml, naming the point."""
    r = sweep(FLAGSHIP, "--vary", "pools.reserve.on_call.max_size=100,-5", "--out",
              tmp_path / "s")
    assert r.exit_code == 2, r.output
    line = next(n for n, text in enumerate(FLAGSHIP.read_text().splitlines(), start=1)
                if "on_call: {max_size" in text)
    assert f"double11.yaml:{line}:" in r.output
    assert "pools.reserve.on_call.max_size" in r.output and "max_size=-5" in r.output


def test_malformed_vary_and_empty_value(tmp_path):
    for bad in ("reserve", "reserve=100,,200", "=1"):
        r = sweep(PROMO, "--vary", bad, "--out", tmp_path / "s")
        assert r.exit_code == 2 and "--vary" in r.output, (bad, r.output)


def test_grid_is_every_combination_first_key_slowest():
    varies = parse_vary(["peak=1,1.3", "reserve=100,200,300"], "f.yaml")
    assert grid(varies) == [{"peak": p, "reserve": r} for p in (1, 1.3)
                            for r in (100, 200, 300)]


def test_shortcuts_set_the_fields_they_name():
    """peak multiplies base volumes and orders (exactly: the file's numbers × V); reserve
    sets the on-call pool's max_size; policies takes files joined by +."""
    pts = build_points(FLAGSHIP, [{"peak": 1.5, "reserve": 120,
                                   "policies": "../../rules/policies/commission_phase2.yaml"}],
                       {})
    data = pts[0].data
    base = YAML(typ="safe").load(FLAGSHIP.read_text())
    assert data["demand"]["voice"]["daily_volume"] == base["demand"]["voice"]["daily_volume"] * 1.5
    assert data["drivers"]["orders"]["per_day"] == [1.5 * x for x in
                                                    base["drivers"]["orders"]["per_day"]]
    assert data["drivers"]["orders"]["before_start"] == [
        1.5 * x for x in base["drivers"]["orders"]["before_start"]]
    assert data["pools"]["reserve"]["on_call"]["max_size"] == 120
    assert data["policies"] == [str((ROOT / "rules/policies/commission_phase2.yaml").resolve())]


def test_bot_shortcut_needs_a_bot_section(tmp_path):
    r = sweep(PROMO, "--vary", "bot=0.3,0.5", "--out", tmp_path / "s")
    assert r.exit_code == 2 and "no bot: section" in r.output


def test_point_key_changes_with_the_inputs_and_not_otherwise():
    a = build_points(PROMO, [{"pools.in_house.agents": 40}], {"quick": True})[0]
    b = build_points(PROMO, [{"pools.in_house.agents": 40}], {"quick": True})[0]
    c = build_points(PROMO, [{"pools.in_house.agents": 41}], {"quick": True})[0]
    d = build_points(PROMO, [{"pools.in_house.agents": 40}], {"quick": False})[0]
    assert a.key == b.key and len({a.key, c.key, d.key}) == 3


def test_policy_file_contents_are_part_of_the_key(tmp_path):
    """An edited policy file makes a new point (a resumed sweep does not reuse results
    computed with the old rules)."""
    pol = tmp_path / "p.yaml"
    pol.write_text((ROOT / "rules/policies/commission_phase2.yaml").read_text())
    sc = tmp_path / "s.yaml"
    sc.write_text(PROMO.read_text() + "policies: [p.yaml]\n")
    k1 = build_points(sc, [{"simulation.seed": 1}], {})[0].key
    pol.write_text(pol.read_text() + "\n# edited\n")
    assert build_points(sc, [{"simulation.seed": 1}], {})[0].key != k1


def test_two_values_giving_the_same_scenario_are_refused():
    with pytest.raises(InputError, match="same scenario"):
        build_points(PROMO, [{"pools.in_house.agents": 40}, {"pools.in_house.agents": 40.0}],
                     {})


def test_stages_bring_the_stages_they_need():
    assert [s.name for s in stage_list(["mix,simulation"])] == [
        "demand", "requirements", "mix", "simulation"]
    assert [s.name for s in stage_list(["simulation"])] == ["demand", "simulation"]
    with pytest.raises(InputError, match="unknown stage"):
        stage_list(["simulate"])


def test_missing_dask_says_how_to_install(monkeypatch):
    import builtins

    from scenarios.execution import connect
    from scenarios.reading.errors import CommandError

    real = builtins.__import__

    def no_dask(name, *a, **k):
        if name == "distributed" or name.startswith("distributed."):
            raise ImportError(name)
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(CommandError, match=r"pip install 'peakdesk\[dist\]'"):
        connect("tcp://127.0.0.1:8786")
