"""1,000 containers on 20 user-defined networks; each pings every other
container of its network once by name (~49,000 pings, ARP and DNS included).

Generates the scenario (``bench/allpairs.txt``: one ``docker`` command per
line) and runs it as ``netsim run bench/allpairs.txt`` does (scenario loader,
runner, the program's GC setting) on one core; prints CPU and wall time of
the set-up and ping phases.  Target: the whole file in at most 10 s.
    python bench/bench_allpairs.py [--containers N] [--networks N] [--profile]
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
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
    ap.add_argument("--default-gc", action="store_true",
                    help="keep CPython's default GC thresholds (netsim run tunes them)")
    args = ap.parse_args()
    setup, pings = scenario(args.containers, args.networks)
    path = HERE / "allpairs.txt"
    path.write_text("\n".join(setup + pings) + "\n")
    from netsim.scenario import load
    from netsim.scenario.runner import make_engine, run_scenario
    from netsim.sim.memory import tune_for_batch_run
    if not args.default_gc:
        tune_for_batch_run()          # as the netsim program does

    # As `netsim run bench/allpairs.txt`: the file's steps through the scenario runner.
    t0, c0 = time.perf_counter(), time.process_time()
    scen = load(path)
    e = make_engine(scen)
    steps = run_scenario(scen, e)
    for _ in range(len(setup)):
        outcome = next(steps)
        assert outcome.result.exit_code == 0, (outcome.step.run, outcome.result.stderr)
    t1, c1 = time.perf_counter(), time.process_time()
    events0 = e.sched.events_run
    prof = cProfile.Profile() if args.profile else None
    if prof:
        prof.enable()
    received = 0
    for outcome in steps:
        received += outcome.result.stdout.count("1 packets received")
    if prof:
        prof.disable()
    t2, c2 = time.perf_counter(), time.process_time()
    npings = sum(line.count("ping -c 1") for line in pings)
    events = e.sched.events_run - events0
    print(f"{'phase':32} {'CPU s':>8} {'wall s':>8}")
    print(f"{'setup (networks, runs)':32} {c1 - c0:8.2f} {t1 - t0:8.2f}")
    print(f"{'pings':32} {c2 - c1:8.2f} {t2 - t1:8.2f}")
    print(f"{'whole scenario file':32} {c2 - c0:8.2f} {t2 - t0:8.2f}")
    print(f"{'containers / networks':32} {args.containers:>8} {args.networks:>8}")
    print(f"{'pings sent / answered':32} {npings:>8} {received:>8}")
    print(f"{'pings per CPU second':32} {npings / (c2 - c1):8.0f}")
    print(f"{'events in ping phase':32} {events:8d}")
    print(f"{'peak RSS (MB)':32} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:8.1f}")
    if (args.containers, args.networks) == (1000, 20):
        print(f"{'target: whole file <= 10 s CPU':32} {'met' if c2 - c0 <= 10 else 'MISSED':>8}")
    if prof:
        pstats.Stats(prof).sort_stats(args.sort).print_stats(60)
    return 0 if received == npings else 1


if __name__ == "__main__":
    sys.exit(main())
