"""Invariants of a simulated host, checked after any command.

``check(engine)`` returns one line per violated invariant (an empty list when
the daemon's bookkeeping and the kernel model agree).  It is what a real
host's consistency would demand of dockerd + libnetwork + Linux:

- addresses: no two endpoints share an address on a network; IPAM's used set
  is exactly the endpoints' addresses, the gateway and the aux addresses, all
  inside the subnet, and free + used adds up to the pool's size;
- devices: every veth has its peer, the two point at each other and both ends
  sit in namespaces the kernel knows; every endpoint's host end is a port of
  its network's bridge and its container end is ``ethN`` in the sandbox;
- bridges: every FDB entry names a port of that bridge;
- namespaces: every running container's sandbox namespace exists in the
  kernel (container-mode followers included); no namespace exists that no
  sandbox references (nothing leaks when containers stop or go away);
- netfilter: no iptables rule names an interface that no longer exists, and
  every published port's DNAT target is a live endpoint.

The checker only reads; it never raises on a broken state (a broken state is
what it reports).
"""
from __future__ import annotations

import ipaddress

HOST_NS = "host"


def check(engine) -> list[str]:
    """Every violated invariant of ``engine`` (an Engine, or anything with
    ``.daemon`` and ``.kernel``), as human-readable lines."""
    daemon = getattr(engine, "daemon", engine)
    kernel = daemon.kernel
    out: list[str] = []
    for part in (_addresses, _ipam, _endpoints, _veths, _bridges, _namespaces, _iptables, _ports):
        try:
            part(daemon, kernel, out)
        except Exception as err:      # a state so broken the check itself trips
            out.append(f"{part.__name__[1:]}: checker failed on inconsistent state: "
                       f"{type(err).__name__}: {err}")
    return out


# -- addresses and IPAM -------------------------------------------------------
def _addresses(daemon, kernel, out: list[str]) -> None:
    for net in daemon.networks.values():
        seen: dict[str, str] = {}
        for cid, ep in net.endpoints.items():
            if ep.ip is None:
                continue
            if ep.ip in seen:
                out.append(f"network {net.name}: address {ep.ip} held by two endpoints "
                           f"({seen[ep.ip][:12]} and {cid[:12]})")
            seen[ep.ip] = cid
            if ep.ip == net.gateway:
                out.append(f"network {net.name}: endpoint {cid[:12]} has the gateway address {ep.ip}")


def _ipam(daemon, kernel, out: list[str]) -> None:
    bridges = {n.id: n for n in daemon.networks.values() if n.driver == "bridge"}
    allocated = daemon.ipam.allocated
    for nid in set(allocated) - set(bridges):
        out.append(f"ipam: pool {allocated[nid]} still allocated to removed network {nid[:12]}")
    for nid, net in bridges.items():
        if nid not in allocated:
            out.append(f"ipam: network {net.name} has no pool allocated")
        elif allocated[nid] != net.subnet:
            out.append(f"ipam: network {net.name} pool {allocated[nid]} != subnet {net.subnet}")
    pools = sorted(allocated.items(), key=lambda kv: (int(kv[1].network_address), kv[1].prefixlen))
    for i, (a, pa) in enumerate(pools):
        for b, pb in pools[i + 1:]:
            if pa.overlaps(pb):
                out.append(f"ipam: pools {pa} ({a[:12]}) and {pb} ({b[:12]}) overlap")
    for net in bridges.values():
        pool = net.pool
        if pool is None:
            out.append(f"ipam: network {net.name} has no address pool")
            continue
        expected = {int(ipaddress.IPv4Address(ep.ip)) for ep in net.endpoints.values() if ep.ip}
        if net.gateway:
            expected.add(int(ipaddress.IPv4Address(net.gateway)))
        expected |= {int(ipaddress.IPv4Address(a)) for a in net.aux_addresses.values()}
        if pool.used != expected:
            extra = sorted(str(ipaddress.IPv4Address(n)) for n in pool.used - expected)
            missing = sorted(str(ipaddress.IPv4Address(n)) for n in expected - pool.used)
            out.append(f"ipam: network {net.name} used set is off: taken but unowned {extra}, "
                       f"owned but free {missing}")
        lo, hi = int(pool.subnet.network_address), int(pool.subnet.broadcast_address)
        outside = sorted(str(ipaddress.IPv4Address(n)) for n in pool.used if not lo <= n <= hi)
        if outside:
            out.append(f"ipam: network {net.name} holds addresses outside {pool.subnet}: {outside}")
        first, last = pool._bounds(pool.range)
        size = last - first + 1
        in_range = sum(1 for n in pool.used if first <= n <= last)
        if pool.free + in_range != size or pool.free < 0:
            out.append(f"ipam: network {net.name} free {pool.free} + used {in_range} != pool size {size}")


# -- endpoints and devices ----------------------------------------------------
def _endpoints(daemon, kernel, out: list[str]) -> None:
    host = kernel.init_net
    for net in daemon.networks.values():
        br = daemon.drivers["bridge"].bridges.get(net.id) if net.driver == "bridge" else None
        if net.driver == "bridge":
            if br is None or host.interfaces.get(net.bridge_name) is not br:
                out.append(f"network {net.name}: bridge {net.bridge_name} is not in the host namespace")
        for cid, ep in net.endpoints.items():
            c = daemon.containers.get(cid)
            where = f"network {net.name}: endpoint of {cid[:12]}"
            if net.driver != "bridge":      # host/null endpoints have no device
                continue
            if c is None:
                out.append(f"{where}: container no longer exists")
                continue
            if not c.running:
                out.append(f"{where}: container {c.name} is {c.state.status} but holds an endpoint")
            if c.endpoints.get(net.name) is not ep:
                out.append(f"{where}: container {c.name} does not list it")
            if net.driver != "bridge":
                if ep.ip is not None or ep.host_dev is not None:
                    out.append(f"{where}: the {net.driver} driver gave it an address or a device")
                continue
            dev = ep.host_dev
            if dev is None or dev.netns is not host or host.interfaces.get(dev.name) is not dev:
                out.append(f"{where}: host end {ep.host_ifname} is not in the host namespace")
            elif br is not None and (dev.master is not br or dev not in br.ports):
                out.append(f"{where}: host end {dev.name} is not a port of {net.bridge_name}")
            sb = c.sandbox
            if sb is None:
                out.append(f"{where}: container {c.name} has no sandbox")
                continue
            if ep not in sb.endpoints:
                out.append(f"{where}: not in the sandbox's endpoint list")
            peer = getattr(dev, "peer", None)
            inside = sb.netns.interfaces.get(ep.ifname) if ep.ifname else None
            if inside is None or inside is not peer:
                out.append(f"{where}: {ep.ifname} in {sb.key} is not the peer of {ep.host_ifname}")
            elif not any(str(a.ip) == ep.ip for a in inside.addrs):
                out.append(f"{where}: {ep.ifname} in {sb.key} lacks address {ep.ip}")
    for c in daemon.containers.values():
        for name, ep in c.endpoints.items():
            net = ep.network
            if daemon.networks.get(net.id) is not net:
                out.append(f"container {c.name}: endpoint on removed network {name}")
            elif net.endpoints.get(c.id) is not ep:
                out.append(f"container {c.name}: endpoint on {name} unknown to the network")


def _veths(daemon, kernel, out: list[str]) -> None:
    for ns_name, ns in kernel.namespaces.items():
        for name, dev in ns.interfaces.items():
            if dev.netns is not ns or dev.name != name:
                out.append(f"{ns_name}: device {name} thinks it is {dev.name}@"
                           f"{dev.netns.name if dev.netns else '-'}")
            if getattr(dev, "kind", "") != "veth":
                continue
            peer = dev.peer
            if peer is None:
                out.append(f"{ns_name}: veth {name} has no peer")
                continue
            if peer.peer is not dev:
                out.append(f"{ns_name}: veth {name}'s peer {peer.name} does not point back")
            pns = peer.netns
            if pns is None or kernel.namespaces.get(pns.name) is not pns:
                out.append(f"{ns_name}: veth {name}'s peer {peer.name} is in no live namespace")
            elif pns.interfaces.get(peer.name) is not peer:
                out.append(f"{ns_name}: veth {name}'s peer {peer.name} is not listed in {pns.name}")


def _bridges(daemon, kernel, out: list[str]) -> None:
    for ns_name, ns in kernel.namespaces.items():
        for dev in ns.interfaces.values():
            if getattr(dev, "kind", "") != "bridge":
                continue
            for port in dev.ports:
                if port.master is not dev or port.netns is not ns:
                    out.append(f"{ns_name}: bridge {dev.name} port {port.name} is not enslaved to it")
            for mac, entry in dev.fdb.items():
                if entry.port not in dev.ports:
                    out.append(f"{ns_name}: bridge {dev.name} FDB entry {mac} names "
                               f"{entry.port.name}, not a port of the bridge")


# -- namespaces ---------------------------------------------------------------
def _namespaces(daemon, kernel, out: list[str]) -> None:
    referenced = {HOST_NS}
    for c in daemon.containers.values():
        sb = c.sandbox
        if c.running and sb is None:
            out.append(f"container {c.name}: running without a sandbox")
            continue
        if sb is None:
            continue
        if not c.running:
            out.append(f"container {c.name}: {c.state.status} but still holds sandbox {sb.key}")
        ns = sb.netns
        if kernel.namespaces.get(ns.name) is not ns:
            what = "follower (container mode)" if c.mode == "container" else "sandbox"
            out.append(f"container {c.name}: {what} namespace {ns.name} does not exist in the kernel")
        referenced.add(ns.name)
    for name in kernel.namespaces:
        if name not in referenced:
            out.append(f"namespace {name} leaked: no container's sandbox references it")


# -- netfilter ------------------------------------------------------------------
def _iptables(daemon, kernel, out: list[str]) -> None:
    for ns_name, ns in kernel.namespaces.items():
        for tname, table in ns.netfilter.tables.items():
            for chain, rules in table.chains.items():
                for rule in rules:
                    for iface in (rule.in_iface, rule.out_iface):
                        if iface is not None and iface not in ns.interfaces:
                            out.append(f"{ns_name}: iptables -t {tname} '{rule.spec(chain)}' "
                                       f"names missing interface {iface}")


def _ports(daemon, kernel, out: list[str]) -> None:
    live = {id(ep) for n in daemon.networks.values() for ep in n.endpoints.values()}
    for key, owner in daemon.portmapper.allocated.items():
        if id(owner) not in live:
            out.append(f"portmapper: {key[0]} {key[1]}:{key[2]} allocated to a gone endpoint")
    for key in daemon.portmapper.proxies:
        if key not in daemon.portmapper.allocated:
            out.append(f"portmapper: docker-proxy for {key[1]}:{key[2]} runs without an allocation")


# -- snapshots ----------------------------------------------------------------
def snapshot(engine) -> dict:
    """The whole observable state, as plain data: compare two snapshots to
    prove that a failing command changed nothing.

    Left out on purpose: id/MAC generators and IPAM's next-pool pointer
    (libnetwork's ``updateStartIndex`` also moves when a network then fails),
    simulated time, packet counters and the ARP/FDB caches that traffic
    (not configuration) fills.
    """
    daemon = getattr(engine, "daemon", engine)
    kernel = daemon.kernel
    nets = {}
    for net in daemon.networks.values():
        nets[net.name] = {
            "id": net.id, "driver": net.driver, "subnet": str(net.subnet), "gateway": net.gateway,
            "bridge": net.bridge_name, "options": dict(net.options),
            "ipam_used": sorted(net.pool.used) if net.pool else None,
            "endpoints": {cid: (ep.ip, ep.mac, ep.ifname, ep.host_ifname, tuple(ep.aliases),
                                tuple(ep.ports))
                          for cid, ep in sorted(net.endpoints.items())},
        }
    containers = {}
    for c in daemon.containers.values():
        containers[c.id] = {
            "name": c.name, "status": c.state.status, "exit_code": c.state.exit_code,
            "networks": sorted(c.networks), "endpoints": sorted(c.endpoints),
            "sandbox": c.sandbox.key if c.sandbox is not None else None,
            "files": {p: c.fs.read(p) for p in ("/etc/hosts", "/etc/resolv.conf", "/etc/hostname")
                      if c.fs is not None and _exists(c.fs, p)},
        }
    namespaces = {}
    for name, ns in kernel.namespaces.items():
        namespaces[name] = {
            "interfaces": {d.name: (d.kind, d.mac, d.mtu, d.up, tuple(str(a) for a in d.addrs),
                                    d.master.name if d.master is not None else None,
                                    getattr(getattr(d, "peer", None), "name", None),
                                    tuple(p.name for p in getattr(d, "ports", ())))
                           for d in ns.interfaces.values()},
            "routes": [r.show() for r in ns.routes.sorted()],
            "iptables": {t: table.save() for t, table in ns.netfilter.tables.items()},
            "sysctl": dict(ns.sysctl),
            "listeners": sorted(map(str, ns.tcp_listeners)),
            "udp": sorted(map(str, ns.udp)),
        }
    return {
        "networks": nets,
        "ipam_allocated": {k: str(v) for k, v in sorted(daemon.ipam.allocated.items())},
        "ports": sorted((k, getattr(v, "id", None)) for k, v in daemon.portmapper.allocated.items()),
        "proxies": sorted(daemon.portmapper.proxies),
        "containers": containers,
        "namespaces": namespaces,
    }


def _exists(fs, path: str) -> bool:
    try:
        fs.read(path)
        return True
    except Exception:
        return False
