"""Reading pcap files and reducing frames to what a capture comparison checks.

A frame becomes a tuple of what must match between netsim and the reference
engine: kind, MACs, IPs, ports, ICMP type/seq, TCP flags, DNS question and
answers.  What legitimately differs is replaced by symbols numbered in order
of appearance: the bridge's random MAC, ephemeral ports (and the embedded
DNS server's random port), ICMP ids, TCP sequence numbers (kept relative to
each side's ISN).  Timing, IP ids, checksums and TCP options are dropped.
"""
from __future__ import annotations

import struct
from pathlib import Path

from netsim.kernel.packet import ARP, ICMP, TCP, UDP, Ether, IPv4
from netsim.proto import dns

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "captures"
WELL_KNOWN = {53, 80, 8080, 8081}


def read_pcap(path: Path) -> list[tuple[float, bytes]]:
    data = Path(path).read_bytes()
    magic = struct.unpack("<I", data[:4])[0]
    endian, scale = {0xA1B2C3D4: ("<", 1e-6), 0xD4C3B2A1: (">", 1e-6),
                     0xA1B23C4D: ("<", 1e-9), 0x4D3CB2A1: (">", 1e-9)}[magic]
    off, out = 24, []
    while off < len(data):
        sec, frac, caplen, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        out.append((sec + frac * scale, data[off + 16:off + 16 + caplen]))
        off += 16 + caplen
    return out


def frames_of(path: Path) -> list:
    """Model frames of a pcap (IPv6 frames left out, as ``not ip6``)."""
    import scapy.layers.inet  # noqa: F401  (binds IPv4 under Ether before dissecting)
    from scapy.layers.l2 import Ether as SEther
    from netsim.kernel.packet import from_scapy
    out = []
    for _, raw in read_pcap(path):
        if raw[12:14] == b"\x86\xdd":
            continue
        out.append(from_scapy(SEther(raw)))
    return out


class Normalizer:
    """Symbols for values that differ on every run, in order of appearance."""

    def __init__(self, fixed_macs=()):
        self.fixed = set(fixed_macs) | {"ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00"}
        self.syms: dict = {}
        self.isn: dict = {}

    def sym(self, kind: str, value):
        key = (kind, value)
        if key not in self.syms:
            self.syms[key] = f"{kind}{sum(1 for k in self.syms if k[0] == kind)}"
        return self.syms[key]

    def mac(self, m: str) -> str:
        return m if m in self.fixed else self.sym("mac", m)

    def port(self, p: int):
        return p if p in WELL_KNOWN else self.sym("port", p)

    def frame(self, f) -> tuple:
        head = (self.mac(f.src), self.mac(f.dst)) if isinstance(f, Ether) else ()
        p = f.payload if isinstance(f, Ether) else f
        if isinstance(p, ARP):
            return head + ("ARP", p.op, p.psrc, p.pdst, self.mac(p.hwsrc))
        assert isinstance(p, IPv4)
        t = p.payload
        base = head + (p.src, p.dst, p.ttl)
        if isinstance(t, ICMP):
            return base + ("ICMP", t.type, t.code, self.sym("id", t.ident), t.seq, len(t))
        if isinstance(t, UDP):
            return base + ("UDP", self.port(t.sport), self.port(t.dport)) + self.dns(t.payload)
        if isinstance(t, TCP):
            return base + ("TCP", self.port(t.sport), self.port(t.dport)) + self.tcp(p, t)
        return base + ("?",)

    def dns(self, payload: bytes) -> tuple:
        try:
            m = dns.Message.unpack(payload)
        except Exception:
            return ("raw", len(payload))
        return (("R" if m.response else "Q"), m.qtype, m.qname.rstrip("."), m.rcode,
                tuple((r.type, r.data) for r in m.answers), len(payload))

    def tcp(self, ip, t: TCP) -> tuple:
        me = (ip.src, t.sport)
        peer = (ip.dst, t.dport)
        if "S" in t.flags:
            self.isn.setdefault(me, t.seq)
        flags = "".join(c for c in "SFRP" if c in t.flags) + ("." if "A" in t.flags else "")
        seq = (t.seq - self.isn.get(me, t.seq)) & 0xFFFFFFFF
        ack = (t.ack - self.isn[peer]) & 0xFFFFFFFF if "A" in t.flags and peer in self.isn else None
        return (flags, seq, ack, len(t.payload))


def normalize(frames, fixed_macs=()) -> list[tuple]:
    n = Normalizer(fixed_macs)
    return [n.frame(f) for f in frames]
