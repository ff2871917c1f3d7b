"""busybox sh's compound commands (sh_compound): grammar, arithmetic and
builtins; the reference outputs are in tests/golden/sh_compound.json."""
import pytest

from netsim import Engine
from netsim.apps.busybox.sh import ShSyntaxError, tokenize as plain_tokenize
from netsim.apps.busybox.sh_compound import (COMPOUND_WORDS, has_compound_syntax, parse,
                                             tokenize)


@pytest.fixture(scope="module")
def engine():
    e = Engine()
    e.run("docker run -d --name bb busybox sleep 3600")
    return e


def sh(engine, script):
    r = engine.run("docker exec bb sh -c '%s'" % script)
    return r.stdout, r.stderr, r.exit_code


@pytest.mark.parametrize("script", [
    "ping -c 1 a && ping -c 1 b && ping -c 1 c",
    "echo $(hostname) ${HOME} > /tmp/x; cat /tmp/x | wc -l",
    "nc -l -p 80 -e echo hi &",
])
def test_plain_lists_stay_on_the_simple_path(script):
    assert not has_compound_syntax(script)
    assert COMPOUND_WORDS.isdisjoint(plain_tokenize(script))


@pytest.mark.parametrize("script", [
    "for i in 1 2; do echo $i; done", "(exit 3)", "{ echo a; }", "echo $((1+2))",
    "echo `hostname`", "f() { :; }", "! false", "x=1; while false; do :; done",
])
def test_compound_scripts_go_to_sh_compound(script):
    assert has_compound_syntax(script) or not COMPOUND_WORDS.isdisjoint(plain_tokenize(script))


def test_reserved_words_only_unquoted():
    assert tokenize("if 'if' \"fi\" f\\i")[0] == "if"
    assert all(t.__class__ is not str for t in tokenize("if 'if' \"fi\" f\\i")[1:])


@pytest.mark.parametrize("script, message", [
    ("for i in 1 2; do echo $i", 'unexpected end of file (expecting "done")'),
    ("if true; then echo x", 'unexpected end of file (expecting "fi")'),
    ("if true; echo x; fi", 'unexpected "fi" (expecting "then")'),
    ("done", 'unexpected "done"'),
    ("while true; do", 'unexpected end of file (expecting "done")'),
    ("case x in", 'unexpected end of file (expecting ")")'),
    ("for i in 1 2\necho x\ndone", 'unexpected word (expecting "do")'),
    ("{ echo a", 'unexpected end of file (expecting "}")'),
])
def test_syntax_errors(script, message):
    with pytest.raises(ShSyntaxError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse(script)


@pytest.mark.parametrize("expr, value", [
    ("1 + 2 * 3", "7"), ("(1 + 2) * 3", "9"), ("-7 / 2", "-3"), ("-7 % 2", "-1"),
    ("1 < 2 && 3 > 4", "0"), ("x * 2", "10"), ("$x + 1", "6"), ("y", "0"), ("0x10 + 010", "24"),
    ("x > 3 ? 1 : 2", "1"), ("!0", "1"), ("1 << 4", "16"),
])
def test_arithmetic(engine, expr, value):
    assert sh(engine, f"x=5; echo $(({expr}))") == (value + "\n", "", 0)


def test_arithmetic_assignment_and_errors(engine):
    assert sh(engine, "i=1; echo $((i += 2)) $i") == ("3 3\n", "", 0)
    assert sh(engine, "echo $((1 / 0)); echo after") == ("", "sh: divide by zero\n", 2)
    assert sh(engine, "echo $((1 +)); echo after") == ("", "sh: arithmetic syntax error\n", 2)


def test_assignment_of_a_substitution_is_not_split(engine):
    assert sh(engine, 'x=$(echo a; echo b); echo "[$x]"') == ("[a\nb]\n", "", 0)


def test_loops_conditions_and_case(engine):
    assert sh(engine, "for i in 1 2 3; do if [ $i = 2 ]; then continue; fi; echo $i; done") == (
        "1\n3\n", "", 0)
    assert sh(engine, "n=0; while :; do n=$((n+1)); [ $n -ge 3 ] && break; done; echo $n") == (
        "3\n", "", 0)
    assert sh(engine, 'case "x.y" in *.z) echo z;; *.[xy]) echo xy;; esac') == ("xy\n", "", 0)
    assert sh(engine, 'case "*" in "*") echo star;; esac; case ab in "a"*) echo a;; esac') == (
        "star\na\n", "", 0)


def test_multiline_script(engine):
    assert sh(engine, "for i in 1 2\ndo\n  echo $i\ndone\nif [ -d / ]\nthen echo root\nfi") == (
        "1\n2\nroot\n", "", 0)


def test_compound_redirections(engine):
    assert sh(engine, "for i in 1 2; do echo $i; done > /tmp/o; cat /tmp/o") == ("1\n2\n", "", 0)
    assert sh(engine, "{ echo a; echo b >&2; } 2>/dev/null") == ("a\n", "", 0)
    assert sh(engine, "{ echo a; echo b >&2; } 2>&1 >/dev/null") == ("b\n", "", 0)
    assert sh(engine, "{ echo a; echo b >&2; } >/tmp/f 2>&1; cat /tmp/f") == ("a\nb\n", "", 0)
    assert sh(engine, "while read l; do echo [$l]; done < /etc/hostname | wc -l") == (
        "1\n", "", 0)


def test_subshell_and_functions(engine):
    assert sh(engine, "x=1; (x=2; cd /tmp; exit 4); echo $? $x $PWD") == ("4 1 /\n", "", 0)
    assert sh(engine, 'f() { local a=$1; echo "$# $a"; return 3; }; a=0; f x y; echo $? $a') == (
        "2 x\n3 0\n", "", 0)


def test_builtins(engine):
    assert sh(engine, 'printf "%s=%d\\n" a 1 b 2') == ("a=1\nb=2\n", "", 0)
    assert sh(engine, 'printf "%5s|%-3s|%02x\\n" ab c 10') == ("   ab|c  |0a\n", "", 0)
    assert sh(engine, "set -- a b c; shift; echo $# $1") == ("2 b\n", "", 0)
    assert sh(engine, "[ 1 -eq 1") == ("", "sh: missing ]\n", 2)
    assert sh(engine, "[ x -lt 1 ]") == ("", "sh: x: bad number\n", 2)
    assert sh(engine, "[ -f /etc/hostname -a ! -d /etc/hostname ] && echo file") == (
        "file\n", "", 0)
    assert sh(engine, 'echo "a b" | { read x y; echo "$y$x"; }') == ("ba\n", "", 0)


def test_host_bash_loop(engine):
    r = engine.run("for c in bb; do docker exec $c sh -c 'for i in 1 2; do echo $c$i; done'; done")
    assert (r.stdout, r.stderr, r.exit_code) == ("1\n2\n", "", 0)


def test_shell_keeps_working_after_compound(engine):
    # the plain path still runs lists after a script used the compound path
    assert sh(engine, "echo a && echo b || echo c") == ("a\nb\n", "", 0)


def test_parameter_expansion(engine):
    assert sh(engine, "echo ${x:-def} ${#HOME} ${HOME#/} ${y=set} $y ${z:+alt} ${u}x") == (
        "def 5 root set set x\n", "", 0)
    assert sh(engine, "f=a.b.c; echo ${f%.*} ${f%%.*} ${f#*.} ${f##*.}") == ("a.b a b.c c\n", "", 0)
    assert sh(engine, "echo ${x:?unset here}; echo no") == ("", "sh: x: unset here\n", 2)


def test_positional_parameters(engine):
    assert sh(engine, 'set -- "a b" c; for a in "$@"; do echo "[$a]"; done') == (
        "[a b]\n[c]\n", "", 0)
    r = engine.run("docker exec bb sh -c 'echo $0 $2 $#' zero one two")
    assert r.stdout == "zero two 2\n"


def test_for_words_are_pathname_patterns(engine):
    assert sh(engine, 'cd /etc; for f in host* /et?/pas* nope* "*"; do echo $f; done') == (
        "hostname\nhosts\n/etc/passwd\nnope*\n*\n", "", 0)


def test_script_file_runs_line_by_line(engine):
    assert sh(engine, 'printf "echo one\\nif true; then\\n" > /tmp/f.sh; sh /tmp/f.sh') == (
        "one\n", '/tmp/f.sh: line 3: syntax error: unexpected end of file (expecting "fi")\n', 2)


def test_unset_eval_exec_wait(engine):
    assert sh(engine, 'x=1; unset x; echo "[$x]"') == ("[]\n", "", 0)
    assert sh(engine, 'eval "for i in 1 2; do echo \\$i; done"; eval exit 3; echo no') == (
        "1\n2\n", "", 3)
    assert sh(engine, "exec echo hi; echo no") == ("hi\n", "", 0)
    assert sh(engine, 'sh -c "exit 4" & wait $!; echo st=$?') == ("st=4\n", "", 0)


def test_functions_in_subshells(engine):
    assert sh(engine, 'f() { echo in-f $1; }; x=$(f a); echo "[$x]"; (f b); f c | wc -l') == (
        "[in-f a]\nin-f b\n1\n", "", 0)


def test_busy_loop_lets_simulated_time_pass(engine):
    # a detached busy loop must not stop the simulation: later commands still run
    engine.run("docker run -d --name spin busybox sh -c 'while true; do :; done'")
    r = engine.run("docker exec bb sh -c 'sleep 1; echo later'")
    assert r.stdout == "later\n"
    engine.run("docker rm -f spin")
