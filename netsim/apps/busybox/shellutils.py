"""Shell-helper applets of busybox 1.35: printf, seq, tee, xargs, basename,
dirname, expr, test/[/[[, yes.

ash has ``printf``, ``test``, ``[``, ``[[`` and ``kill`` built in: run by the
shell, their messages carry ``sh:`` instead of the applet's name (busybox's
``applet_name`` stays the shell's) — :func:`msg_name`.
"""
from __future__ import annotations

import math
import re

from .common import VERSION, getopt, read_file, subproc, UsageError
from .usage_texts import USAGE


def show_usage(proc, name: str) -> int:
    """``bb_show_usage``: the banner and the applet's full usage text, exit 1."""
    proc.err(f"{VERSION}\n\nUsage: {name} {USAGE[name]}")
    return 1


def run_by_shell(proc) -> bool:
    """True when ash runs this applet as one of its builtins: in place as the
    shell's last command (the task keeps the shell's cmdline and takes the
    applet's comm) or forked by the shell (the parent task is the shell)."""
    task = proc.task
    if task is None:
        return False
    name = proc.argv[0]
    shells = ("sh", "ash")
    if task.cmdline and task.cmdline[0].rsplit("/", 1)[-1] in shells and name not in shells:
        return task.comm == name[:15]
    parent = task.parent
    return parent is not None and parent.comm in shells and task.cmdline[:1] == [name]


def msg_name(proc) -> str:
    """The name busybox puts in front of messages (``applet_name``)."""
    return "sh" if run_by_shell(proc) else proc.argv[0].rsplit("/", 1)[-1]


# -- printf --------------------------------------------------------------------

def escape_sequence(s: str, i: int) -> tuple[str, int]:
    """libbb ``bb_process_escape_sequence`` at ``s[i]`` (just after a
    backslash): ``(char, next index)``; octal up to 3 digits, ``\\xHH``,
    one-letter escapes; an unknown one gives a backslash and stays put."""
    j, base, digits, n = i, 8, 0, 0
    if j < len(s) and s[j] == "x":
        j, base, digits = j + 1, 16, 1
    while True:
        if j >= len(s):
            d = 99
        else:
            c = s[j]
            d = ord(c) - 48
            if d >= 10 or d < 0:
                d = ord(c.lower()) - 97
                d = d + 10 if d >= 0 else 99
        if d >= base:
            if base == 16:
                digits -= 1
                if digits == 0:
                    return "\\", i
            break
        r = n * base + d
        if r > 255:
            break
        n = r
        j += 1
        digits += 1
        if digits >= 3:
            break
    if digits == 0:
        table = {"a": "\a", "b": "\b", "e": "\x1b", "f": "\f", "n": "\n", "r": "\r",
                 "t": "\t", "v": "\v", "\\": "\\"}
        if j < len(s) and s[j] in table:
            return table[s[j]], j + 1
        return "\\", j
    return chr(n), j


def _c_integer(text: str) -> int | None:
    """``strtoll(text, &end, 0)`` that must consume everything (bb_strtoll)."""
    m = re.fullmatch(r"([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)", text)
    if not m or (text[:1] == "-" and not text[1:2].isalnum()) or (text[:1] not in "+-" and not text[:1].isalnum()):
        return None
    body = m.group(2)
    value = int(body, 16) if body[:2] in ("0x", "0X") else int(body, 8) if body.startswith("0") else int(body)
    return -value if m.group(1) == "-" else value


def _c_double(text: str) -> float | None:
    m = re.fullmatch(r"\s*[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)", text, re.I)
    return float(text) if m else None


class _Printf:
    def __init__(self, proc, name: str):
        self.proc, self.name, self.conv_err = proc, name, False
        self.out: list[str] = []

    def number(self, arg: str, kind: str):
        if arg[:1] in ("'", '"'):
            return ord(arg[1]) if len(arg) > 1 else 0
        if kind == "f":
            v = _c_double(arg)
        else:
            a = arg.lstrip(" \t\n\v\f\r") if kind == "d" else arg
            v = _c_integer(a[1:] if a[:1] == "+" else a)
        if v is None:
            self.proc.err(f"{self.name}: invalid number '{arg}'\n")
            self.conv_err = True
            return 0
        return v

    def directive(self, spec: str, conv: str, arg: str) -> str:
        if conv == "c":
            return (spec + "s") % (arg[:1] or "\0")
        if conv == "s":
            return (spec + "s") % arg
        if conv in "di":
            return (spec + "d") % self.number(arg, "d")
        if conv in "ouxX":
            v = self.number(arg, "u") & 0xFFFFFFFFFFFFFFFF
            if conv == "u":
                return (spec + "d") % v
            if conv == "o" and "#" in spec:
                text = (spec.replace("#", "") + "o") % v
                return text if text.lstrip().startswith("0") else text.replace(str(oct(v))[2:], "0" + oct(v)[2:], 1)
            return (spec + conv) % v
        return (spec + conv) % self.number(arg, "f")

    def run(self, fmt: str, args: list[str]):
        """One pass of ``print_formatted``: the arguments left, or None when
        output must stop (``\\c`` or a bad directive: ``False``)."""
        out = self.out
        i, n = 0, len(fmt)
        while i < n:
            c = fmt[i]
            if c == "%":
                start = i
                i += 1
                if i < n and fmt[i] == "%":
                    out.append("%")
                    i += 1
                    continue
                if i < n and fmt[i] == "b":
                    i += 1
                    if args:
                        if self.esc_string(args.pop(0)):
                            return None
                    continue
                spec = "%"
                if i < n and fmt[i] in "-+ #":
                    spec += fmt[i]
                    i += 1
                if i < n and fmt[i] == "*":
                    i += 1
                    spec += str(self.number(args.pop(0), "d")) if args else "0"
                else:
                    m = re.match(r"\d*", fmt[i:])
                    spec += m.group(0)
                    i += len(m.group(0))
                if i < n and fmt[i] == ".":
                    i += 1
                    spec += "."
                    if i < n and fmt[i] == "*":
                        i += 1
                        spec += str(self.number(args.pop(0), "d")) if args else "0"
                    else:
                        m = re.match(r"\d*", fmt[i:])
                        spec += m.group(0)
                        i += len(m.group(0))
                while i < n and fmt[i] in "lLhz":
                    i += 1
                if i >= n or fmt[i] not in "diouxXfeEgGcs":
                    self.proc.err(f"{self.name}: {fmt[start:]}: invalid format\n")
                    return False
                conv = fmt[i]
                i += 1
                out.append(self.directive(spec, conv, args.pop(0) if args else ""))
                continue
            if c == "\\":
                if i + 1 < n and fmt[i + 1] == "c":
                    return None
                ch, i = escape_sequence(fmt, i + 1)
                out.append(ch)
                continue
            out.append(c)
            i += 1
        return args

    def esc_string(self, s: str) -> bool:
        """``%b``: backslash escapes in the argument; True at ``\\c``."""
        i = 0
        while i < len(s):
            c = s[i]
            i += 1
            if c == "\\":
                if i < len(s) and s[i] == "0" and i + 1 < len(s) and s[i + 1] in "01234567":
                    i += 1
                elif i < len(s) and s[i] == "c":
                    return True
                c, i = escape_sequence(s, i)
            self.out.append(c)
        return False


def printf_main(proc, prog: str | None = None):
    """busybox printf; ``prog`` names it in messages (``sh`` for ash's
    builtin), else the applet's own name, or ``sh`` when ash runs it."""
    args = proc.argv[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    name = prog or msg_name(proc)
    if not args:
        if name == "sh":
            proc.err("sh: usage: printf FORMAT [ARGUMENT...]\n")
            return 2
        return show_usage(proc, "printf")
    fmt, rest = args[0], args[1:]
    p = _Printf(proc, name)
    failed = False
    while True:
        before = len(rest)
        left = p.run(fmt, list(rest))
        if left is None or left is False:
            failed = left is False
            break
        if not (len(left) < before and left):
            break
        rest = left
    proc.out("".join(p.out))
    return 1 if failed or p.conv_err else 0
    yield


# -- seq -------------------------------------------------------------------------

def seq_main(proc):
    try:
        opts, args = getopt(proc, "ws:", proc.argv[1:], permute=False)
    except UsageError:
        return show_usage(proc, "seq")
    nums = []
    for a in args:
        m = re.fullmatch(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", a)
        nums.append(float(a) if m else None)
    if not 1 <= len(args) <= 3 or None in nums:
        return show_usage(proc, "seq")
    first = increment = 1.0
    if len(args) == 3:
        first, increment, last = nums
    elif len(args) == 2:
        first, last = nums
    else:
        last = nums[0]
    width = frac = 0
    for k, a in enumerate(args):
        dot = a.find(".")
        w = dot if dot >= 0 else len(a)
        f = len(a) - dot if dot >= 0 else 0
        width = max(width, w)
        if k < len(args) - 1:
            frac = max(frac, f)
    if frac:
        frac -= 1
        if opts.get("w"):
            width += frac + 1
    if not opts.get("w"):
        width = 0
    if (increment > 0 and first > last) or (increment < 0 and first < last):
        return 0
    sep = opts.get("s", "\n")
    out, n, v = [], 0, first
    while (v <= last) if increment > 0 else (v >= last):
        out.append(f"{v:0{width}.{frac}f}")
        n += 1
        v = first + n * increment
        if increment == 0 and n % 4096 == 0:      # forever, as on Linux: let time pass
            proc.out(sep.join(out) + sep)
            out = []
            yield 0.001
    if out:
        proc.out(sep.join(out) + "\n")
    return 0


# -- tee ------------------------------------------------------------------------

def tee_main(proc):
    try:
        opts, files = getopt(proc, "ai", proc.argv[1:])
    except UsageError:
        return show_usage(proc, "tee")
    rc = 0
    fs = proc.fs
    targets = []
    for f in files:
        if f == "-":
            continue
        path = fs.norm(f, proc.cwd or "/")
        try:
            fs.write(path, "", append=bool(opts.get("a")))
            targets.append(path)
        except OSError as e:
            proc.err(f"tee: {f}: {_strerror(e)}\n")
            rc = 1
    data = proc.stdin
    for path in targets:
        fs.write(path, data, append=True)
    proc.out(data)
    return rc
    yield


def _strerror(e: OSError) -> str:
    if isinstance(e, FileNotFoundError):
        return "No such file or directory"
    if isinstance(e, IsADirectoryError):
        return "Is a directory"
    if isinstance(e, NotADirectoryError):
        return "Not a directory"
    return e.strerror or str(e)


# -- xargs ----------------------------------------------------------------------

def _xargs_words(text: str, zero: bool) -> list[str]:
    """Arguments from stdin: blanks separate, quotes and backslashes group
    (``-0``: NUL-separated, taken literally)."""
    if zero:
        return [w for w in text.split("\0") if w]
    words, cur, have, quote = [], "", False, None
    i = 0
    while i < len(text):
        c = text[i]
        i += 1
        if quote:
            if c == quote:
                quote = None
            else:
                cur += c
            continue
        if c in "'\"":
            quote, have = c, True
        elif c == "\\" and i < len(text):
            cur, have = cur + text[i], True
            i += 1
        elif c in " \t\n":
            if have or cur:
                words.append(cur)
            cur, have = "", False
        else:
            cur += c
    if have or cur:
        words.append(cur)
    return words


def xargs_main(proc):
    try:
        opts, cmd = getopt(proc, "trn:s:I:0pxe:E:P:", proc.argv[1:], permute=False)
    except UsageError:
        return show_usage(proc, "xargs")
    cmd = cmd or ["echo"]
    zero = bool(opts.get("0"))
    replace = opts.get("I")
    if replace is not None:
        lines = [ln for ln in proc.stdin.split("\0" if zero else "\n") if ln.strip()] \
            if not zero else [w for w in proc.stdin.split("\0") if w]
        batches = [[a.replace(replace, ln.strip(" \t")) for a in cmd] for ln in lines]
    else:
        words = _xargs_words(proc.stdin, zero)
        if not words and opts.get("r"):
            return 0
        per = int(opts["n"]) if "n" in opts else max(len(words), 1)
        batches = [cmd + words[k:k + per] for k in range(0, max(len(words), 1), per)] if words else [list(cmd)]
    rc = 0
    for argv in batches:
        if opts.get("t"):
            proc.err(" ".join(argv) + "\n")
        status = yield from spawn(proc, argv)
        if status == 127:
            proc.err(f"xargs: {argv[0]}: No such file or directory\n")
            return 127
        if status == 255:
            proc.err(f"xargs: {argv[0]}: exited with status 255; aborting\n")
            return 124
        if status > 128:
            proc.err(f"xargs: {argv[0]}: terminated by signal {status - 128}\n")
            return 125
        if status:
            rc = 123
    return rc


def spawn(proc, argv: list[str], stdin: str = ""):
    """fork + execvp ``argv`` as a child of ``proc`` sharing its output; its
    exit status, 127 when there is no such program (nothing printed)."""
    from . import NOT_FOUND, run_argv
    child = subproc(proc, argv, stdin=stdin,
                    on_output=lambda s, t: (proc.out if s == "stdout" else proc.err)(t))
    gen = (proc.programs or run_argv)(child)
    if gen is NOT_FOUND:
        return 127
    task = proc.fork(argv)
    child.attach(task)
    try:
        status = yield from gen
    finally:
        proc.exit_task(task)
    if child.killed_by:
        return 128 + child.killed_by
    return status if isinstance(status, int) else 0


# -- basename / dirname ------------------------------------------------------------

def basename_main(proc):
    args = proc.argv[1:]
    try:
        opts, args = getopt(proc, "as:", args, permute=False)
    except UsageError:
        return show_usage(proc, "basename")
    suffix = opts.get("s")
    if opts.get("a") or suffix is not None:
        names = args
    elif len(args) in (1, 2):
        names, suffix = args[:1], (args[1] if len(args) == 2 else None)
    else:
        names = []
    if not names:
        return show_usage(proc, "basename")
    out = []
    for a in names:
        base = a.rstrip("/").rsplit("/", 1)[-1] if a.strip("/") else ("/" if a else "")
        if suffix and base != suffix and base.endswith(suffix):
            base = base[:-len(suffix)]
        out.append(base + "\n")
    proc.out("".join(out))
    return 0
    yield


def dirname_text(path: str) -> str:
    """POSIX ``dirname`` (glibc): ``//a`` keeps both slashes."""
    p = path.rstrip("/")
    if not p:
        return "/" if path else "."
    if "/" not in p:
        return "."
    d = p[:p.rfind("/")].rstrip("/")
    if d:
        return d
    lead = len(p) - len(p.lstrip("/"))
    return "//" if lead == 2 else "/"


def dirname_main(proc):
    args = proc.argv[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    if len(args) != 1:
        return show_usage(proc, "dirname")
    proc.out(dirname_text(args[0]) + "\n")
    return 0
    yield


# -- expr --------------------------------------------------------------------------

class _ExprError(Exception):
    pass


def _is_int(v) -> bool:
    return isinstance(v, int) or re.fullmatch(r"-?\d+", v) is not None


class _Expr:
    """busybox expr: ``|`` ``&`` comparisons ``+ -`` ``* / %`` ``:`` and the
    ``match substr index length`` keywords, recursive descent like expr.c."""

    def __init__(self, args: list[str]):
        self.args = args

    def peek(self):
        return self.args[0] if self.args else None

    def take(self):
        if not self.args:
            raise _ExprError("syntax error")
        return self.args.pop(0)

    @staticmethod
    def truth(v) -> bool:
        if isinstance(v, int):
            return v != 0
        return v not in ("", "0") and not re.fullmatch(r"-?0+", v) or False if v in ("", "0") else \
            not (re.fullmatch(r"-?\d+", v) and int(v) == 0)

    @staticmethod
    def num(v) -> int:
        if isinstance(v, int):
            return v
        if re.fullmatch(r"-?\d+", v):
            return int(v)
        raise _ExprError("non-numeric argument")

    def eval_or(self):
        left = self.eval_and()
        while self.peek() == "|":
            self.take()
            right = self.eval_and()
            if not self.truth(left):
                left = right if self.truth(right) else 0
        return left

    def eval_and(self):
        left = self.eval_cmp()
        while self.peek() == "&":
            self.take()
            right = self.eval_cmp()
            if not (self.truth(left) and self.truth(right)):
                left = 0
        return left

    def eval_cmp(self):
        left = self.eval_add()
        while self.peek() in ("<", "<=", "=", "==", "!=", ">=", ">"):
            op = self.take()
            right = self.eval_add()
            if _is_int(left) and _is_int(right):
                a, b = int(left), int(right)
            else:
                a, b = str(left), str(right)
            left = int({"<": a < b, "<=": a <= b, "=": a == b, "==": a == b, "!=": a != b,
                        ">=": a >= b, ">": a > b}[op])
        return left

    def eval_add(self):
        left = self.eval_mul()
        while self.peek() in ("+", "-"):
            op = self.take()
            right = self.eval_mul()
            a, b = self.num(left), self.num(right)
            left = a + b if op == "+" else a - b
        return left

    def eval_mul(self):
        left = self.eval_colon()
        while self.peek() in ("*", "/", "%"):
            op = self.take()
            right = self.eval_colon()
            a, b = self.num(left), self.num(right)
            if op != "*" and b == 0:
                raise _ExprError("division by zero")
            if op == "*":
                left = a * b
            else:
                q = abs(a) // abs(b) * (1 if (a >= 0) == (b >= 0) else -1)
                left = q if op == "/" else a - b * q
        return left

    def eval_colon(self):
        left = self.eval_primary()
        while self.peek() == ":":
            self.take()
            left = self.match(left, self.eval_primary())
        return left

    @staticmethod
    def match(s, pattern) -> object:
        from .coreutils import _bre_to_ere
        rx = re.compile(_bre_to_ere(str(pattern)))
        m = rx.match(str(s))
        if rx.groups:
            return m.group(1) if m and m.group(1) is not None else ""
        return m.end() if m else 0

    def eval_primary(self):
        tok = self.take()
        if tok == "(":
            v = self.eval_or()
            if self.take() != ")":
                raise _ExprError("syntax error")
            return v
        if tok in ("|", "&", "<", "<=", "=", "==", "!=", ">=", ">", "+", "-", "*", "/", "%", ":", ")") \
                and False:
            raise _ExprError("syntax error")
        if tok == "match":
            s = self.eval_primary()
            return self.match(s, self.eval_primary())
        if tok == "substr":
            s, pos, ln = str(self.eval_primary()), self.eval_primary(), self.eval_primary()
            p, n = self.num(pos), self.num(ln)
            return s[p - 1:p - 1 + n] if p >= 1 and n >= 1 and p <= len(s) else ""
        if tok == "index":
            s, chars = str(self.eval_primary()), str(self.eval_primary())
            hits = [k for k, c in enumerate(s, 1) if c in chars]
            return hits[0] if hits else 0
        if tok == "length":
            return len(str(self.eval_primary()))
        if tok == "+":
            return self.take()
        return tok


def expr_main(proc):
    args = proc.argv[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        proc.err("expr: too few arguments\n")
        return 2
    e = _Expr(list(args))
    try:
        v = e.eval_or()
        if e.args:
            raise _ExprError("syntax error")
    except _ExprError as err:
        proc.err(f"expr: {err}\n")
        return 2
    text = str(v)
    proc.out(text + "\n")
    null = text == "" or (re.fullmatch(r"-?\d+", text) is not None and int(text) == 0)
    return 1 if null else 0
    yield


# -- test / [ / [[ ------------------------------------------------------------------

class _TestError(Exception):
    pass


_UNARY_FILE = set("bcdefgGhLkOprsSuwx")


class _Test:
    """busybox test.c: ``! ( ) -a -o``, unary file/string tests, binary
    string and integer comparisons, ``-nt -ot -ef``."""

    def __init__(self, proc, args):
        self.proc, self.args, self.i = proc, args, 0

    def more(self) -> bool:
        return self.i < len(self.args)

    def peek(self, k: int = 0):
        j = self.i + k
        return self.args[j] if j < len(self.args) else None

    def expr(self) -> bool:
        v = self.aexpr()
        while self.peek() == "-o":
            self.i += 1
            r = self.aexpr()
            v = v or r
        return v

    def aexpr(self) -> bool:
        v = self.nexpr()
        while self.peek() == "-a":
            self.i += 1
            r = self.nexpr()
            v = v and r
        return v

    def nexpr(self) -> bool:
        if self.peek() == "!" and self.i + 1 < len(self.args):
            self.i += 1
            return not self.nexpr()
        return self.primary()

    def number(self, s: str) -> int:
        t = s.strip(" \t")
        if re.fullmatch(r"[+-]?\d+", t):
            return int(t)
        raise _TestError(f"{s}: bad number")

    def primary(self) -> bool:
        tok = self.peek()
        if tok is None:
            raise _TestError("argument expected")
        if tok == "(" and self.i + 1 < len(self.args) and not self._binary_at(self.i + 1):
            self.i += 1
            v = self.expr()
            if self.peek() != ")":
                raise _TestError("closing paren expected")
            self.i += 1
            return v
        nxt = self.peek(1)
        if self._binary_at(self.i + 1):
            if self.i + 2 >= len(self.args):
                raise _TestError(f"{nxt}: argument expected")
            a, op, b = tok, nxt, self.args[self.i + 2]
            self.i += 3
            return self.binary(a, op, b)
        if len(tok) == 2 and tok[0] == "-" and (tok[1] in _UNARY_FILE or tok[1] in "ztn") \
                and self.i + 1 < len(self.args):
            self.i += 2
            return self.unary(tok[1], nxt)
        self.i += 1
        return tok != ""

    def _binary_at(self, j: int) -> bool:
        op = self.args[j] if j < len(self.args) else None
        return op in ("=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge",
                      "-nt", "-ot", "-ef")

    def binary(self, a, op, b) -> bool:
        if op in ("=", "=="):
            return a == b
        if op == "!=":
            return a != b
        if op == "<":
            return a < b
        if op == ">":
            return a > b
        if op in ("-nt", "-ot", "-ef"):
            fs = self.proc.fs
            pa, pb = fs.norm(a, self.proc.cwd or "/"), fs.norm(b, self.proc.cwd or "/")
            return op == "-ef" and fs.exists(pa) and pa == pb
        x, y = self.number(a), self.number(b)
        return {"-eq": x == y, "-ne": x != y, "-lt": x < y, "-le": x <= y,
                "-gt": x > y, "-ge": x >= y}[op]

    def unary(self, op, arg) -> bool:
        if op == "z":
            return arg == ""
        if op == "n":
            return arg != ""
        if op == "t":
            self.number(arg)
            return False
        from .fileutils import lstat_node
        fs, cwd = self.proc.fs, self.proc.cwd or "/"
        path = fs.norm(arg, cwd) if arg else ""
        if not path:
            return False
        if op in "hL":
            node = lstat_node(fs, path)
            return node is not None and node.kind == "symlink"
        node = fs.node(path)
        if node is None:
            return False
        if op == "e":
            return True
        if op == "f":
            return node.kind == "file"
        if op == "d":
            return node.kind == "dir"
        if op == "s":
            return node.kind == "dir" or node.size > 0
        if op in "rw":
            return True if self.proc.uid == 0 else bool(node.mode & (0o4 if op == "r" else 0o2))
        if op == "x":
            return bool(node.mode & 0o111) or (self.proc.uid == 0 and node.kind == "dir")
        if op in "OG":
            return True
        return False                                  # b c p S u g k: none in the model


def test_main(proc, prog: str | None = None):
    """busybox test/[/[[; ``prog`` names it in messages (``sh`` for ash's
    builtin), else the applet's own name, or ``sh`` when ash runs it."""
    name = proc.argv[0].rsplit("/", 1)[-1]
    who = prog or msg_name(proc)
    args = list(proc.argv[1:])
    if name in ("[", "[["):
        close = "]" if name == "[" else "]]"
        if not args or args[-1] != close:
            proc.err(f"{who}: missing {close}\n")
            return 2
        args = args[:-1]
    if not args:
        return 1
    # POSIX's rules by argument count come first (test.c ``test_main``)
    if args[0] == "!" and len(args) <= 4 and len(args) > 1:
        neg = _test_small(proc, who, args[1:])
        return neg if neg == 2 else 1 - neg
    return _test_small(proc, who, args)
    yield


def _test_small(proc, who, args) -> int:
    t = _Test(proc, args)
    try:
        if len(args) == 1:
            return 0 if args[0] != "" else 1
        v = t.expr()
        if t.more():
            raise _TestError(f"{t.peek()}: unknown operand")
    except _TestError as err:
        proc.err(f"{who}: {err}\n")
        return 2
    return 0 if v else 1


# -- yes ----------------------------------------------------------------------------

def yes_main(proc):
    """``yes [STRING]``: the line forever; a pipeline's reader (``head``)
    takes what it needs, so a pipeline stage writes a bounded amount and the
    rest is lost with the closed pipe (SIGPIPE)."""
    line = (" ".join(proc.argv[1:]) if len(proc.argv) > 1 else "y") + "\n"
    chunk = line * max(1, 65536 // len(line))
    while True:
        proc.out(chunk)
        if proc.on_output is not None and _pipe_stage(proc):
            return 141 - 128 + 128    # killed by SIGPIPE once the reader is gone
        yield 0.001


def _pipe_stage(proc) -> bool:
    """True when stdout is collected for the next stage of a pipeline (the
    shell's stages run one after another; a pipe buffer's worth is enough)."""
    task = proc.task
    return task is not None and task.parent is not None and task.parent.comm in ("sh", "ash") \
        and task.cmdline[:1] == proc.argv[:1]
