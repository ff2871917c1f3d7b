"""procps-ng ``ps`` of the host (Debian 12), as dockerd runs it for ``docker top``.

dockerd only splits its output into whitespace-separated fields, so columns
are separated by one space here rather than aligned as procps aligns them;
this module is not a host program of its own.  Supported: the UNIX options
``-e``/``-A`` (every process), ``-f`` (full format: ``UID PID PPID C STIME TTY
TIME CMD``), ``-o LIST`` (``key`` or ``key=HEADER``, comma or blank
separated), and the BSD forms ``a``, ``x``, ``u`` (``USER PID %CPU %MEM VSZ
RSS TTY STAT START TIME COMMAND``) and ``o LIST``.  Without a selection ps
lists the processes of the caller's user (root, as dockerd) on its terminal
(none), i.e. every root process without one.

CPU and memory shares are shown as 0: the simulation does not account time.
"""
from __future__ import annotations

import time

# key -> (header, value(task, ctx))
_COLUMNS: dict = {}


def _col(keys: str, header: str):
    def deco(fn):
        for k in keys.split():
            _COLUMNS[k] = (header, fn)
        return fn
    return deco


@_col("pid tgid", "PID")
def _pid(t, ctx):
    return str(t.pid_in(ctx["ns"]))


@_col("ppid", "PPID")
def _ppid(t, ctx):
    return str(t.ppid_in(ctx["ns"]))


@_col("uid euid", "UID")
def _uid(t, ctx):
    return str(t.uid)


@_col("user euser uname", "USER")
def _user(t, ctx):
    return "root" if t.uid == 0 else str(t.uid)


@_col("c", "C")
def _c(t, ctx):
    return "0"


@_col("stime", "STIME")
def _stime(t, ctx):
    return _start(t, ctx)


@_col("start_time", "START")
def _start_time(t, ctx):
    return _start(t, ctx)


@_col("tty tname tt", "TTY")
def _tty(t, ctx):
    return "?"


@_col("time cputime", "TIME")
def _time(t, ctx):
    return "00:00:00"


@_col("bsdtime", "TIME")
def _bsdtime(t, ctx):
    return "0:00"


@_col("cmd", "CMD")
def _cmd(t, ctx):
    return " ".join(t.cmdline) if t.cmdline else f"[{t.comm}]"


@_col("args command", "COMMAND")
def _args(t, ctx):
    return _cmd(t, ctx)


@_col("comm ucmd ucomm", "COMMAND")
def _comm(t, ctx):
    return t.comm


@_col("%cpu pcpu", "%CPU")
def _pcpu(t, ctx):
    return "0.0"


@_col("%mem pmem", "%MEM")
def _pmem(t, ctx):
    return "0.0"


@_col("vsz vsize", "VSZ")
def _vsz(t, ctx):
    return str(t.vsz)


@_col("rss rssize rsz", "RSS")
def _rss(t, ctx):
    return str(t.rss)


@_col("stat", "STAT")
def _stat(t, ctx):
    return t.state + ("s" if t.session_leader else "")


@_col("s state", "S")
def _state(t, ctx):
    return t.state


def _start(t, ctx) -> str:
    started = ctx["wallclock"](t.start_time)
    now = ctx["wallclock"](None)
    fmt = "%H:%M" if now - started < 24 * 3600 else "%b%d"
    return time.strftime(fmt, time.gmtime(started))


FULL = "user=UID,pid,ppid,c,stime,tty,time,cmd"
BSD_USER = "user,pid,%cpu,%mem,vsz,rss,tty,stat,start_time,bsdtime,args"
DEFAULT = "pid,tty,time,cmd"


def procps(kernel, args: list[str], wallclock) -> tuple[int, str]:
    """(exit status, stdout) of ``ps ARGS`` on the host."""
    select_all, fmt, formats = False, None, []
    bsd_x = bsd_a = False
    i = 0
    args = [a for a in args if a != ""]
    while i < len(args):
        a = args[i]
        i += 1
        unix = a.startswith("-")
        letters = a[1:] if unix else a
        j = 0
        while j < len(letters):
            ch = letters[j]
            j += 1
            if ch == "o":
                spec = letters[j:] or (args[i] if i < len(args) else None)
                if spec is None:
                    return 1, ""
                if not letters[j:]:
                    i += 1
                formats.append(spec)
                break
            if unix and ch in "eA":
                select_all = True
            elif unix and ch == "f":
                fmt = fmt or FULL
            elif not unix and ch == "u":
                fmt = BSD_USER
            elif not unix and ch == "x":
                bsd_x = True
            elif not unix and ch == "a":
                bsd_a = True
            elif not unix and ch == "w" or unix and ch == "w":
                pass
            else:
                return 1, ""
    if bsd_x:
        select_all = select_all or bsd_a
    columns = []
    for spec in formats or [fmt or DEFAULT]:
        for item in spec.replace(" ", ",").split(","):
            if not item:
                continue
            key, eq, header = item.partition("=")
            if key not in _COLUMNS:
                return 1, ""
            columns.append((header if eq else _COLUMNS[key][0], _COLUMNS[key][1]))
    ns = kernel.tasks.init_ns
    tasks = ns.visible()
    if not select_all:
        tasks = [t for t in tasks if t.uid == 0]
    ctx = {"ns": ns, "wallclock": wallclock}
    lines = []
    if any(h for h, _ in columns):
        lines.append(" ".join(h for h, _ in columns))
    for t in tasks:
        lines.append(" ".join(fn(t, ctx) for _, fn in columns))
    return 0, "".join(line + "\n" for line in lines)
