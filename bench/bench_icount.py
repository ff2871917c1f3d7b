"""Machine instructions per ping, counted by valgrind (deterministic).

CPU seconds on a shared machine move by ±30 % from run to run; the number of
instructions the interpreter executes does not.  This runs the all-pairs
scenario (``bench_allpairs.scenario``) under ``valgrind --tool=cachegrind``
twice, with the set-up only and with the set-up plus the first N ``docker
exec`` lines, and prints the difference per ping.  Use it to compare two
trees (a change's effect), not as a speed: the first execs of a run do more
ARP than the average one.

    python bench/bench_icount.py [--execs N] [--containers N --networks N] [TREE]

Needs valgrind (``apt-get install valgrind``).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

_WORKLOAD = """
import sys
tree, containers, networks, execs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
sys.path[:0] = [tree + "/bench", tree]
from bench_allpairs import scenario
from netsim.engine import Engine
try:
    from netsim.sim.memory import tune_for_batch_run
    tune_for_batch_run()
except ImportError:                 # a tree older than the GC setting: the same setting
    import gc
    gc.set_threshold(10000, 10, 10)
setup, pings = scenario(containers, networks)
e = Engine()
for line in setup + pings[:execs]:
    e.run(line)
"""


def instructions(tree: str, containers: int, networks: int, execs: int) -> int:
    cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
           sys.executable, "-c", _WORKLOAD, tree, str(containers), str(networks), str(execs)]
    env = dict(os.environ, PYTHONHASHSEED="0")
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    m = re.search(r"I\s+refs:\s+([\d,]+)", p.stderr)
    if p.returncode != 0 or not m:
        sys.exit(f"valgrind failed:\n{p.stderr[-2000:]}")
    return int(m.group(1).replace(",", ""))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("tree", nargs="?", default=str(HERE.parent), help="netsim source tree")
    ap.add_argument("--execs", type=int, default=10, help="docker exec lines to count")
    ap.add_argument("--containers", type=int, default=100)
    ap.add_argument("--networks", type=int, default=2)
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (apt-get install valgrind)")
    per = args.containers // args.networks
    base = instructions(args.tree, args.containers, args.networks, 0)
    total = instructions(args.tree, args.containers, args.networks, args.execs)
    pings = args.execs * (per - 1)
    print(f"{args.tree}: {(total - base) // pings:,} instructions per ping "
          f"({args.execs} execs, {pings} pings, {args.containers}/{args.networks})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
