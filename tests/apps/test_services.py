"""The catalogue images' programs (netsim.apps.services) doing real networking:
nginx through docker-proxy and by DNS name, redis PING/PONG, the MySQL
greeting, tools an image lacks, and the seed tutorial's --link sequence."""
import struct

import pytest

from netsim.apps.services.nginx import error_page
from netsim.daemon.images import NGINX_INDEX
from netsim.engine import Engine


@pytest.fixture
def e():
    return Engine()


def ok(e, cmd):
    r = e.run(cmd)
    assert r.exit_code == 0, (cmd, r.stdout, r.stderr)
    return r


def test_nginx_welcome_page_through_docker_proxy(e):
    ok(e, "docker run -d -P --name web nginx")
    mapping = ok(e, "docker port web 80").stdout.splitlines()[0]
    port = mapping.rsplit(":", 1)[1]
    assert mapping == f"0.0.0.0:{port}"
    r = ok(e, f"curl -s http://127.0.0.1:{port}/")
    assert r.stdout == NGINX_INDEX
    assert len(NGINX_INDEX) == 615
    head = ok(e, f"curl -s -I http://127.0.0.1:{port}/").stdout
    assert head == ("HTTP/1.1 200 OK\r\nServer: nginx/1.25.3\r\nDate: Fri, 27 Nov 2026 00:00:00 GMT\r\n"
                    "Content-Type: text/html\r\nContent-Length: 615\r\n"
                    "Last-Modified: Tue, 24 Oct 2023 13:46:47 GMT\r\nConnection: keep-alive\r\n"
                    'ETag: "6537cac7-267"\r\nAccept-Ranges: bytes\r\n\r\n')
    r = e.run(f"curl -s http://127.0.0.1:{port}/missing.html")
    assert r.stdout == error_page(404, "1.25.3").decode()
    assert len(r.stdout) == 153
    logs = ok(e, "docker logs web")
    assert logs.stdout.startswith("/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty")
    assert logs.stdout.splitlines()[8] == "/docker-entrypoint.sh: Configuration complete; ready for start up"
    # the access log: requests came from the bridge gateway (docker-proxy)
    assert '172.17.0.1 - - [27/Nov/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/7.88.1" "-"' \
        in logs.stdout
    assert "[notice] 1#1: nginx/1.25.3\n" in logs.stderr


def test_nginx_serves_the_container_files(e):
    ok(e, "docker run -d -p 8080:80 --name web nginx")
    ok(e, "docker exec web sh -c 'echo hello > /usr/share/nginx/html/index.html'")
    assert ok(e, "curl -s http://127.0.0.1:8080/").stdout == "hello\n"


def test_nginx_by_name_on_a_user_network(e):
    ok(e, "docker network create appnet")
    ok(e, "docker run -d --name web --network appnet nginx")
    r = ok(e, "docker run --rm --network appnet busybox wget -qO- http://web/")
    assert r.stdout == NGINX_INDEX
    r = e.run("docker run --rm --network appnet busybox wget -qO- http://web/nope")
    assert (r.exit_code, r.stderr) == (1, "wget: server returned error: HTTP/1.1 404 Not Found\n")


def test_nginx_lacks_ping_but_has_curl(e):
    ok(e, "docker run -d --name nginx1 nginx")
    r = e.run("docker exec nginx1 ping x")
    # as tests/golden/exec_misc.json records it for a missing command: stdout, CRLF
    assert (r.exit_code, r.stderr) == (126, "")
    assert r.stdout == ('OCI runtime exec failed: exec failed: unable to start container process: exec: '
                        '"ping": executable file not found in $PATH: unknown\r\n')
    r = e.run("docker exec nginx1 sh -c 'ip addr'")
    assert (r.exit_code, r.stderr) == (127, "sh: 1: ip: not found\n")
    r = e.run("docker exec nginx1 bash -c nslookup")
    assert (r.exit_code, r.stderr) == (127, "bash: line 1: nslookup: command not found\n")
    r = ok(e, "docker exec nginx1 curl -s -o /dev/null -w '%{http_code}' http://localhost/")
    assert r.stdout == "200"


def test_redis_ping_pong_with_nc(e):
    ok(e, "docker network create mynet")
    ok(e, "docker run -d -P --name=redisserver --network=mynet redis")
    assert ok(e, "docker port redisserver").stdout.startswith("6379/tcp -> 0.0.0.0:")
    r = ok(e, "docker run --rm --network mynet busybox sh -c 'echo PING | nc redisserver 6379'")
    assert r.stdout == "+PONG\r\n"
    # the seed tutorial: an alpine sidecar in redisserver's namespace reaches it on localhost
    r = ok(e, "docker run --rm --network container:redisserver alpine sh -c 'echo PING | nc localhost 6379'")
    assert r.stdout == "+PONG\r\n"
    assert ok(e, "docker exec redisserver redis-cli set k 41").stdout == "OK\n"
    assert ok(e, "docker exec redisserver redis-cli incr k").stdout == "42\n"
    assert "Ready to accept connections tcp" in ok(e, "docker logs redisserver").stdout


def test_mysql_greeting(e):
    ok(e, "docker run -d --name mysql01 -e MYSQL_ROOT_PASSWORD=123456 mysql:5.7")
    r = ok(e, "docker run --rm --link mysql01:db busybox nc db 3306")
    data = r.stdout.encode("latin-1")
    length = struct.unpack("<I", data[:3] + b"\x00")[0]
    assert len(data) == 4 + length and data[3] == 0            # one packet, sequence 0
    assert data[4] == 10                                        # protocol version 10
    assert data[5:12] == b"5.7.44\x00"
    assert data.endswith(b"mysql_native_password\x00")
    r = ok(e, "docker run --rm --link mysql01:db busybox sh -c 'echo x | nc db 3306'")
    assert r.stdout.encode("latin-1").endswith(b"\xff\x13\x04#08S01Bad handshake")


def test_mysql_without_password_exits(e):
    ok(e, "docker run -d --name db1 mysql:5.7")
    assert ok(e, "docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' db1").stdout == "exited 1\n"
    assert "[ERROR] [Entrypoint]: Database is uninitialized and password option is not specified" \
        in ok(e, "docker logs db1").stderr


def test_seed_link_mysql_tomcat(e):
    ok(e, "docker run -d -e MYSQL_ROOT_PASSWORD=123456 --name mysql01 mysql:5.7")
    ok(e, "docker run -d --link mysql01:mysql --name tomcat tomcat:7")
    ip = ok(e, "docker inspect -f '{{.NetworkSettings.IPAddress}}' mysql01").stdout.strip()
    mid = ok(e, "docker inspect -f '{{.Id}}' mysql01").stdout[:12]
    hosts = ok(e, "docker exec tomcat cat /etc/hosts").stdout
    assert f"{ip}\tmysql {mid} mysql01\n" in hosts
    env = ok(e, "docker exec tomcat env").stdout.splitlines()
    for line in (f"MYSQL_PORT=tcp://{ip}:3306", f"MYSQL_PORT_3306_TCP=tcp://{ip}:3306",
                 f"MYSQL_PORT_3306_TCP_ADDR={ip}", "MYSQL_PORT_3306_TCP_PORT=3306",
                 "MYSQL_PORT_3306_TCP_PROTO=tcp", f"MYSQL_PORT_33060_TCP=tcp://{ip}:33060",
                 "MYSQL_NAME=/tomcat/mysql", "MYSQL_ENV_MYSQL_ROOT_PASSWORD=123456",
                 "MYSQL_ENV_MYSQL_VERSION=5.7.44-1.el7"):
        assert line in env
    # tomcat:7 is Debian-based: no ping, as learners find out
    r = e.run("docker exec tomcat ping mysql")
    assert r.exit_code == 126 and '"ping": executable file not found' in r.stdout
    # but the link name reaches mysqld over TCP (the MySQL greeting from the alias)
    r = ok(e, "docker exec tomcat sh -c 'curl -s http://mysql:3306/ ; echo $?'")
    assert r.stdout.endswith("\n") and r.exit_code == 0


def test_tomcat_empty_webapps_and_billygoo(e):
    ok(e, "docker run -d -p 8080:8080 --name tc tomcat")
    r = ok(e, "curl -s -i http://127.0.0.1:8080/")
    assert r.stdout.startswith("HTTP/1.1 404 \r\nContent-Type: text/html;charset=utf-8\r\n")
    assert "<title>HTTP Status 404 – Not Found</title>" in r.stdout
    assert "<h3>Apache Tomcat/10.1.16</h3>" in r.stdout
    ok(e, "docker run -d -p 8081:8080 --name tomcat81 billygoo/tomcat8-jdk8")
    ok(e, "docker run -d -p 8082:8080 --name tomcat82 billygoo/tomcat8-jdk8")
    r = ok(e, "curl -s http://127.0.0.1:8081/")
    assert "<title>Apache Tomcat/8.5.50</title>" in r.stdout
    assert "successfully installed Tomcat. Congratulations!" in r.stdout
    assert "inet 172.17.0.4/16" in ok(e, "docker exec tomcat82 ip addr").stdout   # tc has .2
    assert "1 packets received" in ok(e, "docker exec tomcat81 ping -c 1 172.17.0.4").stdout
    r = e.run("docker exec tomcat81 ping -c 1 tomcat82")       # no DNS names on the default bridge
    assert (r.exit_code, r.stderr) == (1, "ping: bad address 'tomcat82'\n")


def test_shells_of_ubuntu_and_alpine(e):
    ok(e, "docker run --name u1 ubuntu")
    assert ok(e, "docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' u1").stdout == "exited 0\n"
    ok(e, "docker run -it -d --name u2 ubuntu")
    assert ok(e, "docker inspect -f '{{.State.Status}}' u2").stdout == "running\n"
    r = e.run("docker run --rm alpine bash")
    assert r.exit_code == 127 and '"bash": executable file not found' in r.stderr
    r = e.run("docker run --rm ubuntu ping -c 1 127.0.0.1")
    assert r.exit_code == 127 and '"ping": executable file not found' in r.stderr
    assert "1 packets received" in ok(e, "docker run --rm alpine ping -c 1 127.0.0.1").stdout
