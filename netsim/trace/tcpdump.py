"""One-line packet summaries in the words of ``tcpdump -n -S`` (tcpdump 4.99).

``summary(frame)`` is what tcpdump prints after the timestamp for a frame
captured on an interface, without ``-e`` (no MAC header) and with absolute
TCP sequence numbers (``-S``, so a line does not depend on earlier ones):

    ARP, Request who-has 172.18.0.3 tell 172.18.0.2, length 28
    IP 172.18.0.2 > 172.18.0.3: ICMP echo request, id 7, seq 0, length 64
    IP 127.0.0.1.35203 > 127.0.0.11.53: 16482+ A? c2. (20)
    IP 127.0.0.11.53 > 127.0.0.1.35203: 16482 1/0/0 A 172.18.0.3 (38)
    IP 172.17.0.1.54720 > 172.17.0.2.8080: Flags [S], seq 4150082462, win 64240, length 0

tcpdump decodes DNS on port 53 only; a query that nat OUTPUT already
redirected to the embedded server's random port would print as ``UDP, length
20``.  Like Wireshark's heuristic dissector, this module also decodes a UDP
payload that parses as exactly one DNS message, so the query name shows.
"""
from __future__ import annotations

from ..kernel.packet import ARP, ETH_ARP, ETH_IP, ICMP, TCP, UDP, Ether, IPv4

QTYPES = {1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 12: "PTR", 15: "MX", 16: "TXT", 28: "AAAA",
          33: "SRV", 255: "ANY"}
RCODES = {0: "", 1: " FormErr", 2: " ServFail", 3: " NXDomain", 4: " NotImp", 5: " Refused"}
ETHERTYPES = {ETH_IP: "IPv4", ETH_ARP: "ARP", 0x86DD: "IPv6"}


def summary(frame, link: bool = False, heuristic: bool = True) -> str:
    """tcpdump's line for ``frame``; ``link=True`` adds the ``-e`` MAC header;
    ``heuristic=False`` decodes DNS on port 53 only, exactly as tcpdump."""
    if isinstance(frame, Ether):
        body = _l3(frame.payload, heuristic)
        if link:
            kind = ETHERTYPES.get(frame.type, f"Unknown")
            return (f"{frame.src} > {frame.dst}, ethertype {kind} (0x{frame.type:04x}), "
                    f"length {len(frame)}: " + body.removeprefix("ARP, ").removeprefix("IP "))
        return body
    return _l3(frame, heuristic)


def _l3(p, heuristic: bool = True) -> str:
    if isinstance(p, ARP):
        if p.op == ARP.REQUEST:
            return f"ARP, Request who-has {p.pdst} tell {p.psrc}, length 28"
        if p.op == ARP.REPLY:
            return f"ARP, Reply {p.psrc} is-at {p.hwsrc}, length 28"
        return f"ARP, Unknown opcode {p.op}, length 28"
    if isinstance(p, IPv4):
        return "IP " + _ip(p, heuristic)
    return str(p)


def _ip(ip: IPv4, heuristic: bool) -> str:
    t = ip.payload
    if isinstance(t, ICMP):
        return f"{ip.src} > {ip.dst}: {_icmp(t)}"
    if isinstance(t, UDP):
        return f"{ip.src}.{t.sport} > {ip.dst}.{t.dport}: {_udp(t, heuristic)}"
    if isinstance(t, TCP):
        return f"{ip.src}.{t.sport} > {ip.dst}.{t.dport}: {_tcp(t)}"
    return f"{ip.src} > {ip.dst}: ip-proto-{ip.proto} {len(ip) - 20}"


def _icmp(t: ICMP) -> str:
    n = len(t)
    if t.type == ICMP.ECHO_REQUEST:
        return f"ICMP echo request, id {t.ident}, seq {t.seq}, length {n}"
    if t.type == ICMP.ECHO_REPLY:
        return f"ICMP echo reply, id {t.ident}, seq {t.seq}, length {n}"
    inner = t.data if isinstance(t.data, IPv4) else None
    if t.type == ICMP.DEST_UNREACH:
        if t.code == ICMP.PORT_UNREACH and inner is not None and isinstance(inner.payload, (UDP, TCP)):
            proto = "udp" if isinstance(inner.payload, UDP) else "tcp"
            return f"ICMP {inner.dst} {proto} port {inner.payload.dport} unreachable, length {n}"
        what = {0: "net", 1: "host", 2: "protocol", 3: "port"}.get(t.code)
        dst = inner.dst if inner is not None else "?"
        if what:
            return f"ICMP {what} {dst} unreachable, length {n}"
        return f"ICMP {dst} unreachable - code {t.code}, length {n}"
    if t.type == ICMP.TIME_EXCEEDED:
        return f"ICMP time exceeded in-transit, length {n}"
    return f"ICMP type-#{t.type}, length {n}"


def _udp(t: UDP, heuristic: bool) -> str:
    data = t.payload if isinstance(t.payload, (bytes, bytearray)) else b""
    if data and (53 in (t.sport, t.dport) or (heuristic and _looks_like_dns(data))):
        dns = dns_summary(data)
        if dns is not None:
            return dns
    return f"UDP, length {len(t.payload)}"


def _tcp(t: TCP) -> str:
    flags = "".join(f for f in "SFRP" if f in t.flags) + ("." if "A" in t.flags else "")
    out = f"Flags [{flags or 'none'}]"
    n = len(t.payload)
    if n or "S" in t.flags or "F" in t.flags or "R" in t.flags:
        out += f", seq {t.seq}" + (f":{(t.seq + n) & 0xFFFFFFFF}" if n else "")
    if "A" in t.flags:
        out += f", ack {t.ack}"
    return out + f", win {t.window}, length {n}"


# -- DNS ------------------------------------------------------------------
def _looks_like_dns(data: bytes) -> bool:
    return len(data) >= 17 and data[4:6] == b"\x00\x01"


def _name(data: bytes, off: int, depth: int = 0) -> tuple[str, int]:
    labels = []
    while True:
        n = data[off]
        if n & 0xC0 == 0xC0:
            if depth > 8:
                raise ValueError("pointer loop")
            ptr = ((n & 0x3F) << 8) | data[off + 1]
            rest, _ = _name(data, ptr, depth + 1)
            labels.append(rest)
            return ".".join(x for x in labels if x) + ".", off + 2
        off += 1
        if n == 0:
            return ".".join(labels) + ".", off
        labels.append(data[off:off + n].decode("ascii", "replace"))
        off += n


def dns_summary(data: bytes) -> str | None:
    """tcpdump's ``ns_print`` (not verbose), or None if ``data`` is not DNS."""
    try:
        ident = int.from_bytes(data[0:2], "big")
        flags = int.from_bytes(data[2:4], "big")
        qd, an, ns, ar = (int.from_bytes(data[i:i + 2], "big") for i in range(4, 12, 2))
        off = 12
        questions = []
        for _ in range(qd):
            name, off = _name(data, off)
            qtype = int.from_bytes(data[off:off + 2], "big")
            off += 4
            questions.append((name, qtype))
        answers = []
        for _ in range(an):
            _rname, off = _name(data, off)
            rtype = int.from_bytes(data[off:off + 2], "big")
            rdlen = int.from_bytes(data[off + 8:off + 10], "big")
            off += 10
            rdata = data[off:off + rdlen]
            if len(rdata) != rdlen:
                return None
            answers.append(_rdata(data, off, rtype, rdata))
            off += rdlen
        if ns == 0 and ar == 0 and off != len(data):
            return None
    except (IndexError, ValueError):
        return None
    size = f"({len(data)})"
    if flags & 0x8000:
        head = (f"{ident}{RCODES.get(flags & 0xF, ' Resp' + str(flags & 0xF))}"
                f"{'*' if flags & 0x0400 else ''}{'' if flags & 0x0080 else '-'}"
                f"{'|' if flags & 0x0200 else ''}")
        if qd != 1:
            head += f" [{qd}q]"
        head += f" {an}/{ns}/{ar}"
        if answers:
            head += " " + ",".join(answers)
        return f"{head} {size}"
    head = f"{ident}{'+' if flags & 0x0100 else ''}"
    if qd != 1:
        head += f" [{qd}q]"
    if an:
        head += f" [{an}a]"
    if ns:
        head += f" [{ns}n]"
    if ar:
        head += f" [{ar}au]"
    qs = " ".join(f"{QTYPES.get(t, f'Type{t}')}? {n}" for n, t in questions)
    return f"{head} {qs} {size}" if qs else f"{head} {size}"


def _rdata(data: bytes, off: int, rtype: int, rdata: bytes) -> str:
    import ipaddress
    kind = QTYPES.get(rtype, f"Type{rtype}")
    if rtype == 1 and len(rdata) == 4:
        return f"{kind} {ipaddress.IPv4Address(rdata)}"
    if rtype == 28 and len(rdata) == 16:
        return f"{kind} {ipaddress.IPv6Address(rdata)}"
    if rtype in (2, 5, 12):
        name, _ = _name(data, off)
        return f"{kind} {name}"
    return kind
