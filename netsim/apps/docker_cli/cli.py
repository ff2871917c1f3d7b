"""Command implementations of the docker CLI over the daemon model."""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from ...errors import NetsimError, NotFound
from ...daemon import images
from ...daemon.container import NetworkRequest, PortBinding
from ...daemon.lifecycle import StartError
from . import gotemplate as gt
from .formatting import ellipsis, go_quote, human_duration, human_size, ports_column, tabwrite
from .parser import UsageError, parse
from .storage_cmds import StorageCommands
from .views import container_json, dump, network_json

EXEC_LIMIT = 3600.0     # simulated seconds a foreground program may run


@dataclass
class Output:
    stdout: str = ""
    stderr: str = ""
    exit_code: int = 0


def report_error(msg: str, cmd: str | None = None) -> str:
    """docker/cli ``reportError``: one trailing period, then the help hint."""
    text = "docker: " + msg.removesuffix(".") + ".\n"
    return text + (f"See 'docker {cmd} --help'.\n" if cmd else "")


class CommandFailed(Exception):
    def __init__(self, stderr: str, exit_code: int = 1, stdout: str = ""):
        super().__init__(stderr)
        self.stderr, self.exit_code, self.stdout = stderr, exit_code, stdout


class DockerCli(StorageCommands):
    def __init__(self, daemon):
        self.d = daemon

    # -- entry point ---------------------------------------------------------
    def execute(self, argv: list[str]) -> Output:
        out = Output()
        try:
            inv = parse(argv)
        except UsageError as err:
            return Output("", err.message + "\n", err.exit_code)
        if inv.output is not None:
            return Output(inv.output, inv.output_stderr, 0)
        if not inv.supported:
            return Output("", f"netsim: 'docker {' '.join(argv[:1])}' is not simulated\n", 1)
        handler = getattr(self, "cmd_" + "_".join(inv.command), None)
        if handler is None:
            return Output("", f"netsim: 'docker {' '.join(inv.command)}' is not simulated\n", 1)
        try:
            handler(inv, out)
        except CommandFailed as err:
            out.stdout += err.stdout
            out.stderr += err.stderr
            out.exit_code = err.exit_code
        return out

    @staticmethod
    def _daemon_error(err: Exception) -> str:
        return f"Error response from daemon: {err}\n"

    # -- images --------------------------------------------------------------
    def _image(self, ref: str, cmd: str, out: Output):
        image = self.d.storage.find_image(ref)
        if image is not None:
            return image
        name, tag = images.split_ref(ref)
        out.stderr += f"Unable to find image '{name}:{tag}' locally\n"
        raise CommandFailed(
            f"docker: Error response from daemon: pull access denied for {name}, repository does not "
            "exist or may require 'docker login': denied: requested access to the resource is denied.\n"
            f"See 'docker {cmd} --help'.\n", 125)

    # -- run / create ---------------------------------------------------------
    def _create(self, inv, out: Output, cmd: str):
        o = inv.options
        image_ref, *command = inv.args
        image = self._image(image_ref, cmd, out)
        fail = lambda msg: CommandFailed(report_error(msg, cmd), 125)
        networks = o.get("network") or []
        mode = networks[0] if networks else "default"
        links = list(o.get("link") or [])
        aliases = list(o.get("network_alias") or [])
        # docker/cli parseNetworkAttachmentOpt: per-network options need a user network
        if networks and not _user_defined(mode) and mode != "bridge":
            if aliases:
                raise fail("network-scoped aliases are only supported for user-defined networks")
            if links:
                raise fail("links are only supported for user-defined networks")
        bindings = []
        for spec in o.get("publish") or []:
            bindings += self._parse_publish(spec, fail)
        exposed = [p for e in o.get("expose") or [] for p in self._expose(e, fail)]
        mac = o.get("mac_address") or ""
        if mac and not re.fullmatch(r"([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}", mac):
            raise fail(f"{mac} is not a valid mac address")
        ip = o.get("ip") or None
        if ip:
            try:
                ipaddress.IPv4Address(ip)
            except ValueError:
                raise fail(f"Error response from daemon: invalid IPv4 address: {ip}")
        for dns in o.get("dns") or []:      # docker/cli warnOnLocalhostDNS: the first one only
            if dns.startswith("127."):
                out.stderr += f"WARNING: Localhost DNS setting (--dns={dns}) may fail in containers.\n"
                break
        if len(networks) > 1:
            raise fail("Error response from daemon: Container cannot be connected to network endpoints: "
                       + ", ".join(networks))
        req = NetworkRequest(ip=ip, aliases=aliases)
        if _user_defined(mode):
            req.links = [link if ":" in link else f"{link}:{link}" for link in links]
        # opts.ParseRestartPolicy: NAME[:MAX-RETRIES]; the daemon checks the name
        restart_parts = (o.get("restart") or "no").split(":")
        if len(restart_parts) > 2:
            raise fail("invalid restart policy format")
        restart_name, restart_max = restart_parts[0], 0
        if len(restart_parts) == 2:
            try:
                restart_max = go_atoi(restart_parts[1])
            except ValueError:
                raise fail("maximum retry count must be an integer")
        if cmd == "run" and o.get("rm") and restart_name not in ("", "no"):
            raise fail("Conflicting options: --restart and --rm")
        try:
            c = self.d.container_create(
                image, image_ref, command or None, name=o.get("name") or None,
                entrypoint=[o["entrypoint"]] if o.get("entrypoint") else None,
                hostname=o.get("hostname") or None, domainname=o.get("domainname") or "",
                env=list(o.get("env") or []), labels=self._labels(o.get("label") or []),
                exposed=exposed, tty=bool(o.get("tty")), open_stdin=bool(o.get("interactive")),
                network_mode=mode, networks={mode: req},
                port_bindings=bindings, publish_all=bool(o.get("publish_all")),
                links=links, dns=list(o.get("dns") or []),
                dns_search=list(o.get("dns_search") or []),
                dns_options=list(o.get("dns_option") or []),
                extra_hosts=list(o.get("add_host") or []), mac_address=mac,
                auto_remove=bool(o.get("rm")), restart_policy=restart_name, restart_max_retries=restart_max,
                mounts=self._mount_specs(o, fail), attach=not o.get("detach"), workdir=o.get("workdir") or "",
                user=o.get("user") or "", pid_mode=o.get("pid") or "", uts_mode=o.get("uts") or "",
                cap_add=list(o["cap_add"]) if o.get("cap_add") else None,
                cap_drop=list(o["cap_drop"]) if o.get("cap_drop") else None,
                privileged=bool(o.get("privileged")), sysctls=dict(o.get("sysctl") or {}),
                init=bool(o.get("init")) if "init" in inv.changed else None,
                stop_signal=o.get("stop_signal") if "stop_signal" in inv.changed else "",
                stop_timeout=o.get("stop_timeout") if "stop_timeout" in inv.changed else None)
        except NetsimError as err:
            if cmd == "create":
                raise CommandFailed(self._daemon_error(err), 1)
            raise fail(f"Error response from daemon: {err}")
        if c.mode == "host" and bindings:
            out.stderr += "WARNING: Published ports are discarded when using host network mode\n"
        return c

    @staticmethod
    def _labels(items):
        labels = {}
        for item in items:
            k, _, v = item.partition("=")
            labels[k] = v
        return labels

    @staticmethod
    def _expose(spec: str, fail) -> list[str]:
        """--expose PORT[-PORT][/PROTO] (``nat.ParsePortRange``)."""
        port, _, proto = spec.partition("/")
        lo, dash, hi = port.partition("-")
        for part in ([lo, hi] if dash else [lo]):
            if not part.isdigit():
                raise fail(f"invalid range format for --expose: {spec}, error: strconv.ParseUint: "
                           f"parsing {go_quote(part)}: invalid syntax")
        first, last = int(lo), int(hi) if dash else int(lo)
        return [f"{p}/{proto or 'tcp'}" for p in range(first, last + 1)]

    @staticmethod
    def _parse_publish(spec: str, fail) -> list[PortBinding]:
        """go-connections ``nat.ParsePortSpec``."""
        body, _, proto = spec.rpartition("/") if "/" in spec else (spec, "", "tcp")
        proto = proto or "tcp"
        parts = body.split(":")
        cport = parts[-1]
        host_ip = host_port = ""
        if len(parts) == 2:
            host_port = parts[0]
        elif len(parts) == 3:
            host_ip, host_port = parts[0], parts[1]
        elif len(parts) > 3:
            host_ip, host_port = ":".join(parts[:-2]), parts[-2]
        host_ip = host_ip.strip("[]")
        if host_ip:
            try:
                ipaddress.ip_address(host_ip)
            except ValueError:
                raise fail(f"Invalid ip address: {host_ip}")
        if not cport:
            raise fail(f"No port specified: {body}<empty>")
        crange = _port_range(cport)
        if crange is None:
            raise fail(f"Invalid containerPort: {cport}")
        hrange = _port_range(host_port) if host_port else (0, 0)
        if hrange is None:
            raise fail(f"Invalid hostPort: {host_port}")
        if host_port and crange[1] - crange[0] != hrange[1] - hrange[0] and crange[0] != crange[1]:
            raise fail(f"Invalid ranges specified for container and host Ports: {cport} and {host_port}")
        if proto.lower() not in ("tcp", "udp", "sctp"):
            raise fail(f"Invalid proto: {proto}")
        out = []
        for i in range(crange[1] - crange[0] + 1):
            hp = str(hrange[0] + i) if host_port else ""
            if crange[0] == crange[1] and hrange[0] != hrange[1]:
                hp = f"{hrange[0]}-{hrange[1]}"
            out.append(PortBinding(crange[0] + i, proto.lower(), host_ip, hp))
        return out

    def cmd_create(self, inv, out: Output) -> None:
        c = self._create(inv, out, "create")
        out.stdout += c.id + "\n"

    def cmd_run(self, inv, out: Output) -> None:
        o = inv.options
        c = self._create(inv, out, "run")
        detach = bool(o.get("detach"))
        if detach:
            out.stdout += c.id + "\n"
        try:
            self.d.container_start(c.id)
        except StartError as err:
            msg = report_error(f"Error response from daemon: {err}")
            # The CLI cancels its wait for the container and logs that, unless
            # (--rm) the wait for the removal already ended: the daemon removes
            # a container whose runtime failed to start it (126/127) before it
            # answers, which takes the runtime long enough for the wait to see it.
            if not detach and not (c.auto_remove and err.exit_code != 125):
                msg += ('time="{}" level=error msg="error waiting for container: context canceled"\n'
                        .format(self._log_time()))
            if c.auto_remove:
                self.d.container_remove(c.id, force=True)
            raise CommandFailed(msg, err.exit_code)
        except NetsimError as err:
            if c.auto_remove:
                self.d.container_remove(c.id, force=True)
            raise CommandFailed(report_error(f"Error response from daemon: {err}"), 125)
        self.d.sched.run(until=self.d.sched.now + 0.05)
        if detach:
            return
        if c.tty and c.open_stdin:
            return     # an interactive session: the user detaches (Ctrl-P Ctrl-Q) and the container runs on
        self._wait_foreground(c, out)

    def _log_time(self) -> str:
        from .views import timestamp
        return timestamp(self.d, self.d.sched.now).split(".")[0].rstrip("Z") + "Z"

    def _wait_foreground(self, c, out: Output, since: int = 0) -> None:
        process = c.process
        if process is not None:
            self.d.sched.run(until=process, limit=self.d.sched.now + EXEC_LIMIT)
            if not process.triggered:
                self.d._kill(c, 9)
            self.d.sched.run(until=self.d.sched.now)     # the exit handlers of that instant
        for stream, text in c.log[since:]:
            if stream == "stdout":
                out.stdout += text
            else:
                out.stderr += text
        out.exit_code = c.state.exit_code
        if c.auto_remove and c.id in self.d.containers:
            self.d.container_remove(c.id, force=True)

    # -- start / stop / restart / kill / rm / rename --------------------------
    def _each(self, inv, out: Output, action, verb: str | None = None) -> None:
        failed = []
        for ref in inv.args:
            try:
                action(ref)
                out.stdout += ref + "\n"
            except StartError as err:
                out.stderr += self._daemon_error(err)
                failed.append(ref)
            except NetsimError as err:
                out.stderr += self._daemon_error(err)
                failed.append(ref)
        if failed:
            if verb:
                out.stderr += f"Error: failed to {verb} containers: {', '.join(failed)}\n"
            out.exit_code = 1

    def cmd_start(self, inv, out: Output) -> None:
        if not inv.options.get("attach"):
            self._each(inv, out, self.d.container_start, "start")
            return
        if len(inv.args) > 1:
            raise CommandFailed("you cannot start and attach multiple containers at once\n")
        try:
            c = self.d.container_find(inv.args[0])
            seen = len(c.log)
            self.d.container_start(c)
        except NetsimError as err:
            raise CommandFailed(self._daemon_error(err))
        self.d.sched.run(until=self.d.sched.now + 0.05)
        self._wait_foreground(c, out, since=seen)

    def cmd_stop(self, inv, out: Output) -> None:
        t = inv.options.get("time") if "time" in inv.changed else None
        self._each(inv, out, lambda ref: self.d.container_stop(ref, t))

    def cmd_restart(self, inv, out: Output) -> None:
        t = inv.options.get("time") if "time" in inv.changed else None
        self._each(inv, out, lambda ref: self.d.container_restart(ref, t))

    def cmd_kill(self, inv, out: Output) -> None:
        sig = inv.options.get("signal") or "KILL"
        self._each(inv, out, lambda ref: self.d.container_kill(ref, sig))

    def cmd_pause(self, inv, out: Output) -> None:
        self._each(inv, out, self.d.container_pause)

    def cmd_unpause(self, inv, out: Output) -> None:
        self._each(inv, out, self.d.container_unpause)

    def cmd_wait(self, inv, out: Output) -> None:
        for ref in inv.args:
            try:
                out.stdout += f"{self.d.container_wait(ref)}\n"
            except NetsimError as err:
                out.stderr += self._daemon_error(err)
                out.exit_code = 1

    def cmd_rm(self, inv, out: Output) -> None:
        force = bool(inv.options.get("force"))
        for ref in inv.args:
            try:
                self.d.container_remove(ref, force=force)
                out.stdout += ref + "\n"
            except NotFound as err:
                out.stderr += f"Error: {err}\n"
                if not force:            # docker/cli runRm: -f ignores containers that are gone
                    out.exit_code = 1
            except NetsimError as err:
                out.stderr += self._daemon_error(err)
                out.exit_code = 1

    def cmd_rename(self, inv, out: Output) -> None:
        old, new = inv.args
        try:
            self.d.container_rename(old, new)
        except NetsimError as err:
            raise CommandFailed(self._daemon_error(err) + f"Error: failed to rename container named {old}\n")

    # -- exec -----------------------------------------------------------------
    def cmd_exec(self, inv, out: Output) -> None:
        ref, *argv = inv.args
        try:
            proc, process = self.d.container_exec(ref, argv, env=inv.options.get("env"),
                                                  workdir=inv.options.get("workdir") or "",
                                                  user=inv.options.get("user") or "",
                                                  tty=bool(inv.options.get("tty")))
        except NotFound as err:
            raise CommandFailed(f"Error: {err}\n")
        except StartError as err:
            raise CommandFailed("", err.exit_code, stdout=f"{err}\r\n")
        except NetsimError as err:
            raise CommandFailed(self._daemon_error(err))
        terminal = []
        if inv.options.get("tty"):
            # a pseudo-terminal: one stream, and the line discipline's ONLCR ("\n" -> "\r\n")
            proc.on_output = lambda stream, text: terminal.append(text.replace("\n", "\r\n"))
        if inv.options.get("detach"):
            self.d.sched.run(until=self.d.sched.now + 0.05)
            return
        self.d.sched.run(until=process, limit=self.d.sched.now + EXEC_LIMIT)
        if not process.triggered:
            process.kill()
        if inv.options.get("tty"):
            out.stdout += "".join(terminal)
        else:
            out.stdout += proc.output
            out.stderr += proc.errors
        # a process ended by a signal: the shell's 128 + N
        out.exit_code = (128 + proc.killed_by if proc.killed_by else
                         process.value if isinstance(process.value, int) else 0)

    def cmd_top(self, inv, out: Output) -> None:
        ref, *ps_args = inv.args
        try:
            titles, procs = self.d.container_top(ref, " ".join(ps_args))
        except NetsimError as err:          # an unknown container too: the API's 404
            raise CommandFailed(self._daemon_error(err))
        out.stdout += tabwrite([titles] + procs, minwidth=20, padding=1)

    # -- ps -------------------------------------------------------------------
    def _ps_row(self, c):
        now = self.d.sched.now
        st = c.state
        if st.status == "running":
            status = "Up " + human_duration(now - st.started_at) + (" (Paused)" if st.paused else "")
        elif st.status == "exited":
            status = f"Exited ({st.exit_code}) {human_duration(now - st.finished_at)} ago"
        elif st.status == "restarting":
            status = f"Restarting ({st.exit_code}) {human_duration(now - st.finished_at)} ago"
        else:
            status = "Created"
        return PsRow(c, status, human_duration(now - c.created) + " ago", ports_column(_api_ports(c)), self.d)

    def cmd_ps(self, inv, out: Output) -> None:
        o = inv.options
        last = 1 if o.get("latest") else o.get("last", -1)
        show_all = o.get("all") or last > 0          # -n/-l list every state
        rows = [self._ps_row(c) for c in sorted(self.d.containers.values(), key=lambda c: -c.created)
                if show_all or c.running or c.state.status == "restarting"]
        by_key = self._ps_filters(o.get("filter") or [])
        rows = [r for r in rows if self._ps_filter(r.c, by_key)]
        if last > 0:
            rows = rows[:last]
        if o.get("format") and not o.get("size"):
            # buildContainerListOptions: the --format as given runs once on an
            # empty ContainerContext (to see whether it uses .Size)
            try:
                gt.parse(o["format"]).execute(_ZeroPsRow())
            except gt.TemplateError as err:
                raise CommandFailed(f"failed to {'parse' if err.kind == 'parse' else 'execute'} "
                                    f"template: {err}\n")
        # formatter.NewContainerFormat (20.10): -q only replaces the table and
        # raw formats; a custom --format wins over it
        fmt = o.get("format") or "table"
        if fmt == "table":
            fmt = ("{{.ID}}" if o.get("quiet") else
                   "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}"
                   "\t{{.Ports}}\t{{.Names}}" + ("\t{{.Size}}" if o.get("size") else ""))
        elif fmt == "raw":
            fmt = ("container_id: {{.ID}}" if o.get("quiet") else
                   "container_id: {{.ID}}\nimage: {{.Image}}\ncommand: {{.Command}}\n"
                   "created_at: {{.CreatedAt}}\nstate: {{- pad .State 1 0}}\n"
                   "status: {{- pad .Status 1 0}}\nnames: {{.Names}}\nlabels: {{- pad .Labels 1 0}}\n"
                   "ports: {{- pad .Ports 1 0}}\n" + ("size: {{.Size}}\n" if o.get("size") else ""))
        for r in rows:
            r.trunc = not o.get("no_trunc")
        self._render_rows(fmt, rows, out, PsRow.HEADERS)

    PS_FILTERS = ("ancestor", "before", "expose", "exited", "health", "id", "is-task", "isolation",
                  "label", "name", "network", "publish", "since", "status", "volume")
    PS_STATES = ("created", "restarting", "running", "removing", "paused", "exited", "dead")

    def _ps_filters(self, filters) -> dict[str, list[str]]:
        """daemon ``foldFilter``: the filter keys and values it accepts."""
        by_key: dict[str, list[str]] = {}
        for f in filters:
            key, _, value = f.partition("=")
            if key not in self.PS_FILTERS:
                raise CommandFailed(f"Error response from daemon: Invalid filter '{key}'\n")
            if key == "status" and value not in self.PS_STATES:
                raise CommandFailed(f"Error response from daemon: Invalid filter 'status={value}'\n")
            if key == "exited" and not value.lstrip("-").isdigit():
                raise CommandFailed(f"Error response from daemon: strconv.Atoi: parsing {go_quote(value)}: "
                                    "invalid syntax\n")
            if key in ("publish", "expose"):
                _port_filter(value, key)
            if key == "is-task" and value not in ("true", "false"):
                raise CommandFailed(f"Error response from daemon: Invalid filter 'is-task=[{value}]'\n")
            if key == "health" and value not in ("starting", "healthy", "unhealthy", "none"):
                raise CommandFailed(f"Error response from daemon: Unrecognised filter value for health: {value}\n")
            by_key.setdefault(key, []).append(value)
        return by_key

    def _ps_filter(self, c, by_key: dict[str, list[str]]) -> bool:
        """daemon ``includeContainerInContext``: keys AND, values of one key OR."""
        def any_of(key, test):
            return key not in by_key or any(test(v) for v in by_key[key])

        def created_order(ref):
            try:
                return self.d.container_find(ref).created
            except NetsimError:
                raise CommandFailed(f"Error response from daemon: no such container {ref}\n")

        st = c.state
        status = "paused" if st.status == "running" and st.paused else st.status
        ports = _api_ports(c)
        published = {f"{pub}/{proto}" for priv, proto, ip, pub in ports}
        exposed = {f"{priv}/{proto}" for priv, proto, ip, pub in ports}
        mounts = self.d.storage.mounts_json(c)
        image = self.d.storage.find_image
        # NetworkSettings.Networks' NetworkID: kept while stopped, once joined
        ep_ids = [ep.network.id for ep in c.endpoints.values()] if c.running else []
        ep_ids += [req.network_id for req in c.networks.values() if req.network_id]
        checks = [
            any_of("name", lambda v: _regex_match(v, "/" + c.name)),
            any_of("id", lambda v: _regex_match(v, c.id)),
            any_of("status", lambda v: status == v),
            any_of("exited", lambda v: status == "exited" and str(st.exit_code) == v
                   and st.started_at is not None),
            "label" not in by_key or all(
                k in c.labels and (not eq or c.labels[k] == val)
                for k, eq, val in (v.partition("=") for v in by_key["label"])),
            any_of("ancestor", lambda v: v in (c.image_ref, c.image_ref.split(":")[0])
                   or c.image.id.removeprefix("sha256:").startswith(v.removeprefix("sha256:"))
                   or getattr(image(v), "id", None) == c.image.id),
            any_of("network", lambda v: v in c.networks or any(i.startswith(v) for i in ep_ids)),
            "before" not in by_key or c.created < created_order(by_key["before"][0]),
            "since" not in by_key or c.created > created_order(by_key["since"][0]),
            # one test for both: a container passes with one port in either set
            ("publish" not in by_key and "expose" not in by_key)
            or any(p in published for v in by_key.get("publish", []) for p in _port_filter(v))
            or any(p in exposed for v in by_key.get("expose", []) for p in _port_filter(v)),
            any_of("volume", lambda v: any(v in (m["Destination"], m.get("Name") or m["Source"])
                                           for m in mounts)),
            any_of("health", lambda v: v == "none"),
            any_of("is-task", lambda v: v == "false"),
        ]
        return all(checks)

    def _render_rows(self, fmt: str, rows, out: Output, headers: dict) -> None:
        """formatter ``Context.Write``: every row into a buffer (an error
        prints nothing), then the table's header, whose own errors are
        ignored (what it printed before the error stays)."""
        is_table, body = gt.preformat(fmt)
        try:
            tmpl = gt.parse(body)
        except gt.TemplateError as err:
            raise CommandFailed(f"template parsing error: {err}\n")
        lines = []
        for r in rows:
            try:
                lines.append(tmpl.execute(r))
            except gt.TemplateError as err:
                raise CommandFailed(f"template parsing error: {err}\n")
        if is_table:
            try:
                header = gt.parse(body, funcs=gt.header_funcs()).execute(gt.SubHeaderContext(headers))
            except gt.TemplateError as err:
                header = err.output
            lines.insert(0, header)
        text = "".join(line + "\n" for line in lines)
        if is_table:
            text = tabwrite([line.split("\t") for line in text.splitlines()])
        out.stdout += text

    # -- port / logs / inspect ---------------------------------------------------
    def cmd_port(self, inv, out: Output) -> None:
        ref, *rest = inv.args
        try:
            c = self.d.container_find(ref)
        except NetsimError as err:
            raise CommandFailed(f"Error: {err}\n")
        mapped = c.ports_mapped if c.running else {}
        if rest:
            # strings.SplitN(port, "/", 2): a protocol only when something follows the slash
            port, _, proto = rest[0].partition("/")
            if not proto:
                port = rest[0]
            spec = f"{port}/{proto or 'tcp'}"
            error = port_range_error(port)     # nat.NewPort: the CLI's own check
            if error:
                raise CommandFailed(error + "\n")
            # nat.NewPort: the key looked up is the parsed number(s), "080" is 80
            numbers = [str(int(n)) for n in port.split("-")[:2]] if port else ["0"]
            key = ("-".join(numbers) if len(numbers) == 2 and numbers[0] != numbers[1]
                   else numbers[0]) + "/" + (proto or "tcp")
            if key not in mapped:
                raise CommandFailed(f"Error: No public port '{spec}' published for {ref}\n")
            for ip, p in mapped[key]:
                out.stdout += f"{ip}:{p}\n"
            return
        for spec in sorted(mapped, key=lambda s: (int(s.split("/")[0]), s)):
            for ip, p in mapped[spec]:
                out.stdout += f"{spec} -> {ip}:{p}\n"

    def cmd_logs(self, inv, out: Output) -> None:
        try:
            c = self.d.container_find(inv.args[0])
        except NetsimError as err:
            raise CommandFailed(f"Error: {err}\n")
        # the json-file driver keeps one record per line of each stream: a
        # line written in pieces is one record once its newline (or the
        # container's exit) comes; --tail counts records
        lines, pending = [], {}
        for stream, text in c.log:
            *complete, rest = (pending.pop(stream, "") + text).split("\n")
            lines += [(stream, piece + "\n") for piece in complete]
            if rest:
                pending[stream] = rest
        if not c.running:
            lines += [(stream, piece) for stream, piece in pending.items()]
        tail = str(inv.options.get("tail", "all"))
        try:
            count = go_atoi(tail)           # strconv.Atoi; "all" or a negative number: every record
        except ValueError:
            count = -1
        if count >= 0:
            lines = lines[len(lines) - count:] if count else []
        if inv.options.get("details"):
            lines = [(stream, " " + line) for stream, line in lines]   # no log attributes: just the space
        for stream, line in lines:
            if stream == "stdout":
                out.stdout += line
            else:
                out.stderr += line

    INSPECT_TYPES = ("config", "container", "image", "network", "node", "plugin", "secret",
                     "service", "task", "volume")

    def cmd_inspect(self, inv, out: Output) -> None:
        kind = inv.options.get("type") or ""
        if kind and kind not in self.INSPECT_TYPES:
            raise CommandFailed(f"{go_quote(kind)} is not a valid value for --type\n")
        size = bool(inv.options.get("size"))
        self._inspect(inv, out, lambda ref: self._find_any(ref, kind, size, out))

    def cmd_container_inspect(self, inv, out: Output) -> None:
        size = bool(inv.options.get("size"))
        self._inspect(inv, out, lambda ref: container_json(self.d, self.d.container_find(ref), size),
                      missing="No such container: {ref}")

    def _find_any(self, ref: str, kind: str, inv_size: bool = False, out: Output | None = None):
        """``docker inspect`` (inspectAll): container, image, network, then
        volume (``--type`` narrows); ``--size`` is for containers only."""
        def found(doc, what: str):
            if inv_size and what != "container" and out is not None:
                out.stderr += f"WARNING: --size ignored for {what}\n"
            return doc

        if kind in ("", "container"):
            try:
                return container_json(self.d, self.d.container_find(ref), size=bool(inv_size))
            except NotFound:
                pass
        if kind in ("", "image"):
            image = self.d.storage.find_image(ref)
            if image is not None:
                return found(self._image_json(image), "image")
        if kind in ("", "network"):
            try:
                return found(network_json(self.d, self.d.network_find(ref)), "network")
            except NotFound:
                pass
        if kind in ("", "volume"):
            volume = self.d.storage.volumes.volumes.get(ref)
            if volume is not None:
                return found(self._volume_json(volume), "volume")
        raise NotFound(f"No such {kind or 'object'}: {ref}")

    def _inspect(self, inv, out: Output, find, missing: str | None = None, raw: bool = True) -> None:
        """docker/cli ``inspect.Inspect``: every reference in turn, errors
        collected; a template that printed nothing still prints a newline."""
        fmt = inv.options.get("format") or ""
        docs, errors, text = [], [], ""
        if fmt:
            try:                            # NewTemplateInspectorFromString: before any lookup
                gt.parse(fmt)
            except gt.TemplateError as err:
                raise CommandFailed(f"template parsing error: {err}\n", 64)
        for ref in inv.args:
            try:
                doc = find(ref)
            except NotFound as err:
                errors.append("Error: " + (missing.format(ref=ref) if missing else str(err)))
                continue
            if not fmt:
                docs.append(doc)
                continue
            try:
                text += gt.inspect_format(fmt, doc) if raw else gt.inspect_format(fmt, doc, None)
            except gt.TemplateError as err:
                if err.kind == "parse":     # inspect.Inspect: a StatusError with code 64
                    raise CommandFailed("template parsing error: "
                                        + str(err).removeprefix("Template parsing error: ") + "\n", 64)
                errors.append("template parsing error: " + str(err).removeprefix("Template parsing error: "))
        if fmt:
            out.stdout += text or "\n"
        else:
            out.stdout += dump(docs) + "\n"
        if errors:
            out.stderr += "\n".join(errors) + "\n"
            out.exit_code = 1

    # -- networks ---------------------------------------------------------------
    def cmd_network_create(self, inv, out: Output) -> None:
        o = inv.options
        name = inv.args[0]
        subnets, gateways, ranges = o.get("subnet") or [], o.get("gateway") or [], o.get("ip_range") or []
        problem = consolidate_ipam(subnets, ranges, gateways, o.get("aux_address") or {})
        if problem:
            raise CommandFailed(problem + "\n")
        try:
            net = self.d.network_create(
                name, driver=o.get("driver") or "bridge", subnet=subnets[0] if subnets else None,
                gateway=gateways[0] if gateways else None, ip_range=ranges[0] if ranges else None,
                internal=bool(o.get("internal")), attachable=bool(o.get("attachable")),
                options=o.get("opt") or {}, labels=self._labels(o.get("label") or []),
                aux_addresses=o.get("aux_address") or {}, ipv6=bool(o.get("ipv6")),
                ipam_driver=o.get("ipam_driver") or "default", ipam_options=o.get("ipam_opt") or {})
        except NetsimError as err:
            raise CommandFailed(self._daemon_error(err))
        out.stdout += net.id + "\n"

    NETWORK_FILTERS = ("name", "driver", "id", "type", "label", "scope", "dangling")

    def cmd_network_ls(self, inv, out: Output) -> None:
        """daemon ``network.FilterNetworks``: keys AND, values of one key OR
        (``name``/``id`` are regular expressions, ``label`` values all must match)."""
        o = inv.options
        nets = sorted(self.d.networks.values(), key=lambda n: natural_key(n.name))
        by_key: dict[str, list[str]] = {}
        for f in o.get("filter") or []:
            key, _, value = f.partition("=")
            if key not in self.NETWORK_FILTERS:
                raise CommandFailed(f"Error response from daemon: Invalid filter '{key}'\n")
            by_key.setdefault(key, []).append(value)

        def keep(n) -> bool:
            def any_of(key, test):
                return key not in by_key or any(test(v) for v in by_key[key])
            return all([
                any_of("driver", lambda v: n.driver == v),
                any_of("name", lambda v: _regex_match(v, n.name)),
                any_of("id", lambda v: _regex_match(v, n.id)),
                "label" not in by_key or all(
                    k in n.labels and (not eq or n.labels[k] == val)
                    for k, eq, val in (v.partition("=") for v in by_key["label"])),
                any_of("scope", lambda v: v == "local"),
            ])

        nets = [n for n in nets if keep(n)]
        dangling = by_key.get("dangling")
        if dangling:
            if len(dangling) > 1:
                raise CommandFailed('Error response from daemon: got more than one value for filter key "dangling"\n')
            if dangling[0] not in ("0", "false", "1", "true"):
                raise CommandFailed("Error response from daemon: invalid value for filter 'dangling', "
                                    'must be "true" (or "1"), or "false" (or "0")\n')
            only = dangling[0] in ("1", "true")
            # the list API leaves Containers empty: every custom network is dangling
            nets = [n for n in nets if (not n.predefined) == only]
        if "type" in by_key:
            typed = []
            for v in sorted(by_key["type"]):       # WalkValues: map order (random in Go)
                if v not in ("builtin", "custom"):
                    raise CommandFailed(f"Error response from daemon: invalid filter: 'type'='{v}'\n")
                typed += [n for n in nets if n.predefined == (v == "builtin")]
            nets = sorted(typed, key=lambda n: natural_key(n.name))     # the CLI sorts the list
        rows = [NetRow(n, self.d, not o.get("no_trunc")) for n in nets]
        # network.NewFormat: -q replaces the table and raw formats, not a custom one
        fmt = o.get("format") or "table"
        if fmt == "table":
            fmt = "{{.ID}}" if o.get("quiet") else "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}"
        elif fmt == "raw":
            fmt = ("network_id: {{.ID}}" if o.get("quiet") else
                   "network_id: {{.ID}}\nname: {{.Name}}\ndriver: {{.Driver}}\nscope: {{.Scope}}\n")
        self._render_rows(fmt, rows, out, NetRow.HEADERS)

    def cmd_network_inspect(self, inv, out: Output) -> None:
        self._inspect(inv, out, lambda ref: network_json(self.d, self.d.network_find(ref)),
                      missing="No such network: {ref}")

    def cmd_network_rm(self, inv, out: Output) -> None:
        for ref in inv.args:
            try:
                self.d.network_remove(ref)
                out.stdout += ref + "\n"
            except NotFound:
                out.stderr += f"Error: No such network: {ref}\n"
                out.exit_code = 1
            except NetsimError as err:
                out.stderr += self._daemon_error(err)
                out.exit_code = 1

    def cmd_network_prune(self, inv, out: Output) -> None:
        if not inv.options.get("force"):
            out.stdout += ("WARNING! This will remove all custom networks not used by at least one container.\n"
                           "Are you sure you want to continue? [y/N] ")
            return
        removed = self.d.network_prune()
        if removed:
            out.stdout += "Deleted Networks:\n" + "".join(n.name + "\n" for n in removed) + "\n"

    def cmd_network_connect(self, inv, out: Output) -> None:
        o = inv.options
        net, ref = inv.args
        try:
            self.d.network_connect(net, ref, ip=o.get("ip") or None, aliases=o.get("alias") or [],
                                   links=o.get("link") or [])
        except NetsimError as err:
            raise CommandFailed(self._daemon_error(err))

    def cmd_network_disconnect(self, inv, out: Output) -> None:
        net, ref = inv.args
        try:
            self.d.network_disconnect(net, ref, force=bool(inv.options.get("force")))
        except NetsimError as err:
            raise CommandFailed(self._daemon_error(err))

    # -- misc -------------------------------------------------------------------
    def cmd_version(self, inv, out: Output) -> None:
        v = self.d.host.engine_version
        out.stdout += (f"Client:\n Version:           {v}\n API version:       1.41\n"
                       f"Server:\n Engine:\n  Version:          {v}\n  API version:      1.41 (minimum version 1.12)\n")

    def cmd_images(self, inv, out: Output) -> None:
        st = self.d.storage
        rows = [["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"]]
        for img in st.all_images():
            created = st.created.get(img.id)
            age = "2 years ago" if created is None else human_duration(self.d.sched.now - created) + " ago"
            repo, tag = (img.name, "latest") if img.name != "<none>" else ("<none>", "<none>")
            rows.append([repo, tag, img.id[7:19], age, human_size(st.image_size(img))])
        out.stdout += tabwrite(rows)


def go_atoi(text: str) -> int:
    """strconv.Atoi: an optional sign and decimal digits (ValueError otherwise)."""
    digits = text[1:] if text[:1] in "+-" else text
    if not digits or not digits.isdigit() or not digits.isascii():
        raise ValueError(text)
    return int(text)


def port_range_error(port: str) -> str:
    """go-connections ``nat.ParsePortRange``'s error for ``port`` ("" when valid)."""
    def parse(text: str) -> tuple[int | None, str]:
        if not text.isdigit() or not text.isascii():
            return None, f'strconv.ParseUint: parsing "{text}": invalid syntax'
        if int(text) > 65535:
            return None, f'strconv.ParseUint: parsing "{text}": value out of range'
        return int(text), ""
    if not port:
        return ""                       # ParsePortRangeToInt: no port is port 0
    if "-" not in port:
        return parse(port)[1]
    first, rest = port.split("-", 1)
    start, error = parse(first)
    if error:
        return error
    end, error = parse(rest.split("-")[0])
    if error:
        return error
    if end < start:
        return f"Invalid range specified for the Port: {port}"
    return ""


def _api_ports(c) -> list[tuple[int, str, str, int]]:
    """The API's ``Container.Ports`` (private, type, ip, public) for ``docker ps``:
    NetworkSettings.Ports of a running container (bridge and user networks
    only); a binding without a host IP is on ``0.0.0.0`` and ``::``."""
    if not c.running or c.mode not in ("bridge", "user"):
        return []
    out = []
    for spec in c.exposed:
        port, _, proto = spec.partition("/")
        binds = c.ports_mapped.get(spec) or []
        if not binds:
            out.append((int(port), proto, "", 0))
        for ip, hp in binds:
            out.append((int(port), proto, ip, int(hp)))
    return out


def consolidate_ipam(subnets, ranges, gateways, aux: dict | None = None) -> str:
    """docker/cli ``consolidateIpam``: the CLI's own checks of --subnet,
    --ip-range and --gateway; returns the error text or ""."""
    if len(subnets) < len(ranges) or len(subnets) < len(gateways):
        return "every ip-range or gateway must have a corresponding subnet"

    def network(text):
        try:
            return ipaddress.ip_network(text, strict=False)
        except ValueError:
            return None

    def matches(subnet, data):
        s = network(subnet)
        if s is None:
            raise ValueError(f"invalid subnet: invalid CIDR address: {subnet}")
        addr = data.split("/")[0]
        try:
            return ipaddress.ip_address(addr) in s
        except ValueError:
            return False

    try:
        seen = []
        for s in subnets:
            for k in seen:
                if matches(s, k) or matches(k, s):
                    return "multiple overlapping subnet configuration is not supported"
            seen.append(s)
        for kind, items in (("range", ranges), ("gateway", gateways),
                            ("aux-address", list((aux or {}).values()))):
            for item in items:
                if not any(matches(s, item) for s in subnets):
                    return f"no matching subnet for {kind} {item}"
    except ValueError as err:
        return str(err)
    return ""


def _regex_match(pattern: str, text: str) -> bool:
    """filters ``Args.Match``: equal, or the value as a regular expression found in the text."""
    if pattern == text:
        return True
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return False


def _port_filter(value: str, key: str = "publish") -> list[str]:
    """daemon ``portOp``: a ``publish``/``expose`` filter value
    (``port[/proto]`` or ``start-end[/proto]``) as its ``port/proto`` keys."""
    def fail(why: str):
        raise CommandFailed(f"Error response from daemon: error while looking up for {key} {value}: {why}\n")

    if ":" in value:
        raise CommandFailed(f"Error response from daemon: filter for '{key}' should not contain ':': {value}\n")
    parts = value.split("/")                       # nat.SplitProtoPort
    if not value or not parts[0]:
        proto, port = "", ""
    elif len(parts) == 1 or not parts[1]:
        proto, port = "tcp", parts[0]
    else:
        proto, port = parts[1], parts[0]
    if not port:
        fail("Empty string specified for ports.")

    def parse_uint(text: str) -> int:
        if not text.isdigit() or not text.isascii():
            fail(f"strconv.ParseUint: parsing {go_quote(text)}: invalid syntax")
        if int(text) > 65535:
            fail(f"strconv.ParseUint: parsing {go_quote(text)}: value out of range")
        return int(text)

    if "-" not in port:
        start = end = parse_uint(port)
    else:
        pieces = port.split("-")
        start, end = parse_uint(pieces[0]), parse_uint(pieces[1])
        if end < start:
            fail(f"Invalid range specified for the Port: {port}")
    return [f"{p}/{proto}" for p in range(start, end + 1)]


def natural_key(text: str):
    """fvbommel/sortorder ``NaturalLess``: digit runs compare as numbers."""
    return [(0, int(part), part) if part.isdigit() else (1, 0, part)
            for part in re.findall(r"\d+|\D+", text)]


def _user_defined(mode: str) -> bool:
    """container.NetworkMode.IsUserDefined."""
    return mode not in ("default", "bridge", "host", "none") and not mode.startswith("container:")


def _port_range(text: str):
    """go-connections ``ParsePortRange`` (16-bit ports); None when invalid."""
    lo, sep, hi = text.partition("-")
    try:
        start = int(lo, 10) if lo.isdigit() else None
        end = int(hi, 10) if sep and hi.isdigit() else (start if not sep else None)
    except ValueError:
        return None
    if start is None or end is None or start > 65535 or end > 65535 or end < start:
        return None
    return start, end


class PsRow:
    go_type = "*formatter.ContainerContext"
    HEADERS = {"ID": "CONTAINER ID", "Image": "IMAGE", "Command": "COMMAND", "CreatedAt": "CREATED AT",
               "RunningFor": "CREATED", "Status": "STATUS", "Ports": "PORTS", "Names": "NAMES",
               "Labels": "LABELS", "Networks": "NETWORKS", "State": "STATE", "Size": "SIZE",
               "Mounts": "MOUNTS", "LocalVolumes": "LOCAL VOLUMES"}

    def __init__(self, c, status: str, created: str, ports: str, daemon=None):
        self.c, self.Status, self._created, self.Ports = c, status, created, ports
        self.d = daemon
        self.trunc = True

    @property
    def ID(self):
        return self.c.id[:12] if self.trunc else self.c.id

    @property
    def Image(self):
        return self.c.image_ref

    @property
    def Command(self):
        # daemon list.go: path, then the arguments, one holding a space in single quotes
        argv = self.c.argv
        cmd = (argv[0] + " " + " ".join(f"'{a}'" if " " in a else a for a in argv[1:])
               if len(argv) > 1 else (argv[0] if argv else ""))
        return go_quote(ellipsis(cmd, 20) if self.trunc else cmd)

    @property
    def RunningFor(self):
        return self._created

    @property
    def CreatedAt(self):
        from .views import go_time_string
        return go_time_string(self.d, self.c.created).split(".")[0].removesuffix(" +0000 UTC") + " +0000 UTC"

    @property
    def Size(self):
        rw = self.c.fs.root.size_rw()
        return f"{human_size(rw)} (virtual {human_size(self.c.image.size + rw)})"

    @property
    def Mounts(self):
        names = [m.get("Name") or m["Source"] for m in self.d.storage.mounts_json(self.c)]
        return ",".join(ellipsis(n, 15) if self.trunc else n for n in names)

    @property
    def LocalVolumes(self):
        return str(sum(m.get("Driver") == "local" for m in self.d.storage.mounts_json(self.c)))

    def __gojson__(self):
        """formatter.MarshalJSON: every field, keys sorted."""
        return {k: getattr(self, k) for k in sorted(self.HEADERS)}

    @property
    def Names(self):
        """The container's names: its own and the legacy links' ``/other/alias``
        (the daemon's name index, sorted); truncated: the first without a slash."""
        names = ["/" + self.c.name]
        for other in self.d.containers.values():
            for link in other.links:
                target, _, alias = link.partition(":")
                try:
                    found = self.d.container_find(target)
                except NetsimError:
                    continue
                if found is self.c:
                    names.append(f"/{other.name}/{alias or found.name}")
        names = [n[1:] for n in sorted(names)]
        if self.trunc:
            names = next(([n] for n in names if "/" not in n), names)
        return ",".join(names)

    @property
    def State(self):
        return "paused" if self.c.state.paused else self.c.state.status

    @property
    def Networks(self):
        # NetworkSettings.Networks: kept while the container is stopped
        # (a Go map: docker joins it in iteration order; netsim sorts)
        from .views import network_settings
        return ",".join(sorted(network_settings(self.d, self.c)["Networks"]))

    @property
    def Labels(self):
        return ",".join(f"{k}={v}" for k, v in sorted(self.c.labels.items()))

    def Label(self, name):
        return self.c.labels.get(name, "")


class _ZeroPsRow(PsRow):
    """formatter.NewContainerContext(): a ContainerContext of no container."""
    ID = Names = Status = State = Ports = Labels = Mounts = Networks = CreatedAt = ""
    Image = "<no image>"
    Command = '""'
    RunningFor = "<no time> ago"
    Size = "0B"
    LocalVolumes = "0"

    def __init__(self):
        self.trunc = False

    def Label(self, name):
        return ""


class NetRow:
    go_type = "*network.networkContext"
    HEADERS = {"ID": "NETWORK ID", "Name": "NAME", "Driver": "DRIVER", "Scope": "SCOPE",
               "IPv6": "IPV6", "Internal": "INTERNAL", "Labels": "LABELS", "CreatedAt": "CREATED AT"}

    def __init__(self, net, daemon, trunc: bool):
        self.n, self.d, self.trunc = net, daemon, trunc

    @property
    def ID(self):
        return self.n.id[:12] if self.trunc else self.n.id

    @property
    def Name(self):
        return self.n.name

    @property
    def Driver(self):
        return self.n.driver

    Scope = "local"

    @property
    def IPv6(self):
        return "true" if self.n.enable_ipv6 else "false"

    @property
    def Internal(self):
        return "true" if self.n.internal else "false"

    @property
    def Labels(self):
        return ",".join(f"{k}={v}" for k, v in sorted(self.n.labels.items()))

    def Label(self, name):
        return self.n.labels.get(name, "")

    @property
    def CreatedAt(self):
        from .views import go_time_string
        return go_time_string(self.d, self.n.created)

    def __gojson__(self):
        """formatter.MarshalJSON: every field, keys sorted."""
        return {k: getattr(self, k) for k in sorted(self.HEADERS)}
