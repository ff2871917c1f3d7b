"""A small TCP: handshake, data segments with ACKs, FIN teardown and RST.

Enough of RFC 793 to move HTTP requests and ``nc`` lines as real segments and
to fail as Linux fails: RST from a closed port gives ``ECONNREFUSED``; SYNs
that vanish (a DROP rule) are retransmitted at 1, 3, 7… seconds until
``tcp_syn_retries`` (6) gives ``ETIMEDOUT``.
"""
from __future__ import annotations

from .packet import IPv4, PROTO_TCP, TCP
from .socket import SocketError, _Queue

SYN_RETRIES = 6
MSS = 1448
DELACK = 0.04          # TCP_DELACK_MIN: a delayed ACK goes out after 40 ms
TIMEWAIT_LEN = 60.0    # TCP_TIMEWAIT_LEN: the side that closed first keeps the four-tuple 60 s


class TcpListener:
    def __init__(self, netns, addr: str, port: int):
        key = (addr, port)
        if key in netns.tcp_listeners:
            raise SocketError("EADDRINUSE")
        self.netns, self.local = netns, key
        self.backlog = _Queue(netns)
        netns.tcp_listeners[key] = self

    def accept(self, timeout: float | None = None):
        """An event whose value is a :class:`TcpConnection` (None on timeout)."""
        return self.backlog.pop(timeout)

    def close(self) -> None:
        if self.netns.tcp_listeners.get(self.local) is self:
            del self.netns.tcp_listeners[self.local]


class TcpConnection:
    def __init__(self, netns, local: tuple[str, int], remote: tuple[str, int]):
        self.netns, self.local, self.remote = netns, local, remote
        self.state = "CLOSED"
        self.snd_nxt = netns.kernel.rng.randrange(1 << 32)
        self.rcv_nxt = 0
        self.data = _Queue(netns)
        self.connected = netns.kernel.sched.event()
        self.listener: TcpListener | None = None
        self.fin_sent = False
        self.ack_pending = False
        self.time_wait = False
        netns.tcp_conns[self.key] = self

    @property
    def key(self) -> tuple:
        return self.local + self.remote

    # -- sending -----------------------------------------------------------
    def _segment(self, flags: str, payload: bytes = b"") -> None:
        seg = TCP(self.local[1], self.remote[1], flags, self.snd_nxt,
                  self.rcv_nxt if "A" in flags else 0, payload)
        pkt = IPv4(self.local[0], self.remote[0], PROTO_TCP, seg,
                   ident=self.netns.stack.next_ident())
        if "A" in flags:
            self.ack_pending = False
        self.netns.stack.output(pkt)
        self.snd_nxt = (self.snd_nxt + len(payload) + (1 if ("S" in flags or "F" in flags) else 0)) & 0xFFFFFFFF

    def start_connect(self) -> None:
        self.state = "SYN_SENT"
        self._syn_try(0)

    def _syn_try(self, attempt: int) -> None:
        if self.state != "SYN_SENT":
            return
        if attempt > SYN_RETRIES:
            self._fail("ETIMEDOUT")
            return
        if attempt:
            self.snd_nxt = (self.snd_nxt - 1) & 0xFFFFFFFF
        self._segment("S")
        self.netns.kernel.sched.call_later(float(2 ** attempt), self._syn_try, attempt + 1)

    def send(self, data: bytes) -> None:
        if self.state not in ("ESTABLISHED", "CLOSE_WAIT"):
            raise SocketError("ECONNRESET")
        for i in range(0, len(data), MSS):
            self._segment("PA", data[i:i + MSS])

    def recv(self, timeout: float | None = None):
        """An event: bytes, b"" at end of stream, an errno name, or None on timeout."""
        return self.data.pop(timeout)

    def close(self) -> None:
        if self.state in ("ESTABLISHED", "SYN_RCVD", "CLOSE_WAIT") and \
                any(isinstance(x, bytes) and x for x in self.data.items):
            # tcp_close(): data the program never read is discarded and the
            # peer gets a reset instead of a FIN (RFC 2525)
            self._segment("RA")
            self.state = "CLOSED"
            self._drop()
            return
        if self.state in ("ESTABLISHED", "SYN_RCVD"):
            self.state = "FIN_WAIT_1"
        elif self.state == "CLOSE_WAIT":
            self.state = "LAST_ACK"
        else:
            self._drop()
            return
        self.fin_sent = True
        self._segment("FA")

    def _delayed_ack(self) -> None:
        if self.ack_pending and self.netns.tcp_conns.get(self.key) is self:
            self._segment("A")

    def _fail(self, errno: str) -> None:
        self.state = "CLOSED"
        self.connected.succeed(errno)
        self.data.push(errno)
        self._drop()

    def _drop(self) -> None:
        if self.netns.tcp_conns.get(self.key) is self:
            del self.netns.tcp_conns[self.key]

    # -- receiving ---------------------------------------------------------
    def input(self, seg: TCP) -> None:
        if "R" in seg.flags:
            self._fail("ECONNREFUSED" if self.state == "SYN_SENT" else "ECONNRESET")
            return
        if self.state == "SYN_SENT":
            if "S" in seg.flags and "A" in seg.flags:
                self.rcv_nxt = (seg.seq + 1) & 0xFFFFFFFF
                self.state = "ESTABLISHED"
                self._segment("A")
                self.connected.succeed(self)
            return
        if self.state == "SYN_RCVD" and "A" in seg.flags:
            self.state = "ESTABLISHED"
            if self.listener is not None:
                self.listener.backlog.push(self)
        advanced = delayed = False
        if seg.payload:
            self.rcv_nxt = (self.rcv_nxt + len(seg.payload)) & 0xFFFFFFFF
            self.data.push(seg.payload)
            advanced = True
        if "F" in seg.flags:
            self.rcv_nxt = (self.rcv_nxt + 1) & 0xFFFFFFFF
            self.data.push(b"")
            advanced = True
            if self.state == "ESTABLISHED":
                # tcp_fin(): ESTABLISHED → CLOSE_WAIT enters pingpong mode, so
                # the FIN's ACK is delayed and rides on our own FIN if the
                # program closes in time (what tcpdump shows: F., F., .).
                self.state = "CLOSE_WAIT"
                delayed = not seg.payload
            elif self.state in ("FIN_WAIT_1", "FIN_WAIT_2"):
                self.state = "TIME_WAIT"
        elif "A" in seg.flags and self.fin_sent and seg.ack == self.snd_nxt:
            if self.state == "FIN_WAIT_1":
                self.state = "FIN_WAIT_2"
            elif self.state == "LAST_ACK":
                self.state = "CLOSED"
                self._drop()
        if advanced and delayed:
            self.ack_pending = True
            self.netns.kernel.sched.call_later(DELACK, self._delayed_ack)
        elif advanced:
            self._segment("A")
        if self.state == "TIME_WAIT" and not self.time_wait:
            # the active closer's socket lingers (netstat shows TIME_WAIT),
            # then the kernel forgets the connection
            self.time_wait = True
            self.netns.kernel.sched.call_later(TIMEWAIT_LEN, self._drop)


def tcp_input(netns, pkt: IPv4) -> None:
    """Demultiplex a TCP segment delivered to this namespace."""
    seg = pkt.payload
    conn = netns.tcp_conns.get((pkt.dst, seg.dport, pkt.src, seg.sport))
    if conn is not None:
        conn.input(seg)
        return
    if seg.flags == "S":
        listener = (netns.tcp_listeners.get((pkt.dst, seg.dport))
                    or netns.tcp_listeners.get(("0.0.0.0", seg.dport)))
        if listener is not None:
            conn = TcpConnection(netns, (pkt.dst, seg.dport), (pkt.src, seg.sport))
            conn.listener = listener
            conn.state = "SYN_RCVD"
            conn.rcv_nxt = (seg.seq + 1) & 0xFFFFFFFF
            conn._segment("SA")
            return
    if "R" in seg.flags:
        return
    if netns.kernel.hops is not None:
        netns.kernel.trace(None, pkt, f"{netns.name}: nothing listens on tcp {pkt.dst}:{seg.dport}, "
                           "reset", netns=netns)
    ack = (seg.seq + len(seg.payload) + (1 if ("S" in seg.flags or "F" in seg.flags) else 0)) & 0xFFFFFFFF
    rst = TCP(seg.dport, seg.sport, "RA", 0 if "A" not in seg.flags else seg.ack, ack)
    netns.stack.output(IPv4(pkt.dst, pkt.src, PROTO_TCP, rst, ident=0))


def connect(netns, dst: tuple[str, int]):
    """Open a connection; returns an event: the connection or an errno name."""
    src = netns.source_address(dst[0])
    if src is None:
        ev = netns.kernel.sched.event()
        ev.succeed("ENETUNREACH")
        return ev
    conn = TcpConnection(netns, (src, netns.ephemeral_port("tcp")), dst)
    conn.start_connect()
    return conn.connected
