"""The shell's tokenizer: words as parts (kind, text), operators as ("op", OP).

The fast path (a word of one literal run read by one regular expression) and
the character-by-character reader must agree; these are the cases where they
meet: ``2>`` only starts an operator at the start of a word, ``1>&2`` ends a
literal run, ``#`` only comments at the start of a word."""
import pytest

from netsim import Engine
from netsim.apps.busybox.sh import Word, parse, tokenize

CASES = {
    "ping -c 1 10.0.0.2 && ping -c 1 n00c01": [
        (("lit", "ping"),), (("lit", "-c"),), (("lit", "1"),), (("lit", "10.0.0.2"),), ("op", "&&"),
        (("lit", "ping"),), (("lit", "-c"),), (("lit", "1"),), (("lit", "n00c01"),)],
    "a2>f": [(("lit", "a2"),), ("op", ">"), (("lit", "f"),)],
    "2>f a": [("op", "2>"), (("lit", "f"),), (("lit", "a"),)],
    "a 2>&1": [(("lit", "a"),), ("op", "2>&1")],
    "x1>&2": [(("lit", "x"),), ("op", "1>&2")],
    "1>&2 x": [("op", "1>&2"), (("lit", "x"),)],
    "echo 12 21": [(("lit", "echo"),), (("lit", "12"),), (("lit", "21"),)],
    "# comment\necho x": [("op", ";"), (("lit", "echo"),), (("lit", "x"),)],
    "x#y #z": [(("lit", "x#y"),)],
    "'q'2>f": [(("sq", "q"), ("lit", "2")), ("op", ">"), (("lit", "f"),)],
    'echo "a $B ${C}x $(d e)" $? $$': [
        (("lit", "echo"),),
        (("dq", "a "), ("varq", "B"), ("dq", " "), ("varq", "C"), ("dq", "x "), ("cmdq", "d e"), ("dq", "")),
        (("var", "?"),), (("var", "$"),)],
    "a\\ b": [(("lit", "a"), ("sq", " "), ("lit", "b"))],
    "a;b||c&d|e": [(("lit", "a"),), ("op", ";"), (("lit", "b"),), ("op", "||"), (("lit", "c"),), ("op", "&"),
                   (("lit", "d"),), ("op", "|"), (("lit", "e"),)],
    "echo a>>f<g": [(("lit", "echo"),), (("lit", "a"),), ("op", ">>"), (("lit", "f"),), ("op", "<"), (("lit", "g"),)],
    "A=1 B='2 3' env": [(("lit", "A=1"),), (("lit", "B="), ("sq", "2 3")), (("lit", "env"),)],
    "  \tx\t ": [(("lit", "x"),)],
    "$": [(("lit", "$"),)],
    'echo "\\$x\\y"': [(("lit", "echo"),), (("dq", "$x\\y"),)],
    "a'b'\"c\"d": [(("lit", "a"), ("sq", "b"), ("dq", "c"), ("lit", "d"))],
    "1": [(("lit", "1"),)],
    "2": [(("lit", "2"),)],
    "a$(b)c": [(("lit", "a"), ("cmd", "b"), ("lit", "c"))],
    "x&&\ny": [(("lit", "x"),), ("op", "&&"), ("op", ";"), (("lit", "y"),)],
}


def _plain(toks):
    return [t if isinstance(t, tuple) else tuple(t.parts) for t in toks]


@pytest.mark.parametrize("src", list(CASES))
def test_tokens(src):
    assert _plain(tokenize(src)) == CASES[src]


def test_word_text_is_its_field_when_it_needs_no_expansion():
    words = [t for t in tokenize("ping 'a b'\"c\" $x d$(e) \\ f") if isinstance(t, Word)]
    assert [w.text for w in words] == ["ping", "a bc", None, None, " f"]


def test_a_trailing_backslash_is_a_literal_backslash():
    # it used to loop for ever; ash keeps it (sh -c 'echo a\' prints a\)
    assert _plain(tokenize("echo a\\")) == [(("lit", "echo"),), (("lit", "a"), ("lit", "\\"))]
    e = Engine()
    e.run("docker run -d --name bb busybox sleep 3600")
    r = e.run("docker exec bb sh -c 'echo a\\'")
    assert (r.stdout, r.exit_code) == ("a\\\n", 0)


def test_parse_simple_list():
    items = parse(tokenize("ping -c 1 a && ping -c 1 b; x | y &"))
    assert [(op, [[w.text for w in c["words"]] for c in cmds], bg) for op, cmds, bg in items] == [
        (None, [["ping", "-c", "1", "a"]], False),
        ("&&", [["ping", "-c", "1", "b"]], False),
        (";", [["x"], ["y"]], True)]
