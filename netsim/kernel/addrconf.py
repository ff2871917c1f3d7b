"""IPv6 addresses and routes of a namespace's devices (net/ipv6/addrconf.c).

The model has no IPv6 data path: no IPv6 packet is sent, received or counted
(Docker's networks here are IPv4; the kernel's own neighbour discovery, MLD
reports and router solicitations are not modelled).  What is modelled is the
configuration the host shows (``ip -6 addr``, ``ip -6 route``, ``ifconfig``):

- ``lo`` gets ``::1/128 scope host`` when it comes up (``init_loopback``);
- any other device gets its EUI-64 link-local address ``fe80::…/64 scope
  link`` and the ``fe80::/64`` prefix route the first time it is up *with
  carrier* (``NETDEV_CHANGE`` from linkwatch, addrconf's ``IF_READY``): a
  bridge once a port forwards, a veth once both ends are up.  The address is
  ``tentative`` during duplicate address detection: a random delay below
  ``rtr_solicit_delay`` (``addrconf_dad_kick``), then ``dad_transmits``
  neighbour solicitations ``retrans_time`` apart; it stays when the carrier
  goes and is removed when the device goes down or away;
- ``ip -6 addr add``/``ip -6 route add`` (the host's boot configuration).

A namespace with ``net.ipv6.conf.all.disable_ipv6 = 1`` (Docker sets it in
every container's namespace) gets none of this.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass

RTR_SOLICIT_DELAY = 1.0      # net.ipv6.conf.*.rtr_solicit_delay, seconds
DAD_TRANSMITS = 1            # net.ipv6.conf.*.dad_transmits
RETRANS_TIME = 1.0           # net.ipv6.neigh.*.retrans_time_ms / 1000
PREFIX_ROUTE_METRIC = 256    # IP6_RT_PRIO_ADDRCONF
USER_ROUTE_METRIC = 1024     # IP6_RT_PRIO_USER
DISABLE_IPV6 = "net.ipv6.conf.all.disable_ipv6"

# IFA_* scope values as /proc/net/if_inet6 and ifconfig's "scopeid" show them
SCOPE_IDS = {"global": 0x00, "host": 0x10, "link": 0x20}
# ipv6_addr_src_scope: the order of a device's address list (widest first)
_SRC_SCOPE = {"global": 0xe, "link": 0x2, "host": 0x1}
_NEVER = float("inf")
LINK_LOCAL_PREFIX = ipaddress.IPv6Network("fe80::/64")


@dataclass
class Inet6Addr:
    """One ``struct inet6_ifaddr``."""
    address: ipaddress.IPv6Address
    prefixlen: int
    scope: str                      # "host", "link" or "global"
    nodad: bool = False             # IFA_F_NODAD
    dad_until: float = 0.0          # tentative (DAD running) until then

    def tentative(self, now: float) -> bool:
        return now < self.dad_until

    def flags(self, now: float) -> list[str]:
        """iproute2's flag words, in its order (permanent addresses only)."""
        return (["nodad"] if self.nodad else []) + (["tentative"] if self.tentative(now) else [])


@dataclass
class Route6:
    """A route of the main IPv6 table.  The routes are kept on their
    devices (``dev.routes6``) so that a device going away takes its routes
    without a walk of the table; ``seq`` is the order they were added in."""
    dst: ipaddress.IPv6Network
    dev: object
    gateway: str | None = None
    proto: str = "kernel"           # "kernel" for prefix routes, "boot" for ``ip route add``
    metric: int = PREFIX_ROUTE_METRIC
    seq: int = 0

    @property
    def dump_key(self) -> tuple:
        """Where ``ip -6 route`` lists it: the fib6 tree is walked children
        first, so a prefix comes after the longer prefixes inside it and
        ``default`` comes last; routes of one prefix by metric, then in the
        order they were added (``fib6_add_rt2node``)."""
        return int(self.dst.broadcast_address), -self.dst.prefixlen, self.metric, self.seq


def enabled(ns) -> bool:
    return not ns.sysctl.get(DISABLE_IPV6, 0)


def eui64_link_local(mac: str) -> ipaddress.IPv6Address:
    """``fe80::`` + the modified EUI-64 of ``mac`` (``addrconf_ifid_eui48``)."""
    b = int(mac.replace(":", ""), 16) ^ (0x02 << 40)
    iid = (b >> 24) << 40 | 0xfffe << 24 | (b & 0xffffff)
    return ipaddress.IPv6Address(0xfe80 << 112 | iid)


def _scope(addr: ipaddress.IPv6Address) -> str:
    if addr.is_loopback:
        return "host"
    return "link" if addr.is_link_local else "global"


# -- device events (addrconf_notify) -------------------------------------------
def netdev_up(ns, dev) -> None:
    """``NETDEV_UP``: ``lo`` gets ``::1``; another device is configured once
    linkwatch says its link is ready (:func:`netdev_change`)."""
    if not enabled(ns):
        return
    if dev.kind == "loopback":
        if not any(a.scope == "host" for a in dev.addrs6):
            _link_address(dev, Inet6Addr(ipaddress.IPv6Address(1), 128, "host", dad_until=0.0))
        return
    if dev.oper_up:
        netdev_change(ns, dev)


def netdev_change(ns, dev) -> None:
    """``NETDEV_CHANGE``: the first time the link is ready since the device
    came up, generate its link-local address and start DAD on the addresses
    waiting for the link.  (Later carrier changes only mark its routes
    ``linkdown``, which :func:`route_lines` reads from the device.)"""
    if not enabled(ns) or dev.kind == "loopback" or not dev.oper_up or dev.ipv6_ready:
        return
    dev.ipv6_ready = True
    for a in dev.addrs6:
        if a.dad_until == _NEVER:
            a.dad_until = _dad_end(dev)
    if not any(a.scope == "link" for a in dev.addrs6):
        _link_address(dev, Inet6Addr(eui64_link_local(dev.mac), 64, "link", dad_until=_dad_end(dev)))
        _add_route(ns, Route6(LINK_LOCAL_PREFIX, dev))


def netdev_down(ns, dev) -> None:
    """``NETDEV_DOWN`` (``addrconf_ifdown``, keep_addr_on_down=0): the
    device's addresses and routes go; the next up configures it again."""
    dev.addrs6 = []
    dev.ipv6_ready = False
    dev.routes6 = []


def netdev_unregister(ns, dev) -> None:
    netdev_down(ns, dev)


def settle(dev) -> None:
    """Duplicate address detection of ``dev``'s addresses is long over (the
    host booted before the simulation starts)."""
    for a in dev.addrs6:
        a.dad_until = float("-inf")


def _dad_end(dev) -> float:
    """When DAD of an address that starts now ends: ``addrconf_dad_kick``
    waits a random delay below rtr_solicit_delay, then each of the
    dad_transmits solicitations waits retrans_time for an answer."""
    kernel = dev.kernel
    delay = kernel.device_rng.random() * RTR_SOLICIT_DELAY
    return kernel.sched.now + delay + DAD_TRANSMITS * RETRANS_TIME


def _link_address(dev, addr: Inet6Addr) -> None:
    """``ipv6_link_dev_addr``: widest scope first; a new address goes before
    the ones of its scope."""
    rank = _SRC_SCOPE[addr.scope]
    for i, other in enumerate(dev.addrs6):
        if rank >= _SRC_SCOPE[other.scope]:
            dev.addrs6.insert(i, addr)
            return
    dev.addrs6.append(addr)


def _add_route(ns, route: Route6) -> None:
    route.seq = next(ns.route6_seq)
    route.dev.routes6.append(route)


# -- configuration (ip -6 addr add / ip -6 route add) ---------------------------
def add_address(ns, dev, cidr: str, nodad: bool = False) -> Inet6Addr:
    """``ip -6 addr add CIDR dev DEV [nodad]``: also the prefix route (not
    for a /128)."""
    iface = ipaddress.IPv6Interface(cidr)
    if nodad:
        dad_until = float("-inf")
    elif dev.oper_up and dev.ipv6_ready:
        dad_until = _dad_end(dev)
    else:
        dad_until = _NEVER               # DAD starts when the link is ready
    addr = Inet6Addr(iface.ip, iface.network.prefixlen, _scope(iface.ip), nodad=nodad,
                     dad_until=dad_until)
    _link_address(dev, addr)
    if iface.network.prefixlen < 128:
        _add_route(ns, Route6(iface.network, dev))
    return addr


def add_route(ns, dst: str, dev, gateway: str | None = None,
              metric: int = USER_ROUTE_METRIC) -> Route6:
    """``ip -6 route add DST [via GATEWAY] dev DEV``."""
    net = ipaddress.IPv6Network("::/0" if dst == "default" else dst)
    route = Route6(net, dev, gateway=gateway, proto="boot", metric=metric)
    _add_route(ns, route)
    return route


def dump_routes(ns) -> list[Route6]:
    """The main table in ``ip -6 route`` order."""
    return sorted((r for dev in ns.interfaces.values() for r in dev.routes6), key=lambda r: r.dump_key)
