"""The simulated machine's kernel: its namespaces, device indexes, tracing.

``Kernel.trace`` and ``Kernel.capture`` are the only observers of the data
plane: when a tracer or capture is attached they record each hop (simulated
time, namespace, device, frame, decision); otherwise they cost one test.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from ..sim import Scheduler
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
