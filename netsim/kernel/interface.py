"""Network devices: the base interface, loopback and veth pairs.

A device moves frames; it does not route them.  ``xmit`` is the stack handing
a frame to the device; ``deliver`` is a frame arriving from the device's
medium.  A device enslaved to a bridge (``master``) hands what arrives to the
bridge instead of to its namespace's IP stack, as Linux's rx_handler does.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from .packet import ARP, BROADCAST, ETH_ARP, ETH_IP

VETH_DELAY = 20e-6     # one crossing of a veth pair, in simulated seconds
LOOPBACK_DELAY = 5e-6


@dataclass
class Counters:
    rx_packets: int = 0
    rx_bytes: int = 0
    tx_packets: int = 0
    tx_bytes: int = 0
    rx_dropped: int = 0
    tx_dropped: int = 0


class Interface:
    """A network device in one namespace (``struct net_device``).

    ``up`` is IFF_UP (administrative); ``carrier`` is the driver's carrier bit
    (iproute2's LOWER_UP, NO-CARRIER); ``oper_up`` is the operational state
    (``state UP``, ifconfig's RUNNING, routes without ``linkdown``) as
    linkwatch last applied it (:mod:`netsim.kernel.linkwatch`)."""

    kind = "ether"
    txqueuelen = 1000           # tx_queue_len: a NIC's default
    default_qdisc = "pfifo_fast"    # net.core.default_qdisc for a device with a queue
    noarp = False               # IFF_NOARP
    multicast = True            # IFF_MULTICAST

    def __init__(self, kernel, name: str, mac: str, mtu: int = 1500):
        self.kernel = kernel
        self.name = name
        self.mac = mac
        self.mtu = mtu
        self.ifindex = 0          # assigned by the namespace it is registered in
        self.netns = None
        self.addrs: list[ipaddress.IPv4Interface] = []
        self.up = False
        self.master = None
        self.stats = Counters()
        self.promisc = False
        self.qdisc = "noop"        # until first opened (attach_default_qdiscs)
        self.oper_up = False       # operstate UP, as linkwatch applied it
        self.lw_carrier = False    # the carrier linkwatch was last told about
        self.addrs6: list = []     # IPv6 addresses (netsim.kernel.addrconf.Inet6Addr), idev order
        self.routes6: list = []    # IPv6 routes through this device (addrconf.Route6)
        self.ipv6_ready = False    # addrconf's IF_READY: link-local generated since last up
        self._addr_list = None     # the addrs list the cached sets were built from
        self._addr_len = 0
        self._addr_texts = frozenset()
        self._addr_ints = frozenset()

    def _addresses(self) -> None:
        addrs = self.addrs
        self._addr_list, self._addr_len = addrs, len(addrs)
        self._addr_texts = frozenset(str(a.ip) for a in addrs)
        self._addr_ints = frozenset(int(a.ip) for a in addrs)

    def has_address(self, text: str) -> bool:
        """Whether ``text`` is one of this device's addresses (cached texts,
        rebuilt when the list is replaced or grows or shrinks)."""
        addrs = self.addrs
        if addrs is not self._addr_list or len(addrs) != self._addr_len:
            self._addresses()
        return text in self._addr_texts

    def address_ints(self) -> frozenset:
        """This device's addresses as 32-bit ints (cached like the texts)."""
        addrs = self.addrs
        if addrs is not self._addr_list or len(addrs) != self._addr_len:
            self._addresses()
        return self._addr_ints

    def __repr__(self) -> str:
        ns = self.netns.name if self.netns else "-"
        return f"<{type(self).__name__} {self.name}@{ns}>"

    @property
    def operstate(self) -> str:
        return "UP" if self.oper_up else "DOWN"

    @property
    def carrier(self) -> bool:
        return self.up

    def xmit(self, frame) -> None:
        """The stack (or a bridge) sends ``frame`` out of this device."""
        if not self.up:
            self.stats.tx_dropped += 1
            self.kernel.trace(self, frame, f"{self.name} is down: dropped")
            return
        stats = self.stats
        stats.tx_packets += 1
        stats.tx_bytes += frame.size
        kernel = self.kernel
        if kernel.hops is not None or kernel.pcap is not None:
            kernel.capture(self, frame)
        self._xmit(frame)

    def _xmit(self, frame) -> None:
        raise NotImplementedError

    def deliver(self, frame) -> None:
        """``frame`` arrives on this device from its medium."""
        if not self.up:
            self.stats.rx_dropped += 1
            return
        stats = self.stats
        stats.rx_packets += 1
        stats.rx_bytes += frame.size
        kernel = self.kernel
        if kernel.hops is not None or kernel.pcap is not None:
            kernel.capture(self, frame)
        master = self.master
        if master is not None:
            master.port_input(self, frame)
        elif self.netns is not None:
            if frame.type == ETH_IP and frame.dst == self.mac:
                # IPStack.receive's test and dispatch, inline for unicast IP
                self.netns.stack.ip_input(self, frame.payload)
            else:
                self.netns.stack.receive(self, frame)


class Loopback(Interface):
    """``lo``: what is sent comes back in on the same device."""

    kind = "loopback"
    default_qdisc = "noqueue"
    multicast = False

    def __init__(self, kernel):
        super().__init__(kernel, "lo", "00:00:00:00:00:00", mtu=65536)
        self.addrs = [ipaddress.IPv4Interface("127.0.0.1/8")]

    def xmit(self, frame) -> None:
        """As :meth:`Interface.xmit`, with ``_xmit`` inline."""
        if not self.up:
            Interface.xmit(self, frame)
            return
        stats = self.stats
        stats.tx_packets += 1
        stats.tx_bytes += frame.size
        kernel = self.kernel
        if kernel.hops is not None or kernel.pcap is not None:
            kernel.capture(self, frame)
        kernel.sched.call_later(LOOPBACK_DELAY, self.deliver, frame)

    def _xmit(self, frame) -> None:
        self.kernel.sched.call_later(LOOPBACK_DELAY, self.deliver, frame)

    def deliver(self, frame) -> None:
        """The looped-back frame comes in again; a capture on ``lo`` sees each
        packet once (AF_PACKET skips the looped copy), so it is not captured."""
        if not self.up:
            self.stats.rx_dropped += 1
            return
        stats = self.stats
        stats.rx_packets += 1
        stats.rx_bytes += frame.size
        if frame.type == ETH_IP:        # IPStack.receive's dispatch, inline
            self.netns.stack.ip_input(self, frame.payload)
        else:
            self.netns.stack.receive(self, frame)


class Uplink(Interface):
    """The host's physical NIC.  It is cabled to nothing: traffic to the
    outside world is never simulated (and never sent)."""

    def _xmit(self, frame) -> None:
        self.kernel.trace(self, frame, f"{self.name}: leaves the simulated host (not modelled)")


class Ifb(Interface):
    """An Intermediate Functional Block device (``ifb`` module, ``numifbs=2``):
    the reference host has ``ifb0`` and ``ifb1``, never brought up."""

    kind = "ifb"
    txqueuelen = 32             # ifb_setup: TX_Q_LIMIT
    noarp = True
    multicast = False

    def _xmit(self, frame) -> None:
        self.kernel.trace(self, frame, f"{self.name}: ifb redirect (not modelled)")


class VethEnd(Interface):
    """One end of a veth pair; what it sends arrives on its peer."""

    kind = "veth"
    txqueuelen = 0              # libnetwork creates its veths with TxQLen 0
    default_qdisc = "noqueue"   # IFF_NO_QUEUE

    def __init__(self, kernel, name: str, mac: str, mtu: int = 1500):
        super().__init__(kernel, name, mac, mtu)
        self.peer: VethEnd | None = None

    @property
    def carrier(self) -> bool:
        return self.up and self.peer is not None and self.peer.up

    def xmit(self, frame) -> None:
        """As :meth:`Interface.xmit`, with the crossing to the peer inline
        (every frame of a container crosses two veth ends); :meth:`send`
        inline when both ends are up and no capture runs."""
        kernel = self.kernel
        peer = self.peer
        if (self.up and peer is not None and peer.up and kernel.hops is None
                and kernel.pcap is None):
            stats = self.stats
            stats.tx_packets += 1
            stats.tx_bytes += frame.size
            kernel.sched.call_later(VETH_DELAY, peer.deliver, frame)
            return
        peer = self.send(frame)
        if peer is not None:
            kernel.sched.call_later(VETH_DELAY, peer.deliver, frame)

    def send(self, frame):
        """The transmit half of :meth:`xmit`: count and capture ``frame``;
        returns the peer it will arrive on ``VETH_DELAY`` later, or None if
        it was dropped.  A bridge flooding one frame to many veths schedules
        the arrivals together (:func:`deliver_all`)."""
        if not self.up:
            Interface.xmit(self, frame)
            return None
        stats = self.stats
        stats.tx_packets += 1
        stats.tx_bytes += frame.size
        kernel = self.kernel
        if kernel.hops is not None or kernel.pcap is not None:
            kernel.capture(self, frame)
        peer = self.peer
        if peer is None or not peer.up:
            stats.tx_dropped += 1
            return None
        return peer

    def _xmit(self, frame) -> None:
        peer = self.peer
        if peer is None or not peer.up:
            self.stats.tx_dropped += 1
            return
        self.kernel.sched.call_later(VETH_DELAY, peer.deliver, frame)


class MacvlanDev(Interface):
    """A macvlan device in ``bridge`` mode (``ip link add NAME link LOWER type
    macvlan mode bridge``): its own MAC on the lower device's wire.  What it
    sends to another macvlan of the same lower device arrives there directly
    (a broadcast reaches them all); everything else leaves through the lower
    device (the host's uplink: not simulated beyond it).  The lower device
    itself never hears its macvlans, nor they it (macvlan's isolation from
    the parent)."""

    kind = "macvlan"
    txqueuelen = 0              # macvlan_setup: IFF_NO_QUEUE
    default_qdisc = "noqueue"

    def __init__(self, kernel, name: str, mac: str, lower, mtu: int = 1500):
        super().__init__(kernel, name, mac, mtu)
        self.lower = lower
        self.link = lower                  # IFLA_LINK: ``eth0@ifN``
        siblings = getattr(lower, "macvlans", None)
        if siblings is None:
            siblings = lower.macvlans = []
        siblings.append(self)

    @property
    def carrier(self) -> bool:
        return self.up and self.lower.up

    def _xmit(self, frame) -> None:
        dst = frame.dst
        group = int(dst[:2], 16) & 1
        targets = [m for m in self.lower.macvlans
                   if m is not self and m.up and (group or m.mac == dst)]
        if targets:
            self.kernel.sched.call_later(VETH_DELAY, deliver_all, targets, frame)
        if group or not targets:
            self.lower.xmit(frame)     # to the wire (the uplink: leaves the simulated host)

    def unlink(self) -> None:
        """``ip link del``: off the lower device's list."""
        if self in self.lower.macvlans:
            self.lower.macvlans.remove(self)


def deliver_all(devices, frame) -> None:
    """Copies of ``frame`` arrive on ``devices`` in order, at one instant.

    A broadcast ARP request (a bridge's flood) is the common case: on a veth
    that is up, not enslaved, in a namespace and with no capture running,
    :meth:`Interface.deliver` counts it and hands it to the namespace's
    stack, whose :meth:`~netsim.kernel.ipv4.IPStack.receive` accepts a
    broadcast and whose ``arp_input`` ignores a request for an address the
    device does not have.  That is done inline here (the same counters; the
    stack is called only for the device that owns the address); any other
    frame or device takes :meth:`~Interface.deliver`."""
    payload = frame.payload
    if frame.type != ETH_ARP or frame.dst != BROADCAST or payload.op != ARP.REQUEST:
        for dev in devices:
            dev.deliver(frame)
        return
    target, size = payload.pdst, frame.size
    for dev in devices:
        kernel = dev.kernel
        if (type(dev) is not VethEnd or not dev.up or dev.master is not None or dev.netns is None
                or kernel.hops is not None or kernel.pcap is not None):
            dev.deliver(frame)
            continue
        stats = dev.stats
        stats.rx_packets += 1
        stats.rx_bytes += size
        addrs = dev.addrs           # Interface.has_address, inline
        if addrs is not dev._addr_list or len(addrs) != dev._addr_len:
            dev._addresses()
        if target in dev._addr_texts:
            dev.netns.stack.receive(dev, frame)


def veth_pair(kernel, name: str, peer_name: str, mac: str | None = None,
              peer_mac: str | None = None):
    """``ip link add NAME type veth peer name PEER_NAME [address MAC]``.

    Returns ``(dev, peer)``; register the peer first, as ``veth_newlink``
    does, so the peer gets the lower interface index.  An end created
    without an address gets a random one (``eth_hw_addr_random``), the peer's
    drawn first."""
    if peer_mac is None:
        peer_mac = kernel.eth_random_addr()
    if mac is None:
        mac = kernel.eth_random_addr()
    a = VethEnd(kernel, name, mac)
    b = VethEnd(kernel, peer_name, peer_mac)
    a.peer, b.peer = b, a
    return a, b
