"""Running a scenario in a fresh engine and checking its expectations."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from ..daemon import HostConfig
from .loader import Scenario


@dataclass
class StepOutcome:
    index: int
    step: object
    result: object
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def check(expect: dict, res) -> list[str]:
    fails = []
    if "exit_code" in expect and res.exit_code != expect["exit_code"]:
        fails.append(f"exit code {res.exit_code}, expected {expect['exit_code']}")
    if "stdout" in expect and res.stdout != expect["stdout"]:
        fails.append(f"stdout {res.stdout!r}, expected {expect['stdout']!r}")
    if "stdout_contains" in expect and str(expect["stdout_contains"]) not in res.stdout:
        fails.append(f"stdout does not contain {expect['stdout_contains']!r}")
    if "stdout_not_contains" in expect and str(expect["stdout_not_contains"]) in res.stdout:
        fails.append(f"stdout contains {expect['stdout_not_contains']!r}")
    if "stdout_regex" in expect and not re.search(expect["stdout_regex"], res.stdout, re.M):
        fails.append(f"stdout does not match /{expect['stdout_regex']}/")
    if "stderr" in expect and res.stderr != expect["stderr"]:
        fails.append(f"stderr {res.stderr!r}, expected {expect['stderr']!r}")
    if "stderr_regex" in expect and not re.search(expect["stderr_regex"], res.stderr, re.M):
        fails.append(f"stderr does not match /{expect['stderr_regex']}/")
    if "stderr_contains" in expect and str(expect["stderr_contains"]) not in res.stderr:
        fails.append(f"stderr does not contain {expect['stderr_contains']!r}")
    return fails


def make_engine(scenario: Scenario, trace: bool = False, pcap: bool = False, seed: int | None = None):
    from ..engine import Engine
    host = HostConfig(**scenario.host) if scenario.host else None
    return Engine(seed=scenario.seed if seed is None else seed, host=host, trace=trace, pcap=pcap)


def run_scenario(scenario: Scenario, engine=None, stop_after: int | None = None) -> Iterator[StepOutcome]:
    """Yield each step's outcome as it runs (results stream: no unbounded lists)."""
    engine = engine or make_engine(scenario)
    for i, step in enumerate(scenario.steps):
        if stop_after is not None and i >= stop_after:
            return
        res = engine.run(step.run)
        yield StepOutcome(i, step, res, check(step.expect, res))
