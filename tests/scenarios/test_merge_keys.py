"""YAML merge keys and anchors (issue 31): a value merged in with ``<<: *anchor`` that fails
validation is located on the line where it is written — the anchored mapping — in every
command that reads the file (validate, requirements, plan, rules lint, pay). Before, the
locator looked the merged key up in the merging mapping's own positions: KeyError, exit 1.

Reference: the line and column of the offending value, counted by hand in the texts below
(the tests also find them with ``str.index`` on the file, so an edit of the bundled
examples moves both together).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from scenarios.reading.errors import Problem
from scenarios.reading.yamlio import locate_problems, position, read_yaml

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "scenarios" / "examples"
POLICIES = ROOT / "rules" / "policies"


def run(args: list[str]) -> tuple[int, list[str]]:
    res = CliRunner().invoke(main, args)
    assert "Traceback" not in res.output and not isinstance(res.exception, KeyError), \
        res.output
    return res.exit_code, [ln for ln in res.output.splitlines() if ln.startswith("error:")]


def line_col_of(text: str, needle: str) -> tuple[int, int]:
    i = text.index(needle)
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


@pytest.fixture()
def merged_scenario(tmp_path: Path) -> tuple[Path, str]:
    """promo_day with the voice channel anchored (its wrap-up negative) and merged into
    chat: chat's after_contact_work_s comes only from the merge."""
    text = (EXAMPLES / "promo_day.yaml").read_text(encoding="utf-8")
    text = text.replace("  voice:\n    kind: voice\n", "  voice: &voice\n    kind: voice\n", 1)
    text = text.replace("after_contact_work_s: 30", "after_contact_work_s: -30", 1)
    text = text.replace("  chat:\n    kind: chat\n", "  chat:\n    <<: *voice\n    kind: chat\n", 1)
    f = tmp_path / "merged.yaml"
    f.write_text(text, encoding="utf-8")
    return f, text


@pytest.mark.parametrize("command", [["validate"], ["requirements"], ["plan"]])
def test_merged_scenario_value_is_located_where_written(merged_scenario, command) -> None:
    f, text = merged_scenario
    line, col = line_col_of(text, "-30")
    code, errors = run([*command, str(f)])
    assert code == 2
    assert f"error: {f}:{line}:{col}: channels.chat.after_contact_work_s: Input should be " \
           f"greater than or equal to 0 (got -30)" in errors
    assert f"error: {f}:{line}:{col}: channels.voice.after_contact_work_s: Input should be " \
           f"greater than or equal to 0 (got -30)" in errors


@pytest.fixture()
def merged_policy(tmp_path: Path) -> tuple[Path, str]:
    """presale_scorecard with one card item anchored (a bad direction) and merged into the
    next item, which takes its direction only from the merge (flow-style mappings)."""
    text = (POLICIES / "presale_scorecard.yaml").read_text(encoding="utf-8")
    sat = "    - {metric: satisfaction,    weight: 0.15, target: 0.95}"
    resp = "    - {metric: avg_response_s,  weight: 0.15, target: 30,   direction: lower}"
    assert sat in text and resp in text
    text = text.replace(sat, "    - &sat {metric: satisfaction,    weight: 0.15, target: 0.95, "
                             "direction: sideways}")
    text = text.replace(resp, "    - {<<: *sat, metric: avg_response_s,  target: 30}")
    f = tmp_path / "merged_policy.yaml"
    f.write_text(text, encoding="utf-8")
    return f, text


@pytest.mark.parametrize("command", [["validate", "{f}"], ["rules", "lint", "{f}"],
                                     ["pay", "{f}", str(POLICIES / "kpis_presale.csv")]],
                         ids=["validate", "rules-lint", "pay"])
def test_merged_policy_value_is_located_where_written(merged_policy, command) -> None:
    f, text = merged_policy
    line, col = line_col_of(text, "sideways")
    code, errors = run([a.replace("{f}", str(f)) for a in command])
    assert code == 2
    for item in (2, 3):  # the anchored item and the one that merges it
        assert f"error: {f}:{line}:{col}: scorecard.items.{item}.direction: Input should " \
               f"be 'higher' or 'lower' (got 'sideways')" in errors


def test_position_follows_merges_of_merges_and_lists(tmp_path: Path) -> None:
    f = tmp_path / "m.yaml"
    f.write_text("base: &b\n"          # 1
                 "  x: 1\n"            # 2
                 "  y: 2\n"            # 3
                 "mid: &m\n"           # 4
                 "  <<: *b\n"          # 5
                 "  y: 20\n"           # 6
                 "top:\n"              # 7
                 "  <<: [*m, {z: 3}]\n"  # 8
                 "  w: 4\n",           # 9
                 encoding="utf-8")
    root = read_yaml(f)
    assert position(root, ("top", "x")) == (2, 6)    # from base, through mid
    assert position(root, ("top", "y")) == (6, 6)    # mid's own y wins over base's
    assert position(root, ("top", "z")) == (8, 16)   # the inline mapping of the list
    assert position(root, ("top", "w")) == (9, 6)    # top's own key
    assert position(root, ("top", "x"), key=True) == (2, 3)
    assert position(root, ("top", "missing")) == (8, 3)  # the deepest mapping reached


def test_problems_without_a_line_are_located_on_their_field(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text("a:\n  b:\n    - 1\n    - {c: 2}\n", encoding="utf-8")
    got = locate_problems([Problem(str(f), None, None, "a.b.1.c", "bad"),
                           Problem(str(f), 7, 1, "a", "kept"),
                           Problem(str(tmp_path / "x.csv"), None, None, "a", "not YAML")])
    assert [(p.line, p.col) for p in got] == [(4, 11), (7, 1), (None, None)]


def test_simulate_with_empty_pools_names_the_line(tmp_path: Path) -> None:
    text = (EXAMPLES / "promo_day.yaml").read_text(encoding="utf-8")
    start, end = text.index("pools:\n"), text.index("staffing:\n")
    text = text[:start] + "pools: {}\n" + text[end:]
    f = tmp_path / "nopools.yaml"
    f.write_text(text, encoding="utf-8")
    code, errors = run(["simulate", "-q", "-w", "1", str(f)])
    line, col = line_col_of(text, "{}\n")
    assert code == 2
    assert errors[0].startswith(f"error: {f}:{line}:{col}: pools: no pools"), errors
