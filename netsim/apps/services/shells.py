"""The shells of the Debian/Ubuntu/Oracle Linux based images: ``bash`` and
``sh`` (dash).  Their language is the busybox shell's (:mod:`netsim.apps.busybox.sh`);
commands are looked up in the image (``proc.programs``), and the texts that
differ are the real shells': ``bash: line 1: ping: command not found`` and
``sh: 1: ping: not found`` (exit 127).

As with busybox ``sh``: with ``-c`` the string runs; with a file operand the
script runs; otherwise commands come from stdin, so without a terminal
(``docker run ubuntu``) the shell reads end-of-file and exits 0 at once,
while with one attached and nobody typing (``docker run -it``, detached) it
waits until it is killed.
"""
from __future__ import annotations


def _shell(proc, kind: str):
    from ..busybox.sh import Shell
    if proc.programs is not None and hasattr(proc.programs, "for_shell"):
        proc.programs = proc.programs.for_shell(kind)
    args = proc.argv[1:]
    name = "bash" if kind == "bash" else "sh"
    if args and args[0] == "-c":
        if len(args) < 2:
            proc.err("bash: -c: option requires an argument\n" if kind == "bash"
                     else "sh: 0: -c requires an argument\n")
            return 2
        return (yield from Shell(proc).run(args[1]))
    if args and not args[0].startswith("-"):
        try:
            src = proc.fs.read(proc.fs.norm(args[0], proc.cwd or "/"))
        except (FileNotFoundError, IsADirectoryError):
            if kind == "bash":
                proc.err(f"bash: {args[0]}: No such file or directory\n")
                return 127
            proc.err(f"{name}: 0: cannot open {args[0]}: No such file\n")
            return 2
        return (yield from Shell(proc).run(src))
    if proc.tty and not proc.stdin:
        yield proc.sched.event()
    return (yield from Shell(proc).run(proc.stdin))


def bash_main(proc):
    return (yield from _shell(proc, "bash"))


def dash_main(proc):
    return (yield from _shell(proc, "dash"))
