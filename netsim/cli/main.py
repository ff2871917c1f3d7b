"""``netsim``: run, shell, scenarios, draw, verify, record.

The one place that turns netsim's errors into exit statuses: 0 success,
1 unmet expectations or a failing verify, 2 bad input (scenario or usage).
"""
from __future__ import annotations

import json
import re
import sys
from enum import IntEnum
from pathlib import Path
from typing import Optional

import typer

from ..errors import NetsimError
from ..fileio import write_atomically

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Simulate Docker networking: docker commands in, Docker's output and real packets out.")


class ExitStatus(IntEnum):
    OK = 0
    EXPECTATION_FAILED = 1
    BAD_INPUT = 2


def fail(message: str, status: ExitStatus = ExitStatus.BAD_INPUT):
    typer.echo(f"netsim: {message}", err=True)
    raise typer.Exit(int(status))


DRAW_FORMATS = ("png", "svg", "json")


def check_output_file(path: Path, formats, option: str) -> None:
    """Refuse, before anything runs, an output that could not be written:
    a directory (never replaced), a missing parent, an unknown format."""
    if path.is_dir():
        fail(f"{option} {path}: is a directory (give a file name such as {path / ('topology.' + formats[0])})")
    if not path.parent.is_dir():
        fail(f"{option} {path}: directory {path.parent} does not exist")
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in formats:
        fail(f"{option} {path}: unknown format '{fmt}' (expected one of: {', '.join(formats)})")


def resolve_scenario(ref: str) -> Path:
    """A path, or the name of a bundled scenario (``netsim run custom_bridge``)."""
    p = Path(ref)
    if p.exists():
        return p
    from .. import scenarios as bundled
    found = bundled.find(ref)
    if found is None:
        fail(f"{ref}: no such file or bundled scenario (see 'netsim scenarios')")
    return found


@app.command()
def run(file: str = typer.Argument(..., help="scenario (.yaml), command list (.txt) or bundled name"),
        json_out: bool = typer.Option(False, "--json", help="print one JSON array, an object per step"),
        trace: bool = typer.Option(False, "--trace", help="print each packet hop"),
        pcap: Optional[Path] = typer.Option(None, "--pcap", help="write one pcap per interface into DIR"),
        draw: Optional[Path] = typer.Option(None, "--draw", help="draw the final topology to PNG/SVG"),
        seed: Optional[int] = typer.Option(None, "--seed", help="seed for ids and random choices")):
    """Run a scenario's docker commands in a fresh simulated engine."""
    from ..scenario import load
    from ..scenario.runner import make_engine, run_scenario
    from .output import print_json_stream, print_step
    if draw is not None:
        check_output_file(draw, DRAW_FORMATS, "--draw")
    if pcap is not None and pcap.exists() and not pcap.is_dir():
        fail(f"--pcap {pcap}: not a directory")
    try:
        scenario = load(resolve_scenario(file))
        engine = make_engine(scenario, trace=trace, pcap=pcap is not None, seed=seed)
    except NetsimError as err:
        fail(str(err))
    failed = []
    outcomes = run_scenario(scenario, engine)
    if json_out:
        failed = print_json_stream(outcomes)
    else:
        for outcome in outcomes:
            print_step(outcome, trace=trace)
            if not outcome.ok:
                failed.append(outcome)
    try:
        if pcap is not None:
            from ..trace.pcap import write_pcaps
            write_pcaps(engine, pcap)
        if draw is not None:
            from ..viz import save
            write_atomically(draw, lambda tmp: save(engine, tmp, title=scenario.name,
                                                    fmt=draw.suffix.lstrip(".").lower()))
    except NetsimError as err:
        fail(str(err))
    except OSError as err:
        fail(f"{err.filename or draw}: {err.strerror or err}")
    if failed and not json_out:
        typer.echo(f"\n{len(failed)} expectation(s) not met:", err=True)
        for o in failed:
            for f in o.failures:
                typer.echo(f"  step {o.index + 1} ({o.step.run}): {f}", err=True)
    raise typer.Exit(int(ExitStatus.EXPECTATION_FAILED if failed else ExitStatus.OK))


@app.command()
def shell(seed: int = typer.Option(0, "--seed")):
    """An interactive prompt: type docker commands against one simulated engine."""
    from ..engine import Engine
    eng = Engine(seed=seed)
    typer.echo("netsim shell: type docker commands (or host commands); 'exit' to leave.")
    while True:
        try:
            line = input("$ ")
        except EOFError:
            typer.echo()
            break
        if line.strip() in ("exit", "quit"):
            break
        if not line.strip():
            continue
        res = eng.run(line)
        sys.stdout.write(res.stdout)
        sys.stderr.write(res.stderr)
        sys.stdout.flush()


@app.command()
def scenarios():
    """List the bundled scenarios."""
    from .. import scenarios as bundled
    for name, summary in bundled.listing():
        typer.echo(f"{name:28} {summary}")


from ..verify.command import record, verify  # noqa: E402  (light modules: heavy imports are lazy)
from ..viz.command import draw  # noqa: E402

app.command()(draw)
app.command()(verify)
app.command()(record)


class _PlainValue:
    """Coercion of one typer parameter's value without pydantic.

    typer (>= 0.2x) coerces every non-flag value, even an absent option's
    None, through a pydantic TypeAdapter: its first use imports pydantic
    (~0.15 s, more than a whole small scenario takes to run).  For the values
    a command line carries this is an identity (None, a str for a ``str``
    parameter) or ``int()`` of plain decimal digits, which is what the
    adapter answers; any other value goes to typer's own coercion, so
    results and error messages are typer's."""

    DIGITS = re.compile(r"-?[0-9]+")

    def __init__(self, annotation) -> None:
        self.annotation = annotation
        self.full = None

    def coerce(self, value, param, ctx):
        if value is None:
            return None
        if type(value) is str:
            if self.annotation is str:
                return value
            if self.annotation is int and self.DIGITS.fullmatch(value):
                return int(value)
        if self.full is None:
            from typer._coercion import build_runtime_param
            self.full = build_runtime_param(param.type_descriptor)
        return self.full.coerce(value, param=param, ctx=ctx)


def click_command():
    """The click command typer builds from ``app``; its single-valued
    bool/str/int/Path parameters (``--help`` included) coerce plain values
    without pydantic."""
    import typer.main
    command = typer.main.get_command(app)
    for cmd in [command, *getattr(command, "commands", {}).values()]:
        ctx = cmd.context_class(cmd, **cmd.context_settings)
        for param in cmd.get_params(ctx):
            desc = getattr(param, "type_descriptor", None)
            if (desc is None or getattr(param, "_runtime_param", 0) is not None
                    or param.nargs != 1 or param.multiple
                    or desc.annotation not in (bool, str, int, Path)
                    or getattr(desc.parameter_info, "parser", None) is not None
                    or getattr(desc.parameter_info, "min", None) is not None
                    or getattr(desc.parameter_info, "max", None) is not None):
                continue
            param._runtime_param = _PlainValue(desc.annotation)
    return command


def _click_exceptions():
    """click's UsageError, ClickException and Abort classes, from the click
    typer uses (recent typer vendors it as ``typer._click``) and from click."""
    mods = []
    for name in ("typer._click.exceptions", "click.exceptions"):
        if mods and name.split(".")[0] not in sys.modules:
            continue                      # click is not loaded: none of its errors can come
        try:
            mods.append(__import__(name, fromlist=["UsageError"]))
        except ImportError:
            pass
    def classes(name):
        return tuple(getattr(m, name) for m in mods if isinstance(getattr(m, name, None), type))
    return classes("UsageError"), classes("ClickException"), classes("Abort")


def main(argv: list[str] | None = None) -> None:
    """The ``netsim`` program: every error is one line on stderr, never a traceback
    (``NETSIM_DEBUG=1`` shows the traceback of an internal error)."""
    import os
    from ..sim.memory import tune_for_batch_run
    tune_for_batch_run()
    usage_errors, click_errors, aborts = _click_exceptions()
    try:
        status = click_command()(args=argv, prog_name="netsim", standalone_mode=False)
    except usage_errors as err:
        where = err.ctx.command_path if err.ctx is not None else "netsim"
        if err.format_message():          # (empty when the help was just shown)
            typer.echo(f"netsim: {err.format_message()} (see '{where} --help')", err=True)
        status = ExitStatus.BAD_INPUT
    except click_errors as err:
        typer.echo(f"netsim: {err.format_message()}", err=True)
        status = ExitStatus.BAD_INPUT
    except NetsimError as err:
        typer.echo(f"netsim: {str(err).splitlines()[0] if str(err) else type(err).__name__}", err=True)
        status = ExitStatus.BAD_INPUT
    except (KeyboardInterrupt, *aborts):
        status = 130
    except BrokenPipeError:
        # the reader went away (``netsim run x | head``): stop quietly
        try:
            sys.stdout = None
        finally:
            status = 0
    except Exception as err:
        if os.environ.get("NETSIM_DEBUG"):
            raise
        first = (str(err).splitlines() or [""])[0]
        typer.echo(f"netsim: internal error: {type(err).__name__}: {first} "
                   "(NETSIM_DEBUG=1 shows the traceback; please report it)", err=True)
        status = 70
    sys.exit(int(status or 0))


if __name__ == "__main__":
    main()
