"""Sockets: how programs in a namespace send and receive.

``UdpSocket`` and ``IcmpSocket`` (the raw socket ``ping`` uses) queue what
arrives; ``recv(timeout)`` is an event that a process can ``yield``.  TCP lives
in :mod:`netsim.kernel.tcp`.  Errors reach programs as Python exceptions with
the errno names busybox reports (``ECONNREFUSED``, ``ETIMEDOUT``…).
"""
from __future__ import annotations

from collections import deque

from ..sim.core import Event
from .packet import ICMP, IPv4, PROTO_ICMP, PROTO_UDP, UDP


class SocketError(OSError):
    """An errno a program sees; ``strerror`` is glibc's text for it."""

    TEXT = {
        "ECONNREFUSED": "Connection refused",
        "ETIMEDOUT": "Connection timed out",
        "EHOSTUNREACH": "No route to host",
        "ENETUNREACH": "Network is unreachable",
        "EADDRINUSE": "Address in use",
        "ECONNRESET": "Connection reset by peer",
        "EPERM": "Operation not permitted",
    }

    def __init__(self, name: str):
        super().__init__(name, self.TEXT.get(name, name))
        self.name = name


class _Queue:
    """Datagrams waiting to be read, and the readers waiting for one."""

    __slots__ = ("netns", "sched", "items", "waiters")

    def __init__(self, netns):
        self.netns = netns
        self.sched = netns.kernel.sched      # a kernel keeps its scheduler for life
        self.items: deque = deque()
        self.waiters: deque = deque()

    def push(self, item) -> None:
        waiters = self.waiters
        while waiters:
            ev, timer = waiters.popleft()
            if timer is None:
                ev.succeed(item)      # no timeout: nothing else triggers a read's event
                return
            if timer:                 # its timeout has not expired (a fired timer is emptied)
                self.sched.cancel(timer)
                ev.succeed(item)
                return
        self.items.append(item)

    def pop(self, timeout: float | None = None):
        ev = Event(self.sched)
        if self.items:
            ev.succeed(self.items.popleft())
            return ev
        timer = None
        if timeout is not None:
            timer = self.sched.timer(timeout, ev.succeed, None)   # the reader gets None
        self.waiters.append((ev, timer))
        return ev


class UdpSocket:
    def __init__(self, netns):
        self.netns = netns
        self.local: tuple[str, int] | None = None
        self.remote: tuple[str, int] | None = None   # connect()ed peer
        self.ttl = 64                                 # IP_TTL (ip_default_ttl)
        self.queue = _Queue(netns)
        self.error: str | None = None
        # recvfrom(timeout=None): an event whose value is ``(data, (ip, port))``,
        # an errno name, or None when the timeout expired: the queue's pop itself
        self.recvfrom = self.queue.pop

    def bind(self, addr: str = "0.0.0.0", port: int = 0) -> None:
        netns = self.netns
        if port == 0:
            port = netns.ephemeral_port("udp")
        local = (addr, port)
        if local in netns.udp:
            raise SocketError("EADDRINUSE")
        self.local = local
        netns.udp[local] = self

    def connect(self, dst: tuple[str, int]) -> tuple[str, int]:
        """``connect()``: the kernel picks the source address (and a port if
        unbound); ICMP errors then reach this socket only for datagrams sent
        to ``dst`` itself (``__udp4_lib_err`` finds the socket by the full
        four-tuple).  Returns ``getsockname()``."""
        if self.local is None:
            self.bind()
        src, sport = self.local
        if src == "0.0.0.0":
            src = self.netns.source_address(dst[0])
            if src is None:
                raise SocketError("ENETUNREACH")
        self.remote = dst
        return src, sport

    def sendto(self, data: bytes, dst: tuple[str, int]) -> None:
        if self.local is None:
            self.bind()
        netns = self.netns
        src, sport = self.local
        dst_ip, dport = dst
        if src == "0.0.0.0":
            src = netns.source_address(dst_ip)
            if src is None:
                raise SocketError("ENETUNREACH")
        stack = netns.stack
        pkt = IPv4(src, dst_ip, PROTO_UDP, UDP(sport, dport, data), ttl=self.ttl,
                   ident=stack.next_ident(), df=True)
        if not stack.output(pkt):
            raise SocketError("ENETUNREACH")

    def close(self) -> None:
        local = self.local
        if local and self.netns.udp.get(local) is self:
            del self.netns.udp[local]


class IcmpSocket:
    """A raw ICMP socket.  ``ping`` reads only the echo replies and errors of
    its own identifier (``ident``: busybox filters on it); with ``ident``
    None the socket reads every ICMP packet that arrives for ``bound`` (or for
    any local address), as ``traceroute``'s receive socket does (``raw_rcv``
    hands each a copy before ICMP itself looks at it)."""

    def __init__(self, netns, ident: int | None, bound: str | None = None,
                 cap_net_raw: bool = True):
        if not cap_net_raw:             # socket(AF_INET, SOCK_RAW, ...) needs CAP_NET_RAW
            raise SocketError("EPERM")
        self.netns = netns
        self.ident = ident
        self.bound = bound
        self.queue = _Queue(netns)
        # recv(timeout=None): an event whose value is ``(ip_packet, time)``, or
        # None when the timeout expired: the queue's pop itself
        self.recv = self.queue.pop
        if ident is None:
            netns.raw_icmp_sockets.append(self)
        else:
            netns.icmp_sockets.append(self)

    def send_echo(self, dst: str, seq: int, data: bytes, ttl: int = 64) -> bool:
        src = self.netns.source_address(dst)
        if src is None:
            return False
        pkt = IPv4(src, dst, PROTO_ICMP, ICMP(ICMP.ECHO_REQUEST, 0, self.ident, seq, data),
                   ttl=ttl, ident=self.netns.stack.next_ident(), df=True)
        return self.netns.stack.output(pkt)

    def close(self) -> None:
        for table in (self.netns.icmp_sockets, self.netns.raw_icmp_sockets):
            if self in table:
                table.remove(self)
