"""``netsim run --pcap DIR``: one readable, dissectable, reproducible pcap per interface."""
from __future__ import annotations

import shutil
import struct
import subprocess
import sys

import pytest

from netsim.engine import Engine
from netsim.kernel.packet import ARP, ETH_ARP, Ether
from netsim.trace.pcap import PcapError, file_name, pcap_bytes, write_pcaps

from .captures import read_pcap

SCENARIO = "scenarios/custom_bridge.yaml"


def run_cli(tmp, name):
    out = tmp / name
    p = subprocess.run([sys.executable, "-m", "netsim", "run", SCENARIO, "--pcap", str(out)],
                       capture_output=True, text=True, cwd=_repo())
    assert p.returncode == 0, p.stderr
    return out


def _repo():
    from pathlib import Path
    return Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pcap")
    return run_cli(tmp, "a"), run_cli(tmp, "b/nested")


def test_one_file_per_interface_and_byte_identical_runs(two_runs):
    a, b = two_runs
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    assert any(n.endswith("_eth0.pcap") for n in names)
    assert any(n.startswith("host_br-") for n in names)
    assert not [n for n in names if not n.endswith(".pcap")]      # no temp files left
    for n in names:
        assert (a / n).read_bytes() == (b / n).read_bytes(), n


def test_classic_pcap_header_and_records(two_runs):
    a, _ = two_runs
    data = (a / next(n for n in sorted(p.name for p in a.iterdir()) if n.endswith("_eth0.pcap"))).read_bytes()
    magic, major, minor, _, _, snap, link = struct.unpack("<IHHiIII", data[:24])
    assert (magic, major, minor, link) == (0xA1B2C3D4, 2, 4, 1)
    frames = read_pcap_path(a)
    assert frames and all(len(raw) >= 42 for _, raw in frames)


def read_pcap_path(d):
    out = []
    for p in sorted(d.iterdir()):
        out += read_pcap(p)
    return out


def test_timestamps_are_simulated_time_on_the_daemon_clock():
    e = Engine(pcap=True)
    e.run("docker network create capnet")
    e.run("docker run -d --name c1 --network capnet busybox sleep 3600")
    e.run("docker run -d --name c2 --network capnet busybox sleep 3600")
    e.run("docker exec c1 ping -c 1 c2")
    (t0, f0) = e.kernel.pcap[("c1", "eth0")][0]
    data = pcap_bytes([(t0, f0)], e.daemon.wallclock_ns)
    sec, usec, caplen, length = struct.unpack("<IIII", data[24:40])
    ns = e.daemon.wallclock_ns(t0)
    assert (sec, usec) == (ns // 10**9, ns % 10**9 // 1000)
    assert caplen == length == 42 == len(data) - 40     # an ARP request
    assert data[40:46] == b"\xff" * 6


@pytest.mark.skipif(shutil.which("tshark") is None,
                    reason="tshark is not installed (apt-get install tshark)")
def test_tshark_reads_and_dissects_arp_icmp_dns(two_runs):
    a, _ = two_runs
    protos = set()
    for p in sorted(a.iterdir()):
        r = subprocess.run(["tshark", "-r", str(p), "-T", "fields", "-e", "frame.protocols",
                            "-e", "_ws.malformed", "-e", "_ws.expert.severity"],
                           capture_output=True, text=True)
        assert r.returncode == 0, (p.name, r.stderr)
        for line in r.stdout.splitlines():
            fields = line.split("\t")
            assert fields[1:] in ([], [""], ["", ""]), (p.name, line)   # nothing malformed
            protos.update(fields[0].split(":"))
    assert {"eth", "arp", "ip", "icmp", "udp", "dns"} <= protos


@pytest.mark.skipif(shutil.which("tshark") is None,
                    reason="tshark is not installed (apt-get install tshark)")
def test_tshark_dns_names_in_the_container_lo_capture(two_runs):
    a, _ = two_runs
    lo = next(p for p in sorted(a.iterdir()) if p.name.endswith("_lo.pcap") and not p.name.startswith("host"))
    r = subprocess.run(["tshark", "-r", str(lo), "-Y", "dns.flags.response == 1", "-T", "fields",
                        "-e", "dns.qry.name", "-e", "dns.a", "-e", "udp.srcport"],
                       capture_output=True, text=True)
    rows = [line.split("\t") for line in r.stdout.splitlines()]
    assert rows and all(row[2] == "53" for row in rows)       # replies come from :53
    assert any(row[1].startswith("172.18.0.") for row in rows)


def test_refuses_to_replace_a_directory(tmp_path):
    e = Engine(pcap=True)
    e.run("docker network create capnet")
    e.run("docker run -d --name c1 --network capnet busybox sleep 3600")
    e.run("docker run -d --name c2 --network capnet busybox sleep 3600")
    e.run("docker exec c1 ping -c 1 c2")
    (tmp_path / file_name("c1", "eth0")).mkdir()
    with pytest.raises(PcapError, match="is a directory"):
        write_pcaps(e, tmp_path)
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(PcapError, match="not a directory"):
        write_pcaps(e, f)


def test_without_capture_enabled_is_an_error(tmp_path):
    with pytest.raises(PcapError, match="not enabled"):
        write_pcaps(Engine(), tmp_path)


def test_file_names_are_safe():
    assert file_name("host", "br-1a2b3c4d5e6f") == "host_br-1a2b3c4d5e6f.pcap"
    assert file_name("a/b", "eth0") == "a_b_eth0.pcap"


def test_arp_frame_bytes():
    frame = Ether("02:42:ac:12:00:02", "ff:ff:ff:ff:ff:ff", ETH_ARP,
                  ARP(ARP.REQUEST, "02:42:ac:12:00:02", "172.18.0.2", "00:00:00:00:00:00", "172.18.0.3"))
    data = pcap_bytes([(0.5, frame)], lambda t: int(t * 1e9))
    rec = data[40:]
    assert rec[:14] == bytes.fromhex("ffffffffffff0242ac1200020806")
    assert rec[14:22] == bytes.fromhex("0001080006040001")
    assert rec[-4:] == bytes([172, 18, 0, 3])
