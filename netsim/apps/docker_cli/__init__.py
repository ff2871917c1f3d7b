"""The docker CLI (20.10) as a program on the simulated host.

``DockerCli.execute(argv)`` parses a command line exactly as the real CLI
does (:mod:`.parser`), calls the daemon model, and prints what docker prints:
tables and templates (:mod:`.gotemplate`), inspect documents (:mod:`.views`)
and errors in the daemon's words with the CLI's exit statuses.
"""
from .cli import DockerCli, Output

__all__ = ["DockerCli", "Output"]
