"""iproute2's ``ip`` (Debian 12, iproute2 6.1) and ``bridge link``: the host's
view of the kernel model's devices, addresses and routes.

Formats from the reference host (tests/golden/host_ip.json, host.json,
host_side_interfaces.json): ``state``/``mode DEFAULT``/``group default``
words, ``qdisc`` per device kind (``pfifo_fast`` on the uplink NIC), ``@ifN``
and ``link-netnsid`` for a veth whose peer lives in another namespace,
``proto kernel`` and ``linkdown`` on routes, ``-o``/``-br`` layouts and
``Device "X" does not exist.``; IPv6 addresses and routes of the host's
devices (tests/golden/host_views_ipv6.json: ``::1`` on lo, the uplink's
addresses, ``fe80::`` link-local addresses of bridges and veths once they
have a carrier, ``tentative`` during DAD) from :mod:`netsim.kernel.addrconf`.
"""
from __future__ import annotations

from ...kernel import addrconf
from ..busybox.common import program

KINDS = {"veth": "veth", "bridge": "bridge"}


def _netnsid(host_ns, other) -> int:
    """The id the host's namespace gives a peer namespace (``link-netnsid``):
    the lowest free id, allocated on first use, as ``peernet2id_alloc`` does."""
    ids = getattr(host_ns, "_peer_netnsids", None)
    if ids is None:
        ids = host_ns._peer_netnsids = {}
    live = set(host_ns.kernel.namespaces.values()) if hasattr(host_ns.kernel, "namespaces") else set()
    for ns in [n for n in ids if n not in live]:
        del ids[ns]
    if other not in ids:
        used = set(ids.values())
        ids[other] = next(i for i in range(len(used) + 1) if i not in used)
    return ids[other]


def _state(dev) -> str:
    if dev.kind == "loopback":
        return "UNKNOWN"
    return "UP" if dev.oper_up else "DOWN"


def _flags(dev) -> str:
    if dev.kind == "loopback":
        names = ["LOOPBACK"]
    else:
        names = ["BROADCAST"] + (["MULTICAST"] if dev.multicast else []) + (["NOARP"] if dev.noarp else [])
    if dev.up:
        names.append("UP")
        if dev.carrier:
            names.append("LOWER_UP")
    prefix = "NO-CARRIER," if dev.up and not dev.carrier else ""
    return "<" + prefix + ",".join(names) + ">"


def _name(dev, ns) -> tuple[str, str]:
    """``name@peer`` and the ``link-netnsid`` suffix of a veth."""
    peer = getattr(dev, "peer", None)
    if dev.kind != "veth" or peer is None:
        return dev.name, ""
    if peer.netns is ns:
        return f"{dev.name}@{peer.name}", ""
    suffix = f" link-netnsid {_netnsid(ns, peer.netns)}" if peer.netns is not None else ""
    return f"{dev.name}@if{peer.ifindex}", suffix


def _link_head(dev, ns, with_mode: bool, inet6_dump: bool = False) -> tuple[str, str]:
    """The device's first line and its ``link/`` line.  ``inet6_dump``: the
    short first line of ``ip -6 addr`` listing devices, whose link data come
    from the kernel's AF_INET6 link dump (no qdisc, master or group)."""
    name, netnsid = _name(dev, ns)
    line = f"{dev.ifindex}: {name}: {_flags(dev)} mtu {dev.mtu} "
    if not inet6_dump:
        line += f"qdisc {dev.qdisc} "
        if dev.master is not None:
            line += f"master {dev.master.name} "
    line += f"state {_state(dev)} "
    if with_mode:
        line += "mode DEFAULT "
    if not inet6_dump:
        line += "group default "
    if dev.txqueuelen:
        line += f"qlen {dev.txqueuelen}"
    if dev.kind == "loopback":
        link = "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00"
    else:
        link = f"    link/ether {dev.mac} brd ff:ff:ff:ff:ff:ff{netnsid}"
    return line, link


def _inet(dev) -> list[tuple[str, str]]:
    out = []
    for a in dev.addrs:
        scope = "host" if dev.kind == "loopback" else "global"
        brd = f"brd {a.network.broadcast_address} " if dev.kind != "loopback" and a.network.prefixlen < 31 else ""
        out.append((f"    inet {a.ip}/{a.network.prefixlen} {brd}scope {scope} {dev.name}",
                    "       valid_lft forever preferred_lft forever"))
    return out


def _inet6(dev) -> list[tuple[str, str]]:
    now = dev.kernel.sched.now
    out = []
    for a in dev.addrs6:
        flags = "".join(f + " " for f in a.flags(now))
        out.append((f"    inet6 {a.address}/{a.prefixlen} scope {a.scope} {flags}",
                    "       valid_lft forever preferred_lft forever"))
    return out


def _addresses(dev, family) -> list[tuple[str, str]]:
    """The device's address lines: IPv4 then IPv6, as the kernel dumps them."""
    return (_inet(dev) if family != "inet6" else []) + (_inet6(dev) if family != "inet" else [])


class _Usage(Exception):
    pass


def _select(proc, ns, words: list[str]):
    """Devices named by ``[dev] NAME``, ``type KIND``, ``master BR``, ``up``;
    and whether one device was named."""
    devs = sorted(ns.interfaces.values(), key=lambda d: d.ifindex)
    named = False
    words = list(words)
    if words and words[0] in ("show", "list", "lst", "sh", "ls", "s", "l"):
        words = words[1:]
    while words:
        w = words.pop(0)
        if w in ("dev",) and words:
            w = words.pop(0)
        elif w == "type" and words:
            kind = KINDS.get(words.pop(0))
            devs = [d for d in devs if d.kind == kind]
            continue
        elif w == "master" and words:
            br = words.pop(0)
            if br not in ns.interfaces:
                proc.err(f'Device "{br}" does not exist.\n')
                raise _Usage()
            devs = [d for d in devs if d.master is not None and d.master.name == br]
            continue
        elif w == "up":
            devs = [d for d in devs if d.up]
            continue
        if w not in ns.interfaces:
            proc.err(f'Device "{w}" does not exist.\n')
            raise _Usage()
        devs = [ns.interfaces[w]]
        named = True
    return devs, named


def _brief(dev, ns, is_link: bool, family) -> str:
    name, _ = _name(dev, ns)
    state = _state(dev)
    if is_link:
        return f"{name:<16} {state:<14} {dev.mac} {_flags(dev)} \n"
    addrs = ""
    if family != "inet6":
        addrs += "".join(f"{a.ip}/{a.network.prefixlen} " for a in dev.addrs)
    if family != "inet":
        addrs += "".join(f"{a.address}/{a.prefixlen} " for a in dev.addrs6)
    return f"{name:<16} {state:<14} {addrs}\n"


def _addr_link(proc, ns, words, is_link, family, oneline, brief) -> int:
    try:
        devs, named = _select(proc, ns, words)
    except _Usage:
        return 1
    out = []
    sl = "\\" if oneline else "\n"
    for d in devs:
        if brief:
            out.append(_brief(d, ns, is_link, family))
            continue
        head, link = _link_head(d, ns, with_mode=is_link,
                                inet6_dump=family == "inet6" and not is_link and not named)
        if is_link:
            out.append(head + sl + link + "\n")
            continue
        inet = _addresses(d, family)
        if oneline:
            out += [f"{d.ifindex}: {d.name}{a}{sl}{b}\n" for a, b in inet]
            continue
        if family is not None and not inet:
            continue
        out.append(head + "\n")
        if family is None:
            out.append(link + "\n")
        out += [a + "\n" + b + "\n" for a, b in inet]
    proc.out("".join(out))
    return 0


def _route_line(r, omit_dev: bool) -> str:
    dst = "default" if r.dst.prefixlen == 0 else (
        str(r.dst.network_address) if r.dst.prefixlen == 32 else r.dst.with_prefixlen)
    parts = [dst]
    if r.gateway:
        parts += ["via", r.gateway]
    if not omit_dev:
        parts += ["dev", r.dev.name]
    if r.proto in ("kernel", "static", "dhcp"):
        parts += ["proto", r.proto]
    if r.scope not in ("universe", "global"):
        parts += ["scope", r.scope]
    if r.src:
        parts += ["src", r.src]
    if r.metric:
        parts += ["metric", str(r.metric)]
    if r.dev.up and not r.dev.oper_up:
        parts.append("linkdown")
    return " ".join(parts) + " \n"


def _route6_line(r, omit_dev: bool) -> str:
    parts = ["default" if r.dst.prefixlen == 0 else r.dst.with_prefixlen]
    if r.gateway:
        parts += ["via", r.gateway]
    if not omit_dev:
        parts += ["dev", r.dev.name]
    if r.proto != "boot":
        parts += ["proto", r.proto]
    parts += ["metric", str(r.metric)]
    if r.dev.up and not r.dev.oper_up:
        parts.append("linkdown")
    parts += ["pref", "medium"]
    return " ".join(parts) + "\n"


def _route(proc, ns, words, family=None) -> int:
    if words and words[0] == "get":
        if len(words) < 2:
            proc.err('Command line is not complete. Try option "help"\n')
            return 255
        dst = words[1]
        if family == "inet6" or ":" in dst:
            proc.err("netsim: ip route get: IPv6 lookups are not modelled (no IPv6 data path)\n")
            return 1
        try:
            r = ns.routes.lookup(dst)
        except ValueError:
            proc.err(f'Error: any valid prefix is expected rather than "{dst}".\n')
            return 1
        if r is None:
            proc.err("RTNETLINK answers: Network is unreachable\n")
            return 2
        local = any(d.has_address(dst) for d in ns.interfaces.values())
        if local:
            proc.out(f"local {dst} dev lo src {dst} uid 0 \n    cache <local> \n")
            return 0
        via = f"via {r.gateway} " if r.gateway else ""
        proc.out(f"{dst} {via}dev {r.dev.name} src {ns.source_address(dst)} uid 0 \n    cache \n")
        return 0
    if words and words[0] in ("show", "list", "lst", "sh", "ls", "s", "l"):
        words = words[1:]
    dev = None
    while words:
        w = words.pop(0)
        if w == "dev" and words:
            dev = words.pop(0)
            if dev not in ns.interfaces:
                proc.err(f'Cannot find device "{dev}"\n')
                return 1
        else:
            proc.err(f'Error: either "to" is duplicate, or "{w}" is a garbage.\n')
            return 1
    if family == "inet6":
        routes6 = [r for r in addrconf.dump_routes(ns) if dev is None or r.dev.name == dev]
        proc.out("".join(_route6_line(r, dev is not None) for r in routes6))
        return 0
    routes = [r for r in ns.routes.sorted() if dev is None or r.dev.name == dev]
    proc.out("".join(_route_line(r, dev is not None) for r in routes))
    return 0


@program
def ip_main(proc):
    args = proc.argv[1:]
    family, oneline, brief = None, False, False
    while args and args[0].startswith("-") and len(args[0]) > 1:
        opt = args.pop(0).lstrip("-")
        if opt == "4":
            family = "inet"
        elif opt == "6":
            family = "inet6"
        elif opt in ("o", "oneline"):
            oneline = True
        elif opt in ("br", "brief"):
            brief = True
        elif opt in ("s", "stats", "d", "details", "c", "color", "n") or opt.startswith("color="):
            if opt == "n" and args:
                args.pop(0)
        elif opt == "V":
            proc.out("ip utility, iproute2-6.1.0, libbpf 1.1.0\n")
            return 0
        else:
            proc.err(f'Option "-{opt}" is unknown, try "ip -help".\n')
            return 255
    if not args:
        proc.err("Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n")
        return 255
    obj, rest = args[0], args[1:]
    ns = proc.netns

    def is_(word, full, minlen=1):
        return len(word) >= minlen and full.startswith(word)

    if is_(obj, "address"):
        return _addr_link(proc, ns, rest, False, family, oneline, brief)
    if is_(obj, "link"):
        return _addr_link(proc, ns, rest, True, family, oneline, brief)
    if is_(obj, "route"):
        return _route(proc, ns, rest, family)
    if is_(obj, "netns", 2):
        return 0          # docker does not name its namespaces in /var/run/netns
    if is_(obj, "neighbour") or is_(obj, "neighbor"):
        from ..busybox.procfs import neigh_entries
        dev = rest[rest.index("dev") + 1] if "dev" in rest and rest.index("dev") + 1 < len(rest) else None
        out = []
        for e, state in neigh_entries(ns):
            if dev is not None and e.dev.name != dev:
                continue
            line = f"{e.ip} " + ("" if dev else f"dev {e.dev.name} ")
            line += f"lladdr {e.mac} {state}" if e.mac else state
            out.append(line + "\n")
        proc.out("".join(out))
        return 0
    proc.err(f'Object "{obj}" is unknown, try "ip help".\n')
    return 1


@program
def bridge_main(proc):
    """``bridge link [show]``: the ports of the bridges in this namespace."""
    args = proc.argv[1:]
    if not args or not "link".startswith(args[0]):
        proc.err('Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }\n')
        return 255
    ns = proc.netns
    out = []
    for d in sorted(ns.interfaces.values(), key=lambda d: d.ifindex):
        if d.master is None:
            continue
        name, _ = _name(d, ns)
        state = "forwarding" if d.up and d.carrier else "disabled"
        out.append(f"{d.ifindex}: {name}: {_flags(d)} mtu {d.mtu} master {d.master.name} "
                   f"state {state} priority 32 cost 2 \n")
    proc.out("".join(out))
    return 0
