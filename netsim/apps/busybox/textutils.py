"""Text filters for pipelines: ``awk``, ``cut``, ``sed``, ``tr``, ``tail``, ``uniq``.

busybox 1.35's applets (the reference host's mawk/GNU tools print the same
for what tutorials pipe ``ip``/``docker`` output through: field printing,
column cuts, ``s///`` rewrites).  ``awk`` is a small interpreter of awk's
expression language: patterns (``BEGIN``, ``END``, ``/re/``, ``$2 ~ /re/``,
comparisons), actions with ``print``/``printf``, assignments (``s += $1``),
fields (``$N``, ``$NF``, ``$(NF-1)``), ``NR``/``NF``/``FS``/``OFS`` and
``length``/``substr``/``toupper``/``tolower``/``split``/``sub``/``gsub``.
"""
from __future__ import annotations

import re

from .common import UsageError, getopt, usage
from .coreutils import _bre_to_ere, _ferr, _inputs


def _read_all(proc, name: str, args: list[str]):
    """Concatenated input of ``args`` (stdin when none), or None after an error."""
    text = ""
    for fname, t in _inputs(proc, args):
        if isinstance(t, Exception):
            proc.err(f"{name}: can't open '{fname}': {_ferr(t)}\n")
            return None
        text += t
    return text


# -- cut ---------------------------------------------------------------------

def _ranges(spec: str):
    out = []
    for part in spec.split(","):
        if not part:
            raise ValueError(spec)
        lo, dash, hi = part.partition("-")
        a = int(lo) if lo else 1
        b = (int(hi) if hi else 1 << 30) if dash else a
        if a < 1 or b < a:
            raise ValueError(spec)
        out.append((a, b))
    return out


def _in(ranges, i: int) -> bool:
    return any(a <= i <= b for a, b in ranges)


def cut_main(proc):
    try:
        opts, args = getopt(proc, "b:c:f:d:sn", proc.argv[1:])
    except UsageError:
        return usage(proc, "cut", "[OPTIONS] [FILE]...")
    spec = opts.get("c") or opts.get("b") or opts.get("f")
    if spec is None:
        proc.err("cut: expected a list of bytes, characters, or fields\n")
        return 1
    try:
        ranges = _ranges(str(spec))
    except ValueError:
        proc.err(f"cut: invalid range {spec}\n" if "-" in str(spec) else f"cut: invalid number '{spec}'\n")
        return 1
    delim = str(opts.get("d", "\t"))
    text = _read_all(proc, "cut", args)
    if text is None:
        return 1
    out = []
    for line in text.splitlines():
        if "f" in opts:
            if delim not in line:
                if not opts.get("s"):
                    out.append(line)
                continue
            fields = line.split(delim)
            out.append(delim.join(f for i, f in enumerate(fields, 1) if _in(ranges, i)))
        else:
            out.append("".join(c for i, c in enumerate(line, 1) if _in(ranges, i)))
    proc.out("".join(ln + "\n" for ln in out))
    return 0
    yield


# -- tr ----------------------------------------------------------------------

_CLASSES = {"upper": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "lower": "abcdefghijklmnopqrstuvwxyz",
            "digit": "0123456789", "space": " \t\n\r\f\v", "blank": " \t",
            "punct": "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"}
_CLASSES["alpha"] = _CLASSES["upper"] + _CLASSES["lower"]
_CLASSES["alnum"] = _CLASSES["alpha"] + _CLASSES["digit"]


def _tr_set(s: str) -> str:
    s = s.encode().decode("unicode_escape") if "\\" in s else s
    out, i = "", 0
    while i < len(s):
        m = re.match(r"\[:(\w+):\]", s[i:])
        if m and m.group(1) in _CLASSES:
            out += _CLASSES[m.group(1)]
            i += m.end()
        elif i + 2 < len(s) and s[i + 1] == "-":
            out += "".join(chr(c) for c in range(ord(s[i]), ord(s[i + 2]) + 1))
            i += 3
        else:
            out += s[i]
            i += 1
    return out


def tr_main(proc):
    try:
        opts, args = getopt(proc, "cdsC", proc.argv[1:])
    except UsageError:
        return usage(proc, "tr", "[-cds] STRING1 [STRING2]")
    if not args or (len(args) < 2 and not opts.get("d") and not opts.get("s")):
        return usage(proc, "tr", "[-cds] STRING1 [STRING2]")
    set1 = _tr_set(args[0])
    set2 = _tr_set(args[1]) if len(args) > 1 else ""
    text = proc.stdin
    if opts.get("d"):
        text = "".join(c for c in text if c not in set1)
        squeeze = set2
    else:
        if set2:
            set2 = set2 + set2[-1] * max(0, len(set1) - len(set2))
            table = {ord(a): b for a, b in zip(set1, set2)}
            text = text.translate(table)
        squeeze = set2 or set1
    if opts.get("s"):
        out = []
        for c in text:
            if out and c == out[-1] and c in squeeze:
                continue
            out.append(c)
        text = "".join(out)
    proc.out(text)
    return 0
    yield


# -- tail, uniq ----------------------------------------------------------------

def tail_main(proc):
    args = proc.argv[1:]
    n = "10"
    if args and re.fullmatch(r"[-+]\d+", args[0]):
        n, args = args[0].lstrip("-"), args[1:]
    try:
        opts, args = getopt(proc, "n:fqc:", args)
    except UsageError:
        return usage(proc, "tail", "[OPTIONS] [FILE]...")
    n = str(opts.get("n", n))
    text = _read_all(proc, "tail", args)
    if text is None:
        return 1
    lines = text.splitlines(keepends=True)
    if n.startswith("+"):
        proc.out("".join(lines[max(int(n[1:]) - 1, 0):]))
    else:
        k = int(n)
        proc.out("".join(lines[-k:]) if k else "")
    return 0
    yield


def uniq_main(proc):
    try:
        opts, args = getopt(proc, "cdu", proc.argv[1:])
    except UsageError:
        return usage(proc, "uniq", "[-cdu] [INPUT [OUTPUT]]")
    text = _read_all(proc, "uniq", args[:1])
    if text is None:
        return 1
    groups: list[list] = []
    for line in text.splitlines():
        if groups and groups[-1][0] == line:
            groups[-1][1] += 1
        else:
            groups.append([line, 1])
    out = []
    for line, k in groups:
        if (opts.get("d") and k < 2) or (opts.get("u") and k > 1):
            continue
        out.append(f"{k:7d} {line}\n" if opts.get("c") else line + "\n")
    proc.out("".join(out))
    return 0
    yield


# -- sed -----------------------------------------------------------------------

class _SedError(Exception):
    pass


def _sed_parse(script: str, ere: bool):
    """Commands ``(address, cmd, args)``: s, d, p, q; addresses are a line
    number, ``$`` or ``/re/``."""
    cmds, i, n = [], 0, len(script)

    def regex(pat):
        return re.compile(pat if ere else _bre_to_ere(pat))

    def delimited(delim):
        nonlocal i
        buf = ""
        while i < n and script[i] != delim:
            if script[i] == "\\" and i + 1 < n:
                buf += script[i:i + 2] if script[i + 1] != delim else delim
                i += 2
                continue
            buf += script[i]
            i += 1
        if i >= n:
            raise _SedError("unmatched '{}'".format(delim))
        i += 1
        return buf

    while i < n:
        while i < n and script[i] in " \t;\n":
            i += 1
        if i >= n:
            break
        addr = None
        if script[i] == "/":
            i += 1
            addr = regex(delimited("/"))
        elif script[i].isdigit():
            m = re.match(r"\d+", script[i:])
            addr = int(m.group(0))
            i += m.end()
        elif script[i] == "$":
            addr = "$"
            i += 1
        negate = False
        if i < n and script[i] == "!":
            negate, i = True, i + 1
        if i >= n:
            raise _SedError("missing command")
        c = script[i]
        i += 1
        if c == "s":
            if i >= n:
                raise _SedError("unterminated `s' command")
            delim = script[i]
            i += 1
            pat = delimited(delim)
            rep = delimited(delim)
            m = re.match(r"[gpI0-9]*", script[i:])
            flags = m.group(0)
            i += m.end()
            cmds.append((addr, negate, "s", (regex(pat) if not "I" in flags else
                                            re.compile(regex(pat).pattern, re.I), rep, flags)))
        elif c in "dpq=":
            cmds.append((addr, negate, c, None))
        else:
            raise _SedError(f"unsupported command {c}")
    return cmds


def _sed_rep(rep: str, m: re.Match) -> str:
    out, i = "", 0
    while i < len(rep):
        c = rep[i]
        if c == "\\" and i + 1 < len(rep):
            d = rep[i + 1]
            out += m.group(int(d)) or "" if d.isdigit() else {"n": "\n", "t": "\t"}.get(d, d)
            i += 2
        elif c == "&":
            out += m.group(0)
            i += 1
        else:
            out += c
            i += 1
    return out


def sed_main(proc):
    try:
        opts, args = getopt(proc, "ne:Eri", proc.argv[1:])
    except UsageError:
        return usage(proc, "sed", "[-i[SFX]] [-nrE] [-f FILE]... [-e CMD]... [FILE]...\n"
                                  "or: sed [-i[SFX]] [-nrE] CMD [FILE]...")
    if "e" in opts:
        scripts = [a for k, a in _all_opt(proc.argv[1:], "e")]
    elif args:
        scripts, args = [args[0]], args[1:]
    else:
        return usage(proc, "sed", "[-i[SFX]] [-nrE] [-f FILE]... [-e CMD]... [FILE]...")
    try:
        cmds = [c for s in scripts for c in _sed_parse(s, bool(opts.get("E") or opts.get("r")))]
    except (_SedError, re.error) as e:
        proc.err(f"sed: {e}\n")
        return 1
    text = _read_all(proc, "sed", args)
    if text is None:
        return 1
    lines = text.splitlines()
    out = []
    for no, line in enumerate(lines, 1):
        last = no == len(lines)
        printed_q = False
        deleted = False
        for addr, negate, c, arg in cmds:
            hit = (addr is None or (addr == "$" and last) or (isinstance(addr, int) and addr == no)
                   or (hasattr(addr, "search") and addr.search(line)))
            if bool(hit) == negate:
                continue
            if c == "s":
                rx, rep, flags = arg
                count = 0 if "g" in flags else 1
                nth = int(re.sub(r"\D", "", flags) or 0)
                if nth:
                    ms = list(rx.finditer(line))
                    if len(ms) >= nth:
                        m = ms[nth - 1]
                        new = line[:m.start()] + _sed_rep(rep, m) + line[m.end():]
                    else:
                        new = None
                else:
                    new, k = rx.subn(lambda m: _sed_rep(rep, m), line, count=count)
                    new = new if k else None
                if new is not None:
                    line = new
                    if "p" in flags:
                        out.append(line)
            elif c == "d":
                deleted = True
                break
            elif c == "p":
                out.append(line)
            elif c == "=":
                out.append(str(no))
            elif c == "q":
                printed_q = True
                break
        if not deleted and not opts.get("n"):
            out.append(line)
        if printed_q:
            break
    proc.out("".join(ln + "\n" for ln in out))
    return 0
    yield


def _all_opt(argv: list[str], letter: str):
    """Every value of a repeatable option (``-e A -e B``)."""
    it = iter(argv)
    for a in it:
        if a == f"-{letter}":
            yield letter, next(it, "")
        elif a.startswith(f"-{letter}") and len(a) > 2:
            yield letter, a[2:]


# -- awk -----------------------------------------------------------------------

class AwkError(Exception):
    pass


_AWK_TOKEN = re.compile(r"""
    (?P<ws>[ \t]+|\\\n)
  | (?P<nl>[\n;])
  | (?P<num>\d+(?:\.\d*)?)
  | (?P<str>"(?:\\.|[^"\\])*")
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\+\+|--|\+=|-=|\*=|/=|==|!=|<=|>=|&&|\|\||!~|[-+*/%<>!~=(){},$?:\[\]])
""", re.X)


def _awk_tokens(src: str):
    toks, i = [], 0
    prev = None
    while i < len(src):
        if src[i] == "/" and (prev is None or prev[0] in ("op", "nl") and prev[1] not in (")", "]")):
            j, buf = i + 1, ""
            while j < len(src) and src[j] != "/":
                if src[j] == "\\" and j + 1 < len(src):
                    buf += src[j:j + 2]
                    j += 2
                    continue
                buf += src[j]
                j += 1
            if j >= len(src):
                raise AwkError("unterminated regexp")
            tok = ("re", buf.replace("\\/", "/"))
            toks.append(tok)
            prev = tok
            i = j + 1
            continue
        if src[i] == "#":
            while i < len(src) and src[i] != "\n":
                i += 1
            continue
        m = _AWK_TOKEN.match(src, i)
        if not m:
            raise AwkError("Unexpected token")   # busybox next_token: EMSG_UNEXP_TOKEN
        i = m.end()
        kind = m.lastgroup
        if kind == "ws":
            continue
        tok = (kind, m.group(0))
        if kind == "str":
            tok = ("str", bytes(m.group(0)[1:-1], "latin-1").decode("unicode_escape"))
        toks.append(tok)
        prev = tok
    return toks


class _AwkParser:
    """awk grammar (the subset above) to nested tuples."""

    def __init__(self, toks):
        self.t = toks
        self.i = 0

    def peek(self, k=0):
        return self.t[self.i + k] if self.i + k < len(self.t) else (None, None)

    def take(self, value=None):
        tok = self.peek()
        if value is not None and tok[1] != value:
            raise AwkError("Unexpected token")
        self.i += 1
        return tok

    def skip_nl(self):
        while self.peek()[0] == "nl":
            self.i += 1

    def program(self):
        items = []
        self.skip_nl()
        while self.peek()[0] is not None:
            if self.peek()[1] in ("BEGIN", "END"):
                kind = self.take()[1]
                items.append((kind, None, self.block()))
            else:
                pattern = None if self.peek()[1] == "{" else self.expr()
                action = self.block() if self.peek()[1] == "{" else None
                items.append(("main", pattern, action))
            self.skip_nl()
        return items

    def block(self):
        self.take("{")
        stmts = []
        while True:
            self.skip_nl()
            if self.peek()[1] == "}":
                self.take()
                return stmts
            if self.peek()[0] is None:
                raise AwkError("Unexpected token")
            stmts.append(self.statement())

    def statement(self):
        tok = self.peek()
        if tok[1] in ("print", "printf"):
            self.take()
            args = []
            if self.peek()[0] not in ("nl", None) and self.peek()[1] != "}":
                args.append(self.expr(no_gt=True))
                while self.peek()[1] == ",":
                    self.take()
                    args.append(self.expr(no_gt=True))
            return (tok[1], args)
        if tok[1] == "if":
            self.take()
            self.take("(")
            cond = self.expr()
            self.take(")")
            self.skip_nl()
            then = self.block() if self.peek()[1] == "{" else [self.statement()]
            self.skip_nl()
            other = []
            if self.peek()[1] == "else":
                self.take()
                self.skip_nl()
                other = self.block() if self.peek()[1] == "{" else [self.statement()]
            return ("if", cond, then, other)
        if tok[1] == "next":
            self.take()
            return ("next",)
        if tok[1] == "{":
            return ("block", self.block())
        return ("expr", self.expr())

    def expr(self, no_gt=False):
        return self.ternary(no_gt)

    def ternary(self, no_gt):
        cond = self.assign(no_gt)
        if self.peek()[1] == "?":
            self.take()
            a = self.ternary(no_gt)
            self.take(":")
            b = self.ternary(no_gt)
            return ("?:", cond, a, b)
        return cond

    def assign(self, no_gt):
        left = self.or_(no_gt)
        if self.peek()[1] in ("=", "+=", "-=", "*=", "/=") and left[0] in ("var", "field", "index"):
            op = self.take()[1]
            return ("assign", op, left, self.assign(no_gt))
        return left

    def or_(self, no_gt):
        left = self.and_(no_gt)
        while self.peek()[1] == "||":
            self.take()
            left = ("||", left, self.and_(no_gt))
        return left

    def and_(self, no_gt):
        left = self.match(no_gt)
        while self.peek()[1] == "&&":
            self.take()
            left = ("&&", left, self.match(no_gt))
        return left

    def match(self, no_gt):
        left = self.compare(no_gt)
        while self.peek()[1] in ("~", "!~"):
            op = self.take()[1]
            left = (op, left, self.compare(no_gt))
        return left

    def compare(self, no_gt):
        left = self.concat()
        ops = ("<", "<=", "==", "!=", ">=") + (() if no_gt else (">",))
        if self.peek()[1] in ops:
            op = self.take()[1]
            return ("cmp", op, left, self.concat())
        return left

    def concat(self):
        left = self.additive()
        while self.peek()[0] in ("num", "str", "name", "re") or self.peek()[1] in ("$", "(", "!", "-") \
                and self.peek()[1] not in ("in",):
            if self.peek()[1] == "-" or self.peek()[0] == "name" and self.peek()[1] in ("in", "else"):
                break
            left = ("concat", left, self.additive())
        return left

    def additive(self):
        left = self.mult()
        while self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            left = ("arith", op, left, self.mult())
        return left

    def mult(self):
        left = self.unary()
        while self.peek()[1] in ("*", "/", "%"):
            op = self.take()[1]
            left = ("arith", op, left, self.unary())
        return left

    def unary(self):
        if self.peek()[1] == "!":
            self.take()
            return ("not", self.unary())
        if self.peek()[1] == "-":
            self.take()
            return ("arith", "-", ("num", 0.0), self.unary())
        if self.peek()[1] == "+":
            self.take()
            return ("arith", "+", ("num", 0.0), self.unary())
        return self.postfix()

    def postfix(self):
        node = self.primary()
        if self.peek()[1] in ("++", "--") and node[0] in ("var", "field", "index"):
            op = self.take()[1]
            return ("assign", "+=" if op == "++" else "-=", node, ("num", 1.0))
        return node

    def primary(self):
        kind, val = self.take()
        if kind == "num":
            return ("num", float(val))
        if kind == "str":
            return ("str", val)
        if kind == "re":
            return ("re", val)
        if val == "$":
            return ("field", self.primary_field())
        if val == "(":
            e = self.expr()
            self.take(")")
            return e
        if val in ("++", "--"):
            target = self.primary()
            return ("assign", "+=" if val == "++" else "-=", target, ("num", 1.0))
        if kind == "name":
            if self.peek()[1] == "(" and val in _AWK_FUNCS:
                self.take()
                args = []
                if self.peek()[1] != ")":
                    args.append(self.expr())
                    while self.peek()[1] == ",":
                        self.take()
                        args.append(self.expr())
                self.take(")")
                return ("call", val, args)
            if val == "length":
                return ("call", "length", [])
            if self.peek()[1] == "[":
                self.take()
                key = self.expr()
                self.take("]")
                return ("index", val, key)
            return ("var", val)
        raise AwkError("Unexpected token")

    def primary_field(self):
        kind, val = self.peek()
        if val == "(":
            self.take()
            e = self.expr()
            self.take(")")
            return e
        if kind == "num":
            self.take()
            return ("num", float(val))
        if kind == "name":
            self.take()
            return ("var", val)
        raise AwkError("Unexpected token")


_AWK_FUNCS = {"length", "substr", "toupper", "tolower", "index", "split", "sub", "gsub", "int",
              "sprintf", "match"}


class _Next(Exception):
    pass


def _num(v) -> float:
    if isinstance(v, float):
        return v
    m = re.match(r"\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?", v)
    return float(m.group(0)) if m else 0.0


def _str(v, fmt="%.6g") -> str:
    if isinstance(v, float):
        return str(int(v)) if v == int(v) and abs(v) < 1e16 else fmt % v
    return v


def _looks_numeric(v) -> bool:
    return isinstance(v, float) or bool(re.fullmatch(r"\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*", v))


class Awk:
    """One awk run: variables, the current record and its fields."""

    def __init__(self, items, fs: str, assigns: dict):
        self.items = items
        self.vars: dict = {"FS": fs, "OFS": " ", "ORS": "\n", "NR": 0.0, "NF": 0.0, "SUBSEP": "\034"}
        self.vars.update(assigns)
        self.arrays: dict[str, dict] = {}
        self.fields: list[str] = [""]
        self.out: list[str] = []

    def set_record(self, line: str):
        fs = self.vars["FS"]
        if fs == " ":
            parts = line.split()
        elif len(fs) == 1 and fs != "\\":
            parts = line.split(fs) if line else []
        else:
            parts = re.split(fs, line) if line else []
        self.fields = [line] + parts
        self.vars["NF"] = float(len(parts))

    def _rebuild(self):
        self.fields[0] = self.vars["OFS"].join(self.fields[1:])

    def get_field(self, i: int) -> str:
        if i == 0:
            return self.fields[0]
        return self.fields[i] if i < len(self.fields) else ""

    def set_field(self, i: int, value: str):
        if i == 0:
            self.set_record(value)
            return
        while len(self.fields) <= i:
            self.fields.append("")
        self.fields[i] = value
        self.vars["NF"] = float(len(self.fields) - 1)
        self._rebuild()

    def run_items(self, kind):
        for k, pattern, action in self.items:
            if k != kind:
                continue
            if kind == "main" and pattern is not None and not self.truth(self.eval(pattern)):
                continue
            if action is None:
                self.out.append(self.fields[0] + self.vars["ORS"])
            else:
                self.exec_block(action)

    def exec_block(self, stmts):
        for s in stmts:
            self.exec(s)

    def exec(self, s):
        kind = s[0]
        if kind == "print":
            vals = [self.eval(a) for a in s[1]] if s[1] else [self.fields[0]]
            self.out.append(self.vars["OFS"].join(_str(v, self.vars.get("OFMT", "%.6g")) for v in vals)
                            + self.vars["ORS"])
        elif kind == "printf":
            if not s[1]:
                raise AwkError("printf: no format")
            vals = [self.eval(a) for a in s[1]]
            self.out.append(_printf(_str(vals[0]), vals[1:]))
        elif kind == "if":
            self.exec_block(s[2] if self.truth(self.eval(s[1])) else s[3])
        elif kind == "next":
            raise _Next()
        elif kind == "block":
            self.exec_block(s[1])
        else:
            self.eval(s[1])

    def truth(self, v) -> bool:
        if isinstance(v, float):
            return v != 0
        return v != ""

    def lvalue_get(self, node):
        if node[0] == "var":
            return self.vars.get(node[1], "")
        if node[0] == "field":
            return self.get_field(int(_num(self.eval(node[1]))))
        return self.arrays.setdefault(node[1], {}).get(_str(self.eval(node[2])), "")

    def lvalue_set(self, node, value):
        if node[0] == "var":
            self.vars[node[1]] = value
        elif node[0] == "field":
            self.set_field(int(_num(self.eval(node[1]))), _str(value))
        else:
            self.arrays.setdefault(node[1], {})[_str(self.eval(node[2]))] = value

    def regex(self, node):
        return re.compile(node[1] if node[0] == "re" else _str(self.eval(node)))

    def eval(self, n):
        k = n[0]
        if k == "num":
            return n[1]
        if k == "str":
            return n[1]
        if k == "re":
            return 1.0 if re.search(n[1], self.fields[0]) else 0.0
        if k == "var":
            if n[1] in self.arrays:
                raise AwkError(f"can't use array {n[1]} in scalar context")
            return self.vars.get(n[1], "")
        if k == "field":
            return self.get_field(int(_num(self.eval(n[1]))))
        if k == "index":
            return self.arrays.setdefault(n[1], {}).get(_str(self.eval(n[2])), "")
        if k == "concat":
            return _str(self.eval(n[1])) + _str(self.eval(n[2]))
        if k == "arith":
            a, b = _num(self.eval(n[2])), _num(self.eval(n[3]))
            op = n[1]
            if op in ("/", "%") and b == 0:
                raise AwkError("division by zero")
            return {"+": a + b, "-": a - b, "*": a * b, "/": a / b if b else 0.0,
                    "%": (a % b) if b else 0.0}[op]
        if k == "cmp":
            a, b = self.eval(n[2]), self.eval(n[3])
            if _looks_numeric(a) and _looks_numeric(b):
                a, b = _num(a), _num(b)
            else:
                a, b = _str(a), _str(b)
            return 1.0 if {"<": a < b, "<=": a <= b, "==": a == b, "!=": a != b,
                           ">=": a >= b, ">": a > b}[n[1]] else 0.0
        if k in ("~", "!~"):
            hit = bool(self.regex(n[2]).search(_str(self.eval(n[1]))))
            return 1.0 if hit == (k == "~") else 0.0
        if k == "&&":
            return 1.0 if self.truth(self.eval(n[1])) and self.truth(self.eval(n[2])) else 0.0
        if k == "||":
            return 1.0 if self.truth(self.eval(n[1])) or self.truth(self.eval(n[2])) else 0.0
        if k == "not":
            return 0.0 if self.truth(self.eval(n[1])) else 1.0
        if k == "?:":
            return self.eval(n[2]) if self.truth(self.eval(n[1])) else self.eval(n[3])
        if k == "assign":
            op, target, value = n[1], n[2], self.eval(n[3])
            if op != "=":
                a, b = _num(self.lvalue_get(target)), _num(value)
                value = {"+=": a + b, "-=": a - b, "*=": a * b, "/=": a / b if b else 0.0}[op]
            self.lvalue_set(target, value)
            return value
        if k == "call":
            return self.call(n[1], n[2])
        raise AwkError(f"cannot evaluate {k}")

    def call(self, name, args):
        ev = [self.eval(a) if not (name in ("split",) and i == 1) and
              not (name in ("sub", "gsub", "match") and i == 0) else None
              for i, a in enumerate(args)]
        if name == "length":
            return float(len(_str(ev[0]) if args else self.fields[0]))
        if name == "substr":
            s = _str(ev[0])
            start = int(round(_num(ev[1])))
            length = int(round(_num(ev[2]))) if len(ev) > 2 else len(s)
            lo = max(start, 1)
            hi = start + length
            return s[lo - 1:max(hi - 1, lo - 1)]
        if name == "toupper":
            return _str(ev[0]).upper()
        if name == "tolower":
            return _str(ev[0]).lower()
        if name == "int":
            return float(int(_num(ev[0])))
        if name == "index":
            return float(_str(ev[0]).find(_str(ev[1])) + 1)
        if name == "sprintf":
            return _printf(_str(ev[0]), ev[1:])
        if name == "split":
            s = _str(ev[0])
            sep = _str(self.eval(args[2])) if len(args) > 2 else self.vars["FS"]
            parts = s.split() if sep == " " else (s.split(sep) if len(sep) == 1 else re.split(sep, s))
            self.arrays[args[1][1]] = {str(i): p for i, p in enumerate(parts, 1)}
            return float(len(parts))
        if name in ("sub", "gsub"):
            rx = self.regex(args[0])
            rep = _str(ev[1])
            target = args[2] if len(args) > 2 else ("field", ("num", 0.0))
            cur = _str(self.lvalue_get(target))
            new, count = rx.subn(lambda m: rep.replace("\\&", "\0").replace("&", m.group(0)).replace("\0", "&"),
                                 cur, count=0 if name == "gsub" else 1)
            if count:
                self.lvalue_set(target, new)
            return float(count)
        if name == "match":
            m = self.regex(args[1]).search(_str(self.eval(args[0])))
            self.vars["RSTART"] = float(m.start() + 1) if m else 0.0
            self.vars["RLENGTH"] = float(len(m.group(0))) if m else -1.0
            return self.vars["RSTART"]
        raise AwkError(f"function {name} never defined")


def _printf(fmt: str, vals: list) -> str:
    out, i, k = "", 0, 0
    while i < len(fmt):
        c = fmt[i]
        if c != "%":
            out += c
            i += 1
            continue
        m = re.match(r"%([-+ 0#]*)(\d*|\*)(?:\.(\d+))?([cdiouxXeEfgGs%])", fmt[i:])
        if not m:
            out += c
            i += 1
            continue
        i += m.end()
        conv = m.group(4)
        if conv == "%":
            out += "%"
            continue
        v = vals[k] if k < len(vals) else ""
        k += 1
        spec = "%" + m.group(1) + m.group(2) + (("." + m.group(3)) if m.group(3) else "")
        if conv in "diouxX":
            out += (spec + ("d" if conv == "i" else conv)) % int(_num(v))
        elif conv in "eEfgG":
            out += (spec + conv) % _num(v)
        elif conv == "c":
            out += (spec + "s") % (_str(v)[:1] if not isinstance(v, float) else chr(int(v)))
        else:
            out += (spec + "s") % _str(v)
    return out


def awk_main(proc):
    args = proc.argv[1:]
    fs = " "
    assigns: dict = {}
    program = None
    while args and args[0].startswith("-") and args[0] != "-":
        a = args.pop(0)
        if a == "--":
            break
        if a.startswith("-F"):
            fs = a[2:] if len(a) > 2 else (args.pop(0) if args else "")
            fs = "\t" if fs == "t" else fs.replace("\\t", "\t")
        elif a.startswith("-v"):
            val = a[2:] if len(a) > 2 else (args.pop(0) if args else "")
            k, _, v = val.partition("=")
            assigns[k] = v
        elif a == "-f" and args:
            try:
                program = proc.fs.read(proc.fs.norm(args.pop(0), proc.cwd or "/"))
            except (FileNotFoundError, IsADirectoryError) as e:
                proc.err(f"awk: {_ferr(e)}\n")
                return 2
        else:
            proc.err(f"awk: invalid option -- '{a[1:2]}'\n")
            return usage(proc, "awk", "[OPTIONS] [AWK_PROGRAM] [FILE]...")
    if program is None:
        if not args:
            return usage(proc, "awk", "[OPTIONS] [AWK_PROGRAM] [FILE]...")
        program = args.pop(0)
    try:
        items = _AwkParser(_awk_tokens(program)).program()
    except (AwkError, re.error) as e:
        proc.err(f"awk: cmd. line:1: {e}\n")
        return 1        # syntax_error: bb_error_msg_and_die
    awk = Awk(items, fs, assigns)
    try:
        awk.run_items("BEGIN")
        if any(k != "BEGIN" for k, _, _ in items):
            text = _read_all(proc, "awk", args)
            if text is None:
                return 2
            for line in text.splitlines():
                awk.vars["NR"] = _num(awk.vars["NR"]) + 1
                awk.set_record(line)
                try:
                    awk.run_items("main")
                except _Next:
                    pass
            awk.run_items("END")
    except (AwkError, re.error) as e:
        proc.out("".join(awk.out))
        proc.err(f"awk: cmd. line:1: {e}\n")
        return 1
    proc.out("".join(awk.out))
    return 0
    yield


# -- grep -e A -e B ---------------------------------------------------------------

def grep_main(proc):
    """``grep`` with every ``-e PATTERN`` (a line matches if any does): the
    patterns become one alternation for :func:`coreutils.grep_main`."""
    from .coreutils import grep_main as single
    argv = list(proc.argv)
    patterns, rest, i = [], [argv[0]], 1
    while i < len(argv):
        a = argv[i]
        if a == "--":
            rest += argv[i:]
            break
        if a == "-e" and i + 1 < len(argv):
            patterns.append(argv[i + 1])
            i += 2
            continue
        if a.startswith("-e") and len(a) > 2:
            patterns.append(a[2:])
        else:
            rest.append(a)
        i += 1
    if len(patterns) > 1:
        ere = any(f in a for a in rest[1:] if a.startswith("-") and not a.startswith("--")
                  for f in "E")
        fixed = any("F" in a for a in rest[1:] if a.startswith("-") and not a.startswith("--"))
        if fixed:
            rest = [r for r in rest if r != "-F"]
            patterns = [re.escape(p) for p in patterns]
            rest.insert(1, "-E")
            ere = True
        joined = ("|" if ere else "\\|").join(f"(?:{p})" if ere else p for p in patterns)
        proc.argv = rest[:1] + ["-e", joined] + rest[1:]
    return (yield from single(proc))
