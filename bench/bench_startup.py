"""Whole-process time of ``netsim run scenarios/custom_bridge.yaml`` (target:
median at most 0.4 s), plus the import time of ``netsim.cli.main``.

   python bench/bench_startup.py [--runs N]
Check what an import costs with ``python -X importtime -m netsim run ...``.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def timed(argv) -> float:
    t = time.perf_counter()
    p = subprocess.run(argv, cwd=REPO, capture_output=True)
    secs = time.perf_counter() - t
    if p.returncode not in (0, 1):
        raise SystemExit(p.stderr.decode())
    return secs


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=11)
    runs = ap.parse_args().runs
    py = sys.executable
    rows = [
        ("python -c pass", [py, "-c", "pass"]),
        ("import netsim.cli.main", [py, "-c", "import netsim.cli.main"]),
        ("netsim run custom_bridge", [py, "-m", "netsim", "run", "scenarios/custom_bridge.yaml"]),
        ("  ... --trace", [py, "-m", "netsim", "run", "scenarios/custom_bridge.yaml", "--trace"]),
    ]
    print(f"{'command':28} {'median s':>9} {'min s':>7}")
    result = {}
    for name, argv in rows:
        times = [timed(argv) for _ in range(runs)]
        result[name] = statistics.median(times)
        print(f"{name:28} {statistics.median(times):9.3f} {min(times):7.3f}")
    med = result["netsim run custom_bridge"]
    print(f"{'target (run)':28} {'<= 0.4':>9}  {'OK' if med <= 0.4 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
