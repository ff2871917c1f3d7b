"""The simulated machine's kernel: its namespaces, device indexes, tracing.

``Kernel.trace`` and ``Kernel.capture`` are the only observers of the data
plane: when a tracer or capture is attached they record each hop (simulated
time, namespace, device, frame, decision); otherwise they cost one test.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from ..sim import Scheduler
from . import addrconf
from .interface import Ifb, Uplink
from .linkwatch import Linkwatch
from .netns import NetNamespace
from .pid import TaskTable


@dataclass
class Hop:
    time: float
    netns: str
    dev: str
    frame: object
    decision: str | None = None


class Kernel:
    def __init__(self, sched: Scheduler | None = None, seed: int = 0):
        self.sched = sched or Scheduler()
        self.rng = random.Random(seed)
        # The kernel's randomness for devices (eth_random_addr, addrconf's DAD
        # delay) is a stream of its own, so that creating a device does not
        # move the ports and sequence numbers drawn from ``rng``.
        self.device_rng = random.Random(f"netsim-kernel-devices:{seed}")
        self.linkwatch = Linkwatch(self)
        self.namespaces: dict[str, NetNamespace] = {}
        self.hops: list[Hop] | None = None
        self.pcap: dict[tuple[str, str], list] | None = None
        self.init_net = self.netns_add("host")
        # processes: the host's PID namespace and its init (systemd, PID 1)
        self.tasks = TaskTable(lambda: self.sched.now)
        self.init_task = self.tasks.fork(None, cmdline=["/sbin/init"], comm="systemd")

    def netns_add(self, name: str) -> NetNamespace:
        ns = NetNamespace(self, name)
        if self.namespaces:
            # net.core.devconf_inherit_init_net=0: a new namespace's IPv4
            # devconf (ip_forward) starts as a copy of init_net's.
            ns.sysctl["net.ipv4.ip_forward"] = self.init_net.sysctl.get("net.ipv4.ip_forward", 0)
        self.namespaces[name] = ns
        return ns

    def boot_host_network(self, host) -> None:
        """The host's network as its boot left it (``host``: a
        :class:`netsim.daemon.HostConfig`): ``lo``, the ``ifb`` devices
        (down), the uplink NIC with its IPv4 and IPv6 (``nodad``) addresses
        and default routes, and its link-local address.  The machine booted
        long before the simulation's t=0: duplicate address detection and the
        first linkwatch runs are over."""
        ns = self.init_net
        ns.set_up(ns.interfaces["lo"])
        for i, mac in enumerate(host.ifb_macs):
            ns.add_interface(Ifb(self, f"ifb{i}", mac))
        uplink = Uplink(self, host.uplink, host.uplink_mac, mtu=host.uplink_mtu)
        ns.add_interface(uplink)
        ns.add_address(uplink, host.uplink_address)
        if host.uplink_address6:
            addrconf.add_address(ns, uplink, host.uplink_address6, nodad=True)
        ns.set_up(uplink)
        ns.add_route("default", uplink, gateway=host.uplink_gateway)
        if host.uplink_gateway6:
            addrconf.add_route(ns, "default", uplink, gateway=host.uplink_gateway6)
        for dev in ns.interfaces.values():
            addrconf.settle(dev)
        self.linkwatch.nextevent = float("-inf")

    def netns_del(self, name: str) -> None:
        """Deleting a namespace destroys its devices; a veth's peer goes too."""
        ns = self.namespaces.pop(name, None)
        if ns is None:
            return
        for dev in list(ns.interfaces.values()):
            peer = getattr(dev, "peer", None)
            if peer is not None and peer.netns is not None:
                if peer.master is not None:
                    peer.master.del_port(peer)
                peer.netns.remove_interface(peer)
                peer.peer = None
            ns.remove_interface(dev)

    def eth_random_addr(self) -> str:
        """``eth_random_addr``: six random bytes, multicast bit cleared,
        locally-administered bit set (a bridge or veth made without an address)."""
        b = bytearray(self.device_rng.getrandbits(48).to_bytes(6, "big"))
        b[0] = (b[0] & 0xfe) | 0x02
        return ":".join(f"{x:02x}" for x in b)

    # -- observation -------------------------------------------------------
    def trace(self, dev, frame, decision: str, netns=None) -> None:
        if self.hops is not None:
            ns = netns or (dev.netns if dev is not None else None)
            self.hops.append(Hop(self.sched.now, ns.name if ns else "-",
                                 dev.name if dev is not None else "-", frame, decision))

    def capture(self, dev, frame) -> None:
        if self.hops is not None:
            self.hops.append(Hop(self.sched.now, dev.netns.name if dev.netns else "-", dev.name, frame))
        if self.pcap is not None and dev.netns is not None:
            self.pcap.setdefault((dev.netns.name, dev.name), []).append((self.sched.now, frame))
