"""Container capabilities: the set runc gives a container's processes, what
busybox's network tools may change with CAP_NET_ADMIN, --privileged on a
host whose runtime grants it, and --sysctl."""
import pytest

from netsim import Engine
from netsim.daemon.caps import DEFAULT_CAPABILITIES, tweak_capabilities
from netsim.daemon.daemon import HostConfig
from netsim.errors import InvalidParameter


def test_tweak_capabilities():
    assert tweak_capabilities(None, None, False) == frozenset(DEFAULT_CAPABILITIES)
    caps = tweak_capabilities(["net_admin", "CAP_SYS_TIME"], ["chown"], False)
    assert "CAP_NET_ADMIN" in caps and "CAP_SYS_TIME" in caps and "CAP_CHOWN" not in caps
    assert tweak_capabilities(["NET_ADMIN"], ["all"], False) == {"CAP_NET_ADMIN"}
    everything = tweak_capabilities(["ALL"], ["NET_RAW"], False)
    assert "CAP_SYS_ADMIN" in everything and "CAP_NET_RAW" not in everything
    assert "CAP_SYS_ADMIN" in tweak_capabilities(None, None, True)
    with pytest.raises(InvalidParameter, match='unknown capability: "CAP_FOO"'):
        tweak_capabilities(["foo"], None, False)


def test_exec_inherits_the_container_capabilities():
    e = Engine()
    e.run("docker run -d --name plain busybox sleep 3600")
    e.run("docker run -d --name admin --cap-add net_admin busybox sleep 3600")
    e.run("docker run -d --name dropped --cap-add NET_ADMIN --cap-drop ALL busybox sleep 3600")
    r = e.run("docker exec plain ip route add 10.1.0.0/16 dev eth0")
    assert (r.stderr, r.exit_code) == ("ip: RTNETLINK answers: Operation not permitted\n", 2)
    for name in ("admin", "dropped"):
        r = e.run(f"docker exec {name} ip route add 10.1.0.0/16 dev eth0")
        assert (r.stdout, r.stderr, r.exit_code) == ("", "", 0)
        assert "10.1.0.0/16 dev eth0 scope link \n" in e.run(f"docker exec {name} ip route").stdout


def test_link_down_up_and_addresses():
    e = Engine()
    e.run("docker run -d --name ca --cap-add NET_ADMIN busybox sleep 3600")
    e.run("docker run -d --name cb busybox sleep 3600")
    assert e.run("docker exec ca ip route add 10.2.0.0/16 via 172.17.0.3").exit_code == 0
    assert e.run("docker exec ca ip link set eth0 down").exit_code == 0
    assert e.run("docker exec ca ip route").stdout == ""
    assert e.run("docker exec ca ip link set eth0 up").exit_code == 0
    assert e.run("docker exec ca ip route").stdout == "172.17.0.0/16 dev eth0 scope link  src 172.17.0.2 \n"
    assert e.run("docker exec ca ping -c 1 -W 1 172.17.0.3").exit_code == 0
    # the last address leaving takes the device's routes
    assert e.run("docker exec ca ip addr del 172.17.0.2/16 dev eth0").exit_code == 0
    assert e.run("docker exec ca ip route").stdout == ""
    r = e.run("docker exec ca ip link set eth0 mtu 40")
    assert (r.stderr, r.exit_code) == ("ip: SIOCSIFMTU: Invalid argument\n", 2)


def test_arp_permanent_entry():
    e = Engine()
    e.run("docker run -d --name ca --cap-add NET_ADMIN busybox sleep 3600")
    assert e.run("docker exec ca arp -s 172.17.0.9 02:42:ac:11:00:09").exit_code == 0
    assert e.run("docker exec ca arp -n").stdout == "? (172.17.0.9) at 02:42:ac:11:00:09 [ether] PERM on eth0\n"
    assert "0x6" in e.run("docker exec ca cat /proc/net/arp").stdout
    assert e.run("docker exec ca arp -d 172.17.0.9").exit_code == 0
    assert e.run("docker exec ca arp -n").stdout == ""


def test_privileged_on_a_host_that_allows_it():
    e = Engine(host=HostConfig(privileged_containers=True))
    r = e.run("docker run -d --name pp --privileged busybox sleep 3600")
    assert r.exit_code == 0
    assert e.run("docker exec pp ip addr add 10.7.7.7/24 dev eth0").exit_code == 0
    assert e.run("docker inspect -f '{{.HostConfig.Privileged}}' pp").stdout == "true\n"
    refused = Engine()
    r = refused.run("docker run -d --name pp --privileged busybox sleep 3600")
    assert r.exit_code == 125 and "unable to apply caps: operation not permitted" in r.stderr
    assert refused.run("docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' pp").stdout == "created 128\n"


def test_sysctl_in_the_container_namespace():
    e = Engine()
    r = e.run("docker run --rm --sysctl net.ipv4.ping_group_range='0 0' --sysctl net.ipv4.ip_forward=0 "
              "busybox sh -c 'cat /proc/sys/net/ipv4/ping_group_range /proc/sys/net/ipv4/ip_forward'")
    assert r.stdout == "0\t0\n0\n"
