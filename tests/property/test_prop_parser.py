"""Any argv given to the docker CLI parser is an Invocation or a UsageError."""
from __future__ import annotations

from hypothesis import given, strategies as st

from netsim.apps.docker_cli.parser import Invocation, UsageError, parse
from prop_support import examples

WORDS = [
    "run", "create", "start", "stop", "restart", "kill", "rm", "exec", "ps", "inspect", "logs",
    "port", "rename", "network", "container", "image", "images", "help", "version", "top",
    "connect", "disconnect", "ls", "prune", "busybox", "sleep", "3600", "sh", "-c", "ping",
    "-d", "-it", "-i", "-t", "--rm", "--name", "--network", "--net", "--net=host", "-p", "-P",
    "--publish", "--ip", "--link", "--alias", "--network-alias", "--dns", "--dns-search",
    "--dns-option", "--add-host", "--mac-address", "--hostname", "-h", "--help", "--format",
    "-f", "--filter", "--no-trunc", "-q", "-a", "--force", "--time", "-t", "--subnet",
    "--gateway", "--ip-range", "--aux-address", "-o", "--opt", "--driver", "--internal",
    "--label", "-e", "--env", "--expose", "--restart", "--entrypoint", "-w", "--", "-",
    "=", "--=", "---", "-h=true", "--time=-1", "--time=0x10", "-t=abc", "--cpus=1.5",
    "--memory=1g", "--ulimit", "nofile=1:2", "--mount", "type=bind,src=/a,dst=/b",
    "{{.Name}}", "{{json .}}", "name=x", "172.18.0.5", "10.0.0.0/8", "8080:80", "1-65535:1-65535",
    "com.docker.network.bridge.name=x", "container:c1", "-D", "--debug", "-H", "--context",
    "--log-level", "--tls", "-v", "--version", "-dit", "-pd", "--detach=false", "--rm=maybe",
]

token = st.one_of(st.sampled_from(WORDS), st.text(max_size=12),
                  st.builds(lambda a, b: f"{a}={b}", st.sampled_from(WORDS), st.text(max_size=6)))


def _check(argv):
    try:
        inv = parse(argv)
    except UsageError as err:
        assert isinstance(err.message, str) and isinstance(err.exit_code, int)
        assert err.exit_code in (0, 1, 125), err.exit_code
        return
    assert isinstance(inv, Invocation)
    assert isinstance(inv.command, tuple)


@examples(400)
@given(st.lists(token, max_size=10))
def test_any_argv_parses_or_is_a_usage_error(argv):
    _check(argv)


@examples(200)
@given(st.sampled_from([["run"], ["network", "create"], ["exec"], ["ps"], ["network", "ls"],
                        ["inspect"], ["create"], ["network", "connect"], ["rm"], ["stop"]]),
       st.lists(token, max_size=8))
def test_any_flags_of_a_real_command(cmd, rest):
    _check(cmd + rest)


shell_text = st.text(alphabet=st.sampled_from(list("ab c\t\n\r'\"\\$\x0b\u00a0#;|")), max_size=30)


@examples(1000)
@given(shell_text)
def test_engine_splits_command_lines_exactly_as_shlex(text):
    """netsim.engine.split_line is shlex.split (POSIX, no comments) in linear time."""
    import shlex
    from netsim.engine import split_line
    try:
        expected = shlex.split(text, comments=False)
    except ValueError as err:
        expected = ("error", str(err))
    try:
        got = split_line(text)
    except ValueError as err:
        got = ("error", str(err))
    assert got == expected
