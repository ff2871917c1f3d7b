"""The engine: one simulated host running a Docker daemon, driven by commands.

``Engine().run("docker network create x")`` returns what the docker CLI prints.
Lines that do not start with ``docker`` run as programs on the host itself
(``ping``, ``wget``, ``ip``, ``cat``…), in the host's network namespace.
"""
from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field

from .daemon import Daemon, HostConfig
from .kernel import Kernel
from .sim import Scheduler

HOST_COMMAND_LIMIT = 3600.0
HISTORY_LIMIT = 1000   # Engine.history keeps this many of the latest results
COMMAND_GAP = 0.05     # simulated seconds between two commands typed by a user


_WORD = re.compile(r"""([^ \t\r\n'"\\]+)|'([^']*)'|"((?:[^"\\]+|\\.)*)"|\\(.)|([ \t\r\n]+)|(['"\\])""",
                   re.S)   # shlex's whitespace is exactly " \t\r\n"
_DQ_ESCAPE = re.compile(r'\\(["\\])')


def split_line(line: str) -> list[str]:
    """``shlex.split(line, comments=False)``: the words of a command line, by
    one regular expression in linear time (shlex reads a character at a time
    and builds quoted words by concatenation: minutes on a 10 MB argument).
    POSIX rules: single quotes literal; in double quotes a backslash escapes
    only ``"`` and ``\\``; outside quotes it escapes any character.  Raises
    ValueError with shlex's messages."""
    words: list[str] = []
    parts: list[str] | None = None
    for m in _WORD.finditer(line):
        plain, single, double, escaped, space, stray = m.groups()
        if space is not None:
            if parts is not None:
                words.append("".join(parts))
                parts = None
            continue
        if stray is not None:
            rest = line[m.end():]
            odd_escape = stray == '"' and (len(rest) - len(rest.rstrip("\\"))) % 2 == 1
            raise ValueError("No escaped character" if stray == "\\" or odd_escape
                             else "No closing quotation")
        if parts is None:
            parts = []
        if plain is not None:
            parts.append(plain)
        elif single is not None:
            parts.append(single)
        elif double is not None:
            parts.append(_DQ_ESCAPE.sub(r"\1", double))
        else:
            parts.append(escaped)
    if parts is not None:
        words.append("".join(parts))
    return words


def uses_shell(line: str) -> bool:
    """Whether a command line needs the shell to mean what it says: an
    operator outside quotes (``| & ; < > ( )``, a newline) or an expansion
    (``$``, a backquote) outside single quotes.  Such a ``docker`` line is
    run by the host's shell, as a terminal would (``docker ps -q | wc -l``,
    ``docker inspect $(docker ps -q)``); a plain one goes to the CLI as is
    (the same words either way)."""
    quote = None
    escaped = False
    for c in line:
        if escaped:
            escaped = False
        elif quote == "'":
            if c == "'":
                quote = None
        elif c == "\\":
            escaped = True
        elif quote == '"':
            if c == '"':
                quote = None
            elif c in "$`":
                return True
        elif c in "'\"":
            quote = c
        elif c in "|&;<>()$`\n":
            return True
    return False


@dataclass
class Result:
    command: str
    stdout: str = ""
    stderr: str = ""
    exit_code: int = 0
    time: float = 0.0
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"command": self.command, "exit_code": self.exit_code, "stdout": self.stdout,
                "stderr": self.stderr, "time": round(self.time, 6)}


class Programs:
    """What an image's filesystem can execute (``Image.tools``): the images'
    own programs (netsim.apps.services) first, then the busybox applets the
    image has.  An image of busybox applets only (busybox, alpine) runs them
    directly, as the reference image does."""

    def __init__(self):
        self._tables: dict = {}

    def lookup(self, image, name: str):
        """The program for ``name`` (argv[0]) in ``image``, or None."""
        from .apps import busybox
        from .daemon.images import BUSYBOX_APPLETS
        tools = getattr(image, "tools", (BUSYBOX_APPLETS,))
        if tuple(tools) == (BUSYBOX_APPLETS,):
            main, _ = busybox.lookup([name, "sh"] if name.rsplit("/", 1)[-1] == "busybox" else [name])
            return busybox.run_argv if main is not None else None
        table = self._tables.get(image.id)
        if table is None or table.image is not image:
            from .apps.services import ImagePrograms
            table = self._tables[image.id] = ImagePrograms(image)
        return table if table.has(name) else None


class Engine:
    def __init__(self, seed: int = 0, host: HostConfig | None = None, trace: bool = False,
                 pcap: bool = False):
        self.sched = Scheduler()
        self.kernel = Kernel(self.sched, seed=seed)
        if trace:
            self.kernel.hops = []
        if pcap:
            self.kernel.pcap = {}
        self.daemon = Daemon(self.kernel, host, programs=Programs(), seed=seed)
        from .apps.docker_cli import DockerCli
        self.cli = DockerCli(self.daemon)
        # the last results only: a 100,000-step scenario must run in bounded memory
        self.history: deque[Result] = deque(maxlen=HISTORY_LIMIT)

    def run(self, line: str) -> Result:
        """Run one command line as a user would type it on the host."""
        start = self.sched.now
        hops_before = len(self.kernel.hops) if self.kernel.hops is not None else 0
        try:
            argv = split_line(line)
        except ValueError as err:
            res = Result(line, "", f"netsim: cannot parse command line: {err}\n", 2)
        else:
            if not argv:
                res = Result(line)
            elif argv[0] == "docker" and not uses_shell(line):
                out = self.cli.execute(argv[1:])
                res = Result(line, out.stdout, out.stderr, out.exit_code)
            elif argv[0] == "docker-compose":
                from .scenario.compose import compose_command
                out = compose_command(self.cli, argv[1:],
                                      pause=lambda: self.sched.run(until=self.sched.now + 0.01))
                res = Result(line, out.stdout, out.stderr, out.exit_code)
            else:
                res = self._host_command(line, argv)
        self.sched.run(until=self.sched.now + COMMAND_GAP)
        res.time = start
        if self.kernel.hops is not None:
            res.extra["hops"] = self.kernel.hops[hops_before:]
        self.history.append(res)
        return res

    def _host_command(self, line: str, argv: list[str]) -> Result:
        """``bash -c LINE`` on the host (netsim.apps.hosttools.shell)."""
        from .apps.hosttools.shell import bash_main, host_proc
        proc = host_proc(self, line)
        process = self.sched.process(bash_main(proc), name=f"host:{argv[0]}")
        self.sched.run(until=process, limit=self.sched.now + HOST_COMMAND_LIMIT)
        if not process.triggered:
            process.kill()
        code = process.value if isinstance(process.value, int) else 0
        return Result(line, proc.output, proc.errors, code)

    # -- scapy at the user boundary -------------------------------------------
    def send(self, container: str, pkt, timeout: float = 2.0):
        """Inject a scapy packet from a container's eth0; return scapy replies."""
        from .kernel.packet import Ether, from_scapy, to_scapy
        c = self.daemon.container_find(container)
        ns = c.sandbox.netns
        frame = from_scapy(pkt)
        received = []
        dev = ns.interfaces.get("eth0")
        original = dev.deliver

        def tap(f, _orig=original):
            received.append(f)
            _orig(f)
        dev.deliver = tap
        try:
            if isinstance(frame, Ether):
                dev.xmit(frame)
            else:
                ns.stack.output(frame)
            self.sched.run(until=self.sched.now + timeout)
        finally:
            dev.deliver = original
        return [to_scapy(f) for f in received]

    def draw(self, ax=None, **kw):
        from .viz import draw
        return draw(self, ax=ax, **kw)
