"""The topology as a networkx graph, read from the simulated kernel and daemon.

Nothing here looks at scenario text: namespaces, devices, veth peers and
bridge ports come from the kernel model (``Kernel.namespaces``); which
container owns which namespace, network names and aliases come from the
daemon; published ports and masquerading come from the host's iptables nat
table (the DNAT rules of the ``DOCKER`` chain, the MASQUERADE rules of
``POSTROUTING``), as ``iptables -t nat -S`` would show them.

Schema (an ``nx.DiGraph``; every attribute is JSON-serialisable)::

  node id                      kind           attributes
  "host"                       host           hostname, netns ("host")
  "netns:<name>"               netns          name
  "container:<name>"           container      name, container_id, short_id, status, network_mode,
                                              mode (bridge|user|host|none|container)
  "if:<netns>:<dev>"           interface      name, netns, type (loopback|veth|ether),
                                              mac, addresses ["a.b.c.d/n"], up, mtu,
                                              ifindex; a container's end of a veth also has
                                              network, aliases, endpoint (short id)
  "bridge:<dev>"               bridge         name (docker0, br-…), network, network_id,
                                              subnet, gateway, mac, addresses, up,
                                              internal, icc, masquerade (subnet or None)
  "port:<proto>:<ip>:<port>"   port_mapping   proto, host_ip, host_port, container_ip,
                                              container_port, container (name or None)

  edge (u -> v)                          kind
  interface/bridge -> host|netns         member_of   (the device lives in that namespace)
  container -> host|netns                member_of   (the container's processes run there;
                                                      container:-mode followers and
                                                      host-mode containers share one)
  port_mapping -> host                   member_of
  host end -> container end              veth        (attribute ``pair``: "vethX:eth0")
  host end -> bridge                     bridge_port
  port_mapping -> interface              port_mapping (DNAT target: the interface that
                                                       holds container_ip)

``G.graph`` holds ``hostname`` and ``title``.  Query it as any networkx graph::

  [n for n, d in G.nodes(data=True) if d["kind"] == "container"]
  G.nodes["bridge:docker0"]["subnet"]
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:   # networkx costs ~0.4 s to import: only the functions that build graphs load it
    import networkx as nx

HOST = "host"
KINDS = ("host", "netns", "container", "interface", "bridge", "port_mapping")
EDGE_KINDS = ("member_of", "veth", "bridge_port", "port_mapping")


def ns_node(ns) -> str:
    return HOST if ns.name == HOST else f"netns:{ns.name}"


def dev_node(dev) -> str:
    if dev.kind == "bridge":
        return f"bridge:{dev.name}"
    return f"if:{dev.netns.name}:{dev.name}"


def build(engine, title: str = "") -> nx.DiGraph:
    """The graph of ``engine``'s current state (an :class:`netsim.engine.Engine`)."""
    kernel, daemon = engine.kernel, engine.daemon
    import networkx as nx
    g = nx.DiGraph(hostname=daemon.host.hostname, title=title)
    g.add_node(HOST, kind="host", hostname=daemon.host.hostname, netns=kernel.init_net.name)
    for ns in kernel.namespaces.values():
        if ns is not kernel.init_net:
            g.add_node(ns_node(ns), kind="netns", name=ns.name)
    _add_devices(g, kernel, daemon)
    _add_containers(g, daemon)
    _add_port_mappings(g, kernel)
    return g


def _add_devices(g, kernel, daemon) -> None:
    networks = _bridge_networks(daemon)
    masq = _masquerades(kernel.init_net)
    for ns in kernel.namespaces.values():
        for dev in ns.interfaces.values():
            node = dev_node(dev)
            common = dict(name=dev.name, mac=dev.mac, addresses=[str(a) for a in dev.addrs],
                          up=bool(dev.up), mtu=dev.mtu, ifindex=dev.ifindex)
            if dev.kind == "bridge":
                net = networks.get(dev.name)
                g.add_node(node, kind="bridge", **common, **_network_attrs(net),
                           masquerade=masq.get(dev.name))
            else:
                g.add_node(node, kind="interface", netns=ns.name, type=dev.kind, **common)
            g.add_edge(node, ns_node(ns), kind="member_of")
    for ns in kernel.namespaces.values():
        for dev in ns.interfaces.values():
            peer = getattr(dev, "peer", None)
            if dev.master is not None:
                g.add_edge(dev_node(dev), dev_node(dev.master), kind="bridge_port")
            if peer is not None and peer.netns is not None and dev.master is not None:
                g.add_edge(dev_node(dev), dev_node(peer), kind="veth", pair=f"{dev.name}:{peer.name}")


def _bridge_networks(daemon) -> dict:
    return {net.bridge_name: net for net in daemon.networks.values()
            if net.driver == "bridge" and net.bridge_name}


def _network_attrs(net) -> dict:
    if net is None:
        return dict(network=None, network_id=None, subnet=None, gateway=None, internal=False, icc=True)
    return dict(network=net.name, network_id=net.short_id, subnet=str(net.subnet),
                gateway=net.gateway, internal=net.internal, icc=net.icc)


def _masquerades(host_ns) -> dict:
    """``-A POSTROUTING -s SUBNET ! -o BRIDGE -j MASQUERADE``: bridge name -> subnet."""
    out = {}
    for rule in host_ns.netfilter.nat.chains.get("POSTROUTING", []):
        if rule.target == "MASQUERADE" and rule.out_iface and "out_iface" in rule.negate:
            out[rule.out_iface] = rule.src
    return out


def _add_containers(g, daemon) -> None:
    for c in daemon.containers.values():
        node = f"container:{c.name}"
        g.add_node(node, kind="container", name=c.name, container_id=c.id, short_id=c.short_id,
                   status=c.state.status, network_mode=c.network_mode, mode=c.mode)
        sb = c.sandbox
        if sb is None or sb.netns is None or sb.netns.name not in daemon.kernel.namespaces:
            continue
        g.add_edge(node, ns_node(sb.netns), kind="member_of")
        for ep in c.endpoints.values():
            dev = sb.netns.interfaces.get(ep.ifname or "")
            if dev is None:
                continue
            g.nodes[dev_node(dev)].update(network=ep.network.name, aliases=_aliases(c, ep),
                                          endpoint=ep.id[:12])


def _aliases(c, ep) -> list[str]:
    """Network aliases as ``docker inspect`` lists them, minus the container's short id."""
    return [a for a in ep.aliases if a != c.short_id]


def _add_port_mappings(g, kernel) -> None:
    by_ip = {}
    for n, d in g.nodes(data=True):
        if d["kind"] == "interface" and d["netns"] != HOST:
            for a in d["addresses"]:
                by_ip.setdefault(a.split("/")[0], n)
    for rule in kernel.init_net.netfilter.nat.chains.get("DOCKER", []):
        if rule.target != "DNAT" or not rule.to_destination:
            continue
        ip, _, port = rule.to_destination.partition(":")
        host_ip = rule.dst or "0.0.0.0"
        node = f"port:{rule.proto}:{host_ip}:{rule.dport}"
        target = by_ip.get(ip)
        owner = _owner(g, target) if target else None
        g.add_node(node, kind="port_mapping", proto=rule.proto, host_ip=host_ip,
                   host_port=rule.dport, container_ip=ip, container_port=int(port or rule.dport),
                   container=owner)
        g.add_edge(node, HOST, kind="member_of")
        if target:
            g.add_edge(node, target, kind="port_mapping")


def _owner(g, iface: str) -> str | None:
    """The first container (by name) whose namespace holds ``iface``."""
    ns = next((v for _, v, k in g.out_edges(iface, data="kind") if k == "member_of"), None)
    names = sorted(g.nodes[u]["name"] for u, _, k in g.in_edges(ns, data="kind")
                   if k == "member_of" and g.nodes[u]["kind"] == "container")
    return names[0] if names else None


# -- queries the drawing and notebooks use ----------------------------------------
def of_kind(g, kind: str) -> list[str]:
    return [n for n, d in g.nodes(data=True) if d["kind"] == kind]


def members(g, ns_node_id: str, kind: str) -> list[str]:
    """Nodes of ``kind`` that are member_of ``ns_node_id``."""
    return [u for u, _, k in g.in_edges(ns_node_id, data="kind")
            if k == "member_of" and g.nodes[u]["kind"] == kind]


def namespace_of(g, node: str) -> str | None:
    return next((v for _, v, k in g.out_edges(node, data="kind") if k == "member_of"), None)


def bridge_of(g, container_iface: str) -> str | None:
    """The bridge a container's interface reaches through its veth pair."""
    for host_end, _, k in g.in_edges(container_iface, data="kind"):
        if k == "veth":
            for _, br, k2 in g.out_edges(host_end, data="kind"):
                if k2 == "bridge_port":
                    return br
    return None


def veth_host_end(g, container_iface: str) -> str | None:
    return next((u for u, _, k in g.in_edges(container_iface, data="kind") if k == "veth"), None)


def to_json(g) -> dict:
    import networkx as nx
    return nx.node_link_data(g, edges="links")


def from_json(data: dict) -> nx.DiGraph:
    import networkx as nx
    return nx.node_link_graph(data, directed=True, multigraph=False, edges="links")
