"""The host's curl against a published port: through docker-proxy on loopback
and through DNAT on the uplink address (expected text from
tests/golden/host_published_port.json, recorded on the reference engine)."""
import pytest

from netsim import Engine


@pytest.fixture(scope="module")
def eng():
    e = Engine()
    for line in ("docker run -d --name hp -p 8081:8080 busybox sleep 3600",
                 "docker exec hp sh -c 'echo hello > /tmp/index.html'",
                 "docker exec -d hp httpd -f -p 8080 -h /tmp", "sleep 1"):
        assert e.run(line).exit_code == 0
    return e


def test_curl_through_docker_proxy(eng):
    r = eng.run("curl -s http://127.0.0.1:8081/")
    assert (r.stdout, r.stderr, r.exit_code) == ("hello\n", "", 0)


def test_curl_write_out_status(eng):
    r = eng.run("curl -s -o /dev/null -w '%{http_code}\\n' http://127.0.0.1:8081/nope")
    assert (r.stdout, r.exit_code) == ("404\n", 0)


def test_curl_refused(eng):
    r = eng.run("curl -sS http://127.0.0.1:8082/")
    assert r.exit_code == 7
    assert r.stderr == ("curl: (7) Failed to connect to 127.0.0.1 port 8082 after 0 ms: "
                        "Couldn't connect to server\n")


def test_curl_to_uplink_address_is_dnat(eng):
    eng.kernel.hops = []
    r = eng.run("curl -s http://192.0.2.2:8081/")
    decisions = [h.decision for h in eng.kernel.hops if h.decision]
    eng.kernel.hops = None
    assert r.stdout == "hello\n"
    assert any("DNAT tcp dpt:8081" in d and "172.17.0.2:8080" in d for d in decisions)


def test_silent_failure_prints_nothing(eng):
    r = eng.run("curl -s http://127.0.0.1:8099/")
    assert (r.stdout, r.stderr, r.exit_code) == ("", "", 7)
