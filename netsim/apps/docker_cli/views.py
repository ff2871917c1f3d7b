"""``docker inspect`` documents, built from the daemon model's state.

Each view returns :class:`~.gotemplate.Struct` dicts whose key order is the
Go struct's field order (types.ContainerJSON, types.NetworkResource), so that
both ``inspect`` (JSON, 4-space indent) and ``inspect -f`` templates print as
docker 20.10 does.
"""
from __future__ import annotations

import json
import time

from .gotemplate import Struct

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
    if isinstance(x, Struct):
        return {k: _json_value(v) for k, v in x.json_items()}
    if isinstance(x, dict):
        return {k: _json_value(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_json_value(v) for v in x]
    return x


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


def endpoint_settings(c, ep, req) -> Struct:
    ipam = None
    if req is not None and req.ip:
        ipam = Struct({"IPv4Address": req.ip}, go_type="*network.EndpointIPAMConfig")
    elif req is not None and req.connected:
        ipam = Struct({}, go_type="*network.EndpointIPAMConfig")
    aliases = ep.aliases if ep is not None and ep.network.is_user_defined else (
        list(req.aliases) if req is not None and req.aliases else None)
    links = list(req.links) if req is not None and req.links else None
    return Struct({
        "IPAMConfig": ipam,
        "Links": links,
        "Aliases": aliases or None,
        "NetworkID": ep.network.id if ep else "",
        "EndpointID": ep.id if ep else "",
        "Gateway": (ep.network.gateway or "") if ep else "",
        "IPAddress": (ep.ip or "") if ep else "",
        "IPPrefixLen": ep.prefixlen if ep and ep.ip else 0,
        "IPv6Gateway": "",
        "GlobalIPv6Address": "",
        "GlobalIPv6PrefixLen": 0,
        "MacAddress": (ep.mac or "") if ep else "",
        "DriverOpts": {} if req is not None and req.connected else None,
    }, go_type="*network.EndpointSettings")


def network_settings(daemon, c) -> Struct:
    sb = c.sandbox if c.running else None
    primary = c.endpoints.get("bridge")    # getDefaultNetworkSettings: the "bridge" entry, whatever the mode
    ports = {}
    if c.running and c.mode in ("bridge", "user"):
        for spec in c.exposed:
            binds = c.ports_mapped.get(spec)
            ports[spec] = [Struct({"HostIp": ip, "HostPort": str(p)}) for ip, p in binds] if binds else None
            if binds:
                ports[spec] = []
                for ip, p in binds:
                    ports[spec].append(Struct({"HostIp": ip, "HostPort": str(p)}))
    networks = {}
    for name, req in c.networks.items():
        ep = c.endpoints.get(name) if c.running else None
        networks[name] = endpoint_settings(c, ep, req)
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
        "Ports": ports,
        "SandboxKey": (f"/var/run/docker/netns/{sb.id[:12]}" if sb and c.mode not in ("host", "container")
                       else ("/var/run/docker/netns/default" if sb and c.mode == "host" else "")),
        "SecondaryIPAddresses": None,
        "SecondaryIPv6Addresses": None,
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


def container_json(daemon, c, size: bool = False) -> Struct:
    st = c.state
    base = f"{DATA_ROOT}/containers/{(c.hosts_path_owner or c).id}"
    argv = c.argv
    port_bindings = {}
    for b in c.port_bindings:
        port_bindings.setdefault(b.key, []).append(Struct({"HostIp": b.host_ip, "HostPort": b.host_port}))
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
        }, go_type="*types.ContainerState"),
        "Image": c.image.id,
        "ResolvConfPath": f"{base}/resolv.conf",
        "HostnamePath": f"{base}/hostname",
        "HostsPath": f"{base}/hosts",
        "LogPath": f"{DATA_ROOT}/containers/{c.id}/{c.id}-json.log",
        "Name": "/" + c.name,
        "RestartCount": c.restart_count,
        "Driver": "overlay2",
        "Platform": "linux",
        "MountLabel": "",
        "ProcessLabel": "",
        "AppArmorProfile": "",
        "ExecIDs": None,
        "HostConfig": Struct({
            "Binds": None,
            "ContainerIDFile": "",
            "LogConfig": Struct({"Type": "json-file", "Config": {}}),
            "NetworkMode": c.network_mode,
            "PortBindings": port_bindings,
            "RestartPolicy": Struct({"Name": c.restart_policy, "MaximumRetryCount": c.restart_max_retries}),
            "AutoRemove": c.auto_remove,
            "VolumeDriver": "",
            "VolumesFrom": None,
            "CapAdd": list(c.cap_add) if c.cap_add else None,
            "CapDrop": list(c.cap_drop) if c.cap_drop else None,
            "CgroupnsMode": "host",
            "Dns": list(c.dns),
            "DnsOptions": list(c.dns_options),
            "DnsSearch": list(c.dns_search),
            "ExtraHosts": _null_if_empty(c.extra_hosts),
            "GroupAdd": None,
            "IpcMode": "private",
            "Cgroup": "",
            "Links": _null_if_empty(_links_view(daemon, c)),
            "OomScoreAdj": 0,
            "PidMode": c.pid_mode,
            "Privileged": c.privileged,
            "PublishAllPorts": c.publish_all,
            "ReadonlyRootfs": False,
            "SecurityOpt": None,
            "Tmpfs": {m.target: m.mode for m in c.mounts if m.flag == "tmpfs"} or None,
            "UTSMode": c.uts_mode,
            "UsernsMode": "",
            "ShmSize": 67108864,
            "Runtime": "runc",
            "ConsoleSize": [0, 0],
            "Isolation": "",
            "CpuShares": 0, "Memory": 0, "NanoCpus": 0, "CgroupParent": "",
            "BlkioWeight": 0, "BlkioWeightDevice": [], "BlkioDeviceReadBps": None,
            "BlkioDeviceWriteBps": None, "BlkioDeviceReadIOps": None, "BlkioDeviceWriteIOps": None,
            "CpuPeriod": 0, "CpuQuota": 0, "CpuRealtimePeriod": 0, "CpuRealtimeRuntime": 0,
            "CpusetCpus": "", "CpusetMems": "", "Devices": [], "DeviceCgroupRules": None,
            "DeviceRequests": None, "KernelMemory": 0, "KernelMemoryTCP": 0,
            "MemoryReservation": 0, "MemorySwap": 0, "MemorySwappiness": None,
            "OomKillDisable": False, "PidsLimit": None, "Ulimits": None, "CpuCount": 0,
            "CpuPercent": 0, "IOMaximumIOps": 0, "IOMaximumBandwidth": 0,
            "MaskedPaths": ["/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
                            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
                            "/proc/sched_debug", "/proc/scsi", "/sys/firmware"],
            "ReadonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                              "/proc/sysrq-trigger"],
            "Init": c.init,
        }, go_type="*container.HostConfig", omitempty=("Tmpfs", "Init")),
        "GraphDriver": Struct({
            "Data": daemon.storage.graph_driver(c)["Data"],
            "Name": "overlay2",
        }),
        **({"SizeRw": c.fs.root.size_rw(), "SizeRootFs": c.image.size + c.fs.root.size_rw()}
           if size else {}),
        "Mounts": [Struct(m, go_type="types.MountPoint") for m in daemon.storage.mounts_json(c)],
        "Config": Struct({
            "Hostname": c.hostname,
            "Domainname": c.domainname,
            "User": c.user,
            "AttachStdin": c.attach and c.open_stdin,
            "AttachStdout": c.attach,
            "AttachStderr": c.attach,
            **({"ExposedPorts": {p: Struct({}, go_type="struct {}") for p in c.exposed}} if c.exposed else {}),   # nat.PortSet: struct{} values
            "Tty": c.tty,
            "OpenStdin": c.open_stdin,
            "StdinOnce": c.attach and c.open_stdin,
            "Env": _null_if_empty(list(c.image.env) + list(c.env)),
            "Cmd": list(c.cmd) if c.cmd else None,
            "Image": c.image_ref,
            "Volumes": None,
            "WorkingDir": c.workdir,
            "Entrypoint": list(c.entrypoint) if c.entrypoint else None,
            **({"MacAddress": c.mac_address} if c.mac_address else {}),
            "OnBuild": None,
            "Labels": dict(c.labels),
            **({"StopSignal": c.stop_signal} if c.stop_signal else {}),
            **({"StopTimeout": c.stop_timeout} if c.stop_timeout is not None else {}),
        }, go_type="*container.Config"),
        "NetworkSettings": network_settings(daemon, c),
    }, go_type="types.ContainerJSON")


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
            "AuxiliaryAddresses": dict(net.aux_addresses) or None,
        }, go_type="network.IPAMConfig", omitempty=("IPRange", "Gateway", "AuxiliaryAddresses")))
    containers = {}
    for cid, ep in sorted(net.endpoints.items()):
        containers[cid] = Struct({
            "Name": ep.container.name,
            "EndpointID": ep.id,
            "MacAddress": ep.mac or "",
            "IPv4Address": f"{ep.ip}/{ep.prefixlen}" if ep.ip else "",
            "IPv6Address": "",
        })
    return Struct({
        "Name": net.name,
        "Id": net.id,
        "Created": timestamp(daemon, net.created),
        "Scope": "local",
        "Driver": net.driver,
        "EnableIPv6": net.enable_ipv6,
        "IPAM": Struct({"Driver": "default", "Options": None if net.predefined else dict(net.ipam_options),
                        "Config": config}),
        "Internal": net.internal,
        "Attachable": net.attachable,
        "Ingress": False,
        "ConfigFrom": Struct({"Network": ""}),
        "ConfigOnly": False,
        "Containers": containers,
        "Options": dict(net.options),
        "Labels": dict(net.labels),
        "Peers": None,
        "Services": None,
    }, go_type="types.NetworkResource", omitempty=("Peers", "Services"))

