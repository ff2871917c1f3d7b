"""Storage steps print exactly what the reference engine printed.

Replays tests/golden/storage_*.json (recorded on Docker 20.10.24 + busybox 1.35)
in one fresh Engine per case and compares every step: stdout, stderr, exit
code.  Only what differs on every real run is normalised (ids, the data root,
timestamps, ``docker ps`` ages).  Steps netsim does not match yet are listed
in ``NOT_YET`` with the reason; they must keep failing (strict xfail) so the
list cannot go stale.
"""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest

from netsim import Engine

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
CASES = ["storage_cp", "storage_binds_tmpfs", "storage_volumes", "storage_layers"]

NOT_YET = {
}


def normalize(text: str) -> str:
    text = text.replace("/tmp/netsim-docker/data", "/var/lib/docker")
    text = re.sub(r"\b[0-9a-f]{64}\b", "<ID>", text)
    text = re.sub(r"\b[0-9a-f]{12}\b", "<SHORT>", text)
    text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "<TIME>", text)
    text = re.sub(r"(Less than a second|About a minute|About an hour|\d+ (?:second|minute|hour|day|week|month|year)s?)( ago)?", "<AGE>", text)
    return re.sub(r" {2,}", "  ", text)          # column widths follow the ages


@functools.lru_cache(maxsize=None)
def replay(case: str):
    steps = json.loads((GOLDEN / f"{case}.json").read_text())["steps"]
    engine = Engine()
    return steps, [engine.run(s["command"]) for s in steps]


def _params():
    for case in CASES:
        steps = json.loads((GOLDEN / f"{case}.json").read_text())["steps"]
        for i, step in enumerate(steps):
            marks = [pytest.mark.xfail(reason=NOT_YET[(case, i)], strict=True)] if (case, i) in NOT_YET else []
            yield pytest.param(case, i, id=f"{case}:{i}:{step['command'][:50]}", marks=marks)


def _sorted_if_random(case: str, i: int, text: str) -> str:
    """``volume ls`` sorts by name; an anonymous volume's random name moves its row."""
    cmd = json.loads((GOLDEN / f"{case}.json").read_text())["steps"][i]["command"]
    if cmd.startswith("docker volume ls"):
        lines = text.splitlines()
        head = [lines[0]] if lines and lines[0].startswith("DRIVER") else []
        return "\n".join(head + sorted(lines[len(head):]))
    return text


@pytest.mark.parametrize("case,i", list(_params()))
def test_step(case, i):
    steps, results = replay(case)
    want, got = steps[i], results[i]
    assert got.exit_code == want["exit_code"], (got.stdout, got.stderr)
    assert _sorted_if_random(case, i, normalize(got.stdout)) == _sorted_if_random(case, i, normalize(want["stdout"]))
    assert normalize(got.stderr) == normalize(want["stderr"])
