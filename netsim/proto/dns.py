"""DNS messages (RFC 1035), encoded and decoded by hand.

Only what resolvers and ``nslookup`` exchange here: one question, A/AAAA/PTR
answers, the rcode.  Hand-written because scapy's DNS layer costs about a
millisecond per message, which the 1,000-container benchmark cannot afford;
:func:`netsim.kernel.packet.to_scapy` still shows these bytes dissected.

Every name lookup in a container is an A and an AAAA query and their replies,
so encoding and decoding are on the benchmark's hot path: the header and
record layouts are precompiled ``struct`` formats, the wire form of a
question or an answer record is memoised (a pure function of its fields), and
so is the decoding of what follows a header (a pure function of those bytes
and the answer count); keyed by all they depend on, the memos cannot go stale.
"""
from __future__ import annotations

import ipaddress
import struct
from dataclasses import dataclass, field
from functools import lru_cache
from socket import inet_ntoa

from ..kernel.addr import ip_int

A, PTR, MX, AAAA = 1, 12, 15, 28
NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, REFUSED = 0, 1, 2, 3, 4, 5
QR, AA, RD, RA = 0x8000, 0x0400, 0x0100, 0x0080      # header flags: response, authoritative, recursion

_HEADER = struct.Struct("!HHHHHH")        # id, flags, qdcount, ancount, nscount, arcount
_QUESTION_TAIL = struct.Struct("!HH")     # qtype, qclass
_RR_HEADER = struct.Struct("!HHIH")       # type, class, ttl, rdlength
_pack_header = _HEADER.pack
_unpack_header = _HEADER.unpack_from
_unpack_rr_header = _RR_HEADER.unpack_from


@dataclass(frozen=True, slots=True)
class Record:
    name: str
    type: int
    ttl: int
    data: str


@dataclass(slots=True)
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
        flags = (QR if self.response else 0) | (AA if self.aa else 0) \
            | (RD if self.rd else 0) | (RA if self.ra else 0) | self.rcode
        return _pack(self.id, flags, self.qname, self.qtype, self.answers)

    @classmethod
    def unpack(cls, data: bytes) -> "Message":
        return cls.of(*parse(data))

    @classmethod
    def of(cls, ident: int, flags: int, qname: str, qtype: int, answers) -> "Message":
        """The message :func:`parse` gave the fields of."""
        return cls(ident, qname, qtype, bool(flags & QR), flags & 0xF,
                   bool(flags & RD), bool(flags & RA), bool(flags & AA), list(answers))


def pack_query(ident: int, qname: str, qtype: int) -> bytes:
    """``Message(ident, qname, qtype).pack()`` (a recursive query), without
    building the message: what a stub resolver sends for each lookup."""
    return _pack_header(ident, RD, 1, 0, 0, 0) + _question(qname, qtype)


def pack_reply(ident: int, rd: bool, qname: str, qtype: int, answers) -> bytes:
    """``Message(ident, qname, qtype, response=True, rd=rd, ra=True,
    answers=answers).pack()`` (a recursive server's NOERROR reply), without
    building the message."""
    return _pack(ident, QR | RD | RA if rd else QR | RA, qname, qtype, answers)


def _pack(ident: int, flags: int, qname: str, qtype: int, answers) -> bytes:
    out = _pack_header(ident, flags, 1, len(answers), 0, 0) + _question(qname, qtype)
    for r in answers:
        out += _record(r.name, r.type, r.ttl, r.data)
    return out


def parse(data: bytes) -> tuple[int, int, str, int, tuple[Record, ...]]:
    """``(id, flags, qname, qtype, answers)`` of a message: what
    :meth:`Message.unpack` makes a message of (it raises as that does)."""
    ident, flags, _qd, an, _, _ = _unpack_header(data)
    try:
        qname, qtype, answers = _parse_body(an, data[12:])
    except _HeaderDependent:
        qname, qtype, answers = _parse(data, an)
    return ident, flags, qname, qtype, answers


class _HeaderDependent(Exception):
    """A compression pointer into the header: the body alone does not say what it means."""


@lru_cache(maxsize=4096, typed=True)
def _parse_body(an: int, body: bytes) -> tuple[str, int, tuple[Record, ...]]:
    """The question and the ``an`` answer records of a message whose header
    is followed by ``body``: the same body always means the same (the header
    only gives the count, and a message whose names point into its header is
    left to :func:`_parse`), hence memoised -- every lookup of a name sends
    and receives the same bodies.  Records are immutable, so they are shared."""
    return _parse(_NO_HEADER + body, an, header_dependent=True)


_NO_HEADER = bytes(12)


def _parse(data: bytes, an: int, header_dependent: bool = False) -> tuple[str, int, tuple[Record, ...]]:
    qname, off = _read_name(data, 12, header_dependent)
    qtype = _QUESTION_TAIL.unpack_from(data, off)[0]
    off += 4
    answers = []
    for _ in range(an):
        name, off = _read_name(data, off, header_dependent)
        rtype, _, ttl, rdlen = _unpack_rr_header(data, off)
        off += 10
        if rtype == A:
            rdata = data[off:off + rdlen]
            if rdlen == 4 and len(rdata) == 4:
                value = inet_ntoa(rdata)
            elif rdlen == 4:
                value = "%d.%d.%d.%d" % tuple(rdata)   # truncated: a TypeError, as ever
            else:
                value = str(ipaddress.IPv4Address(rdata))
        elif rtype == AAAA:
            value = str(ipaddress.IPv6Address(data[off:off + rdlen]))
        else:
            value, _ = _read_name(data, off, header_dependent)
        off += rdlen
        answers.append(Record(name, rtype, ttl, value))
    return qname, qtype, tuple(answers)


@lru_cache(maxsize=4096, typed=True)
def _question(qname: str, qtype: int) -> bytes:
    """The question section (class IN) in wire form."""
    return _name(qname) + _QUESTION_TAIL.pack(qtype, 1)


@lru_cache(maxsize=4096, typed=True)
def _record(name: str, rtype: int, ttl: int, data: str) -> bytes:
    """An answer record (class IN) in wire form."""
    if rtype == A:
        rdata = ip_int(data).to_bytes(4, "big")
    elif rtype == AAAA:
        rdata = ipaddress.IPv6Address(data).packed
    else:
        rdata = _name(data)
    # Uncompressed owner name: miekg/dns packs with Compress=false by
    # default, as Docker's resolver does (``c2.`` A reply: 38 bytes).
    return _name(name) + _RR_HEADER.pack(rtype, 1, ttl, len(rdata)) + rdata


def _name(name: str) -> bytes:
    out = b""
    for label in name.rstrip(".").split("."):
        if label:
            raw = label.encode()
            out += bytes([len(raw)]) + raw
    return out + b"\x00"


def _read_name(data: bytes, off: int, header_dependent: bool = False) -> tuple[str, int]:
    """The name at ``off`` and the offset after it; with ``header_dependent``,
    :class:`_HeaderDependent` if a compression pointer leads into the header."""
    labels, jumped, end = [], False, off
    while True:
        n = data[off]
        if n & 0xC0 == 0xC0:
            if not jumped:
                end = off + 2
            off = ((n & 0x3F) << 8) | data[off + 1]
            if off < 12 and header_dependent:
                raise _HeaderDependent
            jumped = True
            continue
        off += 1
        if n == 0:
            break
        labels.append(data[off:off + n].decode(errors="replace"))
        off += n
    return ".".join(labels), (end if jumped else off)
