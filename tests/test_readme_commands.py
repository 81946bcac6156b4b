"""Every ``peakdesk …`` command line the README shows parses with the real command line.

Reference: click's own parser (``make_context``, nothing runs) on the README's text, with
each placeholder (SCENARIO, N, PATH, …) replaced by a value of its kind. A renamed option, a
short form the README promises but the CLI lacks (issue 14: ``compare -r 4 -w 2`` failed
with "No such option '-r'"), an option shown without its value, or a placeholder nobody
defined fails here.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from cli import main

ROOT = Path(__file__).parents[1]
README = ROOT / "README.md"

#: a value of the right kind for each placeholder the README uses
PLACEHOLDERS = {
    "SCENARIO": "scenarios/examples/double11.yaml",
    "FILE": "scenarios/examples/double11.yaml",
    "POLICY": "rules/policies/commission_phase2.yaml",
    "CSV": "rules/policies/kpis_call_centre.csv",
    "AGENT": "in_house-001",
    "N": "4",
    "S": "30",
    "G": "0.005",
    "DAYS": "7",
    "PATH": "out.json",
    "DIR": "out",
    "RUN_A": "1",
    "RUN_B": "2",
}


def readme_commands(text: str) -> list[str]:
    """The ``peakdesk …`` commands in inline code spans and in shell code blocks."""
    found = re.findall(r"`(peakdesk [^`]*)`", text)
    for block in re.findall(r"```(?:bash|sh|console)?\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            for part in line.split("&&"):
                part = part.strip().removeprefix("$ ")
                if part.startswith("peakdesk "):
                    found.append(part)
    return found


def to_argv(synopsis: str, manifest: Path) -> list[str]:
    """A synopsis with every optional part included and placeholders filled in."""
    text = synopsis.replace("\\|", "|").replace("[...]", " ").replace("...", " ")
    text = text.replace("[", " ").replace("]", " ")
    argv = []
    for token in shlex.split(text)[1:]:  # drop "peakdesk"
        token = token.split("|")[0]  # `zh|en` → one of the choices
        if token == "MANIFEST":
            token = str(manifest)
        elif re.fullmatch(r"[A-Z][A-Z_0-9]*", token):
            assert token in PLACEHOLDERS, f"README placeholder {token} has no sample value"
            token = PLACEHOLDERS[token]
        argv.append(token)
    return argv


def parse(argv: list[str]) -> click.Context:
    """Parse ``argv`` down to the leaf command (click raises on any parse error)."""
    ctx = main.make_context("peakdesk", list(argv))
    cmd: click.Command = main
    while isinstance(cmd, click.Group):
        protected = getattr(ctx, "_protected_args", None)  # click ≥ 8.2
        if protected is None:
            protected = ctx.protected_args
        rest = [*protected, *ctx.args]
        name, sub, rest = cmd.resolve_command(ctx, rest)
        assert sub is not None and name is not None
        ctx = sub.make_context(name, rest, parent=ctx)
        cmd = sub
    return ctx


COMMANDS = readme_commands(README.read_text(encoding="utf-8"))


def test_the_readme_shows_commands() -> None:
    # the extraction itself: the README's command table and its quick start
    assert len(COMMANDS) >= 15
    assert "peakdesk run scenarios/examples/double11.yaml" in COMMANDS


@pytest.mark.parametrize("synopsis", COMMANDS)
def test_readme_command_parses(synopsis: str, tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text("{}")
    parse(to_argv(synopsis, manifest))


def test_compare_short_options_as_the_readme_shows() -> None:
    """Issue 14: ``peakdesk compare … -r 4 -w 2`` — the same short forms as ``simulate``."""
    ctx = parse(["compare", "scenarios/examples/promo_day.yaml", "--policy",
                 "rules/policies/commission_phase2.yaml", "-r", "4", "-w", "2"])
    assert ctx.params["replications"] == 4 and ctx.params["workers"] == 2
    ctx = parse(["simulate", "scenarios/examples/promo_day.yaml", "-r", "4", "-w", "2"])
    assert ctx.params["replications"] == 4 and ctx.params["workers"] == 2


def test_a_wrong_synopsis_fails_to_parse() -> None:
    """The check can fail: an option without its value, an unknown option."""
    with pytest.raises(click.UsageError):
        parse(to_argv("peakdesk demand SCENARIO [--csv]", Path("m.json")))
    with pytest.raises(click.UsageError):
        parse(["compare", "scenarios/examples/promo_day.yaml", "-x", "4"])
