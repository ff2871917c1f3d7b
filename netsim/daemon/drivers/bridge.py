"""The bridge driver (libnetwork ``drivers/bridge``).

Creating a network runs libnetwork's setup queue, one small step each:
``setup_device`` (the Linux bridge), ``setup_bridge_netfiltering``
(bridge-nf-call-iptables), ``setup_ipv4`` (the gateway address),
``setup_ip_forwarding`` (ip_forward=1, FORWARD policy DROP) and
``setup_ip_tables`` (the DOCKER, DOCKER-ISOLATION-STAGE-1/2 and DOCKER-USER
chains and this bridge's rules).  Joining a container creates a veth pair,
plugs the host end into the bridge and moves the other end into the
container's namespace as ``ethN``.
"""
from __future__ import annotations

import re

from ...errors import Forbidden, InvalidParameter
from ...kernel.netfilter import Rule

NOT = frozenset
_GO_BOOLS = {"1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"}


def _go_quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _go_atoi(label: str, value: str) -> int:
    """Go's ``strconv.Atoi`` (64-bit), with the driver's ``parseErr`` wording."""
    why = None
    if not re.fullmatch(r"[+-]?[0-9]+", value):
        why = "invalid syntax"
    elif not -2 ** 63 <= int(value) < 2 ** 63:
        why = "value out of range"
    if why:
        raise InvalidParameter(f"failed to parse {label} value: {value} "
                               f"(strconv.Atoi: parsing {_go_quote(value)}: {why})")
    return int(value)


class BridgeDriver:
    name = "bridge"

    def __init__(self, osl, ids):
        self.osl = osl
        self.ids = ids
        self.bridges: dict[str, object] = {}   # network id -> Bridge device

    # -- network create / delete -----------------------------------------
    def create_network(self, net) -> None:
        """``CreateNetwork``: parse the options, refuse conflicts, then run the
        setup queue; a failing step undoes what the earlier ones built."""
        self.parse_options(net)
        self.check_conflicts(net)
        try:
            for step in (self.setup_device, self.setup_bridge_netfiltering, self.setup_ipv4,
                         self.setup_ip_forwarding, self.setup_ip_tables):
                step(net)
        except Exception:
            if net.id in self.bridges:
                self.delete_network(net)
            raise

    @staticmethod
    def bridge_name(net) -> str:
        return net.options.get("com.docker.network.bridge.name") or (
            "docker0" if net.name == "bridge" and net.predefined else f"br-{net.short_id}")

    def parse_options(self, net) -> None:
        """``fromLabels`` + ``Validate``: the driver options that must parse."""
        for label, value in net.options.items():
            if label == "com.docker.network.driver.mtu":
                mtu = _go_atoi(label, value)
                if mtu < 0:
                    raise InvalidParameter(f"invalid MTU number: {mtu}")
            elif label in ("com.docker.network.enable_ipv6",
                           "com.docker.network.bridge.enable_ip_masquerade",
                           "com.docker.network.bridge.enable_icc",
                           "com.docker.network.bridge.default_bridge"):
                if value not in _GO_BOOLS:
                    raise InvalidParameter(f"failed to parse {label} value: {value} "
                                           f"(strconv.ParseBool: parsing {_go_quote(value)}: invalid syntax)")

    def check_conflicts(self, net) -> None:
        """``createNetwork``: no two bridge networks may share a bridge name."""
        name = self.bridge_name(net)
        for other_id, br in self.bridges.items():
            if br.name == name:
                raise Forbidden(f"cannot create network {net.id} ({name}): conflicts with network "
                                f"{other_id} ({name}): networks have same bridge name")
        dev = self.osl.host.interfaces.get(name)
        if dev is not None:
            # netsim's own words: the model cannot take over a non-bridge device
            raise Forbidden(f"cannot create network {net.id} ({name}): "
                            f"device {name} already exists and is not a bridge")

    def setup_device(self, net) -> None:
        name = self.bridge_name(net)
        net.bridge_name = name
        mtu = int(net.options.get("com.docker.network.driver.mtu", 1500))
        self.bridges[net.id] = self.osl.bridge_add(name, self.ids.random_mac(), None, mtu)

    def setup_bridge_netfiltering(self, net) -> None:
        self.osl.sysctl(self.osl.host, "net.bridge.bridge-nf-call-iptables", 1)

    def setup_ipv4(self, net) -> None:
        br = self.bridges[net.id]
        self.osl.addr_add(br, f"{net.gateway}/{net.subnet.prefixlen}")

    def setup_ip_forwarding(self, net) -> None:
        host = self.osl.host
        if not host.sysctl.get("net.ipv4.ip_forward"):
            self.osl.sysctl(host, "net.ipv4.ip_forward", 1)
            self.osl.iptables(host, "filter", "-P", "FORWARD", "DROP")

    def setup_ip_tables(self, net) -> None:
        host, ipt, br = self.osl.host, self.osl.iptables, net.bridge_name
        for table, chain in (("nat", "DOCKER"), ("filter", "DOCKER"),
                             ("filter", "DOCKER-ISOLATION-STAGE-1"),
                             ("filter", "DOCKER-ISOLATION-STAGE-2")):
            ipt(host, table, "-N", chain)
        ipt(host, "nat", "-A", "PREROUTING", Rule("DOCKER", dst_type="LOCAL"))
        ipt(host, "nat", "-A", "OUTPUT", Rule("DOCKER", dst="127.0.0.0/8", dst_type="LOCAL",
                                               negate=NOT({"dst"})))
        subnet = net.subnet.with_prefixlen
        if net.internal:
            ipt(host, "filter", "-I", "DOCKER-ISOLATION-STAGE-1",
                Rule("DROP", dst=subnet, in_iface=br, negate=NOT({"dst"})))
            ipt(host, "filter", "-I", "DOCKER-ISOLATION-STAGE-1",
                Rule("DROP", src=subnet, out_iface=br, negate=NOT({"src"})))
            ipt(host, "filter", "-I", "FORWARD",
                Rule("ACCEPT" if net.icc else "DROP", in_iface=br, out_iface=br))
        else:
            if net.masquerade:
                ipt(host, "nat", "-I", "POSTROUTING",
                    Rule("MASQUERADE", src=subnet, out_iface=br, negate=NOT({"out_iface"})))
            ipt(host, "nat", "-I", "DOCKER", Rule("RETURN", in_iface=br))
            block = [Rule("ACCEPT", out_iface=br, ctstate=("RELATED", "ESTABLISHED")),
                     Rule("DOCKER", out_iface=br),
                     Rule("ACCEPT", in_iface=br, out_iface=br, negate=NOT({"out_iface"})),
                     Rule("ACCEPT" if net.icc else "DROP", in_iface=br, out_iface=br)]
            for rule in reversed(block):
                ipt(host, "filter", "-I", "FORWARD", rule)
            ipt(host, "filter", "-I", "DOCKER-ISOLATION-STAGE-1",
                Rule("DOCKER-ISOLATION-STAGE-2", in_iface=br, out_iface=br, negate=NOT({"out_iface"})))
            ipt(host, "filter", "-I", "DOCKER-ISOLATION-STAGE-2", Rule("DROP", out_iface=br))
        for chain in ("DOCKER-ISOLATION-STAGE-1", "DOCKER-ISOLATION-STAGE-2"):
            ipt(host, "filter", "-A", chain, Rule("RETURN"))
            t = host.netfilter.filter
            ret = Rule("RETURN")
            t.delete(chain, ret)
            t.append(chain, ret)
        ipt(host, "filter", "-I", "FORWARD", Rule("DOCKER-ISOLATION-STAGE-1"))
        ipt(host, "filter", "-N", "DOCKER-USER")
        ipt(host, "filter", "-A", "DOCKER-USER", Rule("RETURN"))
        ipt(host, "filter", "-I", "FORWARD", Rule("DOCKER-USER"))

    def delete_network(self, net) -> None:
        host, br = self.osl.host, net.bridge_name
        for table in host.netfilter.tables.values():
            for chain, rules in table.chains.items():
                table.chains[chain] = [r for r in rules
                                       if br not in (r.in_iface, r.out_iface)]
        dev = self.bridges.pop(net.id)
        self.osl.link_del(dev)

    # -- endpoints -------------------------------------------------------
    def join(self, ep, ns, ifname: str, set_gateway: bool) -> None:
        """``CreateEndpoint`` + ``Join``: a veth pair named by two random
        ``vethXXXXXXX`` names (the kernel gives both ends random MACs), the
        host end on the bridge and up, the other moved into the sandbox as
        ``ifname`` with the endpoint's MAC and address, then up."""
        net = ep.network
        mtu = int(net.options.get("com.docker.network.driver.mtu", 1500))
        ep.host_ifname = self.ids.veth_name()
        sandbox_ifname = self.ids.veth_name()
        host_end, peer = self.osl.veth_add(ep.host_ifname, sandbox_ifname, mtu)
        ep.host_dev = host_end
        self.osl.link_set_master(host_end, self.bridges[net.id])
        self.osl.link_up(host_end)
        self.osl.move_into_sandbox(peer, ns, ifname, ep, set_gateway)

    def leave(self, ep) -> None:
        """The sandbox takes its interface down (osl ``Remove``), then
        ``DeleteEndpoint`` deletes the veth pair."""
        if ep.host_dev is not None:
            peer = ep.host_dev.peer
            if peer is not None and peer.netns is not None and peer.up:
                self.osl.link_down(peer)
            self.osl.link_del(ep.host_dev)
            ep.host_dev = None

    def bridge(self, net):
        return self.bridges.get(net.id)
