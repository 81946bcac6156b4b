"""A scenario whose every pool has ``agents: 0`` simulates (issue 31): before, a multi-day
horizon crashed in the agent KPI table (busy time kept one row for zero agents:
"operands could not be broadcast together with shapes (14,) (0,)"), with one worker or
several.

Reference: conservation with nobody to answer — answered = 0 and every offered contact
either abandoned or was still waiting at the end of the horizon; no agent rows.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main

EXAMPLES = Path(__file__).parents[2] / "scenarios" / "examples"


@pytest.mark.parametrize("workers", ["1", "2"])
def test_every_pool_at_zero_agents_simulates(tmp_path: Path, workers: str) -> None:
    text = (EXAMPLES / "double11_week.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(\n\s+agents:\s*)(\d+|\[[^\]]*\])", r"\g<1>0", text)
    assert "agents: 0" in text
    scen = tmp_path / "scenarios" / "examples" / "zero.yaml"
    scen.parent.mkdir(parents=True)
    scen.write_text(text, encoding="utf-8")
    rules = tmp_path / "rules"
    rules.symlink_to(EXAMPLES.parents[1] / "rules", target_is_directory=True)
    res = CliRunner().invoke(main, ["simulate", "-q", "-r", "2", "-w", workers, str(scen),
                                    "--json", str(tmp_path / "s.json"),
                                    "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    channels = json.loads((tmp_path / "s.json").read_text())["channels"]
    for ch, m in channels.items():
        assert m["answered"]["mean"] == 0, ch
        assert m["offered"]["mean"] > 0, ch
        assert m["abandoned"]["mean"] <= m["offered"]["mean"], ch
    agents = (tmp_path / "out" / "agents.csv").read_text().splitlines()
    assert len(agents) == 1  # the header only: nobody worked
