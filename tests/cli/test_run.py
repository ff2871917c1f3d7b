"""``netsim run`` as a user runs it: transcript, --json, expectations, names."""
import json
import subprocess
import sys


def netsim(*args, input=None):
    return subprocess.run([sys.executable, "-m", "netsim", *args], capture_output=True, text=True,
                          input=input, timeout=120)


def test_json_has_one_object_per_step_with_the_documented_keys(tmp_path):
    f = tmp_path / "s.txt"
    f.write_text("docker network create x\ndocker network rm nosuch\n")
    out = netsim("run", str(f), "--json")
    assert out.returncode == 0, out.stderr
    steps = json.loads(out.stdout)
    assert [s["command"] for s in steps] == ["docker network create x", "docker network rm nosuch"]
    assert {"command", "exit_code", "stdout", "stderr"} <= set(steps[0])
    assert steps[1]["exit_code"] == 1
    assert steps[1]["stderr"] == "Error: No such network: nosuch\n"


def test_unmet_expectation_exits_1_and_names_the_step(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text("name: t\nsteps:\n  - run: docker network create x\n    expect: {exit_code: 3}\n")
    out = netsim("run", str(f))
    assert out.returncode == 1
    assert "step 1 (docker network create x): exit code 0, expected 3" in out.stderr


def test_plain_text_with_prompts_and_continuations(tmp_path):
    f = tmp_path / "paste.txt"
    f.write_text("# from a tutorial\n$ docker network create \\\n    demo\n\n$ docker network ls -q --filter name=demo\n")
    out = netsim("run", str(f), "--json")
    steps = json.loads(out.stdout)
    assert [s["command"] for s in steps] == ["docker network create demo",
                                            "docker network ls -q --filter name=demo"]
    assert steps[1]["stdout"] == steps[0]["stdout"][:12] + "\n"


def test_shell_reads_commands_until_exit():
    out = netsim("shell", input="docker network create lab\ndocker network ls --format '{{.Name}}'\nexit\n")
    assert out.returncode == 0
    assert "bridge\nhost\nlab\nnone\n" in out.stdout


def test_same_scenario_same_bytes():
    a = netsim("run", "custom_bridge", "--json").stdout
    b = netsim("run", "custom_bridge", "--json").stdout
    assert a == b and a.startswith("[")
