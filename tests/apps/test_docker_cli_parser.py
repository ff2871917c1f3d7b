"""Tests for netsim.apps.docker_cli.parser.

Every expected error message / exit code / help text below was recorded from
the real docker CLI 20.10.24 (Debian docker.io 20.10.24+dfsg1, build 297e128),
run as `DOCKER_HOST=unix:///tmp/nonexistent.sock /usr/bin/docker ...` with
stdin not a terminal; messages are stderr minus the final newline.
"""

import pytest

from netsim.apps.docker_cli.parser import (
    Invocation,
    UsageError,
    help_text,
    parse,
    parse_mount,
    parse_network_opt,
)


def err(argv):
    with pytest.raises(UsageError) as ei:
        parse(argv)
    return ei.value.message, ei.value.exit_code


# ---------------------------------------------------------------- happy paths

def test_run_basic():
    inv = parse(["run", "-d", "--name", "a", "busybox", "sleep", "3600"])
    assert isinstance(inv, Invocation)
    assert inv.command == ("run",)
    assert inv.path == ("run",)
    assert inv.args == ["busybox", "sleep", "3600"]
    assert inv.options["detach"] is True
    assert inv.options["name"] == "a"
    assert inv.options["restart"] == "no"           # default
    assert inv.options["sig_proxy"] is True         # default true
    assert inv.options["publish"] == []
    assert inv.changed == frozenset({"detach", "name"})
    assert inv.output is None


def test_run_combined_and_attached_values():
    inv = parse(["run", "-dit", "-p8080:80", "-p", "53:53/udp", "--name=a", "--rm=false",
                 "-e", "A=1", "-e", "B=2", "busybox"])
    assert (inv.options["detach"], inv.options["interactive"], inv.options["tty"]) == (True, True, True)
    assert inv.options["publish"] == ["8080:80", "53:53/udp"]
    assert inv.options["name"] == "a"
    assert inv.options["rm"] is False and "rm" in inv.changed
    assert inv.options["env"] == ["A=1", "B=2"]


def test_run_stops_at_first_positional():
    inv = parse(["run", "busybox", "--foo", "-d", "--", "x"])
    assert inv.args == ["busybox", "--foo", "-d", "--", "x"]
    assert inv.options["detach"] is False
    inv = parse(["run", "--", "busybox", "ls"])
    assert inv.args == ["busybox", "ls"]


def test_run_net_aliases_and_hidden_flags():
    inv = parse(["run", "--net", "n1", "--network=n2", "--net-alias", "x", "--network-alias", "y",
                 "--dns-opt", "ndots:1", "--dns-option", "b", "--dns", "8.8.8.8", "--link", "a:b",
                 "-h", "host1", "busybox"])
    assert inv.options["network"] == ["n1", "n2"]
    assert inv.options["network_alias"] == ["x", "y"]
    assert inv.options["dns_option"] == ["ndots:1", "b"]
    assert inv.options["dns"] == ["8.8.8.8"]
    assert inv.options["link"] == ["a:b"]
    assert inv.options["hostname"] == "host1"
    assert "net" not in inv.options


def test_run_value_types():
    inv = parse(["run", "-m", "1.5g", "--cpus", "1.5", "-c", "0x10", "--health-interval", "1m30s",
                 "--memory-swap", "-1", "--sysctl", "net.ipv4.ip_forward=1",
                 "-v", "/a:/b", "--mount", "type=bind,src=/a,dst=/b", "--tmpfs", "/run", "busybox"])
    assert inv.options["memory"] == 1610612736
    assert inv.options["cpus"] == 1.5
    assert inv.options["cpu_shares"] == 16
    assert inv.options["health_interval"] == 90_000_000_000
    assert inv.options["memory_swap"] == -1
    assert inv.options["sysctl"] == {"net.ipv4.ip_forward": "1"}
    assert inv.options["volume"] == ["/a:/b"]
    assert inv.options["mount"] == ["type=bind,src=/a,dst=/b"]
    assert inv.options["tmpfs"] == ["/run"]


def test_aliases_and_canonical_names():
    assert parse(["ps"]).command == ("ps",)
    for argv, path in [(["container", "ls"], ("container", "ls")),
                       (["container", "list"], ("container", "ls")),
                       (["container", "ps"], ("container", "ls"))]:
        inv = parse(argv)
        assert inv.command == ("ps",) and inv.path == path
    assert parse(["container", "run", "busybox"]).command == ("run",)
    assert parse(["container", "rm", "a"]).command == ("rm",)
    assert parse(["rmi", "a"]).command == ("rmi",)
    assert parse(["image", "rm", "a"]).command == ("rmi",)
    assert parse(["image", "remove", "a"]).path == ("image", "rm")
    assert parse(["images"]).command == ("images",)
    assert parse(["image", "ls"]).command == ("images",)
    assert parse(["network", "list"]).command == ("network", "ls")
    assert parse(["network", "remove", "n"]).command == ("network", "rm")
    assert parse(["volume", "list"]).command == ("volume", "ls")
    assert parse(["system", "info"]).command == ("info",)
    assert parse(["system", "df"]).command == ("system", "df")
    assert parse(["container", "prune", "-f"]).command == ("container", "prune")


def test_network_create():
    inv = parse(["network", "create", "-d", "bridge", "--subnet", "10.0.0.0/24,10.1.0.0/24",
                 "--gateway", "10.0.0.1", "-o", "com.docker.network.bridge.name=br0", "-o", "foo",
                 "--internal", "net1"])
    assert inv.command == ("network", "create")
    assert inv.args == ["net1"]
    assert inv.options["driver"] == "bridge"
    assert inv.options["subnet"] == ["10.0.0.0/24", "10.1.0.0/24"]
    assert inv.options["gateway"] == ["10.0.0.1"]
    assert inv.options["opt"] == {"com.docker.network.bridge.name": "br0", "foo": ""}
    assert inv.options["internal"] is True
    assert inv.options["ipam_driver"] == "default"


def test_network_connect_and_ps_filter():
    inv = parse(["network", "connect", "--alias", "x", "--alias", "y,z", "--ip", "10.0.0.5", "n", "c"])
    assert inv.options["alias"] == ["x", "y", "z"]
    assert inv.options["ip"] == "10.0.0.5"
    assert inv.args == ["n", "c"]
    inv = parse(["ps", "-aq", "--filter", "Name = a", "-f", "status=running"])
    assert inv.options["all"] and inv.options["quiet"]
    assert inv.options["filter"] == ["name=a", "status=running"]


def test_stop_time_and_interspersed():
    inv = parse(["stop", "a", "-t", "0", "b"])
    assert inv.options["time"] == 0 and "time" in inv.changed
    assert inv.args == ["a", "b"]
    assert parse(["stop", "a"]).options["time"] == 10
    assert parse(["exec", "-it", "c", "sh", "-c", "ls -l"]).args == ["c", "sh", "-c", "ls -l"]


def test_global_flags():
    inv = parse(["-D", "-H", "tcp://1.2.3.4:2375", "ps"])
    assert inv.global_options == {"debug": True, "host": ["tcp://1.2.3.4:2375"]}
    assert inv.command == ("ps",)


def test_helpers():
    assert parse_mount("type=bind,src=/a,dst=/b,ro")["ReadOnly"] is True
    assert parse_network_opt("name=n1,alias=a")["Aliases"] == ["a"]
    assert parse_network_opt("n1")["Target"] == "n1"


def test_unsupported_real_command():
    inv = parse(["attach", "c"])
    assert inv.supported is False and inv.command == ("attach",) and inv.args == ["c"]


# ---------------------------------------------------------------- help

def test_help_requests():
    inv = parse(["run", "--help"])
    assert inv.options["help"] is True
    assert inv.output == help_text(("run",))
    assert inv.output.startswith("\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\n"
                                 "Run a command in a new container\n\nOptions:\n")
    assert parse(["ps", "-h"]).output == (
        "Flag shorthand -h has been deprecated, please use --help\n" + help_text("ps"))
    assert help_text("stop") == (
        "\nUsage:  docker stop [OPTIONS] CONTAINER [CONTAINER...]\n\n"
        "Stop one or more running containers\n\nOptions:\n"
        "  -t, --time int   Seconds to wait for stop before killing it (default 10)\n")
    assert help_text(("container", "list")) == help_text("container ls")
    assert "Aliases:\n  ls, ps, list\n" in help_text("container ls")
    assert parse(["help", "network", "create"]).output == help_text("network create")
    assert parse(["--help", "ps"]).output == help_text("ps")
    inv = parse(["-h"])
    assert inv.output == help_text(()) and inv.output_stderr == (
        "Flag shorthand -h has been deprecated, please use --help\n")
    assert parse(["ps", "--help=false"]).output is None


# ---------------------------------------------------------------- errors (recorded)

@pytest.mark.parametrize("argv,message,code", [
    (["run", "--foo", "busybox"], "unknown flag: --foo\nSee 'docker run --help'.", 125),
    (["run", "-z", "busybox"], "unknown shorthand flag: 'z' in -z\nSee 'docker run --help'.", 125),
    (["run", "-dz", "busybox"], "unknown shorthand flag: 'z' in -z\nSee 'docker run --help'.", 125),
    (["run", "-zd", "busybox"], "unknown shorthand flag: 'z' in -zd\nSee 'docker run --help'.", 125),
    (["run", "--name"], "flag needs an argument: --name\nSee 'docker run --help'.", 125),
    (["run", "-p"], "flag needs an argument: 'p' in -p\nSee 'docker run --help'.", 125),
    (["run", "-h"], "flag needs an argument: 'h' in -h\nSee 'docker run --help'.", 125),
    (["run", "---foo", "busybox"], "bad flag syntax: ---foo\nSee 'docker run --help'.", 125),
    (["run", "-c", "abc", "busybox"],
     'invalid argument "abc" for "-c, --cpu-shares" flag: strconv.ParseInt: parsing "abc": invalid syntax\n'
     "See 'docker run --help'.", 125),
    (["run", "--cpu-shares", "99999999999999999999", "busybox"],
     'invalid argument "99999999999999999999" for "-c, --cpu-shares" flag: strconv.ParseInt: parsing '
     '"99999999999999999999": value out of range\nSee \'docker run --help\'.', 125),
    (["run", "--rm=maybe", "busybox"],
     'invalid argument "maybe" for "--rm" flag: strconv.ParseBool: parsing "maybe": invalid syntax\n'
     "See 'docker run --help'.", 125),
    (["run", "--dns", "foo", "busybox"],
     'invalid argument "foo" for "--dns" flag: foo is not an ip address\nSee \'docker run --help\'.', 125),
    (["run", "--add-host", "foo", "busybox"],
     'invalid argument "foo" for "--add-host" flag: bad format for add-host: "foo"\nSee \'docker run --help\'.', 125),
    (["run", "--add-host", "a:b", "busybox"],
     'invalid argument "a:b" for "--add-host" flag: invalid IP address in add-host: "b"\n'
     "See 'docker run --help'.", 125),
    (["run", "--link", "a:b:c", "busybox"],
     'invalid argument "a:b:c" for "--link" flag: bad format for links: a:b:c\nSee \'docker run --help\'.', 125),
    (["run", "--mount", "foo", "busybox"],
     'invalid argument "foo" for "--mount" flag: invalid field \'foo\' must be a key=value pair\n'
     "See 'docker run --help'.", 125),
    (["run", "--mount", "type=bind", "busybox"],
     'invalid argument "type=bind" for "--mount" flag: target is required\nSee \'docker run --help\'.', 125),
    (["run", "-m", "12q", "busybox"],
     'invalid argument "12q" for "-m, --memory" flag: invalid size: \'12q\'\nSee \'docker run --help\'.', 125),
    (["run", "--cpus", "abc", "busybox"],
     'invalid argument "abc" for "--cpus" flag: failed to parse abc as a rational number\n'
     "See 'docker run --help'.", 125),
    (["run", "--health-interval", "5x", "busybox"],
     'invalid argument "5x" for "--health-interval" flag: time: unknown unit "x" in duration "5x"\n'
     "See 'docker run --help'.", 125),
    (["run", "--health-interval", "5", "busybox"],
     'invalid argument "5" for "--health-interval" flag: time: missing unit in duration "5"\n'
     "See 'docker run --help'.", 125),
    (["run", "--blkio-weight", "70000", "busybox"],
     'invalid argument "70000" for "--blkio-weight" flag: strconv.ParseUint: parsing "70000": value out of range\n'
     "See 'docker run --help'.", 125),
    (["run", "--network=foo,alias=x", "busybox"],
     'invalid argument "foo,alias=x" for "--network" flag: invalid field foo\nSee \'docker run --help\'.', 125),
    (["run", "-e", "=x", "busybox"],
     'invalid argument "=x" for "-e, --env" flag: invalid environment variable: =x\nSee \'docker run --help\'.', 125),
    (["run", "--sysctl", "foo=1", "busybox"],
     'invalid argument "foo=1" for "--sysctl" flag: sysctl \'foo=1\' is not whitelisted\n'
     "See 'docker run --help'.", 125),
    (["stop", "-t", "1.5", "a"],
     'invalid argument "1.5" for "-t, --time" flag: strconv.ParseInt: parsing "1.5": invalid syntax\n'
     "See 'docker stop --help'.", 125),
    (["network", "create", "--subnet", '"a', "x"],
     'invalid argument "\\"a" for "--subnet" flag: parse error on line 1, column 3: extraneous or missing " '
     "in quoted-field\nSee 'docker network create --help'.", 125),
    (["ps", "--help=foo"],
     'invalid argument "foo" for "--help" flag: strconv.ParseBool: parsing "foo": invalid syntax\n'
     "See 'docker ps --help'.", 125),
    (["ps", "-D"], "unknown shorthand flag: 'D' in -D\nSee 'docker ps --help'.", 125),
    (["container", "list", "--foo"], "unknown flag: --foo\nSee 'docker container ls --help'.", 125),
    (["network", "list", "--foo"], "unknown flag: --foo\nSee 'docker network ls --help'.", 125),
    (["image", "remove", "--foo"], "unknown flag: --foo\nSee 'docker image rm --help'.", 125),
    (["network", "connect", "--alias"], "flag needs an argument: --alias\nSee 'docker network connect --help'.", 125),
    (["network", "create", "-o"], "flag needs an argument: 'o' in -o\nSee 'docker network create --help'.", 125),
    (["foo"], "docker: 'foo' is not a docker command.\nSee 'docker --help'", 1),
    (["--debug", "foo"], "docker: 'foo' is not a docker command.\nSee 'docker --help'", 1),
    (["help", "foo"], "unknown help topic: foo", 1),
    (["run"], '"docker run" requires at least 1 argument.\nSee \'docker run --help\'.\n\n'
              "Usage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun a command in a new container", 1),
    (["run", "-dp", "busybox"], '"docker run" requires at least 1 argument.\nSee \'docker run --help\'.\n\n'
     "Usage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun a command in a new container", 1),
    (["container", "run"], '"docker container run" requires at least 1 argument.\n'
     "See 'docker container run --help'.\n\n"
     "Usage:  docker container run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun a command in a new container", 1),
    (["exec", "a"], '"docker exec" requires at least 2 arguments.\nSee \'docker exec --help\'.\n\n'
     "Usage:  docker exec [OPTIONS] CONTAINER COMMAND [ARG...]\n\nRun a command in a running container", 1),
    (["port"], '"docker port" requires at least 1 and at most 2 arguments.\nSee \'docker port --help\'.\n\n'
     "Usage:  docker port CONTAINER [PRIVATE_PORT[/PROTO]]\n\n"
     "List port mappings or a specific mapping for the container", 1),
    (["rename", "a"], '"docker rename" requires exactly 2 arguments.\nSee \'docker rename --help\'.\n\n'
     "Usage:  docker rename CONTAINER NEW_NAME\n\nRename a container", 1),
    (["logs"], '"docker logs" requires exactly 1 argument.\nSee \'docker logs --help\'.\n\n'
     "Usage:  docker logs [OPTIONS] CONTAINER\n\nFetch the logs of a container", 1),
    (["images", "a", "b"], '"docker images" requires at most 1 argument.\nSee \'docker images --help\'.\n\n'
     "Usage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\nList images", 1),
    (["ps", "a"], '"docker ps" accepts no arguments.\nSee \'docker ps --help\'.\n\n'
     "Usage:  docker ps [OPTIONS]\n\nList containers", 1),
    (["container", "list", "a"], '"docker container ls" accepts no arguments.\n'
     "See 'docker container ls --help'.\n\nUsage:  docker container ls [OPTIONS]\n\nList containers", 1),
    (["network", "create"], '"docker network create" requires exactly 1 argument.\n'
     "See 'docker network create --help'.\n\nUsage:  docker network create [OPTIONS] NETWORK\n\n"
     "Create a network", 1),
    (["network", "rm"], '"docker network rm" requires at least 1 argument.\nSee \'docker network rm --help\'.\n\n'
     "Usage:  docker network rm NETWORK [NETWORK...]\n\nRemove one or more networks", 1),
    (["volume", "rm"], '"docker volume rm" requires at least 1 argument.\nSee \'docker volume rm --help\'.\n\n'
     "Usage:  docker volume rm [OPTIONS] VOLUME [VOLUME...]\n\nRemove one or more volumes", 1),
    (["cp", "a"], '"docker cp" requires exactly 2 arguments.\nSee \'docker cp --help\'.\n\n'
     "Usage:  docker cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n"
     "\tdocker cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH\n\n"
     "Copy files/folders between a container and the local filesystem", 1),
    (["version", "x"], '"docker version" accepts no arguments.\nSee \'docker version --help\'.\n\n'
     "Usage:  docker version [OPTIONS]\n\nShow the Docker version information", 1),
])
def test_recorded_errors(argv, message, code):
    assert err(argv) == (message, code)


NETWORK_USAGE = (
    "Usage:  docker network COMMAND\n\nManage networks\n\nCommands:\n"
    "  connect     Connect a container to a network\n"
    "  create      Create a network\n"
    "  disconnect  Disconnect a container from a network\n"
    "  inspect     Display detailed information on one or more networks\n"
    "  ls          List networks\n"
    "  prune       Remove all unused networks\n"
    "  rm          Remove one or more networks\n\n"
    "Run 'docker network COMMAND --help' for more information on a command.\n")


def test_management_commands():
    # `docker network` prints its usage on stderr and exits 0
    assert err(["network"]) == ("\n" + NETWORK_USAGE[:-1], 0)
    # `docker network foo`: usage on stderr, exit 1 (no "unknown command" line)
    assert err(["network", "foo"]) == ("\n" + NETWORK_USAGE[:-1], 1)
    assert err(["network", "--foo"]) == (
        "unknown flag: --foo\nSee 'docker network --help'.\n\n" + NETWORK_USAGE, 125)
    assert err(["network", "foo", "--bar"]) == (
        "unknown flag: --bar\nSee 'docker network --help'.\n\n" + NETWORK_USAGE, 125)
    assert parse(["network", "--help"]).output == "\n" + NETWORK_USAGE
    with pytest.raises(UsageError) as ei:
        parse(["network"])
    assert ei.value.stderr == "\n" + NETWORK_USAGE


def test_root_errors():
    msg, code = err(["--foo", "ps"])
    assert code == 125
    assert msg.startswith("unknown flag: --foo\nSee 'docker --help'.\n\nUsage:  docker [OPTIONS] COMMAND\n")
    assert msg.endswith("check out our guides at https://docs.docker.com/go/guides/\n")
    assert "  completion  " not in msg     # global-flag errors: usage without `completion`
    msg, code = err(["foo", "--bar"])
    assert code == 125 and "  completion  " in msg
    msg, code = err([])
    assert code == 0 and msg == help_text(())[:-1]
    assert parse(["-v"]).output == "Docker version 20.10.24, build 297e128\n"
