"""``netsim draw`` (filled in by the visualizer)."""
import typer


def draw(file: str = typer.Argument(..., help="scenario file or bundled name")):
    """Draw the topology a scenario builds."""
    typer.echo("netsim: draw is not available yet", err=True)
    raise typer.Exit(2)
