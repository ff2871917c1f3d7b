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
from .formatting import ellipsis, go_quote, human_duration, ports_column, tabwrite
from .parser import UsageError, parse
from .storage_cmds import StorageCommands
from .views import container_json, dump, network_json

EXEC_LIMIT = 3600.0     # simulated seconds a foreground program may run


@dataclass
class Output:
    stdout: str = ""
    stderr: str = ""
    exit_code: int = 0


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
        fail = lambda msg: CommandFailed(f"docker: {msg}.\nSee 'docker {cmd} --help'.\n", 125)
        networks = o.get("network") or []
        mode = networks[0] if networks else "default"
        if len(networks) > 1:
            raise fail("Error response from daemon: Container cannot be connected to network endpoints: "
                       + ", ".join(networks))
        bindings = []
        for spec in o.get("publish") or []:
            bindings += self._parse_publish(spec, fail)
        exposed = [self._expose(e, fail) for e in o.get("expose") or []]
        mac = o.get("mac_address") or ""
        if mac and not re.fullmatch(r"([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}", mac):
            raise fail(f"{mac} is not a valid mac address")
        ip = o.get("ip") or None
        if ip:
            try:
                ipaddress.IPv4Address(ip)
            except ValueError:
                raise fail(f"Error response from daemon: invalid IPv4 address: {ip}")
        links = list(o.get("link") or [])
        if mode == "host" and links:
            raise fail("Error response from daemon: conflicting options: host type networking can't be used with links. This would result in undefined behavior")
        if mode.startswith("container:") and bindings:
            raise fail("Error response from daemon: conflicting options: port publishing and the container type network mode")
        if mode.startswith("container:") and (o.get("hostname") or "").strip():
            raise fail("Error response from daemon: conflicting options: hostname and the network mode")
        for dns in o.get("dns") or []:
            if dns.startswith("127."):
                out.stderr += f"WARNING: Localhost DNS setting (--dns={dns}) may fail in containers.\n"
        if mode == "host" and (bindings or o.get("publish_all")):
            out.stderr += "WARNING: Published ports are discarded when using host network mode\n"
            bindings = []
        req = NetworkRequest(ip=ip, aliases=list(o.get("network_alias") or []))
        nets = {}
        if mode not in ("default", "host", "none") and not mode.startswith("container:"):
            nets[mode] = req
        elif mode in ("default", "bridge"):
            nets["bridge"] = req
        for link in links:
            target = link.split(":")[0]
            try:
                t = self.d.container_find(target)
            except NotFound:
                raise fail(f"Error response from daemon: could not get container for {target}")
            if t.mode != "bridge" or mode not in ("default", "bridge"):
                if mode in ("default", "bridge"):
                    raise fail(f"Error response from daemon: Cannot link to /{t.name}, as it does not belong to the default network")
                nets[mode].links.append(link if ":" in link else f"{link}:{link}")
        if mode not in ("default", "bridge"):
            links_hostcfg = [] if mode in ("host", "none") or mode.startswith("container:") else []
        else:
            links_hostcfg = links
        env = list(o.get("env") or [])
        try:
            c = self.d.container_create(
                image, image_ref, command or None, name=o.get("name") or None,
                entrypoint=[o["entrypoint"]] if o.get("entrypoint") else None,
                hostname=o.get("hostname") or None, domainname=o.get("domainname") or "",
                env=env, labels=self._labels(o.get("label") or []), exposed=exposed,
                tty=bool(o.get("tty")), open_stdin=bool(o.get("interactive")),
                network_mode="default" if mode == "default" else mode, networks=nets,
                port_bindings=bindings, publish_all=bool(o.get("publish_all")),
                links=links_hostcfg, dns=list(o.get("dns") or []),
                dns_search=list(o.get("dns_search") or []),
                dns_options=list(o.get("dns_option") or []),
                extra_hosts=list(o.get("add_host") or []), mac_address=mac,
                auto_remove=bool(o.get("rm")), restart_policy=(o.get("restart") or "no"),
                mounts=self._mount_specs(o, fail), attach=not o.get("detach"))
        except NetsimError as err:
            if cmd == "create":
                raise CommandFailed(self._daemon_error(err), 1)
            raise fail(f"Error response from daemon: {err}")
        return c

    @staticmethod
    def _labels(items):
        labels = {}
        for item in items:
            k, _, v = item.partition("=")
            labels[k] = v
        return labels

    @staticmethod
    def _expose(spec: str, fail) -> str:
        port, _, proto = spec.partition("/")
        if not port.isdigit():
            raise fail(f"invalid range format for --expose: {spec}, error: strconv.ParseUint: parsing {go_quote(port)}: invalid syntax")
        return f"{int(port)}/{proto or 'tcp'}"

    @staticmethod
    def _parse_publish(spec: str, fail) -> list[PortBinding]:
        body, _, proto = spec.partition("/")
        proto = proto or "tcp"
        parts = body.rsplit(":", 2) if body.count(":") <= 2 else None
        if parts is None:
            raise fail(f"Invalid containerPort: {spec}")
        host_ip = host_port = ""
        if len(parts) == 3:
            host_ip, host_port, cport = parts
        elif len(parts) == 2:
            host_port, cport = parts
        else:
            cport = parts[0]
        if not cport.isdigit():
            raise fail(f"Invalid containerPort: {cport}" if cport else f"No port specified: {spec}<empty>")
        if host_port and not host_port.isdigit():
            raise fail(f"Invalid hostPort: {host_port}")
        return [PortBinding(int(cport), proto, host_ip, host_port)]

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
            msg = f"docker: Error response from daemon: {err}.\n"
            if not detach:
                msg += ('time="{}" level=error msg="error waiting for container: context canceled"\n'
                        .format(self._log_time()))
            if c.auto_remove:
                self.d.container_remove(c.id, force=True)
            raise CommandFailed(msg, err.exit_code)
        except NetsimError as err:
            if c.auto_remove:
                self.d.container_remove(c.id, force=True)
            raise CommandFailed(f"docker: Error response from daemon: {err}.\n", 125)
        self.d.sched.run(until=self.d.sched.now + 0.05)
        if detach:
            return
        if c.tty and c.open_stdin:
            return     # an interactive session: the user detaches (Ctrl-P Ctrl-Q) and the container runs on
        self._wait_foreground(c, out)

    def _log_time(self) -> str:
        from .views import timestamp
        return timestamp(self.d, self.d.sched.now).split(".")[0].rstrip("Z") + "Z"

    def _wait_foreground(self, c, out: Output) -> None:
        process = c.process
        if process is not None:
            self.d.sched.run(until=process, limit=self.d.sched.now + EXEC_LIMIT)
            if not process.triggered:
                self.d._kill(c, 9)
        for stream, text in c.log:
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
        self._each(inv, out, self.d.container_start, "start")

    def cmd_stop(self, inv, out: Output) -> None:
        t = inv.options.get("time", 10)
        self._each(inv, out, lambda ref: self.d.container_stop(ref, t))

    def cmd_restart(self, inv, out: Output) -> None:
        t = inv.options.get("time", 10)
        self._each(inv, out, lambda ref: self.d.container_restart(ref, t))

    def cmd_kill(self, inv, out: Output) -> None:
        self._each(inv, out, self.d.container_kill)

    def cmd_rm(self, inv, out: Output) -> None:
        force = bool(inv.options.get("force"))
        for ref in inv.args:
            try:
                self.d.container_remove(ref, force=force)
                out.stdout += ref + "\n"
            except NotFound as err:
                out.stderr += f"Error: {err}\n"
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
            proc, process = self.d.container_exec(ref, argv, env=inv.options.get("env"))
        except NotFound as err:
            raise CommandFailed(f"Error: {err}\n")
        except StartError as err:
            raise CommandFailed("", err.exit_code, stdout=f"{err}\n")
        except NetsimError as err:
            raise CommandFailed(self._daemon_error(err))
        if inv.options.get("detach"):
            self.d.sched.run(until=self.d.sched.now + 0.05)
            return
        self.d.sched.run(until=process, limit=self.d.sched.now + EXEC_LIMIT)
        if not process.triggered:
            process.kill()
        out.stdout += proc.output
        out.stderr += proc.errors
        out.exit_code = process.value if isinstance(process.value, int) else 0

    # -- ps -------------------------------------------------------------------
    def _ps_row(self, c):
        now = self.d.sched.now
        st = c.state
        if st.status == "running":
            status = "Up " + human_duration(now - st.started_at)
        elif st.status == "exited":
            status = f"Exited ({st.exit_code}) {human_duration(now - st.finished_at)} ago"
        else:
            status = "Created"
        return PsRow(c, status, human_duration(now - c.created) + " ago",
                     ports_column(c.ports_mapped if c.running else {}, c.exposed if c.running else []))

    def cmd_ps(self, inv, out: Output) -> None:
        o = inv.options
        rows = [self._ps_row(c) for c in sorted(self.d.containers.values(), key=lambda c: -c.created)
                if o.get("all") or c.running]
        rows = [r for r in rows if self._ps_filter(r.c, o.get("filter") or [])]
        if o.get("latest"):
            rows = rows[:1]
        if o.get("last", -1) and o.get("last", -1) > 0:
            rows = rows[: o["last"]]
        if o.get("quiet"):
            out.stdout += "".join(r.c.id[:12] + "\n" if not o.get("no_trunc") else r.c.id + "\n" for r in rows)
            return
        fmt = o.get("format") or "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.CreatedAt}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}"
        for r in rows:
            r.trunc = not o.get("no_trunc")
        self._render_rows(fmt, rows, out, PsRow.HEADERS)

    def _ps_filter(self, c, filters) -> bool:
        for f in filters:
            key, _, value = f.partition("=")
            if key == "name" and value not in c.name:
                return False
            if key == "status" and c.state.status != value:
                return False
            if key == "network" and value not in c.networks:
                return False
            if key == "id" and not c.id.startswith(value):
                return False
        return True

    def _render_rows(self, fmt: str, rows, out: Output, headers: dict) -> None:
        is_table, body = gt.preformat(fmt)
        try:
            tmpl = gt.parse(body)
        except gt.TemplateError as err:
            raise CommandFailed(f"{err}\n", 64 if False else 1)
        lines = []
        if is_table:
            lines.append(tmpl.execute(headers))
        for r in rows:
            lines.append(tmpl.execute(r))
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
            spec = rest[0] if "/" in rest[0] else rest[0] + "/tcp"
            if spec not in mapped:
                raise CommandFailed(f"Error: No public port '{spec}' published for {ref}\n")
            for ip, p in mapped[spec]:
                out.stdout += f"{ip}:{p}\n" + (f":::{p}\n" if ip == "0.0.0.0" else "")
            return
        for spec in sorted(mapped, key=lambda s: (int(s.split("/")[0]), s)):
            for ip, p in mapped[spec]:
                out.stdout += f"{spec} -> {ip}:{p}\n" + (f"{spec} -> :::{p}\n" if ip == "0.0.0.0" else "")

    def cmd_logs(self, inv, out: Output) -> None:
        try:
            c = self.d.container_find(inv.args[0])
        except NetsimError as err:
            raise CommandFailed(f"Error: {err}\n")
        for stream, text in c.log:
            if stream == "stdout":
                out.stdout += text
            else:
                out.stderr += text

    def cmd_inspect(self, inv, out: Output) -> None:
        kind = inv.options.get("type") or ""
        self._inspect(inv, out, lambda ref: self._find_any(ref, kind))

    def cmd_container_inspect(self, inv, out: Output) -> None:
        self._inspect(inv, out, lambda ref: container_json(self.d, self.d.container_find(ref)),
                      missing="No such container: {ref}")

    def _find_any(self, ref: str, kind: str):
        if kind in ("", "container"):
            try:
                return container_json(self.d, self.d.container_find(ref))
            except NotFound:
                pass
        if kind in ("", "network"):
            try:
                return network_json(self.d, self.d.network_find(ref))
            except NotFound:
                pass
        raise NotFound(f"No such object: {ref}")

    def _inspect(self, inv, out: Output, find, missing: str | None = None) -> None:
        docs, errors = [], []
        for ref in inv.args:
            try:
                docs.append(find(ref))
            except NotFound as err:
                errors.append(missing.format(ref=ref) if missing else str(err))
        fmt = inv.options.get("format") or ""
        if fmt:
            for doc in docs:
                try:
                    out.stdout += gt.inspect_format(fmt, doc)
                except gt.TemplateError as err:
                    raise CommandFailed(f"Template parsing error: {err}\n")
        else:
            out.stdout += dump(docs) + "\n"
        if errors:
            out.stderr += "".join(f"Error: {e}\n" for e in errors)
            out.exit_code = 1

    # -- networks ---------------------------------------------------------------
    def cmd_network_create(self, inv, out: Output) -> None:
        o = inv.options
        name = inv.args[0]
        subnets, gateways, ranges = o.get("subnet") or [], o.get("gateway") or [], o.get("ip_range") or []
        try:
            for s in subnets:
                self._check_cidr(s)
            net = self.d.network_create(
                name, driver=o.get("driver") or "bridge", subnet=subnets[0] if subnets else None,
                gateway=gateways[0] if gateways else None, ip_range=ranges[0] if ranges else None,
                internal=bool(o.get("internal")), attachable=bool(o.get("attachable")),
                options=o.get("opt") or {}, labels=self._labels(o.get("label") or []),
                aux_addresses=o.get("aux_address") or {}, ipv6=bool(o.get("ipv6")))
        except NetsimError as err:
            raise CommandFailed(self._daemon_error(err))
        out.stdout += net.id + "\n"

    @staticmethod
    def _check_cidr(s: str) -> None:
        from ...errors import InvalidParameter
        try:
            ipaddress.IPv4Network(s, strict=False)
        except ValueError:
            raise InvalidParameter(f"invalid CIDR address: {s}")

    def cmd_network_ls(self, inv, out: Output) -> None:
        o = inv.options
        nets = sorted(self.d.networks.values(), key=lambda n: n.name)
        for f in o.get("filter") or []:
            key, _, value = f.partition("=")
            if key == "name":
                nets = [n for n in nets if value in n.name]
            elif key == "driver":
                nets = [n for n in nets if n.driver == value]
            elif key == "id":
                nets = [n for n in nets if n.id.startswith(value)]
            elif key == "type":
                nets = [n for n in nets if n.predefined == (value == "builtin")]
        rows = [NetRow(n, self.d, not o.get("no_trunc")) for n in nets]
        if o.get("quiet"):
            out.stdout += "".join(r.ID + "\n" for r in rows)
            return
        fmt = o.get("format") or "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}"
        self._render_rows(fmt, rows, out, NetRow.HEADERS)

    def cmd_network_inspect(self, inv, out: Output) -> None:
        docs, errors = [], []
        for ref in inv.args:
            try:
                docs.append(network_json(self.d, self.d.network_find(ref)))
            except NotFound as err:
                errors.append(f"Error: No such network: {ref}")
        fmt = inv.options.get("format") or ""
        if fmt:
            for doc in docs:
                out.stdout += gt.inspect_format(fmt, doc)
        else:
            out.stdout += dump(docs) + "\n"
        if errors:
            out.stderr += "".join(e + "\n" for e in errors)
            out.exit_code = 1

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
        rows = [["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"]]
        for name, img in sorted(images.CATALOGUE.items()):
            rows.append([name, "latest", img.id[7:19], "2 years ago", f"{img.size / 1e6:.3g}MB"])
        out.stdout += tabwrite(rows)


class PsRow:
    HEADERS = {"ID": "CONTAINER ID", "Image": "IMAGE", "Command": "COMMAND", "CreatedAt": "CREATED",
               "RunningFor": "CREATED", "Status": "STATUS", "Ports": "PORTS", "Names": "NAMES",
               "Labels": "LABELS", "Networks": "NETWORKS", "State": "STATE", "Size": "SIZE",
               "Mounts": "MOUNTS", "LocalVolumes": "LOCAL VOLUMES"}

    def __init__(self, c, status: str, created: str, ports: str):
        self.c, self.Status, self._created, self.Ports = c, status, created, ports
        self.trunc = True

    @property
    def ID(self):
        return self.c.id[:12] if self.trunc else self.c.id

    @property
    def Image(self):
        return self.c.image_ref

    @property
    def Command(self):
        cmd = self.c.command_line
        return go_quote(ellipsis(cmd, 20) if self.trunc else cmd)

    @property
    def CreatedAt(self):
        return self._created

    RunningFor = CreatedAt

    @property
    def Names(self):
        return self.c.name

    @property
    def State(self):
        return self.c.state.status

    @property
    def Networks(self):
        return ",".join(sorted(self.c.endpoints)) if self.c.running else ""

    @property
    def Labels(self):
        return ",".join(f"{k}={v}" for k, v in sorted(self.c.labels.items()))

    def Label(self, name):
        return self.c.labels.get(name, "")


class NetRow:
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
        from .views import timestamp
        return timestamp(self.d, self.n.created)
