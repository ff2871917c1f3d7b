"""Networks and endpoints (libnetwork ``network.go`` and ``endpoint.go``)."""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import ClassVar

from .ipam import AddressPool


@dataclass
class Endpoint:
    """A container's attachment to one network: the veth pair's two ends."""
    id: str
    network: "Network"
    container: object
    ip: str | None = None
    mac: str | None = None
    aliases: list[str] = field(default_factory=list)   # --network-alias / --alias
    dns_names: tuple[str, ...] = ()                      # what the embedded DNS answers for
    links: list[str] = field(default_factory=list)      # "name:alias" on user networks
    ipam_ip: str | None = None                           # --ip as asked (IPAMConfig)
    ifname: str | None = None                            # eth0, eth1… inside the sandbox
    host_ifname: str | None = None                       # vethXXXXXXX on the host
    host_dev: object = None
    ports: list = field(default_factory=list)            # port bindings programmed for it

    # The embedded DNS derives a name index from the endpoints' addresses and
    # DNS names; every assignment of either advances this counter (over all
    # endpoints), so that the index can tell in O(1) that none changed.
    # dns_names is stored as a tuple, so it cannot change in place.
    names_generation: ClassVar[int] = 0

    def __setattr__(self, name: str, value) -> None:
        if name == "ip" or name == "dns_names":
            if name == "dns_names":
                value = tuple(value)
            Endpoint.names_generation += 1
        object.__setattr__(self, name, value)

    @property
    def prefixlen(self) -> int:
        return self.network.subnet.prefixlen if self.network.subnet else 0


@dataclass
class Network:
    id: str
    name: str
    driver: str
    created: float
    scope: str = "local"
    subnet: ipaddress.IPv4Network | None = None
    gateway: str | None = None
    ip_range: ipaddress.IPv4Network | None = None
    aux_addresses: dict = field(default_factory=dict)
    internal: bool = False
    attachable: bool = False
    enable_ipv6: bool = False
    options: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)
    ipam_options: dict = field(default_factory=dict)   # --ipam-opt
    user_subnet: bool = False          # subnet given with --subnet (IPAM "Config" shown as given)
    user_gateway: bool = False
    predefined: bool = False
    pool: AddressPool | None = None
    endpoints: dict[str, Endpoint] = field(default_factory=dict)   # by container id
    bridge_name: str | None = None
    # derived from the endpoints by the embedded DNS (resolver._name_index), which checks it is current
    dns_name_index: object = field(default=None, repr=False, compare=False)

    @property
    def short_id(self) -> str:
        return self.id[:12]

    @property
    def icc(self) -> bool:
        return self.options.get("com.docker.network.bridge.enable_icc", "true") != "false"

    @property
    def masquerade(self) -> bool:
        return self.options.get("com.docker.network.bridge.enable_ip_masquerade", "true") != "false"

    @property
    def is_user_defined(self) -> bool:
        """Embedded DNS serves containers on every network but the default bridge."""
        return not self.predefined
