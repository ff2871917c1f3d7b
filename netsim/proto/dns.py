"""DNS messages (RFC 1035), encoded and decoded by hand.

Only what resolvers and ``nslookup`` exchange here: one question, A/AAAA/PTR
answers, the rcode.  Hand-written because scapy's DNS layer costs about a
millisecond per message, which the 1,000-container benchmark cannot afford;
:func:`netsim.kernel.packet.to_scapy` still shows these bytes dissected.
"""
from __future__ import annotations

import ipaddress
import struct
from dataclasses import dataclass, field

from ..kernel.addr import ip_int

A, PTR, AAAA = 1, 12, 28
NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, REFUSED = 0, 1, 2, 3, 4, 5


@dataclass
class Record:
    name: str
    type: int
    ttl: int
    data: str


@dataclass
class Message:
    id: int
    qname: str
    qtype: int = A
    response: bool = False
    rcode: int = NOERROR
    rd: bool = True
    ra: bool = False
    aa: bool = False
    answers: list[Record] = field(default_factory=list)

    def pack(self) -> bytes:
        flags = (0x8000 if self.response else 0) | (0x0400 if self.aa else 0) \
            | (0x0100 if self.rd else 0) | (0x0080 if self.ra else 0) | self.rcode
        out = struct.pack("!HHHHHH", self.id, flags, 1, len(self.answers), 0, 0)
        out += _name(self.qname) + struct.pack("!HH", self.qtype, 1)
        for r in self.answers:
            if r.type == A:
                rdata = ip_int(r.data).to_bytes(4, "big")
            elif r.type == AAAA:
                rdata = ipaddress.IPv6Address(r.data).packed
            else:
                rdata = _name(r.data)
            # Uncompressed owner name: miekg/dns packs with Compress=false by
            # default, as Docker's resolver does (``c2.`` A reply: 38 bytes).
            out += _name(r.name) + struct.pack("!HHIH", r.type, 1, r.ttl, len(rdata)) + rdata
        return out

    @classmethod
    def unpack(cls, data: bytes) -> "Message":
        ident, flags, qd, an, _, _ = struct.unpack("!HHHHHH", data[:12])
        qname, off = _read_name(data, 12)
        qtype, _ = struct.unpack("!HH", data[off:off + 4])
        off += 4
        msg = cls(ident, qname, qtype, response=bool(flags & 0x8000), rcode=flags & 0xF,
                  rd=bool(flags & 0x0100), ra=bool(flags & 0x0080), aa=bool(flags & 0x0400))
        for _ in range(an):
            name, off = _read_name(data, off)
            rtype, _, ttl, rdlen = struct.unpack("!HHIH", data[off:off + 10])
            off += 10
            rdata = data[off:off + rdlen]
            if rtype == A and rdlen == 4:
                value = "%d.%d.%d.%d" % tuple(rdata)
            elif rtype == A:
                value = str(ipaddress.IPv4Address(rdata))
            elif rtype == AAAA:
                value = str(ipaddress.IPv6Address(rdata))
            else:
                value, _ = _read_name(data, off)
            off += rdlen
            msg.answers.append(Record(name, rtype, ttl, value))
        return msg


def _name(name: str) -> bytes:
    out = b""
    for label in name.rstrip(".").split("."):
        if label:
            raw = label.encode()
            out += bytes([len(raw)]) + raw
    return out + b"\x00"


def _read_name(data: bytes, off: int) -> tuple[str, int]:
    labels, jumped, end = [], False, off
    while True:
        n = data[off]
        if n & 0xC0 == 0xC0:
            if not jumped:
                end = off + 2
            off = ((n & 0x3F) << 8) | data[off + 1]
            jumped = True
            continue
        off += 1
        if n == 0:
            break
        labels.append(data[off:off + n].decode(errors="replace"))
        off += n
    return ".".join(labels), (end if jumped else off)
