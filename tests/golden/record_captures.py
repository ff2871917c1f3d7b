#!/usr/bin/env python3
"""Record packet captures of Docker networking on the reference engine.

Writes tests/golden/captures/<name>.pcap (raw, as captured with
``tcpdump -p -n -e -U -w``) and <name>.txt (``tcpdump -r FILE -n -e -v``,
IPv6 frames such as neighbour discovery/MLD filtered out with ``not ip6``).

Scenarios (each on a fresh engine):
  a) ping_by_name:   first ``ping -c 1 c2`` from c1 on a user-defined bridge.
     Captured on the br-* bridge (without -p promisc only broadcasts reach
     it), on c1's host-side veth, on c1's eth0 and on c1's lo (the DNS
     query to the embedded resolver 127.0.0.11 travels over lo).
  b) nslookup:       ``nslookup c2`` inside c1 (c1's lo and eth0).
  c) published_port: ``curl http://127.0.0.1:8081/`` from the host to a
     container started with ``-p 8081:8080`` running busybox httpd;
     captured on docker0 and on the host's lo (tcp port 8081 or 8080).

Traffic stays between containers created here and the host's loopback.
Needs root, tcpdump and nsenter.   python tests/golden/record_captures.py
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "captures"
REF = Path(os.environ.get("NETSIM_DOCKER_REFERENCE", "/work/shared/docker-reference"))
DOCKER = "/usr/bin/docker"
ENV: dict = {}


def die(msg: str) -> None:
    print(f"record_captures.py: error: {msg}", file=sys.stderr)
    sys.exit(2)


def docker(*args: str, check: bool = True) -> str:
    p = subprocess.run([DOCKER, *args], capture_output=True, text=True, env=ENV,
                       timeout=60)
    if check and p.returncode != 0:
        raise RuntimeError(f"docker {' '.join(args)}: {p.stderr}")
    return p.stdout + p.stderr if not check else p.stdout


def fresh_engine() -> None:
    subprocess.run([str(REF / "stop")], capture_output=True)
    p = subprocess.run([str(REF / "start")], capture_output=True, text=True)
    m = re.search(r"DOCKER_HOST=(\S+)", p.stdout)
    if p.returncode != 0 or not m:
        die("reference engine did not start\n" + p.stderr)
    ENV.clear()
    ENV.update(os.environ, DOCKER_HOST=m.group(1))


def pid_of(name: str) -> str:
    return docker("inspect", "-f", "{{.State.Pid}}", name).strip()


class Capture:
    """tcpdump running on an interface (optionally inside a netns)."""

    def __init__(self, name: str, iface: str, pid: str | None = None, filt: str = ""):
        self.path = OUT / f"{name}.pcap"
        self.name = name
        argv = ["tcpdump", "-p", "-n", "-e", "-U", "-i", iface, "-w", str(self.path)]
        if filt:
            argv += filt.split()
        if pid:
            argv = ["nsenter", "-t", pid, "-n"] + argv
        self.desc = " ".join(argv).replace(str(OUT) + "/", "")
        self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)

    def stop(self) -> None:
        time.sleep(0.5)
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        txt = subprocess.run(["tcpdump", "-r", str(self.path), "-n", "-e", "-v", "not", "ip6"],
                             capture_output=True, text=True).stdout
        header = f"# captured with: {self.desc}\n# shown with: tcpdump -r {self.path.name} -n -e -v not ip6\n"
        (OUT / f"{self.name}.txt").write_text(header + txt)
        print(f"  {self.name}: {len(txt.splitlines())} lines")


def start_all(caps: list[Capture]) -> None:
    time.sleep(1.5)  # let tcpdump attach


def scenario_ping_by_name(meta: dict) -> None:
    fresh_engine()
    docker("network", "create", "capnet")
    docker("run", "-d", "--name", "c1", "--network", "capnet", "busybox", "sleep", "3600")
    docker("run", "-d", "--name", "c2", "--network", "capnet", "busybox", "sleep", "3600")
    netid = docker("network", "inspect", "-f", "{{.Id}}", "capnet").strip()
    br = "br-" + netid[:12]
    time.sleep(2)  # let start-up chatter settle
    p1 = pid_of("c1")
    # The br-* device itself (without promiscuous mode) only receives the
    # broadcasts; the host-side veth of c1 sees every frame c1 sends/receives.
    idx = docker("exec", "c1", "cat", "/sys/class/net/eth0/iflink").strip()
    veth = subprocess.run(["bash", "-c", f"ip -o link | awk -F': ' '$1 == {idx} {{print $2}}' | cut -d@ -f1"],
                          capture_output=True, text=True).stdout.strip()
    caps = [Capture("ping_by_name_bridge", br),
            Capture("ping_by_name_c1_veth", veth),
            Capture("ping_by_name_c1_eth0", "eth0", p1),
            Capture("ping_by_name_c1_lo", "lo", p1)]
    start_all(caps)
    out = docker("exec", "c1", "ping", "-c", "1", "c2", check=False)
    for c in caps:
        c.stop()
    meta["ping_by_name"] = {
        "commands": ["docker network create capnet",
                     "docker run -d --name c1 --network capnet busybox sleep 3600",
                     "docker run -d --name c2 --network capnet busybox sleep 3600",
                     "docker exec c1 ping -c 1 c2"],
        "bridge": br, "c1_host_veth": veth, "output": out,
        "addresses": {n: docker("inspect", "-f",
                                "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{.MacAddress}}{{end}}",
                                n).strip() for n in ("c1", "c2")},
        "files": [c.name for c in caps]}


def scenario_nslookup(meta: dict) -> None:
    fresh_engine()
    docker("network", "create", "capnet")
    docker("run", "-d", "--name", "c1", "--network", "capnet", "busybox", "sleep", "3600")
    docker("run", "-d", "--name", "c2", "--network", "capnet", "busybox", "sleep", "3600")
    time.sleep(2)
    p1 = pid_of("c1")
    caps = [Capture("nslookup_c1_lo", "lo", p1), Capture("nslookup_c1_eth0", "eth0", p1)]
    start_all(caps)
    out = docker("exec", "c1", "nslookup", "c2", check=False)
    for c in caps:
        c.stop()
    nat = subprocess.run(["nsenter", "-t", p1, "-n", "iptables", "-t", "nat", "-S"],
                         capture_output=True, text=True).stdout
    meta["nslookup"] = {
        "commands": ["docker network create capnet",
                     "docker run -d --name c1 --network capnet busybox sleep 3600",
                     "docker run -d --name c2 --network capnet busybox sleep 3600",
                     "docker exec c1 nslookup c2"],
        "output": out, "container_nat_rules": nat,
        "files": [c.name for c in caps]}


def scenario_published_port(meta: dict) -> None:
    fresh_engine()
    docker("run", "-d", "--name", "web", "-p", "8081:8080", "busybox", "sleep", "3600")
    docker("exec", "web", "sh", "-c", "echo hello > /tmp/index.html")
    docker("exec", "-d", "web", "httpd", "-f", "-p", "8080", "-h", "/tmp")
    time.sleep(2)
    caps = [Capture("published_port_docker0", "docker0"),
            Capture("published_port_lo", "lo", filt="tcp port 8081 or tcp port 8080")]
    start_all(caps)
    out = subprocess.run(["curl", "-s", "http://127.0.0.1:8081/"], capture_output=True,
                         text=True, timeout=30).stdout
    for c in caps:
        c.stop()
    proxies = subprocess.run(["bash", "-c", "ps -eo args | grep '[d]ocker-proxy'"],
                             capture_output=True, text=True).stdout
    meta["published_port"] = {
        "commands": ["docker run -d --name web -p 8081:8080 busybox sleep 3600",
                     "docker exec web sh -c 'echo hello > /tmp/index.html'",
                     "docker exec -d web httpd -f -p 8080 -h /tmp",
                     "curl -s http://127.0.0.1:8081/"],
        "output": out, "docker_proxy_processes": proxies,
        "container": docker("inspect", "-f",
                            "{{.NetworkSettings.IPAddress}} {{.NetworkSettings.MacAddress}}",
                            "web").strip(),
        "files": [c.name for c in caps]}


def main() -> int:
    if os.geteuid() != 0:
        die("must run as root")
    for tool in ("tcpdump", "nsenter", "curl"):
        if not shutil.which(tool):
            die(f"{tool} not found (apt-get install tcpdump util-linux curl)")
    OUT.mkdir(exist_ok=True)
    meta: dict = {"engine": None}
    try:
        scenario_ping_by_name(meta)
        meta["engine"] = docker("version", "-f", "{{.Server.Version}}").strip()
        scenario_nslookup(meta)
        scenario_published_port(meta)
    finally:
        subprocess.run([str(REF / "stop")], capture_output=True)
    (OUT / "captures.json").write_text(json.dumps(meta, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
