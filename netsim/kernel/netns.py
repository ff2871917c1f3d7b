"""A network namespace: interfaces, routes, neighbours, netfilter and sockets.

``ip netns``-level operations live here: adding and moving devices, addresses
and routes, as the daemon's OS layer asks for them.  The namespace also
demultiplexes what the IP stack delivers locally to sockets and to the
kernel's own ICMP echo responder.
"""
from __future__ import annotations

import ipaddress
import itertools
from functools import partial

from . import addrconf
from .interface import Loopback
from .ipv4 import IPStack
from .netfilter import Netfilter
from .packet import ICMP, IPv4, PROTO_ICMP, PROTO_TCP, PROTO_UDP, UDP
from .route import Route, RouteTable
from .tcp import tcp_input

EPHEMERAL = (32768, 60999)


class IfAddr(ipaddress.IPv4Interface):
    """An address added by a user: ``brd`` says whether it has a broadcast
    address (``ip addr add`` without ``brd`` gives none; ifconfig's
    SIOCSIFADDR and the daemon's addresses have one)."""
    brd = True


class NetNamespace:
    def __init__(self, kernel, name: str):
        self.kernel = kernel
        self.name = name
        self.interfaces: dict[str, object] = {}
        self.routes = RouteTable()
        self.route6_seq = itertools.count()   # IPv6 routes (on their devices) in the order added
        # conntrack's clock: the scheduler's ``now``, read by a C-level
        # partial rather than a lambda's Python frame (a kernel keeps its
        # scheduler for life)
        self.netfilter = Netfilter(clock=partial(getattr, kernel.sched, "now"))
        self.sysctl: dict[str, int] = {"net.ipv4.ip_forward": 0}
        self.stack = IPStack(self)
        self.udp: dict = {}
        self.tcp_listeners: dict = {}
        self.tcp_conns: dict = {}
        self.icmp_sockets: list = []        # ping's: echo replies/errors of one ident
        self.raw_icmp_sockets: list = []    # raw, unfiltered (traceroute's receive socket)
        self.icmp_peers: dict = {}          # inet_peer: ICMP error rate limit per destination
        # Bumped by every change of which devices are here, their names, up
        # flags and IPv4 addresses (the methods below are the only writers of
        # those): what the IP stack caches about them (is_local) is keyed on it.
        self.generation = 0
        self._ifindex = 0
        self._ifindexes: set[int] = set()    # the indexes of ``interfaces``
        self.add_interface(Loopback(kernel))     # lo is always index 1 in a new namespace

    def __repr__(self) -> str:
        return f"<NetNamespace {self.name}>"

    # -- devices -----------------------------------------------------------
    def _new_ifindex(self) -> int:
        """``dev_new_index``: the next index after the last one, skipping used ones."""
        used = self._ifindexes
        while True:
            self._ifindex += 1
            if self._ifindex not in used:
                return self._ifindex

    def add_interface(self, dev) -> None:
        """Register a device; one moved in from another namespace keeps its
        index unless that index is taken here (``dev_change_net_namespace``)."""
        if not dev.ifindex or dev.ifindex in self._ifindexes:
            dev.ifindex = self._new_ifindex()
        dev.netns = self
        self.generation += 1
        self.interfaces[dev.name] = dev
        self._ifindexes.add(dev.ifindex)
        for a in dev.addrs:
            self._connected_route(dev, a)

    def remove_interface(self, dev) -> None:
        self.generation += 1
        if self.interfaces.pop(dev.name, None) is dev:
            self._ifindexes.discard(dev.ifindex)
        self.routes.remove_dev(dev)
        addrconf.netdev_unregister(self, dev)
        self.stack.neigh.flush_dev(dev)
        self.kernel.linkwatch.forget(dev)
        dev.netns = None
        dev.lw_carrier = False

    def rename(self, dev, new: str) -> None:
        self.generation += 1
        del self.interfaces[dev.name]
        dev.name = new
        self.interfaces[new] = dev

    def set_up(self, dev, up: bool = True) -> None:
        """``ip link set DEV up|down``: NETDEV_UP/NETDEV_DOWN, then the
        carrier changes it causes (its own; a veth peer's; a bridge's whose
        port it is) go to linkwatch."""
        was_up = dev.up
        dev.up = up
        self.generation += 1
        if dev.netns is not None and dev.netns is not self:
            dev.netns.generation += 1
        if not up:
            self.stack.neigh.flush_dev(dev)
            if was_up:
                # fib_disable_ip: every route through the device goes
                self.routes.remove_dev(dev)
        if up and not was_up:
            for a in dev.addrs:         # fib_add_ifaddr: the prefix routes come back
                self._connected_route(dev, a)
            if dev.qdisc == "noop":
                dev.qdisc = dev.default_qdisc    # attach_default_qdiscs on first open
            addrconf.netdev_up(self, dev)
        elif was_up and not up:
            dev.oper_up = False
            addrconf.netdev_down(self, dev)
        peer = getattr(dev, "peer", None)
        self.kernel.linkwatch.check(dev, peer, dev.master, peer.master if peer is not None else None)

    def add_address(self, dev, cidr: str, broadcast: bool = True) -> None:
        """``ip addr add CIDR dev DEV``: also adds the prefix route."""
        iface = ipaddress.IPv4Interface(cidr) if broadcast else IfAddr(cidr)
        if not broadcast:
            iface.brd = False
        dev.addrs.append(iface)
        self.generation += 1
        if dev.netns is not None and dev.netns is not self:
            dev.netns.generation += 1
        self._connected_route(dev, iface)

    def del_address(self, dev, cidr: str) -> None:
        """``ip addr del``: the routes with the address as source go; the
        device's last address takes all its routes (``fib_disable_ip``)."""
        iface = ipaddress.IPv4Interface(cidr)
        dev.addrs = [a for a in dev.addrs if a != iface]
        self.generation += 1
        if dev.netns is not None and dev.netns is not self:
            dev.netns.generation += 1
        self.routes.remove(lambda r: r.dev is dev and r.src == str(iface.ip))
        if not dev.addrs:
            self.routes.remove_dev(dev)

    def _connected_route(self, dev, iface) -> None:
        if dev.kind == "loopback" or iface.network.prefixlen == 32:
            return
        src = str(iface.ip)
        if any(r.dev is dev and r.dst == iface.network and r.src == src and r.gateway is None
               for r in self.routes.routes):
            return
        self.routes.add(Route(iface.network, dev, src=src))

    def add_route(self, dst: str, dev, gateway: str | None = None) -> Route:
        net = ipaddress.IPv4Network("0.0.0.0/0" if dst == "default" else dst)
        return self.routes.add(Route(net, dev, gateway=gateway, scope="universe" if gateway else "link",
                                     proto="boot" if gateway else "static"))

    def source_address(self, dst: str) -> str | None:
        if self.stack.is_local(dst):
            return dst if not dst.startswith("127.") else "127.0.0.1"
        route = self.routes.lookup(dst)
        if route is None:
            if self.kernel.hops is not None:
                self.kernel.trace(None, None, f"{self.name}: no route to {dst} (Network is unreachable)",
                                  netns=self)
            return None
        return route.src or self.stack.source_for(route.dev, dst)

    def ephemeral_port(self, proto: str) -> int:
        lo, hi = EPHEMERAL
        used = self.udp if proto == "udp" else {k[:2] for k in self.tcp_conns}
        while True:
            port = self.kernel.rng.randint(lo, hi)
            if not any(k[1] == port for k in used):
                return port

    # -- local delivery ----------------------------------------------------
    def deliver_local(self, pkt: IPv4, dev) -> None:
        if pkt.proto == PROTO_ICMP:
            self._icmp_input(pkt)
        elif pkt.proto == PROTO_UDP:
            self._udp_input(pkt)
        elif pkt.proto == PROTO_TCP:
            tcp_input(self, pkt)

    def _icmp_input(self, pkt: IPv4) -> None:
        icmp = pkt.payload
        if self.raw_icmp_sockets:
            now = self.kernel.sched.now
            for sock in self.raw_icmp_sockets:
                if sock.bound is None or sock.bound == pkt.dst:
                    sock.queue.push((pkt, now))
        if icmp.type == ICMP.ECHO_REQUEST:
            reply = ICMP(ICMP.ECHO_REPLY, 0, icmp.ident, icmp.seq, icmp.data)
            self.stack.output(IPv4(pkt.dst, pkt.src, PROTO_ICMP, reply,
                                   ident=self.stack.next_ident(), df=False))
            return
        if icmp.type == ICMP.ECHO_REPLY:
            for sock in self.icmp_sockets:
                if sock.ident == icmp.ident:
                    sock.queue.push((pkt, self.kernel.sched.now))
            return
        inner = icmp.data
        if isinstance(inner, IPv4):
            if icmp.type == ICMP.TIME_EXCEEDED:
                why = "time exceeded"
            else:
                why = "port unreachable" if icmp.code == ICMP.PORT_UNREACH else "host unreachable"
            self.deliver_error(inner, why, icmp_packet=pkt)

    def _udp_input(self, pkt: IPv4) -> None:
        udp: UDP = pkt.payload
        sock = self.udp.get((pkt.dst, udp.dport)) or self.udp.get(("0.0.0.0", udp.dport))
        if sock is None:
            if self.kernel.hops is not None:
                self.kernel.trace(None, pkt, f"{self.name}: nothing listens on udp {pkt.dst}:{udp.dport}, "
                                  "ICMP port unreachable", netns=self)
            self.stack.send_icmp_error(pkt, ICMP.DEST_UNREACH, ICMP.PORT_UNREACH)
            return
        sock.queue.push((udp.payload, (pkt.src, udp.sport)))

    def deliver_error(self, inner: IPv4, why: str, icmp_packet=None) -> None:
        """Tell the local socket that sent ``inner`` that it failed."""
        errno = "ECONNREFUSED" if why == "port unreachable" else "EHOSTUNREACH"
        t = inner.payload
        if inner.proto == PROTO_UDP:
            if why == "time exceeded":
                return      # not a hard error: a UDP socket is not told (__udp4_lib_err)
            sock = self.udp.get((inner.src, t.sport)) or self.udp.get(("0.0.0.0", t.sport))
            if sock is not None and sock.remote not in (None, (inner.dst, t.dport)):
                sock = None     # connected elsewhere: the four-tuple lookup misses it
            if sock is not None:
                sock.queue.push(errno)
        elif inner.proto == PROTO_TCP:
            conn = self.tcp_conns.get((inner.src, t.sport, inner.dst, t.dport))
            if conn is not None and conn.state == "SYN_SENT" and errno == "EHOSTUNREACH":
                conn._fail(errno)
        elif inner.proto == PROTO_ICMP and icmp_packet is not None:
            # A raw ICMP socket reads ICMP errors as packets; it is not told an
            # errno (raw_err: only with IP_RECVERR or when connected), so a
            # failed neighbour resolution leaves busybox ping silent.
            for sock in self.icmp_sockets:
                if sock.ident == t.ident:
                    sock.queue.push((icmp_packet, self.kernel.sched.now))
