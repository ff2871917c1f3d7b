"""Signals in busybox ash: ``trap``, caught signals run between commands, the
status of a job a signal ended.

How ash (1.35) does it, and what the kernel model does for it
(:meth:`netsim.kernel.pid.TaskTable.signal`):

- A shell that is not interactive catches SIGINT (``setsignal``: ``minusc`` or
  a script), and ``trap ACTION SIG`` installs a handler for SIG (``trap ''
  SIG`` ignores it, ``trap - SIG`` restores the default).  The handler only
  records the signal; ``dotrap`` runs the actions between commands, so a
  signal that arrives while a foreground program runs is acted on when it
  returns.  A caught SIGINT without a trap ends the shell with status 130
  (``raise_interrupt``).  As a namespace's init (``docker run … sh -c``) the
  shell gets only the signals it has handlers for: ``docker stop`` reaches a
  ``trap … TERM``, not a shell without one.
- ``trap ACTION EXIT`` (or 0) runs when the shell exits.
- A job that a signal ended has status 128 + the signal; ``wait PID`` reports
  it with ``strsignal``'s text on stderr ("Terminated", "Killed"), except for
  SIGINT and SIGPIPE (``sprint_status48``).
"""
from __future__ import annotations

from ...kernel.pid import SIG_IGN, SIGINT, SIGPIPE

# glibc's strsignal (busybox is linked statically against glibc)
STRSIGNAL = {
    1: "Hangup", 2: "Interrupt", 3: "Quit", 4: "Illegal instruction", 5: "Trace/breakpoint trap",
    6: "Aborted", 7: "Bus error", 8: "Floating point exception", 9: "Killed",
    10: "User defined signal 1", 11: "Segmentation fault", 12: "User defined signal 2",
    13: "Broken pipe", 14: "Alarm clock", 15: "Terminated", 16: "Stack fault",
    17: "Child exited", 18: "Continued", 19: "Stopped (signal)", 20: "Stopped",
    21: "Stopped (tty input)", 22: "Stopped (tty output)", 23: "Urgent I/O condition",
    24: "CPU time limit exceeded", 25: "File size limit exceeded", 26: "Virtual timer expired",
    27: "Profiling timer expired", 28: "Window changed", 29: "I/O possible", 30: "Power failure",
    31: "Bad system call",
}
EXIT = 0
NSIG = 65


def job_status_message(sig: int) -> str:
    """What ash prints when a job it waits for was ended by ``sig``."""
    if sig in (SIGINT, SIGPIPE):
        return ""
    return STRSIGNAL.get(sig, f"Real-time signal {sig - 34}" if sig >= 34 else f"Unknown signal {sig}") + "\n"


def _signum(text: str) -> int:
    """libbb ``get_signum`` for shells: 0..NSIG-1, EXIT, a name with or
    without SIG, any case; -1 if none."""
    from .procutils import signal_number
    if text.isdigit():
        n = int(text)
        return n if n < NSIG else -1
    if text.upper() in ("EXIT", "SIGEXIT"):
        return EXIT
    n = signal_number(text)
    return -1 if n is None else n


def _signame(sig: int) -> str:
    from .procutils import signal_name
    return "EXIT" if sig == EXIT else signal_name(sig)


def _single_quote(text: str) -> str:
    """ash's ``single_quote``: '…' with each ' written as '"'"'."""
    return "'" + text.replace("'", "'\"'\"'") + "'"


def catch_signals(sh) -> None:
    """A shell that is not interactive catches SIGINT (``setsignal``)."""
    task = sh.proc.task
    if task is not None:
        task.handlers[SIGINT] = sh.signal_caught


def set_trap(sh, sig: int, action: str | None) -> None:
    if action is None:
        sh.traps.pop(sig, None)
    else:
        sh.traps[sig] = action
    task = sh.proc.task
    if sig == EXIT or task is None:
        return
    if action is None:
        if sig == SIGINT:
            task.handlers[sig] = sh.signal_caught      # back to the shell's own catching
        else:
            task.handlers.pop(sig, None)
    elif action == "":
        task.handlers[sig] = SIG_IGN
    else:
        task.handlers[sig] = sh.signal_caught


def dotrap(sh):
    """Run the actions of the signals caught since the last command."""
    from .sh import _Exit
    pending, sh.pending_signals = sorted(sh.pending_signals), []
    for sig in pending:                 # in signal order, as dotrap walks gotsig[]
        action = sh.traps.get(sig)
        if action is None:
            if sig == SIGINT:
                raise _Exit(128 + SIGINT)
            continue
        if action:
            saved = sh.status
            yield from eval_action(sh, action)
            sh.status = saved


def eval_action(sh, action: str):
    from .sh_compound import Interpreter, Parser, tokenize
    tree = Parser(tokenize(action)).script()
    return (yield from Interpreter(sh).list_(tree, False, None, None))


def exit_trap(sh, status: int):
    """The shell ends with ``status``: its EXIT trap runs first (once); an
    ``exit`` inside it sets the final status."""
    from .sh import _Exit
    action = sh.traps.pop(EXIT, None)
    if not action:
        return status
    sh.status = status
    try:
        yield from eval_action(sh, action)
    except _Exit as e:
        return e.code
    return status


def trap_builtin(sh, child):
    """``trap [[ACTION] SIG…]``."""
    args = list(child.argv[1:])
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        for sig in sorted(sh.traps):
            child.out(f"trap -- {_single_quote(sh.traps[sig])} {_signame(sig)}\n")
        return 0
    action = None
    if len(args) > 1 and not args[0].isdigit():
        action = args.pop(0)
        if action == "-":
            action = None
    status = 0
    for name in args:
        sig = _signum(name)
        if sig < 0:
            child.err(f"sh: trap: line 1: {name}: invalid signal specification\n")
            status = 1
            continue
        set_trap(sh, sig, action)
    return status
    yield
