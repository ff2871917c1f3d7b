"""The few /proc and /sys files programs read, computed from the kernel model."""
from __future__ import annotations

import ipaddress

from .common import fmt_ip_hex

REACHABLE_TIME = 30.0


def interfaces(netns) -> list:
    """Devices of a namespace in ifindex order (what netlink dumps)."""
    return sorted(netns.interfaces.values(), key=lambda d: d.ifindex)


DELAY_PROBE_TIME = 5.0


def neigh_entries(netns) -> list[tuple]:
    """``(entry, state)`` for the neighbour table, as the kernel reports it.

    An entry the namespace solicited itself is REACHABLE once answered; one
    learned from a peer's ARP request starts STALE in Linux and turns DELAY
    when used (the echo reply that follows), then REACHABLE after
    ``delay_first_probe_time``: shown as DELAY for its first 5 seconds.
    """
    now = netns.kernel.sched.now
    out = []
    for e in netns.stack.neigh.entries.values():
        age = now - e.updated
        if e.mac is None:
            state = "FAILED" if e.state == "FAILED" else "INCOMPLETE"
        elif e.state == "PERMANENT":
            state = "PERMANENT"
        elif age > REACHABLE_TIME:
            state = "STALE"
        elif e.probes == 0 and age < DELAY_PROBE_TIME:
            state = "DELAY"
        else:
            state = "REACHABLE"
        out.append((e, state))
    return out


def route_flags(r) -> int:
    flags = 1
    if r.gateway:
        flags |= 2
    if r.dst.prefixlen == 32:
        flags |= 4
    return flags


def proc_net_route(netns) -> str:
    lines = ["Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT"]
    for r in netns.routes.sorted():
        lines.append("\t".join([
            r.dev.name, fmt_ip_hex(str(r.dst.network_address)),
            fmt_ip_hex(r.gateway or "0.0.0.0"), f"{route_flags(r):04X}", "0", "0",
            str(r.metric), fmt_ip_hex(str(r.dst.netmask)), "0", "0", "0"]))
    return "".join(f"{line:<127}\n" for line in lines)


def proc_net_arp(netns) -> str:
    out = "IP address       HW type     Flags       HW address            Mask     Device\n"
    for e, state in neigh_entries(netns):
        flags = 0x2 if e.mac else 0x0
        mac = e.mac or "00:00:00:00:00:00"
        out += f"{e.ip:<16} 0x{1:<10x}0x{flags:<10x}{mac:<17}     {'*':<8} {e.dev.name}\n"
    return out


def proc_net_dev(netns) -> str:
    out = ("Inter-|   Receive                                                |  Transmit\n"
           " face |bytes    packets errs drop fifo frame compressed multicast|"
           "bytes    packets errs drop fifo colls carrier compressed\n")
    for d in interfaces(netns):
        s = d.stats
        out += (f"{d.name:>6}:{s.rx_bytes:8d} {s.rx_packets:7d}    0 {s.rx_dropped:4d}    0     0"
                f"          0         0 {s.tx_bytes:8d} {s.tx_packets:7d}    0 {s.tx_dropped:4d}"
                f"    0     0       0          0\n")
    return out


def proc_read(proc, path: str) -> str | None:
    """The text of a /proc or /sys file, or None when ``path`` is not one."""
    import posixpath
    path = posixpath.normpath(posixpath.join(proc.cwd or "/", path))
    ns = proc.netns
    if path == "/proc/mounts" and getattr(proc.fs, "proc_mounts", None):
        return proc.fs.proc_mounts()
    if path == "/proc/net/route":
        return proc_net_route(ns)
    if path == "/proc/net/arp":
        return proc_net_arp(ns)
    if path == "/proc/net/dev":
        return proc_net_dev(ns)
    if path.startswith("/proc/sys/net/"):
        key = path[len("/proc/sys/"):].replace("/", ".")
        if key in ns.sysctl:
            return f"{ns.sysctl[key]}\n"
        if key == "net.ipv4.ip_forward":
            return "0\n"
        return None
    if path.startswith("/sys/class/net/"):
        parts = path.split("/")[4:]
        if len(parts) == 2 and parts[0] in ns.interfaces:
            dev = ns.interfaces[parts[0]]
            peer = getattr(dev, "peer", None)
            values = {
                "address": dev.mac, "mtu": dev.mtu, "ifindex": dev.ifindex,
                "iflink": peer.ifindex if peer is not None else dev.ifindex,
                "operstate": "unknown" if dev.kind == "loopback" else dev.operstate.lower(),
                "carrier": int(dev.carrier),
                "tx_queue_len": 1000 if dev.kind == "loopback" else 0,
            }
            if parts[1] in values:
                return f"{values[parts[1]]}\n"
    return None


def is_proc_path(path: str) -> bool:
    return path.startswith(("/proc/", "/sys/"))


def netmask(prefixlen: int) -> str:
    return str(ipaddress.IPv4Network(f"0.0.0.0/{prefixlen}").netmask)
