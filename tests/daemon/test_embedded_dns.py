"""The embedded DNS server's answers follow every change of the network's
endpoints: its name index is rebuilt whenever one joins or leaves or an
endpoint's address or DNS names are assigned, and never serves a stale view."""
import pytest

from netsim import Engine
from netsim.daemon.network import Endpoint


def names(e, container, *queries):
    return [e.run(f"docker exec {container} nslookup {q}").stdout.count("Address: ") for q in queries]


def answers(e, container, name):
    r = e.run(f"docker exec {container} ping -c 1 {name}")
    return r.exit_code, r.stderr.strip()


def test_rename_connect_alias_disconnect_and_leave_are_seen():
    e = Engine()
    assert e.run("docker network create web").exit_code == 0
    for c in ("client", "db"):
        assert e.run(f"docker run -d --name {c} --network web busybox sleep 1000").exit_code == 0
    assert answers(e, "client", "db")[0] == 0
    assert e.run("docker rename db dbx").exit_code == 0
    assert answers(e, "client", "db") == (1, "ping: bad address 'db'")
    assert answers(e, "client", "dbx")[0] == 0
    assert e.run("docker network create other").exit_code == 0
    assert e.run("docker run -d --name kv --network other busybox sleep 1000").exit_code == 0
    assert answers(e, "client", "kv")[1] == "ping: bad address 'kv'"
    assert e.run("docker network connect --alias cache web kv").exit_code == 0
    assert answers(e, "client", "kv")[0] == 0 and answers(e, "client", "cache")[0] == 0
    assert e.run("docker network disconnect web kv").exit_code == 0
    assert answers(e, "client", "cache")[1] == "ping: bad address 'cache'"
    assert e.run("docker rm -f dbx").exit_code == 0
    assert answers(e, "client", "dbx")[1] == "ping: bad address 'dbx'"


def test_shared_alias_answers_every_holder():
    e = Engine()
    e.run("docker network create web")
    e.run("docker run -d --name client --network web busybox sleep 1000")
    e.run("docker run -d --name svc1 --network web --network-alias svc busybox sleep 1000")
    assert names(e, "client", "svc") == [1]
    e.run("docker run -d --name svc2 --network web --network-alias svc busybox sleep 1000")
    assert names(e, "client", "svc") == [2]


def test_endpoint_dns_names_cannot_change_unseen():
    ep = Endpoint("id", None, None)
    before = Endpoint.names_generation
    ep.dns_names = ["web", "abc"]
    assert ep.dns_names == ("web", "abc")           # kept as a tuple: no change in place
    with pytest.raises(TypeError):
        ep.dns_names[0] = "other"
    ep.ip = "10.0.0.2"
    assert Endpoint.names_generation == before + 2
    ep.mac = "02:42:0a:00:00:02"                     # not a DNS input
    assert Endpoint.names_generation == before + 2
