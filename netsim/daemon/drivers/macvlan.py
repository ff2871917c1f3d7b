"""The macvlan and ipvlan drivers (libnetwork ``drivers/macvlan``,
``drivers/ipvlan``), on the reference host's kernel.

A macvlan network names a parent (``-o parent=eth0``): each endpoint is a
macvlan device of that parent in bridge mode, moved into the container as
``eth0`` with the endpoint's MAC (derived from its address), the parent's MTU,
its address and a default route through the network's gateway.  No bridge,
no veth, no iptables rule: containers of the network reach each other on the
parent's wire, and the host (the parent) cannot reach them.

Without a parent the driver would create a dummy parent; with a parent that
is not a device it would create a VLAN sub-interface ``eth0.N``.  The
reference kernel has neither module: "operation not supported" (as recorded
in tests/golden/breadth4_drivers).  It has no ipvlan module either: an ipvlan
network is created, and attaching a container to it fails.
"""
from __future__ import annotations

import re

from ...errors import InvalidParameter, SystemError_


class NotSupported(SystemError_):
    pass


class MacvlanDriver:
    name = "macvlan"

    def __init__(self, osl, ids):
        self.osl = osl
        self.ids = ids

    def parent(self, net):
        """The parent device, checked as ``CreateNetwork`` checks it."""
        name = net.options.get("parent", "")
        if not name:
            raise NotSupported("operation not supported")          # a dummy parent: no module
        dev = self.osl.host.interfaces.get(name)
        if dev is not None:
            return dev
        if not re.fullmatch(r"[^.]+\.\d+", name):
            raise InvalidParameter(f"invalid subinterface vlan name {name}, "
                                   "example formatting is eth0.10")
        raise NotSupported("operation not supported")              # 8021q: no module

    def create_network(self, net) -> None:
        self.parent(net)

    def delete_network(self, net) -> None:
        pass

    def join(self, ep, ns, ifname: str, set_gateway: bool) -> None:
        net = ep.network
        lower = self.parent(net)
        dev = self.osl.macvlan_add(self.ids.veth_name().replace("veth", "macvlan"), lower, lower.mtu)
        ep.host_dev = dev
        self.osl.move_into_sandbox(dev, ns, ifname, ep, set_gateway)

    def leave(self, ep) -> None:
        dev = ep.host_dev
        if dev is not None:
            if dev.netns is not None and dev.up:
                self.osl.link_down(dev)
            self.osl.link_del(dev)
            ep.host_dev = None


class IpvlanDriver(MacvlanDriver):
    name = "ipvlan"

    def join(self, ep, ns, ifname: str, set_gateway: bool) -> None:
        raise NotSupported("failed to create the ipvlan port: operation not supported")
