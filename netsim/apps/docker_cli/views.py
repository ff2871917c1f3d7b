"""``docker inspect`` documents, built from the daemon model's state.

Each view returns :class:`~.gotemplate.Struct` dicts whose key order is the
Go struct's field order (types.ContainerJSON, types.NetworkResource), so that
both ``inspect`` (JSON, 4-space indent) and ``inspect -f`` templates print as
docker 20.10 does.
"""
from __future__ import annotations

import json
import time

from .gotemplate import GoMap, GoNil, GoSlice, Struct

# typed nils of the API structs: fmt prints a nil slice "[]", a nil map "map[]"
# and a nil pointer "<nil>"; encoding/json writes null for all three
NIL_STRINGS = GoNil("slice", "[]string")
NIL_STRSLICE = GoNil("slice", "strslice.StrSlice")
NIL_STRMAP = GoNil("map", "map[string]string")

ZERO_TIME = "0001-01-01T00:00:00Z"
DATA_ROOT = "/var/lib/docker"


def timestamp(daemon, t: float | None) -> str:
    if t is None:
        return ZERO_TIME
    total = daemon.wallclock_ns(t)
    secs, nanos = divmod(total, 1_000_000_000)
    base = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(secs))
    frac = f".{nanos:09d}".rstrip("0").rstrip(".")
    return f"{base}{frac}Z"


def _json_value(x):
    """What encoding/json sees: ``omitempty`` fields left out."""
    if isinstance(x, GoNil):
        return None
    if isinstance(x, GoTime):
        return x.__gojson__()
    if isinstance(x, Struct):
        return {k: _json_value(v) for k, v in x.json_items()}
    if isinstance(x, dict):
        return {k: _json_value(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_json_value(v) for v in x]
    return x


class GoTime:
    """A Go ``time.Time`` in UTC (types.NetworkResource's Created): templates
    print it with String() and may call its methods; JSON is RFC 3339."""
    go_type = "time.Time"
    _MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")

    def __init__(self, ns: int):
        self.ns = ns
        self._tm = time.gmtime(ns // 1_000_000_000)

    def _frac(self) -> str:
        return f".{self.ns % 1_000_000_000:09d}".rstrip("0").rstrip(".")

    def String(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", self._tm) + self._frac() + " +0000 UTC"

    def __gojson__(self) -> str:
        return time.strftime("%Y-%m-%dT%H:%M:%S", self._tm) + self._frac() + "Z"

    def Year(self) -> int:
        return self._tm.tm_year

    def Month(self) -> str:
        return self._MONTHS[self._tm.tm_mon - 1]

    def Day(self) -> int:
        return self._tm.tm_mday

    def Hour(self) -> int:
        return self._tm.tm_hour

    def Minute(self) -> int:
        return self._tm.tm_min

    def Second(self) -> int:
        return self._tm.tm_sec

    def Nanosecond(self) -> int:
        return self.ns % 1_000_000_000

    def Unix(self) -> int:
        return self.ns // 1_000_000_000

    def UnixNano(self) -> int:
        return self.ns

    def IsZero(self) -> bool:
        return False


def go_time_string(daemon, t: float) -> str:
    """Go's ``time.Time.String()`` in UTC: ``2006-01-02 15:04:05.999999999 +0000 UTC``."""
    total = daemon.wallclock_ns(t)
    secs, nanos = divmod(total, 1_000_000_000)
    frac = f".{nanos:09d}".rstrip("0").rstrip(".")
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(secs)) + frac + " +0000 UTC"


def dump(docs) -> str:
    """Go's ``json.MarshalIndent(v, "", "    ")`` (with HTML escaping)."""
    text = json.dumps(_json_value(docs), indent=4, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _null_if_empty(items):
    return list(items) if items else None


def endpoint_settings(c, ep, req, daemon=None) -> Struct:
    """network.EndpointSettings of ``c`` on one network.  A stopped container
    keeps what is not operational data (cleanOperationalData): the NetworkID
    it joined and the aliases updateNetworkConfig gave it on a user network."""
    ipam = GoNil("ptr", "*network.EndpointIPAMConfig")
    if req is not None and (req.ip or req.connected):
        ipam = Struct({"IPv4Address": req.ip or "", "IPv6Address": "", "LinkLocalIPs": NIL_STRINGS},
                      go_type="*network.EndpointIPAMConfig",
                      omitempty=("IPv4Address", "IPv6Address", "LinkLocalIPs"))
    aliases = ep.aliases if ep is not None and ep.network.is_user_defined else (
        list(req.aliases) if req is not None and req.aliases else None)
    network_id = ep.network.id if ep else ""
    if ep is None and req is not None and req.network_id and daemon is not None:
        network_id = req.network_id
        net = daemon.networks.get(req.network_id)
        if net is None or net.is_user_defined:
            aliases = daemon._endpoint_aliases(c, req)
    links = list(req.links) if req is not None and req.links else NIL_STRINGS
    return Struct({
        "IPAMConfig": ipam,
        "Links": links,
        "Aliases": aliases or NIL_STRINGS,
        "NetworkID": network_id,
        "EndpointID": ep.id if ep else "",
        "Gateway": (ep.network.gateway or "") if ep else "",
        "IPAddress": (ep.ip or "") if ep else "",
        "IPPrefixLen": ep.prefixlen if ep and ep.ip else 0,
        "IPv6Gateway": "",
        "GlobalIPv6Address": "",
        "GlobalIPv6PrefixLen": 0,
        "MacAddress": (ep.mac or "") if ep else "",
        "DriverOpts": {} if req is not None and req.connected else NIL_STRMAP,
    }, go_type="*network.EndpointSettings")


def network_settings(daemon, c) -> Struct:
    sb = c.sandbox if c.running else None
    primary = c.endpoints.get("bridge")    # getDefaultNetworkSettings: the "bridge" entry, whatever the mode
    ports = {}
    if c.running and c.mode in ("bridge", "user"):
        for spec in c.exposed:
            binds = c.ports_mapped.get(spec)
            ports[spec] = GoSlice([Struct({"HostIp": ip, "HostPort": str(p)}, go_type="nat.PortBinding")
                                   for ip, p in binds], go_type="[]nat.PortBinding") if binds \
                else GoNil("slice", "[]nat.PortBinding")
    networks = {}
    for name, req in c.networks.items():
        ep = c.endpoints.get(name) if c.running else None
        networks[name] = endpoint_settings(c, ep, req, daemon)
    if c.mode in ("host", "none"):
        ep = c.endpoints.get(c.mode) if c.running else None
        networks = {c.mode: endpoint_settings(c, ep, None)}
    if c.mode == "container":
        networks = {}
    return Struct({
        "Bridge": "",
        "SandboxID": sb.id if sb and c.mode != "container" else "",
        "HairpinMode": False,
        "LinkLocalIPv6Address": "",
        "LinkLocalIPv6PrefixLen": 0,
        "Ports": GoMap(ports, go_type="nat.PortMap"),
        "SandboxKey": (f"/var/run/docker/netns/{sb.id[:12]}" if sb and c.mode not in ("host", "container")
                       else ("/var/run/docker/netns/default" if sb and c.mode == "host" else "")),
        "SecondaryIPAddresses": GoNil("slice", "[]network.Address"),
        "SecondaryIPv6Addresses": GoNil("slice", "[]network.Address"),
        "EndpointID": primary.id if primary else "",
        "Gateway": primary.network.gateway if primary else "",
        "GlobalIPv6Address": "",
        "GlobalIPv6PrefixLen": 0,
        "IPAddress": primary.ip if primary else "",
        "IPPrefixLen": primary.prefixlen if primary else 0,
        "IPv6Gateway": "",
        "MacAddress": primary.mac if primary else "",
        "Networks": networks,
    }, go_type="*types.NetworkSettings")


def mount_point(m: dict) -> Struct:
    """types.MountPoint: every field (Name and Driver omitempty in JSON)."""
    return Struct({k: m.get(k, "") for k in ("Type", "Name", "Source", "Destination", "Driver", "Mode")}
                  | {"RW": m.get("RW", False), "Propagation": m.get("Propagation", "")},
                  go_type="types.MountPoint", omitempty=("Name", "Driver"))


def image_config(image) -> Struct:
    """An image's ``Config``/``ContainerConfig`` (*container.Config)."""
    return Struct({
        "Hostname": "", "Domainname": "", "User": "",
        "AttachStdin": False, "AttachStdout": False, "AttachStderr": False,
        "ExposedPorts": GoNil("map", "nat.PortSet"),
        "Tty": False, "OpenStdin": False, "StdinOnce": False,
        "Env": list(image.env) or NIL_STRINGS,
        "Cmd": GoSlice(image.cmd, go_type="strslice.StrSlice") if image.cmd else NIL_STRSLICE,
        "Healthcheck": GoNil("ptr", "*container.HealthConfig"),
        "ArgsEscaped": False,
        "Image": "",
        "Volumes": GoNil("map", "map[string]struct {}"),
        "WorkingDir": image.workdir,
        "Entrypoint": GoSlice(image.entrypoint, go_type="strslice.StrSlice") if image.entrypoint else NIL_STRSLICE,
        "NetworkDisabled": False, "MacAddress": "",
        "OnBuild": NIL_STRINGS,
        "Labels": NIL_STRMAP,
        "StopSignal": "", "StopTimeout": GoNil("ptr", "*int"), "Shell": NIL_STRSLICE,
    }, go_type="*container.Config", omitempty=("ExposedPorts", "Healthcheck", "ArgsEscaped", "NetworkDisabled",
                                               "MacAddress", "StopSignal", "StopTimeout", "Shell"),
        pointers=("StopTimeout",))


# container.HostConfig fields whose Go names differ from their JSON names
_HOSTCONFIG_GO_NAMES = {"Dns": "DNS", "DnsOptions": "DNSOptions", "DnsSearch": "DNSSearch",
                        "CpuShares": "CPUShares", "NanoCpus": "NanoCPUs", "CpuPeriod": "CPUPeriod",
                        "CpuQuota": "CPUQuota", "CpuRealtimePeriod": "CPURealtimePeriod",
                        "CpuRealtimeRuntime": "CPURealtimeRuntime", "CpuCount": "CPUCount",
                        "CpuPercent": "CPUPercent"}


def container_json(daemon, c, size: bool = False) -> Struct:
    st = c.state
    base = f"{DATA_ROOT}/containers/{(c.hosts_path_owner or c).id}"
    argv = c.argv
    port_bindings = {}
    for b in c.port_bindings:
        port_bindings.setdefault(b.key, GoSlice(go_type="[]nat.PortBinding")).append(
            Struct({"HostIp": b.host_ip, "HostPort": b.host_port}, go_type="nat.PortBinding"))
    return Struct({
        "Id": c.id,
        "Created": timestamp(daemon, c.created),
        "Path": argv[0] if argv else "",
        "Args": argv[1:],
        "State": Struct({
            "Status": "paused" if st.paused else st.status,
            "Running": st.status in ("running", "restarting"),    # a restarting container is Running
            "Paused": st.paused,
            "Restarting": st.status == "restarting",
            "OOMKilled": False,
            "Dead": False,
            "Pid": st.pid,
            "ExitCode": st.exit_code,
            "Error": st.error,
            "StartedAt": timestamp(daemon, st.started_at),
            "FinishedAt": timestamp(daemon, st.finished_at),
            "Health": GoNil("ptr", "*types.Health"),
        }, go_type="*types.ContainerState", omitempty=("Health",)),
        "Image": c.image.id,
        "ResolvConfPath": f"{base}/resolv.conf",
        "HostnamePath": f"{base}/hostname",
        "HostsPath": f"{base}/hosts",
        "LogPath": f"{DATA_ROOT}/containers/{c.id}/{c.id}-json.log",
        "Node": GoNil("ptr", "*types.ContainerNode"),
        "Name": "/" + c.name,
        "RestartCount": c.restart_count,
        "Driver": "overlay2",
        "Platform": "linux",
        "MountLabel": "",
        "ProcessLabel": "",
        "AppArmorProfile": "",
        "ExecIDs": NIL_STRINGS,
        "HostConfig": Struct({
            # the CLI's -v host-path/named binds as given (an anonymous -v DIR is a Config.Volumes entry)
            "Binds": [m.spec for m in c.mounts if m.flag == "v" and m.source] or NIL_STRINGS,
            "ContainerIDFile": "",
            "LogConfig": Struct({"Type": "json-file", "Config": {}}),
            "NetworkMode": c.network_mode,
            "PortBindings": GoMap(port_bindings, go_type="nat.PortMap"),
            "RestartPolicy": Struct({"Name": c.restart_policy, "MaximumRetryCount": c.restart_max_retries},
                                    go_type="container.RestartPolicy"),
            "AutoRemove": c.auto_remove,
            "VolumeDriver": "",
            "VolumesFrom": NIL_STRINGS,
            "CapAdd": list(c.cap_add) if c.cap_add else NIL_STRSLICE,
            "CapDrop": list(c.cap_drop) if c.cap_drop else NIL_STRSLICE,
            "CgroupnsMode": "host",
            "Dns": list(c.dns),
            "DnsOptions": list(c.dns_options),
            "DnsSearch": list(c.dns_search),
            "ExtraHosts": list(c.extra_hosts) or NIL_STRINGS,
            "GroupAdd": NIL_STRINGS,
            "IpcMode": "private",
            "Cgroup": "",
            "Links": _links_view(daemon, c) or NIL_STRINGS,
            "OomScoreAdj": 0,
            "PidMode": c.pid_mode,
            "Privileged": c.privileged,
            "PublishAllPorts": c.publish_all,
            "ReadonlyRootfs": False,
            "SecurityOpt": NIL_STRINGS,
            "Tmpfs": {m.target: m.mode for m in c.mounts if m.flag == "tmpfs"} or NIL_STRMAP,
            "UTSMode": c.uts_mode,
            "UsernsMode": "",
            "ShmSize": 67108864,
            "Runtime": "runc",
            "ConsoleSize": [0, 0],
            "Isolation": "",
            "CpuShares": 0, "Memory": 0, "NanoCpus": 0, "CgroupParent": "",
            "BlkioWeight": 0, "BlkioWeightDevice": [],
            "BlkioDeviceReadBps": GoNil("slice", "[]*blkiodev.ThrottleDevice"),
            "BlkioDeviceWriteBps": GoNil("slice", "[]*blkiodev.ThrottleDevice"),
            "BlkioDeviceReadIOps": GoNil("slice", "[]*blkiodev.ThrottleDevice"),
            "BlkioDeviceWriteIOps": GoNil("slice", "[]*blkiodev.ThrottleDevice"),
            "CpuPeriod": 0, "CpuQuota": 0, "CpuRealtimePeriod": 0, "CpuRealtimeRuntime": 0,
            "CpusetCpus": "", "CpusetMems": "", "Devices": [], "DeviceCgroupRules": NIL_STRINGS,
            "DeviceRequests": GoNil("slice", "[]container.DeviceRequest"), "KernelMemory": 0, "KernelMemoryTCP": 0,
            "MemoryReservation": 0, "MemorySwap": 0, "MemorySwappiness": GoNil("ptr", "*int64"),
            "OomKillDisable": False, "PidsLimit": GoNil("ptr", "*int64"),
            "Ulimits": GoNil("slice", "[]*units.Ulimit"), "CpuCount": 0,
            "CpuPercent": 0, "IOMaximumIOps": 0, "IOMaximumBandwidth": 0,
            "MaskedPaths": ["/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
                            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
                            "/proc/sched_debug", "/proc/scsi", "/sys/firmware"],
            "ReadonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                              "/proc/sysrq-trigger"],
            "Init": c.init,
        }, go_type="*container.HostConfig", omitempty=("Tmpfs", "Init"), go_names=_HOSTCONFIG_GO_NAMES),
        "GraphDriver": Struct({
            "Data": daemon.storage.graph_driver(c)["Data"],
            "Name": "overlay2",
        }),
        # *int64 omitempty: nil (left out of the JSON) unless --size
        "SizeRw": c.fs.root.size_rw() if size else GoNil("ptr", "*int64"),
        "SizeRootFs": c.image.size + c.fs.root.size_rw() if size else GoNil("ptr", "*int64"),
        "Mounts": GoSlice([mount_point(m) for m in daemon.storage.mounts_json(c)], go_type="[]types.MountPoint"),
        "Config": Struct({
            "Hostname": c.hostname,
            "Domainname": c.domainname,
            "User": c.user,
            "AttachStdin": c.attach and c.open_stdin,
            "AttachStdout": c.attach,
            "AttachStderr": c.attach,
            # nat.PortSet (omitempty): struct{} values
            "ExposedPorts": GoMap({p: Struct({}, go_type="struct {}") for p in c.exposed},
                                  go_type="nat.PortSet") if c.exposed else GoNil("map", "nat.PortSet"),
            "Tty": c.tty,
            "OpenStdin": c.open_stdin,
            "StdinOnce": c.attach and c.open_stdin,
            "Env": list(c.image.env) + list(c.env) or NIL_STRINGS,
            "Cmd": GoSlice(c.cmd, go_type="strslice.StrSlice") if c.cmd else NIL_STRSLICE,
            "Healthcheck": GoNil("ptr", "*container.HealthConfig"),
            "ArgsEscaped": False,
            "Image": c.image_ref,
            "Volumes": GoMap({m.target: Struct({}, go_type="struct {}") for m in c.mounts
                              if m.flag == "v" and not m.source}, go_type="map[string]struct {}")
            or GoNil("map", "map[string]struct {}"),
            "WorkingDir": c.workdir,
            "Entrypoint": GoSlice(c.entrypoint, go_type="strslice.StrSlice") if c.entrypoint else NIL_STRSLICE,
            "NetworkDisabled": False,
            "MacAddress": c.mac_address or "",
            "OnBuild": NIL_STRINGS,
            "Labels": dict(c.labels),
            "StopSignal": c.stop_signal or "",
            "StopTimeout": c.stop_timeout if c.stop_timeout is not None else GoNil("ptr", "*int"),
            "Shell": NIL_STRSLICE,
        }, go_type="*container.Config", omitempty=("ExposedPorts", "Healthcheck", "ArgsEscaped",
                                                   "NetworkDisabled", "MacAddress", "StopSignal",
                                                   "StopTimeout", "Shell"), pointers=("StopTimeout",)),
        "NetworkSettings": network_settings(daemon, c),
    }, go_type="types.ContainerJSON", omitempty=("Node", "SizeRw", "SizeRootFs"), go_names={"Id": "ID"},
       pointers=("SizeRw", "SizeRootFs"))


def _links_view(daemon, c) -> list[str]:
    out = []
    for link in c.links:
        target, _, alias = link.partition(":")
        try:
            name = daemon.container_find(target).name
        except Exception:
            name = target
        out.append(f"/{name}:/{c.name}/{alias or name}")
    return out


def network_json(daemon, net) -> Struct:
    config = []
    if net.subnet is not None:
        # the default bridge's gateway is docker0's address, not an IPAM setting;
        # with --subnet the gateway is shown only when --gateway gave it
        shown_gw = net.user_gateway or not (net.user_subnet or net.predefined)
        config.append(Struct({
            "Subnet": net.subnet.with_prefixlen,
            "IPRange": net.ip_range.with_prefixlen if net.ip_range is not None else "",
            "Gateway": net.gateway if shown_gw else "",
            "AuxiliaryAddresses": dict(net.aux_addresses) or NIL_STRMAP,
        }, go_type="network.IPAMConfig", omitempty=("IPRange", "Gateway", "AuxiliaryAddresses"),
            go_names={"AuxiliaryAddresses": "AuxAddress"}))
    containers = {}
    for cid, ep in sorted(net.endpoints.items()):
        containers[cid] = Struct({
            "Name": ep.container.name,
            "EndpointID": ep.id,
            "MacAddress": ep.mac or "",
            "IPv4Address": f"{ep.ip}/{ep.prefixlen}" if ep.ip else "",
            "IPv6Address": "",
        }, go_type="types.EndpointResource")
    return Struct({
        "Name": net.name,
        "Id": net.id,
        "Created": GoTime(daemon.wallclock_ns(net.created)),
        "Scope": "local",
        "Driver": net.driver,
        "EnableIPv6": net.enable_ipv6,
        "IPAM": Struct({"Driver": "default", "Options": NIL_STRMAP if net.predefined else dict(net.ipam_options),
                        "Config": config}),
        "Internal": net.internal,
        "Attachable": net.attachable,
        "Ingress": False,
        "ConfigFrom": Struct({"Network": ""}),
        "ConfigOnly": False,
        "Containers": GoMap(containers, go_type="map[string]types.EndpointResource"),
        "Options": dict(net.options),
        "Labels": dict(net.labels),
        "Peers": GoNil("slice", "[]network.PeerInfo"),
        "Services": GoNil("map", "map[string]network.ServiceInfo"),
    }, go_type="types.NetworkResource", omitempty=("Peers", "Services"), go_names={"Id": "ID"})

