"""The default IPAM driver: address pools for networks, addresses for endpoints.

Models libnetwork 20.10 ``ipam/allocator.go`` with ``ipamutils`` defaults:
- local pools 172.17–19/16, then 172.20/14, 172.24/14, 172.28/14 split into
  /16s, then 192.168.0.0/16 split into /20s (31 pools);
- a network without ``--subnet`` gets the pool after the last one handed out,
  wrapping around, skipping pools that overlap a network or a host route;
- inside a subnet (or its --ip-range) the gateway takes the first free host
  address and endpoints get the lowest free address (a released address is
  handed out again).
"""
from __future__ import annotations

import ipaddress

from ..errors import Forbidden, InvalidParameter, NetsimError, Unavailable


def default_pools() -> list[ipaddress.IPv4Network]:
    pools = [ipaddress.IPv4Network(f"172.{n}.0.0/16") for n in (17, 18, 19)]
    for base in ("172.20.0.0/14", "172.24.0.0/14", "172.28.0.0/14"):
        pools += list(ipaddress.IPv4Network(base).subnets(new_prefix=16))
    pools += list(ipaddress.IPv4Network("192.168.0.0/16").subnets(new_prefix=20))
    return pools


class PoolExhausted(NetsimError):
    pass


class AddressPool:
    """One subnet's allocation bitmap (here a set of used host numbers)."""

    def __init__(self, subnet: ipaddress.IPv4Network, ip_range: ipaddress.IPv4Network | None = None):
        self.subnet = subnet
        self.range = ip_range or subnet
        self.used: set[int] = set()

    def _bounds(self, net: ipaddress.IPv4Network) -> tuple[int, int]:
        first, last = int(net.network_address), int(net.broadcast_address)
        if net.prefixlen < 31:
            # network and broadcast addresses are never handed out
            first = max(first, int(self.subnet.network_address) + 1)
            last = min(last, int(self.subnet.broadcast_address) - 1)
        return first, last

    def request(self, preferred: str | None = None) -> str:
        if preferred is not None:
            addr = int(ipaddress.IPv4Address(preferred))
            if ipaddress.IPv4Address(preferred) not in self.subnet:
                raise InvalidParameter(
                    f"Invalid address {preferred}: It does not belong to any of this network's subnets")
            if addr in self.used:
                raise Forbidden("Address already in use")
            self.used.add(addr)
            return preferred
        first, last = self._bounds(self.range)
        for n in range(first, last + 1):
            if n not in self.used:
                self.used.add(n)
                return str(ipaddress.IPv4Address(n))
        raise Unavailable("no available IPv4 addresses on this network's address pools: "
                          f"{{{self.subnet}}}")

    def release(self, addr: str) -> None:
        self.used.discard(int(ipaddress.IPv4Address(addr)))

    @property
    def free(self) -> int:
        first, last = self._bounds(self.range)
        return (last - first + 1) - len([u for u in self.used if first <= u <= last])


class Ipam:
    def __init__(self, reserved: list[str] | None = None):
        self.pools = default_pools()
        self.last = -1                      # index of the last pool handed out
        self.allocated: dict[str, ipaddress.IPv4Network] = {}   # network id -> subnet
        self.reserved = [ipaddress.IPv4Network(r, strict=False) for r in (reserved or [])]

    def overlaps(self, subnet: ipaddress.IPv4Network) -> bool:
        return any(subnet.overlaps(s) for s in self.allocated.values())

    def request_pool(self, owner: str, subnet: str | None = None) -> ipaddress.IPv4Network:
        if subnet is not None:
            net = ipaddress.IPv4Network(subnet, strict=False)
            if self.overlaps(net):
                raise Forbidden("Pool overlaps with other one on this address space")
            self.allocated[owner] = net
            return net
        n = len(self.pools)
        for step in range(1, n + 1):
            i = (self.last + step) % n
            pool = self.pools[i]
            if self.overlaps(pool) or any(pool.overlaps(r) for r in self.reserved):
                continue
            self.last = i
            self.allocated[owner] = pool
            return pool
        raise Forbidden("could not find an available, non-overlapping IPv4 address pool "
                        "among the defaults to assign to the network")

    def release_pool(self, owner: str) -> None:
        self.allocated.pop(owner, None)
