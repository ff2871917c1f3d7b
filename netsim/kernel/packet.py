"""Frames as the kernel model moves them: small slotted objects.

Building a scapy packet costs about a millisecond, so frames inside the
simulator are these plain objects; :func:`to_scapy` and :func:`from_scapy`
convert at the user boundary (traces, pcap files, ``Engine.send``).
Every frame gets its source and destination MAC from the model, never from
scapy's own resolution: nothing here ever reaches the real network.
"""
from __future__ import annotations

BROADCAST = "ff:ff:ff:ff:ff:ff"
ETH_IP = 0x0800
ETH_ARP = 0x0806
PROTO_ICMP, PROTO_TCP, PROTO_UDP = 1, 6, 17


class Ether:
    """An Ethernet frame.  Its length is counted once, when it is built (a
    frame crosses several devices, each counting its bytes); the payload is
    not resized after that (NAT rewrites a copy before it is framed)."""

    __slots__ = ("src", "dst", "type", "payload", "size")

    def __init__(self, src: str, dst: str, type: int, payload):
        self.src, self.dst, self.type, self.payload = src, dst, type, payload
        self.size = 14 + len(payload)

    def __len__(self) -> int:
        return self.size

    def summary(self) -> str:
        return f"{self.src} > {self.dst}, {self.payload.summary()}"


class ARP:
    __slots__ = ("op", "hwsrc", "psrc", "hwdst", "pdst")
    REQUEST, REPLY = 1, 2

    def __init__(self, op: int, hwsrc: str, psrc: str, hwdst: str, pdst: str):
        self.op, self.hwsrc, self.psrc, self.hwdst, self.pdst = op, hwsrc, psrc, hwdst, pdst

    def __len__(self) -> int:
        return 28

    def summary(self) -> str:
        if self.op == ARP.REQUEST:
            return f"ARP, Request who-has {self.pdst} tell {self.psrc}"
        return f"ARP, Reply {self.psrc} is-at {self.hwsrc}"


class IPv4:
    __slots__ = ("src", "dst", "proto", "ttl", "ident", "payload", "df")

    def __init__(self, src: str, dst: str, proto: int, payload, ttl: int = 64,
                 ident: int = 0, df: bool = True):
        self.src, self.dst, self.proto, self.payload = src, dst, proto, payload
        self.ttl, self.ident, self.df = ttl, ident, df

    def __len__(self) -> int:
        return 20 + len(self.payload)

    def copy(self) -> "IPv4":
        return IPv4(self.src, self.dst, self.proto, self.payload.copy(), self.ttl,
                    self.ident, self.df)

    def summary(self) -> str:
        return f"IP {self.payload.summary(self)}"


class ICMP:
    __slots__ = ("type", "code", "ident", "seq", "data")
    ECHO_REPLY, DEST_UNREACH, ECHO_REQUEST, TIME_EXCEEDED = 0, 3, 8, 11
    PORT_UNREACH, HOST_UNREACH = 3, 1

    def __init__(self, type: int, code: int = 0, ident: int = 0, seq: int = 0,
                 data=b""):
        self.type, self.code, self.ident, self.seq, self.data = type, code, ident, seq, data

    def __len__(self) -> int:
        return 8 + len(self.data)

    def copy(self) -> "ICMP":
        return ICMP(self.type, self.code, self.ident, self.seq, self.data)

    def summary(self, ip: IPv4 | None = None) -> str:
        where = f"{ip.src} > {ip.dst}: " if ip else ""
        names = {0: "echo reply", 8: "echo request"}
        if self.type in names:
            return f"{where}ICMP {names[self.type]}, id {self.ident}, seq {self.seq}, length {len(self)}"
        if self.type == ICMP.DEST_UNREACH:
            inner = self.data
            if self.code == ICMP.PORT_UNREACH and isinstance(inner, IPv4):
                proto = {PROTO_UDP: "udp", PROTO_TCP: "tcp"}.get(inner.proto, "ip")
                return (f"{where}ICMP {inner.dst} {proto} port "
                        f"{inner.payload.dport} unreachable, length {len(self)}")
            return f"{where}ICMP host {getattr(inner, 'dst', '?')} unreachable, length {len(self)}"
        return f"{where}ICMP type {self.type} code {self.code}"


class UDP:
    __slots__ = ("sport", "dport", "payload")

    def __init__(self, sport: int, dport: int, payload: bytes = b""):
        self.sport, self.dport, self.payload = sport, dport, payload

    def __len__(self) -> int:
        return 8 + len(self.payload)

    def copy(self) -> "UDP":
        return UDP(self.sport, self.dport, self.payload)

    def summary(self, ip: IPv4 | None = None) -> str:
        where = f"{ip.src}.{self.sport} > {ip.dst}.{self.dport}: " if ip else ""
        return f"{where}UDP, length {len(self.payload)}"


class TCP:
    __slots__ = ("sport", "dport", "flags", "seq", "ack", "payload", "window")

    def __init__(self, sport: int, dport: int, flags: str, seq: int = 0, ack: int = 0,
                 payload: bytes = b"", window: int = 64240):
        self.sport, self.dport, self.flags = sport, dport, flags
        self.seq, self.ack, self.payload, self.window = seq, ack, payload, window

    def __len__(self) -> int:
        return 20 + len(self.payload)

    def copy(self) -> "TCP":
        return TCP(self.sport, self.dport, self.flags, self.seq, self.ack, self.payload,
                   self.window)

    def summary(self, ip: IPv4 | None = None) -> str:
        where = f"{ip.src}.{self.sport} > {ip.dst}.{self.dport}: " if ip else ""
        flags = "".join({"S": "S", "F": "F", "R": "R", "P": "P"}.get(f, "") for f in self.flags)
        flags = flags + ("." if "A" in self.flags else "")
        return f"{where}Flags [{flags or 'none'}], seq {self.seq}, ack {self.ack}, length {len(self.payload)}"


def to_scapy(frame):
    """The scapy packet for a model frame (for pcap files, traces and users)."""
    from scapy.layers.inet import ICMP as SICMP, IP, TCP as STCP, UDP as SUDP
    from scapy.layers.l2 import ARP as SARP, Ether as SEther
    from scapy.packet import Raw

    def l3(p):
        if isinstance(p, ARP):
            return SARP(op=p.op, hwsrc=p.hwsrc, psrc=p.psrc, hwdst=p.hwdst, pdst=p.pdst)
        ip = IP(src=p.src, dst=p.dst, ttl=p.ttl, id=p.ident, flags="DF" if p.df else 0,
                proto=p.proto)
        t = p.payload
        if isinstance(t, ICMP):
            inner = l3(t.data) if isinstance(t.data, IPv4) else (Raw(t.data) if t.data else None)
            icmp = SICMP(type=t.type, code=t.code, id=t.ident, seq=t.seq) \
                if t.type in (0, 8) else SICMP(type=t.type, code=t.code)
            return ip / icmp / inner if inner is not None else ip / icmp
        if isinstance(t, UDP):
            udp = SUDP(sport=t.sport, dport=t.dport)
            return ip / udp / Raw(t.payload) if t.payload else ip / udp
        seg = STCP(sport=t.sport, dport=t.dport, flags=t.flags, seq=t.seq, ack=t.ack,
                   window=t.window)
        return ip / seg / Raw(t.payload) if t.payload else ip / seg

    if isinstance(frame, Ether):
        return SEther(src=frame.src, dst=frame.dst, type=frame.type) / l3(frame.payload)
    return l3(frame)


def from_scapy(pkt):
    """A model frame from a scapy packet (``Engine.send``): Ether or IP layers."""
    from scapy.layers.inet import ICMP as SICMP, IP, TCP as STCP, UDP as SUDP
    from scapy.layers.l2 import ARP as SARP, Ether as SEther

    def l3(p):
        if p.haslayer(SARP) and not p.haslayer(IP):
            a = p[SARP]
            return ARP(int(a.op), a.hwsrc, a.psrc, a.hwdst, a.pdst)
        ip = p[IP]
        if ip.haslayer(SICMP):
            i = ip[SICMP]
            data = bytes(i.payload)
            payload = ICMP(int(i.type), int(i.code), int(i.id or 0), int(i.seq or 0), data)
            proto = PROTO_ICMP
        elif ip.haslayer(SUDP):
            u = ip[SUDP]
            payload, proto = UDP(int(u.sport), int(u.dport), bytes(u.payload)), PROTO_UDP
        elif ip.haslayer(STCP):
            t = ip[STCP]
            payload = TCP(int(t.sport), int(t.dport), str(t.flags), int(t.seq), int(t.ack),
                          bytes(t.payload), int(t.window))
            proto = PROTO_TCP
        else:
            raise ValueError("netsim models ICMP, UDP and TCP over IPv4 only")
        return IPv4(ip.src, ip.dst, proto, payload, ttl=int(ip.ttl), ident=int(ip.id),
                    df=bool(int(ip.flags) & 2))

    if pkt.haslayer(SEther):
        e = pkt[SEther]
        return Ether(e.src, e.dst, int(e.type), l3(pkt))
    return l3(pkt)
