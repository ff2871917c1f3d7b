"""``netsim run --trace``: each hop under its command, tcpdump words, kernel decisions."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from netsim.cli.output import format_hop
from netsim.daemon import HostConfig
from netsim.engine import Engine
from netsim.kernel.host import Hop
from netsim.kernel.netfilter import Rule
from netsim.kernel.packet import ARP, ETH_ARP, ICMP, IPv4, PROTO_ICMP, PROTO_TCP, PROTO_UDP, TCP, UDP, Ether
from netsim.proto import dns
from netsim.trace.tcpdump import summary

REPO = Path(__file__).resolve().parents[2]


def lines_of(engine, line):
    return [format_hop(h) for h in engine.run(line).extra["hops"]]


def capnet(trace=True, sealed=True):
    e = Engine(trace=trace, host=None if sealed else HostConfig(seal_uplink=False))
    e.run("docker network create capnet")
    e.run("docker run -d --name c1 --network capnet busybox sleep 3600")
    e.run("docker run -d --name c2 --network capnet busybox sleep 3600")
    return e


def test_first_ping_by_name_hop_by_hop():
    e = capnet()
    out = lines_of(e, "docker exec c1 ping -c 1 c2")
    body = [l.split(None, 2)[2] for l in out]   # without the time column
    br = next(n for n in e.kernel.init_net.interfaces if n.startswith("br-"))
    c1v = e.kernel.namespaces["c1"].interfaces["eth0"].peer.name
    c2v = e.kernel.namespaces["c2"].interfaces["eth0"].peer.name
    pid = None
    for l in body:
        if "ICMP echo request" in l:
            pid = l.split("id ")[1].split(",")[0]
            break
    assert pid is not None
    assert body == [
        "c1                       ↳ c1: DNAT udp dpt:53 → 127.0.0.11:" + body[0].rsplit(":", 1)[1],
        *[l for l in body[1:5]],
        "c1/eth0                  ARP, Request who-has 172.18.0.3 tell 172.18.0.2, length 28",
        f"host/{c1v:19} ARP, Request who-has 172.18.0.3 tell 172.18.0.2, length 28",
        f"host/{br:19} ARP, Request who-has 172.18.0.3 tell 172.18.0.2, length 28",
        f"host/{c1v:19} ↳ {br}: broadcast, flood to 1 ports",
        f"host/{c2v:19} ARP, Request who-has 172.18.0.3 tell 172.18.0.2, length 28",
        "c2/eth0                  ARP, Request who-has 172.18.0.3 tell 172.18.0.2, length 28",
        "c2/eth0                  ARP, Reply 172.18.0.3 is-at 02:42:ac:12:00:03, length 28",
        f"host/{c2v:19} ARP, Reply 172.18.0.3 is-at 02:42:ac:12:00:03, length 28",
        f"host/{c2v:19} ↳ {br}: FDB hit, forward to {c1v}",
        f"host/{c1v:19} ARP, Reply 172.18.0.3 is-at 02:42:ac:12:00:03, length 28",
        "c1/eth0                  ARP, Reply 172.18.0.3 is-at 02:42:ac:12:00:03, length 28",
        f"c1/eth0                  IP 172.18.0.2 > 172.18.0.3: ICMP echo request, id {pid}, seq 0, length 64",
        f"host/{c1v:19} IP 172.18.0.2 > 172.18.0.3: ICMP echo request, id {pid}, seq 0, length 64",
        f"host/{c1v:19} ↳ {br}: FDB hit, forward to {c2v}",
        f"host/{c2v:19} IP 172.18.0.2 > 172.18.0.3: ICMP echo request, id {pid}, seq 0, length 64",
        f"c2/eth0                  IP 172.18.0.2 > 172.18.0.3: ICMP echo request, id {pid}, seq 0, length 64",
        f"c2/eth0                  IP 172.18.0.3 > 172.18.0.2: ICMP echo reply, id {pid}, seq 0, length 64",
        f"host/{c2v:19} IP 172.18.0.3 > 172.18.0.2: ICMP echo reply, id {pid}, seq 0, length 64",
        f"host/{c2v:19} ↳ {br}: FDB hit, forward to {c1v}",
        f"host/{c1v:19} IP 172.18.0.3 > 172.18.0.2: ICMP echo reply, id {pid}, seq 0, length 64",
        f"c1/eth0                  IP 172.18.0.3 > 172.18.0.2: ICMP echo reply, id {pid}, seq 0, length 64",
    ]
    port = body[0].rsplit(":", 1)[1]
    dns_lines = [l.split(": ", 1)[1] for l in body[1:5]]
    assert [l.split(None, 1)[0].startswith("c1/lo") for l in body[1:5]] == [True] * 4
    assert dns_lines[0].endswith("+ A? c2. (20)") and dns_lines[1].endswith("+ AAAA? c2. (20)")
    assert sorted(l.split(" ", 1)[1] for l in dns_lines[2:]) == ["0/0/0 (20)", "1/0/0 A 172.18.0.3 (38)"]
    assert f"> 127.0.0.11.{port}:" in body[1] and "IP 127.0.0.11.53 > 127.0.0.1." in body[3]


def test_trace_is_byte_identical_across_runs():
    argv = [sys.executable, "-m", "netsim", "run", "scenarios/custom_bridge.yaml", "--trace"]
    a = subprocess.run(argv, capture_output=True, text=True, cwd=REPO)
    b = subprocess.run(argv, capture_output=True, text=True, cwd=REPO)
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout
    assert "ms  " in a.stdout and "ICMP echo request" in a.stdout and "FDB" in a.stdout


def test_time_column_and_decision_layout():
    hop = Hop(0.25001, "host", "br-1a2b3c4d5e6f", None, "br-1a2b3c4d5e6f: FDB miss, flood to 3 ports")
    assert format_hop(hop) == ("     250.010 ms  host/br-1a2b3c4d5e6f     "
                               "↳ br-1a2b3c4d5e6f: FDB miss, flood to 3 ports")
    hop = Hop(1.5, "c1", "-", None, "c1: DNAT udp dpt:53 → 127.0.0.11:37092")
    assert format_hop(hop) == "    1500.000 ms  c1                       ↳ c1: DNAT udp dpt:53 → 127.0.0.11:37092"


# -- tcpdump's words ------------------------------------------------------------
def test_summaries_are_tcpdumps():
    arp = Ether("02:42:ac:12:00:03", "ff:ff:ff:ff:ff:ff", ETH_ARP,
                ARP(ARP.REQUEST, "02:42:ac:12:00:03", "172.18.0.3", "00:00:00:00:00:00", "172.18.0.2"))
    assert summary(arp) == "ARP, Request who-has 172.18.0.2 tell 172.18.0.3, length 28"
    assert summary(arp, link=True) == ("02:42:ac:12:00:03 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), "
                                       "length 42: Request who-has 172.18.0.2 tell 172.18.0.3, length 28")
    echo = IPv4("172.18.0.3", "172.18.0.2", PROTO_ICMP, ICMP(8, 0, 7, 0, b"x" * 56))
    assert summary(echo) == "IP 172.18.0.3 > 172.18.0.2: ICMP echo request, id 7, seq 0, length 64"
    q = dns.Message(16482, "c2", dns.A).pack()
    assert summary(IPv4("127.0.0.1", "127.0.0.11", PROTO_UDP, UDP(35203, 53, q))) == \
        "IP 127.0.0.1.35203 > 127.0.0.11.53: 16482+ A? c2. (20)"
    r = dns.Message(16482, "c2", dns.A, response=True, ra=True,
                    answers=[dns.Record("c2", dns.A, 600, "172.18.0.3")]).pack()
    assert summary(IPv4("127.0.0.11", "127.0.0.1", PROTO_UDP, UDP(53, 35203, r))) == \
        "IP 127.0.0.11.53 > 127.0.0.1.35203: 16482 1/0/0 A 172.18.0.3 (38)"
    nx = dns.Message(9, "nosuch", dns.A, response=True, ra=True, rcode=dns.NXDOMAIN).pack()
    assert summary(IPv4("127.0.0.11", "127.0.0.1", PROTO_UDP, UDP(53, 1000, nx))).endswith(
        ": 9 NXDomain 0/0/0 (24)")
    assert summary(IPv4("10.0.0.1", "10.0.0.2", PROTO_UDP, UDP(1000, 2000, b"hello"))) == \
        "IP 10.0.0.1.1000 > 10.0.0.2.2000: UDP, length 5"
    syn = IPv4("172.17.0.1", "172.17.0.2", PROTO_TCP, TCP(54720, 8080, "S", 4150082462, 0))
    assert summary(syn) == ("IP 172.17.0.1.54720 > 172.17.0.2.8080: Flags [S], seq 4150082462, "
                            "win 64240, length 0")
    data = IPv4("172.17.0.1", "172.17.0.2", PROTO_TCP, TCP(54720, 8080, "PA", 10, 20, b"x" * 78, 63))
    assert summary(data) == ("IP 172.17.0.1.54720 > 172.17.0.2.8080: Flags [P.], seq 10:88, ack 20, "
                             "win 63, length 78")
    ack = IPv4("172.17.0.1", "172.17.0.2", PROTO_TCP, TCP(54720, 8080, "A", 88, 20, b"", 63))
    assert summary(ack) == "IP 172.17.0.1.54720 > 172.17.0.2.8080: Flags [.], ack 20, win 63, length 0"
    unreach = IPv4("172.18.0.1", "172.18.0.2", PROTO_ICMP,
                   ICMP(3, 3, data=IPv4("172.18.0.2", "172.18.0.1", PROTO_UDP, UDP(5, 53, b"abcd"))))
    assert summary(unreach) == "IP 172.18.0.1 > 172.18.0.2: ICMP 172.18.0.1 udp port 53 unreachable, length 40"


def test_summaries_match_tcpdump_on_the_golden_captures():
    """Every frame of the reference captures, read back, prints as ``tcpdump -n -S``."""
    import shutil
    import pytest
    if shutil.which("tcpdump") is None:
        pytest.skip("tcpdump is not installed")
    from .captures import GOLDEN, frames_of
    import re
    for pcap in sorted(GOLDEN.glob("*.pcap")):
        r = subprocess.run(["tcpdump", "-r", str(pcap), "-n", "-S", "-t", "not ip6"],
                           capture_output=True, text=True)
        theirs = [re.sub(r", options \[[^\]]*\]", "", l) for l in r.stdout.splitlines()]
        theirs = [re.sub(r"(length \d+): HTTP.*$", r"\1", l) for l in theirs]
        ours = [summary(f, heuristic=False) for f in frames_of(pcap)]
        assert ours == theirs, pcap.name


# -- decisions the kernel explains ---------------------------------------------
def decisions(engine, line):
    return [h.decision for h in engine.run(line).extra["hops"] if h.decision]


def test_arp_failure_is_explained():
    e = capnet()
    got = decisions(e, "docker exec c1 ping -c 1 -W 5 172.18.0.99")
    assert "eth0: ARP for 172.18.0.99 failed after 3 requests, 1 packet(s) dropped (host unreachable)" in got


def test_iptables_drop_is_explained():
    e = capnet()
    host = e.kernel.init_net
    host.netfilter.filter.insert("FORWARD", Rule("DROP", src="172.18.0.2", dst="172.18.0.3"))
    got = decisions(e, "docker exec c1 ping -c 1 -W 1 172.18.0.3")
    assert "host: iptables FORWARD DROP (-A FORWARD -s 172.18.0.2/32 -d 172.18.0.3/32 -j DROP)" in got


def test_masquerade_and_missing_route_are_explained():
    e = capnet(sealed=False)       # an unsealed host lets containers reach the uplink
    got = decisions(e, "docker exec c1 ping -c 1 -W 1 198.51.100.7")
    assert any(d.startswith("host: MASQUERADE 172.18.0.2 → ") for d in got), got
    ns = e.kernel.namespaces["c1"]
    ns.routes.remove(lambda r: r.dst.prefixlen == 0)
    got = decisions(e, "docker exec c1 ping -c 1 -W 1 198.51.100.7")
    assert "c1: no route to 198.51.100.7 (Network is unreachable)" in got


def test_not_forwarding_is_explained():
    e = capnet()
    e.kernel.init_net.sysctl["net.ipv4.ip_forward"] = 0
    got = decisions(e, "docker exec c1 ping -c 1 -W 1 198.51.100.7")
    assert "host: not forwarding (ip_forward=0), dropped" in got


def test_dnat_to_a_published_port_is_explained():
    e = Engine(trace=True)
    e.run("docker run -d --name web -p 8081:8080 busybox sleep 3600")
    e.run("docker exec -d web httpd -f -p 8080 -h /tmp")
    got = decisions(e, "wget -q -O - http://192.0.2.2:8081/")
    assert "host: DNAT tcp dpt:8081 → 172.17.0.2:8080" in got, got


def test_the_sealed_reference_host_drops_what_leaves_by_the_uplink():
    e = capnet()
    got = decisions(e, "docker exec c1 ping -c 1 -W 1 198.51.100.7")
    assert "host: iptables FORWARD DROP (-A DOCKER-USER -o eth0 -j DROP)" in got, got
