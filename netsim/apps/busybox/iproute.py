"""busybox 1.35 ``ip``: address, link, route, neigh, rule and tunnel.

A port of busybox's ``networking/ip.c`` and ``networking/libiproute``
(``ip_parse_common_args.c``, ``ipaddress.c``, ``iplink.c``, ``iproute.c``,
``ipneigh.c``, ``iprule.c``) over the namespace's kernel state, keeping the
rules that shape what users see:

- keywords are matched as busybox's ``index_in_substrings`` does: an exact
  word or an unambiguous prefix (``ip a s``, ``ip r``, ``ip n``); an
  ambiguous prefix (``ip addr l``: list or lst) is an invalid argument;
- only ``-o[neline]``, ``-f[amily] inet|inet6|link``, ``-4``, ``-6``, ``-0``
  are options: anything else (``-s``, ``-d``, ``-br``, ``-c``) prints the
  usage (exit 1);
- ``-o`` with addresses prints the address lines only (no link lines); a
  family filter drops links without an address of that family (containers
  have IPv6 disabled, so ``ip -6 addr`` prints nothing) and the link/ether
  line;
- the ``local`` routing table (``ip route show table local|all``, the
  ``local``/``broadcast`` answers of ``ip route get``) is derived from the
  addresses as Linux's ``fib_add_ifaddr`` does;
- a container has no CAP_NET_ADMIN: changes fail with EPERM (RTNETLINK
  answers for netlink requests, the ioctl's name for ``ip link set``); the
  exit status is 2 for ``ip link`` errors and for failed netlink requests,
  1 otherwise.
"""
from __future__ import annotations

import fnmatch
import ipaddress

from ...kernel.route import Route
from .common import VERSION, program
from .procfs import interfaces, neigh_entries

USAGE = (
    "[OPTIONS] address|route|link|tunnel|neigh|rule [ARGS]\n"
    "\n"
    "OPTIONS := -f[amily] inet|inet6|link | -o[neline]\n"
    "\n"
    "ip addr add|del IFADDR dev IFACE | show|flush [dev IFACE] [to PREFIX]\n"
    "ip route list|flush|add|del|change|append|replace|test ROUTE\n"
    "ip link set IFACE [up|down] [arp on|off] [multicast on|off]\n"
    "\t[promisc on|off] [mtu NUM] [name NAME] [qlen NUM] [address MAC]\n"
    "\t[master IFACE | nomaster] [netns PID]\n"
    "ip tunnel add|change|del|show [NAME]\n"
    "\t[mode ipip|gre|sit] [remote ADDR] [local ADDR] [ttl TTL]\n"
    "ip neigh show|flush [to PREFIX] [dev DEV] [nud STATE]\n"
    "ip rule [list] | add|del SELECTOR ACTION"
)

AF_UNSPEC, AF_INET, AF_INET6, AF_PACKET = 0, 2, 10, 17

RT_TABLE_DEFAULT, RT_TABLE_MAIN, RT_TABLE_LOCAL = 253, 254, 255
SCOPES = {"universe": 0, "global": 0, "site": 200, "link": 253, "host": 254, "nowhere": 255}
SCOPE_NAMES = {0: "global", 200: "site", 253: "link", 254: "host", 255: "nowhere"}
TABLES = {"default": RT_TABLE_DEFAULT, "main": RT_TABLE_MAIN, "local": RT_TABLE_LOCAL}
PROTOCOLS = ("unspec", "redirect", "kernel", "boot", "static", "gated", "ra", "mrt", "zebra",
             "bird", "dnrouted", "xorp", "ntk", "dhcp")

NUD = {"INCOMPLETE": 0x01, "REACHABLE": 0x02, "STALE": 0x04, "DELAY": 0x08, "PROBE": 0x10,
       "FAILED": 0x20, "NOARP": 0x40, "PERMANENT": 0x80}
NUD_KEYWORDS = ("permanent", "reachable", "noarp", "none", "stale", "incomplete", "delay",
                "probe", "failed")
NUD_BY_KEYWORD = (0x80, 0x02, 0x40, 0x00, 0x04, 0x01, 0x08, 0x10, 0x20)


class Die(Exception):
    """``bb_error_msg_and_die``: ``ip: MSG`` and the exit status."""

    def __init__(self, msg: str, status: int = 1):
        super().__init__(msg)
        self.msg, self.status = msg, status


class ShowUsage(Exception):
    """``bb_show_usage``: the usage text on stderr, exit 1."""


def index_in_substrings(words, key: str) -> int:
    """busybox ``index_in_substrings``: an exact word, else the one word
    ``key`` is a prefix of; -1 when none or ambiguous."""
    matched = -1
    if key:
        for i, w in enumerate(words):
            if w.startswith(key):
                if w == key:
                    return i
                if matched >= 0:
                    return -1
                matched = i
    return matched


def invarg(arg: str, what: str, status: int = 1):
    raise Die(f"invalid argument '{arg}' to '{what}'", status)


class Prefix:
    """``inet_prefix`` as ``get_prefix`` fills it: family 0 when unset or
    unparsable, bitlen 0 for default/all/any."""

    def __init__(self, family: int = AF_UNSPEC, value: int = 0, bitlen: int = 0):
        self.family, self.value, self.bitlen = family, value, bitlen

    @classmethod
    def parse(cls, arg: str, family: int) -> "Prefix":
        """``get_prefix``: busybox reads an IPv4 address octet by octet from
        the left (``10.10`` is 10.10.0.0, ``0`` is 0.0.0.0); a word it cannot
        read (a host name) is family inet with length 0."""
        if arg in ("default", "all", "any"):
            return cls(family, 0, 0)
        addr, slash, plen = arg.partition("/")
        value, ok = _get_addr32(addr)
        if not ok:
            return cls(AF_INET, value, 0)
        bitlen = 32
        if slash:
            if plen.isdigit() and int(plen) <= 32:
                bitlen = int(plen)
            else:
                mask, ok = _get_addr32(plen)
                host = ~mask & 0xFFFFFFFF if ok else 1
                if host & (host + 1):
                    raise Die(f'an inet prefix is expected rather than "{arg}"')
                bitlen = 32 - host.bit_length()
        return cls(AF_INET, value, bitlen)

    def differs(self, value: int, bits: int) -> bool:
        """``inet_addr_match(value, self, bits) != 0``."""
        if bits <= 0:
            return False
        mask = (0xFFFFFFFF << (32 - min(bits, 32))) & 0xFFFFFFFF
        return (value ^ self.value) & mask != 0


def _get_addr32(text: str) -> tuple[int, bool]:
    """busybox ``get_addr_1`` for IPv4: ``(address, parsed)``; what it
    could not parse leaves the octets read so far (and no prefix length)."""
    octets = [0, 0, 0, 0]
    i = n = 0
    ok = True
    for c in text:
        if c.isdigit():
            n = 10 * n + int(c)
            if n >= 256:
                ok = False
                break
            octets[i] = n
        elif c == "." and i < 3:
            i += 1
            n = 0
        else:
            ok = False
            break
    return int.from_bytes(bytes(octets), "big"), ok


# -- common ---------------------------------------------------------------

class Ip:
    """One run of ``ip``: the parsed common options and the namespace."""

    def __init__(self, proc):
        self.proc = proc
        self.ns = proc.netns
        self.family = AF_UNSPEC
        self.oneline = False
        self.out: list[str] = []

    @property
    def sl(self) -> str:
        return "\\" if self.oneline else "\n"

    def parse_common_args(self, argv: list[str]) -> list[str]:
        while argv:
            opt = argv[0]
            if not opt.startswith("-"):
                break
            opt = opt[1:]
            if opt.startswith("-"):
                opt = opt[1:]
                if not opt:
                    argv = argv[1:]
                    break
            arg = index_in_substrings(("oneline", "family", "4", "6", "0"), opt)
            if arg < 0:
                raise ShowUsage()
            argv = argv[1:]
            if arg == 0:
                self.oneline = True
                continue
            if arg == 1:
                if not argv:
                    raise ShowUsage()
                fam = ("inet", "inet6", "link")
                if argv[0] not in fam:
                    invarg(argv[0], "family")
                self.family = (AF_INET, AF_INET6, AF_PACKET)[fam.index(argv[0])]
                argv = argv[1:]
            else:
                self.family = (AF_INET, AF_INET6, AF_PACKET)[arg - 2]
        return argv

    def device(self, name: str, status: int = 1):
        """``xll_name_to_index``."""
        dev = self.ns.interfaces.get(name)
        if dev is None:
            raise Die(f"can't find device '{name}'", status)
        return dev

    def index_name(self, ifindex: int) -> str:
        for d in self.ns.interfaces.values():
            if d.ifindex == ifindex:
                return d.name
        return f"if{ifindex}"


def next_arg(argv: list[str], i: int, status: int = 1) -> int:
    if i + 1 >= len(argv):
        raise Die('command line is not complete, try "help"', status)
    return i + 1


# -- links and addresses ------------------------------------------------------

def _link_flags(dev) -> list[str]:
    names = ["LOOPBACK"] if dev.kind == "loopback" else ["BROADCAST", "MULTICAST"]
    if dev.up:
        names.append("UP")
        if dev.carrier:
            names.append("LOWER_UP")
    return names


def link_line(ip: Ip, dev, with_lladdr: bool) -> str:
    """``print_linkinfo`` (without the newline)."""
    ns = ip.ns
    name = dev.name
    mdown = False
    # IFLA_LINK: a veth's peer, a macvlan's lower device
    peer = getattr(dev, "peer", None) if dev.kind == "veth" else getattr(dev, "link", None)
    if peer is not None:
        local = next((d for d in ns.interfaces.values() if d.ifindex == peer.ifindex), None)
        if local is not None:
            name += f"@{local.name}"
            mdown = not local.up
        else:
            name += f"@if{peer.ifindex}"
            mdown = True
    prefix = "NO-CARRIER," if dev.up and not dev.carrier else ""
    line = (f"{dev.ifindex}: {name}: <{prefix}{','.join(_link_flags(dev))}"
            f"{',M-DOWN' if mdown else ''}> mtu {dev.mtu} qdisc {dev.qdisc} ")
    if dev.master is not None:
        line += f"master {dev.master.name} "
    if dev.txqueuelen:                  # IFLA_TXQLEN, printed when not 0
        line += f"qlen {dev.txqueuelen}"
    if with_lladdr:
        if dev.kind == "loopback":
            line += f"{ip.sl}    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00"
        else:
            line += f"{ip.sl}    link/ether {dev.mac} brd ff:ff:ff:ff:ff:ff"
    return line


def _addr_scope(dev) -> int:
    return SCOPES["host"] if dev.kind == "loopback" else SCOPES["universe"]


def addr_line(ip: Ip, dev, a) -> str:
    """``print_addrinfo`` for one IPv4 address (the label is the device)."""
    line = f"{dev.ifindex}: {dev.name}" if ip.oneline else ""
    line += f"    inet {a.ip}/{a.network.prefixlen} "
    if dev.kind != "loopback" and a.network.prefixlen < 31 and getattr(a, "brd", True):
        line += f"brd {a.network.broadcast_address} "
    line += f"scope {SCOPE_NAMES[_addr_scope(dev)]} {dev.name}"
    line += f"{ip.sl}       valid_lft forever preferred_lft forever"
    return line


def ipaddr_list_or_flush(ip: Ip, argv: list[str], flush: bool, status: int = 1) -> int:
    family = ip.family
    scope, scopemask = 0, 0
    up = False
    label = None
    pfx = Prefix()
    filter_dev = None
    if flush:
        if not argv:
            raise Die("flush requires an argument", status)
        if family == AF_PACKET:
            raise Die("can't flush link addresses", status)
    keywords = ("to", "scope", "up", "label", "dev")
    i = 0
    while i < len(argv):
        key = keywords.index(argv[i]) if argv[i] in keywords else -1
        if key == 0:
            i = next_arg(argv, i, status)
            pfx = Prefix.parse(argv[i], family)
            if family == AF_UNSPEC:
                family = pfx.family
        elif key == 1:
            i = next_arg(argv, i, status)
            scopemask = -1
            if argv[i] in SCOPES or argv[i].isdigit():
                scope = SCOPES.get(argv[i], None)
                scope = int(argv[i]) if scope is None else scope
            else:
                if argv[i] != "all":
                    invarg(argv[i], "scope", status)
                scope, scopemask = 255, 0
        elif key == 2:
            up = True
        elif key == 3:
            i = next_arg(argv, i, status)
            label = argv[i]
        else:
            if key == 4:
                i = next_arg(argv, i, status)
            if filter_dev is not None:
                raise Die(f'either "dev" is duplicate, or "{argv[i]}" is garbage', status)
            filter_dev = argv[i]
        i += 1

    ifindex = ip.device(filter_dev, status).ifindex if filter_dev is not None else 0

    def addr_selected(dev, a) -> bool:
        if ifindex and dev.ifindex != ifindex:
            return False
        if (scope ^ _addr_scope(dev)) & scopemask:
            return False
        if label is not None and not fnmatch.fnmatchcase(dev.name, label):
            return False
        if pfx.family and pfx.differs(int(a.ip), pfx.bitlen):
            return False
        return True

    devs = interfaces(ip.ns)
    if flush:
        if any(addr_selected(d, a) for d in devs for a in d.addrs):
            raise Die("can't send flush request: Operation not permitted")
        return 0

    if family and family != AF_PACKET:
        # links without an address of the family (and the filters) are left out
        def has_addr(dev) -> bool:
            if family != AF_INET:
                return False
            return any(((scope ^ _addr_scope(dev)) & scopemask) == 0
                       and (label is None or fnmatch.fnmatchcase(dev.name, label))
                       and not (pfx.family and pfx.differs(int(a.ip), pfx.bitlen))
                       for a in dev.addrs)
        devs = [d for d in devs if has_addr(d)]

    for dev in devs:
        if ip.oneline and family != AF_PACKET:
            shown = True
        else:
            shown = True
            if ifindex and dev.ifindex != ifindex:
                shown = False
            elif up and not dev.up:
                shown = False
            elif label is not None and family in (AF_UNSPEC, AF_PACKET) \
                    and not fnmatch.fnmatchcase(dev.name, label):
                shown = False
            if shown:
                ip.out.append(link_line(ip, dev, family in (AF_UNSPEC, AF_PACKET)) + "\n")
        if shown and family != AF_PACKET and family in (AF_UNSPEC, AF_INET):
            for a in dev.addrs:
                if addr_selected(dev, a):
                    ip.out.append(addr_line(ip, dev, a) + "\n")
    return 0


def do_ipaddr(ip: Ip, argv: list[str]) -> int:
    commands = ("add", "change", "chg", "replace", "delete", "list", "show", "lst", "flush")
    cmd = 2
    if argv:
        cmd = index_in_substrings(commands, argv[0])
        if cmd < 0:
            invarg(argv[0], "ip")
        argv = argv[1:]
        if cmd <= 4:
            return ipaddr_modify(ip, argv, cmd)
    return ipaddr_list_or_flush(ip, argv, cmd == 8)


def ipaddr_modify(ip: Ip, argv: list[str], cmd: int = 0) -> int:
    """``ip addr add|change|replace|del IFADDR dev IFACE`` (cmd: the index in
    do_ipaddr's commands).  Without CAP_NET_ADMIN the request fails with EPERM."""
    dev = None
    local = None
    brd = False
    i = 0
    while i < len(argv):
        w = argv[i]
        if w in ("peer", "remote", "broadcast", "brd", "anycast", "scope", "label",
                 "valid_lft", "preferred_lft"):
            i = next_arg(argv, i)
            if w in ("broadcast", "brd"):
                brd = True
        elif w == "local":
            i = next_arg(argv, i)
            local = argv[i]
        elif w == "dev":
            i = next_arg(argv, i)
            dev = argv[i]
        elif local is None:
            local = argv[i]
        i += 1
    if dev is None:
        raise Die('need "dev IFACE"')
    device = ip.device(dev)
    if not ip.proc.capable("CAP_NET_ADMIN"):
        raise Die("RTNETLINK answers: Operation not permitted", 2)
    if local is None:
        raise Die("RTNETLINK answers: Invalid argument", 2)
    pfx = Prefix.parse(local, AF_INET)
    if not pfx.family or (pfx.bitlen == 0 and "/" not in local):
        raise Die(f'an inet prefix is expected rather than "{local}"')
    iface = ipaddress.IPv4Interface((pfx.value, pfx.bitlen))
    exists = iface in device.addrs
    if cmd == 4:                                    # delete
        if not exists:
            raise Die("RTNETLINK answers: Cannot assign requested address", 2)
        ip.ns.del_address(device, str(iface))
        return 0
    if exists:
        if cmd == 0:                                # add: NLM_F_CREATE|NLM_F_EXCL
            raise Die("RTNETLINK answers: File exists", 2)
        return 0
    if cmd in (1, 2):                               # change: NLM_F_REPLACE without create
        raise Die("RTNETLINK answers: No such file or directory", 2)
    ip.ns.add_address(device, str(iface), broadcast=brd)
    return 0


def do_iplink(ip: Ip, argv: list[str]) -> int:
    if argv:
        key = index_in_substrings(("add", "delete", "set", "show", "lst", "list"), argv[0])
        if key < 0:
            invarg(argv[0], "ip", 2)
        argv = argv[1:]
        if key <= 1:
            if not ip.proc.capable("CAP_NET_ADMIN"):
                raise Die("RTNETLINK answers: Operation not permitted", 2)
            # the reference kernel loads no link-type module on demand (no dummy)
            raise Die("RTNETLINK answers: Operation not supported", 2)
        if key == 2:
            return iplink_set(ip, argv)
    ip.family = AF_PACKET
    return ipaddr_list_or_flush(ip, argv, False, status=2)


def iplink_set(ip: Ip, argv: list[str]) -> int:
    """busybox ``do_set``: the requests in its order (address, name, qlen,
    mtu, master, netns, flags), each an ioctl or a netlink request."""
    keywords = ("up", "down", "name", "mtu", "qlen", "multicast", "arp", "promisc",
                "address", "netns", "master", "nomaster", "dev")
    dev = None
    ioctls = []
    values: dict[str, str] = {}
    up = None
    i = 0
    while i < len(argv):
        key = index_in_substrings(keywords, argv[i])
        if key in (0, 1):
            ioctls.append("flags")
            up = key == 0
        elif key in (2, 3, 4, 8, 9):
            i = next_arg(argv, i, 2)
            ioctls.append(keywords[key])
            values[keywords[key]] = argv[i]
        elif key == 10:
            i = next_arg(argv, i, 2)
            ip.device(argv[i], 2)
            ioctls.append("master")
        elif key == 11:
            ioctls.append("master")
        elif key in (5, 6, 7):
            i = next_arg(argv, i, 2)
            if argv[i] not in ("on", "off"):
                raise Die(f'argument of "{keywords[key]}" must be "on" or "off"', 2)
            ioctls.append("flags")
        else:
            if key == 12:
                i = next_arg(argv, i, 2)
            if dev is not None:
                raise Die(f'either "dev" is duplicate, or "{argv[i]}" is garbage', 2)
            dev = argv[i]
        i += 1
    if dev is None:
        raise Die('"dev" requires an argument', 2)
    if "mtu" in values:
        mtu = _get_unsigned(values["mtu"])
        if mtu is None:
            invarg(values["mtu"], "mtu", 2)
    if "qlen" in values and _get_unsigned(values["qlen"]) is None:
        invarg(values["qlen"], "qlen", 2)
    if "address" in values and _parse_mac(values["address"]) is None:
        raise Die(f"invalid argument '{values['address']}' to 'address'", 2)
    exists = dev in ip.ns.interfaces
    admin = ip.proc.capable("CAP_NET_ADMIN")
    ns = ip.ns
    for what, request in (("address", "SIOCGIFINDEX"), ("name", "SIOCSIFNAME"),
                          ("qlen", "SIOCSIFTXQLEN"), ("mtu", "SIOCSIFMTU"),
                          ("master", None), ("netns", None), ("flags", "SIOCGIFFLAGS")):
        if what not in ioctls:
            continue
        if request is None:
            ip.device(dev, 2)
            raise Die("RTNETLINK answers: Operation not permitted", 2)
        if not exists:
            raise Die(f"{request}: No such device", 2)
        if what == "address":
            request = "SIOCSIFHWADDR"
        elif what == "flags":
            request = "SIOCSIFFLAGS"
        if not admin:
            raise Die(f"{request}: Operation not permitted", 2)
        device = ns.interfaces[dev]
        if what == "address":
            device.mac = _parse_mac(values["address"])
        elif what == "name":
            new = values["name"]
            if device.up:
                raise Die(f"{request}: Device or resource busy", 2)
            if new in ns.interfaces:
                raise Die(f"{request}: File exists", 2)
            ns.rename(device, new)
            dev = new
        elif what == "mtu":
            mtu = _get_unsigned(values["mtu"])
            if not 68 <= mtu <= 65535:
                raise Die(f"{request}: Invalid argument", 2)
            device.mtu = mtu
        elif what == "flags" and up is not None and up != device.up:
            ns.set_up(device, up)
    return 0


def _get_unsigned(text: str) -> int | None:
    """busybox ``get_unsigned``: a C number (decimal, 0x hex, 0 octal)."""
    try:
        n = int(text, 0) if not (len(text) > 1 and text[0] == "0" and text[1] in "0123456789") \
            else int(text, 8)
    except ValueError:
        return None
    return n if 0 <= n < 1 << 32 else None


def _parse_mac(text: str) -> str | None:
    parts = text.split(":")
    if len(parts) != 6 or not all(1 <= len(p) <= 2 and all(c in "0123456789abcdefABCDEF" for c in p)
                                  for p in parts):
        return None
    return ":".join(f"{int(p, 16):02x}" for p in parts)


# -- routes -------------------------------------------------------------------

class RouteEntry:
    """A route as ``RTM_NEWROUTE`` describes it."""

    def __init__(self, rtype: str, value: int, dst_len: int, dev, *, table: int = RT_TABLE_MAIN,
                 gateway: str | None = None, scope: int = 0, prefsrc: str | None = None,
                 metric: int = 0):
        self.type, self.value, self.dst_len, self.dev = rtype, value, dst_len, dev
        self.table, self.gateway, self.scope = table, gateway, scope
        self.prefsrc, self.metric = prefsrc, metric


def main_table(ns) -> list[RouteEntry]:
    out = []
    for r in ns.routes.sorted():
        if not r.dev.up:
            continue
        out.append(RouteEntry("unicast", int(r.dst.network_address), r.dst.prefixlen, r.dev,
                              gateway=r.gateway, scope=SCOPES.get(r.scope, 0), prefsrc=r.src,
                              metric=r.metric))
    return out


def local_table(ns) -> list[RouteEntry]:
    """What ``fib_add_ifaddr`` puts in table local for each address of an
    up device: the address itself (type local, scope host), on loopback the
    whole prefix as local, and the subnet's broadcast (scope link)."""
    out = []
    for dev in interfaces(ns):
        if not dev.up:
            continue
        for a in dev.addrs:
            src = str(a.ip)
            net = a.network
            out.append(RouteEntry("local", int(a.ip), 32, dev, table=RT_TABLE_LOCAL,
                                  scope=SCOPES["host"], prefsrc=src))
            if net.prefixlen < 32 and dev.kind == "loopback":
                out.append(RouteEntry("local", int(net.network_address), net.prefixlen, dev,
                                      table=RT_TABLE_LOCAL, scope=SCOPES["host"], prefsrc=src))
            if net.prefixlen < 31:
                out.append(RouteEntry("broadcast", int(net.broadcast_address), 32, dev,
                                      table=RT_TABLE_LOCAL, scope=SCOPES["link"], prefsrc=src))
    seen, unique = set(), []
    for e in sorted(out, key=lambda e: (e.value, e.dst_len)):
        if (e.value, e.dst_len) not in seen:
            seen.add((e.value, e.dst_len))
            unique.append(e)
    return unique


def route_text(ip: Ip, e: RouteEntry, *, filter_tb: int = RT_TABLE_MAIN, scopemask: int = 0,
               hide_via: bool = False, cloned: bool = False, src: str | None = None) -> str:
    """``print_route``."""
    line = "" if e.type == "unicast" else f"{e.type} "
    addr = str(ipaddress.IPv4Address(e.value))
    if e.dst_len == 0 and e.value == 0 and not cloned:
        line += "default "
    elif e.dst_len != 32:
        line += f"{addr}/{e.dst_len} "
    else:
        line += f"{addr} "
    if src is not None:
        line += f"from {src} "
    if e.gateway and not hide_via:
        line += f"via {e.gateway} "
    line += f"dev {e.dev.name} "
    if e.table and e.table != RT_TABLE_MAIN and not filter_tb:
        line += f"table {'local' if e.table == RT_TABLE_LOCAL else e.table} "
    if not cloned and e.scope != 0 and scopemask != -1:
        line += f"scope {SCOPE_NAMES.get(e.scope, e.scope)} "
    if e.prefsrc:
        line += f" src {e.prefsrc} "
    if e.metric:
        line += f" metric {e.metric} "
    return line + "\n"


def _prefix_selector(argv, i, parm, family, root, match):
    """``from``/``to`` selectors of ``ip route list``: ``root P`` and
    ``match P`` set one, ``exact P`` (or a bare prefix) both; returns
    ``(i, root, match)``."""
    if parm == 11:
        i = next_arg(argv, i)
        return i, Prefix.parse(argv[i], family), match
    if parm == 12:
        i = next_arg(argv, i)
        return i, root, Prefix.parse(argv[i], family)
    if parm == 13:
        i = next_arg(argv, i)
    exact = Prefix.parse(argv[i], family)
    return i, exact, exact


def iproute_list_or_flush(ip: Ip, argv: list[str], flush: bool) -> int:
    keywords = ("protocol", "dev", "oif", "iif", "via", "table", "cache", "from", "to", "scope",
                "all", "root", "match", "exact", "main")
    family = ip.family
    tb = RT_TABLE_MAIN
    scope, scopemask = 0, 0
    rvia, rdst, mdst, rsrc, msrc = Prefix(), Prefix(), Prefix(), Prefix(), Prefix()
    od = idev = None
    if flush and not argv:
        raise Die('"ip route flush" requires an argument')
    i = 0
    while i < len(argv):
        arg = index_in_substrings(keywords, argv[i])
        if arg == 0:
            i = next_arg(argv, i)
            if argv[i] not in PROTOCOLS and not argv[i].isdigit() and argv[i] != "all":
                invarg(argv[i], "protocol")
        elif arg in (1, 2):
            i = next_arg(argv, i)
            od = argv[i]
        elif arg == 3:
            i = next_arg(argv, i)
            idev = argv[i]
        elif arg == 4:
            i = next_arg(argv, i)
            rvia = Prefix.parse(argv[i], family)
        elif arg == 5:
            i = next_arg(argv, i)
            parm = index_in_substrings(keywords, argv[i])
            if parm == 6:
                tb = -1
            elif parm == 10:
                tb = 0
            elif parm != 14:
                if argv[i] in TABLES:
                    tb = TABLES[argv[i]]
                elif argv[i].isdigit():
                    tb = int(argv[i])
                else:
                    invarg(argv[i], "table")
        elif arg == 6:
            tb = -1
        elif arg == 9:
            i = next_arg(argv, i)
            scopemask = -1
            if argv[i] in SCOPES:
                scope = SCOPES[argv[i]]
            elif argv[i].isdigit():
                scope = int(argv[i])
            else:
                if argv[i] != "all":
                    invarg(argv[i], "scope")
                scope, scopemask = 255, 0
        elif arg == 7:
            i = next_arg(argv, i)
            i, rsrc, msrc = _prefix_selector(argv, i, index_in_substrings(keywords, argv[i]),
                                             family, rsrc, msrc)
        else:
            if arg == 8:
                i = next_arg(argv, i)
                arg = index_in_substrings(keywords, argv[i])
            i, rdst, mdst = _prefix_selector(argv, i, arg, family, rdst, mdst)
        i += 1

    if idev is not None:
        ip.device(idev)
    oif = ip.device(od).ifindex if od is not None else 0

    if tb == -1:
        if flush:
            ip.proc.err("ip: can't open '/proc/sys/net/ipv4/route/flush': Read-only file system\n")
        return 0
    if family == AF_INET6:
        return 0

    entries = []
    if tb in (0, RT_TABLE_MAIN):
        entries += main_table(ip.ns)
    if tb in (0, RT_TABLE_LOCAL):
        entries += local_table(ip.ns)

    def selected(e: RouteEntry) -> bool:
        if (scope ^ e.scope) & scopemask:
            return False
        if rdst.family and rdst.bitlen > e.dst_len:
            return False
        if mdst.family and mdst.bitlen >= 0 and mdst.bitlen < e.dst_len:
            return False
        if rsrc.family and rsrc.bitlen > 0:
            return False
        if rdst.family and rdst.differs(e.value, rdst.bitlen):
            return False
        if mdst.family and mdst.differs(e.value, e.dst_len):
            return False
        if oif and e.dev.ifindex != oif:
            return False
        return True

    chosen = [e for e in entries if selected(e)]
    if flush:
        if chosen:
            ip.proc.err("ip: can't send flush request: Operation not permitted\n")
            return 1
        return 0
    for e in chosen:
        ip.out.append(route_text(ip, e, filter_tb=tb, scopemask=scopemask,
                                 hide_via=rvia.family != 0 and rvia.bitlen == 32))
    return 0


def iproute_get(ip: Ip, argv: list[str]) -> int:
    options = ("from", "iif", "oif", "dev", "notify", "connected", "to")
    dst = src = None
    odev = idev = None
    i = 0
    while i < len(argv):
        w = argv[i]
        k = options.index(w) if w in options else -1
        if k == 0:
            i = next_arg(argv, i)
            src = Prefix.parse(argv[i], AF_UNSPEC)
        elif k == 1:
            i = next_arg(argv, i)
            idev = argv[i]
        elif k in (2, 3):
            i = next_arg(argv, i)
            odev = argv[i]
        elif k in (4, 5):
            pass
        else:
            if k == 6:
                i = next_arg(argv, i)
            if ":" in argv[i]:        # get_prefix: an IPv6 address (the model has no IPv6 routes)
                dst6 = argv[i]
                try:
                    ipaddress.IPv6Address(dst6.partition("/")[0])
                except ValueError:
                    raise Die(f'an inet prefix is expected rather than "{dst6}"')
                dst = Prefix(AF_INET6, 0, 128)
            else:
                dst = Prefix.parse(argv[i], AF_UNSPEC)
        i += 1
    if dst is None or dst.bitlen <= 0:
        raise Die("need at least destination address")
    for name in (idev, odev):
        if name is not None:
            ip.device(name)
    if dst.family == AF_INET6:
        ip.proc.err("ip: RTNETLINK answers: Network is unreachable\n")
        return 2
    ns = ip.ns
    target = dst.value
    text = str(ipaddress.IPv4Address(target))
    from_text = str(ipaddress.IPv4Address(src.value)) if src is not None and src.bitlen else None
    if idev is not None:
        # ip_route_input: a zero, broadcast, multicast or local source is a
        # martian (EINVAL); other input routes are not modelled
        s = src.value if src is not None and src.bitlen else 0
        if s == 0 or s >> 28 == 14 or s == 0xFFFFFFFF or ns.stack.is_local(from_text):
            ip.proc.err("ip: RTNETLINK answers: Invalid argument\n")
            return 2
    if odev is not None:
        return _route_get_oif(ip, ns, target, text, from_text, ip.device(odev))
    for e in local_table(ns):
        if e.dst_len == 32 and e.value == target or \
                e.type == "local" and not Prefix(AF_INET, e.value, e.dst_len).differs(target, e.dst_len):
            if e.type == "local":
                lo = next(d for d in interfaces(ns) if d.kind == "loopback")
                shown = RouteEntry("local", target, 32, lo, prefsrc=None if from_text else e.prefsrc)
            else:
                shown = RouteEntry(e.type, target, 32, e.dev, prefsrc=None if from_text else e.prefsrc)
            ip.out.append(route_text(ip, shown, cloned=True, src=from_text))
            return 0
    r = ns.routes.lookup(text)
    if r is None:
        ip.proc.err("ip: RTNETLINK answers: Network is unreachable\n")
        return 2
    prefsrc = None if from_text else ns.source_address(text)
    shown = RouteEntry("unicast", target, 32, r.dev, gateway=r.gateway, prefsrc=prefsrc)
    ip.out.append(route_text(ip, shown, cloned=True, src=from_text))
    return 0


def _route_get_oif(ip: Ip, ns, target: int, text: str, from_text, odev) -> int:
    """``ip route get ADDR oif DEV``: the lookup considers only routes through
    DEV (fib_table_lookup skips other next hops); with none, the kernel
    assumes the destination is on DEV's link, from an address of scope link
    or wider (inet_select_addr: DEV's own first, then any device's)."""
    best = None
    for r in ns.routes.routes:
        if r.dev is not odev or not r.dev.up or (target & r._mask) != r._net:
            continue
        if best is None or r._plen > best._plen or (r._plen == best._plen and r.metric < best.metric):
            best = r
    if best is not None:
        prefsrc = None if from_text else (best.src or ns.stack.source_for(best.dev, text))
        shown = RouteEntry("unicast", target, 32, best.dev, gateway=best.gateway, prefsrc=prefsrc)
    else:
        prefsrc = None
        if not from_text:
            for d in [odev] + [d for d in interfaces(ns) if d is not odev]:
                a = next((a for a in d.addrs if not str(a.ip).startswith("127.")), None)
                if a is not None:
                    prefsrc = str(a.ip)
                    break
        shown = RouteEntry("unicast", target, 32, odev, prefsrc=prefsrc)
    ip.out.append(route_text(ip, shown, cloned=True, src=from_text))
    return 0


def do_iproute(ip: Ip, argv: list[str]) -> int:
    commands = ("a", "add", "append", "change", "chg", "delete", "get", "list", "show",
                "prepend", "replace", "test", "flush")
    if not argv:
        return iproute_list_or_flush(ip, argv, False)
    cmd = index_in_substrings(commands, argv[0])
    if cmd == 6:
        return iproute_get(ip, argv[1:])
    if cmd in (7, 8):
        return iproute_list_or_flush(ip, argv[1:], False)
    if cmd == 12:
        return iproute_list_or_flush(ip, argv[1:], True)
    if cmd < 0:
        invarg(argv[0], "ip")
    return iproute_modify(ip, argv[1:], commands[cmd])


def iproute_modify(ip: Ip, argv: list[str], cmd: str) -> int:
    """``ip route add|append|change|delete|prepend|replace|test ROUTE`` in
    the main table: busybox's arguments, the kernel's answers (EEXIST,
    ESRCH, ENETUNREACH for a gateway no link route reaches)."""
    dst = gateway = src = devname = None
    metric = 0
    i = 0
    while i < len(argv):
        w = argv[i]
        if w in ("src", "via", "dev", "oif", "metric", "priority", "preference", "to"):
            i = next_arg(argv, i)
            if w == "src":
                src = argv[i]
            elif w == "via":
                gateway = argv[i]
            elif w in ("dev", "oif"):
                devname = argv[i]
            elif w in ("metric", "priority", "preference"):
                m = _get_unsigned(argv[i])
                if m is None:
                    invarg(argv[i], "metric")
                metric = m
            else:
                dst = argv[i]
        elif w in ("mtu", "advmss", "table", "scope", "proto", "protocol", "realms", "onlink"):
            if w != "onlink":
                i = next_arg(argv, i)
        else:
            if w in ("unicast",):
                i = next_arg(argv, i)
                w = argv[i]
            dst = w
        i += 1
    device = ip.device(devname) if devname is not None else None
    if not ip.proc.capable("CAP_NET_ADMIN"):
        raise Die("RTNETLINK answers: Operation not permitted", 2)
    if dst is None:
        raise Die("RTNETLINK answers: Invalid argument", 2)
    pfx = Prefix.parse(dst, AF_INET)
    try:
        net = ipaddress.IPv4Network((pfx.value, pfx.bitlen))
    except ValueError:
        raise Die("RTNETLINK answers: Invalid argument", 2) from None
    if gateway is not None:
        gateway = str(ipaddress.IPv4Address(Prefix.parse(gateway, AF_INET).value))
    ns = ip.ns
    routes = ns.routes

    def same(r) -> bool:
        if r.dst != net:
            return False
        if cmd == "delete":
            return ((gateway is None or r.gateway == gateway)
                    and (device is None or r.dev is device) and (not metric or r.metric == metric))
        return r.metric == metric

    existing = [r for r in routes.routes if same(r)]
    if cmd == "delete":
        if not existing:
            raise Die("RTNETLINK answers: No such process", 2)
        first = existing[0]
        routes.remove(lambda r: r is first)
        return 0
    if existing and cmd in ("a", "add", "prepend", "test"):
        raise Die("RTNETLINK answers: File exists", 2)
    if not existing and cmd in ("change", "chg"):
        raise Die("RTNETLINK answers: No such file or directory", 2)
    if gateway is not None:
        # fib_check_nh: the gateway must be on a link (a route of scope link)
        link = routes.gateway_link(gateway, device)
        if link is None:
            raise Die("RTNETLINK answers: Network is unreachable", 2)
        device = link.dev
    elif device is None:
        raise Die("RTNETLINK answers: No such device", 2)
    if src is not None:
        src = str(ipaddress.IPv4Address(Prefix.parse(src, AF_INET).value))
        if not ns.stack.is_local(src):
            raise Die("RTNETLINK answers: Invalid argument", 2)
    if existing and cmd in ("replace", "change", "chg"):
        old = existing[0]
        routes.remove(lambda r: r is old)
    routes.add(Route(net, device, gateway=gateway, src=src, metric=metric,
                     scope="universe" if gateway else "link", proto="boot"))
    return 0


# -- neighbours, rules, tunnels --------------------------------------------------

def ipneigh_list_or_flush(ip: Ip, argv: list[str], flush: bool) -> int:
    family = ip.family
    state = (~(NUD["PERMANENT"] | NUD["NOARP"]) & 0xFFFFFFFF) if flush else (0xFF & ~NUD["NOARP"])
    state_given = False
    pfx = Prefix()
    filter_dev = None
    if flush and not argv:
        raise Die('"ip neigh flush" requires an argument')
    i = 0
    while i < len(argv):
        arg = index_in_substrings(("to", "dev", "nud"), argv[i])
        if arg == 1:
            i = next_arg(argv, i)
            filter_dev = argv[i]
        elif arg == 2:
            i = next_arg(argv, i)
            if not state_given:
                state_given, state = True, 0
            if argv[i] == "all":
                s = 0xFFFFFFFF & ~(NUD["NOARP"] if flush else 0)
            else:
                k = index_in_substrings(NUD_KEYWORDS, argv[i])
                if k < 0:
                    raise Die(f"invalid argument '{argv[i]}' to 'nud state'")
                s = NUD_BY_KEYWORD[k]
            state |= s or 0x100
        else:
            if arg == 0:
                i = next_arg(argv, i)
            pfx = Prefix.parse(argv[i], family)
            if family == AF_UNSPEC:
                family = pfx.family
        i += 1
    index = ip.device(filter_dev).ifindex if filter_dev is not None else 0
    if flush:
        state &= ~NUD["FAILED"]
    if family not in (AF_UNSPEC, AF_INET):
        return 0
    lines = []
    for e, st in neigh_entries(ip.ns):
        nud = NUD.get(st, 0)
        if index and e.dev.ifindex != index:
            continue
        if not (state & nud) and (nud or not (state & 0x100)):
            continue
        if pfx.family and pfx.differs(int(ipaddress.IPv4Address(e.ip)), pfx.bitlen):
            continue
        line = f"{e.ip} "
        if not index:
            line += f"dev {e.dev.name} "
        if e.mac:
            line += f"lladdr {e.mac}"
            # statistics as the reference kernel reports them: "ref" counts
            # the entry's pending timer (REACHABLE/DELAY/PROBE hold one, a
            # STALE entry none); used/confirmed/updated are clock ticks divided
            # by busybox's get_hz(), which reads /proc/net/psched's 10^9: always
            # 0; probes 4 once resolved by our own solicitation, 0 when learned
            # from a request
            ref = " ref 1" if st in ("REACHABLE", "DELAY", "PROBE") else ""
            line += f"{ref} used 0/0/0 probes {4 if e.probes else 0}"
        else:
            line += f" used 0/0/0 probes {e.probes}"
        lines.append(line + f" {st}\n")
    if flush:
        if not lines:
            ip.out.append("Nothing to flush\n")
            return 0
        ip.out.extend(lines)
        raise Die("can't send flush request: Operation not permitted")
    ip.out.extend(lines)
    return 0


def do_ipneigh(ip: Ip, argv: list[str]) -> int:
    if not argv:
        return ipneigh_list_or_flush(ip, argv, False)
    cmd = index_in_substrings(("show", "flush"), argv[0])
    if cmd < 0:
        invarg(argv[0], "ip")
    return ipneigh_list_or_flush(ip, argv[1:], cmd == 1)


def do_iprule(ip: Ip, argv: list[str]) -> int:
    if argv:
        cmd = index_in_substrings(("add", "delete", "list", "show"), argv[0])
        if cmd < 0:
            invarg(argv[0], "ip")
        argv = argv[1:]
        if cmd < 2:
            raise Die("RTNETLINK answers: Operation not permitted", 2)
    if argv:
        ip.proc.err(f"ip: warning: ignoring all arguments starting with '{argv[0]}'\n")
        return 255
    ip.out.append("0:\tfrom all lookup local \n32766:\tfrom all lookup main \n")
    if ip.family != AF_INET6:
        ip.out.append("32767:\tfrom all lookup default \n")
    return 0


def do_iptunnel(ip: Ip, argv: list[str]) -> int:
    if argv:
        cmd = index_in_substrings(("add", "change", "delete", "show", "list", "lst"), argv[0])
        if cmd < 0:
            invarg(argv[0], "ip")
        if cmd < 3:
            raise Die("ioctl: Operation not permitted")
    return 0


OBJECTS = (("address", do_ipaddr), ("route", do_iproute), ("r", do_iproute),
           ("link", do_iplink), ("tunnel", do_iptunnel), ("tunl", do_iptunnel),
           ("rule", do_iprule), ("neigh", do_ipneigh))


@program
def ip_main(proc):
    ip = Ip(proc)
    argv = list(proc.argv[1:])
    try:
        if argv == ["--help"]:
            proc.err(f"{VERSION}\n\nUsage: ip {USAGE}\n")
            return 0
        argv = ip.parse_common_args(argv)
        key = index_in_substrings([name for name, _ in OBJECTS], argv[0]) if argv else -1
        if key < 0:
            raise ShowUsage()
        status = OBJECTS[key][1](ip, argv[1:])
    except ShowUsage:
        proc.out("".join(ip.out))
        proc.err(f"{VERSION}\n\nUsage: ip {USAGE}\n")
        return 1
    except Die as e:
        proc.out("".join(ip.out))
        proc.err(f"ip: {e.msg}\n")
        return e.status
    proc.out("".join(ip.out))
    return status
