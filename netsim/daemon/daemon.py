"""The daemon: networks, containers, name and id lookups (dockerd + libnetwork).

``Daemon`` is the controller.  Its container operations live in
:mod:`.lifecycle` and its sandbox/endpoint wiring in :mod:`.connect`; both are
mixed in here so that the API reads as dockerd's does.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from ..errors import Conflict, Forbidden, InvalidParameter, NotFound
from ..kernel.netfilter import Rule
from .connect import ConnectMixin
from .drivers.bridge import BridgeDriver
from .drivers.macvlan import IpvlanDriver, MacvlanDriver
from .ids import IdGenerator
from .ipam import AddressPool, Ipam
from .lifecycle import LifecycleMixin
from .network import Network
from .osl import OsLayer
from .portmapper import PortMapper

PREDEFINED_NAMES = ("bridge", "host", "none", "default")   # runconfig.IsPreDefinedNetwork
EPOCH = 1_795_000_000.0   # simulated wall clock at t=0 (2026-11-18T09:33:20Z)


@dataclass
class HostConfig:
    """The simulated host.  Defaults equal the reference machine's
    (tests/golden/host.json): its hostname, uplink, resolvers and the daemon's
    ``--dns 127.0.0.1`` option, so the same commands print the same here."""
    hostname: str = "vm"
    uplink: str = "eth0"
    uplink_address: str = "192.0.2.2/24"
    uplink_gateway: str = "192.0.2.1"
    uplink_mac: str = "02:fc:00:00:00:01"
    uplink_mtu: int = 1400
    # IPv6 on the uplink: an address added with ``nodad`` ("" for none) and a
    # default route ("" for none); the kernel adds the EUI-64 link-local address
    uplink_address6: str = "fd00::2/64"
    uplink_gateway6: str = "fd00::1"
    # the ifb module's devices (numifbs=2: ifb0, ifb1, down) with the MACs the
    # reference machine's kernel drew; [] for none
    ifb_macs: list[str] = field(default_factory=lambda: ["e2:ae:9a:28:a7:2f", "36:7d:f0:8d:1a:a8"])
    resolv_conf: str = "nameserver 10.255.255.53\n"
    etc_hosts: str = ("127.0.0.1 localhost\n127.0.0.1 runsc\n127.0.0.1 vm\n"
                      "127.0.0.1 registry-1.docker.io index.docker.io auth.docker.io "
                      "production.cloudflare.docker.com # netsim-reference-seal\n")
    daemon_dns: list[str] = field(default_factory=lambda: ["127.0.0.1"])
    userland_proxy: bool = True
    # dockerd --host-gateway-ip: what ``--add-host NAME:host-gateway`` maps
    # to; "" for the default bridge's address (docker0's, at daemon start)
    host_gateway_ip: str = ""
    kernel_version: str = "6.18.44-fc-v595"
    operating_system: str = "Debian GNU/Linux 12 (bookworm)"
    ncpu: int = 2
    mem_total: int = 25_276_514_304
    engine_version: str = "20.10.24+dfsg1"
    # The reference host's administrator seals it after dockerd starts
    # (docker-reference/start: ``iptables -I DOCKER-USER -o UPLINK -j DROP``):
    # nothing a container sends may leave through the uplink.  ``iptables -S``
    # on the host shows that rule, so the simulated host has it too.
    seal_uplink: bool = True
    # ``docker run --privileged``: the reference's sandboxed runtime cannot
    # grant every capability, so runc fails ("unable to apply caps: operation
    # not permitted", exit 125) and the container stays created.  True gives a
    # normal privileged container with all capabilities.
    privileged_containers: bool = False


class Daemon(LifecycleMixin, ConnectMixin):
    def __init__(self, kernel, host: HostConfig | None = None, programs=None, seed: int = 0):
        self.kernel = kernel
        self.sched = kernel.sched
        self.host = host or HostConfig()
        self.programs = programs
        self.ids = IdGenerator(seed)
        self.osl = OsLayer(kernel)
        self.ipam = Ipam(reserved=[self.host.uplink_address])
        self.drivers = {"bridge": BridgeDriver(self.osl, self.ids),
                        "macvlan": MacvlanDriver(self.osl, self.ids),
                        "ipvlan": IpvlanDriver(self.osl, self.ids)}
        self.portmapper = PortMapper(self)
        self.networks: dict[str, Network] = {}
        self.containers: dict[str, object] = {}
        self.host_fs = None
        self._pid = 1000
        self._setup_host()
        self._create_predefined()
        if self.host.seal_uplink:
            self.osl.iptables(self.osl.host, "filter", "-I", "DOCKER-USER",
                              Rule("DROP", out_iface=self.host.uplink))

    # -- clock -------------------------------------------------------------
    def wallclock(self, t: float | None = None) -> float:
        return EPOCH + (self.sched.now if t is None else t)

    def wallclock_ns(self, t: float | None = None) -> int:
        """Simulated wall-clock time in integer nanoseconds (timestamps print exactly)."""
        return int(EPOCH) * 1_000_000_000 + int(round((self.sched.now if t is None else t) * 1e9))

    def next_pid(self) -> int:
        self._pid += 1
        return self._pid

    # -- the host ----------------------------------------------------------
    def _setup_host(self) -> None:
        from ..fs import Filesystem
        self.kernel.boot_host_network(self.host)
        self.host_fs = Filesystem({"/etc/hostname": self.host.hostname + "\n",
                                   "/etc/hosts": self.host.etc_hosts,
                                   "/etc/resolv.conf": self.host.resolv_conf},
                                  dirs={"/tmp", "/root"})

    def _create_predefined(self) -> None:
        self.network_create("bridge", predefined=True,
                            options={"com.docker.network.bridge.default_bridge": "true",
                                     "com.docker.network.bridge.enable_icc": "true",
                                     "com.docker.network.bridge.enable_ip_masquerade": "true",
                                     "com.docker.network.bridge.host_binding_ipv4": "0.0.0.0",
                                     "com.docker.network.bridge.name": "docker0",
                                     "com.docker.network.driver.mtu": "1500"})
        self.network_create("host", driver="host", predefined=True)
        self.network_create("none", driver="null", predefined=True)
        self.host_gateway_ip = self.host.host_gateway_ip or self.network_find("bridge").gateway

    # -- networks ----------------------------------------------------------
    def network_find(self, ref: str) -> Network:
        """By exact name, full id, then unique id prefix (libnetwork FindNetwork)."""
        for net in self.networks.values():
            if net.name == ref:
                return net
        if ref in self.networks:
            return self.networks[ref]
        matches = [n for n in self.networks.values() if n.id.startswith(ref)] if ref else []
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise NotFound(f"network {ref} is ambiguous ({len(matches)} matches found based on ID prefix)")
        raise NotFound(f"network {ref} not found")

    def network_create(self, name: str, driver: str = "bridge", subnet: str | None = None,
                       gateway: str | None = None, ip_range: str | None = None,
                       internal: bool = False, attachable: bool = False,
                       options: dict | None = None, labels: dict | None = None,
                       aux_addresses: dict | None = None, ipv6: bool = False,
                       ipam_driver: str = "default", ipam_options: dict | None = None,
                       predefined: bool = False) -> Network:
        if not predefined and name in PREDEFINED_NAMES:
            raise Forbidden(f"operation is not permitted on predefined {name} network")
        if any(n.name == name for n in self.networks.values()):
            raise Conflict(f"network with name {name} already exists")
        if driver == "overlay":
            # a swarm-scoped driver: the engine is not part of a swarm
            raise Forbidden('This node is not a swarm manager. Use "docker swarm init" or '
                            '"docker swarm join" to connect this node to swarm and try again.')
        if driver not in self.drivers and driver not in ("host", "null"):
            raise NotFound(f"plugin \"{driver}\" not found")
        if not predefined and driver in ("host", "null"):
            raise Forbidden(f"only one instance of \"{driver}\" network is allowed")
        if ipam_driver not in ("default", ""):
            raise NotFound(f"plugin \"{ipam_driver}\" not found")
        net = Network(id=self.ids.id64(), name=name, driver=driver, created=self.sched.now,
                      internal=internal, attachable=attachable, options=dict(options or {}),
                      labels=dict(labels or {}), predefined=predefined, enable_ipv6=ipv6,
                      aux_addresses=dict(aux_addresses or {}), ipam_options=dict(ipam_options or {}))
        if driver in self.drivers:
            self._network_ipam(net, subnet, gateway, ip_range)
            try:
                self.drivers[driver].create_network(net)
            except Exception:
                self.ipam.release_pool(net.id)
                raise
        self.networks[net.id] = net
        return net

    def _network_ipam(self, net: Network, subnet, gateway, ip_range) -> None:
        if subnet is not None:
            try:
                ipaddress.IPv4Network(subnet, strict=False)
            except ValueError:
                raise InvalidParameter(f"Invalid subnet {subnet} : invalid CIDR address: {subnet}")
        if gateway and not subnet:
            raise InvalidParameter(f"Invalid Gateway: {gateway} is not part of any subnet")
        pool = self.ipam.request_pool(net.id, subnet)
        try:
            net.subnet = pool
            net.user_subnet = subnet is not None
            if ip_range:
                # ipam getAddressRange: net.ParseCIDR masks host bits
                try:
                    net.ip_range = ipaddress.IPv4Network(ip_range, strict=False)
                except ValueError:
                    raise InvalidParameter("Invalid Address SubPool")
                if not net.ip_range.subnet_of(pool):
                    raise InvalidParameter("Invalid Address SubPool")
            net.pool = AddressPool(pool, net.ip_range)
            if gateway:
                net.gateway = net.pool.request(gateway)
                net.user_gateway = True
            else:
                # ipamAllocateVersion: the gateway is the pool's first free
                # address, inside --ip-range when there is one
                net.gateway = net.pool.request()
            for addr in net.aux_addresses.values():
                net.pool.request(addr)
        except Exception:
            self.ipam.release_pool(net.id)
            raise

    def network_remove(self, ref: str) -> Network:
        net = self.network_find(ref)
        if net.predefined:
            raise Forbidden(f"{net.name} is a pre-defined network and cannot be removed")
        if net.endpoints:
            raise Forbidden(f"error while removing network: network {net.name} id {net.id} has active endpoints")
        if net.driver in self.drivers:
            self.drivers[net.driver].delete_network(net)
        self.ipam.release_pool(net.id)
        del self.networks[net.id]
        return net

    def network_prune(self) -> list[Network]:
        removed = []
        for net in sorted(self.networks.values(), key=lambda n: n.name):
            if not net.predefined and not net.endpoints and not self._referenced(net):
                removed.append(self.network_remove(net.id))
        return removed

    def _referenced(self, net: Network) -> bool:
        return any(net.name in c.networks or net.id in c.networks for c in self.containers.values())

    # -- containers: lookup -------------------------------------------------
    def container_find(self, ref: str):
        """By full id, exact name, then unique id prefix (dockerd GetContainer)."""
        if ref in self.containers:
            return self.containers[ref]
        name = ref.lstrip("/")
        for c in self.containers.values():
            if c.name == name:
                return c
        matches = [c for c in self.containers.values() if c.id.startswith(ref)] if ref else []
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise NotFound(f"Multiple IDs found with provided prefix: {ref}")
        raise NotFound(f"No such container: {ref}")
