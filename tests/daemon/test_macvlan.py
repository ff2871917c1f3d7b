"""macvlan networks: containers on one parent reach each other directly (bridge
mode), by name through the embedded DNS; the host (the parent) does not reach
them; what is not for a sibling leaves through the uplink."""
from netsim.engine import Engine


def _engine():
    e = Engine()
    for line in ["docker network create -d macvlan --subnet 192.168.50.0/24 --gateway 192.168.50.1 "
                 "-o parent=eth0 mv",
                 "docker run -d --name m1 --network mv busybox sleep 3600",
                 "docker run -d --name m2 --network mv busybox sleep 3600"]:
        assert e.run(line).exit_code == 0, line
    return e


def test_siblings_ping_by_name_without_a_bridge_or_veth():
    e = _engine()
    r = e.run("docker exec m1 ping -c 1 m2")
    assert r.exit_code == 0 and "64 bytes from 192.168.50.3: seq=0 ttl=64" in r.stdout
    host = e.kernel.init_net
    assert not any(d.kind in ("veth", "bridge") and d.name.startswith(("veth", "br-"))
                   for d in host.interfaces.values())
    assert e.run("docker exec m2 cat /proc/net/arp").stdout.split("\n")[1].startswith("192.168.50.2 ")


def test_the_host_does_not_reach_its_macvlans_and_broadcasts_leave_by_the_uplink():
    e = _engine()
    uplink = e.kernel.init_net.interfaces["eth0"]
    before = uplink.stats.tx_packets
    assert e.run("docker exec m1 ping -c 1 -W 1 192.168.50.1").exit_code == 1   # no such gateway here
    assert uplink.stats.tx_packets > before          # the ARP requests went out on the wire
    assert e.run("ping -c 1 -W 1 192.168.50.2").exit_code == 1


def test_leaving_removes_the_device_from_its_parent():
    e = _engine()
    uplink = e.kernel.init_net.interfaces["eth0"]
    assert len(uplink.macvlans) == 2
    assert e.run("docker rm -f m1 m2").exit_code == 0
    assert uplink.macvlans == []
    assert e.run("docker network rm mv").exit_code == 0
