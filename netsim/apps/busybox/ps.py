"""busybox 1.35 ``ps`` (the DESKTOP variant, without FEATURE_PS_TIME): the
processes of the caller's PID namespace, from the kernel's task table.

Default columns ``pid,user,args``; ``-o COL1,COL2=HEADER`` picks others
(``user group comm args pid ppid pgid tty vsz sid stat rss``).  ``-a -A -d
-e -f -l -Z`` and operands (``ps aux``) are accepted and ignored.  Each column
is padded to its width and one space but the last; ``args`` is the cmdline
with ``{comm}`` in front when comm is not the start of argv[0]'s basename
(an applet run in place by a shell: ``{ps} sh -c ps``), or ``[comm]`` when the
cmdline is empty.
"""
from __future__ import annotations

from .common import UsageError, getopt, usage

USAGE = "[-o COL1,COL2=HEADER] [-T]"
MAX_WIDTH = 2 * 1024


def _user_names(proc, path: str) -> dict[int, str]:
    names: dict[int, str] = {}
    try:
        text = proc.fs.read(path)
    except (FileNotFoundError, IsADirectoryError, OSError):
        return names
    for line in text.splitlines():
        f = line.split(":")
        if len(f) > 2 and f[2].isdigit():
            names.setdefault(int(f[2]), f[0])
    return names


def _put_lu(n: int) -> str:
    """libbb ``smart_ulltoa4``: 4 characters, scaled with k/m/g above 9999."""
    if n <= 9999:
        return str(n)
    for suffix in "mgtpezy":
        n = (n + 512) // 1024
        if n <= 999:
            return f"{n}{suffix}"
    return str(n)


def _args(task, width: int) -> str:
    """libbb ``read_cmdline``: at most ``width`` bytes of /proc/PID/cmdline,
    NULs shown as spaces, ``{comm}`` in front when argv[0] does not start with it."""
    if not task.cmdline:
        return f"[{task.comm}]"[:width]
    raw = "\0".join(task.cmdline)[:width].rstrip("\0")
    base = raw.split("\0")[0].split(" ")[0].rsplit("/", 1)[-1].lstrip("-")
    line = raw.replace("\0", " ")
    if not base.startswith(task.comm) and width + 1 > len(task.comm) + 3:
        line = ("{" + task.comm + "} " + line)[:width]
    return line


def _sid(task, ns) -> int:
    t = task
    while t is not None and not t.session_leader:
        t = t.parent
    return (t.pid_in(ns) or 0) if t is not None else 0


# name -> (width, header, value(task, ctx, width))
COLUMNS = {
    "user": (8, "USER", lambda t, c, w: c["users"].get(t.uid, str(t.uid))[:w]),
    "group": (8, "GROUP", lambda t, c, w: c["groups"].get(t.gid, str(t.gid))[:w]),
    "comm": (16, "COMMAND", lambda t, c, w: t.comm[:w]),
    "args": (MAX_WIDTH, "COMMAND", lambda t, c, w: _args(t, w)),
    "pid": (5, "PID", lambda t, c, w: f"{t.pid_in(c['ns']):{w}d}"),
    "ppid": (5, "PPID", lambda t, c, w: f"{t.ppid_in(c['ns']):{w}d}"),
    "pgid": (5, "PGID", lambda t, c, w: f"{_sid(t, c['ns']):{w}d}"),
    "tty": (6, "TT", lambda t, c, w: "?"),
    "vsz": (4, "VSZ", lambda t, c, w: _put_lu(t.vsz)[:w]),
    "sid": (5, "SID", lambda t, c, w: f"{_sid(t, c['ns']):{w}d}"),
    "stat": (4, "STAT", lambda t, c, w: ("R" if t is c["self"] else t.state)[:w]),
    "rss": (4, "RSS", lambda t, c, w: _put_lu(t.rss)[:w]),
}


def _parse_o(proc, spec: str, out: list) -> None:
    """``parse_o``: comma-separated names; the last may carry ``=HEADER``
    (which then runs to the next comma)."""
    while True:
        comma, equal = spec.find(","), spec.find("=")
        if comma >= 0 and (equal < 0 or equal > comma):
            out.append(_spec(proc, spec[:comma]))
            spec = spec[comma + 1:]
            continue
        name = spec[:equal] if equal >= 0 else spec
        width, header, fn = _spec(proc, name)
        if equal < 0:
            out.append((width, header, fn))
            return
        rest = spec[equal + 1:]
        header_text, comma, spec = rest.partition(",")
        out.append((len(header_text) if header_text else width, header_text, fn))
        if not comma:
            return


def _spec(proc, name: str):
    for key in COLUMNS:
        if name[:6] == key[:6]:
            return COLUMNS[key]
    raise ValueError("bad -o argument '%s', supported arguments: %s" % (name, ",".join(k[:6] for k in COLUMNS)))


def ps_main(proc):
    try:
        getopt(proc, "Zo:aAdeflT", proc.argv[1:])
    except UsageError:
        return usage(proc, "ps", USAGE)
    columns: list = []
    try:
        o_args = _o_arguments(proc.argv[1:])
        for spec in o_args or ["pid,user,args"]:
            _parse_o(proc, spec, columns)
    except ValueError as err:
        proc.err(f"ps: {err}\n")
        return 1
    task = proc.task
    if task is not None:
        ns = task.ns
        tasks = ns.visible()
    else:
        tasks, ns = [], None
    ctx = {"ns": ns, "self": task, "users": _user_names(proc, "/etc/passwd"),
           "groups": _user_names(proc, "/etc/group")}
    if any(h for _, h, _ in columns):
        proc.out(_line([(w, h) for w, h, _ in columns]) + "\n")
    if task is None:                   # not a tracked process: only itself
        proc.out(_line([(w, _untracked(proc, h)) for w, h, _ in columns]) + "\n")
    for t in tasks:
        proc.out(_line([(w, fn(t, ctx, w)) for w, _, fn in columns]) + "\n")
    return 0
    yield


def _untracked(proc, header: str) -> str:
    return {"PID": f"{proc.pid:5d}", "USER": "root", "COMMAND": " ".join(proc.argv)}.get(header, "?")


def _o_arguments(argv: list[str]) -> list[str]:
    """Every ``-o`` argument, in order (getopt32's ``o:*`` list)."""
    out, i = [], 0
    while i < len(argv):
        a = argv[i]
        i += 1
        if a == "--":
            break
        if not a.startswith("-") or a == "-":
            continue
        k = a.find("o", 1)
        if k > 0 and all(ch in "ZaAdeflT" for ch in a[1:k]):
            if k + 1 < len(a):
                out.append(a[k + 1:])
            elif i < len(argv):
                out.append(argv[i])
                i += 1
    return out


def _line(cells: list[tuple[int, str]]) -> str:
    """``format_process``: each field then spaces up to its width plus one; the
    last is not padded; an empty field shows ``-``."""
    out = ""
    for k, (width, text) in enumerate(cells):
        text = text or "-"
        if k == len(cells) - 1:
            out += text
        else:
            out += text + " " * max(1, width - len(text) + 1)
    return out[:MAX_WIDTH]
