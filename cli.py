"""The ``peakdesk`` command: parse, call the library, print. Nothing imports this module.

Exit status (FORMATS.md): 0 success; 2 invalid input (one located message per problem, no
traceback); 1 anything else (short message; traceback only with ``--debug``).
"""

from __future__ import annotations

import json
import sys
import traceback
from typing import Any

import click

from scenarios.errors import InputError


class PeakdeskGroup(click.Group):
    """Maps user errors to exit 2 and bugs to exit 1, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as exc:
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
            ctx.exit(2)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except Exception as exc:  # noqa: BLE001 - the top-level error boundary
            if ctx.obj and ctx.obj.get("debug"):
                traceback.print_exc()
            click.echo(f"error: {type(exc).__name__}: {exc}", err=True)
            if not (ctx.obj and ctx.obj.get("debug")):
                click.echo("(run with --debug for the traceback)", err=True)
            ctx.exit(1)


@click.group(cls=PeakdeskGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for unexpected errors.")
@click.version_option(package_name="peakdesk")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """peakdesk — staffing, simulation and incentive what-ifs for promotion peaks."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def validate(files: tuple[str, ...]) -> None:
    """Check scenario and policy FILES; report every problem with file:line:col."""
    from scenarios.files import load_any

    problems = []
    for f in files:
        try:
            kind, _ = load_any(f)
            click.echo(f"ok: {f} ({kind})")
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)


@main.command()
@click.argument("kind", type=click.Choice(["scenario", "policy"]), default="scenario")
def schema(kind: str) -> None:
    """Print the JSON Schema of a scenario (or policy) file, for editor autocompletion."""
    from scenarios.files import json_schema

    click.echo(json.dumps(json_schema(kind), indent=2, ensure_ascii=False))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
