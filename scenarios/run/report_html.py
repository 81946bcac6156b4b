"""``report.html``: one self-contained page (inline CSS and SVG, no script, no network).

jinja2 with autoescape on: scenario names, channel names and messages are escaped; only
the SVG made by ``plots`` is inserted as markup. A Content-Security-Policy forbids any
fetch, so the page behaves the same offline.
"""

from __future__ import annotations

from pathlib import Path

from scenarios.run.stage import RunContext, StageResult
from scenarios.run.summary import Decision
from scenarios.words.i18n import t

_TEMPLATES = Path(__file__).with_name("templates")
#: the terms of the field the report uses, one line each (scenarios.words, glossary.*)
GLOSSARY = ("service_level", "abandonment", "occupancy", "asa", "fcr", "shrinkage",
            "scenario", "agent_hour", "charges")


def render_report(ctx: RunContext, results: list[StageResult], dec: Decision, *,
                  scenario_file: str, sha256: str, version: str, files: list[str]) -> str:
    """The report's HTML text."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(_TEMPLATES),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=False, lstrip_blocks=False)
    lang = ctx.lang
    labels = {k: t(f"report.{k}", lang) for k in (
        "decision", "key_figures", "stages", "warnings", "no_warnings", "assumptions", "files",
        "files_text", "findings", "glossary")}
    glossary = [t(f"glossary.{k}", lang) for k in GLOSSARY]
    return env.get_template("report.html.j2").render(
        html_lang="zh-CN" if lang == "zh" else "en",
        title=t("report.title", lang, name=ctx.scenario.name),
        generated=t("report.generated", lang, file=scenario_file, sha=sha256[:12],
                    seed=ctx.seed, version=version),
        quick=ctx.quick, quick_note=t("report.quick", lang), labels=labels, decision=dec,
        stages=[r for r in results if r.status == "ok"], version=version, files=files,
        glossary=glossary)
