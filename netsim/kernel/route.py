"""The IPv4 routing table (``ip route``): longest-prefix match."""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from .addr import ip_int


@dataclass
class Route:
    dst: ipaddress.IPv4Network
    dev: object
    gateway: str | None = None
    src: str | None = None
    scope: str = "link"
    proto: str = "kernel"
    metric: int = 0
    order: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        self._net = int(self.dst.network_address)
        self._mask = int(self.dst.netmask)
        self._plen = self.dst.prefixlen

    def show(self) -> str:
        """One line of iproute2's ``ip route`` for this route."""
        dst = "default" if self.dst.prefixlen == 0 else self.dst.with_prefixlen
        if self.dst.prefixlen == 32:
            dst = str(self.dst.network_address)
        parts = [dst]
        if self.gateway:
            parts += ["via", self.gateway]
        parts += ["dev", self.dev.name]
        if self.proto == "kernel":
            parts += ["proto", "kernel"]
        if self.scope != "universe":
            parts += ["scope", self.scope]
        if self.src:
            parts += ["src", self.src]
        if self.metric:
            parts += ["metric", str(self.metric)]
        return " ".join(parts)


class RouteTable:
    def __init__(self) -> None:
        self.routes: list[Route] = []
        self._order = 0

    def add(self, route: Route) -> Route:
        self._order += 1
        route.order = self._order
        self.routes.append(route)
        return route

    def remove_dev(self, dev) -> None:
        self.routes = [r for r in self.routes if r.dev is not dev]

    def remove(self, pred) -> None:
        self.routes = [r for r in self.routes if not pred(r)]

    def lookup(self, dst: str) -> Route | None:
        addr = ip_int(dst)
        best = None
        for r in self.routes:
            if (addr & r._mask) != r._net or not r.dev.up:
                continue
            # the longest prefix, then the lowest metric; the first of equals
            if best is None or r._plen > best._plen or (
                    r._plen == best._plen and r.metric < best.metric):
                best = r
        return best

    def gateway_link(self, gateway: str, dev=None) -> Route | None:
        """``fib_check_nh``: the most specific route without a gateway (a link
        route) on an up device (``dev`` if given) that reaches ``gateway``;
        None when the gateway is on no link (ENETUNREACH)."""
        addr = ipaddress.IPv4Address(gateway)
        link = None
        for r in self.routes:
            if r.gateway is None and r.dev.up and (dev is None or r.dev is dev) \
                    and addr in r.dst and (link is None or r.dst.prefixlen > link.dst.prefixlen):
                link = r
        return link

    def sorted(self) -> list[Route]:
        """In the order the kernel dumps the main table: default first, then by prefix."""
        return sorted(self.routes, key=lambda r: (r.dst.prefixlen != 0,
                                                  int(r.dst.network_address),
                                                  r.dst.prefixlen, r.metric))
