"""The simulated host's shell and its iproute2/text tools (exact outputs)."""
from __future__ import annotations

import pytest

from netsim import Engine


@pytest.fixture
def eng():
    return Engine()


def test_pipeline_awk_fields(eng):
    r = eng.run("ip -4 -o addr show docker0 | awk '{print $2, $4}'")
    assert (r.stdout, r.stderr, r.exit_code) == ("docker0 172.17.0.1/16\n", "", 0)


def test_docker_inside_a_host_line_and_cut(eng):
    net_id = eng.run("docker network create hsnet").stdout.strip()
    r = eng.run("/usr/bin/docker network inspect -f '{{.Id}}' hsnet | cut -c1-12")
    assert r.stdout == net_id[:12] + "\n"


def test_route_linkdown_until_a_port_joins(eng):
    assert eng.run("ip route").stdout == (
        "default via 192.0.2.1 dev eth0 \n"
        "172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1 linkdown \n"
        "192.0.2.0/24 dev eth0 proto kernel scope link src 192.0.2.2 \n")
    eng.run("docker run -d --name c1 busybox sleep 3600")
    assert "src 172.17.0.1 \n" in eng.run("ip route | grep docker0").stdout


def test_missing_device_and_command(eng):
    r = eng.run("ip link show mybr0")
    assert (r.stdout, r.stderr, r.exit_code) == ("", 'Device "mybr0" does not exist.\n', 1)
    r = eng.run("nosuchtool -x")
    assert (r.stderr, r.exit_code) == ("bash: line 1: nosuchtool: command not found\n", 127)


def test_sleep_lets_time_pass(eng):
    t = eng.sched.now
    eng.run("sleep 2 && echo done")
    assert eng.sched.now - t >= 2.0


def test_sed_sort_awk_filters(eng):
    r = eng.run("echo -e 'b x\\na y\\nbr-12 z' | sed 's/br-.*/br-ID/' | sort")
    assert r.stdout == "a y\nb x\nbr-ID\n"
    r = eng.run("echo 'a:b:c' | awk -F: '$2 ~ /^b/ {print $3, NF}'")
    assert r.stdout == "c 3\n"
    r = eng.run("echo 'one two' | tr a-z A-Z | cut -d' ' -f2")
    assert r.stdout == "TWO\n"


def test_veth_shows_its_peer_namespace(eng):
    eng.run("docker run -d --name c1 busybox sleep 3600")
    line = eng.run("ip -o link show type veth").stdout
    assert line.split(": ")[2].startswith("<BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue "
                                          "master docker0 state UP mode DEFAULT group default \\")
    assert line.endswith(" brd ff:ff:ff:ff:ff:ff link-netnsid 0\n")


def _published(eng):
    eng.run("docker run -d --name hw -p 8081:8080 busybox sleep 3600")
    eng.run("docker exec hw sh -c 'echo hello > /tmp/index.html'")
    eng.run("docker exec -d hw httpd -f -p 8080 -h /tmp")


def test_gnu_wget_statuses(eng):
    _published(eng)
    r = eng.run("wget -qO- http://127.0.0.1:8081/")
    assert (r.stdout, r.stderr, r.exit_code) == ("hello\n", "", 0)
    assert eng.run("wget -qO- http://127.0.0.1:8081/nope").exit_code == 8
    r = eng.run("wget -O- http://localhost:8082/ 2>&1 | grep -v '^--'")
    assert r.stdout == ("Resolving localhost (localhost)... 127.0.0.1\n"
                        "Connecting to localhost (localhost)|127.0.0.1|:8082... failed: Connection refused.\n")
    r = eng.run("wget")
    assert (r.stderr, r.exit_code) == ("wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\n"
                                       "Try `wget --help' for more options.\n", 1)


def test_iptables_lists_the_kernel_tables(eng):
    eng.run("docker run -d --name web -p 8081:80 busybox sleep 3600")
    r = eng.run("iptables -t nat -L DOCKER -n --line-numbers")
    assert r.stdout == (
        "Chain DOCKER (2 references)\n"
        "num  target     prot opt source               destination         \n"
        "1    RETURN     0    --  0.0.0.0/0            0.0.0.0/0           \n"
        "2    DNAT       6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:8081 to:172.17.0.2:80\n")
    assert "-A DOCKER-USER -o eth0 -j DROP\n-A DOCKER-USER -j RETURN\n" in eng.run("iptables -S").stdout
