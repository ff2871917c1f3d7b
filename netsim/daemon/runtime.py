"""containerd, its runc shim and runc: the processes behind a container.

dockerd asks containerd for a task; containerd starts a shim
(``containerd-shim-runc-v2``, a child subreaper) which runs ``runc create``.
runc's ``init`` re-execs itself through three stages (nsexec): the last one
is cloned into the container's PID namespace — a new one, or the one of
``--pid container:X`` — and becomes the container's PID 1 once it calls
``execve`` on the main program.  ``docker exec`` runs ``runc exec``: the same
stages, the last one joining the container's namespace, so an exec'd program
is a child of the shim too (``docker top`` shows the shim's pid as its PPID).

Before ``execve``, runc init's Go runtime starts threads; each takes a PID in
the container's namespace, which is why the first ``docker exec`` of a fresh
container is PID 7 there.  The count varies between 4 and 6 on the reference
host (``host_ps.json``: a background job of PID 1's shell got 6, an exec got
26 instead of 25); the simulation uses the usual 5.
"""
from __future__ import annotations

SHIM = "/usr/bin/containerd-shim-runc-v2"
SHIM_THREADS = 9             # Go threads of the shim
RUNC_THREADS = 7             # Go threads of runc create/exec
RUNC_INIT_THREADS = 5        # Go threads of runc init (stage 2), in the container's namespace
HOST_LAST_PID = 999          # where numbering stood when dockerd started
# the image's static busybox after execve, in kB (host_ps.json ``docker top aux``)
PROGRAM_VSZ, PROGRAM_RSS = 2268, 1440


class Runtime:
    """containerd + runc as seen from the kernel's task table."""

    def __init__(self, kernel):
        self.kernel = kernel
        self.tasks = kernel.tasks
        ns = self.tasks.init_ns
        ns.last_pid = max(ns.last_pid, HOST_LAST_PID)
        init = kernel.init_task
        self.containerd = self.tasks.fork(init, cmdline=["/usr/bin/containerd"], comm="containerd")
        self.dockerd = self.tasks.fork(init, cmdline=[
            "/usr/sbin/dockerd", "-H", "fd://", "--containerd=/run/containerd/containerd.sock"],
            comm="dockerd")

    def _runc(self, shim, args: list[str], cid: str):
        runc = self.tasks.fork(shim, cmdline=["runc", "--root", "/var/run/docker/runtime-runc/moby",
                                              "--log", f"/run/containerd/io.containerd.runtime.v2.task/moby/{cid}/log.json",
                                              "--log-format", "json"] + args, comm="runc")
        self.tasks.spawn_threads(runc, RUNC_THREADS)
        stage0 = self.tasks.fork(runc, cmdline=["runc", "init"], comm="runc:[0:PARENT]")
        stage1 = self.tasks.fork(stage0, comm="runc:[1:CHILD]")
        return runc, stage0, stage1

    def _stage2(self, shim, ns, cgroup: str, argv: list[str], uid: int, gid: int):
        """runc init's last stage (re-parented to the shim, a subreaper) execs ``argv``."""
        task = self.tasks.fork(shim, ns=ns, cmdline=["runc", "init"], comm="runc:[2:INIT]")
        task.cgroup, task.uid, task.gid = cgroup, uid, gid
        self.tasks.setsid(task)
        self.tasks.spawn_threads(task, RUNC_INIT_THREADS)
        self.tasks.exec(task, argv)
        task.vsz, task.rss = PROGRAM_VSZ, PROGRAM_RSS
        return task

    def create(self, cid: str, argv: list[str], uid: int = 0, gid: int = 0, pid_ns=None):
        """``runc create`` + ``start``: (shim, init task)."""
        shim = self.tasks.fork(self.containerd, cmdline=[
            SHIM, "-namespace", "moby", "-id", cid, "-address", "/run/containerd/containerd.sock"],
            comm="containerd-shim")
        self.tasks.setsid(shim)
        self.tasks.spawn_threads(shim, SHIM_THREADS)
        runc, stage0, stage1 = self._runc(shim, ["create", "--bundle", f"/run/containerd/io.containerd.runtime.v2.task/moby/{cid}",
                                                 "--pid-file", f"/run/containerd/io.containerd.runtime.v2.task/moby/{cid}/init.pid", cid], cid)
        ns = pid_ns if pid_ns is not None else self.tasks.new_namespace()
        init = self._stage2(shim, ns, cgroup(cid), argv, uid, gid)
        for t in (stage1, stage0, runc):
            self.tasks.exit(t)
        return shim, init

    def exec(self, cid: str, shim, ns, argv: list[str], uid: int = 0, gid: int = 0):
        """``runc exec``: the exec'd program's task, in ``ns``."""
        runc, stage0, stage1 = self._runc(shim, ["exec", "--process", "/tmp/runc-process", "--detach",
                                                 "--pid-file", "/tmp/pid", cid], cid)
        task = self._stage2(shim, ns, cgroup(cid), argv, uid, gid)
        for t in (stage1, stage0, runc):
            self.tasks.exit(t)
        return task

    def delete(self, shim) -> None:
        """The shim exits once its task is gone (``containerd`` deletes it)."""
        self.tasks.exit(shim)


def cgroup(cid: str) -> str:
    """The container's cgroup (cgroupfs driver, cgroup v2)."""
    return f"/docker/{cid}"
