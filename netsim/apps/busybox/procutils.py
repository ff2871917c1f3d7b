"""Process applets of busybox 1.35: kill, killall, pidof, timeout, usleep,
nproc — on the kernel's task table (:mod:`netsim.kernel.pid`), in the caller's
PID namespace.  Debian's build has no ``pgrep``/``pkill`` (procps provides
them) and no ``pidof -s``/``-o``.

Signals go to the kernel's :meth:`~netsim.kernel.pid.TaskTable.signal`: a
handler the program installed runs (only ash's ``trap`` and its own SIGINT
catching install any), a namespace's init ignores every other signal sent from
inside its namespace, SIGKILL included; CHLD, CONT, URG and WINCH are ignored;
STOP and the terminal stops stop the task; everything else ends it.
"""
from __future__ import annotations

import re

from ...kernel.pid import DEFAULT_IGNORE, SIGTERM
from .common import UsageError, getopt
from .shellutils import msg_name, show_usage

SIGNALS = ["HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
           "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
           "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "POLL", "PWR", "SYS"]
ALIASES = {"IOT": 6, "IO": 29, "CLD": 17, "POLL": 29}

# the reference host's CPUs (``nproc`` in a container sees the host's)
HOST_CPUS = 2


def signal_number(text: str) -> int | None:
    """``get_signum``: a number, a name, or a name with ``SIG``."""
    if text.isdigit():
        n = int(text)
        return n if 0 <= n <= 64 else None
    name = text.upper()
    if name.startswith("SIG"):
        name = name[3:]
    if name in SIGNALS:
        return SIGNALS.index(name) + 1
    if name in ALIASES:
        return ALIASES[name]
    m = re.fullmatch(r"RTMIN(?:\+(\d+))?|RTMAX(?:-(\d+))?", name)
    if m:
        return 34 + int(m.group(1) or 0) if name.startswith("RTMIN") else 64 - int(m.group(2) or 0)
    return None


def signal_name(n: int) -> str:
    return SIGNALS[n - 1] if 1 <= n <= len(SIGNALS) else str(n)


def _namespace(proc):
    return proc.task.ns if proc.task is not None else None


def deliver(proc, target, sig: int) -> str | None:
    """``kill(2)`` from ``proc`` to the task ``target``: an errno text or
    None.  The task's program ends later in this instant (the sender may be
    running inside it: a shell's child killing the shell)."""
    if proc.uid != 0 and target.uid != proc.uid:
        return "Operation not permitted"
    if sig == 0:
        return None
    ns = _namespace(proc)
    from_ancestor = ns is None or (target.ns is not ns and ns in target.ns.ancestry)
    proc.kernel.sched.call_soon(proc.kernel.tasks.signal, target, sig, from_ancestor)
    return None


def kill_main(proc):
    name = msg_name(proc)
    args = list(proc.argv[1:])
    sig = SIGTERM
    if args and args[0] == "-l":
        if len(args) == 1:
            proc.out("".join(f"{n:2d}) {s}\n" for n, s in enumerate(SIGNALS, 1)))
            return 0
        rc = 0
        for a in args[1:]:
            n = signal_number(a)
            if n is None:
                proc.err(f"{name}: bad signal name '{a}'\n")
                rc = 1
            elif a.isdigit():
                proc.out(signal_name(n) + "\n")
            else:
                proc.out(f"{n}\n")
        return rc
    if args and args[0] == "-s":
        if len(args) < 2:
            return show_usage(proc, "kill") if name != "sh" else 1
        n = signal_number(args[1])
        if n is None:
            proc.err(f"{name}: bad signal name '{args[1]}'\n")
            return 1
        sig, args = n, args[2:]
    elif args and args[0].startswith("-") and args[0] != "-" and args[0] != "--":
        n = signal_number(args[0][1:])
        if n is None:
            proc.err(f"{name}: bad signal name '{args[0][1:]}'\n")
            return 1
        sig, args = n, args[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        proc.err(f"{name}: you need to specify whom to kill\n")
        return 1
    ns = _namespace(proc)
    rc = 0
    for a in args:
        if not re.fullmatch(r"-?\d+", a):
            proc.err(f"{name}: invalid number '{a}'\n")
            rc = 1
            continue
        pid = int(a)
        target = ns.tasks.get(pid) if ns is not None and pid > 0 else None
        if target is None:
            proc.err(f"{name}: can't kill pid {pid}: No such process\n")
            rc = 1
            continue
        err = deliver(proc, target, sig)
        if err:
            proc.err(f"{name}: can't kill pid {pid}: {err}\n")
            rc = 1
    yield 0                                         # the signals land
    return rc


def _matches(task, name: str) -> bool:
    """busybox ``find_pid_by_name``: comm, argv[0]'s basename, or the
    executable (/bin/busybox for every applet)."""
    if task.comm == name[:15]:
        return True
    if task.cmdline and task.cmdline[0].rsplit("/", 1)[-1] == name:
        return True
    return name == "busybox"


def killall_main(proc):
    args = list(proc.argv[1:])
    sig = SIGTERM
    quiet = False
    while args and args[0].startswith("-") and len(args[0]) > 1:
        a = args.pop(0)
        if a == "-q":
            quiet = True
        elif a == "-l":
            proc.out("".join(f"{n:2d}) {s}\n" for n, s in enumerate(SIGNALS, 1)))
            return 0
        elif a in ("-i", "-w"):
            continue
        elif a == "-s" and args:
            n = signal_number(args.pop(0))
            if n is None:
                return show_usage(proc, "killall")
            sig = n
        else:
            n = signal_number(a[1:])
            if n is None:
                proc.err(f"killall: bad signal name '{a[1:]}'\n")
                return 1
            sig = n
    if not args:
        proc.err("killall: you need to specify whom to kill\n")
        return 1
    ns = _namespace(proc)
    rc = 0
    for name in args:
        hits = [t for t in (ns.visible() if ns is not None else []) if _matches(t, name) and t is not proc.task]
        if not hits:
            if not quiet:
                proc.err(f"killall: {name}: no process killed\n")
            rc = 1
            continue
        for t in hits:
            err = deliver(proc, t, sig)
            if err and not quiet:
                proc.err(f"killall: can't kill pid {t.pid_in(ns)}: {err}\n")
    yield 0
    return rc


def pidof_main(proc):
    try:
        _, names = getopt(proc, "", proc.argv[1:])
    except UsageError:
        return show_usage(proc, "pidof")
    ns = _namespace(proc)
    found = []
    for name in names:
        for t in reversed(ns.visible() if ns is not None else []):
            if _matches(t, name):
                found.append(str(t.pid_in(ns)))
    if found:
        proc.out(" ".join(found) + "\n")
    return 0 if found else 1
    yield


def _seconds(text: str) -> float | None:
    m = re.fullmatch(r"(\d+(?:\.\d*)?|\.\d+)([smhd]?)", text)
    if not m:
        return None
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


def timeout_main(proc):
    """``timeout [-s SIG] [-k KILL_SECS] SECS PROG ARGS``: PROG runs in
    timeout's own process (a forked watcher sends the signal)."""
    try:
        opts, args = getopt(proc, "s:k:p:", proc.argv[1:], permute=False)
    except UsageError:
        return show_usage(proc, "timeout")
    if len(args) < 2:
        return show_usage(proc, "timeout")
    sig = SIGTERM
    if "s" in opts:
        n = signal_number(opts["s"])
        if n is None:
            proc.err(f"timeout: unknown signal '{opts['s']}'\n")
            return 1
        sig = n
    secs = _seconds(args[0])
    if secs is None:
        proc.err(f"timeout: invalid number '{args[0]}'\n")
        return 1
    from . import NOT_FOUND, run_argv
    from .common import subproc
    argv = args[1:]
    child = subproc(proc, argv, stdin=proc.stdin,
                    on_output=lambda s, t: (proc.out if s == "stdout" else proc.err)(t))
    gen = (proc.programs or run_argv)(child)
    if gen is NOT_FOUND:
        proc.err(f"timeout: can't execute '{argv[0]}': No such file or directory\n")
        return 127
    proc.execve(argv)
    sched = proc.kernel.sched
    running = sched.process(gen, name="timeout:prog")
    from ...sim.core import Timeout, any_of
    try:
        yield any_of(sched, [running, Timeout(sched, secs)])
        if not running.triggered:
            if sig in DEFAULT_IGNORE or sig == 0:    # timeout: nothing to kill
                yield running
            else:
                running.kill()
                return 128 + sig
    finally:
        if not running.triggered:
            running.kill()
    value = running.value
    return value if isinstance(value, int) else 0


def usleep_main(proc):
    args = proc.argv[1:]
    if not args:
        return show_usage(proc, "usleep")
    if not args[0].isdigit():
        proc.err(f"usleep: invalid number '{args[0]}'\n")
        return 1
    yield int(args[0]) / 1e6
    return 0


def nproc_main(proc):
    proc.out(f"{HOST_CPUS}\n")
    return 0
    yield
