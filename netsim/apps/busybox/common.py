"""Helpers shared by the applets: option parsing, sub-processes, errno texts."""
from __future__ import annotations

from functools import lru_cache

from ...kernel.socket import SocketError

VERSION = "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary."

ERRNO_TEXT = dict(SocketError.TEXT)
ERRNO_TEXT.update({
    "EHOSTUNREACH": "No route to host",
    "ENOENT": "No such file or directory",
    "EISDIR": "Is a directory",
    "EEXIST": "File exists",
    "ENOTDIR": "Not a directory",
})


def xatou_range(text: str, lo: int, hi: int) -> int:
    """libbb ``xatou_range``/``xatoul_range``: decimal digits only; a
    ValueError with busybox's message (the text as given) otherwise."""
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"invalid number '{text}'")
    value = int(text)
    if not lo <= value <= hi:
        raise ValueError(f"number {text} is not in {lo}..{hi} range")
    return value


class UsageError(Exception):
    """Bad options: the applet prints busybox's usage text and exits 1."""


@lru_cache(maxsize=None)
def _option_table(spec: str) -> dict[str, bool]:
    """{letter: takes an argument} for a getopt32 spec (read-only, shared)."""
    takes = {}
    i = 0
    while i < len(spec):
        c = spec[i]
        i += 1
        arg = False
        while i < len(spec) and spec[i] in ":+":
            arg = arg or spec[i] == ":"
            i += 1
        takes[c] = arg
    return takes


def getopt(proc, spec: str, argv: list[str], permute: bool = True):
    """busybox ``getopt32``: ``spec`` like ``"c:W:q"``; ``+`` after ``:``
    is accepted and ignored.  Returns ``(opts, operands)`` where ``opts``
    maps a letter to its last argument, or to a count for flags."""
    takes = _option_table(spec)
    opts: dict[str, object] = {}
    operands: list[str] = []
    args = argv                      # read only
    n = len(args)
    j = 0
    while j < n:
        a = args[j]
        j += 1
        if a == "--":
            operands += args[j:]
            break
        if a[:1] != "-" or a == "-":
            operands.append(a)
            if not permute:
                operands += args[j:]
                break
            continue
        k = 1
        while k < len(a):
            c = a[k]
            k += 1
            if c not in takes:
                proc.err(f"{proc.argv[0].rsplit('/', 1)[-1]}: invalid option -- '{c}'\n")
                raise UsageError(c)
            if takes[c]:
                if k < len(a):
                    opts[c] = a[k:]
                elif j < n:
                    opts[c] = args[j]
                    j += 1
                else:
                    proc.err(f"{proc.argv[0].rsplit('/', 1)[-1]}: option requires an argument -- '{c}'\n")
                    raise UsageError(c)
                break
            opts[c] = int(opts.get(c, 0)) + 1
    return opts, operands


def usage(proc, name: str, text: str = "") -> int:
    proc.err(f"{VERSION}\n\nUsage: {name} {text}\n".rstrip(" \n") + "\n")
    return 1


def subproc(proc, argv: list[str], stdin: str | None = None, on_output=None, env=None):
    """A child process: same namespaces and files, its own argv and streams
    (``copy.copy`` done directly: a new instance sharing the parent's
    attributes, as ``dataclasses.replace`` without re-running ``__init__``:
    Proc has no ``__post_init__`` and no init=False field, so the copy is the
    same)."""
    cls = proc.__class__
    child = cls.__new__(cls)
    child.__dict__.update(proc.__dict__)
    child.argv, child.stdout, child.stderr = list(argv), [], []
    child.stdin = proc.stdin if stdin is None else stdin
    child.env = dict(proc.env if env is None else env)
    child.on_output, child.killed_by = on_output, None
    return child


def read_file(proc, path: str):
    """Contents of ``path`` as programs see it (the procfs overlays the fs)."""
    from .procfs import proc_read
    text = proc_read(proc, path)
    if text is not None:
        return text
    return proc.fs.read(Filesystem_path(proc, path))


def Filesystem_path(proc, path: str) -> str:
    from ...fs import Filesystem
    return Filesystem.norm(path, proc.cwd or "/")


def fmt_ip_hex(ip: str) -> str:
    """An IPv4 address as /proc/net shows it: little-endian hex."""
    parts = [int(x) for x in ip.split(".")]
    return "".join(f"{b:02X}" for b in reversed(parts))


def program(fn):
    """Make ``fn`` a generator program even if it never waits."""
    import functools
    import inspect
    if inspect.isgeneratorfunction(fn):
        return fn

    @functools.wraps(fn)
    def main(proc):
        result = fn(proc)
        if inspect.isgenerator(result):
            result = yield from result
        return result
        yield  # pragma: no cover
    return main
