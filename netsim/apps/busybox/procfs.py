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
        flags = (0x6 if state == "PERMANENT" else 0x2) if e.mac else 0x0   # ATF_COM, ATF_PERM
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


# /proc/net of a network namespace on the reference host's kernel (6.x)
PROC_NET_ENTRIES = (
    "anycast6", "arp", "arp_tables_matches", "arp_tables_names", "arp_tables_targets", "dev",
    "dev_mcast", "dev_snmp6", "fib_trie", "fib_triestat", "icmp", "icmp6", "if_inet6", "igmp",
    "igmp6", "ip6_flowlabel", "ip6_mr_cache", "ip6_mr_vif", "ip6_tables_matches", "ip6_tables_names",
    "ip6_tables_targets", "ip6t_hashlimit", "ip_mr_cache", "ip_mr_vif", "ip_tables_matches",
    "ip_tables_names", "ip_tables_targets", "ipt_hashlimit", "ipv6_route", "mcfilter", "mcfilter6",
    "netfilter", "netlink", "netstat", "nf_conntrack", "nf_conntrack_expect", "packet", "protocols",
    "psched", "ptype", "raw", "raw6", "route", "rt6_stats", "rt_acct", "rt_cache", "snmp", "snmp6",
    "sockstat", "sockstat6", "softnet_stat", "stat", "tcp", "tcp6", "udp", "udp6", "udplite",
    "udplite6", "unix", "xfrm_stat", "xt_recent")

# /sys/class/net/IF/statistics (the counters netsim does not keep read 0)
STATISTICS = (
    "collisions", "multicast", "rx_bytes", "rx_compressed", "rx_crc_errors", "rx_dropped",
    "rx_errors", "rx_fifo_errors", "rx_frame_errors", "rx_length_errors", "rx_missed_errors",
    "rx_nohandler", "rx_over_errors", "rx_packets", "tx_aborted_errors", "tx_bytes",
    "tx_carrier_errors", "tx_compressed", "tx_dropped", "tx_errors", "tx_fifo_errors",
    "tx_heartbeat_errors", "tx_packets", "tx_window_errors")

# per-namespace sysctls that read the kernel's defaults (the ones netsim changes live in ns.sysctl)
SYSCTL_DEFAULTS = {
    "net.ipv4.ip_local_port_range": "32768\t60999",
    "net.ipv4.ping_group_range": "0\t2147483647",
    "net.ipv4.ip_unprivileged_port_start": "1024",
    "net.core.somaxconn": "4096",
    "net.ipv4.tcp_syncookies": "1",
}

TCP_STATE_CODES = {
    "ESTABLISHED": 1, "SYN_SENT": 2, "SYN_RCVD": 3, "FIN_WAIT_1": 4, "FIN_WAIT_2": 5,
    "TIME_WAIT": 6, "CLOSED": 7, "CLOSE_WAIT": 8, "LAST_ACK": 9, "LISTEN": 10, "CLOSING": 11,
}
TCP_HEADER = ("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid"
              "  timeout inode")
TCP6_HEADER = ("  sl  local_address                         remote_address                        st"
               " tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode")
UDP_HEADER = ("   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid"
              "  timeout inode ref pointer drops")
UDP6_HEADER = TCP6_HEADER + " ref pointer drops"


def _hex_addr(addr: str, v6: bool) -> str:
    """An address as /proc/net/{tcp,udp}[6] print it: the 32-bit words of the
    network-order address, each read as a little-endian integer.  A v4
    socket on an IPv6 listener is the v4-mapped ``::ffff:a.b.c.d``."""
    if not v6:
        return fmt_ip_hex(addr)
    if addr in ("0.0.0.0", "::", ""):
        return "0" * 32
    return "0000000000000000FFFF0000" + fmt_ip_hex(addr)


def _inet_rows(netns, proto: str, v6: bool) -> list[str]:
    """Rows of /proc/net/tcp[6] or udp[6].  netsim's sockets have no inode
    and no hash slot: both are written as their order (real ones differ)."""
    rows = []
    if proto == "tcp":
        socks = [(addr, port, "0.0.0.0", 0, "LISTEN", getattr(lst, "v6", False))
                 for (addr, port), lst in netns.tcp_listeners.items()]
        for conn in netns.tcp_conns.values():
            conn_v6 = getattr(conn.listener, "v6", False) if conn.listener else getattr(conn, "v6", False)
            socks.append((conn.local[0], conn.local[1], conn.remote[0], conn.remote[1], conn.state, conn_v6))
        for laddr, lport, raddr, rport, state, sock_v6 in socks:
            if sock_v6 != v6:
                continue
            code = TCP_STATE_CODES.get(state, 7)
            fmt = (f"{len(rows):4d}: {_hex_addr(laddr, v6)}:{lport:04X} {_hex_addr(raddr, v6)}:{rport:04X} "
                   f"{code:02X} 00000000:00000000 00:00000000 00000000     0        0 0 1 0000000000000000 "
                   + ("100 0 0 10 0" if state == "LISTEN" else "200 4 0 10 -1"))
            rows.append(fmt if v6 else f"{fmt:<149}")
    else:
        for (addr, port), sock in netns.udp.items():
            if getattr(sock, "v6", False) != v6:
                continue
            peer = getattr(sock, "peer", None) or ("0.0.0.0", 0)
            fmt = (f"{len(rows):{4 if v6 else 5}d}: {_hex_addr(addr, v6)}:{port:04X} "
                   f"{_hex_addr(peer[0], v6)}:{peer[1]:04X} {1 if peer[1] else 7:02X} "
                   f"00000000:00000000 00:00000000 00000000     0        0 0 2 0000000000000000 0")
            rows.append(fmt if v6 else f"{fmt:<127}")
    return rows


def proc_net_inet(netns, name: str) -> str:
    proto, v6 = name.rstrip("6"), name.endswith("6")
    header = {"tcp": TCP_HEADER, "tcp6": TCP6_HEADER, "udp": UDP_HEADER, "udp6": UDP6_HEADER}[name]
    if not v6:
        header = f"{header:<{149 if proto == 'tcp' else 127}}"
    return "".join(line + "\n" for line in [header] + _inet_rows(netns, proto, v6))


def sys_class_net_attrs(dev) -> dict[str, object]:
    """The attribute files of /sys/class/net/IF that netsim can answer."""
    loopback = dev.kind == "loopback"
    peer = getattr(dev, "peer", None)
    flags = (0x1 if dev.up else 0) | (0x8 if loopback else 0x1002)   # IFF_UP, LOOPBACK | BROADCAST, MULTICAST
    attrs = {
        "address": dev.mac, "mtu": dev.mtu, "ifindex": dev.ifindex,
        "iflink": peer.ifindex if peer is not None else dev.ifindex,
        "operstate": "unknown" if loopback else dev.operstate.lower(),
        "carrier": int(dev.carrier),
        "tx_queue_len": 1000 if loopback else 0,
        "type": 772 if loopback else 1,
        "broadcast": "00:00:00:00:00:00" if loopback else "ff:ff:ff:ff:ff:ff",
        "flags": f"0x{flags:x}", "addr_len": 6, "dormant": 0, "link_mode": 0,
        "netdev_group": 0, "dev_id": "0x0", "dev_port": 0,
    }
    if dev.kind == "veth":
        attrs.update(speed=10000, duplex="full")
    return attrs


def proc_listdir(proc, path: str) -> list[str] | None:
    """The names in a /proc or /sys directory netsim computes, or None."""
    import posixpath
    path = posixpath.normpath(posixpath.join(proc.cwd or "/", path))
    ns = proc.netns
    if path == "/proc/net":
        return list(PROC_NET_ENTRIES)
    if path == "/sys/class/net":
        return sorted(ns.interfaces)
    parts = path.split("/")[4:]
    if path.startswith("/sys/class/net/") and len(parts) == 2 and parts[0] in ns.interfaces \
            and parts[1] == "statistics":
        return list(STATISTICS)
    return None


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
    if path in ("/proc/net/tcp", "/proc/net/tcp6", "/proc/net/udp", "/proc/net/udp6"):
        return proc_net_inet(ns, path.rsplit("/", 1)[1])
    if path == "/proc/net/unix":
        return "Num       RefCount Protocol Flags    Type St Inode Path\n"
    if path == "/proc/net/if_inet6" and not any(d.addrs6 for d in ns.interfaces.values()):
        return ""                      # no IPv6 address (Docker's containers by default)
    if path.startswith("/proc/sys/net/"):
        key = path[len("/proc/sys/"):].replace("/", ".")
        if key in ns.sysctl:
            return f"{ns.sysctl[key]}\n"
        if key == "net.ipv4.ip_forward":
            return "0\n"
        if key in SYSCTL_DEFAULTS:
            return SYSCTL_DEFAULTS[key] + "\n"
        conf = key.split(".")
        if conf[:3] == ["net", "ipv4", "conf"] and len(conf) == 5 and conf[4] == "forwarding" \
                and (conf[3] in ns.interfaces or conf[3] in ("all", "default")):
            return f"{ns.sysctl.get('net.ipv4.ip_forward', 0)}\n"   # follows ip_forward
        return None
    if path.startswith("/sys/class/net/"):
        parts = path.split("/")[4:]
        if len(parts) == 2 and parts[0] in ns.interfaces:
            values = sys_class_net_attrs(ns.interfaces[parts[0]])
            if parts[1] in values:
                return f"{values[parts[1]]}\n"
        if len(parts) == 3 and parts[0] in ns.interfaces and parts[1] == "statistics" \
                and parts[2] in STATISTICS:
            return f"{getattr(ns.interfaces[parts[0]].stats, parts[2], 0)}\n"
    return None


def is_proc_path(path: str) -> bool:
    return path.startswith(("/proc/", "/sys/"))


def netmask(prefixlen: int) -> str:
    return str(ipaddress.IPv4Network(f"0.0.0.0/{prefixlen}").netmask)
