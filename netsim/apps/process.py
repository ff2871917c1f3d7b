"""A running program: its namespaces, files, environment and output.

``Proc`` is what a program gets instead of a real process: the network
namespace it runs in (the container's, or the host's), the filesystem it sees,
its UTS hostname, environment, argv, and buffers for stdout and stderr.  A
program is a generator ``main(proc)``: it yields simulated delays or events
(a socket's ``recv``) and returns its exit status.

``task`` is the kernel's task running the program (:mod:`netsim.kernel.pid`):
its PID in each namespace, parent, comm and cmdline, as ``ps`` shows them.
Programs started outside a container's runtime may have none.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Proc:
    argv: list[str]
    netns: object
    fs: object
    hostname: str = "localhost"
    env: dict[str, str] = field(default_factory=dict)
    kernel: object = None
    stdout: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    pid: int = 1
    cwd: str = "/"
    stdin: str = ""
    tty: bool = False                  # a terminal stays attached (docker run -it): stdin never ends
    uid: int = 0                       # credentials runc set from --user
    gid: int = 0
    groups: list[int] = field(default_factory=lambda: [0])
    killed_by: int | None = None      # signal number that ended it
    on_output: Callable | None = None  # streaming hook (foreground runs, logs)
    programs: Callable | None = None   # the shell's command lookup: ``programs(proc)`` -> generator
                                       # or busybox.NOT_FOUND (None: the image's busybox applets)
    task: object = None                # kernel.pid.Task running the program (None: not tracked)
    caps: frozenset | None = None      # its effective capabilities ("CAP_NET_ADMIN"...); None: all
                                       # (a root process on the host)

    def capable(self, cap: str) -> bool:
        """``capable(CAP_...)``: may the process do what needs ``cap``?  A
        container process that is not root has none: runc sets the user
        before ``execve``, which clears a non-root program's effective and
        permitted sets (busybox has no file capabilities)."""
        if self.caps is None:
            return True
        return self.uid == 0 and cap in self.caps

    # -- the process's task (fork, exec, exit) ---------------------------------
    @property
    def tasks(self):
        return self.kernel.tasks if self.kernel is not None and self.task is not None else None

    def fork(self, argv: list[str] | None = None):
        """``fork`` (+ ``execve(argv)`` when given): the child's task, or None
        when this program's task is not tracked."""
        if self.kernel is None or self.task is None:
            return None
        if argv is not None:
            return self.kernel.tasks.spawn(self.task, argv)
        return self.kernel.tasks.fork(self.task)

    def attach(self, task) -> None:
        """Run as ``task`` (a child made by :meth:`fork`)."""
        if task is not None:
            self.task = task
            self.pid = task.pid

    def execve(self, argv: list[str]) -> None:
        if self.tasks is not None:
            self.tasks.exec(self.task, argv)

    def set_comm(self, name: str) -> None:
        if self.tasks is not None:
            self.tasks.set_comm(self.task, name)

    def exit_task(self, task=None) -> None:
        """``_exit``: ``task`` (default: this program's) leaves the table."""
        task = task if task is not None else self.task
        if task is not None and self.kernel is not None:
            self.kernel.tasks.exit(task)

    @property
    def sched(self):
        return self.kernel.sched

    def out(self, text: str) -> None:
        self.stdout.append(text)
        if self.on_output:
            self.on_output("stdout", text)

    def err(self, text: str) -> None:
        self.stderr.append(text)
        if self.on_output:
            self.on_output("stderr", text)

    def emit(self, stream: str, text: str) -> None:
        """An output hook (``on_output``) for a child: ``"stdout"`` text is
        written to this process's stdout, anything else to its stderr."""
        if stream == "stdout":
            self.out(text)
        else:
            self.err(text)

    @property
    def output(self) -> str:
        return "".join(self.stdout)

    @property
    def errors(self) -> str:
        return "".join(self.stderr)


Program = Callable[[Proc], object]
