"""The host's net-tools ifconfig and iproute2 IPv6 views (formats of
tests/golden/host_views_ipv6.json); containers keep busybox's views."""
from netsim import Engine
from netsim.apps.hosttools.ifconfig import bytes_scaled


def test_bytes_scaled_as_net_tools():
    assert bytes_scaled(0) == "0 (0.0 B)"
    assert bytes_scaled(526) == "526 (526.0 B)"
    assert bytes_scaled(1042) == "1042 (1.0 KiB)"
    assert bytes_scaled(157693966) == "157693966 (150.3 MiB)"


def test_ifconfig_lists_up_devices_by_name_and_a_lists_all():
    eng = Engine()
    out = eng.run("ifconfig").stdout
    assert [b.split(":")[0] for b in out.strip("\n").split("\n\n")] == ["docker0", "eth0", "lo"]
    assert out.startswith("docker0: flags=4099<UP,BROADCAST,MULTICAST>  mtu 1500\n"
                          "        inet 172.17.0.1  netmask 255.255.0.0  broadcast 172.17.255.255\n")
    assert ("lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536\n"
            "        inet 127.0.0.1  netmask 255.0.0.0\n"
            "        inet6 ::1  prefixlen 128  scopeid 0x10<host>\n"
            "        loop  txqueuelen 1000  (Local Loopback)\n") in out
    assert ("        inet6 fe80::fc:ff:fe00:1  prefixlen 64  scopeid 0x20<link>\n"
            "        inet6 fd00::2  prefixlen 64  scopeid 0x0<global>\n"
            "        ether 02:fc:00:00:00:01  txqueuelen 1000  (Ethernet)\n") in out
    assert out.endswith("        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0\n\n")
    full = eng.run("ifconfig -a").stdout
    assert ("ifb0: flags=130<BROADCAST,NOARP>  mtu 1500\n"
            "        ether e2:ae:9a:28:a7:2f  txqueuelen 32  (Ethernet)\n") in full
    r = eng.run("ifconfig nosuch")
    assert (r.stdout, r.stderr, r.exit_code) == ("", "nosuch: error fetching interface information: "
                                                     "Device not found\n", 1)


def test_ifconfig_running_follows_the_carrier():
    eng = Engine()
    eng.run("docker run -d --name c1 busybox sleep 3600")
    assert eng.run("ifconfig docker0").stdout.startswith("docker0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>")
    veth = next(d.name for d in eng.kernel.init_net.interfaces.values() if d.kind == "veth")
    block = eng.run(f"ifconfig {veth}").stdout
    assert "        inet6 fe80::" in block and "  txqueuelen 0  (Ethernet)\n" in block


def test_ip_6_addr_short_header_and_route():
    eng = Engine()
    assert eng.run("ip -6 addr").stdout == (
        "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 state UNKNOWN qlen 1000\n"
        "    inet6 ::1/128 scope host \n"
        "       valid_lft forever preferred_lft forever\n"
        "4: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1400 state UP qlen 1000\n"
        "    inet6 fd00::2/64 scope global nodad \n"
        "       valid_lft forever preferred_lft forever\n"
        "    inet6 fe80::fc:ff:fe00:1/64 scope link \n"
        "       valid_lft forever preferred_lft forever\n")
    assert eng.run("ip -6 route").stdout == (
        "fd00::/64 dev eth0 proto kernel metric 256 pref medium\n"
        "fe80::/64 dev eth0 proto kernel metric 256 pref medium\n"
        "default via fd00::1 dev eth0 metric 1024 pref medium\n")
    assert eng.run("ip -br addr show lo").stdout == "lo               UNKNOWN        127.0.0.1/8 ::1/128 \n"
    eng.run("docker run -d --name c1 busybox sleep 3600")
    shown = eng.run("ip -6 addr show docker0").stdout.splitlines()
    assert shown[0].endswith("qdisc noqueue state UP group default ")
    assert shown[1].startswith("    inet6 fe80::42:") and shown[1].endswith(" scope link tentative ")


def test_containers_keep_busybox_views_without_ipv6():
    eng = Engine()
    eng.run("docker run -d --name c1 busybox sleep 3600")
    out = eng.run("docker exec c1 ifconfig").stdout
    assert out.startswith("eth0      Link encap:Ethernet  HWaddr 02:42:AC:11:00:02  \n")
    assert "inet6" not in out and "inet6" not in eng.run("docker exec c1 ip addr").stdout
