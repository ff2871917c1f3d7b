"""busybox traceroute (1.35, IPv4, UDP probes) over sockets of the kernel model.

As ``networking/traceroute.c``: a UDP socket ``connect()``ed to
``HOST:PORT`` (the kernel picks the source address) sends each probe to
``PORT + seq`` with ``IP_TTL`` set to the hop being probed; a raw ICMP socket
bound to the source address reads what comes back.  A probe is answered by
"time exceeded in transit" from a router whose TTL ran out, or by "port
unreachable" from the destination (then the trace ends).  No answer within
``-w`` seconds prints ``*``.  Because the UDP socket is connected to the base
port, the port-unreachable errors for ``PORT + seq`` never fail it.

Each hop line is ``%2d`` then, per probe, the address when it differs from
the previous probe's (its reverse name unless ``-n``, through
``getnameinfo``) and ``%u.%03u ms``.  Linux rate-limits ICMP errors per
destination (six in a burst, then one a second), so quick successive traces
to one host show ``*`` for probes whose error was suppressed: that is the
kernel model's ``icmp_ratelimit``, not this program.

Debian's build has no ``FEATURE_TRACEROUTE_USE_ICMP`` (``-I`` is parsed and
ignored) and, as in 1.35's code, ``-l`` never prints the TTL (the option
bits are kept in a copy that the probe loop does not read).
"""
from __future__ import annotations

from ...kernel.packet import ICMP, PROTO_UDP
from ...kernel.socket import IcmpSocket, SocketError, UdpSocket
from .. import libc
from .common import ERRNO_TEXT, UsageError, getopt, usage, xatou_range
from .hostnames import gethostbyaddr
from .usage_texts import USAGE

OPTIONS = "FIlnrdvt:i:m:p:q:s:w:z:f:46"
PACKLEN = 20 + 8 + 18       # struct ip + struct udphdr + struct outdata_t
MAX_PACKLEN = 32 * 1024

# ICMP destination-unreachable codes: what traceroute prints, and whether the
# code counts towards "unreachable" (else it means the destination was reached)
_UNREACH_MARK = {0: " !N", 1: " !H", 2: " !P", 5: " !S", 6: " !U", 7: " !U", 8: " !I",
                 9: " !A", 10: " !C", 11: " !T", 12: " !T", 13: " !A", 14: " !V", 15: " !C"}


def traceroute_main(proc):
    try:
        opts, args = getopt(proc, OPTIONS, proc.argv[1:])
    except UsageError:
        return usage(proc, "traceroute", USAGE["traceroute"])
    if not args:
        return usage(proc, "traceroute", USAGE["traceroute"])
    try:
        max_ttl = xatou_range(opts["m"], 1, 255) if "m" in opts else 30
        port = xatou_range(opts["p"], 0, 65535) if "p" in opts else 33434
        nprobes = xatou_range(opts["q"], 1, 2**31 - 1) if "q" in opts else 3
        waittime = xatou_range(opts["w"], 1, 24 * 60 * 60) if "w" in opts else 5
        pause_ms = xatou_range(opts["z"], 0, 60 * 60 * 1000) if "z" in opts else 0
        first_ttl = xatou_range(opts["f"], 1, max_ttl) if "f" in opts else 1
        if "t" in opts:
            xatou_range(opts["t"], 0, 255)        # IP_TOS: not modelled on the wire
    except ValueError as e:
        proc.err(f"traceroute: {e}\n")
        return 1
    host = args[0]
    addrs = None
    if "6" not in opts:                 # the containers have no IPv6 address
        addrs = yield from libc.resolve(proc, host)
    if not addrs:
        proc.err(f"traceroute: bad address '{host}'\n")
        return 1
    dst = addrs[0]
    packlen = PACKLEN
    if len(args) > 1:
        try:
            packlen = xatou_range(args[1], PACKLEN, MAX_PACKLEN)
        except ValueError as e:
            proc.err(f"traceroute: {e}\n")
            return 1

    try:                    # xsocket(AF_INET, SOCK_RAW, IPPROTO_ICMP): the receive socket first
        rcvsock = IcmpSocket(proc.netns, None, cap_net_raw=proc.capable("CAP_NET_RAW"))
    except SocketError as e:
        proc.err(f"traceroute: socket: {ERRNO_TEXT.get(e.name, e.name)}\n")
        return 1
    sndsock = UdpSocket(proc.netns)
    try:
        if "s" in opts:
            sndsock.bind(opts["s"])
            source = opts["s"]
        else:
            try:
                source, _sport = sndsock.connect((dst, port))
            except SocketError as e:
                proc.err(f"traceroute: can't connect to remote host ({dst}): "
                         f"{ERRNO_TEXT.get(e.name, e.name)}\n")
                return 1
        rcvsock.bound = source          # bind(rcvsock, the source connect() chose)
        header = f"traceroute to {host} ({dst})"
        if "s" in opts:
            header += f" from {opts['s']}"
        proc.out(f"{header}, {max_ttl} hops max, {packlen} byte packets\n")
        trace = _Trace(proc, sndsock, rcvsock, dst, port, packlen - 28, waittime,
                       numeric="n" in opts, verbose="v" in opts)
        yield from trace.run(first_ttl, max_ttl, nprobes, pause_ms)
        return 0
    finally:
        sndsock.close()
        rcvsock.close()


class _Trace:
    """The probe loop (``common_traceroute_main``)."""

    def __init__(self, proc, sndsock, rcvsock, dst, port, datalen, waittime, numeric, verbose):
        self.proc, self.sndsock, self.rcvsock = proc, sndsock, rcvsock
        self.dst, self.port, self.datalen, self.waittime = dst, port, datalen, waittime
        self.numeric, self.verbose = numeric, verbose
        self.sched = proc.kernel.sched

    def run(self, first_ttl: int, max_ttl: int, nprobes: int, pause_ms: int):
        proc, sched = self.proc, self.sched
        seq = 0
        lastaddr = None
        for ttl in range(first_ttl, max_ttl + 1):
            unreachable = 0
            got_there = False
            proc.out(f"{ttl:2d}")
            for probe in range(nprobes):
                if probe and pause_ms:
                    yield pause_ms / 1000
                seq += 1
                self.send_probe(seq, ttl)
                t1 = sched.now
                got = yield from self.wait_for_answer(seq)
                if got is None:
                    proc.out("  *")
                    continue
                pkt, code = got
                t2 = sched.now
                if probe == 0 or pkt.src != lastaddr:
                    yield from self.print_from(pkt)
                    lastaddr = pkt.src
                us = int(round((t2 - t1) * 1e6))
                proc.out("  %u.%03u ms" % divmod(us, 1000))
                if code == -1:          # time exceeded in transit
                    continue
                code -= 1
                if code == ICMP.PORT_UNREACH:
                    if pkt.ttl <= 1:
                        proc.out(" !")
                    got_there = True
                elif code == 2:         # protocol unreachable
                    proc.out(" !P")
                    got_there = True
                elif code == 4:         # fragmentation needed (no PMTU here)
                    proc.out(" !F-0")
                    unreachable += 1
                else:
                    proc.out(_UNREACH_MARK.get(code, f" !<{code}>"))
                    unreachable += 1
            proc.out("\n")
            if got_there or (unreachable > 0 and unreachable >= nprobes - 1):
                break

    def send_probe(self, seq: int, ttl: int) -> None:
        self.sndsock.ttl = ttl
        try:
            self.sndsock.sendto(bytes(self.datalen), (self.dst, self.port + seq))
        except SocketError:
            pass        # the probe is lost; its wait ends in "*"

    def wait_for_answer(self, seq: int):
        """``wait_for_reply`` + ``packet4_ok`` until an answer to probe
        ``seq`` or ``waittime`` seconds: ``(packet, code)`` or None, where
        code is -1 for time exceeded, else the unreachable code + 1."""
        sched = self.sched
        deadline = sched.now + self.waittime
        while True:
            left = deadline - sched.now
            if left <= 0:
                return None
            got = yield self.rcvsock.recv(left)
            if got is None:
                return None
            pkt, _when = got
            code = self.packet_ok(pkt, seq)
            if code:
                return pkt, code

    def packet_ok(self, pkt, seq: int) -> int:
        icmp = pkt.payload
        if not ((icmp.type == ICMP.TIME_EXCEEDED and icmp.code == 0)
                or icmp.type == ICMP.DEST_UNREACH):
            return 0
        inner = icmp.data
        if getattr(inner, "proto", None) != PROTO_UDP or inner.payload.dport != self.port + seq:
            return 0
        return -1 if icmp.type == ICMP.TIME_EXCEEDED else icmp.code + 1

    def print_from(self, pkt):
        ina = pkt.src
        if self.numeric:
            text = f"  {ina}"
        else:
            name = None
            if ina != "0.0.0.0":
                name = yield from gethostbyaddr(self.proc, ina)
            text = f"  {name or ina} ({ina})"
        if self.verbose:
            text += f" {len(pkt.payload)} bytes to {pkt.dst}"
        self.proc.out(text)
