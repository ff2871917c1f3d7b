"""``netsim``: run, shell, scenarios, draw, verify, record.

The one place that turns netsim's errors into exit statuses: 0 success,
1 unmet expectations or a failing verify, 2 bad input (scenario or usage).
"""
from __future__ import annotations

import json
import sys
from enum import IntEnum
from pathlib import Path
from typing import Optional

import typer

from ..errors import NetsimError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Simulate Docker networking: docker commands in, Docker's output and real packets out.")


class ExitStatus(IntEnum):
    OK = 0
    EXPECTATION_FAILED = 1
    BAD_INPUT = 2


def fail(message: str, status: ExitStatus = ExitStatus.BAD_INPUT):
    typer.echo(f"netsim: {message}", err=True)
    raise typer.Exit(int(status))


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
    if pcap is not None:
        from ..trace.pcap import write_pcaps
        write_pcaps(engine, pcap)
    if draw is not None:
        from ..viz import save
        save(engine, draw, title=scenario.name)
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


def main() -> None:
    try:
        app()
    except NetsimError as err:
        typer.echo(f"netsim: {err}", err=True)
        sys.exit(int(ExitStatus.BAD_INPUT))
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
