"""The OS layer: the only way the daemon touches the kernel model.

Named after libnetwork's ``osl`` package.  Each function is one Linux
operation (``ip link add``, ``ip addr add``, ``iptables -I``, ``sysctl -w``);
the drivers compose them into the steps libnetwork runs.

Device names, written once:
- ``docker0`` for the default bridge, ``br-<first 12 hex of the network id>``
  for user-defined bridges (or ``com.docker.network.bridge.name``);
- ``veth<7 hex>`` for the host end of a veth pair, renamed ``eth0``, ``eth1``…
  once moved into the container's namespace.
"""
from __future__ import annotations

from ..kernel.bridge import Bridge
from ..kernel.interface import veth_pair
from ..kernel.netfilter import Rule


class OsLayer:
    def __init__(self, kernel):
        self.kernel = kernel

    @property
    def host(self):
        return self.kernel.init_net

    # -- namespaces --------------------------------------------------------
    def netns_add(self, key: str):
        """libnetwork's ``NewSandbox``: lo up and, "as starting point",
        IPv6 disabled on all interfaces (20.10 sets the sysctl just after lo
        is up, which removes ``::1`` again: no IPv6 address at all)."""
        ns = self.kernel.netns_add(key)
        self.sysctl(ns, "net.ipv6.conf.all.disable_ipv6", 1)
        ns.set_up(ns.interfaces["lo"])
        return ns

    def netns_del(self, key: str) -> None:
        self.kernel.netns_del(key)

    # -- links -------------------------------------------------------------
    def bridge_add(self, name: str, mac: str, cidr: str | None, mtu: int = 1500) -> Bridge:
        br = Bridge(self.kernel, name, mac, mtu)
        self.host.add_interface(br)
        if cidr:
            self.host.add_address(br, cidr)
        self.host.set_up(br)
        return br

    def macvlan_add(self, name: str, lower, mtu: int):
        """``ip link add NAME link LOWER type macvlan mode bridge``, in the
        host, with a random MAC (the driver sets the endpoint's)."""
        from ..kernel.interface import MacvlanDev
        dev = MacvlanDev(self.kernel, name, self.kernel.eth_random_addr(), lower, mtu)
        self.host.add_interface(dev)
        return dev

    def link_del(self, dev) -> None:
        ns = dev.netns
        unlink = getattr(dev, "unlink", None)     # a macvlan leaves its lower device
        if unlink is not None:
            unlink()
        if dev.master is not None:
            dev.master.del_port(dev)
        for port in list(getattr(dev, "ports", [])):
            dev.del_port(port)
        peer = getattr(dev, "peer", None)
        if peer is not None:
            if peer.master is not None:
                peer.master.del_port(peer)
            if peer.netns is not None:
                peer.netns.remove_interface(peer)
            peer.peer = None
            dev.peer = None
        if ns is not None:
            ns.remove_interface(dev)

    def veth_add(self, host_name: str, peer_name: str, mtu: int = 1500):
        """``ip link add HOST type veth peer name PEER``; both ends in the
        host, with the random MACs the kernel gives them."""
        host_end, peer = veth_pair(self.kernel, host_name, peer_name)
        host_end.mtu = peer.mtu = mtu
        self.host.add_interface(peer)
        self.host.add_interface(host_end)
        return host_end, peer

    def link_set_address(self, dev, mac: str) -> None:
        """``ip link set DEV address MAC``."""
        dev.mac = mac

    def link_set_master(self, dev, bridge) -> None:
        bridge.add_port(dev)

    def link_set_netns(self, dev, ns, new_name: str) -> None:
        """``ip link set DEV netns NS name NEW``."""
        dev.netns.remove_interface(dev)
        dev.name = new_name
        ns.add_interface(dev)

    def move_into_sandbox(self, dev, ns, ifname: str, ep, set_gateway: bool) -> None:
        """osl ``AddInterface`` + ``Join``: ``dev`` moves into the sandbox's
        namespace as ``ifname`` with the endpoint's MAC and address, comes
        up, and (for the gateway endpoint) carries the default route."""
        net = ep.network
        self.link_set_netns(dev, ns, ifname)
        self.link_set_address(dev, ep.mac)
        self.addr_add(dev, f"{ep.ip}/{net.subnet.prefixlen}")
        self.link_up(dev)
        ep.ifname = ifname
        if set_gateway:
            self.route_add_default(ns, dev, net.gateway)

    def link_up(self, dev) -> None:
        dev.netns.set_up(dev)

    def link_down(self, dev) -> None:
        dev.netns.set_up(dev, False)

    def addr_add(self, dev, cidr: str) -> None:
        dev.netns.add_address(dev, cidr)

    def route_add_default(self, ns, dev, gateway: str) -> None:
        ns.add_route("default", dev, gateway=gateway)

    def route_del_default(self, ns) -> None:
        ns.routes.remove(lambda r: r.dst.prefixlen == 0)

    # -- sysctl and netfilter -------------------------------------------------
    def sysctl(self, ns, key: str, value: int) -> None:
        ns.sysctl[key] = value

    def iptables(self, ns, table: str, op: str, chain: str, rule: Rule | None = None,
                 pos: int = 0) -> None:
        """``iptables -t TABLE -N/-A/-I/-D/-P CHAIN [rule]``."""
        t = ns.netfilter.tables[table]
        if op == "-N":
            t.new_chain(chain)
        elif op == "-A":
            if not t.exists(chain, rule):
                t.append(chain, rule)
        elif op == "-I":
            if t.exists(chain, rule):
                t.delete(chain, rule)
            t.insert(chain, rule, pos)
        elif op == "-D":
            t.delete(chain, rule)
        elif op == "-P":
            t.policy[chain] = rule

