"""Running a scenario on a real engine, and side by side in netsim.

``engine_session`` guards a run: it refuses an engine that already holds
containers or user networks (unless forced) and, whatever happens — a failing
step, an exception, Ctrl-C or SIGTERM — removes what the scenario created.
"""
from __future__ import annotations

import datetime as _dt
import signal
from contextlib import contextmanager
from typing import Iterator

from .compare import Comparison, StepDiff
from .normalize import user_words
from .real import RealEngine


INTERNAL_ERROR = 70        # EX_SOFTWARE: what a step that crashed the simulator exits with


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


@contextmanager
def engine_session(real: RealEngine, force: bool = False):
    """Preflight, then yield; always clean up (``real.cleanup_problems`` lists failures)."""
    real.preflight(force)
    previous = signal.getsignal(signal.SIGTERM)
    try:
        signal.signal(signal.SIGTERM, _raise_interrupt)
    except ValueError:                      # not the main thread: Ctrl-C only
        previous = None
    try:
        yield real
    finally:
        try:
            old_int = signal.signal(signal.SIGINT, signal.SIG_IGN)   # a second Ctrl-C must not
        except ValueError:                                           # leave half a cleanup
            old_int = None
        try:
            real.cleanup_problems = real.cleanup()
        finally:
            if old_int is not None:
                signal.signal(signal.SIGINT, old_int)
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)


def differential(scenario, real: RealEngine, keep_going: bool = False,
                 comparison: Comparison | None = None) -> Iterator[StepDiff]:
    """Run each step on the real engine and in a fresh simulated engine; yield the
    comparison of each step.  Stops after the first differing step unless
    ``keep_going`` (later steps depend on the state the first difference left)."""
    from ..scenario.runner import check, make_engine
    sim = make_engine(scenario)
    commands = [s.run for s in scenario.steps]
    comparison = comparison or Comparison(keep=user_words(commands), real_roots=real.roots())
    for step in scenario.steps:
        r = real.run(step.run)
        notes = []
        try:
            s = sim.run(step.run).to_dict()
        except Exception as err:          # a simulator bug is a difference, not the end of the run
            s = {"stdout": "", "stderr": f"netsim: internal error: {type(err).__name__}: {err}\n",
                 "exit_code": INTERNAL_ERROR}
            notes.append("the simulator raised an exception on this step (shown as its stderr)")
        if step.expect:
            notes += [f"the scenario's expectation fails on the real engine: {f}"
                      for f in check(step.expect, r)]
        diff = comparison.add(step.run, r.to_dict(), s, notes)
        yield diff
        if not diff.match and not keep_going:
            return


def record_steps(scenario, real: RealEngine) -> Iterator[dict]:
    """The real engine's result of each step, as in ``tests/golden/*.json``."""
    for step in scenario.steps:
        yield real.run(step.run).to_dict()


def golden_document(case: str, engine: str, cli: str, busybox: str, steps: list[dict]) -> dict:
    """A recording in the format of ``tests/golden/*.json`` (see its README)."""
    return {"engine": engine, "cli": cli, "busybox": busybox,
            "recorded": _dt.date.today().isoformat(), "case": case, "steps": steps}
