"""Every bundled scenario, verified against the Docker Engine at DOCKER_HOST.

``netsim verify --keep-going`` runs each scenario on the real engine and in
netsim and must report every step matching (exit 0); its per-step diff is the
failure message.
"""
from __future__ import annotations

import subprocess
import sys

import pytest

from netsim import scenarios

SCENARIOS = scenarios.all_files()


@pytest.mark.live
@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_bundled_scenario_matches_the_real_engine(path, fresh_engine):
    p = subprocess.run([sys.executable, "-m", "netsim.cli.main", "verify", str(path), "--docker",
                        fresh_engine, "--keep-going"], capture_output=True, text=True, timeout=1800,
                       stdin=subprocess.DEVNULL)
    assert p.returncode == 0, f"netsim verify {path.name} (exit {p.returncode}):\n{p.stdout}{p.stderr}"
    assert p.stdout.splitlines()[-1].endswith(" step(s) match")
