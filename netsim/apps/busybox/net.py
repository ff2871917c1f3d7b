"""ip, ifconfig, route, netstat and arp: views of the namespace's kernel state."""
from __future__ import annotations

import ipaddress

from .common import UsageError, getopt, program, usage
from .procfs import interfaces, neigh_entries, route_flags

IFF = ["LOOPBACK", "BROADCAST", "POINTOPOINT", "MULTICAST", "NOARP", "UP", "LOWER_UP"]


def _flags(dev) -> list[str]:
    if dev.kind == "loopback":
        names = ["LOOPBACK"]
    else:
        names = ["BROADCAST", "MULTICAST"]
    if dev.up:
        names.append("UP")
        if dev.carrier:
            names.append("LOWER_UP")
    return names


def _link_line(dev, netns) -> str:
    name = dev.name
    mdown = False
    peer = getattr(dev, "peer", None)
    if dev.kind == "veth" and peer is not None:
        local = next((d for d in netns.interfaces.values() if d.ifindex == peer.ifindex), None)
        if local is not None:
            name += f"@{local.name}"
            mdown = not local.up
        else:
            name += f"@if{peer.ifindex}"
            mdown = True
    flags = _flags(dev)
    prefix = "NO-CARRIER," if dev.up and not dev.carrier else ""
    fl = "<" + prefix + ",".join(flags) + (",M-DOWN" if mdown else "") + "> "
    line = f"{dev.ifindex}: {name}: {fl}mtu {dev.mtu} qdisc noqueue "
    if dev.master is not None:
        line += f"master {dev.master.name} "
    if dev.kind == "loopback":
        line += "qlen 1000"
    return line


def _link_addr(dev) -> str:
    if dev.kind == "loopback":
        return "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00"
    return f"    link/ether {dev.mac} brd ff:ff:ff:ff:ff:ff"


def _addr_lines(dev) -> list[tuple[str, str]]:
    out = []
    for a in dev.addrs:
        scope = "host" if dev.kind == "loopback" else "global"
        brd = ""
        if dev.kind != "loopback" and a.network.prefixlen < 31:
            brd = f"brd {a.network.broadcast_address} "
        out.append((f"    inet {a.ip}/{a.network.prefixlen} {brd}scope {scope} {dev.name}",
                    "       valid_lft forever preferred_lft forever"))
    return out


@program
def ip_main(proc):
    args = proc.argv[1:]
    family = None
    oneline = False
    while args and args[0].startswith("-") and len(args[0]) > 1:
        opt = args.pop(0)
        if opt in ("-4",):
            family = "inet"
        elif opt in ("-6",):
            family = "inet6"
        elif opt in ("-0",):
            family = "link"
        elif opt in ("-o", "-oneline"):
            oneline = True
        elif opt in ("-s", "-stats", "-d", "-details", "-r", "-resolve"):
            pass
        elif opt.startswith("-f") and args:
            family = args.pop(0)
        else:
            proc.err(f'ip: invalid argument \'{opt}\' to \'ip\'\n')
            return 1
    if not args:
        return usage(proc, "ip", "[OPTIONS] address|route|link|neigh|rule [ARGS]")
    obj, rest = args[0], args[1:]
    ns = proc.netns
    sl = "\\" if oneline else "\n"

    def match(word, full, minlen=1):
        return len(word) >= minlen and full.startswith(word)

    if match(obj, "address") or match(obj, "link"):
        is_link = match(obj, "link") and not match(obj, "address")
        dev_name = None
        only_up = False
        rest_kind: list = []
        rest = list(rest)
        if rest and rest[0] in ("show", "list", "lst", "sh", "ls", "s", "l"):
            rest = rest[1:]
        while rest:
            w = rest.pop(0)
            if w == "dev" and rest:
                dev_name = rest.pop(0)
            elif w == "up":
                only_up = True
            elif w == "type" and rest:
                kinds = {"veth": "veth", "bridge": "bridge"}
                want_kind = kinds.get(rest.pop(0))
                rest_kind.append(want_kind)
            else:
                dev_name = w
        devs = interfaces(ns)
        if dev_name is not None:
            if dev_name not in ns.interfaces:
                proc.err(f'ip: can\'t find device \'{dev_name}\'\n')
                return 1
            devs = [ns.interfaces[dev_name]]
        if only_up:
            devs = [d for d in devs if d.up]
        if rest_kind:
            devs = [d for d in devs if d.kind in rest_kind]
        out = []
        for d in devs:
            if family == "inet" and not is_link:
                addrs = _addr_lines(d)
                if not addrs:
                    continue
                if oneline:
                    for a, b in addrs:
                        out.append(f"{d.ifindex}: {d.name}{a}{sl}{b}\n")
                else:
                    out.append(_link_line(d, ns) + "\n")
                    for a, b in addrs:
                        out.append(a + "\n" + b + "\n")
                continue
            head = _link_line(d, ns) + sl + _link_addr(d)
            if oneline:
                out.append(head + "\n")
                if not is_link:
                    for a, b in _addr_lines(d):
                        out.append(f"{d.ifindex}: {d.name}{a}{sl}{b}\n")
                continue
            out.append(head + "\n")
            if not is_link:
                for a, b in _addr_lines(d):
                    out.append(a + "\n" + b + "\n")
        proc.out("".join(out))
        return 0

    if match(obj, "route"):
        if rest and rest[0] not in ("show", "list", "lst", "sh", "ls", "s", "l"):
            if rest[0] == "get" and len(rest) > 1:
                r = ns.routes.lookup(rest[1])
                if r is None:
                    proc.err("ip: RTNETLINK answers: Network is unreachable\n")
                    return 2
                src = ns.source_address(rest[1])
                via = f"via {r.gateway} " if r.gateway else ""
                proc.out(f"{rest[1]} {via}dev {r.dev.name}  src {src} \n")
                return 0
            proc.err(f"ip: RTNETLINK answers: Operation not permitted\n")
            return 2
        out = []
        for r in ns.routes.sorted():
            if r.dst.prefixlen == 0:
                line = "default "
            elif r.dst.prefixlen == 32:
                line = f"{r.dst.network_address} "
            else:
                line = f"{r.dst.with_prefixlen} "
            if r.gateway:
                line += f"via {r.gateway} "
            line += f"dev {r.dev.name} "
            if r.scope != "universe":
                line += f"scope {r.scope} "
            if r.src:
                line += f" src {r.src} "
            if r.metric:
                line += f" metric {r.metric} "
            out.append(line + "\n")
        proc.out("".join(out))
        return 0

    if match(obj, "neighbour") or match(obj, "neighbor"):
        out = []
        for e, state in neigh_entries(ns):
            line = f"{e.ip} dev {e.dev.name} "
            if e.mac:
                line += f"lladdr {e.mac}"
            # ``ip neigh`` statistics as the reference kernel reports them:
            # ref, used/confirmed/updated seconds, probes (4 once resolved
            # by our own solicitation, 0 when learned from a request)
            age = int(ns.kernel.sched.now - e.updated) if state == "STALE" else 0
            probes = 4 if e.probes else 0
            line += f" ref 1 used {age}/{age}/{age} probes {probes} {state}"
            out.append(line + "\n")
        proc.out("".join(out))
        return 0

    return usage(proc, "ip", "[OPTIONS] address|route|link|neigh|rule [ARGS]")


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


@program
def ifconfig_main(proc):
    try:
        opts, args = getopt(proc, "a", proc.argv[1:])
    except UsageError:
        return usage(proc, "ifconfig", "[-a] [IFACE]")
    ns = proc.netns
    if args:
        name = args[0]
        if len(args) > 1:
            proc.err("ifconfig: SIOCSIFADDR: Operation not permitted\n")
            return 1
        if name not in ns.interfaces:
            proc.err(f"ifconfig: {name}: error fetching interface information: Device not found\n")
            return 1
        proc.out(_ifconfig_one(ns.interfaces[name]))
        return 0
    devs = sorted(ns.interfaces.values(), key=lambda d: d.name)
    proc.out("".join(_ifconfig_one(d) for d in devs if opts.get("a") or d.up))
    return 0


# -- route / netstat -r --------------------------------------------------------

def _rt_flags(r) -> str:
    f = route_flags(r)
    return "U" + ("G" if f & 2 else "") + ("H" if f & 4 else "")


def _route_table(ns, netstat: bool) -> str:
    out = "Kernel IP routing table\n"
    if netstat:
        out += "Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface\n"
    else:
        out += "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n"
    for r in ns.routes.sorted():
        if not r.dev.up:
            continue
        dst = str(r.dst.network_address)
        gw = r.gateway or "0.0.0.0"
        line = f"{dst:<15.15} {gw:<15.15} {str(r.dst.netmask):<16}{_rt_flags(r):<6}"
        if netstat:
            line += f"{0:5d} {0:<6d} {0:5d} {r.dev.name}"
        else:
            line += f"{r.metric:<6d} {0:<2d} {0:7d} {r.dev.name}"
        out += line + "\n"
    return out


@program
def route_main(proc):
    try:
        opts, args = getopt(proc, "neA:", proc.argv[1:])
    except UsageError:
        return usage(proc, "route", "[{add|del|delete}]")
    if args:
        proc.err("route: SIOCADDRT: Operation not permitted\n")
        return 1
    proc.out(_route_table(proc.netns, netstat=False))
    return 0


TCP_STATES = {
    "ESTABLISHED": "ESTABLISHED", "SYN_SENT": "SYN_SENT", "SYN_RCVD": "SYN_RECV",
    "FIN_WAIT_1": "FIN_WAIT1", "FIN_WAIT_2": "FIN_WAIT2", "TIME_WAIT": "TIME_WAIT",
    "CLOSED": "CLOSE", "CLOSE_WAIT": "CLOSE_WAIT", "LAST_ACK": "LAST_ACK",
    "LISTEN": "LISTEN", "CLOSING": "CLOSING",
}


def _hostport(addr: str, port: int, v6: bool) -> str:
    p = "*" if port == 0 else str(port)
    if v6:
        host = "::" if addr == "0.0.0.0" else f"::ffff:{addr}"
        return f"{host}:{p}"
    return f"{addr}:{p}"


@program
def netstat_main(proc):
    try:
        opts, args = getopt(proc, "laentuwrWp", proc.argv[1:])
    except UsageError:
        return usage(proc, "netstat", "[-ral] [-tuwx] [-en]")
    ns = proc.netns
    if opts.get("r"):
        proc.out(_route_table(ns, netstat=True))
        return 0
    listening = bool(opts.get("l") or opts.get("a"))
    connected = bool(opts.get("a") or not opts.get("l"))
    protos = {p for p in "tuw" if opts.get(p)} or {"t", "u", "w"}
    out = "Active Internet connections "
    if listening and connected:
        out += "(servers and established)"
    elif listening:
        out += "(only servers)"
    else:
        out += "(w/o servers)"
    out += "\nProto Recv-Q Send-Q Local Address           Foreign Address         State       \n"

    def row(proto, local, remote, state):
        return f"{proto}   {0:6d} {0:6d} {local:<23} {remote:<23} {state:<12}\n"

    rows4, rows6 = [], []
    if "t" in protos:
        for (addr, port), lst in ns.tcp_listeners.items():
            if not listening:
                continue
            v6 = getattr(lst, "v6", False)
            (rows6 if v6 else rows4).append(row(
                "tcp", _hostport(addr, port, v6), _hostport("0.0.0.0", 0, v6), "LISTEN"))
        for key, conn in ns.tcp_conns.items():
            if not connected:
                continue
            v6 = getattr(conn.listener, "v6", False) if conn.listener else getattr(conn, "v6", False)
            (rows6 if v6 else rows4).append(row(
                "tcp", _hostport(conn.local[0], conn.local[1], v6),
                _hostport(conn.remote[0], conn.remote[1], v6),
                TCP_STATES.get(conn.state, conn.state)))
    if "u" in protos:
        for (addr, port), sock in ns.udp.items():
            peer = getattr(sock, "peer", None)
            if (peer is None and not listening) or (peer is not None and not connected):
                continue
            v6 = getattr(sock, "v6", False)
            remote = _hostport(peer[0], peer[1], v6) if peer else _hostport("0.0.0.0", 0, v6)
            (rows6 if v6 else rows4).append(row(
                "udp", _hostport(addr, port, v6), remote, "ESTABLISHED" if peer else ""))
    proc.out(out + "".join(rows4) + "".join(rows6))
    return 0


@program
def arp_main(proc):
    try:
        opts, args = getopt(proc, "navi:H:t:dsD", proc.argv[1:])
    except UsageError:
        return usage(proc, "arp", "[-vn] [-H HWTYPE] [-i IF] -a [HOSTNAME]")
    ns = proc.netns
    out = ""
    entries = neigh_entries(ns)
    if opts.get("i"):
        entries = [(e, s) for e, s in entries if e.dev.name == opts["i"]]
    if args:
        entries = [(e, s) for e, s in entries if e.ip == args[0]]
    for e, state in entries:
        name = "?" if opts.get("n") else "?"
        out += f"{name} ({e.ip}) at "
        out += f"{e.mac} [ether] " if e.mac else "<incomplete> "
        out += f" on {e.dev.name}\n"
    if args and not entries:
        out += f"No match found in {len(neigh_entries(ns))} entries\n"
    proc.out(out)
    return 0
