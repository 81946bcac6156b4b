"""Long number lists read at numpy speed (issue 31, scenarios/reading/number_lists.py): the same
values and the same places as ruamel.yaml's ordinary path, on any layout.

Reference: ruamel.yaml itself — each file is also read with the fast path switched off
(``MIN_ITEMS`` out of reach), and values (after ``to_plain``), every number's line and
column, every later key's place and every problem's place must be identical.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from scenarios.reading import number_lists
from scenarios.reading.errors import InputError
from scenarios.reading.number_lists import NumberList
from scenarios.reading.yamlio import position, read_yaml, to_plain

N = number_lists.MIN_ITEMS


def both(path: Path, monkeypatch: pytest.MonkeyPatch):
    """(fast, ordinary) trees of the file."""
    fast = read_yaml(path)
    with monkeypatch.context() as m:
        m.setattr(number_lists, "MIN_ITEMS", 10**9)
        slow = read_yaml(path)
    return fast, slow


def places(root, loc, n):
    return [position(root, (*loc, k)) for k in range(n)]


numbers = st.one_of(st.integers(-10**6, 10**6).map(str),
                    st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: f"{v:.6g}"),
                    st.sampled_from(["0", "-0", "007", "1e3", "2.5E-2", "12.0", "1.5e+10"]))


@hsettings(max_examples=25, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=st.lists(numbers, min_size=N, max_size=N + 40),
       per_line=st.integers(1, 40), indent=st.integers(0, 6),
       trailing_comma=st.booleans(), comment=st.booleans(), block_item=st.booleans(),
       style=st.sampled_from(["flow", "block", "block-compact", "in-flow-mapping"]),
       odd=st.lists(st.tuples(st.integers(0, N - 1),
                              st.sampled_from([".inf", "-.inf", "x", "1_000", "true",
                                               "null", "+3", "0x1f", "~", "2026-01-01",
                                               "1e", "a b"])), max_size=3))
def test_fast_path_reads_what_ruamel_reads(tmp_path_factory, monkeypatch, items, per_line,
                                           indent, trailing_comma, comment,
                                           block_item, style, odd) -> None:
    if not style.startswith("block"):
        for k, v in odd:  # a few items that are not plain numbers: ruamel reads them
            items[k] = v
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    pad = " " * (indent + 4)
    body = (",\n" + pad).join(lines) + ("," if trailing_comma else "")
    value = f"[\n{pad}{body}]" if per_line < len(items) else f"[{body}]"
    value += "   # rates from the export" if comment else ""
    head = "name: x\ndemand:\n  voice:\n"
    if style == "in-flow-mapping":
        text = head + f"    rates: {{per_hour: {value.split('   #')[0]}, unit: h}}\n" \
                      "  after: 1\n"
        loc = ("demand", "voice", "rates", "per_hour")
    elif style.startswith("block"):  # "- n" lines under the key (PyYAML's default dump)
        dash = " " * (4 if style == "block-compact" else 4 + 2 + indent)
        text = head + "    rates_per_hour:" + ("  # export\n" if comment else "\n") + \
            "".join(f"{dash}- {v}\n" for v in items) + "  after: 1\n"
        loc = ("demand", "voice", "rates_per_hour")
    elif block_item:
        text = head + f"    lists:\n    - {value}\n    - [1, 2]\n  after: 1\n"
        loc = ("demand", "voice", "lists", 0)
    else:
        text = head + f"    rates_per_hour: {value}\n  after: 1\n"
        loc = ("demand", "voice", "rates_per_hour")
    f = tmp_path_factory.mktemp("nl") / "f.yaml"
    f.write_text(text, encoding="utf-8")
    fast, slow = both(f, monkeypatch)
    node = fast
    for part in loc:
        node = node[part]
    assert isinstance(node, NumberList)  # the fast path was taken
    assert to_plain(fast) == to_plain(slow)
    slow_node = slow
    for part in loc:
        slow_node = slow_node[part]
    assert [type(v) for v in to_plain(node)] == [type(v) for v in to_plain(slow_node)]
    assert places(fast, loc, len(items)) == places(slow, loc, len(items))
    assert position(fast, loc) == position(slow, loc)
    assert position(fast, ("demand", "after")) == position(slow, ("demand", "after"))
    assert position(fast, ("demand", "after"), key=True) == \
        position(slow, ("demand", "after"), key=True)


def test_int_and_float_types_match_ruamel(tmp_path: Path, monkeypatch) -> None:
    f = tmp_path / "t.yaml"
    ints = ", ".join(str(i) for i in range(N))
    f.write_text(f"a: [{ints}]\nb: [{ints}, 1.5]\n", encoding="utf-8")
    fast, slow = both(f, monkeypatch)
    for key in "ab":
        assert [type(v) for v in to_plain(fast)[key]] == [type(v) for v in to_plain(slow)[key]]


def test_a_problem_after_a_long_list_is_on_the_files_line(tmp_path: Path,
                                                          monkeypatch) -> None:
    rows = ",\n      ".join(", ".join(["7"] * 10) for _ in range(N // 10 + 1))
    f = tmp_path / "bad.yaml"
    f.write_text(f"a:\n  x: [\n      {rows}]\n  y: [1, 2\nz: 3\n", encoding="utf-8")
    with pytest.raises(InputError) as fast:
        read_yaml(f)
    with monkeypatch.context() as m:
        m.setattr(number_lists, "MIN_ITEMS", 10**9)
        with pytest.raises(InputError) as slow:
            read_yaml(f)
    assert str(fast.value) == str(slow.value)
    assert fast.value.problems[0].line > N // 10  # below the list, not on the short text


@pytest.mark.parametrize("text", [
    "note: |\n  x: [{items}]\n",                 # inside a block scalar: text, not a list
    "note: \"\n  x: [{items}]\"\n",              # inside a quoted string
    "x: [{items}, .inf]\n",                      # a value the fast path does not read
    "x: [{items}, 1_000]\n",
    "x: [{items}] # ok\ny: [{items} # a comment inside\n  ]\n",
    "x: &a [{items}]\ny: *a\n",                  # an anchor before the list
    "x:\n{block}  - .inf\n{block}",               # a block list with one odd item
    "x:\n{block}  # a comment among the items\n{block}",
    "x:\n{block}y:\n{block}",                      # two block lists, each whole
    "- - 1\n{block}",                              # not the value of a key
])
def test_other_layouts_read_as_ruamel_reads_them(tmp_path: Path, monkeypatch,
                                                 text: str) -> None:
    f = tmp_path / "o.yaml"
    f.write_text(text.replace("{items}", ", ".join(["3"] * N))
                 .replace("{block}", "  - 4\n" * N), encoding="utf-8")
    fast, slow = both(f, monkeypatch)
    assert to_plain(fast) == to_plain(slow)


def test_an_out_of_range_rate_in_a_year_is_located_on_its_line(tmp_path: Path) -> None:
    """The validation problem for item k of a fast-read list points at that number."""
    from click.testing import CliRunner

    from cli import main

    examples = Path(__file__).parents[2] / "scenarios" / "examples"
    text = (examples / "promo_day.yaml").read_text(encoding="utf-8")
    text = text.replace("days: 1\n", "days: 6\n", 1)
    rates = ["40"] * (6 * 48)
    rates[200] = "2e6"
    rows = ",\n        ".join(", ".join(rates[i:i + 12]) for i in range(0, len(rates), 12))
    for ch in ("voice", "chat"):
        start = text.index("rates_per_hour: [", text.index(f"  {ch}:\n    rates_per_hour"))
        end = text.index("]", start) + 1
        text = text[:start] + f"rates_per_hour: [\n        {rows}]" + text[end:]
    f = tmp_path / "year.yaml"
    f.write_text(text, encoding="utf-8")
    res = CliRunner().invoke(main, ["validate", str(f)])
    assert res.exit_code == 2, res.output
    i = text.index("2e6")
    line, col = text.count("\n", 0, i) + 1, i - text.rfind("\n", 0, i)
    assert f"{f}:{line}:{col}: demand.voice.rates_per_hour.200: Input should be less than " \
           f"or equal to 1000000" in res.output


def test_aliases_of_a_fast_read_list_count_its_numbers(tmp_path: Path) -> None:
    """A placeholder stands for its numbers in the alias-expansion limit: a mapping holding
    30,000 numbers, aliased, crosses 100,000 values at the 4th alias (4 × 30,002)."""
    items = ", ".join(["5"] * 30_000)
    f = tmp_path / "bomb.yaml"
    f.write_text(f"a: &a\n  x: [{items}]\n" + "".join(f"b{i}: *a\n" for i in range(200)),
                 encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_yaml(f)
    assert str(exc.value) == f"{f}:6:5: invalid YAML: aliases expand to more than " \
                             f"100,000 values"


@pytest.mark.parametrize("text", [
    "x: [{items}, 2026-02-30, 5]\n",              # an item YAML refuses: at its place
    "x: [{items},\n  7, 9{digits}]\n",           # a number too long for YAML's limit
    "x: [{items}]\n    0.3 * y\nz: 1\n",         # a list that more text follows (fuzz)
    "x: [{items}]# no blank before the comment\nz: 1\n",
    "x: [{items}, 12:30, 9999-12-31T00:00]\n",   # colons inside plain items
    "a: 1\nx: [{items},\n  4,\n",                  # a file cut off inside the list
])
def test_problems_and_odd_items_as_ruamel_reports_them(tmp_path: Path, monkeypatch,
                                                       text: str) -> None:
    """Found by the fuzz run (issue 31): one odd item, or text after a long list, sent the
    whole file to ruamel's ordinary path (a minute for 600,000 items). Now the odd items
    are read by ruamel alone and a problem is found with the list shortened; the message
    and place are the ordinary path's."""
    f = tmp_path / "p.yaml"
    f.write_text(text.replace("{items}", ", ".join(["3"] * N)).replace("{digits}", "9" * 60),
                 encoding="utf-8")
    got = []
    for min_items in (N, 10**9):
        with monkeypatch.context() as m:
            m.setattr(number_lists, "MIN_ITEMS", min_items)
            try:
                got.append(to_plain(read_yaml(f)))
            except InputError as exc:
                got.append(str(exc))
    assert got[0] == got[1]


def test_a_list_longer_than_any_field_is_one_problem(tmp_path: Path) -> None:
    """Found by the fuzz run: 600,000 pool names under a policy's applies_to made pydantic
    list 600,000 errors (32 s, 700 MB). Reference: the list's place, counted in the text;
    the bound is the longest list a field takes (a year of 15-minute intervals)."""
    from scenarios.reading.limits import MAX_INTERVALS
    from scenarios.reading.policy_file import load_policy

    text = (Path(__file__).parents[2] / "rules" / "policies" / "commission_phase2.yaml"
            ).read_text(encoding="utf-8")
    start = text.index("applies_to: ") + len("applies_to: ")
    end = text.index("\n", start)
    n = MAX_INTERVALS + 1
    f = tmp_path / "p.yaml"
    f.write_text(text[:start] + "[" + ", ".join(["7"] * n) + "]" + text[end:],
                 encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_policy(f)
    line = text.count("\n", 0, start) + 1
    col = start - text.rfind("\n", 0, start)
    assert [str(p) for p in exc.value.problems] == [
        f"{f}:{line}:{col}: applies_to: a list of {n:,} values: at most {MAX_INTERVALS:,} "
        f"(a year of 15-minute intervals) fit any field"]
