"""``docker run -it IMAGE sh`` in a scenario: the user detaches, the shell keeps
the container running (the seed tutorial's alpine1/alpine2 example)."""
from netsim import Engine


def test_it_shell_keeps_running_and_a_follower_can_join():
    e = Engine()
    r = e.run("docker run -it --name alpine1 alpine /bin/sh")
    assert (r.stdout, r.stderr, r.exit_code) == ("", "", 0)
    r = e.run("docker run -it --network container:alpine1 --name alpine2 alpine /bin/sh")
    assert r.exit_code == 0
    assert e.run("docker ps --format '{{.Names}}'").stdout == "alpine2\nalpine1\n"
    one = e.run("docker exec alpine1 ip addr show eth0").stdout
    two = e.run("docker exec alpine2 ip addr show eth0").stdout
    assert one == two and "inet 172.17.0.2/16" in one


def test_sh_without_terminal_exits_at_once():
    e = Engine()
    assert e.run("docker run --name plain busybox sh").exit_code == 0
    assert e.run("docker ps -a --format '{{.Names}} {{.State}}'").stdout == "plain exited\n"
