"""The local image store holds busybox only, as the reference engine does; a
catalogue image joins it when a command first names it (no pull output)."""
from netsim import Engine

HEADER = "REPOSITORY   TAG       IMAGE ID       CREATED       SIZE\n"
BUSYBOX = "busybox      latest    726b2f041182   2 years ago   1.98MB\n"


def test_a_fresh_engine_holds_busybox_only():
    e = Engine()
    assert e.run("docker images").stdout == HEADER + BUSYBOX
    assert e.run("docker system df").stdout.splitlines()[1].split()[:3] == ["Images", "1", "0"]


def test_a_catalogue_image_joins_the_store_when_first_used():
    e = Engine()
    r = e.run("docker run -d --name web nginx")
    assert r.exit_code == 0 and r.stderr == ""
    assert e.run("docker images").stdout == HEADER + BUSYBOX + \
        "nginx        latest    4e4e4e4e4e4e   2 years ago   187MB\n"
    assert e.run("docker system df").stdout.splitlines()[1].split()[:3] == ["Images", "2", "1"]


def test_an_unnamed_commit_is_listed_as_none():
    e = Engine()
    e.run("docker run -d --name c1 busybox sleep 3600")
    image = e.run("docker commit c1").stdout.strip()
    rows = e.run("docker images").stdout.splitlines()
    assert rows[1].split()[:3] == ["<none>", "<none>", image[7:19]]
    assert rows[2].split()[0] == "busybox"
