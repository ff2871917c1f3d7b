"""``netsim verify`` and ``netsim record`` (filled in by the verifier)."""
import typer


def verify(file: str = typer.Argument(..., help="scenario file or bundled name")):
    """Run a scenario on a real engine and in the simulator; diff them."""
    typer.echo("netsim: verify is not available yet", err=True)
    raise typer.Exit(2)


def record(file: str = typer.Argument(..., help="scenario file or bundled name")):
    """Record a real engine's results as a golden file."""
    typer.echo("netsim: record is not available yet", err=True)
    raise typer.Exit(2)
