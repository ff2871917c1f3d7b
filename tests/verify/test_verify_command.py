"""``netsim verify`` / ``netsim record`` end to end, without an engine.

The "real" side is a stand-in docker CLI (fakedocker.py) that replays a golden
recording of the reference engine and keeps the engine's state, so preflight,
cleanup, exit statuses, the terminal diff and the JSON are all exercised.
The broken-rule tests show that a simulator that deviates from the recording
fails verify with a diff a person can read.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fakedocker import FakeDocker, scenario_of
from netsim.cli.main import app
from netsim.daemon import ipam

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
ORDER = GOLDEN / "addr_order_user_network.json"        # 11 steps netsim matches
RECORDED = json.loads(ORDER.read_text())["steps"]


@pytest.fixture
def runner():
    return CliRunner()


def verify(runner, docker, scenario, *extra):
    return runner.invoke(app, ["verify", str(scenario), "--docker", str(docker.path), *extra])


def test_verify_matching_scenario_exits_0_and_cleans_up_newest_first(tmp_path, runner):
    docker = FakeDocker(tmp_path, ORDER)
    res = verify(runner, docker, scenario_of(ORDER, tmp_path))
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0].startswith("verifying addr_order_user_network (11 steps): real engine "
                               "20.10.24+dfsg1 via ")
    assert lines[1] == "ok   step 1: $ docker network create un"
    assert lines[-1] == "11 of 11 step(s) match"
    ids = {name: cid for name, cid in docker.read()["names"].items()}
    # the scenario's own `rm -f u1` aside, cleanup removes by id
    removals = [a for a in docker.log if a[:2] in (["rm", "-f"], ["network", "rm"])
                and len(a[2]) == 64]
    net = RECORDED[0]["stdout"].strip()
    assert removals == [["rm", "-f", ids["u5"]], ["rm", "-f", ids["u4"]], ["rm", "-f", ids["u3"]],
                        ["rm", "-f", ids["u2"]], ["network", "rm", net]]
    assert docker.read()["containers"] == [] and docker.read()["networks"] == []


def _hand_out_dot3_first(monkeypatch):
    """Break a simulator rule: the IPAM skips the lowest free address once."""
    original = ipam.AddressPool.request
    skipped = set()

    def request(self, preferred=None):
        if preferred is None and id(self) not in skipped and self.used:
            skipped.add(id(self))
            self.used.add(max(self.used) + 1)            # pretend .2 is taken
        return original(self, preferred)
    monkeypatch.setattr(ipam.AddressPool, "request", request)


def test_broken_ipam_fails_verify_with_a_readable_diff(tmp_path, runner, monkeypatch):
    _hand_out_dot3_first(monkeypatch)
    docker = FakeDocker(tmp_path, ORDER)
    res = verify(runner, docker, scenario_of(ORDER, tmp_path))
    assert res.exit_code == 1
    block = res.output.split("DIFF step 5: ", 1)[1]
    assert block.splitlines()[:8] == [
        "$ docker inspect -f '{{.Name}} {{range .NetworkSettings.Networks}}{{.IPAddress}} "
        "{{.MacAddress}}{{end}}' u1 u2 u3",
        "     --- stdout expected (real)",
        "     +++ stdout got (netsim)",
        "     @@ -1,3 +1,3 @@",
        "     -/u1 172.18.0.2 02:42:ac:12:00:02",
        "     -/u2 172.18.0.3 02:42:ac:12:00:03",
        "     -/u3 172.18.0.4 02:42:ac:12:00:04",
        "     +/u1 172.18.0.3 02:42:ac:12:00:03",
    ]
    # stops at the first difference, says so, and still cleans up
    assert res.output.splitlines()[-2:] == [
        "4 of 5 step(s) match (6 not run: stopped at the first difference; --keep-going runs all); "
        "differing: 5",
        "hint: an engine hands out subnets after the last one it used, even once its networks are "
        "removed: verify against a freshly started engine"]
    assert docker.read()["containers"] == [] and docker.read()["networks"] == []


def test_broken_ipam_json_and_keep_going(tmp_path, runner, monkeypatch):
    _hand_out_dot3_first(monkeypatch)
    docker = FakeDocker(tmp_path, ORDER)
    res = verify(runner, docker, scenario_of(ORDER, tmp_path), "--json", "--keep-going")
    assert res.exit_code == 1
    doc = json.loads(res.output)
    assert (doc["ok"], doc["steps_total"], doc["steps_run"]) == (False, 11, 11)
    assert doc["engine"] == doc["cli"] == "20.10.24+dfsg1"
    assert doc["differing"] == [5, 8, 10, 11]
    step = doc["steps"][4]
    assert step["differing"] == ["stdout"]
    assert step["expected"]["stdout"].startswith("/u1 172.18.0.2 ")
    assert step["got"]["stdout"].startswith("/u1 172.18.0.3 ")
    assert "-/u1 172.18.0.2 02:42:ac:12:00:02\n" in step["diff"]["stdout"]
    assert step["raw"]["real"] == {k: RECORDED[4][k] for k in ("stdout", "stderr", "exit_code")}


def test_changed_message_shows_in_stderr_diff(tmp_path, runner, monkeypatch):
    from netsim.apps.docker_cli import cli as docker_cli
    case = GOLDEN / "errors_container_ops.json"
    steps = json.loads(case.read_text())["steps"]
    i = next(i for i, s in enumerate(steps) if "No such container" in s["stderr"])
    original = docker_cli.DockerCli.execute

    def execute(self, argv):
        out = original(self, argv)
        out.stderr = out.stderr.replace("No such container", "No such box")
        return out
    monkeypatch.setattr(docker_cli.DockerCli, "execute", execute)
    docker = FakeDocker(tmp_path, case)
    res = verify(runner, docker, scenario_of(case, tmp_path, upto=i + 1), "--keep-going")
    assert res.exit_code == 1
    block = res.output.split(f"DIFF step {i + 1}: ", 1)[1]
    want = steps[i]["stderr"].splitlines()[0]
    assert f"     -{want}" in block.splitlines()
    assert f"     +{want.replace('No such container', 'No such box')}" in block.splitlines()


def test_refuses_an_engine_with_containers_unless_forced(tmp_path, runner):
    old = "f" * 64
    docker = FakeDocker(tmp_path, ORDER, containers=[old])
    res = verify(runner, docker, scenario_of(ORDER, tmp_path))
    assert res.exit_code == 2
    assert "already holds 1 container(s); addresses and subnets depend on what exists" in res.output
    assert "--force" in res.output
    assert not any(a[:1] == ["run"] for a in docker.log)
    res = verify(runner, FakeDocker(tmp_path, ORDER, containers=[old]), scenario_of(ORDER, tmp_path),
                 "--force")
    # the engine's own container stays; what the scenario created is removed
    assert res.exit_code == 0, res.output
    state = json.loads((tmp_path / "fake-docker-state.json").read_text())
    assert state["containers"] == [old] and state["networks"] == []


def test_no_engine_is_a_clear_error(tmp_path, runner):
    docker = FakeDocker(tmp_path, ORDER, down=True)
    res = verify(runner, docker, scenario_of(ORDER, tmp_path))
    assert res.exit_code == 2
    assert "netsim: no Docker Engine answers at " in res.output
    assert "Cannot connect to the Docker daemon" in res.output


def test_missing_docker_cli(tmp_path, runner):
    res = runner.invoke(app, ["verify", str(scenario_of(ORDER, tmp_path)), "--docker",
                              str(tmp_path / "nodocker")])
    assert res.exit_code == 2
    assert "docker CLI not found (use --docker PATH)" in res.output


def test_record_writes_a_golden_file(tmp_path, runner):
    docker = FakeDocker(tmp_path, ORDER)
    out = tmp_path / "out" / "case.json"
    res = runner.invoke(app, ["record", str(scenario_of(ORDER, tmp_path)), "-o", str(out),
                              "--docker", str(docker.path)])
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text())
    assert list(doc) == ["engine", "cli", "busybox", "recorded", "case", "steps"]
    assert (doc["engine"], doc["cli"], doc["case"]) == ("20.10.24+dfsg1", "20.10.24+dfsg1",
                                                        "addr_order_user_network")
    assert doc["steps"] == RECORDED
    assert docker.read()["containers"] == [] and docker.read()["networks"] == []


def test_cleanup_removes_the_volumes_and_images_the_scenario_created(tmp_path):
    """The engine's ``stop`` keeps volumes and images: verify removes the new ones
    (images newest first, after the containers), never what existed before."""
    from netsim.verify.real import RealEngine
    docker = FakeDocker(tmp_path, ORDER, volumes=["old"], images=["sha256:" + "a" * 64])
    real = RealEngine(str(docker.path))
    real.preflight()
    st = docker.read()
    st["volumes"] += ["mv", "0" * 64]
    st["images"] += ["sha256:" + "b" * 64, "sha256:" + "c" * 64]
    docker.state.write_text(json.dumps(st))
    assert real.cleanup() == []
    real.close()
    st = docker.read()
    assert st["volumes"] == ["old"] and st["images"] == ["sha256:" + "a" * 64]
    removals = [a for a in st["log"] if a[:2] in (["volume", "rm"], ["rmi", "-f"])]
    assert removals == [["volume", "rm", "0" * 64], ["volume", "rm", "mv"],
                        ["rmi", "-f", "sha256:" + "c" * 64], ["rmi", "-f", "sha256:" + "b" * 64]]
