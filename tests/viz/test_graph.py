"""The topology graph for each network mode, node and edge sets asserted exactly."""
import json

import networkx as nx

from netsim.viz import graph, topology

from .conftest import Names, bridged, build, host_base, sets

RUN = "docker run -d --name {} {} busybox sleep 3600"


def union(*parts):
    nodes, edges = set(), set()
    for n, e in parts:
        nodes |= n
        edges |= e
    return nodes, edges


def test_default_bridge():
    eng = build(RUN.format("c1", ""), RUN.format("c2", ""))
    n = Names(eng)
    assert sets(topology(eng)) == union(host_base(n), bridged(n, "c1", "bridge"), bridged(n, "c2", "bridge"))
    g = topology(eng)
    assert g.nodes["if:c1:eth0"]["addresses"] == ["172.17.0.2/16"]
    assert g.nodes["if:c2:eth0"]["mac"] == "02:42:ac:11:00:03"
    assert g.nodes["if:c1:eth0"]["network"] == "bridge"
    assert g.nodes["bridge:docker0"]["subnet"] == "172.17.0.0/16"
    assert g.nodes["bridge:docker0"]["gateway"] == "172.17.0.1"
    assert g.nodes["bridge:docker0"]["masquerade"] == "172.17.0.0/16"
    assert g.nodes["container:c1"]["mode"] == "bridge"


def test_user_network_with_alias():
    eng = build("docker network create mynet", RUN.format("web", "--network mynet --network-alias api"))
    n = Names(eng)
    br = n.br("mynet")
    base_nodes, base_edges = host_base(n)
    expected = union((base_nodes | {br}, base_edges | {(br, "host", "member_of")}),
                     bridged(n, "web", "mynet"))
    assert sets(topology(eng)) == expected
    g = topology(eng)
    assert g.nodes["if:web:eth0"]["aliases"] == ["api"]
    assert g.nodes[br]["network"] == "mynet"
    assert g.nodes[br]["subnet"] == "172.18.0.0/16"


def test_host_mode():
    eng = build(RUN.format("hm", "--network host"))
    n = Names(eng)
    nodes, edges = host_base(n)
    assert sets(topology(eng)) == (nodes | {"container:hm"}, edges | {("container:hm", "host", "member_of")})


def test_none_mode():
    eng = build(RUN.format("iso", "--network none"))
    n = Names(eng)
    nodes, edges = host_base(n)
    assert sets(topology(eng)) == (
        nodes | {"netns:iso", "if:iso:lo", "container:iso"},
        edges | {("if:iso:lo", "netns:iso", "member_of"), ("container:iso", "netns:iso", "member_of")})


def test_container_mode_shares_the_provider_namespace():
    eng = build(RUN.format("pv", ""), RUN.format("fw", "--network container:pv"))
    n = Names(eng)
    nodes, edges = union(host_base(n), bridged(n, "pv", "bridge"))
    assert sets(topology(eng)) == (nodes | {"container:fw"}, edges | {("container:fw", "netns:pv", "member_of")})
    assert topology(eng).nodes["container:fw"]["mode"] == "container"


def test_two_networks_on_one_container():
    eng = build("docker network create back", RUN.format("app", ""), "docker network connect back app")
    n = Names(eng)
    br = n.br("back")
    nodes, edges = union(host_base(n), bridged(n, "app", "bridge"),
                         bridged(n, "app", "back", ifname="eth1", first=False))
    assert sets(topology(eng)) == (nodes | {br}, edges | {(br, "host", "member_of")})
    g = topology(eng)
    assert graph.bridge_of(g, "if:app:eth1") == br
    assert g.nodes["if:app:eth1"]["addresses"] == ["172.18.0.2/16"]


def test_published_port():
    eng = build("docker run -d --name web -p 8080:80 busybox httpd -f -p 80")
    n = Names(eng)
    port = "port:tcp:0.0.0.0:8080"
    nodes, edges = union(host_base(n), bridged(n, "web", "bridge"))
    assert sets(topology(eng)) == (nodes | {port}, edges | {(port, "host", "member_of"),
                                                            (port, "if:web:eth0", "port_mapping")})
    assert dict(topology(eng).nodes[port]) == {
        "kind": "port_mapping", "proto": "tcp", "host_ip": "0.0.0.0", "host_port": 8080,
        "container_ip": "172.17.0.2", "container_port": 80, "container": "web"}


def test_stopped_container_has_no_namespace():
    eng = build(RUN.format("c1", ""), "docker stop c1")
    n = Names(eng)
    nodes, edges = host_base(n)
    assert sets(topology(eng)) == (nodes | {"container:c1"}, edges)
    assert topology(eng).nodes["container:c1"]["status"] == "exited"


def test_json_round_trip():
    eng = build("docker network create mynet", RUN.format("c1", "--network mynet --network-alias x"),
                "docker run -d --name web -p 8080:80 busybox httpd -f -p 80")
    g = topology(eng, "t")
    again = graph.from_json(json.loads(json.dumps(graph.to_json(g))))
    assert nx.utils.graphs_equal(g, again)
    assert dict(again.nodes(data=True)) == dict(g.nodes(data=True))
    assert again.graph == {"hostname": eng.daemon.host.hostname, "title": "t"}
