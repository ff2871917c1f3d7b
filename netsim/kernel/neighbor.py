"""The neighbour table (ARP cache) of one namespace.

Resolving an address queues the packet, broadcasts an ARP request and retries
once a second, three times (``mcast_solicit``), as Linux does; on failure the
queued packets are dropped and their senders told ``Host unreachable``.  The
probe counter counts as ``neigh_max_probes`` does: an INCOMPLETE entry starts
at ``ucast_solicit`` (3) and fails at ucast + app + mcast = 6, so ``ip neigh``
shows a resolved entry with ``probes 4`` and a failed one with ``probes 6``.
A FAILED entry stays in the table (the neighbour GC leaves tables below
``gc_thresh1`` = 128 entries alone); the next packet to it starts over.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .packet import ARP, BROADCAST, ETH_ARP, Ether

ARP_RETRANS = 1.0
UCAST_PROBES = 3       # net.ipv4.neigh.*.ucast_solicit
APP_PROBES = 0         # app_solicit
MCAST_PROBES = 3       # mcast_solicit
MAX_PROBES = UCAST_PROBES + APP_PROBES + MCAST_PROBES
REACHABLE_TIME = 30.0


@dataclass
class NeighborEntry:
    ip: str
    dev: object
    mac: str | None = None
    state: str = "INCOMPLETE"
    updated: float = 0.0
    queue: list = field(default_factory=list)
    probes: int = 0


class NeighborTable:
    def __init__(self, stack) -> None:
        self.stack = stack
        self.entries: dict[tuple[str, int], NeighborEntry] = {}

    @property
    def sched(self):
        return self.stack.kernel.sched

    def lookup(self, ip: str, dev) -> NeighborEntry | None:
        return self.entries.get((ip, dev.ifindex))

    def update(self, ip: str, dev, mac: str, create: bool = True) -> None:
        """Learn ``ip is-at mac`` on ``dev``; send what waited for it."""
        key = (ip, dev.ifindex)
        entry = self.entries.get(key)
        if entry is None:
            if not create:
                return
            entry = self.entries[key] = NeighborEntry(ip, dev)
        if entry.state == "PERMANENT":
            return                          # an administrator's entry is not learned over
        entry.mac, entry.state, entry.updated = mac, "REACHABLE", self.sched.now
        queued, entry.queue = entry.queue, []
        for ip_packet in queued:
            dev.xmit(Ether(dev.mac, mac, 0x0800, ip_packet))

    def resolve_and_send(self, ip: str, dev, ip_packet) -> None:
        key = (ip, dev.ifindex)
        entry = self.entries.get(key)
        if entry is not None and entry.mac is not None:
            if self.stack.kernel.sched.now - entry.updated > REACHABLE_TIME and entry.state != "PERMANENT":
                entry.state = "STALE"
            dev.xmit(Ether(dev.mac, entry.mac, 0x0800, ip_packet))
            return
        if entry is None or entry.state == "FAILED":
            # NONE or FAILED -> INCOMPLETE (__neigh_event_send)
            entry = self.entries[key] = NeighborEntry(ip, dev, updated=self.sched.now,
                                                      probes=UCAST_PROBES)
            entry.queue.append(ip_packet)
            self._solicit(entry)
        else:
            entry.queue.append(ip_packet)

    def _solicit(self, entry: NeighborEntry) -> None:
        if self.entries.get((entry.ip, entry.dev.ifindex)) is not entry or entry.mac:
            return
        if entry.probes >= MAX_PROBES:
            entry.state = "FAILED"
            entry.updated = self.sched.now
            failed, entry.queue = entry.queue, []
            kernel = self.stack.kernel
            if kernel.hops is not None:
                kernel.trace(entry.dev, None, f"{entry.dev.name}: ARP for {entry.ip} failed after "
                             f"{MCAST_PROBES} requests, {len(failed)} packet(s) dropped (host unreachable)")
            for ip_packet in failed:
                self.stack.unreachable(ip_packet)
            return
        entry.probes += 1
        dev = entry.dev
        src = self.stack.source_for(dev, entry.ip)
        req = ARP(ARP.REQUEST, dev.mac, src, "00:00:00:00:00:00", entry.ip)
        dev.xmit(Ether(dev.mac, BROADCAST, ETH_ARP, req))
        self.sched.call_later(ARP_RETRANS, self._solicit, entry)

    def add_permanent(self, ip: str, dev, mac: str) -> None:
        """``arp -s`` / ``ip neigh replace ... nud permanent``: a static entry;
        what waited for the address is sent."""
        key = (ip, dev.ifindex)
        entry = self.entries.get(key)
        queued = entry.queue if entry is not None else []
        self.entries[key] = NeighborEntry(ip, dev, mac=mac, state="PERMANENT", updated=self.sched.now)
        for ip_packet in queued:
            dev.xmit(Ether(dev.mac, mac, 0x0800, ip_packet))

    def delete(self, ip: str, dev=None) -> bool:
        """``arp -d``: forget the entry (on ``dev``, else on any device)."""
        keys = [k for k, e in self.entries.items() if e.ip == ip and (dev is None or e.dev is dev)]
        for k in keys:
            del self.entries[k]
        return bool(keys)

    def flush_dev(self, dev) -> None:
        self.entries = {k: e for k, e in self.entries.items() if e.dev is not dev}

    def show(self) -> list[NeighborEntry]:
        return [e for e in self.entries.values() if e.mac]
