"""ICMP errors as Linux sends and delivers them: the TTL test before the
FORWARD hook, the per-destination rate limit, raw sockets and connected UDP
sockets (what busybox traceroute relies on)."""
from netsim.kernel.netfilter import Rule
from netsim.kernel.packet import ICMP
from netsim.kernel.socket import IcmpSocket, UdpSocket


def _probe(lab, ns, dst, dport, ttl=64, timeout=1.0):
    """One UDP datagram with ``ttl``; what the raw ICMP socket reads back."""
    sock = UdpSocket(ns)
    src, _ = sock.connect((dst, 33434))
    raw = IcmpSocket(ns, None, bound=src)
    sock.ttl = ttl
    sock.sendto(b"x" * 18, (dst, dport))
    ev = raw.recv(timeout)
    lab.k.sched.run(until=ev)
    sock.close()
    raw.close()
    return ev.value


def _routed_lab(lab):
    """a (10.0.0.2, on br0) and c (10.1.0.2, on br1): the host routes between them."""
    from netsim.kernel.bridge import Bridge
    from netsim.kernel.interface import veth_pair
    a = lab.container("a", "10.0.0.2", 2)
    br1 = Bridge(lab.k, "br1", "02:42:00:00:01:01")
    lab.host.add_interface(br1)
    lab.host.add_address(br1, "10.1.0.1/24")
    lab.host.set_up(br1)
    c = lab.k.netns_add("c")
    c.set_up(c.interfaces["lo"])
    host_end, inner = veth_pair(lab.k, "veth9", "eth0", "02:00:00:00:00:09", "02:42:0a:01:00:02")
    lab.host.add_interface(host_end)
    br1.add_port(host_end)
    lab.host.set_up(host_end)
    c.add_interface(inner)
    c.add_address(inner, "10.1.0.2/24")
    c.set_up(inner)
    c.add_route("default", inner, gateway="10.1.0.1")
    return a, c


def test_ttl_runs_out_at_the_router_even_if_forward_would_drop(lab):
    a, _c = _routed_lab(lab)
    lab.host.netfilter.filter.append("FORWARD", Rule("DROP"))
    pkt, _ = _probe(lab, a, "10.1.0.2", 33435, ttl=1)
    assert (pkt.src, pkt.payload.type, pkt.payload.code) == ("10.0.0.1", ICMP.TIME_EXCEEDED, 0)
    assert pkt.payload.data.payload.dport == 33435
    # one hop further the FORWARD chain drops the probe: nothing comes back
    assert _probe(lab, a, "10.1.0.2", 33436, ttl=2) is None


def test_destination_answers_port_unreachable(lab):
    a, _c = _routed_lab(lab)
    pkt, _ = _probe(lab, a, "10.1.0.2", 33435, ttl=2)
    assert (pkt.src, pkt.ttl, pkt.payload.type, pkt.payload.code) == (
        "10.1.0.2", 63, ICMP.DEST_UNREACH, ICMP.PORT_UNREACH)


def test_icmp_errors_to_one_destination_are_rate_limited(lab):
    a = lab.container("a", "10.0.0.2", 2)
    lab.container("b", "10.0.0.3", 3)
    answers = [_probe(lab, a, "10.0.0.3", 40000 + i, timeout=0.01) is not None for i in range(8)]
    assert answers == [True] * 6 + [False] * 2          # a burst of six
    lab.k.sched.run(until=lab.k.sched.now + 1.0)          # one token a second
    assert _probe(lab, a, "10.0.0.3", 40010, timeout=0.01) is not None
    assert _probe(lab, a, "10.0.0.3", 40011, timeout=0.01) is None


def test_errors_to_a_local_address_are_not_rate_limited(lab):
    a = lab.container("a", "10.0.0.2", 2)
    answers = [_probe(lab, a, "127.0.0.1", 40000 + i, timeout=0.01) is not None for i in range(10)]
    assert answers == [True] * 10


def test_connected_udp_socket_is_told_only_about_its_own_peer(lab):
    a = lab.container("a", "10.0.0.2", 2)
    lab.container("b", "10.0.0.3", 3)
    sock = UdpSocket(a)
    sock.connect(("10.0.0.3", 33434))
    sock.sendto(b"x", ("10.0.0.3", 33435))          # another port: the error is not ours
    ev = sock.recvfrom(0.1)
    lab.k.sched.run(until=ev)
    assert ev.value is None
    sock.sendto(b"x", ("10.0.0.3", 33434))          # the connected peer refuses
    ev = sock.recvfrom(0.1)
    lab.k.sched.run(until=ev)
    assert ev.value == "ECONNREFUSED"
