"""Random sequences of realistic docker commands never crash the engine and
never break an invariant of the simulated host.

The grammar draws ``network create`` with random subnets and options,
``run``/``create``/``start``/``stop``/``rm``/``connect``/``disconnect`` with
names, networks, ``--ip``, ``-p``, ``--link`` and network modes from small
pools (so they collide), and ``exec`` of ping/nslookup/cat/ip.  After every
command: the result has an int exit code and str outputs, and
``netsim.invariants.check`` is empty.
"""
from __future__ import annotations

import shlex

from hypothesis import given, strategies as st

from netsim import invariants
from netsim.engine import Engine
from prop_support import examples

NAMES = ["c1", "c2", "web", "db"]
NETS = ["n1", "n2", "n3"]
TARGETS = NAMES + ["10.1.0.1", "10.1.0.2", "172.17.0.2", "172.18.0.2", "n1", "1.2.3.4", "localhost"]

octet = st.integers(0, 255)


@st.composite
def subnet(draw):
    a, b = draw(st.sampled_from([10, 172, 192])), draw(octet)
    prefix = draw(st.sampled_from([8, 12, 16, 20, 24, 28, 29, 30, 31, 32]))
    c = draw(st.sampled_from([0, 0, 0, 1, draw(octet)]))
    return f"{a}.{b}.{c}.0/{prefix}"


def ip_in(net: str | None):
    base = st.sampled_from(["10.1.0.", "10.2.0.", "172.17.0.", "172.18.0.", "192.168.1."])
    return st.builds(lambda b, n: f"{b}{n}", base, st.integers(0, 256))


@st.composite
def network_create(draw):
    parts = ["docker", "network", "create"]
    sub = draw(st.none() | subnet())
    if sub:
        parts += ["--subnet", sub]
        if draw(st.booleans()):
            parts += ["--gateway", draw(ip_in(sub))]
        if draw(st.booleans()):
            base = sub.split("/")[0]
            parts += ["--ip-range", f"{base}/{draw(st.integers(16, 32))}"]
        if draw(st.booleans()):
            parts += ["--aux-address", f"r={draw(ip_in(sub))}"]
    elif draw(st.integers(0, 5)) == 0:
        parts += ["--gateway", draw(ip_in(None))]
    if draw(st.integers(0, 4)) == 0:
        parts += ["--internal"]
    if draw(st.integers(0, 4)) == 0:
        parts += ["-o", draw(st.sampled_from([
            "com.docker.network.bridge.enable_icc=false", "com.docker.network.bridge.name=mybr0",
            "com.docker.network.bridge.name=docker0", "com.docker.network.driver.mtu=9000",
            "com.docker.network.driver.mtu=abc", "com.docker.network.bridge.enable_ip_masquerade=false"]))]
    if draw(st.integers(0, 6)) == 0:
        parts += ["-d", draw(st.sampled_from(["bridge", "host", "null", "overlay"]))]
    parts.append(draw(st.sampled_from(NETS + ["bridge", "host"])))
    return parts


PROGRAMS = [["sleep", "3600"], ["sleep", "1"], ["true"], ["sh", "-c", "exit 3"], ["nosuchcmd"],
            ["httpd", "-f", "-p", "80"], ["ping", "-c", "1", "c1"], ["cat", "/etc/hosts"]]


@st.composite
def run_or_create(draw):
    verb = draw(st.sampled_from(["run", "run", "create"]))
    parts = ["docker", verb]
    if verb == "run" and draw(st.integers(0, 5)) > 0:
        parts.append("-d")
    if draw(st.integers(0, 5)) > 0:
        parts += ["--name", draw(st.sampled_from(NAMES))]
    mode = draw(st.sampled_from([None, None, "bridge", "host", "none", *NETS,
                                 *[f"container:{n}" for n in NAMES], "nosuchnet"]))
    if mode:
        parts += ["--network", mode]
    if draw(st.integers(0, 3)) == 0:
        parts += ["--ip", draw(ip_in(None))]
    for _ in range(draw(st.integers(0, 2))):
        parts += ["-p", draw(st.sampled_from(["8080:80", "80", "127.0.0.1:8081:80", "8080:80/udp",
                                              "0:80", "65535:65535"]))]
    if draw(st.integers(0, 3)) == 0:
        t = draw(st.sampled_from(NAMES))
        parts += ["--link", draw(st.sampled_from([t, f"{t}:alias"]))]
    if draw(st.integers(0, 5)) == 0:
        parts += ["--network-alias", "al"]
    if draw(st.integers(0, 6)) == 0:
        parts += ["--rm"]
    if draw(st.integers(0, 6)) == 0:
        parts += ["--hostname", "hh"]
    parts.append("busybox")
    parts += draw(st.sampled_from(PROGRAMS))
    return parts


@st.composite
def lifecycle(draw):
    verb = draw(st.sampled_from([["start"], ["stop", "-t", "1"], ["stop"], ["rm"], ["rm", "-f"],
                                 ["restart", "-t", "0"], ["kill"], ["rename"]]))
    parts = ["docker", *verb, draw(st.sampled_from(NAMES))]
    if verb == ["rename"]:
        parts.append(draw(st.sampled_from(NAMES)))
    return parts


@st.composite
def connect(draw):
    if draw(st.booleans()):
        parts = ["docker", "network", "connect"]
        if draw(st.integers(0, 2)) == 0:
            parts += ["--ip", draw(ip_in(None))]
        if draw(st.integers(0, 3)) == 0:
            parts += ["--alias", "al"]
        if draw(st.integers(0, 4)) == 0:
            parts += ["--link", draw(st.sampled_from(NAMES))]
    else:
        parts = ["docker", "network", "disconnect"] + (["-f"] if draw(st.booleans()) else [])
    return parts + [draw(st.sampled_from(NETS + ["bridge", "host", "none"])),
                    draw(st.sampled_from(NAMES))]


@st.composite
def exec_(draw):
    prog = draw(st.sampled_from([
        ["ping", "-c", "1", "-W", "1", draw(st.sampled_from(TARGETS))],
        ["nslookup", draw(st.sampled_from(TARGETS))],
        ["cat", draw(st.sampled_from(["/etc/hosts", "/etc/resolv.conf", "/etc/hostname"]))],
        ["ip", draw(st.sampled_from(["addr", "route", "link", "neigh"]))],
        ["wget", "-q", "-O", "-", f"http://{draw(st.sampled_from(TARGETS))}/"],
        ["nosuchcmd"],
    ]))
    return ["docker", "exec", draw(st.sampled_from(NAMES))] + prog


@st.composite
def misc(draw):
    return draw(st.sampled_from([
        ["docker", "network", "rm", draw(st.sampled_from(NETS + ["bridge"]))],
        ["docker", "network", "prune", "-f"],
        ["docker", "network", "ls"],
        ["docker", "ps", "-a"],
        ["docker", "network", "inspect", draw(st.sampled_from(NETS))],
        ["docker", "inspect", draw(st.sampled_from(NAMES))],
        ["docker", "port", draw(st.sampled_from(NAMES))],
        ["ping", "-c", "1", "-W", "1", draw(st.sampled_from(TARGETS))],
        ["wget", "-q", "-O", "-", "http://127.0.0.1:8080/"],
    ]))


command = st.one_of(network_create(), run_or_create(), run_or_create(), lifecycle(), lifecycle(),
                    connect(), exec_(), misc()).map(shlex.join)


def run_checked(eng: Engine, line: str) -> None:
    res = eng.run(line)
    assert isinstance(res.exit_code, int), (line, res)
    assert isinstance(res.stdout, str) and isinstance(res.stderr, str), (line, res)
    assert "Traceback" not in res.stderr, (line, res.stderr)
    problems = invariants.check(eng)
    assert problems == [], (line, problems)


@examples(30)
@given(st.lists(command, min_size=1, max_size=25))
def test_random_command_sequences_keep_the_invariants(lines):
    eng = Engine()
    for line in lines:
        run_checked(eng, line)
