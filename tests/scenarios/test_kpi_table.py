"""KPI table CSV reading (docs/formats.md §3): columns, text columns, located errors
(positions counted by hand from the CSV text)."""

from __future__ import annotations

import math

import pytest

from scenarios.reading.errors import InputError
from scenarios.reading.kpi_table import read_kpi_table


def write(tmp_path, text):
    p = tmp_path / "k.csv"
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_reads_columns(tmp_path):
    t = read_kpi_table(write(tmp_path, "agent_id,pool,answered,team,fcr\n"
                                       "a1,in_house,10,north,0.8\na2,outsourced,12,south,\n"))
    assert t.columns["answered"].tolist() == [10, 12]
    assert t.columns["agent_id"].tolist() == ["a1", "a2"]
    assert "team" in t.text
    assert math.isnan(t.columns["fcr"][1])
    assert t.lines == [2, 3]


def test_bad_cells_located(tmp_path):
    path = write(tmp_path, "agent_id,pool,answered\na1,in_house,10\na2,in_house,abc\na1,in_house,3\n")
    with pytest.raises(InputError) as exc:
        read_kpi_table(path)
    got = [(p.line, p.col, p.field) for p in exc.value.problems]
    # line 3 `a2,in_house,abc`: the cell starts at character 13
    assert (3, 13, "answered") in got
    assert (4, 1, "agent_id") in got          # duplicate agent


def test_missing_agent_id_and_wrong_width(tmp_path):
    with pytest.raises(InputError) as exc:
        read_kpi_table(write(tmp_path, "agent,pool\nx,y\n"))
    assert "missing column 'agent_id'" in exc.value.problems[0].message
    with pytest.raises(InputError) as exc:
        read_kpi_table(write(tmp_path, "agent_id,pool,answered\na1,in_house\n"))
    assert exc.value.problems[0].line == 2


def test_check_needed_columns(tmp_path):
    t = read_kpi_table(write(tmp_path, "agent_id,pool,answred,fcr\na1,in_house,1,\n"))
    with pytest.raises(InputError) as exc:
        t.check({"answered", "fcr"})
    msgs = [(p.line, p.col, p.message) for p in exc.value.problems]
    assert any("no column 'answered'" in m and "did you mean 'answred'" in m for _, _, m in msgs)
    assert any(line == 2 and col == 15 and "empty value for 'fcr'" in m for line, col, m in msgs)


def test_missing_file(tmp_path):
    with pytest.raises(InputError):
        read_kpi_table(str(tmp_path / "nope.csv"))
