"""busybox ash's compound commands for :mod:`.sh`: ``if``, ``for``, ``while``,
``until``, ``case``, ``{ …; }``, ``( … )``, functions, ``!`` pipelines,
``break``/``continue``/``return``, arithmetic ``$(( ))``, backquotes, and the
builtins scripts use with them (``test``/``[``, ``printf``, ``read``,
``shift``, ``set --``, ``local``).

:meth:`.sh.Shell.run` hands a script here when :func:`has_compound_syntax`
finds one of these in it or one of its words is in :data:`COMPOUND_WORDS`
(script files, ``sh FILE``, always come here); simple commands and pipelines of simple commands still run
through :meth:`Shell.command` and :meth:`Shell.pipeline`, so a compound
script's commands behave as they do in a plain list.  Error texts are ash's
(``sh: syntax error: unexpected end of file (expecting "done")``, exit 2).
"""
from __future__ import annotations

import re

from . import sh as _sh
from .sh import OPS, ShSyntaxError, Word, _Exit, _LITERAL, _dollar

RESERVED = frozenset(("if", "then", "elif", "else", "fi", "for", "in", "do", "done", "while",
                      "until", "case", "esac", "{", "}", "!"))
# A script needs this module when one of its words (as .sh reads them) is a
# reserved word or a loop/function builtin, or (has_compound_syntax) when it
# has a subshell, a group, a function, $(( )) or a backquote.
COMPOUND_WORDS = RESERVED | {"break", "continue", "return"}
_SUBSHELL = re.compile(r"(?<!\$)\(")          # ( not opening $( (but $(( )


def has_compound_syntax(src: str) -> bool:
    """``(``, ``{``, ``$((`` or a backquote in ``src`` (substring tests
    first: the plain lists of the hot path have none of these characters)."""
    if "`" in src or "{" in src and "${" not in src or "<<" in src:
        return True
    if "{" in src and re.search(r"(?<!\$)\{", src):
        return True
    return "(" in src and _SUBSHELL.search(src) is not None
_OPS2 = OPS + ("(", ")")
_OP = re.compile("|".join(map(re.escape, _OPS2)))
_OP_FIRST = frozenset(op[0] for op in _OPS2)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_REDIRECT_TO_WORD = frozenset((">", ">>", "<", "2>", "<<"))


class HereDoc:
    """A here-document's body: expanded as in double quotes (``$``, `` ` ``,
    ``\\``) unless its delimiter was quoted."""
    __slots__ = ("body", "expand")

    def __init__(self, body: str = "", expand: bool = True):
        self.body, self.expand = body, expand

    def __repr__(self):
        return f"HereDoc({self.body!r}, expand={self.expand})"


def heredoc_text(sh, doc: "HereDoc"):
    """The text a here-document feeds its command (a generator: ``$(…)`` runs)."""
    if not doc.expand:
        return doc.body
    parts: list = []
    _i, buf = _double_quoted(doc.body, 0, parts, None)
    if buf:
        parts.append(("dq", buf))
    if not parts:
        return ""
    fields = yield from sh.expand(Word(tuple(parts)))
    return "".join(fields)
_REDIRECT_FD = frozenset((">&2", "1>&2", "2>&1"))
_SEPARATORS = (";", "\n", "&")


# -- tokens -------------------------------------------------------------------

def tokenize(src: str, lines: list | None = None) -> list:
    """As :func:`.sh.tokenize`, with ``(`` ``)`` operators, newlines kept as
    ``("op", "\\n")``, ``$(( ))`` as ``arith`` parts and backquotes as ``cmd``
    parts.  A word is a plain ``str`` only when it is unquoted literal text
    (what can be a reserved word); other words are :class:`Word`.  ``lines``
    gets the line number of each token."""
    toks: list = []
    i, n = 0, len(src)
    parts: list | None = None

    word_start = 0

    def end_word():
        nonlocal parts
        if parts is not None:
            if all(k == "lit" for k, _ in parts):
                toks.append("".join(t for _, t in parts))
            else:
                toks.append(Word(tuple(parts)))
            if lines is not None:
                lines.append(src.count("\n", 0, word_start) + 1)
            parts = None

    pending: list = []            # here-documents whose bodies follow the next newline

    def read_bodies(start: int) -> int:
        """The bodies of the pending here-documents, from ``start`` (the
        character after a newline); where the line after the last one begins."""
        j = start
        for doc, delim, strip in pending:
            lines_ = []
            while j < n:
                k = src.find("\n", j)
                line = src[j:] if k < 0 else src[j:k]
                j = n if k < 0 else k + 1
                if (line.lstrip("\t") if strip else line) == delim:
                    break
                lines_.append(line.lstrip("\t") if strip else line)
            doc.body = "".join(x + "\n" for x in lines_)
        pending.clear()
        return j

    while i < n:
        c = src[i]
        if c == " " or c == "\t":
            end_word()
            i += 1
            continue
        if c == "<" and src.startswith("<<", i) and not src.startswith("<<<", i):
            end_word()
            toks.append(("op", "<<"))
            if lines is not None:
                lines.append(src.count("\n", 0, i) + 1)
            i += 2
            strip = src.startswith("-", i)
            if strip:
                i += 1
            while i < n and src[i] in " \t":
                i += 1
            j = i
            while j < n and src[j] not in " \t\n;&|<>()":
                j += 1
            raw = src[i:j]
            if not raw:
                raise ShSyntaxError("unexpected newline")
            delim = raw.replace("'", "").replace('"', "").replace("\\", "")
            doc = HereDoc(expand=delim == raw)
            toks.append(doc)
            if lines is not None:
                lines.append(src.count("\n", 0, i) + 1)
            pending.append((doc, delim, strip))
            i = j
            continue
        if c == "\n" and pending:
            end_word()
            toks.append(("op", "\n"))
            if lines is not None:
                lines.append(src.count("\n", 0, i) + 1)
            i = read_bodies(i + 1)
            continue
        if c == "#" and parts is None:
            j = src.find("\n", i)
            i = n if j < 0 else j
            continue
        if c == "\\" and src.startswith("\n", i + 1):       # line continuation
            i += 2
            continue
        if c in _OP_FIRST:
            m = _OP.match(src, i)
            if m is not None:
                op = m.group()
                if parts is None or (op != "2>" and op != "2>&1"):
                    end_word()
                    toks.append(("op", op))
                    if lines is not None:
                        lines.append(src.count("\n", 0, i) + 1)
                    i = m.end()
                    continue
        if parts is None:
            parts = []
            word_start = i
        if c == "'":
            j = src.find("'", i + 1)
            if j < 0:
                raise ShSyntaxError("unterminated quoted string")
            parts.append(("sq", src[i + 1:j]))
            i = j + 1
        elif c == '"':
            i, buf = _double_quoted(src, i + 1, parts, '"')
            if i >= n:
                raise ShSyntaxError("unterminated quoted string")
            parts.append(("dq", buf))
            i += 1
        elif c == "\\" and i + 1 < n:
            parts.append(("sq", src[i + 1]))
            i += 2
        elif c == "$" or c == "`":
            i = _expansion(src, i, parts, quoted=False)
        elif c == "\\":
            parts.append(("lit", c))
            i += 1
        else:
            m = _LITERAL.match(src, i)
            j = m.end() if m and m.end() > i else i + 1
            # ( ) end a literal run too (not operators of .sh's tokenizer)
            k = min((p for p in (src.find("(", i, j), src.find(")", i, j)) if p >= 0), default=j)
            j = max(k, i + 1) if k > i else j
            parts.append(("lit", src[i:j]))
            i = j
    end_word()
    if pending:
        read_bodies(n)
    return toks


def _double_quoted(src: str, i: int, parts: list, end: str | None):
    """Text as inside double quotes from ``src[i]`` up to ``end`` (``"``;
    None: the end of ``src``, a here-document's body): ``\\`` escapes ``$``,
    `` ` ``, ``\\``, a newline (and ``end``); expansions go to ``parts``.
    Returns the index of ``end`` (or ``len(src)``) and the literal text
    after the last expansion, for the caller to append."""
    n, buf = len(src), ""
    escapable = "\\$`\n" + (end or "")
    while i < n and src[i] != end:
        c = src[i]
        if c == "\\" and i + 1 < n and src[i + 1] in escapable:
            if src[i + 1] != "\n":
                buf += src[i + 1]
            i += 2
        elif c == "$" or c == "`":
            if buf:
                parts.append(("dq", buf))
                buf = ""
            i = _expansion(src, i, parts, quoted=True)
        else:
            buf += c
            i += 1
    return i, buf


def _expansion(src, i, parts, quoted):
    """``$((…))``, ```…``` or one of .sh's ``$`` expansions at ``src[i]``."""
    n = len(src)
    if src.startswith("$((", i):
        j = _sh.close_parens(src, i + 3, 2)
        if j < 0:
            raise ShSyntaxError('unexpected end of file (expecting ")")')
        parts.append(("arithq" if quoted else "arith", src[i + 3:j - 2]))
        return j
    if src[i] == "`":
        buf, j = "", i + 1
        while j < n and src[j] != "`":
            if src[j] == "\\" and j + 1 < n and src[j + 1] in "\\`$":
                buf += src[j + 1]
                j += 2
            else:
                buf += src[j]
                j += 1
        if j >= n:
            raise ShSyntaxError('unexpected end of file (expecting "`")')
        parts.append(("cmdq" if quoted else "cmd", buf))
        return j + 1
    return _dollar(src, i, parts, quoted)


# -- syntax tree ----------------------------------------------------------------
# nodes are tuples: ("list", [(op, and_or_node, background)]),
# ("pipe", negate, [command nodes]), ("simple", {"words", "redirs"}),
# ("if", [(cond, body)], else_body), ("for", name, words | None, body),
# ("while", until, cond, body), ("case", word, [(patterns, body)]),
# ("group", body), ("sub", body), ("func", name, body); compound commands
# carry their redirections: ("redir", node, redirs).

def _tokname(t) -> str:
    if t is None:
        return "end of file"
    if t.__class__ is tuple:
        return "newline" if t[1] == "\n" else f'"{t[1]}"'
    if t.__class__ is str and t in RESERVED:
        return f'"{t}"'
    return "word"


_KEYWORDS = {"{": "c_group", "if": "c_if", "for": "c_for", "while": "c_while",
             "until": "c_until", "case": "c_case"}


class Parser:
    def __init__(self, toks, lines=None, eof_line=1):
        self.toks = toks
        self.lines = lines
        self.eof_line = eof_line             # the line of the end of the script
        self.i = 0

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else None

    def next(self):
        t = self.peek()
        self.i += 1
        return t

    def error(self, expecting=None):
        msg = f"unexpected {_tokname(self.peek())}"
        if expecting:
            msg += f' (expecting "{expecting}")'
        e = ShSyntaxError(msg)
        e.line = self.lines[self.i] if self.lines and self.i < len(self.lines) else self.eof_line
        raise e

    def is_op(self, *ops):
        t = self.peek()
        return t.__class__ is tuple and t[1] in ops

    def is_word(self, *words):
        t = self.peek()
        return t.__class__ is str and t in words

    def skip_newlines(self):
        while self.is_op("\n"):
            self.i += 1

    def expect_word(self, word):
        self.skip_newlines()
        if not self.is_word(word):
            self.error(word)
        self.i += 1

    def script(self):
        items = []
        while True:
            command = self.complete_command()
            if command is None:
                return ("list", items)
            items += command[1]

    def complete_command(self):
        """The next command of the script up to a newline (ash parses and
        runs a script one such command at a time), None at its end."""
        self.skip_newlines()
        if self.peek() is None:
            return None
        body = self.list_((), line=True)
        if self.peek() is not None and not self.is_op("\n") and not body[1]:
            self.error()
        if self.peek() is not None and not self.is_op("\n") and self.toks[self.i - 1] != ("op", "\n"):
            self.error()
        return body

    def list_(self, enders, expecting=None, need=False, line=False):
        """and-or lists up to one of ``enders`` (reserved words), ``)``,
        ``;;`` or the end; ``need``: the list must have a command; ``line``:
        up to the end of the line."""
        items = []
        while True:
            if line and items and self.toks[self.i - 1] == ("op", "\n"):
                break
            while self.is_op(";", "\n") and (items or not self.is_op(";")):
                self.i += 1
            t = self.peek()
            if t is None or (t.__class__ is str and t in enders) or self.is_op(")", ";;"):
                break
            if t.__class__ is str and t in ("then", "do", "done", "fi", "elif", "else", "esac", "}", "in"):
                self.error(expecting)
            node = self.and_or()
            background = False
            if self.is_op("&"):
                background = True
                self.i += 1
            elif self.is_op(";", "\n"):
                self.i += 1
            items.append((node, background))
            t = self.peek()
        if need and not items:
            self.error(expecting)
        return ("list", items)

    def and_or(self):
        node = [(None, self.pipeline())]
        while self.is_op("&&", "||"):
            op = self.next()[1]
            self.skip_newlines()
            node.append((op, self.pipeline()))
        return ("andor", node)

    def pipeline(self):
        negate = False
        if self.is_word("!"):
            self.i += 1
            negate = True
        cmds = [self.command()]
        while self.is_op("|"):
            self.i += 1
            self.skip_newlines()
            cmds.append(self.command())
        return ("pipe", negate, cmds)

    def command(self):
        t = self.peek()
        if t.__class__ is str:
            kw = _KEYWORDS.get(t)
            if kw is not None:
                self.i += 1
                return self.redirected(getattr(self, kw)())
            if (_NAME.fullmatch(t) and self.i + 2 < len(self.toks) + 1
                    and self.toks[self.i + 1:self.i + 3] == [("op", "("), ("op", ")")]):
                self.i += 3
                self.skip_newlines()
                body = self.command()
                return ("func", t, body)
        if self.is_op("("):
            self.i += 1
            body = self.list_((), ")", need=True)
            if not self.is_op(")"):
                self.error(")")
            self.i += 1
            return self.redirected(("sub", body))
        return self.simple()

    def redirected(self, node):
        redirs = self.redirections([])
        return ("redir", node, redirs) if redirs else node

    def redirections(self, redirs):
        while True:
            t = self.peek()
            if t.__class__ is tuple and t[1] in _REDIRECT_TO_WORD:
                self.i += 1
                target = self.peek()
                if target is None or target.__class__ is tuple:
                    self.error()
                self.i += 1
                redirs.append((t[1], target))
            elif t.__class__ is tuple and t[1] in _REDIRECT_FD:
                self.i += 1
                redirs.append((t[1], None))
            else:
                return redirs

    def simple(self):
        words, redirs = [], []
        while True:
            t = self.peek()
            if t is None:
                break
            if t.__class__ is tuple:
                if t[1] in _REDIRECT_TO_WORD or t[1] in _REDIRECT_FD:
                    self.redirections(redirs)
                    continue
                if t[1] == "(" :
                    self.error()
                break
            words.append(t)
            self.i += 1
        if not words and not redirs:
            self.error()
        return ("simple", {"words": words, "redirs": redirs})

    def c_group(self):
        body = self.list_(("}",), "}", need=True)
        self.expect_word("}")
        return ("group", body)

    def c_if(self):
        arms = []
        cond = self.list_(("then",), "then", need=True)
        self.expect_word("then")
        body = self.list_(("elif", "else", "fi"), "fi", need=True)
        arms.append((cond, body))
        other = None
        while True:
            if self.is_word("elif"):
                self.i += 1
                cond = self.list_(("then",), "then", need=True)
                self.expect_word("then")
                arms.append((cond, self.list_(("elif", "else", "fi"), "fi", need=True)))
            elif self.is_word("else"):
                self.i += 1
                other = self.list_(("fi",), "fi", need=True)
                self.expect_word("fi")
                break
            else:
                self.expect_word("fi")
                break
        return ("if", arms, other)

    def c_for(self):
        name = self.next()
        if name.__class__ is not str or not _NAME.fullmatch(name):
            raise ShSyntaxError("bad for loop variable")
        words = None
        self.skip_newlines()
        if self.is_word("in"):
            self.i += 1
            words = []
            while self.peek() is not None and self.peek().__class__ is not tuple:
                words.append(self.next())
            if not self.is_op(";", "\n"):
                self.error("do")
            self.i += 1
        elif self.is_op(";"):
            self.i += 1
        self.expect_word("do")
        return ("for", name, words, self.loop_body())

    def loop_body(self):
        body = self.list_(("done",), "done", need=True)
        self.expect_word("done")
        return body

    def c_while(self, until=False):
        cond = self.list_(("do",), "do", need=True)
        self.expect_word("do")
        return ("while", until, cond, self.loop_body())

    def c_until(self):
        return self.c_while(until=True)

    def c_case(self):
        word = self.next()
        if word is None or word.__class__ is tuple:
            self.i -= 1
            self.error()
        self.skip_newlines()
        if not self.is_word("in"):
            self.error("in")
        self.i += 1
        arms = []
        while True:
            self.skip_newlines()
            if self.is_word("esac"):
                self.i += 1
                return ("case", word, arms)
            if self.is_op("("):
                self.i += 1
            patterns = []
            while True:
                t = self.peek()
                if t is None or t.__class__ is tuple:
                    self.error(")")
                patterns.append(t)
                self.i += 1
                if self.is_op("|"):
                    self.i += 1
                    continue
                if not self.is_op(")"):
                    self.error(")")
                self.i += 1
                break
            body = self.list_(("esac",), "esac")
            arms.append((patterns, body))
            if self.is_op(";;"):
                self.i += 1
            else:
                self.skip_newlines()
                if not self.is_word("esac"):
                    self.error("esac")


def parse(src: str):
    return Parser(tokenize(src)).script()


# -- running ------------------------------------------------------------------

class _Break(Exception):
    def __init__(self, levels, kind):
        self.levels, self.kind = levels, kind


class _Return(Exception):
    def __init__(self, code):
        self.code = code


class _Input:
    """What the commands of a compound command read: ``read`` takes a line,
    another command the rest."""
    def __init__(self, data):
        self.data = data


def run(shell, src: str, exec_last: bool = False, script: str | None = None):
    """:meth:`Shell.run` for a script with compound commands (or any
    ``sh SCRIPT``): its commands are parsed and run one line at a time, so
    the lines before a syntax error have run.  ``script``: the file's name,
    which syntax errors name with their line (``/tmp/s.sh: line 2: ...``)."""
    def syntax_error(e):
        where = f"{script}: line {getattr(e, 'line', eof_line)}" if script else "sh"
        shell.proc.err(f"{where}: syntax error: {e}\n")
        return 2
    lines: list[int] = []
    eof_line = src.count("\n") + 1
    try:
        parser = Parser(tokenize(src, lines), lines, eof_line)
    except ShSyntaxError as e:
        return syntax_error(e)
    interpreter = Interpreter(shell)
    status = shell.status
    try:
        while True:
            try:
                command = parser.complete_command()
            except ShSyntaxError as e:
                return syntax_error(e)
            if command is None:
                return status
            parser.skip_newlines()
            status = yield from interpreter.list_(command, exec_last and parser.peek() is None
                                                  and not shell.traps, None, None)
    except _Exit as e:
        return e.code
    except _Return as e:
        return e.code


def _state(shell):
    """The shell's compound-command state (loop depth, function frames, the
    input ``read`` takes lines from), made on first use."""
    st = getattr(shell, "_compound", None)
    if st is None:
        st = {"loops": 0, "calls": [], "stdin": None}
        shell._compound = st
    return st


BUSY_LOOP_STEPS = 1000          # iterations of a loop in no simulated time…
BUSY_LOOP_TIME = 0.01           # …then this much time passes (10 us each)


class Interpreter:
    def __init__(self, shell):
        self.sh = shell
        self.st = _state(shell)

    def list_(self, node, tail, stdin, collect):
        items = node[1]
        status = self.sh.status
        for k, (andor, background) in enumerate(items):
            last = tail and k == len(items) - 1
            if background and self.background(andor):
                status = self.sh.status = 0
                continue
            status = yield from self.andor(andor, last, stdin, collect)
        return status

    def background(self, andor) -> bool:
        """``PIPELINE &`` of simple commands: a job (Shell.background).  Not
        modelled: a compound job, which runs in the foreground (False)."""
        pipes = andor[1]
        if len(pipes) == 1 and not pipes[0][1][1] and all(c[0] == "simple" for c in pipes[0][1][2]):
            self.sh.background([c[1] for c in pipes[0][1][2]])
            return True
        return False

    def andor(self, node, tail, stdin, collect):
        pipes = node[1]
        status = self.sh.status
        for k, (op, pipe) in enumerate(pipes):
            if op == "&&" and status != 0 or op == "||" and status == 0:
                continue
            status = yield from self.pipeline(pipe, tail and k == len(pipes) - 1, stdin, collect)
            self.sh.status = status
            if self.sh.pending_signals:
                from .sh_signals import dotrap
                yield from dotrap(self.sh)
        return status

    def pipeline(self, node, tail, stdin, collect):
        _, negate, cmds = node
        if negate:
            tail = False
        funcs = self.sh.functions
        simple = all(c[0] == "simple" and not _is_function(c[1], funcs) for c in cmds)
        if len(cmds) == 1:
            status = yield from self.command(cmds[0], tail, stdin, collect)
        elif simple and stdin is None and collect is None:
            status = yield from self.sh.pipeline([c[1] for c in cmds], tail=tail)
        else:
            data = stdin.data if stdin is not None else None
            if stdin is not None:
                stdin.data = ""
            status = 0
            for k, c in enumerate(cmds):
                out: list[str] | None = [] if k < len(cmds) - 1 else collect
                saved = dict(self.sh.vars)          # every stage runs in a subshell
                try:
                    status = yield from self.command(c, False, _Input(data) if data is not None else None, out)
                finally:
                    self.sh.vars = saved
                if k < len(cmds) - 1:
                    data = "".join(out)
        if negate:
            status = int(status == 0)
        self.sh.status = status
        return status

    def command(self, node, tail, stdin, collect):
        kind = node[0]
        sh = self.sh
        if kind == "simple":
            cmd = node[1]
            func = _is_function(cmd, self.sh.functions)
            if func:
                return (yield from self.call(func, cmd, stdin, collect))
            data = None
            # a program reads all of the input left; builtins read none (read: a line)
            if stdin is not None and not (cmd["words"] and cmd["words"][0] in _sh.BUILTINS):
                data, stdin.data = stdin.data, ""
            saved = self.st["stdin"]
            self.st["stdin"] = stdin
            try:
                if stdin is not None and data is None:   # a builtin
                    return (yield from sh.command(cmd, stdin=None, collect=collect))
                if data is None and collect is None:
                    return (yield from sh.command(cmd, stdin=None, collect=None, tail=tail))
                return (yield from sh.command(cmd, stdin=data, collect=collect))
            finally:
                self.st["stdin"] = saved
        if kind == "redir":
            return (yield from self.redirected(node, tail, stdin, collect))
        if kind == "group":
            return (yield from self.list_(node[1], tail, stdin, collect))
        if kind == "sub":
            saved = (dict(sh.vars), sh.proc.cwd, list(sh.params), dict(self.sh.functions))
            task = sh.proc.fork()
            try:
                return (yield from self.list_(node[1], False, stdin, collect))
            except _Exit as e:
                return e.code
            finally:
                sh.proc.exit_task(task)
                sh.vars, sh.proc.cwd, sh.params, self.sh.functions = saved
        if kind == "if":
            for cond, body in node[1]:
                st = yield from self.list_(cond, False, stdin, collect)
                if st == 0:
                    return (yield from self.list_(body, tail, stdin, collect))
            if node[2] is not None:
                return (yield from self.list_(node[2], tail, stdin, collect))
            return 0
        if kind == "for":
            _, name, words, body = node
            if words is None:
                values = list(sh.params)
            else:
                values = []
                for w in words:
                    fields = yield from sh.expand(w)
                    values += pathnames(sh, w, fields) if _has_glob(w) else fields
            status = 0
            for v in values:
                sh.vars[name] = v
                try:
                    status = yield from self.loop_body(body, stdin, collect)
                except _Break as e:
                    status = 0
                    if e.kind == "break" or e.levels > 1:
                        if e.levels > 1:
                            e.levels -= 1
                            raise
                        break
            return status
        if kind == "while":
            _, until, cond, body = node
            status = 0
            while True:
                try:
                    st = yield from self.loop_body(cond, stdin, collect)
                    if (st == 0) == until:
                        break
                    status = yield from self.loop_body(body, stdin, collect)
                except _Break as e:
                    status = 0
                    if e.levels > 1:
                        e.levels -= 1
                        raise
                    if e.kind == "break":
                        break
            return status
        if kind == "case":
            _, word, arms = node
            subject = "".join((yield from sh.expand(word)))
            for patterns, body in arms:
                for p in patterns:
                    rx = yield from self.pattern(p)
                    if rx.fullmatch(subject):
                        return (yield from self.list_(body, tail, stdin, collect))
            return 0
        if kind == "func":
            self.sh.functions[node[1]] = node[2]
            return 0
        raise AssertionError(kind)

    def loop_body(self, body, stdin, collect):
        proc = self.sh.proc
        start = proc.sched.now if proc.kernel is not None else None
        self.st["loops"] += 1
        try:
            status = yield from self.list_(body, False, stdin, collect)
        finally:
            self.st["loops"] -= 1
        if start is not None:
            yield from self._busy_loop_guard(proc.sched, start)
        return status

    def _busy_loop_guard(self, sched, start):
        """A loop whose iterations take no simulated time (builtins only:
        ``while true; do :; done``) would never let the simulation go on:
        every BUSY_LOOP_STEPS such iterations cost BUSY_LOOP_TIME (the CPU
        time ash would spend), so time passes and the loop can be killed."""
        if sched.now != start:
            self.st["instant"] = 0
            return
        self.st["instant"] = self.st.get("instant", 0) + 1
        if self.st["instant"] >= BUSY_LOOP_STEPS:
            self.st["instant"] = 0
            yield sched.timeout(BUSY_LOOP_TIME)

    def call(self, body, cmd, stdin, collect):
        sh = self.sh
        argv = []
        for w in cmd["words"]:
            argv += [w] if w.__class__ is str else (yield from sh.expand(w))
        saved_params, saved_loops = sh.params, self.st["loops"]
        sh.params = argv[1:]
        self.st["loops"] = 0
        self.st["calls"].append({})          # the function's locals: name -> saved value
        try:
            status = yield from self.command(body, False, stdin, collect)
        except _Return as e:
            status = e.code
        finally:
            sh.params = saved_params
            self.st["loops"] = saved_loops
            for k, v in self.st["calls"].pop().items():
                if v is None:
                    sh.vars.pop(k, None)
                else:
                    sh.vars[k] = v
        sh.status = status
        return status

    def redirected(self, node, tail, stdin, collect):
        """A compound command's redirections (``< f``, ``> f``, ``>> f``,
        ``2> f``, ``>&2``, ``2>&1``): the commands inside write through the
        shell's process, whose ``out``/``err`` are pointed at the targets
        while the compound command runs."""
        _, inner, redirs = node
        sh = self.sh
        proc = sh.proc
        fs, cwd = proc.fs, proc.cwd or "/"
        # None: unchanged; "null", a path, or "stdout"/"stderr": the shell's own stream
        out_target = err_target = None
        for op, w in redirs:
            if op == "<<":
                stdin = _Input((yield from heredoc_text(sh, w)))
                continue
            if op in _REDIRECT_TO_WORD:
                target = (yield from sh.expand(w))
                path = target[0] if target else ""
                fpath = fs.norm(path, cwd)
                if op == "<":
                    try:
                        stdin = _Input(fs.read(fpath))
                    except (FileNotFoundError, IsADirectoryError):
                        proc.err(f"sh: can't open {path}: no such file\n")
                        return 1
                    continue
                if path == "/dev/null":
                    spec = "null"
                else:
                    try:
                        fs.write(fpath, "", append=op == ">>")
                    except OSError as e:
                        why = ("Is a directory" if isinstance(e, IsADirectoryError) else
                               "nonexistent directory" if isinstance(e, FileNotFoundError) else e.strerror)
                        proc.err(f"sh: can't create {path}: {why}\n")
                        return 1
                    spec = fpath
                if op == "2>":
                    err_target = spec
                else:
                    out_target = spec
            elif op in (">&2", "1>&2"):           # a dup: where stderr goes now
                out_target = err_target or "stderr"
            elif op == "2>&1":
                err_target = out_target or "stdout"
        if out_target is None and err_target is None:
            return (yield from self.command(inner, False, stdin, collect))
        # what proc.out/proc.err did: append to the streams, call the hook
        streams = {"stdout": proc.stdout, "stderr": proc.stderr}
        hook = proc.on_output

        def deliver(stream, text):
            if stream == "stdout" and collect is not None:      # a pipeline stage's stdout
                collect.append(text)
                return
            streams[stream].append(text)
            if hook:
                hook(stream, text)

        def route(stream, text):
            target = out_target if stream == "stdout" else err_target
            if target is None:
                deliver(stream, text)
            elif target == "stdout" or target == "stderr":     # the shell's own stream
                deliver(target, text)
            elif target != "null":
                fs.write(target, text, append=True)
        proc.stdout, proc.stderr, proc.on_output = [], [], route
        try:
            return (yield from self.command(inner, False, stdin, None))
        finally:
            proc.stdout, proc.stderr, proc.on_output = streams["stdout"], streams["stderr"], hook

    def pattern(self, word):
        """A ``case`` pattern as a regular expression (quoted text literal)."""
        if word.__class__ is str:
            return _glob(word)
        rx = ""
        for kind, text in word.parts:
            if kind in ("sq", "dq", "varq", "cmdq", "arithq"):
                if kind != "sq" and kind != "dq":
                    text = "".join((yield from self.sh.expand(Word(((kind, text),)))))
                rx += re.escape(text)
            elif kind == "lit":
                rx += _glob(text).pattern
            else:
                text = "".join((yield from self.sh.expand(Word(((kind, text),)))))
                rx += _glob(text).pattern
        return re.compile(rx, re.S)


def _is_function(cmd, functions):
    if not functions or not cmd["words"]:
        return None
    w = cmd["words"][0]
    return functions.get(w) if w.__class__ is str else None


def _has_glob(word) -> bool:
    """An unquoted ``*``, ``?`` or ``[`` in the word (a pathname pattern)."""
    if word.__class__ is str:
        return "*" in word or "?" in word or "[" in word
    return any(kind == "lit" and ("*" in text or "?" in text or "[" in text)
               for kind, text in word.parts)


def pathnames(shell, word, fields) -> list[str]:
    """Pathname expansion of a word's fields: the paths that match, sorted,
    or the field itself when none does (``for f in /etc/*``)."""
    fs, cwd = shell.proc.fs, shell.proc.cwd or "/"
    out = []
    for field in fields:
        found = [""] if field.startswith("/") else [None]
        for part in [p for p in field.split("/") if p]:
            nxt = []
            for base in found:
                where = cwd if base is None else fs.norm(base or "/", cwd)
                prefix = "" if base is None else base + "/"
                if not ("*" in part or "?" in part or "[" in part):
                    nxt.append(prefix + part)
                    continue
                try:
                    names = fs.listdir(where)
                except (FileNotFoundError, NotADirectoryError, OSError):
                    continue
                rx = _glob(part)
                nxt += [prefix + n for n in sorted(names)
                        if rx.fullmatch(n) and (not n.startswith(".") or part.startswith("."))]
            found = nxt
        found = [f for f in found if f is not None and fs.exists(fs.norm(f, cwd))]
        out += sorted(found) if found else [field]
    return out


def _glob(pat: str):
    rx, i, n = "", 0, len(pat)
    while i < n:
        c = pat[i]
        if c == "*":
            rx += ".*"
        elif c == "?":
            rx += "."
        elif c == "[":
            j = pat.find("]", i + 2)
            if j < 0:
                rx += r"\["
            else:
                body = pat[i + 1:j]
                if body[:1] == "!":
                    body = "^" + body[1:]
                rx += "[" + body.replace("\\", "\\\\") + "]"
                i = j
        elif c == "\\" and i + 1 < n:
            i += 1
            rx += re.escape(pat[i])
        else:
            rx += re.escape(c)
        i += 1
    return re.compile(rx, re.S)


# -- parameter expansion ----------------------------------------------------------

_PARAMETER = re.compile(r"(#)?([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?#$!@*])(?:(:?[-=+?])|(##?|%%?))?(.*)", re.S)
_SIMPLE_VAR = re.compile(r"\$(?:\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*|[0-9?#$!@*]))")


def parameter(shell, text: str) -> str:
    """``${text}`` beyond a plain name: ``${#NAME}``, ``${NAME:-WORD}``
    (``-`` ``=`` ``+`` ``?``, with or without ``:``), ``${NAME#PATTERN}``
    (``#`` ``##`` ``%`` ``%%``); an unset name is empty.  WORD and PATTERN
    expand their ``$NAME``s."""
    m = _PARAMETER.fullmatch(text)
    if m is None or (m.group(3) is None and m.group(4) is None and not m.group(1)):
        if m is not None and m.group(5) == "" and not m.group(1):
            return ""
        if m is None or m.group(5):
            shell.proc.err(f"sh: syntax error: bad substitution\n")
            raise _Exit(2)
    length, name, test, strip, word = m.groups()
    value = shell.vars.get(name) if name not in "?#$!@*" and not name.isdigit() else shell._var(name)
    if length:
        return str(len(value or ""))
    word = _SIMPLE_VAR.sub(lambda v: shell._var(v.group(1) or v.group(2)), word)
    if test:
        unset = value is None or (test[0] == ":" and value == "")
        op = test[-1]
        if op == "-":
            return word if unset else value
        if op == "=":
            if unset:
                shell.vars[name] = word
                return word
            return value
        if op == "+":
            return "" if unset else word
        if unset:                               # ?
            shell.proc.err(f"sh: {name}: {word or 'parameter not set'}\n")
            raise _Exit(2)
        return value
    value = value or ""
    rx = _glob(word).pattern
    if strip in ("#", "##"):
        m = re.match(f"(?:{rx})" if strip == "##" else f"(?:{rx.replace('.*', '.*?')})", value, re.S)
        return value[m.end():] if m else value
    for start in (range(len(value), -1, -1) if strip == "%" else range(len(value) + 1)):
        if re.fullmatch(rx, value[start:], re.S):
            return value[:start]
    return value


# -- arithmetic -------------------------------------------------------------------

class ArithError(Exception):
    pass


_ARITH_TOKEN = re.compile(r"\s*(?:(0[xX][0-9a-fA-F]+|\d+)|([A-Za-z_][A-Za-z0-9_]*)|"
                          r"(<<=|>>=|\|\||&&|==|!=|<=|>=|<<|>>|[-+*/%&|^]=|[-+*/%<>=!~&|^()?:]))")
_BINARY = {"||": 1, "&&": 2, "|": 3, "^": 4, "&": 5, "==": 6, "!=": 6, "<": 7, "<=": 7,
           ">": 7, ">=": 7, "<<": 8, ">>": 8, "+": 9, "-": 9, "*": 10, "/": 10, "%": 10}


def arith(shell, text: str) -> str:
    """``$((text))``: ash's arithmetic on signed 64-bit integers; an error
    ends the shell (``sh: divide by zero``, exit 2)."""
    text = re.sub(r"\$\{?([A-Za-z_][A-Za-z0-9_]*|[0-9#?$!])\}?", lambda m: shell._var(m.group(1)), text)
    try:
        return str(_Arith(shell, text).evaluate())
    except ArithError as e:
        shell.proc.err(f"sh: {e}\n")
        raise _Exit(2)


class _Arith:
    def __init__(self, shell, text):
        self.shell = shell
        self.toks = []
        pos = 0
        text = text.rstrip()
        while pos < len(text):
            m = _ARITH_TOKEN.match(text, pos)
            if not m or m.end() == pos:
                raise ArithError("arithmetic syntax error")
            num, name, op = m.groups()
            self.toks.append(("n", _number(num)) if num else ("v", name) if name else ("o", op))
            pos = m.end()
        self.i = 0

    def evaluate(self):
        if not self.toks:
            return 0
        v = self.assign()
        if self.i < len(self.toks):
            raise ArithError("arithmetic syntax error")
        return v

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else (None, None)

    def value(self, name):
        raw = self.shell.vars.get(name, "").strip()
        if not raw:
            return 0
        try:
            return _number(raw)
        except ValueError:
            return _Arith(self.shell, raw).evaluate()

    def assign(self):
        t = self.peek()
        if t[0] == "v" and self.i + 1 < len(self.toks):
            op = self.toks[self.i + 1]
            if op[0] == "o" and op[1].endswith("=") and op[1] not in ("==", "!=", "<=", ">="):
                self.i += 2
                rhs = self.assign()
                if op[1] != "=":
                    rhs = _apply(op[1][:-1], self.value(t[1]), rhs)
                self.shell.vars[t[1]] = str(rhs)
                return rhs
        return self.ternary()

    def ternary(self):
        cond = self.binary(1)
        if self.peek() == ("o", "?"):
            self.i += 1
            a = self.assign()
            if self.peek() != ("o", ":"):
                raise ArithError("arithmetic syntax error")
            self.i += 1
            b = self.assign()
            return a if cond else b
        return cond

    def binary(self, level):
        left = self.unary()
        while True:
            t = self.peek()
            prec = _BINARY.get(t[1]) if t[0] == "o" else None
            if prec is None or prec < level:
                return left
            self.i += 1
            right = self.binary(prec + 1)
            left = _apply(t[1], left, right)

    def unary(self):
        t = self.peek()
        if t[0] == "o" and t[1] in ("-", "+", "!", "~"):
            self.i += 1
            v = self.unary()
            return {"-": -v, "+": v, "!": int(not v), "~": ~v}[t[1]]
        if t == ("o", "("):
            self.i += 1
            v = self.assign()
            if self.peek() != ("o", ")"):
                raise ArithError("arithmetic syntax error")
            self.i += 1
            return v
        self.i += 1
        if t[0] == "n":
            return t[1]
        if t[0] == "v":
            return self.value(t[1])
        raise ArithError("arithmetic syntax error")


def _number(text: str) -> int:
    if text[:2] in ("0x", "0X"):
        return int(text, 16)
    if len(text) > 1 and text[0] == "0":
        return int(text, 8)
    return int(text)


def _apply(op, a, b):
    if op in ("/", "%"):
        if b == 0:
            raise ArithError("divide by zero")
        q = abs(a) // abs(b) * (1 if (a >= 0) == (b >= 0) else -1)     # C truncation
        return q if op == "/" else a - q * b
    return {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b,
            "<<": lambda: a << b, ">>": lambda: a >> b, "&": lambda: a & b,
            "|": lambda: a | b, "^": lambda: a ^ b, "<": lambda: int(a < b),
            "<=": lambda: int(a <= b), ">": lambda: int(a > b), ">=": lambda: int(a >= b),
            "==": lambda: int(a == b), "!=": lambda: int(a != b),
            "&&": lambda: int(bool(a and b)), "||": lambda: int(bool(a or b))}[op]()


# -- builtins ------------------------------------------------------------------

def _b_break(sh, child, kind="break"):
    args = child.argv[1:]
    levels = 1
    if args:
        if not args[0].isdigit() or int(args[0]) == 0:
            child.err(f"sh: {kind}: Illegal number: {args[0]}\n")
            raise _Exit(2)
        levels = int(args[0])
    loops = _state(sh)["loops"]
    if loops == 0:
        return 0
    raise _Break(min(levels, loops), kind)
    yield


def _b_continue(sh, child):
    return (yield from _b_break(sh, child, "continue"))


def _b_return(sh, child):
    args = child.argv[1:]
    code = int(args[0]) & 0xFF if args and re.fullmatch(r"-?\d+", args[0]) else sh.status
    if not _state(sh)["calls"]:
        raise _Exit(code)
    raise _Return(code)
    yield


def _b_local(sh, child):
    calls = _state(sh)["calls"]
    if not calls:
        child.err("sh: local: line 0: not in a function\n")      # ash: an error that ends sh -c
        raise _Exit(2)
    frame = calls[-1]
    for a in child.argv[1:]:
        k, eq, v = a.partition("=")
        if k not in frame:
            frame[k] = sh.vars.get(k)
        if eq:
            sh.vars[k] = v
    return 0
    yield


def _b_shift(sh, child):
    args = child.argv[1:]
    n = int(args[0]) if args and args[0].isdigit() else 1
    if n > len(sh.params):
        return 1
    sh.params = sh.params[n:]
    return 0
    yield


def _b_set(sh, child):
    args = child.argv[1:]
    if "--" in args:
        sh.params = args[args.index("--") + 1:]
    elif args and not args[0].startswith(("-", "+")):
        sh.params = list(args)
    return 0
    yield


def _b_read(sh, child):
    args = [a for a in child.argv[1:] if a != "-r"]
    raw = "-r" in child.argv[1:]
    source = _state(sh)["stdin"]
    data = source.data if source is not None else (child.stdin or "")
    if not data:
        for name in args or ["REPLY"]:
            sh.vars[name] = ""
        return 1
    line, nl, rest = data.partition("\n")
    if source is not None:
        source.data = rest
    if not raw:
        line = re.sub(r"\\(.)", r"\1", line)
    names = args or ["REPLY"]
    if names == ["REPLY"] and not args:
        sh.vars["REPLY"] = line
    else:
        fields = line.strip(" \t").split(None, len(names) - 1) if line.strip() else []
        for k, name in enumerate(names):
            value = fields[k] if k < len(fields) else ""
            sh.vars[name] = value.rstrip(" \t") if k == len(names) - 1 else value
    return 0 if nl else 1
    yield


def _b_test(sh, child):
    """ash's test/[ builtins are busybox's test applet run in the shell,
    its messages prefixed ``sh:`` (:func:`shellutils.test_main`)."""
    from .shellutils import test_main
    return (yield from test_main(child, prog="sh"))


def _b_printf(sh, child):
    """ash's printf builtin is busybox's printf applet run in the shell,
    its messages prefixed ``sh:`` (:func:`shellutils.printf_main`)."""
    from .shellutils import printf_main
    return (yield from printf_main(child, prog="sh"))


def _b_unset(sh, child):
    args = child.argv[1:]
    functions = args[:1] == ["-f"]
    for name in args[1:] if args[:1] in (["-f"], ["-v"]) else args:
        if functions:
            sh.functions.pop(name, None)
        else:
            sh.vars.pop(name, None)
    return 0
    yield


def _b_eval(sh, child):
    """``eval ARGS``: the joined arguments run as a script in this shell."""
    src = " ".join(child.argv[1:])
    try:
        parser = Parser(tokenize(src))
        tree = parser.script()
    except ShSyntaxError as e:
        child.err(f"sh: syntax error: {e}\n")
        raise _Exit(2)
    return (yield from Interpreter(sh).list_(tree, False, None, None))


def _b_exec(sh, child):
    """``exec CMD ARGS``: the command replaces the shell (its status ends it)."""
    argv = child.argv[1:]
    if not argv:
        return 0
    status = yield from sh.command({"words": list(argv), "redirs": []}, stdin=None, collect=None,
                                   tail=True)
    raise _Exit(status)


def _b_wait(sh, child):
    """``wait [PID…]``: until the shell's ``&`` jobs (or those PIDs) end;
    the status of the last one (a job a signal ended: 128 + the signal,
    reported as ash's ``waitforjob`` does for a job named)."""
    wanted = child.argv[1:]
    status = 0
    from .sh_signals import job_status_message
    for pid, process in list(sh.jobs):
        if wanted and pid not in wanted:
            continue
        if not process.triggered:
            yield process
        if isinstance(process.value, int):
            status = process.value
        else:                               # a signal ended the job: 128 + its number
            sig = sh.job_signals.get(pid, 15)
            status = 128 + sig
            if wanted:
                child.err(job_status_message(sig))
    if not wanted:
        sh.jobs.clear()
    return status


BUILTINS = {"unset": _b_unset, "eval": _b_eval, "exec": _b_exec, "wait": _b_wait,
            "break": _b_break, "continue": _b_continue, "return": _b_return, "local": _b_local,
            "shift": _b_shift, "set": _b_set, "read": _b_read, "test": _b_test, "[": _b_test,
            "printf": _b_printf}

__all__ = ["COMPOUND_WORDS", "parameter", "has_compound_syntax", "BUILTINS", "run", "arith", "parse", "tokenize"]

