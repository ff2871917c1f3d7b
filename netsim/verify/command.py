"""``netsim verify`` and ``netsim record``: differential testing against a real engine.

verify: run a scenario on the Docker Engine at DOCKER_HOST (through the docker
CLI the user has) and in netsim; normalise what is random; show each step's
diff.  Exit 0 only when every step matches, 1 when a step differs, 2 when the
scenario cannot be run (bad file, no engine, an engine that is not empty).

record: write the real engine's results as a golden file (tests/golden format).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

DOCKER_HELP = "the docker CLI to run (e.g. /usr/bin/docker for the 20.10 CLI)"


def _load(file: str):
    from ..cli.main import resolve_scenario
    from ..scenario import load
    return load(resolve_scenario(file))


def _fail(message: str, status: int = 2):
    typer.echo(f"netsim: {message}", err=True)
    raise typer.Exit(status)


def _open_engine(docker: str):
    from .real import RealEngine
    return RealEngine(docker)


def verify(file: str = typer.Argument(..., help="scenario file or bundled name"),
           docker: str = typer.Option("docker", "--docker", metavar="PATH", help=DOCKER_HELP),
           json_out: bool = typer.Option(False, "--json", help="print one JSON object for tools"),
           force: bool = typer.Option(False, "--force",
                                      help="run even if the engine already holds containers or user networks"),
           keep_going: bool = typer.Option(False, "--keep-going",
                                           help="run every step instead of stopping at the first difference")):
    """Run a scenario on a real engine and in the simulator; diff them."""
    from ..errors import NetsimError
    from .compare import Comparison, render_step, render_summary, to_json
    from .normalize import user_words
    from .session import differential, engine_session
    try:
        scenario = _load(file)
        real = _open_engine(docker)
    except NetsimError as err:
        _fail(str(err))
    color = not json_out and sys.stdout.isatty()
    try:
        with engine_session(real, force):
            engine_version, cli_version = real.versions()
            if not json_out:
                typer.echo(f"verifying {scenario.name} ({len(scenario.steps)} steps): real engine "
                           f"{engine_version} via {real.docker} (CLI {cli_version}) vs netsim")
                if scenario.host:
                    typer.echo("note: the scenario's 'host' settings apply to netsim only; the real "
                               "side runs on this machine as it is")
            comparison = Comparison(keep=user_words(s.run for s in scenario.steps),
                                    real_roots=real.roots())
            for d in differential(scenario, real, keep_going, comparison):
                if not json_out:
                    typer.echo(render_step(d, color), nl=False)
    except NetsimError as err:
        _fail(str(err))
    except KeyboardInterrupt:
        typer.echo("\nnetsim: interrupted; what the scenario created was removed", err=True)
        raise typer.Exit(130)
    finally:
        real.close()
    for problem in getattr(real, "cleanup_problems", []):
        typer.echo(f"netsim: cleanup: {problem}", err=True)
    total = len(scenario.steps)
    if json_out:
        doc = to_json(comparison, total, scenario=scenario.name, file=str(scenario.path),
                      engine=engine_version, cli=cli_version, docker=real.docker)
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        ok = doc["ok"]
    else:
        typer.echo(render_summary(comparison, total), nl=False)
        if comparison.differing:
            typer.echo("hint: an engine hands out subnets after the last one it used, even once its "
                       "networks are removed: verify against a freshly started engine")
        ok = comparison.ok and len(comparison.steps) == total
    raise typer.Exit(0 if ok else 1)


def record(file: str = typer.Argument(..., help="scenario file or bundled name"),
           output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="FILE",
                                                 help="where to write (default tests/golden/NAME.json "
                                                      "if that folder exists, else ./NAME.json)"),
           docker: str = typer.Option("docker", "--docker", metavar="PATH", help=DOCKER_HELP),
           force: bool = typer.Option(False, "--force",
                                      help="run even if the engine already holds containers or user networks")):
    """Record a real engine's results as a golden file."""
    from ..errors import NetsimError
    from .session import engine_session, golden_document, record_steps
    try:
        scenario = _load(file)
        real = _open_engine(docker)
    except NetsimError as err:
        _fail(str(err))
    case = Path(scenario.path).stem if scenario.path else scenario.name
    if output is None:
        folder = Path("tests/golden")
        output = (folder if folder.is_dir() else Path(".")) / f"{case}.json"
    steps = []
    try:
        with engine_session(real, force):
            engine_version, cli_version = real.versions()
            for step in record_steps(scenario, real):
                steps.append(step)
                flag = "" if step["exit_code"] == 0 else f"  [exit {step['exit_code']}]"
                typer.echo(f"  $ {step['command']}{flag}", err=True)
        busybox = real.busybox_version()          # after cleanup: touches no address
    except NetsimError as err:
        _fail(str(err))
    except KeyboardInterrupt:
        typer.echo("\nnetsim: interrupted; nothing written; what the scenario created was removed",
                   err=True)
        raise typer.Exit(130)
    finally:
        real.close()
    for problem in getattr(real, "cleanup_problems", []):
        typer.echo(f"netsim: cleanup: {problem}", err=True)
    doc = golden_document(case, engine_version, cli_version, busybox, steps)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    typer.echo(f"recorded {len(steps)} step(s) from engine {engine_version} (CLI {cli_version}) "
               f"into {output}", err=True)
