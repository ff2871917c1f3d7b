"""Limits: long scenarios stream in bounded memory, many containers, and
absurd values give errors or finish -- never a hang.

The CI sizes are small; ``NETSIM_BIG=1`` runs the documented sizes
(100,000 steps, 10,000 containers): see docs/robustness.md.
"""
from __future__ import annotations

import inspect
import os
import time
import tracemalloc

import pytest

from netsim import invariants
from netsim.engine import Engine
from netsim.scenario.loader import Scenario, Step
from netsim.scenario.runner import run_scenario

BIG = bool(os.environ.get("NETSIM_BIG"))
STEPS = 100_000 if BIG else 3_000
CONTAINERS = 10_000 if BIG else 300


def test_a_long_scenario_streams_in_bounded_memory():
    steps = [Step("docker run -d --name aa busybox sleep 99999999")]
    steps += [Step("docker network ls" if i % 2 else "docker exec aa ping -c 1 172.17.0.1")
              for i in range(STEPS)]
    outcomes = run_scenario(Scenario("long", steps))
    assert inspect.isgenerator(outcomes)
    tracemalloc.start()
    try:
        marks = {}
        for o in outcomes:
            assert o.result.exit_code == 0, o.result
            if o.index in (STEPS // 3, STEPS):
                marks[o.index] = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    growth = marks[STEPS] - marks[STEPS // 3]
    # the engine keeps the last 1,000 results and conntrack entries time out:
    # what grows must not be proportional to the number of steps
    assert growth < 1_500_000, f"{growth} bytes more after {STEPS - STEPS // 3} more steps"


def test_conntrack_entries_time_out():
    eng = Engine()
    eng.run("docker run -d --name aa busybox sleep 99999999")
    for _ in range(300):
        eng.run("docker exec aa ping -c 1 172.17.0.1")
    ct = eng.daemon.kernel.init_net.netfilter.conntrack
    assert len(ct.by_orig) == 300            # each ping is a flow (its own ICMP id)
    eng.run("sleep 31")
    for _ in range(300):
        eng.run("docker exec aa ping -c 1 172.17.0.1")
    assert len(ct.by_orig) <= 300            # not 600: the expired ones were swept while confirming
    eng.run("sleep 31")
    ct.expire()
    assert len(ct.by_orig) == 0


def test_many_containers():
    eng = Engine()
    assert eng.run("docker network create --subnet 10.128.0.0/9 big").exit_code == 0
    start = time.time()
    for i in range(CONTAINERS):
        res = eng.run(f"docker run -d --name c{i:05d} --network big busybox sleep 99999999")
        assert res.exit_code == 0, res
    assert eng.run("docker exec c00000 ping -c 1 c%05d" % (CONTAINERS - 1)).exit_code == 0
    assert invariants.check(eng) == []
    assert len(eng.run("docker ps -q").stdout.split()) == CONTAINERS
    assert time.time() - start < (3600 if BIG else 60)


ABSURD = [
    # (command, exit code, what stderr holds) -- each must finish quickly
    ("docker network create --subnet 0.0.0.0/1 huge", 0, ""),
    ("docker run -d --name hh --network huge busybox sleep 99999999", 0, ""),
    ("docker run -d --name cy --network container:cy busybox sleep 9", 125, "docker: Error response from daemon: "),
    ("docker exec hh ping -c 1000000 -i 0.2 0.0.0.1", 0, ""),
    ("docker run --name fg busybox sleep 99999999", 137, ""),
    ("docker exec hh sleep 99999999", 0, ""),
    ("docker run -d --name pp -p 1-65535:1-65535 busybox sleep 99999999", 0, ""),
]


@pytest.mark.parametrize("line,code,message", ABSURD, ids=[a[0][:45] for a in ABSURD])
def test_absurd_values_finish(absurd_engine, line, code, message):
    start = time.time()
    res = absurd_engine.run(line)
    assert res.exit_code == code and message in res.stderr, res
    assert time.time() - start < 120
    assert invariants.check(absurd_engine) == []


@pytest.fixture(scope="module")
def absurd_engine():
    return Engine()


def test_a_container_chain_and_a_cycle():
    eng = Engine()
    eng.run("docker run -d --name ch0 busybox sleep 99999999")
    for i in range(1, 50):
        res = eng.run(f"docker run -d --name ch{i} --network container:ch{i - 1} busybox sleep 99999999")
        assert res.exit_code == 0, res
    out = eng.run("docker exec ch49 ip -4 -o addr show eth0").stdout
    assert "172.17.0.2/16" in out
    # a cycle cannot be built: a provider must be running, and a container is not before it starts
    eng.run("docker create --name x1 --network container:x2 busybox sleep 9")
    eng.run("docker create --name x2 --network container:x1 busybox sleep 9")
    assert eng.run("docker start x1").exit_code == 1
    assert eng.run("docker start x2").exit_code == 1
    assert invariants.check(eng) == []


def test_a_10_mb_command_line_is_an_error_not_a_hang():
    eng = Engine()
    start = time.time()
    res = eng.run("docker run -d --name " + "a" * 10_000_000 + " busybox true")
    assert res.exit_code == 0        # Docker's name rule has no length limit
    res = eng.run("docker run -d --name " + "a" * 10_000_000 + "! busybox true")
    assert res.exit_code == 125 and "Invalid container name" in res.stderr
    res = eng.run("echo " + "x" * 10_000_000)
    assert isinstance(res.exit_code, int)
    res = eng.run("docker network create " + "'" + "n" * 10_000_000)
    assert res.exit_code == 2 and "cannot parse command line" in res.stderr
    assert time.time() - start < 60
