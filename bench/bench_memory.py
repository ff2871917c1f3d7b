"""Resident memory of 1,000 running containers (target: at most 300 MB RSS).

Starts ``docker run -d ... busybox sleep 86400`` N times on 20 user-defined
networks in one Engine and reports the process's peak RSS.
   python bench/bench_memory.py [--containers N]
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--containers", type=int, default=1000)
    ap.add_argument("--networks", type=int, default=20)
    args = ap.parse_args()
    before = rss_mb()
    from netsim.engine import Engine
    from netsim.sim.memory import tune_for_batch_run
    tune_for_batch_run()              # as the netsim program does
    e = Engine()
    imported = rss_mb()
    per = args.containers // args.networks
    t = time.perf_counter()
    for n in range(args.networks):
        assert e.run(f"docker network create net{n:02d}").exit_code == 0
        for i in range(per):
            r = e.run(f"docker run -d --name n{n:02d}c{i:02d} --network net{n:02d} busybox sleep 86400")
            assert r.exit_code == 0, r.stderr
    secs = time.perf_counter() - t
    running = sum(1 for c in e.daemon.containers.values() if c.state.status == "running") \
        if hasattr(next(iter(e.daemon.containers.values())), "state") else len(e.daemon.containers)
    after = rss_mb()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'measure':34} {'value':>10}")
    print(f"{'python + imports (MB RSS)':34} {imported:10.1f}")
    print(f"{'containers running':34} {running:10d}")
    print(f"{'RSS with containers (MB)':34} {after:10.1f}")
    print(f"{'peak RSS (MB)':34} {peak:10.1f}")
    print(f"{'per container (KB)':34} {(after - imported) * 1024 / max(running, 1):10.1f}")
    print(f"{'time to start them (s)':34} {secs:10.2f}")
    print(f"{'target':34} {'<= 300 MB':>10}  {'OK' if peak <= 300 else 'MISSED'}")
    del before
    return 0


if __name__ == "__main__":
    sys.exit(main())
