"""The shell's tokenizer: a word is its text, or a Word of parts (kind, text)
when it has expansions; an operator is ("op", OP).

Its three readers must agree: a plain script (words and && || ;; & | ;
between blanks, split at its blanks), plain words and operators between
others (one match each), and the character-by-character reader.  These are
the cases where they meet: ``2>`` only starts an operator at the start of a
word, ``1>&2`` ends a literal run, ``#`` only comments at the start of a
word, only space and tab are blanks, operators may touch words."""
import pytest

from netsim import Engine
from netsim.apps.busybox.sh import Word, parse, tokenize

CASES = {
    'ping -c 1 10.0.0.2 && ping -c 1 n00c01': ['ping', '-c', '1', '10.0.0.2', ('op', '&&'), 'ping', '-c', '1', 'n00c01'],
    'a2>f': ['a2', ('op', '>'), 'f'],
    '2>f a': [('op', '2>'), 'f', 'a'],
    'a 2>&1': ['a', ('op', '2>&1')],
    'x1>&2': ['x', ('op', '1>&2')],
    '1>&2 x': [('op', '1>&2'), 'x'],
    'echo 12 21': ['echo', '12', '21'],
    '# comment\necho x': [('op', ';'), 'echo', 'x'],
    'x#y #z': ['x#y'],
    "'q'2>f": ['q2', ('op', '>'), 'f'],
    'echo "a $B ${C}x $(d e)" $? $$': ['echo', ('W', ('dq', 'a '), ('varq', 'B'), ('dq', ' '), ('varq', 'C'), ('dq', 'x '), ('cmdq', 'd e'), ('dq', '')), ('W', ('var', '?')), ('W', ('var', '$'))],
    'a\\ b': ['a b'],
    'a;b||c&d|e': ['a', ('op', ';'), 'b', ('op', '||'), 'c', ('op', '&'), 'd', ('op', '|'), 'e'],
    'echo a>>f<g': ['echo', 'a', ('op', '>>'), 'f', ('op', '<'), 'g'],
    "A=1 B='2 3' env": ['A=1', 'B=2 3', 'env'],
    '  \tx\t ': ['x'],
    '$': ['$'],
    'echo "\\$x\\y"': ['echo', '$x\\y'],
    'a\'b\'"c"d': ['abcd'],
    '1': ['1'],
    '2': ['2'],
    'a$(b)c': [('W', ('lit', 'a'), ('cmd', 'b'), ('lit', 'c'))],
    'x&&\ny': ['x', ('op', '&&'), ('op', ';'), 'y'],
    'a&&&b': ['a', ('op', '&&'), ('op', '&'), 'b'],
    'a|||b;;;c': ['a', ('op', '||'), ('op', '|'), 'b', ('op', ';;'), ('op', ';'), 'c'],
    'x\ry\x0bz': ['x\ry\x0bz'],
    ' ;a; ': [('op', ';'), 'a', ('op', ';')],
    'a&b&': ['a', ('op', '&'), 'b', ('op', '&')],
    '--x=1 a.b/c': ['--x=1', 'a.b/c'],
    'a && b\t|| c ; d &': ['a', ('op', '&&'), 'b', ('op', '||'), 'c', ('op', ';'), 'd', ('op', '&')],
    'x &&& y': ['x', ('op', '&&'), ('op', '&'), 'y'],
    'a &| b': ['a', ('op', '&'), ('op', '|'), 'b'],
    'x;y ; z': ['x', ('op', ';'), 'y', ('op', ';'), 'z'],
}


def _plain(toks):
    """Words as their text (str) or ("W", parts...) when they have expansions."""
    return [t if isinstance(t, (tuple, str)) else ("W",) + t.parts for t in toks]


@pytest.mark.parametrize("src", list(CASES))
def test_tokens(src):
    assert _plain(tokenize(src)) == CASES[src]


def test_a_word_without_expansions_is_its_text():
    words = [t for t in tokenize("ping 'a b'\"c\" $x d$(e) \\ f ''") if not isinstance(t, tuple)]
    assert words[:2] == ["ping", "a bc"] and words[4:] == [" f", ""]
    assert [type(w) for w in words[2:4]] == [Word, Word]


def test_a_trailing_backslash_is_a_literal_backslash():
    # it used to loop for ever; ash keeps it (sh -c 'echo a\' prints a\)
    assert _plain(tokenize("echo a\\")) == ["echo", "a\\"]
    e = Engine()
    e.run("docker run -d --name bb busybox sleep 3600")
    r = e.run("docker exec bb sh -c 'echo a\\'")
    assert (r.stdout, r.exit_code) == ("a\\\n", 0)


def test_parse_simple_list():
    items = parse(tokenize("ping -c 1 a && ping -c 1 b; x | y &"))
    assert [(op, [c["words"] for c in cmds], bg) for op, cmds, bg in items] == [
        (None, [["ping", "-c", "1", "a"]], False),
        ("&&", [["ping", "-c", "1", "b"]], False),
        (";", [["x"], ["y"]], True)]
