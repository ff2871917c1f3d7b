#!/usr/bin/env python3
"""Record golden fixtures from the reference Docker Engine 20.10.

For each case file ``tests/golden/cases/<name>.txt`` this script stops and
starts the reference engine (so every case runs against a fresh engine),
runs each line of the case and writes ``tests/golden/<name>.json``.

Case file syntax: one command per line; ``#`` starts a comment line; a
trailing backslash continues a line; blank lines are ignored.

* ``docker ...``   runs ``/usr/bin/docker`` with the rest split by shlex (no shell),
  unless the line uses the shell (a pipe, ``$(...)``, ``&&``...: netsim's
  ``uses_shell``), which runs with ``bash -c`` as netsim runs it
* ``sleep N``      sleeps N seconds (recorded as a step with empty output)
* anything else    runs on the host with ``bash -c`` (use only against loopback)

Usage::

    python tests/golden/record.py [CASE ...]   # all cases when none named
    python tests/golden/record.py --list

Needs root and /work/shared/docker-reference/{start,stop}.  Stdlib and netsim.engine only
(PyYAML is allowed but not needed).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
from netsim.engine import uses_shell  # noqa: E402  (the project's own rule for shell lines)
CASES = HERE / "cases"
REF = Path(os.environ.get("NETSIM_DOCKER_REFERENCE", "/work/shared/docker-reference"))
START = REF / "start"
STOP = REF / "stop"
DOCKER = "/usr/bin/docker"
STEP_TIMEOUT = 30
BUSYBOX = "1.35"


def die(msg: str, code: int = 2) -> None:
    print(f"record.py: error: {msg}", file=sys.stderr)
    sys.exit(code)


def parse_case(path: Path) -> list[str]:
    """Return the commands of a case file (comments/blank lines dropped,
    backslash continuations joined)."""
    lines: list[str] = []
    buf = ""
    for raw in path.read_text().splitlines():
        line = raw.rstrip()
        if not buf and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.endswith("\\"):
            buf += line[:-1].rstrip() + " "
            continue
        buf += line.strip() if buf else line.strip()
        lines.append(buf.strip())
        buf = ""
    if buf.strip():
        lines.append(buf.strip())
    return lines


def all_cases() -> list[str]:
    return sorted(p.stem for p in CASES.glob("*.txt"))


def stop_engine() -> None:
    subprocess.run([str(STOP)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start_engine() -> dict:
    """Start a fresh engine; return the environment to run docker with."""
    proc = subprocess.run([str(START)], capture_output=True, text=True)
    if proc.returncode != 0:
        die("the reference engine did not start:\n" + proc.stderr.strip())
    env = dict(os.environ)
    m = re.search(r"DOCKER_HOST=(\S+)", proc.stdout)
    if not m:
        die("start did not print DOCKER_HOST:\n" + proc.stdout + proc.stderr)
    env["DOCKER_HOST"] = m.group(1).strip("'\"")
    # the old CLI must not try to talk to a newer-client context
    env.pop("DOCKER_CONTEXT", None)
    env["DOCKER_CLI_HINTS"] = "false"
    # `docker` inside a bash -c line is the 20.10 CLI too, not another one on PATH
    shim = tempfile.mkdtemp(prefix="netsim-record-")
    os.symlink(DOCKER, os.path.join(shim, "docker"))
    env["PATH"] = shim + os.pathsep + env.get("PATH", "")
    return env


def versions(env: dict) -> tuple[str, str]:
    def q(fmt: str) -> str:
        p = subprocess.run([DOCKER, "version", "-f", fmt], capture_output=True,
                           text=True, env=env)
        return p.stdout.strip()
    return q("{{.Server.Version}}"), q("{{.Client.Version}}")


def run_step(cmd: str, env: dict) -> dict:
    step = {"command": cmd, "stdout": "", "stderr": "", "exit_code": 0}
    m = re.fullmatch(r"sleep\s+([0-9.]+)", cmd)
    if m:
        time.sleep(float(m.group(1)))
        return step
    if cmd.startswith("docker ") and not uses_shell(cmd):
        argv = [DOCKER] + shlex.split(cmd[len("docker "):])
    else:
        argv = ["bash", "-c", cmd]      # `docker` in it is DOCKER (the PATH shim)
    try:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                           env=env, timeout=STEP_TIMEOUT)
        out, err, rc = p.stdout, p.stderr, p.returncode
    except subprocess.TimeoutExpired as e:
        out, err, rc = e.stdout or b"", e.stderr or b"", 124
    step["stdout"] = out.decode("utf-8", "replace")
    step["stderr"] = err.decode("utf-8", "replace")
    step["exit_code"] = rc
    return step


def record(name: str) -> dict:
    path = CASES / f"{name}.txt"
    if not path.exists():
        die(f"no such case: {name} ({path})")
    commands = parse_case(path)
    stop_engine()
    env = start_engine()
    engine, cli = versions(env)
    result = {
        "engine": engine,
        "cli": cli,
        "busybox": BUSYBOX,
        "recorded": _dt.date.today().isoformat(),
        "case": name,
        "steps": [],
    }
    try:
        for cmd in commands:
            step = run_step(cmd, env)
            result["steps"].append(step)
            flag = "" if step["exit_code"] == 0 else f"  [exit {step['exit_code']}]"
            print(f"  $ {cmd}{flag}", flush=True)
    finally:
        stop_engine()
    out = HERE / f"{name}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return result


def preflight() -> None:
    if os.geteuid() != 0:
        die("must run as root (the reference engine needs root to start)")
    for p in (START, STOP):
        if not os.access(p, os.X_OK):
            die(f"reference engine script missing or not executable: {p}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("cases", nargs="*", help="case names (default: all)")
    ap.add_argument("--list", action="store_true", help="list cases and exit")
    args = ap.parse_args(argv)
    if args.list:
        for c in all_cases():
            print(c)
        return 0
    names = [Path(c).stem if c.endswith(".txt") else c for c in args.cases] or all_cases()
    for n in names:
        if not (CASES / f"{n}.txt").exists():
            die(f"no such case: {n}")
    preflight()
    for n in names:
        print(f"== {n}", flush=True)
        record(n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
