"""Tasks and PID namespaces: Linux's ``task_struct``, ``struct pid`` and
``pid_namespace`` (kernel/fork.c, kernel/pid.c, kernel/pid_namespace.c,
kernel/exit.c, fs/exec.c), reduced to what process tables show.

A :class:`Task` is a thread-group leader: its number in every PID namespace
from the host's (level 0) down to the one it was created in, its parent, its
``comm`` (the 15-character name ``/proc/PID/stat`` shows) and ``cmdline``
(argv), credentials, session leadership, start time and cgroup.  Threads are
not listed by ``ps`` but each one takes a PID in every namespace of its
process (``alloc_pid`` is shared by ``fork`` and ``clone(CLONE_THREAD)``):
:meth:`TaskTable.spawn_threads` consumes those numbers.

Numbers are allocated as ``alloc_pid`` does: in each namespace, the next free
number after the last one handed out, wrapping at ``pid_max`` (to 300 in the
host's namespace, to 2 in others, as ``idr_alloc_cyclic`` with
``RESERVED_PIDS``).  When a task exits its children are re-parented to the
init (child reaper) of their namespace; when a namespace's init exits, every
other task of that namespace is killed (``zap_pid_ns_processes``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

PID_MAX = 4194304            # kernel.pid_max on 64-bit hosts with systemd
SIGINT, SIGKILL, SIGPIPE, SIGTERM, SIGCHLD, SIGSTOP = 2, 9, 13, 15, 17, 19
# signal(7)'s default actions other than "terminate"
DEFAULT_IGNORE = frozenset({17, 18, 23, 28})      # CHLD CONT URG WINCH
DEFAULT_STOP = frozenset({19, 20, 21, 22})        # STOP TSTP TTIN TTOU
SIG_IGN = "SIG_IGN"          # a disposition in Task.handlers: the signal is discarded
RESERVED_PIDS = 300
TASK_COMM_LEN = 16           # comm holds 15 characters and a NUL


class PidNamespace:
    """``struct pid_namespace``: one numbering of tasks; ``parent`` is None for
    the host's (``init_pid_ns``)."""

    def __init__(self, parent: PidNamespace | None = None, last_pid: int = 0,
                 pid_max: int = PID_MAX):
        self.parent = parent
        self.level = 0 if parent is None else parent.level + 1
        # this namespace and its ancestors, the host's first (a namespace's
        # parent is fixed when it is created, as pid_namespace->parent)
        self.ancestry: tuple[PidNamespace, ...] = (parent.ancestry if parent is not None else ()) + (self,)
        self.last_pid = last_pid
        self.pid_max = pid_max
        self.tasks: dict[int, Task] = {}        # number -> task (thread-group leaders)
        self.used: set[int] = set()             # numbers held by tasks and live threads
        self.child_reaper: Task | None = None   # the namespace's PID 1

    def alloc(self) -> int:
        nr = self.last_pid + 1
        if nr < self.pid_max and nr not in self.used:    # the usual case: the next one is free
            self.used.add(nr)
            self.last_pid = nr
            return nr
        nr = self.last_pid
        low = RESERVED_PIDS if self.parent is None else 2
        for _ in range(self.pid_max):
            nr += 1
            if nr >= self.pid_max:
                nr = low
            if nr not in self.used:
                self.used.add(nr)
                self.last_pid = nr
                return nr
        raise OSError("EAGAIN: no free PID")

    def chain(self) -> list[PidNamespace]:
        """This namespace and its ancestors, the host's first."""
        return list(self.ancestry)

    def visible(self) -> list[Task]:
        """The tasks this namespace numbers, by number (``/proc`` readdir order)."""
        return [self.tasks[nr] for nr in sorted(self.tasks)]


@dataclass(eq=False)
class Task:
    """``task_struct`` of a thread-group leader."""
    numbers: list[tuple[PidNamespace, int]]       # (namespace, nr), host first
    parent: Task | None
    comm: str
    cmdline: list[str]
    start_time: float
    uid: int = 0
    gid: int = 0
    cgroup: str = "/"
    session_leader: bool = False
    state: str = "S"                               # R running, S sleeping, T stopped, Z zombie
    vsz: int = 0                                   # kB of address space / resident (ps VSZ, RSS)
    rss: int = 0
    alive: bool = True
    # what a fatal signal ends (the simulated process): called with the signal
    on_kill: Callable | None = None
    # sigaction: signal -> SIG_IGN or a handler the program installed (called
    # with the signal when it is delivered); absent: the default action
    handlers: dict = field(default_factory=dict)
    children: list[Task] = field(default_factory=list)
    # the innermost of ``numbers`` (a task keeps its numbers for life): the
    # namespace it was created in, and its number there (what getpid() returns)
    ns: PidNamespace = field(init=False, repr=False)
    pid: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.ns, self.pid = self.numbers[-1]

    def pid_in(self, ns: PidNamespace) -> int | None:
        for n, nr in self.numbers:
            if n is ns:
                return nr
        return None

    def ppid_in(self, ns: PidNamespace) -> int:
        """``getppid()`` as seen from ``ns``: 0 when the parent is outside it."""
        if self.parent is None:
            return 0
        return self.parent.pid_in(ns) or 0


def _basename_comm(path: str) -> str:
    return path.rpartition("/")[2][:TASK_COMM_LEN - 1]


class TaskTable:
    """The kernel's tasks: fork, exec, exit, namespaces."""

    def __init__(self, clock: Callable[[], float], host_last_pid: int = 0):
        self.clock = clock
        self.init_ns = PidNamespace(last_pid=host_last_pid)

    def new_namespace(self, parent: PidNamespace | None = None) -> PidNamespace:
        """``clone(CLONE_NEWPID)``/``unshare``: a child namespace of ``parent``."""
        return PidNamespace(parent or self.init_ns)

    def fork(self, parent: Task | None, ns: PidNamespace | None = None,
             cmdline: list[str] | None = None, comm: str | None = None) -> Task:
        """``fork``/``clone``: a child of ``parent`` numbered in ``ns`` (by
        default the parent's namespace; a child namespace of it with
        CLONE_NEWPID, or the one the parent joined with ``setns``) and all its
        ancestors.  The child inherits comm, cmdline, credentials and cgroup."""
        if ns is None:
            ns = parent.ns if parent is not None else self.init_ns
        numbers = []
        for n in ns.ancestry:
            numbers.append((n, n.alloc()))
        if parent is not None:
            task = Task(numbers=numbers, parent=parent,
                        comm=parent.comm if comm is None else comm,
                        cmdline=list(parent.cmdline if cmdline is None else cmdline),
                        start_time=self.clock(), uid=parent.uid, gid=parent.gid,
                        cgroup=parent.cgroup, vsz=parent.vsz, rss=parent.rss)
            parent.children.append(task)
        else:
            task = Task(numbers=numbers, parent=None, comm="" if comm is None else comm,
                        cmdline=list([] if cmdline is None else cmdline), start_time=self.clock())
        for n, nr in numbers:
            n.tasks[nr] = task
        if ns.child_reaper is None and numbers[-1][1] == 1:
            ns.child_reaper = task
        return task

    def spawn(self, parent: Task, argv: list[str]) -> Task:
        """``fork`` + ``execve(argv)`` (a shell running a command): the child
        of ``parent`` with ``argv`` as its cmdline and comm, as :meth:`exec`
        would leave it."""
        return self.fork(parent, cmdline=argv, comm=_basename_comm(argv[0] if argv else ""))

    def spawn_threads(self, task: Task, count: int) -> None:
        """``clone(CLONE_THREAD)`` ``count`` times for threads that end when the
        task calls ``execve`` (a Go runtime's): their numbers are consumed."""
        for _ in range(count):
            for n in task.ns.ancestry:
                n.alloc()
                n.used.discard(n.last_pid)

    def exec(self, task: Task, argv: list[str], path: str | None = None) -> None:
        """``execve``: a new cmdline; comm becomes the basename of the program."""
        task.cmdline = list(argv)
        task.comm = _basename_comm(path or (argv[0] if argv else ""))

    def set_comm(self, task: Task, name: str) -> None:
        """``prctl(PR_SET_NAME)``: the cmdline stays."""
        task.comm = name[:TASK_COMM_LEN - 1]

    def setsid(self, task: Task) -> None:
        task.session_leader = True

    def exit(self, task: Task | None) -> None:
        """``do_exit``: the task is reaped at once (its parent waits for it);
        its children go to their namespace's reaper; a namespace's init takes
        every other task of the namespace with it."""
        if task is None or not task.alive:
            return
        task.alive = False
        task.state = "Z"
        for n, nr in task.numbers:
            n.tasks.pop(nr, None)
            n.used.discard(nr)
        if task.parent is not None:
            try:
                task.parent.children.remove(task)
            except ValueError:
                pass
        ns = task.ns
        if ns.child_reaper is task:
            ns.child_reaper = None
            for other in list(ns.tasks.values()):
                self.kill(other)
        if not task.children:
            return
        for child in list(task.children):
            reaper = child.ns.child_reaper
            if reaper is None or reaper is child:
                reaper = self._host_reaper(child)
            child.parent = reaper
            if reaper is not None:
                reaper.children.append(child)
        task.children = []

    def _host_reaper(self, task: Task) -> Task | None:
        ns = task.ns.parent
        while ns is not None:
            if ns.child_reaper is not None:
                return ns.child_reaper
            ns = ns.parent
        return None

    def signal(self, task: Task, sig: int, from_ancestor: bool = False) -> None:
        """Deliver ``sig`` (``send_signal`` + ``get_signal``): the program's
        handler runs, an ignored signal is discarded, a stopping one stops the
        task, any other ends it.  A namespace's init only gets the signals it
        has handlers for, and SIGKILL from an ancestor namespace
        (``SIGNAL_UNKILLABLE``)."""
        if not task.alive or sig == 0:
            return
        action = task.handlers.get(sig)
        if sig != SIGKILL and action is not None:
            if action is not SIG_IGN:
                action(sig)
            return
        if sig in DEFAULT_IGNORE:
            return
        if task.ns.child_reaper is task and not (sig == SIGKILL and from_ancestor):
            return
        if sig in DEFAULT_STOP:
            task.state = "T"
            return
        self.kill(task, sig)

    def kill(self, task: Task, sig: int = SIGKILL) -> None:
        """A fatal signal: the task's program ends and the task exits."""
        if not task.alive:
            return
        hook, task.on_kill = task.on_kill, None
        if hook is not None:
            hook(sig)
        self.exit(task)

    def in_cgroup(self, cgroup: str) -> list[Task]:
        """The live tasks of a cgroup (``cgroup.procs``), by host pid."""
        return [t for t in self.init_ns.visible() if t.cgroup == cgroup]
