"""Unterminated substitutions are syntax errors, never a hang."""
import pytest

from netsim import Engine


@pytest.mark.parametrize("script, message", [
    ("echo ${x", "sh: syntax error: missing '}'\n"),
    ("echo $(hostname", "sh: syntax error: unterminated $(\n"),
])
def test_unterminated_substitution(script, message):
    e = Engine()
    e.run("docker run -d --name bb busybox sleep 3600")
    r = e.run(f"docker exec bb sh -c '{script}'")
    assert (r.stdout, r.stderr, r.exit_code) == ("", message, 2)
