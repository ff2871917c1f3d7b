"""The embedded DNS server at 127.0.0.11 (libnetwork ``resolver.go``).

As on a real host, the daemon binds a UDP socket and a TCP listener inside
the container's namespace on 127.0.0.11, each at a random port (``netstat
-tln`` shows the TCP one), and installs nat rules there
(DOCKER_OUTPUT / DOCKER_POSTROUTING) that redirect port 53 to it.  Names are
answered from the networks the sandbox is connected to (``ResolveName``):
link aliases first, then ``name`` or ``name.network`` among the endpoints'
DNS names (container name, network aliases, short id, hostname), lowercased;
several holders of a name get all their addresses, shuffled per reply with the
engine's seeded generator.  Other names are forwarded to the external servers;
when none answers the client gets no reply.
"""
from __future__ import annotations

import random
from functools import lru_cache

from ..kernel import tcp
from ..kernel.netfilter import Rule
from ..kernel.socket import UdpSocket
from ..proto import dns
from .network import Endpoint

RESOLVER_IP = "127.0.0.11"
TTL = 600
EXT_TIMEOUT = 4.0      # libnetwork extIOTimeout


class _NameIndex:
    """A network's DNS names, and what they were derived from: its endpoints
    (in order) and the endpoints' names generation at the time.  Kept on the
    network (``Network.dns_name_index``), so it lives as long as the network."""

    __slots__ = ("endpoints", "generation", "holders")

    def __init__(self, endpoints: tuple, generation: int, holders: dict[str, list[str]]):
        self.endpoints = endpoints
        self.generation = generation
        self.holders = holders


@lru_cache(maxsize=4096)
def _a_record(qname: str, ip: str) -> dns.Record:
    """The A record answering ``qname`` with ``ip`` (records are immutable)."""
    return dns.Record(qname, dns.A, TTL, ip)


def _name_index(net) -> dict[str, list[str]]:
    """{lowercased DNS name: addresses of the network's endpoints holding it,
    in endpoint order}.

    Rebuilt unless the network has the same endpoints in the same order (the
    index holds the endpoint objects it was built from) and no endpoint's
    address or DNS names were assigned since (``Endpoint.names_generation``;
    the names are a tuple, never changed in place): no change can be missed.
    """
    endpoints = tuple(net.endpoints.values())
    generation = Endpoint.names_generation
    cached = net.dns_name_index
    if cached is not None and cached.generation == generation and cached.endpoints == endpoints:
        return cached.holders
    holders: dict[str, list[str]] = {}
    for ep in endpoints:
        ip = ep.ip
        if ip:
            for n in dict.fromkeys(n.lower() for n in ep.dns_names):
                holders.setdefault(n, []).append(ip)
    net.dns_name_index = _NameIndex(endpoints, generation, holders)
    return holders


class EmbeddedDns:
    def __init__(self, daemon, sandbox):
        self.daemon = daemon
        self.sandbox = sandbox
        ns = sandbox.netns
        self.port = daemon.ids.port(32768, 60999)
        self.tcp_port = daemon.ids.port(32768, 60999)
        self.rng = random.Random(daemon.ids.seed * 7919 + self.port)
        self.sock = UdpSocket(ns)
        self.sock.bind(RESOLVER_IP, self.port)
        self.listener = tcp.TcpListener(ns, RESOLVER_IP, self.tcp_port)
        self._install_rules(ns)
        self.process = daemon.sched.process(self._serve(), name=f"resolver:{sandbox.id[:12]}")
        self.tcp_process = daemon.sched.process(self._serve_tcp(), name=f"resolver-tcp:{sandbox.id[:12]}")

    def _install_rules(self, ns) -> None:
        ipt = self.daemon.osl.iptables
        ipt(ns, "nat", "-N", "DOCKER_OUTPUT")
        ipt(ns, "nat", "-N", "DOCKER_POSTROUTING")
        ipt(ns, "nat", "-A", "OUTPUT", Rule("DOCKER_OUTPUT", dst=RESOLVER_IP))
        ipt(ns, "nat", "-A", "POSTROUTING", Rule("DOCKER_POSTROUTING", dst=RESOLVER_IP))
        for proto, port in (("tcp", self.tcp_port), ("udp", self.port)):
            ipt(ns, "nat", "-A", "DOCKER_OUTPUT",
                Rule("DNAT", dst=RESOLVER_IP, proto=proto, dport=53,
                     to_destination=f"{RESOLVER_IP}:{port}"))
        for proto, port in (("tcp", self.tcp_port), ("udp", self.port)):
            ipt(ns, "nat", "-A", "DOCKER_POSTROUTING",
                Rule("SNAT", src=RESOLVER_IP, proto=proto, sport=port, to_source=":53"))

    def stop(self) -> None:
        self.sock.close()
        self.listener.close()
        self.process.kill()
        self.tcp_process.kill()

    def _serve_tcp(self):
        """DNS over TCP: one length-prefixed query per connection, answered
        from the same tables (forwarding is UDP only here)."""
        while True:
            conn = yield self.listener.accept()
            if conn is None:
                continue
            data = yield conn.recv(timeout=EXT_TIMEOUT)
            reply = None
            if isinstance(data, bytes) and len(data) > 2:
                try:
                    reply = self.answer(dns.Message.unpack(data[2:]))
                except Exception:
                    reply = None
            if reply is not None:
                packed = reply.pack()
                conn.send(len(packed).to_bytes(2, "big") + packed)
            conn.close()

    # -- serving ---------------------------------------------------------
    def _serve(self):
        sock = self.sock
        parse, pack_reply = dns.parse, dns.pack_reply
        while True:
            item = yield sock.recvfrom()
            if not isinstance(item, tuple):
                continue
            data, client = item
            try:
                ident, flags, qname, qtype, _answers = parse(data)
            except Exception:
                continue
            answers = self.lookup(qname, qtype)
            if answers is not None:
                sock.sendto(pack_reply(ident, flags & dns.RD, qname, qtype, answers), client)
            else:
                self.daemon.sched.process(self._forward(data, client), name="resolver:forward")

    def answer(self, query: dns.Message) -> dns.Message | None:
        """The reply to ``query``, or None when it is to be forwarded."""
        answers = self.lookup(query.qname, query.qtype)
        if answers is None:
            return None
        return dns.Message(query.id, query.qname, query.qtype, response=True, rd=query.rd, ra=True,
                           answers=list(answers))

    def lookup(self, qname: str, qtype: int) -> list[dns.Record] | tuple[()] | None:
        """The answer records of a NOERROR reply to a question, or None when
        the name is not the sandbox's networks' (then the query is forwarded)."""
        if qtype == dns.A:
            ips = self.resolve(qname)
            if ips is not None:
                return [_a_record(qname, ip) for ip in ips]
        elif qtype == dns.AAAA or qtype == dns.MX:
            # handleIPQuery (IPv6) / handleMXQuery: the name exists (it has an
            # IPv4 address) but no such record: NOERROR, no answer
            if self.resolve(qname) is not None:
                return ()
        elif qtype == dns.PTR:
            name = self.reverse(qname)
            if name is not None:
                return [dns.Record(qname, dns.PTR, TTL, name)]
        return None

    def resolve(self, qname: str) -> list[str] | None:
        name = qname.rstrip(".").lower()
        for ep in self.sandbox.ordered_endpoints():
            net = ep.network
            if not net.is_user_defined:
                continue
            holders = _name_index(net)     # nothing below changes the network
            for link in ep.links:
                target, _, alias = link.partition(":")
                if (alias or target).lower() == name:
                    found = self._holders(holders, target.lower())
                    if found:
                        return found
            short = name
            if name.endswith("." + net.name.lower()):
                short = name[: -len(net.name) - 1]
            found = self._holders(holders, short)
            if found:
                return found
        return None

    def _holders(self, holders: dict[str, list[str]], name: str) -> list[str]:
        """The addresses holding ``name``, several shuffled as each reply does."""
        ips = holders.get(name)
        if not ips:
            return []
        ips = list(ips)
        if len(ips) > 1:
            self.rng.shuffle(ips)
        return ips

    def reverse(self, qname: str) -> str | None:
        parts = qname.rstrip(".").split(".")
        if len(parts) != 6 or parts[-2:] != ["in-addr", "arpa"]:
            return None
        ip = ".".join(reversed(parts[:4]))
        for ep in self.sandbox.ordered_endpoints():
            if not ep.network.is_user_defined:
                continue
            for other in ep.network.endpoints.values():
                if other.ip == ip and other.dns_names:
                    return f"{other.dns_names[0]}.{ep.network.name}"
        return None

    def external_servers(self) -> list[str]:
        """The container's ``--dns``, else the daemon's, else the host's resolvers."""
        c = self.sandbox.container
        if c.dns:
            return list(c.dns)
        if self.daemon.host.daemon_dns:
            return list(self.daemon.host.daemon_dns)
        return [line.split()[1] for line in self.daemon.host.resolv_conf.splitlines()
                if line.startswith("nameserver") and len(line.split()) > 1]

    def _forward(self, data: bytes, client):
        """Forward a name it does not know to the external servers, relay the reply.

        Loopback servers are queried from the host's namespace (20.10's
        ``HostLoopback``), others from the container's.  When no server
        answers, the client gets nothing and times out -- as on the sealed
        reference engine, whose ``--dns 127.0.0.1`` has no server behind it.
        """
        for server in self.external_servers():
            ns = self.daemon.osl.host if server.startswith("127.") else self.sandbox.netns
            sock = UdpSocket(ns)
            try:
                sock.sendto(data, (server, 53))
            except OSError:
                sock.close()
                continue
            item = yield sock.recvfrom(EXT_TIMEOUT)
            sock.close()
            if isinstance(item, tuple):
                self.sock.sendto(item[0], client)
                return
