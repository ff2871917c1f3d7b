"""Every bundled scenario, verified against the Docker Engine at DOCKER_HOST.

``netsim verify --keep-going --json`` runs each scenario on the real engine and
in netsim; every step must match, except the steps of ``EXCEPTIONS`` (each with
the reason it differs by design, and the only streams allowed to differ).
Scenarios the sealed reference engine cannot run at all are in ``CANNOT_RUN``.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from netsim import scenarios

SCENARIOS = scenarios.all_files()

# scenario -> why the sealed reference engine cannot run it (it holds only busybox)
CANNOT_RUN = {
    "seed_images": "uses the nginx, mysql, redis, alpine and tomcat images, which the sealed "
                   "reference engine does not have and cannot pull (it holds busybox only)",
}

# (scenario, command) -> (streams that may differ, why)
EXCEPTIONS = {
    ("errors", "docker run nosuchimage"): (
        {"stderr"},
        "the sealed reference engine cannot reach the registry (dial tcp 127.0.0.1:443); netsim "
        "prints an online engine's pull-access-denied message (../shared/DOCKER-FACTS.md, "
        "'Images that are not there')"),
}


def _params():
    for p in SCENARIOS:
        marks = [pytest.mark.skip(reason=CANNOT_RUN[p.stem])] if p.stem in CANNOT_RUN else []
        yield pytest.param(p, id=p.stem, marks=marks)


def unexpected_differences(name: str, doc: dict) -> list[str]:
    """The differing steps of a ``verify --json`` document that no exception allows."""
    problems = []
    for step in doc["steps"]:
        if step["match"]:
            continue
        allowed, _ = EXCEPTIONS.get((name, step["command"]), (set(), ""))
        if not set(step["differing"]) <= allowed:
            diff = "".join(step["diff"].values())
            problems.append(f"step {step['index']}: $ {step['command']} (differs in "
                            f"{', '.join(step['differing'])})\n{diff}"
                            + "".join(f"note: {n}\n" for n in step["notes"]))
    return problems


def test_exceptions_name_bundled_scenarios():
    stems = {p.stem for p in SCENARIOS}
    assert {name for name, _ in EXCEPTIONS} | set(CANNOT_RUN) <= stems


def test_only_the_listed_streams_of_a_listed_step_may_differ():
    doc = {"steps": [{"index": 92, "command": "docker run nosuchimage", "match": False,
                      "differing": ["stderr"], "diff": {"stderr": "-a\n+b\n"}, "notes": []},
                     {"index": 93, "command": "docker run nosuchimage", "match": False,
                      "differing": ["exit_code", "stderr"], "diff": {}, "notes": []},
                     {"index": 94, "command": "docker ps", "match": False,
                      "differing": ["stdout"], "diff": {"stdout": "-a\n+b\n"}, "notes": []}]}
    assert [p.split(":")[0] for p in unexpected_differences("errors", doc)] == ["step 93", "step 94"]
    assert len(unexpected_differences("other", doc)) == 3


@pytest.mark.live
@pytest.mark.parametrize("path", list(_params()))
def test_bundled_scenario_matches_the_real_engine(path, fresh_engine, restart_engine):
    """A scenario differs only if it differs on two fresh engines in a row: the real
    engine has races of its own (Go map order in listings, a short-lived program
    ending before or after ``docker start`` returns), which one run can hit."""
    first = _verify(path, fresh_engine)
    if not first[0]:
        return
    restart_engine()
    problems, stderr = _verify(path, fresh_engine)
    assert not problems, f"netsim verify {path.name} (twice):\n" + "\n".join(problems) + stderr


def _verify(path, docker: str) -> tuple[list[str], str]:
    p = subprocess.run([sys.executable, "-m", "netsim.cli.main", "verify", str(path), "--docker",
                        docker, "--keep-going", "--json"], capture_output=True, text=True,
                       timeout=1800, stdin=subprocess.DEVNULL)
    assert p.returncode in (0, 1), f"netsim verify {path.name} (exit {p.returncode}):\n{p.stdout}{p.stderr}"
    doc = json.loads(p.stdout)
    assert doc["steps_run"] == doc["steps_total"], doc
    problems = unexpected_differences(path.stem, doc)
    if not problems:
        assert (p.returncode == 0) == (doc["differing"] == []), p.stderr
    return problems, p.stderr
