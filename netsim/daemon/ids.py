"""Identifiers that look random but repeat run to run.

Docker ids are 64 hex digits from a CSPRNG; netsim derives them from the
engine's seed so that the same scenario prints the same ids.  MACs follow
20.10's rule (``02:42`` + the four IPv4 bytes); veth names are ``veth`` + 7 hex.
"""
from __future__ import annotations

import hashlib
import ipaddress


class IdGenerator:
    def __init__(self, seed: int = 0):
        self.seed = seed
        self.counter = 0

    def _next(self, kind: str) -> str:
        self.counter += 1
        return hashlib.sha256(f"netsim:{self.seed}:{kind}:{self.counter}".encode()).hexdigest()

    def id64(self) -> str:
        """A container, network or endpoint id; never all digits (like Docker's TruncateID rule)."""
        while True:
            value = self._next("id")
            if not value[:12].isdigit():
                return value

    def veth_name(self) -> str:
        return "veth" + self._next("veth")[:7]

    def random_mac(self) -> str:
        raw = self._next("mac")
        return "02:42:" + ":".join(raw[i:i + 2] for i in range(0, 8, 2))

    def port(self, lo: int, hi: int) -> int:
        return lo + int(self._next("port"), 16) % (hi - lo + 1)


def mac_for_ip(ip: str) -> str:
    """20.10's ``genMAC``: 02:42 followed by the address's four bytes."""
    packed = ipaddress.IPv4Address(ip).packed
    return "02:42:" + ":".join(f"{b:02x}" for b in packed)
