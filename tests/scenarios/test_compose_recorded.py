"""docker-compose up -d of the bundled compose example, against what Debian's
docker-compose 1.29.2 printed on the reference engine (tests/golden/compose/)."""
import re
from pathlib import Path

from netsim.scenario import load
from netsim.scenario.runner import make_engine, run_scenario

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "compose"


def _engine_after_up():
    s = load(ROOT / "netsim" / "scenarios" / "compose" / "docker-compose.yml")
    e = make_engine(s)
    outcomes = list(run_scenario(s, e, stop_after=1))
    return e, outcomes[0].result


def test_up_transcript_is_compose_129s():
    _, up = _engine_after_up()
    assert up.stdout == ""
    assert up.stderr == (GOLDEN / "up_stderr.txt").read_bytes().decode()
    assert up.exit_code == 0


def test_state_after_up_matches_the_recording():
    e, _ = _engine_after_up()
    text = (GOLDEN / "after_up.txt").read_text()
    blocks = re.split(r"^\$ ", text, flags=re.M)[1:]
    for block in blocks:
        command, _, expected = block.partition("\n")
        got = e.run(command).stdout
        for svc in ("web", "db", "client"):
            short = e.daemon.container_find(f"compose_{svc}_1").id[:12]
            got = got.replace(f'"{short}"', f'"<shortid:{svc}>"')
        assert got == expected, command
