"""netsim's frames, interface by interface, against tcpdump on the reference engine.

The captures in ``tests/golden/captures`` (see their README) were taken with
``tcpdump -p -n -e -U -i DEV`` while the same commands ran on Docker 20.10.24.
Here the same commands run in netsim with ``Engine(pcap=True)`` and the frames
each interface saw during the last command are reduced (``captures.py``) to
what must match: order and kind of frames, MACs, IPs, non-ephemeral ports,
ICMP id/seq semantics, DNS questions and answers, TCP flags with relative
sequence and acknowledgement numbers.

Tolerated, because they are races between userland programs on the real
machine (not kernel behaviour): the order of the embedded DNS server's A and
AAAA replies (goroutines; documented in tests/golden/README.md) and whether
``nslookup``'s second query leaves before the first reply.
"""
from __future__ import annotations

import json

import pytest

from netsim.engine import Engine

from .captures import GOLDEN, frames_of, normalize

pytest.importorskip("scapy")

META = json.loads((GOLDEN / "captures.json").read_text())


def run_case(case: str):
    """Run a capture case's commands; return (engine, start time of the last one)."""
    e = Engine(pcap=True)
    cmds = META[case]["commands"]
    for line in cmds[:-1]:
        res = e.run(line)
        assert res.exit_code == 0, (line, res.stderr)
    start = e.sched.now
    res = e.run(cmds[-1])
    assert res.stdout.replace("0.000", "x") is not None
    return e, start, res


def seen(e, start, netns, dev, keep=lambda f: True):
    return [f for t, f in e.kernel.pcap.get((netns, dev), []) if t >= start and keep(f)]


def bridge_of(e):
    names = [n for n in e.kernel.init_net.interfaces if n.startswith("br-")]
    assert len(names) == 1
    return names[0]


def container_macs(case):
    return [v.split()[1] for k, v in META[case].get("addresses", {}).items()] + \
        ([META[case]["container"].split()[1]] if "container" in META[case] else [])


def dns_exchange(frames):
    """Queries in order, and each reply with the query it answers."""
    queries = [f for f in frames if f[-6] == "Q"]
    replies = sorted((f for f in frames if f[-6] == "R"), key=lambda f: f[-5])
    for r in replies:      # a reply comes after the query with the same type
        q = next(i for i, f in enumerate(frames) if f[-6] == "Q" and f[-5] == r[-5])
        assert frames.index(r) > q
    return queries, replies


# -- (a) the first ping by name on a user-defined bridge ----------------------
@pytest.fixture(scope="module")
def ping_case():
    e, start, res = run_case("ping_by_name")
    assert "1 packets received" in res.stdout
    return e, start


def test_ping_by_name_c1_eth0(ping_case):
    e, start = ping_case
    macs = container_macs("ping_by_name")
    real = normalize(frames_of(GOLDEN / "ping_by_name_c1_eth0.pcap"), macs)
    ours = normalize(seen(e, start, "c1", "eth0"), macs)
    assert ours == real


def test_ping_by_name_bridge_sees_only_the_broadcast(ping_case):
    e, start = ping_case
    macs = container_macs("ping_by_name")
    real = normalize(frames_of(GOLDEN / "ping_by_name_bridge.pcap"), macs)
    ours = normalize(seen(e, start, "host", bridge_of(e)), macs)
    assert ours == real


def test_ping_by_name_c1_veth(ping_case):
    path = GOLDEN / "ping_by_name_c1_veth.pcap"
    if not path.exists():
        pytest.skip("no capture of c1's host-side veth in this recording")
    e, start = ping_case
    macs = container_macs("ping_by_name")
    c1_eth0 = e.kernel.namespaces["c1"].interfaces["eth0"]
    ours = normalize(seen(e, start, "host", c1_eth0.peer.name), macs)
    assert ours == normalize(frames_of(path), macs)


def test_ping_by_name_dns_on_c1_lo(ping_case):
    e, start = ping_case
    real = normalize(frames_of(GOLDEN / "ping_by_name_c1_lo.pcap"))
    ours = normalize(seen(e, start, "c1", "lo"))
    # getaddrinfo sends A then AAAA from one socket before any reply.
    assert [f[-6:-3] for f in ours[:2]] == [f[-6:-3] for f in real[:2]] == \
        [("Q", 1, "c2"), ("Q", 28, "c2")]
    assert dns_exchange(ours) == dns_exchange(real)


# -- (b) a DNS A query to 127.0.0.11 ------------------------------------------
def test_nslookup_dns_on_c1_lo_and_nothing_on_eth0():
    e, start, res = run_case("nslookup")
    assert "Address: 172.18.0.3" in res.stdout
    real = normalize(frames_of(GOLDEN / "nslookup_c1_lo.pcap"))
    ours = normalize(seen(e, start, "c1", "lo"))
    assert len(ours) == len(real) == 4
    assert dns_exchange(ours) == dns_exchange(real)
    assert seen(e, start, "c1", "eth0") == frames_of(GOLDEN / "nslookup_c1_eth0.pcap") == []


# -- (c) TCP from the host to a published port --------------------------------
@pytest.fixture(scope="module")
def port_case():
    from netsim.apps import busybox
    e = Engine(pcap=True)
    cmds = list(META["published_port"]["commands"])
    client = cmds.pop()
    if busybox.lookup(["curl"])[0] is None:      # the simulated host has no curl
        client = "wget -q -O - http://127.0.0.1:8081/"
    for line in cmds:
        assert e.run(line).exit_code == 0, line
    start = e.sched.now
    res = e.run(client)
    assert res.stdout == META["published_port"]["output"]
    return e, start, client.split()[0]


def is_client(f) -> bool:
    return isinstance(f[-6], str)          # the ephemeral port is a symbol


def request_free(frames):
    """The client's request length depends on the client (curl 78 bytes, wget
    77): it becomes "data", and sequence numbers past it are counted from its end."""
    req = next(f[-1] for f in frames if is_client(f) and f[-1])
    out = []
    for f in frames:
        flags, seq, ack, n = f[-4:]
        if is_client(f):
            seq = ("req", seq - 1 - req) if seq > 1 else seq
            n = "data" if n else 0
        elif ack is not None and ack > 1:
            ack = ("req", ack - 1 - req)
        out.append(f[:-4] + (flags, seq, ack, n))
    return out


def check_tcp(ours, real):
    """Same handshake; in each direction the same segments (SYNs, data, ACKs
    with their relative numbers) up to the teardown; every ACK after the data
    it acknowledges; one FIN each way and a final ACK."""
    assert ours[:3] == real[:3]
    for side in (True, False):
        def core(frames):
            return [f for f in frames[:-1] if "F" not in f[-4] and is_client(f) == side]
        assert core(ours) == core(real)
    sent = {True: 1, False: 1}
    for f in ours:
        flags, seq, ack, n = f[-4:]
        me = is_client(f)
        if ack is not None:
            assert _pos(ack) <= sent[not me], f
        sent[me] = max(sent[me], _pos(seq) + (1 if n == "data" else n) + ("F" in flags))
    # Who closes first is a race between userland programs (see module doc),
    # and the side that closes second sends no ACK after its FIN.
    def teardown(frames):
        return sorted([f[-4] for f in frames if "F" in f[-4]] + [frames[-1][-4]])
    assert teardown(ours) == teardown(real) == [".", "F.", "F."]


def _pos(v):
    return 2 + v[1] if isinstance(v, tuple) else v     # the request counts as one byte


def test_published_port_docker0(port_case):
    e, start, _ = port_case
    macs = container_macs("published_port")
    real = normalize(frames_of(GOLDEN / "published_port_docker0.pcap"), macs)
    ours = normalize(seen(e, start, "host", "docker0"), macs)
    assert ours[:2] == real[:2]          # ARP request from the bridge, reply
    check_tcp(request_free(ours[2:]), request_free(real[2:]))


def test_published_port_lo_through_docker_proxy(port_case):
    e, start, _ = port_case

    def port_filter(f):          # tcpdump ... tcp port 8081 or tcp port 8080
        t = f.payload.payload
        return hasattr(t, "flags") and {t.sport, t.dport} & {8080, 8081}
    real = request_free(normalize(frames_of(GOLDEN / "published_port_lo.pcap")))
    ours = request_free(normalize(seen(e, start, "host", "lo", port_filter)))
    check_tcp(ours, real)
