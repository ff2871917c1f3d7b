"""A stand-in docker CLI for tests: replays a golden recording and keeps state.

``install(tmp_path, golden, ...)`` writes an executable ``docker`` that
answers the queries ``netsim verify`` makes about the engine (info, version,
ps -aq, network ls/inspect, rm -f, network rm, volume ls/rm, images -aq,
rmi -f) from a JSON state file, and
answers every scenario line with the recorded step whose argv is the same.
Containers and networks printed by a successful run/create/network create are
added to the state, so cleanup can be checked; every call is logged.
"""
from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

SCRIPT = r'''#!{python}
import json, re, shlex, sys
STATE = {state!r}
with open(STATE) as f:
    st = json.load(f)
args = sys.argv[1:]
st["log"].append(args)
out, err, rc = "", "", 0
if args[:1] == ["info"]:
    if st.get("down"):
        err, rc = "Cannot connect to the Docker daemon at unix:///nowhere. Is the docker daemon running?\n", 1
    else:
        out = "/tmp/netsim-docker/data\n" if "DockerRootDir" in args[-1] else "20.10.24+dfsg1\n"
elif args[:1] == ["version"]:
    out = "20.10.24+dfsg1 20.10.24+dfsg1\n"
elif args == ["ps", "-aq", "--no-trunc"]:
    out = "".join(c + "\n" for c in reversed(st["containers"]))
elif args[:2] == ["network", "ls"]:
    out = "".join(n + "\n" for n in st["networks"])
elif args[:2] == ["network", "inspect"] and args[3:] and all(a in st["networks"] for a in args[3:]):
    out = "".join(f"{{st['networks'].index(n)}} {{n}}\n" for n in args[3:])
elif args[:2] == ["rm", "-f"] and args[2] in st["containers"]:
    st["containers"].remove(args[2]); out = args[2] + "\n"
elif args[:2] == ["network", "rm"] and args[2] in st["networks"]:
    st["networks"].remove(args[2]); out = args[2] + "\n"
elif args == ["volume", "ls", "-q"]:
    out = "".join(v + "\n" for v in sorted(st["volumes"]))
elif args == ["images", "-aq", "--no-trunc"]:
    out = "".join(i + "\n" for i in reversed(st["images"]))
elif args[:2] == ["volume", "rm"] and args[2] in st["volumes"]:
    st["volumes"].remove(args[2]); out = args[2] + "\n"
elif args[:2] == ["rmi", "-f"] and args[2] in st["images"]:
    st["images"].remove(args[2]); out = "Deleted: " + args[2] + "\n"
else:
    with open(st["golden"]) as f:
        steps = json.load(f)["steps"]
    for i, s in enumerate(steps):
        if i not in st["used"] and shlex.split(s["command"])[1:] == args:
            st["used"].append(i)
            out, err, rc = s["stdout"], s["stderr"], s["exit_code"]
            first = out.split("\n")[0]
            if rc == 0 and re.fullmatch(r"[0-9a-f]{{64}}", first):
                kind = "networks" if args[:2] == ["network", "create"] else "containers"
                st[kind].append(first)
                if "--name" in args:
                    st["names"][args[args.index("--name") + 1]] = first
            if rc == 0 and args[:1] == ["rm"]:
                for a in args[1:]:
                    if st["names"].get(a) in st["containers"]:
                        st["containers"].remove(st["names"][a])
            break
    else:
        err, rc = "fake docker: no recorded step for " + shlex.join(args) + "\n", 99
with open(STATE, "w") as f:
    json.dump(st, f)
sys.stdout.write(out); sys.stderr.write(err); sys.exit(rc)
'''


class FakeDocker:
    def __init__(self, folder: Path, golden: Path, containers=(), networks=(), down=False,
                 volumes=(), images=()):
        self.state = folder / "fake-docker-state.json"
        self.path = folder / "docker"
        self.state.write_text(json.dumps({"golden": str(golden), "containers": list(containers),
                                          "networks": list(networks), "used": [], "log": [], "names": {},
                                          "volumes": list(volumes), "images": list(images),
                                          "down": down}))
        self.path.write_text(SCRIPT.format(python=sys.executable, state=str(self.state)))
        self.path.chmod(self.path.stat().st_mode | stat.S_IXUSR)

    def read(self) -> dict:
        return json.loads(self.state.read_text())

    @property
    def log(self) -> list[list[str]]:
        return self.read()["log"]


def scenario_of(golden: Path, folder: Path, upto: int | None = None) -> Path:
    """A plain-text scenario with the commands of a recording."""
    steps = json.loads(golden.read_text())["steps"][:upto]
    path = folder / f"{golden.stem}.txt"
    path.write_text("".join(s["command"] + "\n" for s in steps))
    return path


assert os.name == "posix"
