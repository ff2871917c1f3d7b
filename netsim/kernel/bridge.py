"""A Linux bridge: ports, a forwarding database that learns and ages, flooding.

The bridge is also an interface of its namespace (``docker0``, ``br-…``): frames
addressed to its own MAC, and broadcasts, go up to that namespace's IP stack.
With ``net.bridge.bridge-nf-call-iptables = 1`` (set by Docker's bridge driver)
IPv4 frames forwarded between two ports traverse the iptables FORWARD chain,
which is how ``enable_icc=false`` and isolation rules take effect on bridged
traffic.
"""
from __future__ import annotations

from dataclasses import dataclass

from .interface import VETH_DELAY, Interface, VethEnd, deliver_all
from .packet import ETH_IP

FDB_AGEING = 300.0
_GROUP_BIT = {c: int(c, 16) & 1 for c in "0123456789abcdefABCDEF"}


@dataclass
class FdbEntry:
    mac: str
    port: Interface
    updated: float
    local: bool = False


class Bridge(Interface):
    kind = "bridge"
    txqueuelen = 0
    default_qdisc = "noqueue"   # IFF_NO_QUEUE

    def __init__(self, kernel, name: str, mac: str, mtu: int = 1500):
        super().__init__(kernel, name, mac, mtu)
        self.ports: list[Interface] = []
        self.fdb: dict[str, FdbEntry] = {}

    @property
    def carrier(self) -> bool:
        # A bridge has carrier once at least one of its ports is up.
        return self.up and any(p.carrier for p in self.ports)

    def add_port(self, dev: Interface) -> None:
        """``ip link set DEV master BRIDGE``."""
        dev.master = self
        self.ports.append(dev)
        self.fdb[dev.mac] = FdbEntry(dev.mac, dev, self.kernel.sched.now, local=True)
        self.kernel.linkwatch.check(self)       # a forwarding port gives the bridge carrier

    def del_port(self, dev: Interface) -> None:
        if dev in self.ports:
            self.ports.remove(dev)
        dev.master = None
        self.fdb = {m: e for m, e in self.fdb.items() if e.port is not dev}
        self.kernel.linkwatch.check(self)       # its last forwarding port gone: no carrier

    def lookup(self, mac: str) -> FdbEntry | None:
        entry = self.fdb.get(mac)
        if entry is None:
            return None
        if not entry.local and self.kernel.sched.now - entry.updated > FDB_AGEING:
            del self.fdb[mac]
            return None
        return entry

    def port_input(self, port: Interface, frame) -> None:
        """A frame arrives on one of the bridge's ports."""
        src = frame.src
        entry = self.fdb.get(src)
        if entry is None:
            self.fdb[src] = FdbEntry(src, port, self.kernel.sched.now)
        elif not entry.local:           # learnt again: moves and is refreshed
            entry.port = port
            entry.updated = self.kernel.sched.now
        self._forward(port, frame)

    def _xmit(self, frame) -> None:
        """The host's stack sends out of the bridge device itself."""
        self._forward(None, frame)

    def _forward(self, ingress: Interface | None, frame) -> None:
        dst = frame.dst
        group = _GROUP_BIT[dst[1]]      # the I/G bit: the low bit of the first octet
        if ingress is not None and (group or dst == self.mac):
            self.stats.rx_packets += 1
            self.stats.rx_bytes += frame.size
            kernel = self.kernel
            if kernel.hops is not None or kernel.pcap is not None:
                kernel.capture(self, frame)
            self.netns.stack.receive(self, frame)
            if not group:
                return
        entry = None if group else self.lookup(dst)
        if entry is not None:
            port = entry.port
            if port is ingress:
                return
            kernel = self.kernel
            if kernel.hops is not None:
                kernel.trace(ingress or self, frame, f"{self.name}: FDB hit, forward to {port.name}")
            if ingress is not None and frame.type == ETH_IP:     # _out, inline
                netns = self.netns
                if netns.sysctl.get("net.bridge.bridge-nf-call-iptables", 0) and \
                        not netns.stack.bridge_forward_allowed(self, frame.payload):
                    kernel.trace(ingress, frame, f"{self.name}: iptables FORWARD dropped")
                    return
            port.xmit(frame)
            return
        flood_only = ingress is None or frame.type != ETH_IP   # nothing for br_netfilter (ARP)
        if flood_only and self.kernel.hops is None:
            self._flood(self.ports, frame, ingress)
            return
        ports = [p for p in self.ports if p is not ingress and p.up]
        why = "broadcast" if group else "FDB miss"
        if self.kernel.hops is not None:
            self.kernel.trace(ingress or self, frame, f"{self.name}: {why}, flood to {len(ports)} ports")
        if flood_only:
            self._flood(ports, frame)
            return
        for p in ports:
            self._out(ingress, p, frame)

    def _flood(self, ports: list, frame, ingress=None) -> None:
        """Send a copy of ``frame`` out of each port that is up, but
        ``ingress``, in port order.  The copies sent through veths cross
        together: one scheduled arrival for the run of consecutive veth ports
        (the same instants, in the same order, as one arrival per copy)."""
        arrivals: list = []
        kernel = self.kernel
        sched = kernel.sched
        # VethEnd.send, inline for a veth whose peer is up when no capture
        # runs (counting a copy cannot start one): count, and the peer.
        capturing = kernel.hops is not None or kernel.pcap is not None
        size = frame.size
        for p in ports:
            if p is ingress or not p.up:
                continue
            if type(p) is VethEnd and not capturing:
                peer = p.peer
                if peer is not None and peer.up:
                    stats = p.stats
                    stats.tx_packets += 1
                    stats.tx_bytes += size
                    arrivals.append(peer)
                    continue
            if isinstance(p, VethEnd):
                peer = p.send(frame)
                if peer is not None:
                    arrivals.append(peer)
                continue
            if arrivals:
                sched.call_later(VETH_DELAY, deliver_all, arrivals, frame)
                arrivals = []
            p.xmit(frame)
        if arrivals:
            sched.call_later(VETH_DELAY, deliver_all, arrivals, frame)

    def _out(self, ingress: Interface | None, port: Interface, frame) -> None:
        if ingress is not None and frame.type == ETH_IP and self.netns.sysctl.get(
                "net.bridge.bridge-nf-call-iptables", 0):
            if not self.netns.stack.bridge_forward_allowed(self, frame.payload):
                self.kernel.trace(ingress, frame, f"{self.name}: iptables FORWARD dropped")
                return
        port.xmit(frame)
