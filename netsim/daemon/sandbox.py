"""A container's sandbox: its network namespace, endpoints and name files.

Models libnetwork ``sandbox.go`` and ``sandbox_dns_unix.go``: the sandbox owns
the namespace the container's processes use, the ordered list of endpoints
(20.10's bridge driver gives every endpoint a gateway, internal networks
included, so the gateway endpoint is the first by network name, as
``epHeap.Less`` orders them), and writes /etc/hosts, /etc/resolv.conf and
/etc/hostname into the container's filesystem.
"""
from __future__ import annotations

from dataclasses import dataclass, field

HOSTS_HEADER = (
    "127.0.0.1\tlocalhost\n"
    "::1\tlocalhost ip6-localhost ip6-loopback\n"
    "fe00::0\tip6-localnet\n"
    "ff00::0\tip6-mcastprefix\n"
    "ff02::1\tip6-allnodes\n"
    "ff02::2\tip6-allrouters\n"
)


@dataclass
class Sandbox:
    id: str
    key: str                     # the namespace's name in the kernel model
    netns: object
    container: object
    endpoints: list = field(default_factory=list)
    host_mode: bool = False
    resolver: object = None
    next_ifindex: int = 0
    hosts_entries: list[str] = field(default_factory=list)
    followers: list = field(default_factory=list)   # containers in container:<this> mode

    def next_ifname(self) -> str:
        name = f"eth{self.next_ifindex}"
        self.next_ifindex += 1
        return name

    def gateway_endpoint(self):
        """``getGatewayEndpoint``: the first endpoint in ``epHeap`` order with a gateway."""
        for ep in self.ordered_endpoints():
            if ep.network.gateway:
                return ep
        return None

    def ordered_endpoints(self) -> list:
        """libnetwork's ``epHeap`` order: by network name."""
        return sorted(self.endpoints, key=lambda ep: ep.network.name)


def hosts_file(container, entries: list[str]) -> str:
    """/etc/hosts as 20.10 writes it: the localhost block, links, own addresses."""
    return HOSTS_HEADER + "".join(line + "\n" for line in entries)


def resolv_conf(nameservers: list[str], search: list[str], options: list[str]) -> str:
    lines = [f"search {' '.join(search)}"] if search else []
    lines += [f"nameserver {ns}" for ns in nameservers]
    if options:
        lines.append(f"options {' '.join(options)}")
    return "\n".join(lines) + "\n"
