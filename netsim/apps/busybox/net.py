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
    admin = exists and proc.capable("CAP_NET_ADMIN")
    dev = ns.interfaces.get(name)
    flags = []
    i = 0
    while i < len(rest):
        w = rest[i]
        if w in IFCONFIG_FLAGS:
            flags.append(w)
        elif w in IFCONFIG_SETTERS:
            if w == "hw":
                i += 1
            i += 1
            if i >= len(rest):
                return bb_usage(proc, "ifconfig", IFCONFIG_USAGE)
            problem = _ifconfig_set(ns, dev, w, rest[i], rest[i - 1]) if admin else errno_text
            if problem:
                proc.err(f"ifconfig: {IFCONFIG_SETTERS[w]}: {problem}\n")
                return 1
        else:
            problem = _ifconfig_set(ns, dev, "address", w) if admin else errno_text
            if problem:
                if problem == "bad address":
                    proc.err(f"ifconfig: bad address '{w}'\n")
                else:
                    proc.err(f"ifconfig: SIOCSIFADDR: {problem}\n")
                return 1
        i += 1
    if flags:
        if not admin:
            request = "SIOCSIFFLAGS" if exists else "SIOCGIFFLAGS"
            proc.err(f"ifconfig: {request}: {errno_text}\n")
            return 1
        for w in flags:
            if w in ("up", "down") and dev.up != (w == "up"):
                ns.set_up(dev, w == "up")
    return 0


def _classful_prefix(addr: ipaddress.IPv4Address) -> int:
    """``inet_abc_len``: the mask SIOCSIFADDR gives a new address."""
    first = int(addr) >> 24
    if first < 128:
        return 8
    if first < 192:
        return 16
    if first < 224:
        return 24
    return 32


def _ifconfig_set(ns, dev, what: str, value: str, kind: str = "") -> str | None:
    """One of ifconfig's ioctls with CAP_NET_ADMIN: None, or its errno text
    ("bad address" when busybox cannot read the address)."""
    if what == "address":
        addr, slash, plen = value.partition("/")
        try:
            ip = ipaddress.IPv4Address(addr)
        except ValueError:
            return "bad address"
        if slash and not (plen.isdigit() and int(plen) <= 32):
            return "bad address"
        # SIOCSIFADDR replaces the first address: it leaves (with its routes:
        # the last one takes all of the device's), the new one has the
        # classful mask; busybox then sets the prefix's netmask
        if dev.addrs:
            ns.del_address(dev, str(dev.addrs[0]))
        ns.add_address(dev, f"{ip}/{_classful_prefix(ip)}")
        if slash:
            return _ifconfig_set(ns, dev, "netmask", str(ipaddress.IPv4Network(f"0.0.0.0/{plen}").netmask))
        return None
    if what == "netmask":
        try:
            mask = ipaddress.IPv4Address(value)
        except ValueError:
            return "bad address"
        bits = bin(int(mask)).count("1")
        if int(mask) != (0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF:
            return "Invalid argument"
        if not dev.addrs:
            return "Cannot assign requested address"
        old = dev.addrs[0]
        if old.network.prefixlen != bits:
            ns.del_address(dev, str(old))
            ns.add_address(dev, f"{old.ip}/{bits}")
        return None
    if what == "mtu":
        if not value.isdigit() or not 68 <= int(value) <= 65535:
            return "Invalid argument"
        dev.mtu = int(value)
        return None
    if what == "hw":
        if kind != "ether":
            return "Invalid argument"
        parts = value.split(":")
        if len(parts) != 6 or not all(1 <= len(p) <= 2 and all(c in "0123456789abcdefABCDEF" for c in p)
                                      for p in parts):
            return "Invalid argument"
        dev.mac = ":".join(f"{int(p, 16):02x}" for p in parts)
        return None
    if what in ("broadcast", "metric", "txqueuelen"):
        return None
    return "Operation not supported"


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
            request = "SIOCADDRT"
        elif args[0] in ("del", "delete") and len(args) > 1:
            request = "SIOCDELRT"
        else:
            return bb_usage(proc, "route", ROUTE_USAGE)
        if not proc.capable("CAP_NET_ADMIN"):
            proc.err(f"route: {request}: Operation not permitted\n")
            return 1
        problem = _route_change(proc, request == "SIOCADDRT", args[1:])
        if problem is None:
            return 0
        if problem == "usage":
            return bb_usage(proc, "route", ROUTE_USAGE)
        proc.err(f"route: {problem}\n" if problem.startswith(("bad ", "netmask")) else
                 f"route: {request}: {problem}\n")
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


def _route_change(proc, add: bool, args: list[str]) -> str | None:
    """busybox ``INET_setroute`` and the kernel's ``ip_rt_ioctl``: None, or
    what went wrong (an errno text, "usage", or busybox's own message)."""
    from ...kernel.route import Route
    ns = proc.netns
    isnet = None
    if args and args[0] in ("-net", "-host"):
        isnet, args = args[0] == "-net", args[1:]
    if not args:
        return "usage"
    target, args = args[0], args[1:]
    if target == "default":
        value, plen = 0, 0
    else:
        addr, slash, bits = target.partition("/")
        try:
            value = int(ipaddress.IPv4Address(addr))
        except ValueError:
            return f"resolving {target}"
        plen = int(bits) if slash and bits.isdigit() and int(bits) <= 32 else (32 if not isnet else None)
    gateway = devname = None
    metric = 0
    while args:
        w = args[0]
        if w in ("metric", "netmask", "gw", "mss", "window", "irtt", "dev", "device") and len(args) > 1:
            v = args[1]
            if w == "metric":
                if not v.isdigit():
                    return "usage"
                metric = int(v)
            elif w == "netmask":
                try:
                    mask = int(ipaddress.IPv4Address(v))
                except ValueError:
                    return f"resolving {v}"
                plen = bin(mask).count("1")
                if mask != (0xFFFFFFFF << (32 - plen)) & 0xFFFFFFFF:
                    return "Invalid argument"
            elif w == "gw":
                try:
                    gateway = str(ipaddress.IPv4Address(v))
                except ValueError:
                    return f"resolving {v}"
            elif w in ("dev", "device"):
                devname = v
            args = args[2:]
        elif w in ("reject", "mod", "dyn", "reinstate"):
            args = args[1:]
        elif len(args) == 1:
            devname, args = w, []
        else:
            return "usage"
    if plen is None:
        plen = 0 if value == 0 else 32
    if value & ~((0xFFFFFFFF << (32 - plen)) & 0xFFFFFFFF) & 0xFFFFFFFF:
        return "netmask and route address conflict"
    net = ipaddress.IPv4Network((value, plen))
    dev = None
    if devname is not None:
        dev = ns.interfaces.get(devname)
        if dev is None:
            return "No such device"
    routes = ns.routes
    if not add:
        match = [r for r in routes.routes if r.dst == net and (gateway is None or r.gateway == gateway)
                 and (dev is None or r.dev is dev) and (not metric or r.metric == metric)]
        if not match:
            return "No such process"
        first = match[0]
        routes.remove(lambda r: r is first)
        return None
    if any(r.dst == net and r.metric == metric for r in routes.routes):
        return "File exists"
    if gateway is not None:
        link = routes.gateway_link(gateway, dev)
        if link is None:
            return "Network is unreachable"
        dev = link.dev
    elif dev is None:
        return "No such device"
    routes.add(Route(net, dev, gateway=gateway, metric=metric,
                     scope="universe" if gateway else "link", proto="boot"))
    return None


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
        host = "::" if addr in ("0.0.0.0", "::") else f"::ffff:{addr}"
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


def _arp_change(proc, opts, args):
    """``arp -s HOST HWADDR`` / ``arp -d HOST`` with CAP_NET_ADMIN: a
    permanent entry on the device the route to HOST uses (``-i IF``: that
    one); deleting an entry that is not there is ENXIO."""
    from ..libc import HSTRERROR, gethostbyname
    ns = proc.netns
    if not args or (opts.get("s") and len(args) < 2):
        return bb_usage(proc, "arp", ARP_USAGE)
    got = yield from gethostbyname(proc, args[0])
    if isinstance(got, int):
        proc.err(f"arp: {args[0]}: {HSTRERROR.get(got, 'Unknown host')}\n")
        return 1
    host = got.addrs[0]
    dev = None
    if opts.get("i"):
        dev = ns.interfaces.get(opts["i"])
        if dev is None:
            proc.err(f"arp: can't find device '{opts['i']}'\n")
            return 1
    neigh = ns.stack.neigh
    if opts.get("d"):
        if not neigh.delete(host, dev):
            proc.err("arp: SIOCDARP(priv): No such device or address\n")
            return 1
        return 0
    parts = args[1].split(":")
    if len(parts) != 6 or not all(1 <= len(p) <= 2 and all(c in "0123456789abcdefABCDEF" for c in p)
                                  for p in parts):
        proc.err(f"arp: invalid hardware address\n")
        return 1
    if dev is None:
        route = ns.routes.lookup(host)
        if route is None:
            proc.err("arp: SIOCSARP: Network is unreachable\n")
            return 1
        dev = route.dev
    neigh.add_permanent(host, dev, ":".join(f"{int(p, 16):02x}" for p in parts))
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
    ns = proc.netns
    if opts.get("s") or opts.get("d"):
        if not proc.capable("CAP_NET_ADMIN"):
            proc.err("arp: SIOCSARP: Operation not permitted\n" if opts.get("s") else
                     "arp: SIOCDARP(priv): Operation not permitted\n")
            return 1
        return (yield from _arp_change(proc, opts, args))
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
        if state == "PERMANENT":
            line += "PERM"
        out.append(line + f" on {e.dev.name}\n")
    if not shown and (host is not None or opts.get("i")):
        out.append(f"No match found in {len(entries)} entries\n")
    proc.out("".join(out))
    return 0
