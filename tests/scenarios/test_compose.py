"""docker-compose files: Compose v1's docker commands and ``up -d`` transcript."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from netsim.engine import Engine
from netsim.errors import ScenarioError
from netsim.scenario import load
from netsim.scenario.compose import actions, parse
from netsim.scenario.runner import run_scenario

EXAMPLE = Path(__file__).resolve().parents[2] / "netsim" / "scenarios" / "compose" / "docker-compose.yml"

SIMPLE = """\
services:
  db:
    image: busybox
    command: sleep 3600
  web:
    image: busybox
    command: ["sleep", "3600"]
    ports: ["8080:80"]
    links: ["db:database"]
    depends_on: [db]
"""


def test_project_name_is_the_normalized_directory_name(tmp_path):
    d = tmp_path / "My-App.v2"
    d.mkdir()
    assert parse(SIMPLE, str(d / "docker-compose.yml")).name == "my-appv2"
    assert parse("name: Demo\n" + SIMPLE, str(d / "docker-compose.yml")).name == "demo"


def test_the_docker_commands_compose_issues(tmp_path):
    p = parse(SIMPLE, str(tmp_path / "proj" / "docker-compose.yml"))
    argvs = [a.argv for a in actions(p)]
    assert argvs[0] == ["network", "create", "--label", "com.docker.compose.network=default",
                        "--label", "com.docker.compose.project=proj",
                        "--label", "com.docker.compose.version=1.29.2", "--attachable", "proj_default"]
    create_db, start_db, create_web, start_web = argvs[1:]
    assert create_db[:3] == ["create", "--name", "proj_db_1"]
    i = create_db.index("--network")
    assert create_db[i:i + 4] == ["--network", "proj_default", "--network-alias", "db"]
    assert create_db[-3:] == ["busybox", "sleep", "3600"]
    assert start_db == ["start", "proj_db_1"]
    assert create_web[create_web.index("-p") + 1] == "8080:80"
    assert create_web[create_web.index("--link") + 1] == "proj_db_1:database"
    assert start_web == ["start", "proj_web_1"]


def test_dependencies_start_first_and_cycles_are_refused(tmp_path):
    text = "services:\n  a: {image: busybox, depends_on: [b]}\n  b: {image: busybox}\n"
    assert [s.name for s in parse(text, "x/docker-compose.yml").services] == ["b", "a"]
    with pytest.raises(ScenarioError, match="Circular dependency"):
        parse("services:\n  a: {image: busybox, depends_on: [b]}\n  b: {image: busybox, depends_on: [a]}\n",
              "x/docker-compose.yml")
    with pytest.raises(ScenarioError, match='undefined network "nope"'):
        parse("services:\n  a: {image: busybox, networks: [nope]}\n", "x/docker-compose.yml")


def test_up_transcript(tmp_path):
    d = tmp_path / "proj"
    d.mkdir()
    (d / "docker-compose.yml").write_text(SIMPLE)
    eng = Engine()
    res = eng.run(f"docker-compose -f {d / 'docker-compose.yml'} up -d")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == ""
    assert res.stderr == ('Creating network "proj_default" with the default driver\n'
                          "Creating proj_db_1 ... \r\n"
                          "Creating proj_db_1 ... done\r\n"
                          "Creating proj_web_1 ... \r\n"
                          "Creating proj_web_1 ... done\r\n")
    assert eng.run("docker ps --format '{{.Names}}'").stdout == "proj_web_1\nproj_db_1\n"
    ping = eng.run("docker exec proj_web_1 ping -c 1 database")
    assert "1 packets received" in ping.stdout
    assert eng.run("docker exec proj_web_1 ping -c 1 db").exit_code == 0   # service name = network alias


def test_example_compose_file_meets_its_expectations():
    scenario = load(EXAMPLE)
    assert scenario.steps[0].run.startswith("docker-compose -f ")
    outcomes = list(run_scenario(scenario))
    assert [o.failures for o in outcomes if not o.ok] == []
    assert outcomes[0].result.stderr.startswith('Creating network "compose_back" with the default driver\n')


def test_netsim_run_compose_file():
    out = subprocess.run([sys.executable, "-m", "netsim", "run", str(EXAMPLE)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Creating compose_web_1 ... done" in out.stdout
