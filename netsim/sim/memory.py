"""The Python process's cyclic garbage collector during a simulation run.

A run allocates a stream of short-lived objects (frames, events, programs'
generators) beside a large model that lives as long as the engine (a
namespace, its devices, tables and files per container).  With CPython's
default threshold (a young collection every 700 net allocations) the
collector runs every few packets, and the survivors it promotes make the
older generations, which hold the whole model, be walked again and again:
about a tenth of the CPU of a 1,000-container run.  Reference counting frees
almost every frame and event the moment it is done with, so collecting
cycles ten to fifteen times less often costs little memory
(``bench/bench_memory.py``) and nothing else: the collector only decides
*when* unreachable cycles are freed, never what a simulation does.
"""
from __future__ import annotations

import gc

YOUNG_THRESHOLD = 10_000


def tune_for_batch_run() -> None:
    """Collect cycles less often; called by the ``netsim`` program and the
    benchmarks (a library user decides for their own process)."""
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, older, oldest)
