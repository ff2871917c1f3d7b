"""IPv4 address arithmetic on plain ints, memoised.

The ``ipaddress`` module parses a dotted quad in microseconds; the data plane
asks "is this address in that prefix?" several times per packet, so the
kernel model converts each distinct string once and compares integers.
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=None)
def ip_int(addr: str) -> int:
    """``"172.18.0.2"`` → its 32-bit value (ValueError if not a dotted quad)."""
    parts = addr.split(".")
    if len(parts) != 4:
        raise ValueError(f"not an IPv4 address: {addr!r}")
    value = 0
    for p in parts:
        if not p.isdigit() or len(p) > 3 or (len(p) > 1 and p[0] == "0"):
            raise ValueError(f"not an IPv4 address: {addr!r}")
        octet = int(p)
        if octet > 255:
            raise ValueError(f"not an IPv4 address: {addr!r}")
        value = (value << 8) | octet
    return value


@lru_cache(maxsize=None)
def prefix(net: str) -> tuple[int, int]:
    """``"172.18.0.0/16"`` (or a bare address, /32) → (network, mask) ints."""
    addr, _, plen = net.partition("/")
    bits = int(plen) if plen else 32
    mask = (0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF
    return ip_int(addr) & mask, mask


def in_prefix(addr: str, net: str) -> bool:
    n, mask = prefix(net)
    return (ip_int(addr) & mask) == n
