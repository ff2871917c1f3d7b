"""Event throughput: netsim's core vs SimPy vs a bare heapq loop (same run).

The workload is the simulator's: many processes, each sleeping a small delay
and waking, plus one-shot callbacks scheduled as frames are.  Prints events
per second for each.   python bench/bench_event_core.py [--events N]
"""
from __future__ import annotations

import argparse
import heapq
import sys
import time
from itertools import count
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PROCS = 1000


def netsim_core(n: int) -> float:
    from netsim.sim import Scheduler
    s = Scheduler()
    per = n // PROCS

    def proc():
        for _ in range(per):
            yield 1e-5
    for _ in range(PROCS):
        s.process(proc())
    t = time.perf_counter()
    s.run()
    return time.perf_counter() - t


def netsim_callbacks(n: int) -> float:
    from netsim.sim import Scheduler
    s = Scheduler()
    left = [n]

    def hop():
        left[0] -= 1
        if left[0] > 0:
            s.call_later(2e-5, hop)
    for _ in range(PROCS):
        s.call_soon(hop)
    t = time.perf_counter()
    s.run()
    return time.perf_counter() - t


def simpy_core(n: int) -> float | None:
    try:
        import simpy
    except ImportError:
        return None
    env = simpy.Environment()
    per = n // PROCS

    def proc(env):
        for _ in range(per):
            yield env.timeout(1e-5)
    for _ in range(PROCS):
        env.process(proc(env))
    t = time.perf_counter()
    env.run()
    return time.perf_counter() - t


def bare_heapq(n: int) -> float:
    q: list = []
    seq = count()
    now = 0.0
    left = [n]

    def hop():
        left[0] -= 1
        if left[0] > 0:
            heapq.heappush(q, (now + 2e-5, next(seq), hop))
    for _ in range(PROCS):
        heapq.heappush(q, (0.0, next(seq), hop))
    t = time.perf_counter()
    while q:
        now, _, fn = heapq.heappop(q)
        fn()
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=300_000)
    n = ap.parse_args().events
    rows = [("bare heapq loop (callbacks)", bare_heapq(n)),
            ("netsim Scheduler (callbacks)", netsim_callbacks(n)),
            ("netsim Scheduler (processes)", netsim_core(n)),
            ("SimPy 4 (processes)", simpy_core(n))]
    print(f"{'core':32} {'events':>9} {'seconds':>8} {'events/s':>11}")
    for name, secs in rows:
        if secs is None:
            print(f"{name:32} {'(not installed)':>30}")
            continue
        print(f"{name:32} {n:9d} {secs:8.3f} {n / secs:11,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
