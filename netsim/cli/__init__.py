"""The ``netsim`` command line (typer)."""
