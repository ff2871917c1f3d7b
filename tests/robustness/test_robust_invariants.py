"""netsim.invariants: a clean state passes, broken states are reported, and
regressions found by the property tests stay fixed."""
from __future__ import annotations

from netsim import invariants
from netsim.engine import Engine


def run_all(eng, lines):
    for line in lines:
        res = eng.run(line)
        problems = invariants.check(eng)
        assert problems == [], (line, res, problems)
    return eng


def test_a_busy_host_keeps_every_invariant():
    run_all(Engine(), [
        "docker network create --subnet 10.1.0.0/24 --aux-address r=10.1.0.9 n1",
        "docker run -d --name aa --network n1 -p 8080:80 busybox sleep 3600",
        "docker run -d --name bb --network container:aa busybox sleep 3600",
        "docker run -d --name cc --link aa busybox sleep 3600",
        "docker exec aa ping -c 1 10.1.0.1",
        "docker network connect n1 cc",
        "docker exec cc ping -c 1 aa",
        "docker network disconnect n1 cc",
        "docker stop aa", "docker rm -f aa bb cc", "docker network rm n1",
    ])


def test_follower_outliving_its_provider_does_not_leak_the_namespace():
    # found by tests/property: the provider stops, the follower keeps the
    # namespace open; when the follower goes too, the namespace must go.
    eng = run_all(Engine(), [
        "docker run -d --name aa busybox sleep 3600",
        "docker run -d --name bb --network container:aa busybox sleep 3600",
        "docker stop -t 1 aa",
        "docker rm aa",
        "docker rm -f bb",
    ])
    assert sorted(eng.kernel.namespaces) == ["host"]


def test_follower_restarted_after_its_provider_restarted_drops_the_old_namespace():
    eng = run_all(Engine(), [
        "docker run -d --name aa busybox sleep 3600",
        "docker run -d --name bb --network container:aa busybox sleep 3600",
        "docker stop -t 1 aa", "docker start aa",
        "docker restart -t 1 bb",
    ])
    aa = eng.daemon.container_find("aa")
    assert sorted(eng.kernel.namespaces) == sorted(["host", aa.sandbox.key])
    assert eng.daemon.container_find("bb").sandbox is aa.sandbox


def test_broken_states_are_reported():
    eng = run_all(Engine(), [
        "docker network create --subnet 10.2.0.0/24 n2",
        "docker run -d --name aa --network n2 busybox sleep 3600",
    ])
    d, k = eng.daemon, eng.kernel
    net = d.network_find("n2")
    ep = net.endpoints[d.container_find("aa").id]
    net.pool.used.add(int.from_bytes(bytes([10, 2, 0, 77]), "big"))
    k.netns_add("stray")
    br = d.drivers["bridge"].bridges[net.id]
    from netsim.kernel.bridge import FdbEntry
    from netsim.kernel.interface import VethEnd
    ghost = VethEnd(k, "ghost", "02:00:00:00:00:99")
    br.fdb["02:00:00:00:00:99"] = FdbEntry("02:00:00:00:00:99", ghost, 0.0)
    from netsim.kernel.netfilter import Rule
    k.init_net.netfilter.filter.append("FORWARD", Rule("ACCEPT", in_iface="br-gone"))
    problems = invariants.check(eng)
    text = "\n".join(problems)
    assert "ipam: network n2 used set is off: taken but unowned ['10.2.0.77']" in text
    assert "namespace stray leaked" in text
    assert "FDB entry 02:00:00:00:00:99 names ghost" in text
    assert "names missing interface br-gone" in text
    assert len(problems) == 4, problems
    # a veth whose peer vanished
    k.init_net.remove_interface(ep.host_dev)
    problems = invariants.check(eng)
    assert any("veth eth0's peer" in p and "no live namespace" in p for p in problems), problems


def test_a_start_refused_after_the_namespace_exists_releases_it():
    # found by tests/property: --network none with --ip is refused while the
    # sandbox is being built; the namespace must not stay behind
    eng = run_all(Engine(), ["docker run --network none --ip 10.1.0.0 --rm busybox sleep 3600",
                             "docker run -d --name aa --network none --ip 10.1.0.0 busybox sleep 3600"])
    assert sorted(eng.kernel.namespaces) == ["host"] or eng.daemon.container_find("aa").running
