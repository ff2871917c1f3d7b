"""A small ``sh -c``: lists (``;`` ``&&`` ``||``), pipelines, redirections,
quoting, ``$VAR`` ``$?`` ``$(cmd)`` expansion and the builtins programs in
these scenarios use (``exit``, ``echo``, ``cd``, ``export``, ``:``…).

Pipelines run their stages one after another, each stage's output being the
next one's input: enough for ``echo x | nc`` and ``cmd | grep | sort``.

Processes, as ash makes them: a command that is not the shell's last is run
in a forked child (one PID); the last command of ``sh -c`` (and of a ``$(…)``
subshell or a ``&`` job) replaces the shell instead (``execve``; an applet
busybox runs in place, NOEXEC/NOFORK, keeps the shell's cmdline and only
takes its name: ``{ps} sh -c ps``).  Every stage of a pipeline is forked;
``&`` forks a job that runs on its own while the shell goes on.
"""
from __future__ import annotations

import re

from .. import busybox as _busybox      # run_argv, NOT_FOUND (this package, loading sh)
from .common import subproc

# busybox 1.35 applets marked NOEXEC or NOFORK: ash runs them in its own
# process (``run_noexec_applet_and_exit``) instead of re-executing busybox
IN_PLACE = frozenset("""
[ [[ addgroup adduser adjtimex arch awk basename blkdiscard blkid blockdev brctl cal chattr
chgrp chmod chown chpst chroot chrt chvt cksum clear cp crc32 cryptpw cttyhack cut date dd
deallocvt delgroup deluser df dirname dnsdomainname dos2unix dumpkmap dumpleases echo env
envdir envuidgid expr false fatattr fgconsole find fold free freeramdisk fsfreeze fstrim fsync
getopt groups hd head hexdump hostid hostname id ifenslave insmod ionice ip ipaddr ipcalc ipcrm
ipcs iplink ipneigh iproute iprule iptunnel kbd_mode kill killall killall5 link linux32 linux64
ln loadfont loadkmap logname losetup ls lsattr lsmod lspci lsscsi lsusb makedevs md5sum mesg
minips mkdir mkfifo mknod mkpasswd mktemp modinfo modprobe mountpoint mv nameif nice nohup
nproc nuke partprobe paste pivot_root printenv printf ps pstree pwd pwdx raidautorun rdev
readlink realpath renice reset resize resume rm rmdir rmmod runlevel seq setarch setconsole
setfattr setfont setkeycodes setlogcons setserial setuidgid sha1sum sha256sum sha3sum sha512sum
shuf softlimit sort stat stty sulogin sv svc svok sync sysctl tac taskset test touch true
truncate tty ttysize tune2fs tunctl umount uname unix2dos unlink uptime users usleep vconfig w
which who whoami xargs xxd yes
""".split())

OPS = ("&&", "||", ";;", ">>", "2>&1", ">&2", "1>&2", "2>", "&", "|", ";", ">", "<", "\n")
_OP = re.compile("|".join(map(re.escape, OPS)))     # the first of OPS starting here
_OP_FIRST = frozenset(op[0] for op in OPS)          # where _OP can match at all
# A literal run: up to a blank, a quote, a backslash, a $ or an operator (not
# 2>, which only starts an operator at the start of a word).  Every operator
# but 1>&2 begins with a character that ends the run by itself.
_LITERAL = re.compile(r"""(?:[^ \t'"\\$&|;><\n1]++|1(?!>&2))++""")
_BLANKS = re.compile("[ \t]+")
# At the start of a word, after any blanks: an operator, or a word that is one
# literal run ending at a blank, an operator or the end (not at a quote, a
# backslash or a $, which go on with the word), or nothing (the end, or a word
# for the character-by-character reader: quoted, with expansions, a comment).
_SIMPLE = re.compile(r"""[ \t]*+(?:(%s)|(?!\#)(%s)(?!['"\\$])|)""" % (
    "|".join(map(re.escape, OPS)), _LITERAL.pattern))
# A plain script: words and the operators && || ;; & | ; between blanks,
# nothing else (no quote, backslash, expansion, redirection, comment or
# newline, no operator touching a word or another operator).  Its tokens are
# its pieces between blanks: those that are operators hold all its & | ;.
_SPECIAL = re.compile(r"""['"\\$#<>\n]""")
_LIST_OPS = frozenset(("&&", "||", ";;", "&", "|", ";"))
_DQ_TEXT = re.compile(r'[^"\\$]+')                   # plain text inside "…"
_PARAM = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[?$#0-9!@*]")   # $NAME, $?, $1, $@…
_STATIC_KINDS = frozenset(("lit", "sq", "dq"))
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=.*", re.S)     # NAME=value before a command


class ShSyntaxError(Exception):
    pass


class Word:
    """A shell word with expansions: parts (kind, text) to expand when the
    command runs, kind one of lit, sq, dq (literal and quoted text), var, varq,
    cmd, cmdq (``$X``, ``$(…)``, unquoted or in double quotes).  A word that
    needs no expansion (only literal and quoted text) is read as the string it
    stands for."""
    __slots__ = ("parts",)

    def __init__(self, parts: tuple[tuple[str, str], ...]):
        self.parts = parts

    def __repr__(self):
        return f"Word({self.parts})"


def _word(parts: list[tuple[str, str]]) -> str | Word:
    """The word read as ``parts`` (never empty): its text, or a Word when it
    has expansions."""
    for kind, _ in parts:
        if kind not in _STATIC_KINDS:
            return Word(tuple(parts))
    return "".join(text for _, text in parts)


def tokenize(src: str) -> list:
    """Words (a str, or a :class:`Word` with expansions) and ``("op", OP)``
    tokens.  Blanks end a word; ``#`` at the start of a word comments to the
    end of the line; an operator ends a word, except ``2>``/``2>&1`` inside
    one (``a2>f`` is the word ``a2`` and ``>``).

    A plain script is split at its blanks; otherwise plain words and
    operators are read one match each, and a word with quotes, backslashes or
    ``$`` character by character."""
    if _SPECIAL.search(src) is None:
        toks = [("op", t) if t in _LIST_OPS else t for t in src.replace("\t", " ").split(" ") if t]
        in_ops = "".join([t[1] for t in toks if t.__class__ is tuple])
        if len(in_ops) == src.count("&") + src.count("|") + src.count(";"):
            return toks              # a plain script
    toks: list = []
    i, n = 0, len(src)
    parts: list | None = None        # the parts of the word being read
    while i < n:
        if parts is None:
            for m in _SIMPLE.finditer(src, i):
                op, literal = m.groups()
                if literal is not None:
                    toks.append(literal)
                elif op is not None:
                    toks.append(("op", ";" if op == "\n" else op))
                else:
                    i = m.end()
                    break
            if i >= n:
                break
        c = src[i]
        if c == " " or c == "\t":
            if parts is not None:
                toks.append(_word(parts))
                parts = None
            i = _BLANKS.match(src, i).end()
            continue
        if c == "#" and parts is None:
            j = src.find("\n", i)
            i = n if j < 0 else j
            continue
        if c in _OP_FIRST:
            m = _OP.match(src, i)
            if m is not None:
                op = m.group()
                if parts is None or (op != "2>" and op != "2>&1"):
                    if parts is not None:
                        toks.append(_word(parts))
                        parts = None
                    toks.append(("op", ";" if op == "\n" else op))
                    i = m.end()
                    continue
        if parts is None:
            parts = []
        if c == "'":
            j = src.find("'", i + 1)
            if j < 0:
                raise ShSyntaxError("unterminated quoted string")
            parts.append(("sq", src[i + 1:j]))
            i = j + 1
        elif c == '"':
            i += 1
            buf = ""
            while i < n:
                c = src[i]
                if c == '"':
                    break
                if c == "\\" and i + 1 < n and src[i + 1] in '"\\$`':
                    buf += src[i + 1]
                    i += 2
                elif c == "\\":
                    buf += c
                    i += 1
                elif c == "$":
                    if buf:
                        parts.append(("dq", buf))
                        buf = ""
                    i = _dollar(src, i, parts, quoted=True)
                else:
                    j = _DQ_TEXT.match(src, i).end()
                    buf += src[i:j]
                    i = j
            if i >= n:
                raise ShSyntaxError("unterminated quoted string")
            parts.append(("dq", buf))
            i += 1
        elif c == "\\" and i + 1 < n:
            parts.append(("sq", src[i + 1]))
            i += 2
        elif c == "$":
            i = _dollar(src, i, parts, quoted=False)
        elif c == "\\":
            # a backslash ending the script: ash keeps it as it is
            parts.append(("lit", c))
            i += 1
        else:
            j = _LITERAL.match(src, i).end()
            parts.append(("lit", src[i:j]))
            i = j
    if parts is not None:
        toks.append(_word(parts))
    return toks


def close_parens(src: str, j: int, depth: int) -> int:
    """The index just after the ``)`` that closes ``depth`` open parentheses,
    reading from ``src[j]``; -1 when the text ends first."""
    n = len(src)
    while j < n and depth:
        if src[j] == "(":
            depth += 1
        elif src[j] == ")":
            depth -= 1
        j += 1
    return -1 if depth else j


def _dollar(src, i, parts, quoted):
    if src.startswith("$(", i):
        j = close_parens(src, i + 2, 1)
        if j < 0:
            raise ShSyntaxError("unterminated $(")
        parts.append(("cmdq" if quoted else "cmd", src[i + 2:j - 1]))
        return j
    if src.startswith("${", i):
        j = src.find("}", i)
        if j < 0:
            raise ShSyntaxError("missing '}'")   # ash: an unterminated ${
        parts.append(("varq" if quoted else "var", src[i + 2:j]))
        return j + 1
    m = _PARAM.match(src, i + 1)
    if not m:
        parts.append(("dq" if quoted else "lit", "$"))
        return i + 1
    parts.append(("varq" if quoted else "var", m.group(0)))
    return m.end()


# -- parsing: list := pipeline ((&&|'||'|;) pipeline)* ------------------------

def parse(toks):
    """Items ``(op, pipeline, background)``: ``op`` joins it to the previous one.

    One pass over the tokens: a command is words and redirections up to an
    operator; ``|`` joins commands into a pipeline, another operator ends the
    pipeline (``&`` puts it in the background and joins the next one as
    ``;``).  An empty pipeline after ``&&`` or ``||`` is a syntax error, one
    after ``;`` or at the start is nothing; the end of the script after an
    operator ends no pipeline."""
    items = []
    pending_op = None                # the operator before the pipeline being read
    cmds: list = []                  # the pipeline being read
    words: list = []                 # its command being read
    redirs: list = []
    it = iter(toks)
    for t in it:
        if t.__class__ is not tuple:     # a word
            words.append(t)
            continue
        op = t[1]
        if op in _REDIRECT_TO_WORD:
            target = next(it, None)
            if target is None or target.__class__ is tuple:
                raise ShSyntaxError(f"unexpected {'newline' if target is None else target[1]}")
            redirs.append((op, target))
            continue
        if op in _REDIRECT_FD:
            redirs.append((op, None))
            continue
        cmds.append({"words": words, "redirs": redirs})
        if op == "|":
            words, redirs = [], []
            continue
        if words or redirs or len(cmds) > 1:
            items.append((pending_op, cmds, op == "&"))
        elif pending_op in ("&&", "||"):
            raise ShSyntaxError("unexpected")
        pending_op = ";" if op == "&" else op
        cmds, words, redirs = [], [], []
    if words or redirs or cmds:          # tokens after the last operator
        cmds.append({"words": words, "redirs": redirs})
        if words or redirs or len(cmds) > 1:
            items.append((pending_op, cmds, False))
        elif pending_op in ("&&", "||"):
            raise ShSyntaxError("unexpected")
    return items


_REDIRECT_TO_WORD = frozenset((">", ">>", "<", "2>"))
_REDIRECT_FD = frozenset((">&2", "1>&2", "2>&1"))


class Shell:
    def __init__(self, proc):
        self.proc = proc
        self.vars = dict(proc.env)
        self.vars.setdefault("PWD", proc.cwd or "/")
        try:
            level = int(proc.env.get("SHLVL", "0"))
        except ValueError:
            level = 0
        self.vars["SHLVL"] = str(level + 1)
        self.status = 0
        self.pid = proc.pid            # $$: a subshell keeps its parent's
        self.last_job = ""             # $!
        self.params: list[str] = []    # $1 $2 … (set --, shift, function calls)
        self.arg0 = "sh"               # $0
        self.jobs: list = []           # (pid, sim Process) of each & job, for wait
        self.job_signals: dict = {}    # pid -> the signal that ended that job
        self.functions: dict = {}      # NAME() { …; }: sh_compound runs their calls
        self.traps: dict = {}          # signal (0: EXIT) -> trap action (sh_signals)
        self.pending_signals: list = []  # caught, their traps not run yet

    def signal_caught(self, sig: int) -> None:
        """The shell's signal handler: the trap runs between commands.  ash
        keeps one flag per signal (``gotsig``): a signal that arrives again
        before its trap ran is one pending signal."""
        if sig not in self.pending_signals:
            self.pending_signals.append(sig)

    # expansion
    def expand(self, word: str | Word):
        """Expand one word into a list of fields (unquoted expansions split)."""
        if word.__class__ is str:
            return [word]
        fields: list[str] = []
        cur = ""
        have = False
        for kind, text in word.parts:
            if kind in ("lit", "sq", "dq"):
                cur += text
                have = True
            elif kind in ("var", "varq", "cmd", "cmdq", "arith", "arithq"):
                if kind == "varq" and text == "@":   # "$@": a field for each parameter
                    if self.params:
                        for p in self.params[:-1]:
                            fields.append(cur + p)
                            cur = ""
                        cur += self.params[-1]
                        have = True
                    continue
                if kind.startswith("var"):
                    val = self._var(text)
                elif kind.startswith("arith"):       # $(( )): sh_compound's
                    val = sh_compound.arith(self, text)
                else:
                    val = yield from self._capture(text)
                    val = val.rstrip("\n")
                if kind.endswith("q"):
                    cur += val
                    have = True
                else:
                    pieces = val.split()
                    if not pieces:
                        continue
                    if val[:1].isspace() and (cur or have):
                        fields.append(cur)
                        cur, have = "", False
                    cur += pieces[0]
                    for p in pieces[1:]:
                        fields.append(cur)
                        cur = p
                    have = True
                    if val[-1:].isspace():
                        fields.append(cur)
                        cur, have = "", False
        if cur or have:
            fields.append(cur)
        return fields

    def _assignment_value(self, word: Word):
        """``NAME=$(…)``: an assignment's value is not split into fields."""
        quoted = tuple((kind + "q" if kind in ("var", "cmd", "arith") else kind, text)
                       for kind, text in word.parts)
        return "".join((yield from self.expand(Word(quoted))))

    def _var(self, name):
        if name == "?":
            return str(self.status)
        if name == "$":
            return str(self.pid)
        if name == "!":
            return self.last_job
        if name == "#":
            return str(len(self.params))
        if name == "0":
            return self.arg0
        if name.isdigit():
            k = int(name)
            return self.params[k - 1] if k <= len(self.params) else ""
        if name == "@" or name == "*":
            return " ".join(self.params)
        value = self.vars.get(name)
        if value is None:       # unset, or ${NAME:-WORD}, ${#NAME}, ${NAME%PATTERN}…
            return sh_compound.parameter(self, name)
        return value

    def _capture(self, src):
        buf: list[str] = []

        def hook(stream, text):
            if stream == "stdout":
                buf.append(text)
            else:
                self.proc.err(text)
        child = subproc(self.proc, ["sh", "-c", src], on_output=hook, env=self.vars)
        task = self.proc.fork()                  # the subshell
        child.attach(task)
        sub = Shell(child)
        sub.vars = dict(self.vars)
        sub.pid = self.pid
        sub.arg0, sub.params, sub.functions = self.arg0, list(self.params), dict(self.functions)
        try:
            st = yield from sub.run(src, exec_last=True)
        finally:
            self.proc.exit_task(task)
        self.status = st
        return "".join(buf)

    # execution
    def run(self, src: str, exec_last: bool = False):
        """Run a script; ``exec_last``: its last command replaces the shell
        (ash's EV_EXIT for ``sh -c``)."""
        try:
            # if/for/while/case, { }, ( ), $(( )), `…`, break…: sh_compound's language
            if sh_compound.has_compound_syntax(src):
                items = None
            else:
                toks = tokenize(src)
                items = (None if self.functions or not sh_compound.COMPOUND_WORDS.isdisjoint(toks)
                         else parse(toks))
        except ShSyntaxError as e:
            self.proc.err(f"sh: syntax error: {e}\n")
            return 2
        if items is None:
            return (yield from sh_compound.run(self, src, exec_last))
        try:
            for k, (op, cmds, background) in enumerate(items):
                if op == "&&" and self.status != 0:
                    continue
                if op == "||" and self.status == 0:
                    continue
                if background:
                    self.status = self.background(cmds)
                    continue
                tail = exec_last and k == len(items) - 1 and not self.traps
                if len(cmds) == 1:               # a simple command (pipeline() without its frame)
                    self.status = yield from self.command(cmds[0], stdin=None, collect=None, tail=tail)
                else:
                    self.status = yield from self.pipeline(cmds, tail=tail)
                if self.pending_signals:
                    yield from sh_signals.dotrap(self)
        except _Exit as e:
            return e.code
        return self.status

    def background(self, cmds) -> int:
        """``cmd &``: a forked job running on its own; the shell goes on."""
        child = subproc(self.proc, list(self.proc.argv), stdin="", on_output=self.proc.on_output,
                        env=self.vars)
        child.stdout, child.stderr = self.proc.stdout, self.proc.stderr
        task = self.proc.fork()
        child.attach(task)
        sub = Shell(child)
        sub.vars = dict(self.vars)
        sub.pid = self.pid
        sub.arg0, sub.params, sub.functions = self.arg0, list(self.params), dict(self.functions)
        process = self.proc.sched.process(sub.pipeline(cmds, tail=True), name="sh:job")
        self.jobs.append((str(task.pid) if task is not None else "", process))
        if task is not None:
            self.last_job = str(task.pid)
            task.on_kill = lambda sig, pid=str(task.pid), p=process: self._job_killed(pid, p, sig)
            process.add_callback(lambda ev, t=task: self.proc.exit_task(t))
        return 0

    def _job_killed(self, pid: str, process, sig: int) -> None:
        self.job_signals[pid] = sig
        process.kill()

    def pipeline(self, cmds, tail: bool = False):
        """Run a pipeline; ``tail``: a lone command replaces the shell."""
        if len(cmds) == 1:
            return (yield from self.command(cmds[0], stdin=None, collect=None, tail=tail))
        # ash forks every stage before waiting for any
        tasks = [self.proc.fork(_static_argv(cmd) or None) for cmd in cmds]
        data = None
        status = 0
        try:
            for k, cmd in enumerate(cmds):
                last = k == len(cmds) - 1
                collected: list[str] | None = None if last else []
                status = yield from self.command(cmd, stdin=data, collect=collected, task=tasks[k])
                if tasks[k] is not None:
                    self.proc.exit_task(tasks[k])
                if not last:
                    data = "".join(collected)
        finally:
            for t in tasks:
                if t is not None:
                    self.proc.exit_task(t)
        return status

    def command(self, cmd, stdin, collect, task=None, tail=False):
        """One simple command: a builtin in the shell, else a program in
        ``task`` (a pipeline stage), in a forked child, or, when ``tail``,
        in the shell's own process."""
        argv = []
        for w in cmd["words"]:
            if w.__class__ is str:
                argv.append(w)
            elif w.parts[0][0] == "lit" and _ASSIGNMENT.match(w.parts[0][1]) and all(
                    _ASSIGNMENT.fullmatch(a) for a in argv):
                argv.append((yield from self._assignment_value(w)))
            else:
                argv += (yield from self.expand(w))
        # assignments
        assigns = {}
        while argv and "=" in argv[0] and _ASSIGNMENT.fullmatch(argv[0]):
            k, _, v = argv.pop(0).partition("=")
            assigns[k] = v
        if not argv:
            self.vars.update(assigns)
            return 0
        out_target = None  # (path, append) or "stderr"
        err_target = None
        for op, w in cmd["redirs"]:
            if op in (">", ">>", "2>"):
                target = (yield from self.expand(w))
                path = target[0] if target else ""
                fpath = self.proc.fs.norm(path, self.proc.cwd or "/")
                if path == "/dev/null":
                    spec = ("null", False)
                else:
                    try:
                        if op == ">>":
                            self.proc.fs.write(fpath, "", append=True)
                        else:
                            self.proc.fs.write(fpath, "")
                    except OSError as e:
                        why = ("Is a directory" if isinstance(e, IsADirectoryError) else
                               "nonexistent directory" if isinstance(e, FileNotFoundError) else e.strerror)
                        self.proc.err(f"sh: can't create {path}: {why}\n")
                        return 1
                    spec = (fpath, True)
                if op == "2>":
                    err_target = spec
                else:
                    out_target = spec
            elif op == "<<":                      # a here-document (sh_compound's tokenizer)
                stdin = yield from sh_compound.heredoc_text(self, w)
            elif op == "<":
                target = (yield from self.expand(w))
                try:
                    stdin = self.proc.fs.read(self.proc.fs.norm(target[0], self.proc.cwd or "/"))
                except (FileNotFoundError, IsADirectoryError):
                    self.proc.err(f"sh: can't open {target[0]}: no such file\n")
                    return 1
            elif op in (">&2", "1>&2"):
                out_target = "stderr"
            elif op == "2>&1":
                err_target = out_target or "stdout"

        proc = self.proc
        if out_target is None and err_target is None and collect is None:
            hook = proc.emit             # straight to the shell's own stdout and stderr
        else:
            hook = _output_hook(proc, out_target, err_target, collect)
        name = argv[0]
        builtin = BUILTINS.get(name)
        child = subproc(proc, argv, stdin=stdin if stdin is not None else "", on_output=hook,
                        env={**self.vars, **assigns} if assigns else self.vars)
        if builtin is not None:
            return (yield from builtin(self, child))
        gen = (proc.programs or _busybox.run_argv)(child)
        if gen is _busybox.NOT_FOUND:
            proc.err(getattr(proc.programs, "not_found", _not_found)(name))
            return 127
        if task is not None:                     # a pipeline stage, forked already
            child.attach(task)
            child.execve(argv)
            return (yield from gen)
        if tail:                                 # the shell's last command: execve
            if proc.programs is None and child.argv[0] in IN_PLACE:
                proc.set_comm(child.argv[0])
            else:
                proc.execve(argv)
            return (yield from gen)
        forked = proc.fork(argv)
        child.attach(forked)
        try:
            return (yield from gen)
        finally:
            proc.exit_task(forked)


def _output_hook(proc, out_target, err_target, collect):
    """Where a command's output goes: its redirections' targets (a file
    ``(path, True)``, ``("null", False)``, ``"stderr"``, ``"stdout"``), else
    ``collect`` (a pipeline stage's) or the shell's own streams."""
    fs = proc.fs

    def write(target, default, text):
        if target is None:
            if default == "collect":
                collect.append(text)
            elif default == "stdout":
                proc.out(text)
            else:
                proc.err(text)
        elif target == "stderr":
            proc.err(text)
        elif target == "stdout":
            write(None, "collect" if collect is not None else "stdout", text)
        elif target[0] == "null":
            pass
        else:
            fs.write(target[0], text, append=True)

    def hook(stream, text):
        if stream == "stdout":
            write(out_target, "collect" if collect is not None else "stdout", text)
        else:
            write(err_target, "stderr", text)
    return hook


def _static_argv(cmd) -> list[str]:
    """A command's words when they need no expansion (what a stage's cmdline
    will be), else []."""
    argv = []
    for w in cmd["words"]:
        if w.__class__ is not str:
            return []
        argv.append(w)
    return argv


def _not_found(name: str) -> str:
    return f"sh: {name}: not found\n"


class _Exit(Exception):
    def __init__(self, code):
        self.code = code


def _b_exit(sh, child):
    args = child.argv[1:]
    if args and not re.fullmatch(r"-?\d+", args[0]):
        child.err(f"sh: exit: Illegal number: {args[0]}\n")
        raise _Exit(2)
    raise _Exit(int(args[0]) & 0xFF if args else sh.status)
    yield


def _b_echo(sh, child):
    from .coreutils import echo_text
    child.out(echo_text(child.argv[1:]))
    return 0
    yield


def _b_cd(sh, child):
    target = child.argv[1] if len(child.argv) > 1 else sh.vars.get("HOME", "/")
    path = sh.proc.fs.norm(target, sh.proc.cwd or "/")
    if not sh.proc.fs.is_dir(path):
        child.err(f"sh: cd: can't cd to {target}: No such file or directory\n")
        return 2
    sh.proc.cwd = path
    return 0
    yield


def _b_export(sh, child):
    for a in child.argv[1:]:
        k, eq, v = a.partition("=")
        if eq:
            sh.vars[k] = v
    return 0
    yield


def _b_true(sh, child):
    return 0
    yield


def _b_false(sh, child):
    return 1
    yield


def _b_pwd(sh, child):
    child.out((sh.proc.cwd or "/") + "\n")
    return 0
    yield


BUILTINS = {"exit": _b_exit, "echo": _b_echo, "cd": _b_cd, "export": _b_export,
            ":": _b_true, "true": _b_true, "false": _b_false, "pwd": _b_pwd}


def sh_main(proc):
    args = proc.argv[1:]
    if args and args[0] == "-c":
        if len(args) < 2:
            proc.err("sh: -c requires an argument\n")
            return 2
        shell = Shell(proc)
        if len(args) > 2:                   # sh -c SCRIPT NAME ARG…: $0 $1…
            shell.arg0, shell.params = args[2], list(args[3:])
        sh_signals.catch_signals(shell)
        status = yield from shell.run(args[1], exec_last=True)
        return (yield from sh_signals.exit_trap(shell, status))
    if args:
        try:
            src = proc.fs.read(proc.fs.norm(args[0], proc.cwd or "/"))
        except (FileNotFoundError, IsADirectoryError):
            proc.err(f"sh: can't open '{args[0]}': No such file or directory\n")
            return 2
        shell = Shell(proc)
        shell.arg0, shell.params = args[0], list(args[1:])      # sh SCRIPT ARG…: $0 $1…
        sh_signals.catch_signals(shell)
        status = yield from sh_compound.run(shell, src, script=args[0])
        return (yield from sh_signals.exit_trap(shell, status))
    if proc.tty and not proc.stdin:
        # An interactive shell on a terminal nobody types into (``docker run -it``
        # followed by a detach): it waits for input until it is killed.
        yield proc.sched.event()
    return (yield from Shell(proc).run(proc.stdin))


# compound commands (if, for, while, case, functions…), $(( )) and the
# builtins that go with them (test, [, printf, read, shift, set, local…)
from . import sh_compound       # noqa: E402  (it imports this module's names)
from . import sh_signals        # noqa: E402
BUILTINS.update(sh_compound.BUILTINS)
BUILTINS["trap"] = sh_signals.trap_builtin
