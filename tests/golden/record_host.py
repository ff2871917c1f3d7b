#!/usr/bin/env python3
"""Record the facts of the reference host that netsim's simulated host must
default to, into tests/golden/host.json.

Starts a fresh reference engine (stop + start), reads the host's network
configuration and `docker info`, then stops the engine again.  Stdlib only.

    python tests/golden/record_host.py
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REF = Path(os.environ.get("NETSIM_DOCKER_REFERENCE", "/work/shared/docker-reference"))
DOCKER = "/usr/bin/docker"


def sh(cmd: str, env: dict | None = None) -> str:
    return subprocess.run(["bash", "-c", cmd], capture_output=True, text=True,
                          env=env).stdout


def main() -> int:
    if os.geteuid() != 0:
        print("record_host.py: error: must run as root", file=sys.stderr)
        return 2
    subprocess.run([str(REF / "stop")], capture_output=True)
    p = subprocess.run([str(REF / "start")], capture_output=True, text=True)
    m = re.search(r"DOCKER_HOST=(\S+)", p.stdout)
    if p.returncode != 0 or not m:
        print("record_host.py: error: reference engine did not start\n" + p.stderr,
              file=sys.stderr)
        return 2
    env = dict(os.environ, DOCKER_HOST=m.group(1))
    try:
        route = sh("ip route")
        dm = re.search(r"^default via (\S+) dev (\S+)", route, re.M)
        gw, uplink = (dm.group(1), dm.group(2)) if dm else (None, None)
        addr4 = sh("ip -4 -o addr")
        up = re.search(rf"^\d+:\s+{re.escape(uplink or '-')}\s+inet (\S+)", addr4, re.M)
        d0 = re.search(r"^\d+:\s+docker0\s+inet (\S+)", addr4, re.M)
        mac = sh(f"cat /sys/class/net/{uplink}/address").strip() if uplink else None
        mtu = sh(f"cat /sys/class/net/{uplink}/mtu").strip() if uplink else None
        info = json.loads(subprocess.run([DOCKER, "info", "-f", "{{json .}}"],
                                         capture_output=True, text=True, env=env).stdout)
        keep = ["Name", "ServerVersion", "KernelVersion", "OperatingSystem", "OSType",
                "Architecture", "NCPU", "MemTotal", "Driver", "DockerRootDir",
                "CgroupDriver", "CgroupVersion", "DefaultRuntime", "IndexServerAddress",
                "Plugins", "SecurityOptions", "LoggingDriver", "Containers",
                "ContainersRunning", "Images", "HttpProxy", "HttpsProxy", "NoProxy",
                "ExperimentalBuild", "LiveRestoreEnabled", "Isolation", "InitBinary"]
        ver = subprocess.run([DOCKER, "version", "-f", "{{json .}}"], capture_output=True,
                             text=True, env=env).stdout
        facts = {
            "recorded": _dt.date.today().isoformat(),
            "hostname": sh("hostname").strip(),
            "uname_r": sh("uname -r").strip(),
            "uplink": {"interface": uplink, "address": up.group(1) if up else None,
                       "mac": mac, "mtu": int(mtu) if mtu and mtu.isdigit() else mtu,
                       "gateway": gw},
            "docker0": {"address": d0.group(1) if d0 else None,
                        "mac": sh("cat /sys/class/net/docker0/address").strip()},
            "ip_4_o_addr": addr4,
            "ip_route": route,
            "ip_link": sh("ip -o link"),
            "resolv_conf": Path("/etc/resolv.conf").read_text(),
            "etc_hosts": Path("/etc/hosts").read_text(),
            "docker_info": {k: info.get(k) for k in keep},
            "docker_info_text": subprocess.run([DOCKER, "info"], capture_output=True,
                                               text=True, env=env).stdout,
            "docker_version": json.loads(ver) if ver.strip() else None,
            "docker_version_text": subprocess.run([DOCKER, "version"], capture_output=True,
                                                  text=True, env=env).stdout,
            "docker_cli_version_text": subprocess.run([DOCKER, "--version"],
                                                      capture_output=True, text=True).stdout,
            "images_text": subprocess.run([DOCKER, "images"], capture_output=True,
                                          text=True, env=env).stdout,
            "busybox_image": json.loads(subprocess.run(
                [DOCKER, "image", "inspect", "busybox"], capture_output=True, text=True,
                env=env).stdout or "null"),
            "notes": ("The reference daemon runs with --dns 127.0.0.1 (sealed), so "
                      "default-bridge containers get 'nameserver 127.0.0.1' rather than "
                      "the host's resolv.conf nameserver. /etc/hosts has a seal line "
                      "mapping registry names to 127.0.0.1 added by the start script."),
        }
    finally:
        subprocess.run([str(REF / "stop")], capture_output=True)
    out = HERE / "host.json"
    out.write_text(json.dumps(facts, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
