"""IPv6 link-local addresses of host-side devices and linkwatch's timing."""
import ipaddress

from netsim import Engine
from netsim.daemon import HostConfig
from netsim.kernel import addrconf
from netsim.kernel.linkwatch import LINKWATCH_INTERVAL


def _host(eng):
    return eng.kernel.init_net


def _ll(dev):
    return [a for a in dev.addrs6 if a.scope == "link"]


def test_eui64_link_local_of_recorded_macs():
    # tests/golden/host_views_ipv6.json: MAC -> link-local address
    assert str(addrconf.eui64_link_local("02:42:22:38:23:c4")) == "fe80::42:22ff:fe38:23c4"
    assert str(addrconf.eui64_link_local("52:42:66:80:9e:f1")) == "fe80::5042:66ff:fe80:9ef1"
    assert str(addrconf.eui64_link_local("02:fc:00:00:00:01")) == "fe80::fc:ff:fe00:1"


def test_host_boot_devices_and_addresses():
    eng = Engine()
    host = _host(eng)
    assert [(d.ifindex, d.name) for d in sorted(host.interfaces.values(), key=lambda d: d.ifindex)][:4] == \
        [(1, "lo"), (2, "ifb0"), (3, "ifb1"), (4, "eth0")]
    assert [(str(a.address), a.scope) for a in host.interfaces["lo"].addrs6] == [("::1", "host")]
    eth0 = host.interfaces["eth0"]
    assert [(str(a.address), a.scope, a.flags(0.0)) for a in eth0.addrs6] == \
        [("fd00::2", "global", ["nodad"]), ("fe80::fc:ff:fe00:1", "link", [])]
    assert not host.interfaces["ifb0"].up and host.interfaces["ifb0"].addrs6 == []


def test_bridge_and_veth_get_link_local_with_carrier_tentative_during_dad():
    eng = Engine()
    host = _host(eng)
    docker0 = host.interfaces["docker0"]
    assert docker0.addrs6 == []                      # up, but no carrier yet
    eng.run("docker run -d --name c1 busybox sleep 3600")
    veth = next(d for d in host.interfaces.values() if d.kind == "veth")
    now = eng.sched.now
    for dev in (veth, docker0):
        (ll,) = _ll(dev)
        assert ll.address == addrconf.eui64_link_local(dev.mac)
        assert ll.tentative(now)
        # a random delay below rtr_solicit_delay, then one solicitation, retrans_time apart
        assert addrconf.RETRANS_TIME <= ll.dad_until - now < addrconf.RETRANS_TIME + addrconf.RTR_SOLICIT_DELAY
    eng.run("sleep 3")
    assert not _ll(docker0)[0].tentative(eng.sched.now)
    # the veth got its address first: its fe80::/64 route comes first
    fe80 = [r.dev.name for r in addrconf.dump_routes(host) if r.dst == addrconf.LINK_LOCAL_PREFIX]
    assert fe80 == ["eth0", veth.name, "docker0"]
    # the container's namespace has IPv6 disabled: no address at all, not even ::1
    c = eng.daemon.container_find("c1")
    assert all(d.addrs6 == [] for d in c.sandbox.netns.interfaces.values())


def test_link_local_stays_when_carrier_goes_and_carrier_loss_waits_for_linkwatch():
    eng = Engine()
    host = _host(eng)
    docker0 = host.interfaces["docker0"]
    eng.run("docker run -d --name c1 busybox sleep 3600")
    eng.run("sleep 3")
    eng.run("docker stop -t 0 c1")
    stopped = eng.sched.now
    assert not docker0.carrier                       # NO-CARRIER at once
    assert docker0.oper_up                           # state UP, no linkdown yet
    assert "linkdown" not in eng.run("ip route").stdout
    eng.sched.run(until=stopped + LINKWATCH_INTERVAL)
    assert not docker0.oper_up
    assert "172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1 linkdown" in eng.run("ip route").stdout
    assert "fe80::/64 dev docker0 proto kernel metric 256 linkdown pref medium" in eng.run("ip -6 route").stdout
    assert len(_ll(docker0)) == 1                    # the address stays


def test_host_veth_macs_are_random_locally_administered():
    eng = Engine()
    eng.run("docker network create n1")
    for i in range(4):
        eng.run(f"docker run -d --name c{i} --network n1 busybox sleep 3600")
    veths = [d for d in _host(eng).interfaces.values() if d.kind == "veth"]
    assert len(veths) == 4
    for d in veths:
        first = int(d.mac[:2], 16)
        assert first & 0x02 and not first & 0x01 and not d.mac.startswith("02:42:")
    # the same seed draws the same MACs
    again = Engine()
    again.run("docker network create n1")
    again.run("docker run -d --name c0 --network n1 busybox sleep 3600")
    assert next(d.mac for d in _host(again).interfaces.values() if d.kind == "veth") == veths[0].mac


def test_host_config_changes_the_boot_devices():
    eng = Engine(host=HostConfig(uplink_address6="", uplink_gateway6="", ifb_macs=[]))
    host = _host(eng)
    assert "ifb0" not in host.interfaces and host.interfaces["eth0"].ifindex == 2
    assert [a.scope for a in host.interfaces["eth0"].addrs6] == ["link"]
    assert eng.run("ip -6 route").stdout == "fe80::/64 dev eth0 proto kernel metric 256 pref medium\n"
    eng = Engine(host=HostConfig(uplink_address6="2001:db8::5/64", uplink_gateway6="2001:db8::1"))
    out = eng.run("ip -6 route").stdout
    assert out.splitlines() == ["2001:db8::/64 dev eth0 proto kernel metric 256 pref medium",
                                "fe80::/64 dev eth0 proto kernel metric 256 pref medium",
                                "default via 2001:db8::1 dev eth0 metric 1024 pref medium"]
    assert ipaddress.IPv6Address("2001:db8::5") in [a.address for a in _host(eng).interfaces["eth0"].addrs6]
