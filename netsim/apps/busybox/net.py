"""ifconfig, route, netstat and arp (and ``ip``, in :mod:`.iproute`): views of the
namespace's kernel state."""
from __future__ import annotations

import ipaddress

from .common import VERSION, UsageError, getopt, program, usage
from .hostnames import AddrNames, gethostbyaddr
from .procfs import interfaces, neigh_entries, route_flags

from .iproute import ip_main  # noqa: E402,F401  (the ``ip`` applet)


# -- ifconfig ---------------------------------------------------------------

def _bytes_scaled(n: int) -> str:
    exts = ["", "Ki", "Mi", "Gi", "Ti"]
    i, frac, v = 0, 0, n
    for _ in range(4):
        if v >= 1024:
            frac = ((v & 1023) * 10) // 1024
            v //= 1024
            i += 1
    return f"{n} ({v}.{frac} {exts[i]}B)"


def _ifconfig_one(dev) -> str:
    lo = dev.kind == "loopback"
    if lo:
        s = f"{dev.name:<10}Link encap:Local Loopback  \n"
    else:
        s = f"{dev.name:<10}Link encap:Ethernet  HWaddr {dev.mac.upper()}  \n"
    for a in dev.addrs[:1]:
        mask = a.network.netmask
        if lo:
            s += f"          inet addr:{a.ip}  Mask:{mask}\n"
        else:
            s += f"          inet addr:{a.ip}  Bcast:{a.network.broadcast_address}  Mask:{mask}\n"
    flags = []
    if dev.up:
        flags.append("UP")
    flags.append("LOOPBACK" if lo else "BROADCAST")
    if dev.up and dev.carrier:
        flags.append("RUNNING")
    if not lo:
        flags.append("MULTICAST")
    st = dev.stats
    s += f"          {' '.join(flags)}  MTU:{dev.mtu}  Metric:1\n"
    s += f"          RX packets:{st.rx_packets} errors:0 dropped:{st.rx_dropped} overruns:0 frame:0\n"
    s += f"          TX packets:{st.tx_packets} errors:0 dropped:{st.tx_dropped} overruns:0 carrier:0\n"
    s += f"          collisions:0 txqueuelen:{1000 if lo else 0} \n"
    s += f"          RX bytes:{_bytes_scaled(st.rx_bytes)}  TX bytes:{_bytes_scaled(st.tx_bytes)}\n\n"
    return s


IFCONFIG_USAGE = (
    "[-a] [IFACE] [ADDRESS]\n\nConfigure a network interface\n\n"
    "\t[add ADDRESS[/PREFIXLEN]]\n\t[del ADDRESS[/PREFIXLEN]]\n"
    "\t[[-]broadcast [ADDRESS]] [[-]pointopoint [ADDRESS]]\n"
    "\t[netmask ADDRESS] [dstaddr ADDRESS]\n\t[outfill NN] [keepalive NN]\n"
    "\t[hw ether|infiniband ADDRESS] [metric NN] [mtu NN]\n"
    "\t[[-]trailers] [[-]arp] [[-]allmulti]\n"
    "\t[multicast] [[-]promisc] [txqueuelen NN] [[-]dynamic]\n"
    "\t[mem_start NN] [io_addr NN] [irq NN]\n\t[up|down] ...")

# ifconfig keywords that set an interface parameter: the ioctl and whether
# the keyword takes a value (busybox ifconfig.c's OptArray); the flag
# keywords are collected and applied at the end with SIOCGIFFLAGS/SIOCSIFFLAGS
IFCONFIG_SETTERS = {
    "netmask": "SIOCSIFNETMASK", "broadcast": "SIOCSIFBRDADDR", "dstaddr": "SIOCSIFDSTADDR",
    "pointopoint": "SIOCSIFDSTADDR", "metric": "SIOCSIFMETRIC", "mtu": "SIOCSIFMTU",
    "txqueuelen": "SIOCSIFTXQLEN", "hw": "SIOCSIFHWADDR", "add": "SIOCSIFADDR",
    "del": "SIOCDIFADDR", "mem_start": "SIOCSIFMAP", "io_addr": "SIOCSIFMAP", "irq": "SIOCSIFMAP",
    "keepalive": "SIOCSKEEPALIVE", "outfill": "SIOCSOUTFILL",
}
IFCONFIG_FLAGS = {"up", "down", "arp", "-arp", "trailers", "-trailers", "promisc", "-promisc",
                  "allmulti", "-allmulti", "multicast", "-multicast", "dynamic", "-dynamic",
                  "-broadcast", "-pointopoint"}


@program
def ifconfig_main(proc):
    """busybox ifconfig: ``-a`` is its only option (any other word is an
    interface name); without CAP_NET_ADMIN every change fails with EPERM,
    naming the ioctl (ENODEV when there is no such interface)."""
    args = proc.argv[1:]
    if args == ["--help"]:
        return bb_usage(proc, "ifconfig", IFCONFIG_USAGE, 0)
    show_all = False
    if args and args[0] == "-a":
        show_all, args = True, args[1:]
    ns = proc.netns
    if not args:
        devs = sorted(ns.interfaces.values(), key=lambda d: d.name)
        proc.out("".join(_ifconfig_one(d) for d in devs if show_all or d.up))
        return 0
    name, rest = args[0], args[1:]
    exists = name in ns.interfaces
    if not rest:
        if not exists:
            proc.err(f"ifconfig: {name}: error fetching interface information: Device not found\n")
            return 1
        proc.out(_ifconfig_one(ns.interfaces[name]))
        return 0
    errno_text = "Operation not permitted" if exists else "No such device"
    flags = False
    i = 0
    while i < len(rest):
        w = rest[i]
        if w in IFCONFIG_FLAGS:
            flags = True
        elif w in IFCONFIG_SETTERS:
            if w == "hw":
                i += 1
            i += 1
            if i >= len(rest):
                return bb_usage(proc, "ifconfig", IFCONFIG_USAGE)
            proc.err(f"ifconfig: {IFCONFIG_SETTERS[w]}: {errno_text}\n")
            return 1
        else:
            proc.err(f"ifconfig: SIOCSIFADDR: {errno_text}\n")
            return 1
        i += 1
    if flags:
        request = "SIOCSIFFLAGS" if exists else "SIOCGIFFLAGS"
        proc.err(f"ifconfig: {request}: {errno_text}\n")
        return 1
    return 0


def bb_usage(proc, name: str, text: str, status: int = 1) -> int:
    """``bb_show_usage``: a text starting on a new line follows the name
    directly; ``APPLET --help`` prints it too, with exit status 0."""
    sep = "" if text.startswith("\n") else " "
    proc.err(f"{VERSION}\n\nUsage: {name}{sep}{text}\n")
    return status


# -- route / netstat -r --------------------------------------------------------

ROUTE_USAGE = (
    "[-ne] [-A inet[6]] [{add|del} [-net|-host] TARGET [netmask MASK]\n"
    "\t[gw GATEWAY] [metric N] [mss BYTES] [window BYTES] [reject] [IFACE]]\n\n"
    "Show or edit kernel routing tables\n\n"
    "\t-n\tDon't resolve names\n"
    "\t-e\tDisplay other/more information\n"
    "\t-A inet[6]\tSelect address family")

NETSTAT_USAGE = (
    "[-ral] [-tuwx] [-en]\n\nDisplay networking information\n\n"
    "\t-r\tRouting table\n\t-a\tAll sockets\n\t-l\tListening sockets\n"
    "\t\tElse: connected sockets\n\t-t\tTCP sockets\n\t-u\tUDP sockets\n"
    "\t-w\tRaw sockets\n\t-x\tUnix sockets\n\t\tElse: all socket types\n"
    "\t-e\tOther/more information\n\t-n\tDon't resolve names")

ARP_USAGE = (
    "\n[-vn]\t[-H HWTYPE] [-i IF] -a [HOSTNAME]\n"
    "[-v]\t\t    [-i IF] -d HOSTNAME [pub]\n"
    "[-v]\t[-H HWTYPE] [-i IF] -s HOSTNAME HWADDR [temp]\n"
    "[-v]\t[-H HWTYPE] [-i IF] -s HOSTNAME HWADDR [netmask MASK] pub\n"
    "[-v]\t[-H HWTYPE] [-i IF] -Ds HOSTNAME IFACE [netmask MASK] pub\n\n"
    "Manipulate ARP cache\n\n"
    "\t-a\t\tDisplay (all) hosts\n\t-d\t\tDelete ARP entry\n\t-s\t\tSet new entry\n"
    "\t-v\t\tVerbose\n\t-n\t\tDon't resolve names\n\t-i IF\t\tNetwork interface\n"
    "\t-D\t\tRead HWADDR from IFACE\n\t-A,-p AF\tProtocol family\n"
    "\t-H HWTYPE\tHardware address type")


def _rt_flags(r) -> str:
    f = route_flags(r)
    return "U" + ("G" if f & 2 else "") + ("H" if f & 4 else "")


def _route_table(proc, numeric: bool, netstat_fmt: bool):
    """busybox ``bb_displayroutes`` (a generator: names are looked up).

    Without ``-n``, ``INET_rresolve`` prints ``default`` for destination
    0.0.0.0 and ``*`` for no gateway; a destination with host bits or a
    gateway is looked up by address (``/etc/hosts``, then DNS PTR); a
    network would be looked up in ``/etc/networks``, which busybox's image
    does not have, so it stays numeric."""
    ns = proc.netns
    names = AddrNames(proc)
    out = "Kernel IP routing table\n"
    if netstat_fmt:
        out += "Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface\n"
    else:
        out += "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n"
    for r in ns.routes.sorted():
        if not r.dev.up:
            continue
        dst = str(r.dst.network_address)
        gw = r.gateway or "0.0.0.0"
        if not numeric:
            if dst == "0.0.0.0":
                dst = "default"
            elif int(r.dst.network_address) & ~int(r.dst.netmask) & 0xFFFFFFFF:
                dst = (yield from names.lookup(dst)) or dst
            if gw == "0.0.0.0":
                gw = "*"
            else:
                gw = (yield from names.lookup(gw)) or gw
        line = f"{dst:<15.15} {gw:<15.15} {str(r.dst.netmask):<16}{_rt_flags(r):<6}"
        if netstat_fmt:
            line += f"{0:5d} {0:<5d} {0:6d} {r.dev.name}"
        else:
            line += f"{r.metric:<6d} {0:<2d} {0:7d} {r.dev.name}"
        out += line + "\n"
    return out


@program
def route_main(proc):
    if proc.argv[1:] == ["--help"]:
        return bb_usage(proc, "route", ROUTE_USAGE, 0)
    try:
        opts, args = getopt(proc, "A:ne", proc.argv[1:], permute=False)
    except UsageError:
        return bb_usage(proc, "route", ROUTE_USAGE)
    if opts.get("A") not in (None, "inet", "inet6"):
        return bb_usage(proc, "route", ROUTE_USAGE)
    if args:
        if args[0] == "add" and len(args) > 1:
            proc.err("route: SIOCADDRT: Operation not permitted\n")
        elif args[0] in ("del", "delete") and len(args) > 1:
            proc.err("route: SIOCDELRT: Operation not permitted\n")
        else:
            return bb_usage(proc, "route", ROUTE_USAGE)
        return 1
    if opts.get("A") == "inet6":
        # containers have IPv6 disabled: only the kernel's two reject routes
        proc.out("Kernel IPv6 routing table\n"
                 "Destination                                 Next Hop                                "
                 "Flags Metric Ref    Use Iface\n"
                 + ("::/0                                        ::                                      "
                    "!n    -1     1        0 lo      \n") * 2)
        return 0
    proc.out((yield from _route_table(proc, bool(opts.get("n")), bool(opts.get("e")))))
    return 0


TCP_STATES = {
    "ESTABLISHED": "ESTABLISHED", "SYN_SENT": "SYN_SENT", "SYN_RCVD": "SYN_RECV",
    "FIN_WAIT_1": "FIN_WAIT1", "FIN_WAIT_2": "FIN_WAIT2", "TIME_WAIT": "TIME_WAIT",
    "CLOSED": "CLOSE", "CLOSE_WAIT": "CLOSE_WAIT", "LAST_ACK": "LAST_ACK",
    "LISTEN": "LISTEN", "CLOSING": "CLOSING",
}


def _hostport(proc, addr: str, port: int, v6: bool, numeric: bool):
    """busybox netstat's ``ip_port_str`` (a generator): the host's name
    unless ``-n`` (no cache: each column is looked up), the port as a number
    (the image has no /etc/services), ``*`` for port 0."""
    p = "*" if port == 0 else str(port)
    if v6:
        host = "::" if addr == "0.0.0.0" else f"::ffff:{addr}"
    else:
        host = addr
    if not numeric:
        name = yield from gethostbyaddr(proc, addr if not v6 or addr != "0.0.0.0" else "::")
        if name:
            host = name
    return f"{host}:{p}"


@program
def netstat_main(proc):
    """busybox netstat (Debian's build: no -p, no -W).  Sections in
    busybox's order: tcp, tcp6, udp, udp6, raw, raw6, then UNIX sockets
    (a busybox container has none: the header only)."""
    if proc.argv[1:] == ["--help"]:
        return bb_usage(proc, "netstat", NETSTAT_USAGE, 0)
    try:
        opts, args = getopt(proc, "laentuwxr", proc.argv[1:])
    except UsageError:
        return bb_usage(proc, "netstat", NETSTAT_USAGE)
    numeric = bool(opts.get("n"))
    if opts.get("r"):
        proc.out((yield from _route_table(proc, numeric, not opts.get("e"))))
        return 0
    listening = bool(opts.get("l") or opts.get("a"))
    connected = bool(opts.get("a") or not opts.get("l"))
    protos = {p for p in "tuwx" if opts.get(p)} or {"t", "u", "w", "x"}
    if listening and connected:
        which = "(servers and established)"
    elif listening:
        which = "(only servers)"
    else:
        which = "(w/o servers)"
    ns = proc.netns
    out = []
    if protos & {"t", "u", "w"}:
        out.append(f"Active Internet connections {which}"
                   "\nProto Recv-Q Send-Q Local Address           Foreign Address         State       \n")

    def row(proto, local, remote, state):
        return f"{proto}   {0:6d} {0:6d} {local:<23} {remote:<23} {state:<12}\n"

    if "t" in protos:
        tcp4, tcp6 = [], []
        for (addr, port), lst in ns.tcp_listeners.items():
            if listening:
                tcp6.append((addr, port, 0, 0, "LISTEN")) if getattr(lst, "v6", False) \
                    else tcp4.append((addr, port, "0.0.0.0", 0, "LISTEN"))
        for key, conn in ns.tcp_conns.items():
            if not connected:
                continue
            v6 = getattr(conn.listener, "v6", False) if conn.listener else getattr(conn, "v6", False)
            (tcp6 if v6 else tcp4).append((conn.local[0], conn.local[1], conn.remote[0],
                                           conn.remote[1], TCP_STATES.get(conn.state, conn.state)))
        for rows, v6 in ((tcp4, False), (tcp6, True)):
            for laddr, lport, raddr, rport, state in rows:
                local = yield from _hostport(proc, laddr, lport, v6, numeric)
                remote = yield from _hostport(proc, raddr or "0.0.0.0", rport, v6, numeric)
                out.append(row("tcp", local, remote, state))
    if "u" in protos:
        udp4, udp6 = [], []
        for (addr, port), sock in ns.udp.items():
            peer = getattr(sock, "peer", None)
            if (peer is None and not listening) or (peer is not None and not connected):
                continue
            v6 = getattr(sock, "v6", False)
            (udp6 if v6 else udp4).append((addr, port, peer))
        for rows, v6 in ((udp4, False), (udp6, True)):
            for addr, port, peer in rows:
                local = yield from _hostport(proc, addr, port, v6, numeric)
                remote = yield from _hostport(proc, peer[0] if peer else "0.0.0.0",
                                              peer[1] if peer else 0, v6, numeric)
                out.append(row("udp", local, remote, "ESTABLISHED" if peer else ""))
    if "x" in protos:
        out.append(f"Active UNIX domain sockets {which}"
                   "\nProto RefCnt Flags       Type       State         I-Node Path\n")
    proc.out("".join(out))
    return 0


@program
def arp_main(proc):
    """busybox arp: the entries of /proc/net/arp; without ``-n`` each
    address is looked up by name (``?`` when it has none); a HOSTNAME
    argument is resolved first (``Host name lookup failure`` when it does
    not resolve).  Changes need CAP_NET_ADMIN: EPERM."""
    from ..libc import HSTRERROR, gethostbyname
    if proc.argv[1:] == ["--help"]:
        return bb_usage(proc, "arp", ARP_USAGE, 0)
    try:
        opts, args = getopt(proc, "A:p:H:t:i:adnDsv", proc.argv[1:])
    except UsageError:
        return bb_usage(proc, "arp", ARP_USAGE)
    if opts.get("s"):
        proc.err("arp: SIOCSARP: Operation not permitted\n")
        return 1
    if opts.get("d"):
        proc.err("arp: SIOCDARP(priv): Operation not permitted\n")
        return 1
    ns = proc.netns
    host = None
    if args:
        got = yield from gethostbyname(proc, args[0])
        if isinstance(got, int):
            proc.err(f"arp: {args[0]}: {HSTRERROR.get(got, 'Unknown host')}\n")
            return 1
        host = got.addrs[0]
    entries = neigh_entries(ns)
    out = []
    shown = 0
    for e, state in entries:
        if host is not None and e.ip != host:
            continue
        if opts.get("i") and e.dev.name != opts["i"]:
            continue
        shown += 1
        name = "?"
        if not opts.get("n"):
            if int(ipaddress.IPv4Address(e.ip)) & 0xFF:
                name = (yield from gethostbyaddr(proc, e.ip)) or "?"
        line = f"{name} ({e.ip}) at "
        line += f"{e.mac} [ether] " if e.mac else "<incomplete> "
        out.append(line + f" on {e.dev.name}\n")
    if not shown and (host is not None or opts.get("i")):
        out.append(f"No match found in {len(entries)} entries\n")
    proc.out("".join(out))
    return 0
