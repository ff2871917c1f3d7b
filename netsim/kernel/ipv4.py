"""The IPv4 stack of one namespace: ARP, routing, netfilter hooks, delivery.

Receive path (``ip_rcv``): nat PREROUTING → routing decision → filter INPUT and
local delivery, or (with ``net.ipv4.ip_forward``) filter FORWARD, nat
POSTROUTING and the neighbour layer.  Send path (``ip_local_out``): routing →
nat OUTPUT (may re-route after DNAT) → filter OUTPUT → nat POSTROUTING.
"""
from __future__ import annotations

import ipaddress

from functools import lru_cache

from .addr import ip_int
from .neighbor import NeighborTable
from .netfilter import Conn, HookContext, flow_tuple
from .packet import (ARP, BROADCAST, ETH_ARP, ETH_IP, ICMP, IPv4, PROTO_ICMP,
                     PROTO_TCP, PROTO_UDP, Ether)

LOOPBACK_NET = ipaddress.IPv4Network("127.0.0.0/8")
HZ = 250                        # the reference kernel's CONFIG_HZ (jiffies per second)
ICMP_RATELIMIT = HZ             # net.ipv4.icmp_ratelimit = 1000 ms, in jiffies
ICMP_RATEMASK = 0x1818          # net.ipv4.icmp_ratemask: types 3, 4, 11 and 12
XRLIM_BURST_FACTOR = 6          # inet_peer_xrlim_allow's burst


class IPStack:
    def __init__(self, netns):
        self.netns = netns
        self.kernel = netns.kernel
        self.neigh = NeighborTable(self)
        self._ident = 0
        self._local_routes: dict = {}
        self._local: dict[str, bool] = {}     # is_local's answers, for _local_generation
        self._local_generation = -1

    # -- addresses ---------------------------------------------------------
    def is_local(self, addr: str) -> bool:
        """Whether ``addr`` is an address of this namespace (``inet_addr_type``
        says RTN_LOCAL): an address of a device that is up, or 127/8 with a
        loopback up.  The answers are remembered per address until the
        namespace's ``generation`` moves, which every change of its devices,
        their up flags or their addresses bumps (see NetNamespace)."""
        netns = self.netns
        local = self._local
        if self._local_generation != netns.generation:
            local.clear()
            self._local_generation = netns.generation
        found = local.get(addr)
        if found is None:
            found = self._is_local(addr)
            if len(local) >= 4096:
                local.clear()
            local[addr] = found
        return found

    def _is_local(self, addr: str) -> bool:
        a = ip_int(addr)
        for dev in self.netns.interfaces.values():
            if not dev.up:
                continue
            if dev.kind == "loopback" and a >> 24 == 127:
                return True
            if a in dev.address_ints():
                return True
        return False

    def source_for(self, dev, dst: str) -> str:
        route = self.netns.routes.lookup(dst)
        if route is not None and route.src:
            return route.src
        a = ip_int(dst)
        for x in dev.addrs:
            ip, net, mask, text = _ifaddr(x)
            if a & mask == net:
                return text
        return str(dev.addrs[0].ip) if dev.addrs else "0.0.0.0"

    def next_ident(self) -> int:
        self._ident = (self._ident + 1) & 0xFFFF
        return self._ident

    # -- receive -----------------------------------------------------------
    def receive(self, dev, frame) -> None:
        dst = frame.dst
        if dst != dev.mac and dst != BROADCAST and not dev.promisc and dev.kind != "loopback":
            return
        type_ = frame.type
        if type_ == ETH_ARP:
            self.arp_input(dev, frame.payload)
        elif type_ == ETH_IP:
            self.ip_input(dev, frame.payload)

    def arp_input(self, dev, arp: ARP) -> None:
        if arp.op == ARP.REQUEST:
            if not dev.has_address(arp.pdst):
                return
            self.neigh.update(arp.psrc, dev, arp.hwsrc)
            reply = ARP(ARP.REPLY, dev.mac, arp.pdst, arp.hwsrc, arp.psrc)
            dev.xmit(Ether(dev.mac, arp.hwsrc, ETH_ARP, reply))
        else:
            self.neigh.update(arp.psrc, dev, arp.hwsrc, create=False)

    def ip_input(self, dev, pkt: IPv4) -> None:
        name = dev.name
        if dev.kind != "loopback":
            # A looped-back packet keeps the conntrack entry it got on output
            # (nf_conntrack_in: "previously seen"): no second NAT lookup.
            pkt = self._nat_pre(pkt, name, "PREROUTING")
            if pkt is None:
                return
        if self.is_local(pkt.dst):
            if self._filter("INPUT", pkt, name, None):
                self.netns.deliver_local(pkt, dev)
            return
        if not self.netns.sysctl.get("net.ipv4.ip_forward", 0):
            self.kernel.trace(dev, pkt, f"{self.netns.name}: not forwarding (ip_forward=0), dropped")
            return
        route = self.netns.routes.lookup(pkt.dst)
        if route is None:
            if self.kernel.hops is not None:
                self.kernel.trace(dev, pkt, f"{self.netns.name}: no route to {pkt.dst}, "
                                  "ICMP net unreachable")
            self.send_icmp_error(pkt, ICMP.DEST_UNREACH, 0)
            return
        if pkt.ttl <= 1:       # ip_forward tests the TTL before the FORWARD hook
            if self.kernel.hops is not None:
                self.kernel.trace(dev, pkt, f"{self.netns.name}: TTL expired, ICMP time exceeded")
            self.send_icmp_error(pkt, ICMP.TIME_EXCEEDED, 0)
            return
        if not self._filter("FORWARD", pkt, dev.name, route.dev.name):
            return
        pkt = pkt.copy()
        pkt.ttl -= 1
        self._post_and_send(pkt, route, dev.name)

    # -- send --------------------------------------------------------------
    def output(self, pkt: IPv4) -> bool:
        """``ip_local_out``: a packet generated by this namespace's programs."""
        dst = pkt.dst
        routes = self.netns.routes
        local = self.is_local(dst)
        # a local destination goes through the local table (_local_route)
        route = None if local else routes.lookup(dst)
        if route is None and not local:
            if self.kernel.hops is not None:
                self.kernel.trace(None, pkt, f"{self.netns.name}: no route to {pkt.dst} "
                                  "(Network is unreachable)", netns=self.netns)
            return False
        pkt = self._nat_pre(pkt, None, "OUTPUT")
        if pkt is None:
            return True
        if pkt.dst != dst:          # DNAT: route again
            local = self.is_local(pkt.dst)
            route = routes.lookup(pkt.dst)
        if local:
            route = self._local_routes.get(pkt.dst)     # _local_route's cache, inline
            if route is None or route.dev is not self.netns.interfaces.get("lo"):
                route = self._local_route(pkt.dst)
        if route is None:
            return False
        if not self._filter("OUTPUT", pkt, None, route.dev.name):
            return True
        self._post_and_send(pkt, route, None)
        return True

    def _local_route(self, dst: str):
        """The ``local`` table's route to one of this namespace's addresses: via lo."""
        lo = self.netns.interfaces.get("lo")
        route = self._local_routes.get(dst)
        if route is None or route.dev is not lo:
            from .route import Route
            route = self._local_routes[dst] = Route(ipaddress.IPv4Network(dst + "/32"), lo,
                                                    scope="host", proto="local")
        return route

    def _post_and_send(self, pkt: IPv4, route, in_iface) -> None:
        dev = route.dev
        pkt = self._nat_post(pkt, in_iface, dev.name)
        if dev.kind == "loopback":
            dev.xmit(Ether("00:00:00:00:00:00", "00:00:00:00:00:00", ETH_IP, pkt))
            return
        self.neigh.resolve_and_send(route.gateway or pkt.dst, dev, pkt)

    def unreachable(self, pkt: IPv4) -> None:
        """Neighbour resolution failed for ``pkt``."""
        if self.is_local(pkt.src):
            self.netns.deliver_error(pkt, "host unreachable")
        else:
            self.send_icmp_error(pkt, ICMP.DEST_UNREACH, ICMP.HOST_UNREACH)

    def send_icmp_error(self, pkt: IPv4, type_: int, code: int) -> None:
        if pkt.proto == PROTO_ICMP and pkt.payload.type not in (ICMP.ECHO_REQUEST, ICMP.ECHO_REPLY):
            return  # never an error about an error
        if self.is_local(pkt.dst):
            src = pkt.dst      # icmp_send: an error about a local packet comes from its dst
        else:
            route = self.netns.routes.lookup(pkt.src)
            if route is None:
                self.kernel.trace(None, pkt, f"{self.netns.name}: no route to {pkt.src} for ICMP error",
                                  netns=self.netns)
                return
            src = self.source_for(route.dev, pkt.src)
        if not self._icmp_rate_allows(pkt.src, type_, code):
            if self.kernel.hops is not None:
                self.kernel.trace(None, pkt, f"{self.netns.name}: ICMP error to {pkt.src} rate-limited "
                                  "(icmp_ratelimit)", netns=self.netns)
            return
        err = IPv4(src, pkt.src, PROTO_ICMP, ICMP(type_, code, data=pkt), ttl=64,
                   ident=self.next_ident(), df=False)
        self.output(err)

    def _icmp_rate_allows(self, dst: str, type_: int, code: int) -> bool:
        """``icmpv4_xrlim_allow``: the types in ``icmp_ratemask`` (destination
        unreachable but "fragmentation needed", source quench, time exceeded,
        parameter problem) sent to one destination draw on a token bucket of
        its ``inet_peer``: one error per ``icmp_ratelimit`` (1 s), bursts of
        six; a new peer starts full.  Errors to a local address (routed
        through ``lo``) are never limited."""
        if not (1 << type_) & ICMP_RATEMASK or (type_ == ICMP.DEST_UNREACH and code == 4):
            return True
        if self.is_local(dst):
            return True
        jiffies = int(self.kernel.sched.now * HZ)
        peers = self.netns.icmp_peers
        tokens, last = peers.get(dst, (0, jiffies - 60 * HZ))
        tokens = min(tokens + jiffies - last, XRLIM_BURST_FACTOR * ICMP_RATELIMIT)
        allowed = tokens >= ICMP_RATELIMIT
        if allowed:
            tokens -= ICMP_RATELIMIT
        peers[dst] = (tokens, jiffies)
        return allowed

    # -- netfilter hooks ---------------------------------------------------
    def _ctx(self, in_iface, out_iface, state) -> HookContext:
        return HookContext(in_iface, out_iface, state, self.is_local)

    def _ctstate(self, pkt) -> str:
        ct = self.netns.netfilter.conntrack
        conn, direction = ct.lookup(pkt)
        if direction == "related":
            return "RELATED" if ct.related(pkt) else "INVALID"
        if conn is None:
            return "NEW"
        if direction == "reply" or conn.seen_reply:
            return "ESTABLISHED"
        return "NEW"

    def _filter(self, chain: str, pkt, in_iface, out_iface) -> bool:
        table = self.netns.netfilter.tables["filter"]
        prog = None
        if table._walks_generation == table.generation:     # Table.program's cache, inline
            prog = table._walks.get((chain, in_iface, out_iface))
        if prog is None:
            prog = table.program(chain, in_iface, out_iface)
        if prog:
            trail: list = []
            # conntrack is asked for the state only if a rule matches on it
            ctx = HookContext(in_iface, out_iface, lambda: self._ctstate(pkt), self.is_local)
            rule = table.run(prog, pkt, ctx, trail)
            verdict = rule.target if rule is not None else table.policy[chain]
        else:               # no rule can match: the policy
            trail = ()
            verdict = table.policy[chain]
        if verdict == "DROP" or verdict == "REJECT":
            where = f" ({trail[-1][1].spec(trail[-1][0])})" if trail else ""
            self.kernel.trace(None, pkt, f"{self.netns.name}: iptables {chain} {verdict}{where}",
                              netns=self.netns)
            return False
        return True

    def bridge_forward_allowed(self, bridge, pkt) -> bool:
        """br_netfilter: a bridged IPv4 packet traverses filter FORWARD."""
        return self._filter("FORWARD", pkt, bridge.name, bridge.name)

    def _nat_pre(self, pkt: IPv4, in_iface, chain: str):
        """nat PREROUTING/OUTPUT: conntrack lookup, DNAT on new connections."""
        nf = self.netns.netfilter
        ct = nf.conntrack
        conn, direction = ct.lookup(pkt)
        if conn is not None:
            if direction == "reply":
                conn.seen_reply = True
                orig = conn.orig
                return _translate(pkt, orig[3], orig[4], orig[1], orig[2])
            dnat = conn.dnat
            return _translate(pkt, None, None, dnat[3], dnat[4])
        if direction == "related":
            conn = ct.related(pkt)
            return self._unnat_error(pkt, conn) if conn is not None else pkt
        if nf.is_empty():
            return pkt
        key = flow_tuple(pkt)
        trail: list = []
        rule = None
        nat = nf.tables["nat"]
        prog = nat.program(chain, in_iface, None)
        if prog:
            rule = nat.run(prog, pkt, self._ctx(in_iface, None, "NEW"), trail)
        if rule is not None and rule.target == "DNAT":
            ip, _, port = rule.to_destination.partition(":")
            new = _rewrite(pkt, dst=(ip, int(port) if port else None))
            if self.kernel.hops is not None:
                self.kernel.trace(None, pkt, f"{self.netns.name}: DNAT {_desc(pkt)} → {rule.to_destination}",
                                  netns=self.netns)
            translated = flow_tuple(new)
            ct.confirm(Conn(key, translated, translated))
            return new
        ct.confirm(Conn(key, key, key))
        return pkt

    def _nat_post(self, pkt: IPv4, in_iface, out_iface: str) -> IPv4:
        """nat POSTROUTING: MASQUERADE/SNAT decided on a connection's first packet."""
        nf = self.netns.netfilter
        t = pkt.payload         # Conntrack.after_dnat, inline
        if pkt.proto == PROTO_ICMP:
            conn = nf.conntrack.by_dnat.get((PROTO_ICMP, pkt.src, t.ident, pkt.dst, t.ident))
        else:
            conn = nf.conntrack.by_dnat.get((pkt.proto, pkt.src, t.sport, pkt.dst, t.dport))
        if conn is None:
            return pkt
        if not conn.post_done:
            conn.post_done = True
            trail: list = []
            rule = None
            nat = nf.tables["nat"]
            prog = nat.program("POSTROUTING", in_iface, out_iface)
            if prog:
                rule = nat.run(prog, pkt, self._ctx(in_iface, out_iface, "NEW"), trail)
            if rule is not None and rule.target in ("MASQUERADE", "SNAT"):
                dev = self.netns.interfaces[out_iface]
                src, _, port = (rule.to_source or "").partition(":")
                src = src or self.source_for(dev, pkt.dst)
                sport = int(port) if port else conn.dnat[2]
                if self.kernel.hops is not None:
                    self.kernel.trace(None, pkt, f"{self.netns.name}: {rule.target} {pkt.src} → {src}",
                                      netns=self.netns)
                nf.conntrack.set_snat(conn, (conn.dnat[0], src, sport) + conn.dnat[3:])
        trans, dnat = conn.trans, conn.dnat
        if trans[1] != dnat[1] or trans[2] != dnat[2]:
            return _translate(pkt, trans[1], trans[2], None, None)
        return pkt

    def _unnat_error(self, pkt: IPv4, conn: Conn) -> IPv4:
        inner = pkt.payload.data
        orig_inner = _rewrite(inner, src=conn.orig[1:3], dst=conn.orig[3:5])
        out = pkt.copy()
        out.dst = conn.orig[1]
        out.payload.data = orig_inner
        return out


@lru_cache(maxsize=None)
def _ifaddr(iface) -> tuple[int, int, int, str]:
    """An ``IPv4Interface`` as (address, network, mask) ints and its address text."""
    return (int(iface.ip), int(iface.network.network_address), int(iface.network.netmask),
            str(iface.ip))


def _desc(pkt) -> str:
    t = pkt.payload
    name = {PROTO_TCP: "tcp", PROTO_UDP: "udp", PROTO_ICMP: "icmp"}[pkt.proto]
    port = f" dpt:{t.dport}" if hasattr(t, "dport") else ""
    return f"{name}{port}"


def _rewrite(pkt: IPv4, src=None, dst=None) -> IPv4:
    """``pkt`` with (address, port) pairs replaced; None keeps a field (see
    :func:`_translate`)."""
    src, sport = src if src is not None else (None, None)
    dst, dport = dst if dst is not None else (None, None)
    return _translate(pkt, src, sport, dst, dport)


def _translate(pkt: IPv4, src, sport, dst, dport) -> IPv4:
    """A copy of ``pkt`` with its source and destination address and port
    replaced; None keeps a field, and ports are only TCP's and UDP's.  When
    nothing would change, ``pkt`` itself: the model never changes a packet
    in place once it is sent (NAT, the TTL and ICMP errors change copies),
    so the copy would only cost."""
    ports = pkt.proto == PROTO_TCP or pkt.proto == PROTO_UDP
    t = pkt.payload
    if ((src is None or src == pkt.src) and (dst is None or dst == pkt.dst)
            and (not ports or ((sport is None or sport == t.sport)
                               and (dport is None or dport == t.dport)))):
        return pkt
    new = pkt.copy()
    t = new.payload
    if src is not None:
        new.src = src
        if sport is not None and ports:
            t.sport = sport
    if dst is not None:
        new.dst = dst
        if dport is not None and ports:
            t.dport = dport
    return new
