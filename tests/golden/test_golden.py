"""netsim prints what the reference Docker Engine 20.10 printed.

Every recording ``tests/golden/<case>.json`` is replayed step by step in a fresh
``netsim.Engine()`` (the engine state carries on from step to step, as on the
reference host); each step is one test comparing stdout, stderr and the exit
code after ``normalize.py`` replaced what is random on every real run.

Steps that cannot match for a documented reason are in ``DOCUMENTED``; steps
that still fail because netsim is not finished are in ``known_failures.py``
(``xfail(strict=False)``, grouped by cause), so the suite stays green while
showing what is left.
"""
from __future__ import annotations

import difflib
import functools
import json
from pathlib import Path

import pytest

from netsim import Engine

from known_failures import KNOWN_FAILURES  # noqa: E402  (rootdir-relative test modules)
from normalize import normalize_case

HERE = Path(__file__).resolve().parent

# (case, step) -> why it can never match the sealed reference engine literally
DOCUMENTED = {
    ("errors_run", 0): "the sealed reference engine cannot reach the registry (dial tcp "
                       "127.0.0.1:443); netsim prints the online engine's pull-access-denied "
                       "message (DOCKER-FACTS.md, 'Images that are not there')",
}


def _cases() -> dict[str, list[dict]]:
    cases = {}
    for path in sorted(HERE.glob("*.json")):
        data = json.loads(path.read_text())
        if "steps" in data:
            cases[path.stem] = data["steps"]
    return cases


CASES = _cases()


@functools.lru_cache(maxsize=None)
def replay(case: str) -> tuple[list[dict], list[dict]]:
    """(recorded, netsim) steps of ``case``, both normalised."""
    recorded = CASES[case]
    engine = Engine()
    produced = []
    for step in recorded:
        try:
            res = engine.run(step["command"])
            out, err, code = res.stdout, res.stderr, res.exit_code
        except Exception as exc:      # this step fails; the next ones still run
            out, err, code = "", f"netsim raised {type(exc).__name__}: {exc}\n", -1
        produced.append({"command": step["command"], "stdout": out, "stderr": err,
                         "exit_code": code})
    return normalize_case(recorded), normalize_case(produced)


def _params():
    for case, steps in CASES.items():
        for i, _ in enumerate(steps):
            marks = []
            key = f"{case}:{i}"
            if (case, i) in DOCUMENTED:
                marks.append(pytest.mark.xfail(reason=DOCUMENTED[(case, i)], strict=True))
            elif key in KNOWN_FAILURES:
                marks.append(pytest.mark.xfail(reason=KNOWN_FAILURES[key], strict=False))
            yield pytest.param(case, i, id=key, marks=marks)


def _diff(label: str, want: str, got: str) -> str:
    lines = difflib.unified_diff(want.splitlines(keepends=True), got.splitlines(keepends=True),
                                 f"{label} (reference)", f"{label} (netsim)")
    return "".join(lines)


@pytest.mark.parametrize("case,index", list(_params()))
def test_step(case: str, index: int):
    want_steps, got_steps = replay(case)
    want, got = want_steps[index], got_steps[index]
    problems = []
    if want["exit_code"] != got["exit_code"]:
        problems.append(f"exit code: reference {want['exit_code']}, netsim {got['exit_code']}")
    for stream in ("stdout", "stderr"):
        if want[stream] != got[stream]:
            problems.append(_diff(stream, want[stream], got[stream]))
    assert not problems, f"$ {want['command']}\n" + "\n".join(problems)


def test_documented_xfails_exist():
    """Every documented exception names a recorded step."""
    for case, index in DOCUMENTED:
        assert case in CASES and index < len(CASES[case]), (case, index)
