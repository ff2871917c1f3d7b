"""Two namespaces on a bridge: ARP, FDB learning, ICMP echo, and cuts in the path."""
from netsim.kernel.netfilter import Rule
from netsim.kernel.packet import ARP, ICMP


def test_first_ping_arps_then_echoes(lab):
    a = lab.container("a", "10.0.0.2", 2)
    lab.container("b", "10.0.0.3", 3)
    lab.k.hops = []
    reply = lab.ping(a, "10.0.0.3")
    assert reply is not None
    pkt, when = reply
    assert (pkt.src, pkt.dst, pkt.payload.type) == ("10.0.0.3", "10.0.0.2", ICMP.ECHO_REPLY)
    # What tcpdump on a's eth0 would show, in order.
    on_a = [h.frame for h in lab.k.hops if h.netns == "a" and h.dev == "eth0" and h.decision is None]
    kinds = [type(f.payload).__name__ if not hasattr(f.payload, "payload") else
             type(f.payload.payload).__name__ for f in on_a]
    assert kinds == ["ARP", "ARP", "ICMP", "ICMP"]
    assert on_a[0].dst == "ff:ff:ff:ff:ff:ff" and on_a[0].payload.op == ARP.REQUEST
    assert on_a[1].payload.op == ARP.REPLY and on_a[1].src == "02:42:0a:00:00:03"
    assert "br0: broadcast, flood to 1 ports" in [h.decision for h in lab.k.hops if h.decision]
    # The bridge learned both MACs on the right ports.
    assert lab.br.fdb["02:42:0a:00:00:02"].port.name == "veth2"
    assert lab.br.fdb["02:42:0a:00:00:03"].port.name == "veth3"
    assert abs(when - 4 * 20e-6 * 2) < 1e-9  # ARP round trip + echo round trip, 2 veth crossings each way


def test_ping_fails_when_port_leaves_bridge(lab):
    a = lab.container("a", "10.0.0.2", 2)
    lab.container("b", "10.0.0.3", 3)
    lab.br.del_port(lab.host.interfaces["veth3"])
    assert lab.ping(a, "10.0.0.3") is None


def test_ping_fails_with_forward_drop_rule(lab):
    a = lab.container("a", "10.0.0.2", 2)
    lab.container("b", "10.0.0.3", 3)
    lab.host.netfilter.filter.append("FORWARD", Rule("DROP", in_iface="br0", out_iface="br0"))
    assert lab.ping(a, "10.0.0.3") is None
    lab.host.netfilter.filter.chains["FORWARD"].clear()
    assert lab.ping(a, "10.0.0.3") is not None


def test_ping_fails_without_route(lab):
    a = lab.container("a", "10.0.0.2", 2)
    a.routes.routes.clear()
    from netsim.kernel.socket import IcmpSocket
    assert IcmpSocket(a, 1).send_echo("10.0.0.3", 1, b"") is False


def test_gateway_answers(lab):
    a = lab.container("a", "10.0.0.2", 2)
    pkt, _ = lab.ping(a, "10.0.0.1")
    assert pkt.src == "10.0.0.1"


def test_udp_to_closed_port_gets_port_unreachable(lab):
    from netsim.kernel.socket import UdpSocket
    a = lab.container("a", "10.0.0.2", 2)
    lab.container("b", "10.0.0.3", 3)
    s = UdpSocket(a)
    s.sendto(b"hi", ("10.0.0.3", 9999))
    ev = s.recvfrom(5)
    lab.k.sched.run(until=ev)
    assert ev.value == "ECONNREFUSED"


def test_tcp_handshake_and_refused(lab):
    from netsim.kernel import tcp
    a = lab.container("a", "10.0.0.2", 2)
    b = lab.container("b", "10.0.0.3", 3)
    lst = tcp.TcpListener(b, "0.0.0.0", 80)
    ev = tcp.connect(a, ("10.0.0.3", 80))
    lab.k.sched.run(until=ev)
    conn = ev.value
    assert conn.state == "ESTABLISHED"
    acc = lst.accept(1)
    lab.k.sched.run(until=acc)
    server = acc.value
    conn.send(b"GET / HTTP/1.1\r\n\r\n")
    got = server.recv(1)
    lab.k.sched.run(until=got)
    assert got.value == b"GET / HTTP/1.1\r\n\r\n"
    ev2 = tcp.connect(a, ("10.0.0.3", 81))
    lab.k.sched.run(until=ev2)
    assert ev2.value == "ECONNREFUSED"


def test_dnat_through_host(lab):
    """A published port: DNAT in the host's nat OUTPUT, conntrack reverses the reply."""
    from netsim.kernel import tcp
    lab.container("b", "10.0.0.3", 3)
    b = lab.k.namespaces["b"]
    tcp.TcpListener(b, "0.0.0.0", 80)
    # the host has an uplink address to connect to
    lab.host.add_address(lab.host.interfaces["lo"], "192.0.2.10/32")
    nat = lab.host.netfilter.nat
    nat.new_chain("DOCKER")
    nat.append("OUTPUT", Rule("DOCKER", dst="127.0.0.0/8", dst_type="LOCAL", negate=frozenset({"dst"})))
    nat.append("DOCKER", Rule("DNAT", proto="tcp", dport=8080, to_destination="10.0.0.3:80",
                              in_iface="br0", negate=frozenset({"in_iface"})))
    ev = tcp.connect(lab.host, ("192.0.2.10", 8080))
    lab.k.sched.run(until=ev)
    assert ev.value.state == "ESTABLISHED"
    assert ev.value.remote == ("192.0.2.10", 8080)


def test_flood_reaches_every_other_port_at_one_instant_in_port_order(lab):
    a = lab.container("a", "10.0.0.2", 2)
    lab.container("b", "10.0.0.3", 3)
    lab.container("c", "10.0.0.4", 4)
    lab.k.hops = []
    assert lab.ping(a, "10.0.0.4") is not None
    request = [h for h in lab.k.hops if h.decision is None and getattr(h.frame.payload, "op", None) == ARP.REQUEST]
    # out of a, into the bridge port and up to br0 itself, out of veth3 and veth4,
    # then into b and c together
    assert [(h.netns, h.dev) for h in request] == [
        ("a", "eth0"), ("host", "veth2"), ("host", "br0"), ("host", "veth3"), ("host", "veth4"),
        ("b", "eth0"), ("c", "eth0")]
    assert request[5].time == request[6].time == request[3].time + 20e-6
    # only c answered; b dropped the request (not its address) without learning a
    assert lab.k.namespaces["b"].stack.neigh.lookup("10.0.0.2", lab.k.namespaces["b"].interfaces["eth0"]) is None
    assert lab.k.namespaces["c"].stack.neigh.lookup("10.0.0.2", lab.k.namespaces["c"].interfaces["eth0"]).mac == "02:42:0a:00:00:02"
