"""``netsim draw FILE -o topo.png [--step N] [--format png|svg|json] [--path N]``.

Runs the scenario in a fresh engine (up to step N if given) and draws the
state it left: the topology, or with ``--path N`` the packets of step N
numbered hop by hop.  ``--format json`` prints node-link JSON (stdout unless
``-o`` is given).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

FORMATS = ("png", "svg", "json")


def draw(file: str = typer.Argument(..., help="scenario file or bundled name"),
         output: Optional[Path] = typer.Option(None, "-o", "--output", help="file to write (PNG, SVG or JSON)"),
         step: Optional[int] = typer.Option(None, "--step", min=0, help="draw the state after step N"),
         fmt: Optional[str] = typer.Option(None, "--format", help="png, svg or json (default: from -o's suffix)"),
         path_step: Optional[int] = typer.Option(None, "--path", min=1,
                                                 help="number the hops of step N's packets on the drawing"),
         seed: Optional[int] = typer.Option(None, "--seed", help="seed for ids and random choices")):
    """Draw the topology a scenario builds."""
    from ..cli.main import ExitStatus, fail, resolve_scenario
    from ..errors import NetsimError
    from ..scenario import load
    from ..scenario.runner import make_engine, run_scenario
    fmt = (fmt or (output.suffix.lstrip(".") if output is not None and output.suffix else None)
           or ("png" if output is not None else "json")).lower()
    if fmt not in FORMATS:
        fail(f"--format: expected one of {', '.join(FORMATS)}, got '{fmt}'")
    if fmt != "json" and output is None:
        fail("-o FILE is required for png and svg")
    try:
        scenario = load(resolve_scenario(file))
        engine = make_engine(scenario, trace=path_step is not None, seed=seed)
    except NetsimError as err:
        fail(str(err))
    if path_step is not None and path_step > len(scenario.steps):
        fail(f"--path {path_step}: the scenario has {len(scenario.steps)} steps")
    stop = step if step is not None else None
    if path_step is not None and stop is not None and path_step > stop:
        fail(f"--path {path_step} is after --step {stop}")
    results = [o.result for o in run_scenario(scenario, engine, stop_after=stop)]
    title = scenario.name + (f" (after step {step})" if step is not None else "")
    if fmt == "json":
        from .graph import to_json
        from . import topology
        text = json.dumps(to_json(topology(engine, title)), indent=1, sort_keys=True) + "\n"
        if output is None:
            sys.stdout.write(text)
        else:
            from ..fileio import write_atomically
            write_atomically(output, lambda tmp: tmp.write_text(text))
        raise typer.Exit(int(ExitStatus.OK))
    if path_step is not None:
        from .path import save_path
        res = results[path_step - 1]
        save_path(engine, res.extra.get("hops", []), output, title=f"{title}: {res.command}", fmt=fmt)
    else:
        from . import save
        save(engine, output, title=title, fmt=fmt)
    typer.echo(str(output))
