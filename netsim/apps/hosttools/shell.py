"""The simulated host's shell: what ``bash -c LINE`` does on the reference host.

A host line runs through the busybox shell's language (lists, pipelines,
redirections, ``$(…)``) with the host's programs: the reference host's own
tools first (:data:`netsim.apps.hosttools.PROGRAMS`: iproute2 ``ip``,
``iptables``, ``bridge``, GNU ``wget``, curl), then busybox applets standing in
for coreutils/grep/sed/mawk.  ``docker``/``/usr/bin/docker`` is the docker CLI
talking to the daemon; ``sleep N`` lets simulated time pass.
"""
from __future__ import annotations

from .. import busybox
from ..process import Proc

HOST_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


# where the reference host (Debian 12, merged /usr) keeps the commands scenarios
# use; absent there: nc, conntrack, busybox, nslookup, ping6...
HOST_BINARIES = {n: "/usr/sbin/" + n for n in (
    "iptables ip6tables iptables-save ip bridge ifconfig route arp sysctl dockerd".split())}
HOST_BINARIES.update({n: "/usr/bin/" + n for n in (
    "curl wget ss netstat ps nsenter docker containerd bash sh cat echo grep sed awk mawk head tail "
    "wc sort uniq cut tr ls sleep true false test printf env id hostname uname date kill "
    "tee xargs find mkdir rm cp mv touch chmod ln readlink basename dirname which".split())})


class HostPrograms:
    """Command lookup of the host's ``$PATH`` (Debian 12 with docker.io)."""

    def __init__(self, cli):
        self.cli = cli

    def __call__(self, proc):
        from . import PROGRAMS
        name = proc.argv[0]
        for d in busybox.BIN_DIRS + ("/usr/local/bin/", "/usr/local/sbin/"):
            if name.startswith(d) and "/" not in name[len(d):]:
                name = name[len(d):]
                break
        if name == "docker":
            return self._docker(proc)
        if name == "ps":
            return self._ps(proc)
        if name == "which":
            return self._which(proc)
        if name in PROGRAMS:
            proc.argv = [name] + list(proc.argv[1:])
            return PROGRAMS[name](proc)
        if name == "busybox":          # Debian's host has no busybox binary
            return busybox.NOT_FOUND
        return busybox.run_argv(proc)

    def _ps(self, proc):
        """procps-ng ``ps`` of the host: the tasks of the host's PID namespace
        (the model's: init, containerd, dockerd, docker-proxy, shims and the
        containers' processes; columns separated by one space)."""
        from .ps import procps
        daemon = self.cli.d
        status, out = procps(proc.kernel, list(proc.argv[1:]), daemon.wallclock)
        if out:
            proc.out(out)
        return status
        yield  # pragma: no cover - a program is a generator

    def _which(self, proc):
        """debianutils ``which``: the path of each command found in ``$PATH``
        (the reference host's programs); status 1 when one is missing."""
        status = 0
        for name in proc.argv[1:]:
            if name.startswith("-"):
                continue
            path = HOST_BINARIES.get(name)
            if path is None:
                status = 1
            else:
                proc.out(path + "\n")
        return status
        yield  # pragma: no cover - a program is a generator

    @staticmethod
    def not_found(name: str) -> str:
        return f"bash: line 1: {name}: command not found\n"

    def _docker(self, proc):
        out = self.cli.execute(list(proc.argv[1:]))
        if out.stdout:
            proc.out(out.stdout)
        if out.stderr:
            proc.err(out.stderr)
        return out.exit_code
        yield  # pragma: no cover - a program is a generator


def host_proc(engine, line: str) -> Proc:
    """The ``bash -c LINE`` process of the host's root user."""
    d = engine.daemon
    return Proc(argv=["bash", "-c", line], netns=engine.kernel.init_net, fs=d.host_fs,
                hostname=d.host.hostname, env={"PATH": HOST_PATH, "HOME": "/root"},
                kernel=engine.kernel, cwd="/root", programs=HostPrograms(engine.cli))


def bash_main(proc):
    """``bash -c LINE``: the busybox shell language with the host's programs."""
    from ..busybox.sh import Shell
    return (yield from Shell(proc).run(proc.argv[2] if len(proc.argv) > 2 else ""))
