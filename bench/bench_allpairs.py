"""1,000 containers on 20 user-defined networks; each pings every other
container of its network once by name (~49,000 pings, ARP and DNS included).

Generates the scenario (``bench/allpairs.txt``: one ``docker`` command per
line), runs it in one Engine on one core and prints a small table.  Target:
the pings in at most 10 s.   python bench/bench_allpairs.py [--containers N]
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def scenario(containers: int = 1000, networks: int = 20) -> tuple[list[str], list[str]]:
    """(setup lines, ping lines): one exec per container pinging its peers in turn."""
    per = containers // networks
    setup, pings = [], []
    for n in range(networks):
        setup.append(f"docker network create net{n:02d}")
    names = {n: [f"n{n:02d}c{i:02d}" for i in range(per)] for n in range(networks)}
    for n in range(networks):
        for name in names[n]:
            setup.append(f"docker run -d --name {name} --network net{n:02d} busybox sleep 86400")
    for n in range(networks):
        for name in names[n]:
            peers = " && ".join(f"ping -c 1 {p}" for p in names[n] if p != name)
            pings.append(f"docker exec {name} sh -c '{peers}'")
    return setup, pings


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--containers", type=int, default=1000)
    ap.add_argument("--networks", type=int, default=20)
    ap.add_argument("--profile", action="store_true", help="cProfile the ping phase")
    ap.add_argument("--sort", default="tottime", help="pstats sort key for --profile")
    args = ap.parse_args()
    setup, pings = scenario(args.containers, args.networks)
    (HERE / "allpairs.txt").write_text("\n".join(setup + pings) + "\n")
    from netsim.engine import Engine

    t0 = time.perf_counter()
    e = Engine()
    for line in setup:
        r = e.run(line)
        assert r.exit_code == 0, (line, r.stderr)
    t1 = time.perf_counter()
    c1 = time.process_time()
    events0 = e.sched.events_run
    prof = cProfile.Profile() if args.profile else None
    if prof:
        prof.enable()
    received = 0
    for line in pings:
        r = e.run(line)
        received += r.stdout.count("1 packets received")
    if prof:
        prof.disable()
    t2 = time.perf_counter()
    cpu = time.process_time() - c1
    npings = sum(line.count("ping -c 1") for line in pings)
    events = e.sched.events_run - events0
    print(f"{'phase':28} {'seconds':>9}")
    print(f"{'setup (networks, runs)':28} {t1 - t0:9.2f}")
    print(f"{'pings (wall)':28} {t2 - t1:9.2f}")
    print(f"{'pings (CPU of this process)':28} {cpu:9.2f}")
    print(f"{'containers':28} {args.containers:9d}")
    print(f"{'pings sent / answered':28} {npings:>5}/{received}")
    print(f"{'pings per second':28} {npings / (t2 - t1):9.0f}")
    print(f"{'events in ping phase':28} {events:9d}")
    print(f"{'target (pings)':28} {'<= 10 s':>9}  {'OK' if t2 - t1 <= 10 else 'MISSED'}")
    if prof:
        pstats.Stats(prof).sort_stats(args.sort).print_stats(60)
    return 0 if received == npings else 1


if __name__ == "__main__":
    sys.exit(main())
