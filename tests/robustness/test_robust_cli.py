"""``netsim`` on bad input: one line on stderr, exit status 2, never a traceback;
outputs it writes appear atomically and never replace a directory; ``--json``
is byte-identical from run to run and from process to process."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCENARIO = """\
docker network create mynet
docker run -d --name web --network mynet -p 8080:80 busybox httpd -f -p 80
docker run --rm --network mynet busybox wget -q -O - http://web/
docker exec web ping -c 2 web
docker network inspect -f '{{.Id}} {{json .IPAM.Config}}' mynet
docker inspect -f '{{.Id}} {{.NetworkSettings.Networks.mynet.MacAddress}}' web
docker ps -a --no-trunc
"""


def netsim(*args, cwd=None, timeout=120):
    env = dict(os.environ)
    env.pop("NETSIM_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "netsim", *map(str, args)], cwd=cwd, capture_output=True,
                          timeout=timeout, env=env)


def assert_one_line_error(proc, *fragments):
    err = proc.stderr.decode()
    assert proc.returncode == 2, (proc.returncode, err)
    assert "Traceback" not in err
    assert err.startswith("netsim: ") and err.endswith("\n") and err.count("\n") == 1, err
    for f in fragments:
        assert f in err, err
    return err


@pytest.fixture
def files(tmp_path):
    (tmp_path / "ok.txt").write_text("docker network ls\n")
    (tmp_path / "broken.yaml").write_text("steps: [\n")
    (tmp_path / "unknown.yaml").write_text("steps: [docker ps]\nbogus: 1\n")
    (tmp_path / "badstep.yaml").write_text("steps:\n  - run: docker ps\n    expect: {exitcode: 0}\n")
    (tmp_path / "binary.yaml").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "nul.txt").write_bytes(b"docker ps\x00\n")
    (tmp_path / "evil.yaml").write_text(
        "steps: !!python/object/apply:os.system ['touch PWNED']\n")
    (tmp_path / "evil2.yaml").write_text(
        "!!python/object/new:subprocess.check_output [['touch', 'PWNED']]\n")
    (tmp_path / "deep.yaml").write_text("steps: " + "[" * 20000 + "]" * 20000 + "\n")
    (tmp_path / "date.yaml").write_text("name: 2001-02-30\nsteps: [docker ps]\n")
    (tmp_path / "host.yaml").write_text("steps: [docker ps]\nhost: {uplink_address: garbage}\n")
    (tmp_path / "adir.yaml").mkdir()
    (tmp_path / "outdir").mkdir()
    return tmp_path


BAD_INPUTS = [
    (["run", "broken.yaml"], ["broken.yaml:2: invalid YAML"]),
    (["run", "unknown.yaml"], ["unknown.yaml:2: unknown key 'bogus'"]),
    (["run", "badstep.yaml"], ["unknown key 'expect.exitcode'"]),
    (["run", "binary.yaml"], ["binary.yaml: not a UTF-8 text file"]),
    (["run", "nul.txt"], ["nul.txt: not a text file"]),
    (["run", "evil.yaml"], ["could not determine a constructor for the tag"]),
    (["run", "evil2.yaml"], ["could not determine a constructor for the tag"]),
    (["run", "deep.yaml"], ["deep.yaml", "invalid YAML"]),
    (["run", "date.yaml"], ["date.yaml: invalid YAML: day is out of range for month"]),
    (["run", "host.yaml"], ["'host.uplink_address' is not an IPv4 address/prefix"]),
    (["run", "adir.yaml"], ["adir.yaml: is a directory"]),
    (["run", "missing.yaml"], ["missing.yaml: no such file or bundled scenario"]),
    (["run", "/dev/null"], ["/dev/null: not a regular file"]),
    (["run"], ["Missing argument 'file'", "see 'netsim run --help'"]),
    (["run", "--bogus", "ok.txt"], ["No such option: --bogus", "see 'netsim run --help'"]),
    (["--bogus"], ["No such option: --bogus", "see 'netsim --help'"]),
    (["bogus-command"], ["No such command 'bogus-command'"]),
    (["run", "ok.txt", "--seed", "abc"], ["Invalid value for '--seed'"]),
    (["run", "ok.txt", "--draw", "outdir"], ["--draw outdir: is a directory"]),
    (["run", "ok.txt", "--draw", "outdir/"], ["is a directory"]),
    (["run", "ok.txt", "--draw", "nodir/t.png"], ["directory nodir does not exist"]),
    (["run", "ok.txt", "--draw", "t.gif"], ["unknown format 'gif'"]),
    (["run", "ok.txt", "--pcap", "ok.txt"], ["--pcap ok.txt: not a directory"]),
    (["draw", "broken.yaml", "-o", "t.png"], ["invalid YAML"]),
    (["verify", "--bogus"], ["No such option: --bogus"]),
]


@pytest.mark.parametrize("args,fragments", BAD_INPUTS, ids=[" ".join(a) or "-" for a, _ in BAD_INPUTS])
def test_bad_input_is_one_line_and_exit_2(files, args, fragments):
    proc = netsim(*args, cwd=files)
    assert_one_line_error(proc, *fragments)
    assert not (files / "PWNED").exists()
    assert (files / "outdir").is_dir() and not list((files / "outdir").iterdir())
    if "run" in args and "ok.txt" in args:
        assert proc.stdout == b"", "bad options are refused before the scenario runs"


def test_expectations_not_met_exit_1(tmp_path):
    (tmp_path / "f.yaml").write_text("steps:\n  - run: docker network ls\n    expect: {exit_code: 3}\n")
    proc = netsim("run", "f.yaml", cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr.decode()


def test_a_closed_pipe_is_not_an_error(tmp_path):
    (tmp_path / "many.txt").write_text("docker network ls\n" * 300)
    p = subprocess.Popen([sys.executable, "-m", "netsim", "run", "many.txt"], cwd=tmp_path,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.read(10)
    p.stdout.close()
    err = p.stderr.read().decode()
    p.wait(timeout=120)
    assert "Traceback" not in err, err


def test_json_is_byte_identical_across_processes_and_seed_changes_ids(tmp_path):
    (tmp_path / "s.txt").write_text(SCENARIO)
    runs = [netsim("run", "s.txt", "--json", cwd=tmp_path) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr
    assert runs[0].stdout == runs[1].stdout
    steps = json.loads(runs[0].stdout)
    assert [s["exit_code"] for s in steps] == [0, 0, 1, 0, 0, 0, 0]  # wget: 404, no index.html
    seeded = netsim("run", "s.txt", "--json", "--seed", "1", cwd=tmp_path)
    assert seeded.returncode == 0
    other = json.loads(seeded.stdout)
    net_id, net_id_1 = steps[0]["stdout"], other[0]["stdout"]
    assert len(net_id) == len(net_id_1) == 65 and net_id != net_id_1
    assert steps[1]["stdout"] != other[1]["stdout"]
    # same behaviour, different ids: outputs equal once the ids are replaced
    def norm(s, ids):
        for i, x in enumerate(ids):
            s = s.replace(x, f"<id{i}>").replace(x[:12], f"<sid{i}>")
        return s
    a_ids = [steps[0]["stdout"].strip(), steps[1]["stdout"].strip()]
    b_ids = [other[0]["stdout"].strip(), other[1]["stdout"].strip()]
    assert [norm(s["stdout"], a_ids) for s in steps[2:4]] == [norm(s["stdout"], b_ids) for s in other[2:4]]


def test_json_is_identical_in_process_too():
    from netsim.engine import Engine
    outs = []
    for _ in range(2):
        eng = Engine()
        outs.append(json.dumps([eng.run(line).to_dict() for line in SCENARIO.splitlines()]))
    assert outs[0] == outs[1]


def test_draw_and_pcap_outputs_appear_atomically(tmp_path):
    (tmp_path / "s.txt").write_text(SCENARIO)
    (tmp_path / "topo.json").write_text("old")
    proc = netsim("run", "s.txt", "--draw", "topo.json", "--pcap", "caps", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((tmp_path / "topo.json").read_text())
    assert doc["nodes"]
    pcaps = sorted(p.name for p in (tmp_path / "caps").iterdir())
    assert pcaps and all(n.endswith(".pcap") for n in pcaps), pcaps
    leftovers = [p.name for p in tmp_path.rglob(".*") if p.name.endswith((".tmp", ".json", ".png"))]
    assert leftovers == []


def test_write_atomically_keeps_the_old_file_when_writing_fails(tmp_path):
    from netsim.cli.main import write_atomically
    target = tmp_path / "t.json"
    target.write_text("old")

    def boom(tmp):
        tmp.write_text("half")
        raise OSError(28, "No space left on device")
    with pytest.raises(OSError):
        write_atomically(target, boom)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.json"]
