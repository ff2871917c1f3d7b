"""Container lifecycle: create, start, stop, kill, restart, rm, rename, exec.

Models dockerd's ``create.go``, ``start.go``, ``stop.go``, ``delete.go`` and
``exec.go``.  The container's main program runs as a simulated process; when
it returns, the container exits and its network is released.  ``docker stop``
sends the stop signal (SIGTERM) to PID 1: a busybox program running as PID 1
has no handler for it (a shell with ``trap`` has one), so the kernel ignores
it and the daemon sends SIGKILL after the timeout (exit status 137), as on a
real host.
"""
from __future__ import annotations

import re

from ..errors import Conflict, InvalidParameter, NetsimError, NotFound, SystemError_
from ..fs import Filesystem, view_for
from ..kernel.pid import SIGCHLD, SIGKILL, SIGSTOP, SIGTERM
from .container import NAME_RE, Container, NetworkRequest
from .names import random_name

DOCKER_INIT = "/sbin/docker-init"       # the daemon's init-path (tini)
EXEC_NOT_FOUND = ('exec: "{0}": executable file not found in $PATH')


def exec_error(fs, name: str) -> tuple[str, int]:
    """runc's error for a command it cannot start, and ``docker run``'s status.

    A name with a slash is not looked up in $PATH: runc stats it ("no such
    file or directory", 127) and a directory or a file that is no program is
    "permission denied" (126).  A bare name is looked up in $PATH (127).
    """
    if "/" in name:
        if not fs.exists(name):
            return f'exec: "{name}": stat {name}: no such file or directory', 127
        return f'exec: "{name}": permission denied', 126
    return EXEC_NOT_FOUND.format(name), 127


def sysctl_value(text: str):
    """What reading back a written sysctl shows: a number is kept as one
    (``ns.sysctl`` holds ints), a vector of numbers is tab-separated
    (``proc_dointvec``: ``"0 0"`` reads ``0\t0``)."""
    words = text.split()
    if len(words) == 1 and words[0].lstrip("-").isdigit():
        return int(words[0])
    if words and all(w.lstrip("-").isdigit() for w in words):
        return "\t".join(str(int(w)) for w in words)
    return text.strip()


class StartError(SystemError_):
    """The runtime could not start the process; ``exit_code`` is the CLI's status."""

    def __init__(self, message: str, exit_code: int = 125, state_code: int | None = None):
        super().__init__(message)
        self.exit_code = exit_code
        # State.ExitCode: the CLI's status unless told (a runtime error is 128)
        self.state_code = exit_code if state_code is None else state_code


def _validate_capabilities(cap_add, cap_drop) -> None:
    """daemon ``verifyPlatformContainerSettings``: every name must be a
    capability (``caps.NormalizeLegacyCapabilities``)."""
    from .caps import _legacy
    for field, caps in (("CapAdd", cap_add), ("CapDrop", cap_drop)):
        try:
            _legacy(caps or [])
        except InvalidParameter as err:
            raise InvalidParameter(f"invalid {field}: {err}") from None


def _validate_restart_policy(name: str, max_retries: int) -> None:
    """daemon ``validateRestartPolicy``."""
    if name in ("always", "unless-stopped", "no"):
        if max_retries != 0:
            raise InvalidParameter(f"maximum retry count cannot be used with restart policy '{name}'")
    elif name == "on-failure":
        if max_retries < 0:
            raise InvalidParameter("maximum retry count cannot be negative")
    elif name != "":
        raise InvalidParameter(f"invalid restart policy '{name}'")


class LifecycleMixin:
    # -- create ------------------------------------------------------------
    def container_create(self, image, image_ref: str, cmd: list[str] | None = None,
                         name: str | None = None, **opts) -> Container:
        """dockerd ``containerCreate``: verify the settings, reserve the name,
        register legacy links; nothing touches the network before start."""
        mode = opts.get("network_mode", "default")
        _validate_restart_policy(opts.get("restart_policy", "no"), opts.get("restart_max_retries", 0))
        _validate_net_mode(mode, opts)
        _validate_capabilities(opts.get("cap_add"), opts.get("cap_drop"))
        entrypoint = opts.get("entrypoint")
        if not cmd and not (image.cmd if entrypoint is None else ()) and \
                not (entrypoint if entrypoint is not None else image.entrypoint):
            # create ``mergeAndVerifyConfig``: the image gives none either
            raise SystemError_("No command specified")
        if name is not None:
            if not NAME_RE.match(name):
                raise InvalidParameter(f"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")
            name = name.lstrip("/")
            for other in self.containers.values():
                if other.name == name:
                    raise Conflict(f'Conflict. The container name "/{name}" is already in use by container '
                                   f'"{other.id}". You have to remove (or rename) that container to be able to reuse that name.')
        else:
            taken = {c.name for c in self.containers.values()}
            name = random_name(self.ids, taken)
        link_targets = self._register_links(mode, opts.get("links") or [])
        opts["networks"] = _endpoints_config(mode, opts.get("networks") or {})
        if mode.startswith("container:"):
            try:
                opts["network_mode"] = "container:" + self.container_find(mode.split(":", 1)[1]).id
            except NotFound:
                pass                       # reported when the container starts
        if mode == "host" and not opts.get("hostname"):
            opts["hostname"] = self.host.hostname
        cid = self.ids.id64()
        entrypoint = opts.pop("entrypoint", None)
        c = Container(id=cid, name=name, image=image, image_ref=image_ref,
                      cmd=list(cmd) if cmd else (list(image.cmd) if entrypoint is None else []),
                      entrypoint=list(entrypoint) if entrypoint is not None else list(image.entrypoint),
                      created=self.sched.now,
                      hostname=opts.pop("hostname", None) or cid[:12], **opts)
        c.user_hostname = c.hostname != cid[:12]
        c.link_targets = link_targets
        c.exposed = sorted(set(c.exposed) | set(image.exposed) | {b.key for b in c.port_bindings},
                           key=_port_key)
        c.fs = self._rootfs(c)
        if c.workdir and not c.fs.is_dir(c.workdir):
            c.fs.mkdir(c.workdir, parents=True)     # SetupWorkingDirectory creates it
        self.containers[cid] = c
        return c

    def _register_links(self, mode: str, links: list[str]) -> list:
        """daemon ``registerLinks`` (legacy links, default bridge only)."""
        if mode not in ("default", "bridge"):
            return []
        targets = []
        for link in links:
            ref, _, alias = link.partition(":")
            try:
                child = self.container_find(ref)
            except NotFound as err:
                raise NotFound(f"could not get container for {ref}: {err}")
            targets.append((child, alias or child.name))
        return targets

    def _check_links(self, c) -> None:
        """``buildSandboxOptions`` and ``setupLinkedContainers``: every linked
        container must be on the default bridge and running."""
        for child, alias in c.link_targets:
            if "bridge" not in child.networks:          # isLinkable
                raise InvalidParameter(f"Cannot link to /{child.name}, as it does not belong to the default network")
        for child, alias in c.link_targets:
            if not child.running:
                raise InvalidParameter(f"Cannot link to a non running container: /{child.name} AS /{c.name}/{alias}")

    @property
    def storage(self):
        """Layers, overlay2, volumes and mounts (:mod:`netsim.storage`)."""
        if "_storage" not in self.__dict__:
            from ..storage.driver import Storage
            self._storage = Storage(self)
        return self._storage

    def _rootfs(self, c) -> Filesystem:
        return self.storage.rootfs(c)

    @property
    def runtime(self):
        """containerd, shims and runc (:mod:`netsim.daemon.runtime`)."""
        if "_runtime" not in self.__dict__:
            from .runtime import Runtime
            self._runtime = Runtime(self.kernel)
        return self._runtime

    def _pid_namespace(self, c):
        """``--pid``: the PID namespace the container's init joins (None: a new one)."""
        mode = c.pid_mode or ""
        if mode == "host":
            return self.kernel.tasks.init_ns
        if mode.startswith("container:"):
            ref = mode.split(":", 1)[1]
            try:
                other = self.container_find(ref)
            except NotFound as err:
                raise NotFound(f"cannot join PID of a non running container: {ref}: {err}")
            if not other.running or other.task is None:
                raise Conflict(f"container {other.id} is not running")
            return other.task.ns
        return None

    # -- start -------------------------------------------------------------
    def container_start(self, ref: str, restart: bool = False) -> Container:
        """``docker start``, or (``restart``) the restart manager's start after
        the back-off; a user's start resets the restart manager."""
        c = self.container_find(ref) if isinstance(ref, str) else ref
        if c.running:
            return c
        if not restart:                     # ResetRestartManager(true)
            c.manually_stopped, c.restart_delay, c.restart_count = False, 0.0, 0
        program = self.programs.lookup(c.image, c.argv[0]) if c.argv else None
        for name, req in list(c.networks.items()):
            self.request_network(name, req)   # "network X not found" before anything is built
        if c.mode == "container":
            provider = self._provider(c)
            # initializeNetworkingPaths: the provider's name files and names
            c.hostname, c.domainname = provider.hostname, provider.domainname
            c.hosts_path_owner = provider
        self._check_links(c)
        pid_ns = self._pid_namespace(c)
        try:
            c.creds = resolve_user(c.fs, c.user, exit_code=125)
            self._allocate_network(c)
            self._apply_sysctls(c)
            self.storage.attach(c)
            self._write_net_files(c)
            if program is None:
                message, code = exec_error(c.fs, c.argv[0] if c.argv else "")
                raise StartError(
                    "failed to create shim task: OCI runtime create failed: runc create failed: "
                    "unable to start container process: " + message + ": unknown", exit_code=code)
            if c.privileged and not self.host.privileged_containers:
                # the host's runtime may not hand out every capability (HostConfig)
                raise StartError(
                    "failed to create shim task: OCI runtime create failed: runc create failed: "
                    "unable to start container process: unable to apply caps: operation not "
                    "permitted: unknown", exit_code=125, state_code=128)
        except Exception as err:
            # a start that fails leaves nothing behind: no namespace, endpoint or port
            self._release_network(c)
            if isinstance(err, StartError):
                c.state.exit_code = err.state_code
                c.state.error = str(err)
            raise
        st = c.state
        init_argv = [DOCKER_INIT, "--"] + list(c.argv) if c.init else c.argv
        c.shim, c.task = self.runtime.create(c.id, init_argv, *c.creds, pid_ns=pid_ns)
        st.status, st.exit_code, st.error = "running", 0, ""
        st.pid = c.task.pid_in(self.kernel.tasks.init_ns)
        st.started_at, st.finished_at = self.sched.now, None
        task = self.kernel.tasks.spawn(c.task, c.argv) if c.init else c.task
        proc = self._proc(c, c.argv, pid=task.pid)
        proc.task = task
        proc.uid, proc.gid = c.creds
        proc.fs = view_for(proc.fs, proc.uid, proc.gid)
        proc.groups = [proc.gid]
        proc.cwd = c.workdir or "/"
        proc.tty = c.tty and c.open_stdin
        c.proc = proc
        main = program(proc)
        if c.init:
            main = self._docker_init(c.task, proc, main, task)
        c.process = self.sched.process(main, name=f"{c.name}:pid1")
        c.process.add_callback(lambda ev, c=c, p=c.process: self._on_exit(c, p))
        c.task.on_kill = lambda sig, proc=proc, p=c.process: _fatal_signal(proc, p, sig)
        return c

    def _docker_init(self, init_task, proc, program, child):
        """``--init``: docker-init (tini) is PID 1; the program runs as its
        child, every signal tini can catch is passed on to the child, and
        tini exits with the child's status (128 + a signal that ended it)."""
        tasks = self.kernel.tasks
        running = self.sched.process(program, name="docker-init:child")
        child.on_kill = lambda sig, p=running: _fatal_signal(proc, p, sig)
        for sig in range(1, 32):
            if sig not in (SIGKILL, SIGCHLD, SIGSTOP):    # cannot be passed on
                init_task.handlers[sig] = lambda s, t=child: tasks.signal(t, s)
        yield running
        tasks.exit(child)
        if proc.killed_by:
            return 128 + proc.killed_by
        return running.value if isinstance(running.value, int) else 0

    def _apply_sysctls(self, c) -> None:
        """runc writes HostConfig.Sysctls to /proc/sys in the container's
        namespaces: the net.* ones land in its network namespace (one of its
        own: a shared one belongs to the host or to another container)."""
        if c.mode in ("host", "container"):
            return
        for key, value in c.sysctls.items():
            if key.startswith("net."):
                c.sandbox.netns.sysctl[key] = sysctl_value(value)

    def _proc(self, c, argv, pid: int):
        from ..apps.process import Proc
        env = self._process_env(c)
        proc = Proc(argv=list(argv), netns=c.sandbox.netns, fs=c.fs, hostname=(
            self.host.hostname if c.mode == "host" or c.uts_mode == "host" else
            c.sandbox.container.hostname if c.mode == "container" else c.hostname),
            env=env, kernel=self.kernel, pid=pid, caps=c.capabilities)
        if c.tty:
            # a pseudo-terminal: one stream, and the line discipline's ONLCR ("\n" -> "\r\n")
            proc.on_output = lambda stream, text, c=c: c.log.append(("stdout", text.replace("\n", "\r\n")))
        else:
            proc.on_output = lambda stream, text, c=c: c.log.append((stream, text))
        return proc

    def _process_env(self, c, tty: bool | None = None) -> dict[str, str]:
        """dockerd's ``CreateDaemonEnvironment``: PATH, HOSTNAME, TERM (with a
        terminal: the container's, or an exec's own), links, Config.Env."""
        env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
               "HOSTNAME": c.hostname}
        if c.tty if tty is None else tty:
            env["TERM"] = "xterm"
        for item in self._link_env(c) + list(c.image.env) + list(c.env):
            key, _, value = item.partition("=")
            env[key] = value
        env.setdefault("HOME", "/root")
        return env

    def _link_env(self, c) -> list[str]:
        out = []
        for target, alias in c.link_targets:
            prefix = alias.upper().replace("-", "_")
            ep = target.endpoints.get("bridge")
            ip = ep.ip if ep else ""
            ports = sorted(target.exposed, key=_port_key)
            if ports:
                p, _, proto = ports[0].partition("/")
                out.append(f"{prefix}_PORT={proto}://{ip}:{p}")
            for spec in ports:
                p, _, proto = spec.partition("/")
                base = f"{prefix}_PORT_{p}_{proto.upper()}"
                out += [f"{base}={proto}://{ip}:{p}", f"{base}_ADDR={ip}", f"{base}_PORT={p}",
                        f"{base}_PROTO={proto}"]
            out.append(f"{prefix}_NAME=/{c.name}/{alias}")
            for e in list(target.image.env) + list(target.env):
                k, _, v = e.partition("=")
                if k not in ("HOME", "PATH", "HOSTNAME"):
                    out.append(f"{prefix}_ENV_{k}={v}")
        return out

    def _on_exit(self, c, process) -> None:
        if c.process is not process:
            return
        proc = c.proc
        st = c.state
        code = process.value if isinstance(process.value, int) else 0
        if proc is not None and proc.killed_by:
            code = 128 + proc.killed_by
        st.status, st.exit_code, st.pid, st.finished_at = "exited", code, 0, self.sched.now
        st.paused = False
        c.process = None
        # the namespace's init is gone: the kernel kills the rest of it
        self.kernel.tasks.exit(c.task)
        if c.shim is not None:
            self.runtime.delete(c.shim)
        c.task = c.shim = None
        self._release_network(c)
        if c.auto_remove:
            self.containers.pop(c.id, None)
            self.storage.forget(c, remove_volumes=True)
        elif self._should_restart(c, code, self.sched.now - st.started_at):
            c.restart_count += 1
            st.status = "restarting"
            self.sched.call_later(c.restart_delay, self._restart_after_backoff, c)

    # restartmanager: the back-off doubles from 100 ms up to a minute, and
    # starts again from 100 ms after a run of 10 s or more
    RESTART_FIRST_DELAY, RESTART_MAX_DELAY = 0.1, 60.0

    def _should_restart(self, c, exit_code: int, ran_for: float) -> bool:
        """restartmanager ``ShouldRestart`` for the exit of the main process."""
        if c.restart_policy in ("", "no") or c.manually_stopped:
            return False
        if ran_for >= 10:
            c.restart_delay = 0.0
        c.restart_delay = (self.RESTART_FIRST_DELAY if c.restart_delay == 0
                           else min(c.restart_delay * 2, self.RESTART_MAX_DELAY))
        if c.restart_policy in ("always", "unless-stopped"):
            return True
        if c.restart_policy == "on-failure":
            limit = c.restart_max_retries
            return exit_code != 0 and (limit == 0 or c.restart_count < limit)
        return False

    def _restart_after_backoff(self, c) -> None:
        if c.state.status != "restarting" or self.containers.get(c.id) is not c:
            return                          # stopped, killed or removed meanwhile
        try:
            self.container_start(c, restart=True)
        except NetsimError as err:
            c.state.status = "exited"
            c.state.error = str(err)

    # -- stop / kill / restart ---------------------------------------------
    def container_stop(self, ref: str, timeout: int | None = None) -> Container:
        """The stop signal (SIGTERM unless --stop-signal), then SIGKILL after the
        timeout (-t, else --stop-timeout, else 10 s).  PID 1 has no handlers: only
        SIGKILL ends it."""
        c = self.container_find(ref)
        if c.state.status == "restarting":
            c.manually_stopped = True       # the restart manager is cancelled
            c.state.status = "exited"
        if not c.running:
            return c
        c.manually_stopped = True
        if timeout is None:
            timeout = c.stop_timeout if c.stop_timeout is not None else 10
        stop_signal = parse_signal(c.stop_signal or "SIGTERM")
        if stop_signal == SIGKILL:
            timeout = 0
        if timeout > 0:
            deadline = self.sched.now + timeout
            self._signal(c, stop_signal)
            if c.running and c.process is not None:
                self.sched.run(until=c.process, limit=deadline)
            if c.running:
                self.sched.run(until=deadline)    # nothing ended it: the whole timeout passes
        if c.running:
            self._kill(c, SIGKILL)
        return c

    def container_kill(self, ref: str, signal: int | str = SIGKILL) -> Container:
        """``docker kill``: the API parses the signal first; the container's PID 1
        has no handlers, so the kernel ignores every signal but SIGKILL."""
        if isinstance(signal, str):
            signal = parse_signal(signal)
        try:
            c = self.container_find(ref)
        except NotFound as err:
            raise NotFound(f"Cannot kill container: {ref}: {err}")
        if unsupported_signal(signal):
            raise InvalidParameter(f"Cannot kill container: {ref}: {unsupported_signal(signal)}")
        if c.state.status == "restarting":
            c.manually_stopped = True       # the pending restart is cancelled
            c.state.status = "exited"
            return c
        if not c.running:
            raise Conflict(f"Cannot kill container: {ref}: Container {c.id} is not running")
        if signal == SIGKILL or not c.stop_signal or parse_signal(c.stop_signal) == signal:
            c.manually_stopped = True       # killWithSignal: ExitOnNext cancels restarts
        if signal == SIGKILL:
            self._kill(c, signal)
        else:
            self._signal(c, signal)
        return c

    def _signal(self, c, signal: int) -> None:
        """A signal from the daemon (an ancestor PID namespace) to PID 1: what
        the kernel does with it depends on the program's handlers."""
        if c.task is not None:
            self.kernel.tasks.signal(c.task, signal, from_ancestor=True)
            self.sched.run(until=self.sched.now)

    def _kill(self, c, signal: int) -> None:
        if c.proc is not None:
            c.proc.killed_by = signal
        if c.process is not None:
            c.process.kill()
        self.sched.run(until=self.sched.now)

    # -- pause / unpause / wait -------------------------------------------------
    def _processes(self, c) -> list:
        return [p for p in [c.process] + [e[3] for e in c.execs] if p is not None and not p.triggered]

    def container_pause(self, ref: str) -> Container:
        """``docker pause``: the freezer cgroup stops every process of the
        container (the kernel still answers for its namespace: ARP, ping)."""
        c = self.container_find(ref)
        if c.state.status == "restarting":
            raise Conflict(f"Container {c.id} is restarting, wait until the container is running")
        if not c.running:
            raise Conflict(f"Container {c.id} is not running")
        if c.state.paused:
            raise Conflict(f"Container {c.id} is already paused")
        c.state.paused = True
        for p in self._processes(c):
            p.freeze()
        return c

    def container_unpause(self, ref: str) -> Container:
        c = self.container_find(ref)
        if not c.state.paused:
            raise Conflict(f"Container {c.id} is not paused")
        c.state.paused = False
        for p in self._processes(c):
            p.thaw()
        self.sched.run(until=self.sched.now)
        return c

    def container_wait(self, ref: str, limit: float = 3600.0) -> int:
        """``docker wait``: block until the container is not running; its exit code."""
        c = self.container_find(ref)
        if c.running and c.process is not None:
            self.sched.run(until=c.process, limit=self.sched.now + limit)
            self.sched.run(until=self.sched.now)      # the exit handlers of that instant
        return c.state.exit_code

    def container_restart(self, ref: str, timeout: int | None = None) -> Container:
        c = self.container_stop(ref, timeout)
        try:
            return self.container_start(c)
        except NetsimError as err:
            raise type(err)(f"Cannot restart container {ref}: {err}")

    # -- remove / rename ---------------------------------------------------
    def container_remove(self, ref: str, force: bool = False) -> Container:
        c = self.container_find(ref)
        if c.running or c.state.status == "restarting":
            if not force:
                procedure = "Stop the container before attempting removal or force remove"
                state = c.state.status
                if c.state.paused:
                    state, procedure = "paused", "Unpause and then " + procedure.lower()
                raise Conflict(f"You cannot remove a {state} container {c.id}. {procedure}")
            c.manually_stopped = True
            if c.running:
                self._kill(c, SIGKILL)
        self.containers.pop(c.id, None)
        self.storage.forget(c, remove_volumes=c.auto_remove)
        return c

    def container_rename(self, ref: str, new: str) -> None:
        c = self.container_find(ref)
        new = new.lstrip("/")
        if not NAME_RE.match(new):
            raise InvalidParameter(f"Invalid container name ({new}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")
        if new == c.name:
            raise InvalidParameter("Renaming a container with the same name as its current name")
        for other in self.containers.values():
            if other.name == new:
                raise Conflict(f'Error when allocating new name: Conflict. The container name "/{new}" is already '
                               f'in use by container "{other.id}". You have to remove (or rename) that container '
                               "to be able to reuse that name.")
        c.name = new
        for ep in c.endpoints.values():
            if ep.dns_names:
                ep.dns_names = (new,) + ep.dns_names[1:]

    # -- exec --------------------------------------------------------------
    def container_exec(self, ref: str, argv: list[str], env: list[str] | None = None,
                       stdin: str = "", workdir: str = "", user: str = "", tty: bool = False):
        """Start ``argv`` in a running container; returns (proc, process)."""
        c = self.container_find(ref)
        if c.state.status == "restarting":
            raise Conflict(f"Container {c.id} is restarting, wait until the container is running")
        if not c.running:
            raise Conflict(f"Container {c.id} is not running")
        if c.state.paused:
            raise Conflict(f"Container {ref} is paused, unpause the container before exec")
        for child, alias in c.link_targets:      # the exec's environment has the links'
            if not child.running:
                raise Conflict(f"Cannot link to a non running container: /{child.name} AS /{c.name}/{alias}")
            if "bridge" not in child.endpoints:
                raise Conflict(f"container {child.id} not attached to default bridge network")
        program = self.programs.lookup(c.image, argv[0]) if argv else None
        if program is None:
            message, _ = exec_error(c.fs, argv[0] if argv else "")
            raise StartError("OCI runtime exec failed: exec failed: unable to start container process: "
                             + message + ": unknown", exit_code=126)
        uid, gid = resolve_user(c.fs, user or c.user)
        cwd = workdir or c.workdir or "/"
        if not c.fs.is_dir(cwd):
            raise StartError("OCI runtime exec failed: exec failed: unable to start container process: "
                             f'chdir to cwd ("{cwd}") set in config.json failed: no such file or '
                             "directory: unknown", exit_code=126)
        task = self.runtime.exec(c.id, c.shim, c.task.ns, argv, uid, gid)
        proc = self._proc(c, argv, pid=task.pid)
        proc.task = task
        proc.uid, proc.gid, proc.groups = uid, gid, [gid]
        proc.fs = view_for(proc.fs, uid, gid)
        proc.on_output = None
        proc.stdin = stdin
        proc.cwd = cwd
        proc.env = self._process_env(c, tty=tty)    # the exec's own -t decides TERM
        for item in env or []:
            k, _, v = item.partition("=")
            proc.env[k] = v
        process = self.sched.process(program(proc), name=f"{c.name}:exec")
        process.add_callback(lambda ev, t=task: self.kernel.tasks.exit(t))
        task.on_kill = lambda sig, proc=proc, p=process: _fatal_signal(proc, p, sig)
        c.execs[:] = [e for e in c.execs if not e[3].triggered]   # finished execs are gone
        c.execs.append((task.pid_in(self.kernel.tasks.init_ns), list(argv), self.sched.now, process))
        return proc, process

    def container_top(self, ref: str, ps_args: str = "") -> tuple[list[str], list[list[str]]]:
        """dockerd ``ContainerTop``: the host's ``ps`` (``-ef`` unless told),
        its lines kept for the pids of the container's cgroup; (titles, processes)."""
        from ..apps.hosttools.ps import procps
        from .runtime import cgroup
        c = self.container_find(ref)
        if not c.running:
            raise Conflict(f"Container {c.id} is not running")
        ps_args = ps_args or "-ef"
        for k, v in re.findall(r"\s+([^\s]*)=\s*(PID[^\s]*)", ps_args):   # validatePSArgs
            if k != "pid":
                raise InvalidParameter(f'specifying "{k}={v}" is not allowed')
        status, output = procps(self.kernel, ps_args.split(" "), self.wallclock)
        if status:
            raise SystemError_(f"Error running ps: exit status {status}")
        return parse_ps_output(output, [t.pid_in(self.kernel.tasks.init_ns)
                                        for t in self.kernel.tasks.in_cgroup(cgroup(c.id))])


def _fatal_signal(proc, process, sig: int) -> None:
    """A signal ended the task (SIGKILL when the PID namespace's init died):
    the program ends; its status is 128 + the signal."""
    if process is not None and not process.triggered:
        proc.killed_by = sig
        process.kill()


def parse_ps_output(output: str, pids: list[int]) -> tuple[list[str], list[list[str]]]:
    """dockerd ``parsePSOutput``: titles from the header; lines whose PID is
    one of ``pids`` (and thread lines ``-`` after them), the last column
    joining the overhanging fields."""
    lines = output.split("\n")
    titles = lines[0].split()
    if "PID" not in titles:
        raise SystemError_("Couldn't find PID field in ps output")
    at = titles.index("PID")
    procs, kept = [], False
    for line in lines[1:]:
        if not line:
            continue
        fields = line.split()
        if fields[at] == "-":
            if kept:
                procs.append(fields[:len(titles) - 1] + [" ".join(fields[len(titles) - 1:])])
            continue
        try:
            pid = int(fields[at])
        except ValueError:
            raise SystemError_(f"Unexpected pid '{fields[at]}': strconv.Atoi: parsing "
                               f'"{fields[at]}": invalid syntax')
        kept = pid in pids
        if kept:
            procs.append(fields[:len(titles) - 1] + [" ".join(fields[len(titles) - 1:])])
    return titles, procs


def resolve_user(fs, spec: str, exit_code: int = 126) -> tuple[int, int]:
    """runc's ``GetExecUserPath``: ``user[:group]`` by name or number against
    the container's /etc/passwd and /etc/group."""
    if not spec:
        spec = "0"
    user, _, group = spec.partition(":")

    def table(path):
        try:
            text = fs.read(path)
        except (FileNotFoundError, IsADirectoryError, OSError):
            return []
        return [line.split(":") for line in text.splitlines() if line.count(":") >= 2]

    passwd = table("/etc/passwd")
    entry = next((e for e in passwd if e[0] == user or (user.isdigit() and len(e) > 2 and e[2] == user)), None)
    if entry is None and not user.isdigit():
        raise StartError(f"unable to find user {user}: no matching entries in passwd file", exit_code=exit_code)
    uid = int(entry[2]) if entry is not None else int(user)
    gid = int(entry[3]) if entry is not None and len(entry) > 3 and entry[3].isdigit() else 0
    if group:
        if group.isdigit():
            gid = int(group)
        else:
            g = next((e for e in table("/etc/group") if e[0] == group), None)
            if g is None:
                raise StartError(f"unable to find group {group}: no matching entries in group file",
                                 exit_code=exit_code)
            gid = int(g[2])
    return uid, gid


# moby pkg/signal SignalMap (Linux): names without SIG -> numbers
SIGNAL_MAP = {
    "ABRT": 6, "ALRM": 14, "BUS": 7, "CHLD": 17, "CLD": 17, "CONT": 18, "FPE": 8, "HUP": 1,
    "ILL": 4, "INT": 2, "IO": 29, "IOT": 6, "KILL": 9, "PIPE": 13, "POLL": 29, "PROF": 27,
    "PWR": 30, "QUIT": 3, "SEGV": 11, "STKFLT": 16, "STOP": 19, "SYS": 31, "TERM": 15,
    "TRAP": 5, "TSTP": 20, "TTIN": 21, "TTOU": 22, "URG": 23, "USR1": 10, "USR2": 12,
    "VTALRM": 26, "WINCH": 28, "XCPU": 24, "XFSZ": 25, "RTMIN": 34, "RTMAX": 64,
    **{f"RTMIN+{i}": 34 + i for i in range(1, 16)},
    **{f"RTMAX-{i}": 64 - i for i in range(1, 15)},
}


def parse_signal(text: str) -> int:
    """moby ``signal.ParseSignal``: a number (strconv.Atoi: any integer but
    0), or a name of SignalMap with or without SIG."""
    digits = text[1:] if text[:1] in "+-" else text
    if digits.isdigit() and digits.isascii():
        if int(text) == 0:
            raise InvalidParameter(f"Invalid signal: {text}")
        return int(text)
    sig = SIGNAL_MAP.get(text.upper().removeprefix("SIG"))
    if sig is None:
        raise InvalidParameter(f"Invalid signal: {text}")
    return sig


def unsupported_signal(signal: int) -> str:
    """``ValidSignalForPlatform``'s error ("" for a signal of SignalMap);
    the API passes the signal on as a uint64."""
    if signal in SIGNAL_MAP.values():
        return ""
    return f"The linux daemon does not support signal {signal % (1 << 64)}"


def _validate_net_mode(mode: str, opts: dict) -> None:
    """runconfig ``validateNetContainerMode``, in its order."""
    container = mode.startswith("container:")
    if container and not mode.split(":", 1)[1]:
        raise InvalidParameter("Invalid network mode: invalid container format container:<name|id>")
    checks = [
        (container and opts.get("hostname"), "conflicting options: hostname and the network mode"),
        (container and opts.get("links"), "conflicting options: container type network can't be used with links. This would result in undefined behavior"),
        (container and opts.get("dns"), "conflicting options: dns and the network mode"),
        (container and opts.get("extra_hosts"), "conflicting options: custom host-to-IP mapping and the network mode"),
        ((container or mode == "host") and opts.get("mac_address"), "conflicting options: mac-address and the network mode"),
        (container and (opts.get("port_bindings") or opts.get("publish_all")),
         "conflicting options: port publishing and the container type network mode"),
        (container and opts.get("exposed"), "conflicting options: port exposing and the container type network mode"),
        (mode == "host" and opts.get("links"), "conflicting options: host type networking can't be used with links. This would result in undefined behavior"),
    ]
    for failed, message in checks:
        if failed:
            raise InvalidParameter(message)


def _endpoints_config(mode: str, config: dict) -> dict:
    """Which endpoint settings the daemon keeps: a container on ``default``
    joins the bridge network with none (its ``--ip``/aliases are dropped)."""
    if mode == "default":
        return {"bridge": NetworkRequest()}
    if mode.startswith("container:"):
        return {}
    return {mode: config.get(mode) or NetworkRequest()}


def _port_key(spec: str):
    port, _, proto = spec.partition("/")
    return (int(port.split("-")[0]), proto)
