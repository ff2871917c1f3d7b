"""No half-done state: a failing command changes nothing.

Each case builds a busy host, snapshots everything (networks, endpoints, IPAM
used sets and pools, port allocations, containers, every namespace's
interfaces, routes, iptables and sysctls: ``netsim.invariants.snapshot``),
runs one failing command, and compares.  A failing ``docker run`` keeps the
container it created, in state "created" with no sandbox and no endpoint, as
Docker shows it (tests/golden/errors_run.json, addr_fixed_ip.json,
addr_pool_exhaustion.json).
"""
from __future__ import annotations

import pytest

from netsim import invariants
from netsim.engine import Engine

SETUP = [
    "docker network create --subnet 10.9.9.0/30 tiny",
    "docker network create --subnet 172.25.0.0/16 --aux-address r=172.25.0.9 fixnet",
    "docker network create plain",
    "docker run -d --name t1 --network tiny busybox sleep 3600",
    "docker run -d --name f1 --network fixnet --ip 172.25.0.100 -p 8080:80 busybox httpd -f -p 80",
    "docker run -d --name b1 -p 9090:80 busybox sleep 3600",
    "docker run -d --name h1 --network host busybox sleep 3600",
    "docker run -d --name n1 --network none busybox sleep 3600",
    "docker run -d --name k1 --network container:b1 busybox sleep 3600",
    "docker create --name s1 busybox sleep 3600",
    "docker exec b1 ping -c 1 172.17.0.1",
]


@pytest.fixture(scope="module")
def busy_lines():
    eng = Engine()
    for line in SETUP:
        res = eng.run(line)
        assert res.exit_code == 0, (line, res)
    assert invariants.check(eng) == []
    return SETUP


def fresh(lines) -> Engine:
    eng = Engine()
    for line in lines:
        eng.run(line)
    return eng


NETWORK_CREATE_FAILURES = [
    ("docker network create tiny", "network with name tiny already exists"),
    ("docker network create --subnet 10.9.9.0/24 ov", "Pool overlaps with other one on this address space"),
    ("docker network create --subnet 300.1.1.0/24 bad", "invalid CIDR address"),
    ("docker network create --subnet 10.5.0.0/24 --gateway 10.6.0.1 bad", "no matching subnet for gateway"),
    ("docker network create --gateway 10.6.0.1 bad", "every ip-range or gateway must have a corresponding subnet"),
    ("docker network create --subnet 10.7.0.0/24 --ip-range 10.8.0.0/24 bad", "no matching subnet for range"),
    ("docker network create --subnet 10.7.0.0/24 --aux-address r=10.8.0.1 bad", ""),
    ("docker network create -d nosuchdriver bad", 'plugin "nosuchdriver" not found'),
    ("docker network create -d host bad", 'only one instance of "host" network is allowed'),
    ("docker network create bridge", ""),
    ("docker network create -o com.docker.network.driver.mtu=abc bad",
     'failed to parse com.docker.network.driver.mtu value: abc (strconv.Atoi: parsing "abc": invalid syntax)'),
    ("docker network create -o com.docker.network.driver.mtu=-1 bad", "invalid MTU number: -1"),
    ("docker network create -o com.docker.network.bridge.enable_icc=nah bad", "strconv.ParseBool"),
    ("docker network create -o com.docker.network.bridge.name=docker0 bad", "networks have same bridge name"),
    ("docker network create -o com.docker.network.bridge.name=eth0 bad", "already exists"),
    ("docker network create --bogus x", "unknown flag: --bogus"),
    ("docker network create --subnet 10.7.0.0/24 --ip-range 10.7.0.0/16 bad", "Invalid Address SubPool"),
]


@pytest.mark.parametrize("line,message", NETWORK_CREATE_FAILURES, ids=[c[0][22:] for c in NETWORK_CREATE_FAILURES])
def test_failing_network_create_changes_nothing(busy_lines, line, message):
    eng = fresh(busy_lines)
    before = invariants.snapshot(eng)
    res = eng.run(line)
    assert res.exit_code != 0 and message in res.stderr, res
    assert res.stdout == ""
    assert invariants.snapshot(eng) == before
    assert invariants.check(eng) == []


CONNECT_FAILURES = [
    ("docker network connect tiny b1", "no available IPv4 addresses on this network's address pools"),
    ("docker network connect --ip 172.25.0.100 fixnet b1", "Address already in use"),
    ("docker network connect --ip 172.25.0.9 fixnet b1", "Address already in use"),
    ("docker network connect --ip 172.25.0.1 fixnet b1", "Address already in use"),
    ("docker network connect --ip 10.0.0.5 fixnet b1", "does not belong to any of this network's subnets"),
    ("docker network connect --ip 172.18.0.50 plain b1", "user specified IP address is supported only"),
    ("docker network connect bridge b1", "endpoint with name b1 already exists in network bridge"),
    ("docker network connect host b1", "connected to host network"),
    ("docker network connect none b1", "private (none) mode"),
    ("docker network connect plain h1", "cannot be connected to any other network"),
    ("docker network connect plain n1", "private (none) mode"),
    ("docker network connect plain k1", "cannot be connected to any other network"),
    ("docker network connect nosuchnet b1", "network nosuchnet not found"),
    ("docker network connect plain nosuch", "No such container: nosuch"),
    ("docker network disconnect plain b1", "is not connected to network plain"),
    ("docker network disconnect host h1", "disconnected from host network"),
    ("docker network rm bridge", "pre-defined network and cannot be removed"),
    ("docker network rm tiny", "has active endpoints"),
]


@pytest.mark.parametrize("line,message", CONNECT_FAILURES, ids=[c[0][15:] for c in CONNECT_FAILURES])
def test_failing_connect_disconnect_rm_changes_nothing(busy_lines, line, message):
    eng = fresh(busy_lines)
    before = invariants.snapshot(eng)
    res = eng.run(line)
    assert res.exit_code == 1 and message in res.stderr, res
    assert invariants.snapshot(eng) == before
    assert invariants.check(eng) == []


EXEC_FAILURES = [
    ("docker exec s1 hostname", 1, "is not running"),
    ("docker exec nosuch hostname", 1, "No such container: nosuch"),
    ("docker exec b1 nosuchcmd", 126, ""),
    ("docker exec", 1, "requires at least 2 arguments"),
    ("docker exec --bogus b1 true", 125, "unknown flag: --bogus"),
]


@pytest.mark.parametrize("line,code,message", EXEC_FAILURES, ids=[c[0] for c in EXEC_FAILURES])
def test_failing_exec_changes_nothing(busy_lines, line, code, message):
    eng = fresh(busy_lines)
    before = invariants.snapshot(eng)
    res = eng.run(line)
    assert res.exit_code == code and message in res.stderr, res
    assert invariants.snapshot(eng) == before


RUN_FAILURES = [
    ("docker run -d --name x2 --network tiny busybox sleep 3600", 125,
     "no available IPv4 addresses on this network's address pools: tiny ("),
    ("docker run -d --name x3 --network fixnet --ip 172.25.0.100 busybox sleep 3600", 125,
     "docker: Error response from daemon: Address already in use.\n"),
    ("docker run -d --name x4 --network fixnet --ip 10.0.0.5 busybox sleep 3600", 125,
     "It does not belong to any of this network's subnets"),
    ("docker run -d --name x5 --network plain --ip 172.19.0.50 busybox sleep 3600", 125,
     "user specified IP address is supported only"),
    ("docker run -d --name x6 -p 9090:80 busybox sleep 3600", 125,
     "Bind for 0.0.0.0:9090 failed: port is already allocated"),
    ("docker run -d --name x7 -p 7000:70 -p 9090:80 busybox sleep 3600", 125,
     "Bind for 0.0.0.0:9090 failed: port is already allocated"),
    ("docker run -d --name x8 --network fixnet -p 8080:80 busybox sleep 3600", 125,
     "port is already allocated"),
    ("docker run -d --name x9 busybox nosuchcommand", 127, "executable file not found in $PATH"),
    ("docker run --name x10 --network plain busybox nosuchcommand", 127, "executable file not found"),
    ("docker run -d --name x11 --network nosuchnet busybox sleep 3600", 125, "network nosuchnet not found"),
    ("docker run -d --name x12 --network container:s1 busybox sleep 3600", 125,
     "cannot join network of a non running container"),
    ("docker run -d --name x13 --network container:nosuch busybox sleep 3600", 125, "No such container: nosuch"),
]


@pytest.mark.parametrize("line,code,message", RUN_FAILURES, ids=[c[0][14:40] for c in RUN_FAILURES])
def test_failing_run_keeps_a_created_container_and_nothing_else(busy_lines, line, code, message):
    eng = fresh(busy_lines)
    before = invariants.snapshot(eng)
    res = eng.run(line)
    assert res.exit_code == code and message in res.stderr, res
    after = invariants.snapshot(eng)
    new = set(after["containers"]) - set(before["containers"])
    assert len(new) == 1, "docker run creates the container before it fails to start it"
    cid = new.pop()
    created = after["containers"].pop(cid)
    assert (created["status"], created["sandbox"], created["endpoints"]) == ("created", None, [])
    assert res.stdout == (cid + "\n" if " -d " in line else "")
    assert after == before
    assert invariants.check(eng) == []
    ps = eng.run("docker ps -a --format '{{.Names}} {{.Status}}'").stdout
    assert f"{created['name']} Created\n" in ps


def test_failing_run_with_rm_leaves_no_container(busy_lines):
    eng = fresh(busy_lines)
    before = invariants.snapshot(eng)
    res = eng.run("docker run --rm --network tiny busybox true")
    assert res.exit_code == 125
    assert invariants.snapshot(eng) == before


def test_start_failure_of_a_created_container_changes_nothing_else(busy_lines):
    eng = fresh(busy_lines + ["docker create --name c9 --network fixnet --ip 172.25.0.100 busybox sleep 9"])
    before = invariants.snapshot(eng)
    res = eng.run("docker start c9")
    assert (res.exit_code, res.stderr) == (1, "Error response from daemon: Address already in use\n"
                                               "Error: failed to start containers: c9\n")
    assert invariants.snapshot(eng) == before


def test_ip_range_with_host_bits_is_masked_as_net_parsecidr_does(busy_lines):
    eng = fresh(busy_lines)
    res = eng.run("docker network create --subnet 10.7.0.0/16 --ip-range 10.7.1.5/24 rng")
    assert res.exit_code == 0, res
    res = eng.run("docker run -d --name r1 --network rng busybox sleep 9")
    ip = eng.run("docker inspect -f '{{.NetworkSettings.Networks.rng.IPAddress}}' r1").stdout
    assert ip == "10.7.1.0\n" or ip == "10.7.1.1\n", ip
    assert invariants.check(eng) == []
