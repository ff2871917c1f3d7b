"""``netsim draw``: formats, --step, --path, errors."""
import json

from typer.testing import CliRunner

from netsim.cli.main import app
from netsim.viz import graph

from .test_draw import png_size

SCENARIO = """name: two on mynet
steps:
  - docker network create mynet
  - docker run -d --name tomcat81 --network mynet busybox sleep 3600
  - docker run -d --name tomcat82 --network mynet -p 8080:80 busybox httpd -f -p 80
  - docker exec tomcat82 ping -c 1 tomcat81
"""


def scenario(tmp_path):
    p = tmp_path / "two.yaml"
    p.write_text(SCENARIO)
    return str(p)


def run(*args):
    return CliRunner().invoke(app, ["draw", *args])


def containers(data):
    return sorted(n["name"] for n in data["nodes"] if n["kind"] == "container")


def test_json_to_stdout_round_trips(tmp_path):
    res = run(scenario(tmp_path), "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert containers(data) == ["tomcat81", "tomcat82"]
    g = graph.from_json(data)
    assert g.graph["title"] == "two on mynet"
    assert g.nodes["port:tcp:0.0.0.0:8080"]["container"] == "tomcat82"


def test_step_stops_the_scenario(tmp_path):
    res = run(scenario(tmp_path), "--format", "json", "--step", "2")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert containers(data) == ["tomcat81"]
    assert data["graph"]["title"] == "two on mynet (after step 2)"


def test_png_and_svg_files(tmp_path):
    out = tmp_path / "t.png"
    res = run(scenario(tmp_path), "-o", str(out))
    assert res.exit_code == 0, res.output
    assert res.stdout == f"{out}\n"
    w, h = png_size(out)
    assert w > 600 and h > 600
    svg = tmp_path / "t.svg"
    assert run(scenario(tmp_path), "-o", str(svg), "--format", "svg").exit_code == 0
    assert svg.read_bytes().startswith(b"<?xml")


def test_path_of_a_step(tmp_path):
    out = tmp_path / "p.png"
    res = run(scenario(tmp_path), "-o", str(out), "--path", "4")
    assert res.exit_code == 0, res.output
    plain = tmp_path / "plain.png"
    run(scenario(tmp_path), "-o", str(plain))
    (pw, ph), (w, h) = png_size(out), png_size(plain)
    assert pw == w and ph > h      # the hop list is added under the drawing


def test_errors(tmp_path):
    res = run(scenario(tmp_path), "--format", "gif", "-o", str(tmp_path / "x.gif"))
    assert res.exit_code == 2
    assert "netsim: --format: expected one of png, svg, json, got 'gif'" in res.output
    res = run(scenario(tmp_path), "--format", "png")
    assert res.exit_code == 2
    assert "-o FILE is required for png and svg" in res.output
    res = run(scenario(tmp_path), "--format", "json", "--path", "9")
    assert res.exit_code == 2
    assert "--path 9: the scenario has 4 steps" in res.output
    res = run(str(tmp_path / "missing.yaml"), "--format", "json")
    assert res.exit_code == 2
