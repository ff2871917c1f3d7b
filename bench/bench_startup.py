"""Whole-process time of ``netsim run scenarios/custom_bridge.yaml`` (target:
median at most 0.4 s), plus the import time of ``netsim.cli.main``.

   python bench/bench_startup.py [--runs N] [--bytecode]
Check what an import costs with ``python -X importtime -m netsim run ...``.

Reports wall time and the CPU time of the child process (user + system, from
``getrusage(RUSAGE_CHILDREN)``): on a shared machine the CPU time is the
stable number.  With ``PYTHONDONTWRITEBYTECODE`` set (as in some sandboxes)
every netsim module is compiled from source at each start; ``--bytecode``
runs with a bytecode cache (in a temporary ``PYTHONPYCACHEPREFIX``), as an
installed netsim does.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def timed(argv, env=None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child)"""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run(argv, cwd=REPO, capture_output=True, env=env)
    secs = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode not in (0, 1):
        raise SystemExit(p.stderr.decode())
    return secs, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--bytecode", action="store_true", help="run with a bytecode cache")
    args = ap.parse_args()
    runs = args.runs
    py = sys.executable
    env = None
    if args.bytecode:
        env = dict(os.environ, PYTHONPYCACHEPREFIX=tempfile.mkdtemp(prefix="netsim-pyc-"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for argv in ([py, "-m", "netsim", "run", "scenarios/custom_bridge.yaml"],):
            timed(argv, env)          # fills the cache
    rows = [
        ("python -c pass", [py, "-c", "pass"]),
        ("import netsim.cli.main", [py, "-c", "import netsim.cli.main"]),
        ("netsim run custom_bridge", [py, "-m", "netsim", "run", "scenarios/custom_bridge.yaml"]),
        ("  ... --trace", [py, "-m", "netsim", "run", "scenarios/custom_bridge.yaml", "--trace"]),
    ]
    print(f"{'command':28} {'median s':>9} {'min s':>7} {'median CPU s':>13}")
    result = {}
    for name, argv in rows:
        times = [timed(argv, env) for _ in range(runs)]
        wall = [w for w, _ in times]
        cpu = [c for _, c in times]
        result[name] = (statistics.median(wall), statistics.median(cpu))
        print(f"{name:28} {statistics.median(wall):9.3f} {min(wall):7.3f} {statistics.median(cpu):13.3f}")
    wall, cpu = result["netsim run custom_bridge"]
    print(f"{'target (run)':28} {'<= 0.4':>9}  wall {'OK' if wall <= 0.4 else 'MISSED'}, "
          f"CPU {'OK' if cpu <= 0.4 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
