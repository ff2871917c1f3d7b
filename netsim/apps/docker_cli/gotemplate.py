"""Go ``text/template`` as the docker 20.10 CLI uses it (``--format``, ``inspect -f``).

Pure module, stdlib only.  Main entry points:

* :func:`render(template, data, missingkey="default", funcs=None, name="")`
  parses and executes ``template`` against ``data`` and returns the output.
* :func:`parse(template)` -> :class:`Template` (``.execute(data, ...)``) to
  parse once and execute many times (e.g. once per container for ``ps``).
* :class:`TemplateError` carries Go's exact error text (``str(err)``);
  ``err.kind`` is ``"parse"`` or ``"exec"``.
* :func:`preformat(format)` -> ``(is_table, final_format)``: docker's
  formatter pre-processing (``table`` prefix, ``\\t``/``\\n`` escapes).
* :func:`inspect_format(template, typed, raw=None)`: docker's
  ``TemplateInspector``: run on the typed value and, if that fails, fall back
  to the JSON-decoded raw value with ``missingkey=error``.
* :func:`go_json` (docker's ``json`` template func), :func:`go_sprint`
  (fmt ``%v`` printing), :func:`to_raw`, :func:`header_funcs`.

Modelling Go values with Python values
--------------------------------------
* ``str``/``int``/``float``/``bool`` are Go ``string``/``int``/``float64``/``bool``;
  ``None`` is a nil interface (prints ``<nil>``).
* :class:`Struct` (a dict subclass with a Go type name, e.g.
  ``Struct({...}, go_type="types.ContainerJSON")``) is a Go struct: fields in
  declaration (insertion) order, a missing field is the error
  ``can't evaluate field Foo in type types.ContainerJSON``; a ``go_type``
  starting with ``*`` is a pointer to a struct (printed as an address when
  nested inside another value, like Go's fmt does).
* A plain ``dict`` is a Go map (iteration sorted by key, missing key prints
  ``<no value>``); its element type is inferred: all values of one type ->
  ``map[string]T`` (``{}`` is ``map[string]string``), else
  ``map[string]interface {}``.  A plain ``list`` likewise (``[]string`` ...).
* :class:`GoMap`/:class:`GoSlice` give an explicit Go type; :class:`RawMap`,
  :class:`RawList` and :class:`JSONNumber` model values decoded from JSON
  into ``interface{}`` (what docker's inspect fallback executes on); build
  them with :func:`to_raw`.
* :class:`GoNil` is a typed nil (``GoNil("slice")`` prints ``[]``,
  ``GoNil("map")`` prints ``map[]``, ``GoNil("ptr", "*types.Health")``).
* Any other object is a Go struct pointer whose exported fields/methods are its
  public attributes (methods are called with the template arguments); its
  Go type name is ``obj.go_type`` if set, else the class name.  ``json`` of
  such an object uses ``obj.__gojson__()`` if defined, else its public
  non-callable attributes.
"""

from __future__ import annotations

import inspect as _inspect
import json as _pyjson
import math
import unicodedata
from decimal import Decimal

__all__ = [
    "TemplateError", "Template", "parse", "render", "preformat", "inspect_format", "SubHeaderContext",
    "Struct", "GoMap", "GoSlice", "GoNil", "RawMap", "RawList", "JSONNumber",
    "GoFuncError", "go_json", "go_sprint", "to_raw", "header_funcs", "basic_funcs",
]


class TemplateError(Exception):
    """A Go text/template parse or execution error; str() is Go's message."""

    def __init__(self, message: str, kind: str = "exec", output: str = ""):
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.output = output  # what had been written before the error

    def __str__(self) -> str:
        return self.message


class GoFuncError(Exception):
    """Raise from a template function/method to report a Go ``error`` result."""


# --------------------------------------------------------------------------
# Value model
# --------------------------------------------------------------------------

class Struct(dict):
    """A Go struct (field order = insertion order).  Fields named in
    ``omitempty`` carry the ``json:",omitempty"`` tag: templates see them,
    JSON leaves them out when they hold their zero value."""

    def __init__(self, *args, go_type: str = "struct", omitempty=(), go_names=None, pointers=(), **kw):
        super().__init__(*args, **kw)
        self.go_type = go_type
        self.omitempty = frozenset(omitempty)
        self.pointers = frozenset(pointers)
        # JSON key -> Go field name where the ``json:"..."`` tag renames the
        # field (types.ContainerJSON's ``ID`` is "Id" in JSON): templates
        # evaluate the Go name, JSON (and the raw fallback) see the key
        self.go_names = dict(go_names or {})

    def field_key(self, name: str):
        """The key of the field a template names ``name`` (None: no such field)."""
        if not self.go_names:
            return name if name in self else None
        for k in self:
            if self.go_names.get(k, k) == name:
                return k
        return None

    def json_items(self):
        """The (key, value) pairs encoding/json writes."""
        return [(k, v) for k, v in self.items()
                if not (k in self.omitempty and (isinstance(v, GoNil) or (
                    not self.go_type_of_ptr(k) and v in ("", None, 0, False, {}, []))))]

    def go_type_of_ptr(self, key) -> bool:
        """Whether field ``key`` is a pointer (omitempty leaves out only nil)."""
        return key in getattr(self, "pointers", ())


class GoMap(dict):
    """A Go map with explicit type, e.g. ``GoMap(d, go_type="map[string]string", zero="")``."""

    _NOZERO = object()

    def __init__(self, *args, go_type: str = "map[string]interface {}", zero=_NOZERO, **kw):
        super().__init__(*args, **kw)
        self.go_type = go_type
        self.elem_iface = go_type.endswith("]interface {}")
        if zero is GoMap._NOZERO:
            zero = _zero_for_type(go_type[go_type.index("]") + 1:]) if "]" in go_type else None
        self.zero = zero


class GoSlice(list):
    def __init__(self, *args, go_type: str = "[]interface {}"):
        super().__init__(*args)
        self.go_type = go_type
        self.elem_iface = go_type.endswith("]interface {}")


class SubHeaderContext(GoMap):
    """docker formatter's table header context: a map[string]string of
    column titles with one method, ``Label`` (a label column's title)."""

    go_methods = ("Label",)

    def __init__(self, *args, **kw):
        super().__init__(*args, go_type="formatter.SubHeaderContext", zero="", **kw)

    def Label(self, name: str) -> str:
        return name.split(".")[-1].replace("-", " ").replace("_", " ")


class RawMap(GoMap):
    """map[string]interface{} as produced by encoding/json."""

    def __init__(self, *args, **kw):
        super().__init__(*args, go_type="map[string]interface {}", zero=None, **kw)


class RawList(GoSlice):
    def __init__(self, *args):
        super().__init__(*args, go_type="[]interface {}")


class JSONNumber(str):
    """encoding/json's json.Number (decoder with UseNumber): a string kind."""
    go_type = "json.Number"


class GoNil:
    """A typed nil: kind is "ptr", "map", "slice" or "iface"."""

    def __init__(self, kind: str = "ptr", go_type: str | None = None):
        self.kind = kind
        self.go_type = go_type or {"ptr": "*struct {}", "map": "map[string]interface {}",
                                   "slice": "[]interface {}", "iface": "interface {}"}[kind]

    def __repr__(self):
        return f"GoNil({self.kind!r}, {self.go_type!r})"

    def __eq__(self, other):
        return isinstance(other, GoNil) and other.kind == self.kind and other.go_type == self.go_type

    def __hash__(self):
        return hash((self.kind, self.go_type))


class _NoValue:
    """An invalid reflect.Value (missing map key, nil data)."""

    def __repr__(self):
        return "<no value>"


NOVALUE = _NoValue()
_MISSING = object()  # "missingVal": no final pipeline value


class _Iface:
    """A value held in a slot of static type interface{}."""
    __slots__ = ("v",)

    def __init__(self, v):
        self.v = v


def _unwrap(x):
    while isinstance(x, _Iface):
        x = x.v
    return x


def _zero_for_type(t: str):
    if t == "string":
        return ""
    if t in ("int", "int64", "int32", "uint", "uint64", "uint32", "uint16", "uint8", "int16", "int8"):
        return 0
    if t in ("float64", "float32"):
        return 0.0
    if t == "bool":
        return False
    if t.startswith("*"):
        return GoNil("ptr", t)
    if t.startswith("map["):
        return GoNil("map", t)
    if t.startswith("[]"):
        return GoNil("slice", t)
    return None  # interface {} and unknown: nil interface


def _is_obj(x) -> bool:
    return not isinstance(x, (str, int, float, bool, dict, list, tuple, GoNil, _NoValue, _Iface)) \
        and x is not None


def _dyn_type(x) -> str:
    """Go type name of a (concrete) value."""
    x = _unwrap(x)
    if isinstance(x, bool):
        return "bool"
    if isinstance(x, JSONNumber):
        return "json.Number"
    if isinstance(x, str):
        return "string"
    if isinstance(x, int):
        return "int"
    if isinstance(x, float):
        return "float64"
    if isinstance(x, (Struct, GoMap, GoSlice, GoNil)):
        return x.go_type
    if isinstance(x, dict):
        et = _uniform_type(list(x.values()), "string")
        return "map[string]" + (et or "interface {}")
    if isinstance(x, (list, tuple)):
        et = _uniform_type(list(x), "string")
        return "[]" + (et or "interface {}")
    if x is None or x is NOVALUE:
        return "<nil>"
    t = getattr(x, "go_type", None)
    return t if isinstance(t, str) else type(x).__name__


def _uniform_type(values, empty):
    if not values:
        return empty
    ts = set()
    for v in values:
        if v is None or isinstance(v, _Iface):
            return None
        ts.add(_dyn_type(v))
        if len(ts) > 1:
            return None
    return ts.pop()


def _static_type(x) -> str:
    if isinstance(x, _Iface):
        return "interface {}"
    if x is None:
        return "interface {}"
    return _dyn_type(x)


def _map_elem_iface(m) -> bool:
    if isinstance(m, GoMap):
        return m.elem_iface
    return _uniform_type(list(m.values()), "string") is None


def _seq_elem_iface(s) -> bool:
    if isinstance(s, GoSlice):
        return s.elem_iface
    return _uniform_type(list(s), "string") is None


def _map_get(m, key):
    """Value stored in map m (with interface wrapping), or NOVALUE."""
    if key not in m:
        if not isinstance(key, str):
            return NOVALUE
        return NOVALUE
    v = m[key]
    return _Iface(v) if _map_elem_iface(m) else v


def _map_zero(m):
    if isinstance(m, GoMap):
        z = m.zero
        return _Iface(None) if z is None else z
    et = _uniform_type(list(m.values()), "string")
    if et is None:
        return _Iface(None)
    return _zero_for_type(et) if _zero_for_type(et) is not None else _Iface(None)


def _seq_get(s, i):
    v = s[i]
    return _Iface(v) if _seq_elem_iface(s) else v


def _sorted_keys(m):
    keys = list(m.keys())
    try:
        return sorted(keys)
    except TypeError:
        return sorted(keys, key=lambda k: (str(type(k)), str(k)))


def _public_attrs(obj):
    for name in dir(obj):
        if name[:1].isupper():
            yield name


# --------------------------------------------------------------------------
# fmt-style printing
# --------------------------------------------------------------------------

def _float_digits(f: float):
    """Shortest decimal digits and decimal-point position of abs(f) (f != 0)."""
    d = Decimal(repr(abs(f)))
    sign, digits, exp = d.as_tuple()
    digits = list(digits)
    while len(digits) > 1 and digits[-1] == 0:
        digits.pop()
        exp += 1
    nd = len(digits)
    dp = nd + exp
    return "".join(map(str, digits)), dp


def _fmt_e(neg, ds, dp, upper=False):
    m = ds[0] + ("." + ds[1:] if len(ds) > 1 else "")
    x = dp - 1
    es = "-" if x < 0 else "+"
    x = abs(x)
    return ("-" if neg else "") + m + ("E" if upper else "e") + es + (f"{x:02d}")


def _fmt_f(neg, ds, dp):
    if dp <= 0:
        s = "0." + "0" * (-dp) + ds
    elif dp >= len(ds):
        s = ds + "0" * (dp - len(ds))
    else:
        s = ds[:dp] + "." + ds[dp:]
    return ("-" if neg else "") + s


def _go_float_v(f: float) -> str:
    """fmt %v of a float64 (strconv 'g', shortest)."""
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    neg = math.copysign(1.0, f) < 0
    if f == 0:
        return "-0" if neg else "0"
    ds, dp = _float_digits(f)
    x = dp - 1
    if x < -4 or x >= 6:  # shortest 'g': eprec = 6
        return _fmt_e(neg, ds, dp)
    return _fmt_f(neg, ds, dp)


def _go_float_json(f: float):
    if math.isnan(f) or math.isinf(f):
        raise _JSONUnsupported()
    a = abs(f)
    neg = math.copysign(1.0, f) < 0
    if f == 0:
        return "-0" if neg else "0"
    ds, dp = _float_digits(f)
    if a < 1e-6 or a >= 1e21:
        s = _fmt_e(neg, ds, dp)
        if s[-4] == "e" and s[-3] == "-" and s[-2] == "0":
            s = s[:-2] + s[-1]
        return s
    return _fmt_f(neg, ds, dp)


class _AddrGen:
    def __init__(self):
        self.n = 0

    def next(self):
        self.n += 1
        return "0xc%09x" % (0x10000 + self.n * 0x60)


def go_sprint(value, _depth: int = 0, _addr: _AddrGen | None = None, deref: bool = False) -> str:
    """Go's fmt ``%v`` of a value (as fmt.Print would print it); ``deref``
    prints a top-level struct pointer as the struct (as template actions do)."""
    addr = _addr or _AddrGen()
    x = _unwrap(value)
    if x is NOVALUE:
        return "<no value>"
    if x is None:
        return "<nil>"
    if isinstance(x, GoNil):
        return {"slice": "[]", "map": "map[]"}.get(x.kind, "<nil>")
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, str):
        return str.__str__(x)
    if isinstance(x, int):
        return str(x)
    if isinstance(x, float):
        return _go_float_v(x)
    if isinstance(x, Struct):
        if _depth > 0 and x.go_type.startswith("*"):
            return addr.next()
        amp = "&" if x.go_type.startswith("*") and not deref else ""
        return amp + "{" + " ".join(go_sprint(v, _depth + 1, addr) for v in x.values()) + "}"
    if isinstance(x, dict):
        return "map[" + " ".join(
            go_sprint(k, _depth + 1, addr) + ":" + go_sprint(x[k], _depth + 1, addr)
            for k in _sorted_keys(x)) + "]"
    if isinstance(x, (list, tuple)):
        return "[" + " ".join(go_sprint(v, _depth + 1, addr) for v in x) + "]"
    s = getattr(x, "String", None)
    if callable(s):
        return str(s())
    if _depth > 0:
        return addr.next()
    return ("{" if deref else "&{") + " ".join(go_sprint(getattr(x, n), _depth + 1, addr)
                           for n in _public_attrs(x) if not callable(getattr(x, n))) + "}"


# --------------------------------------------------------------------------
# encoding/json
# --------------------------------------------------------------------------

class _JSONUnsupported(Exception):
    pass


_HEX = "0123456789abcdef"


def _json_str(s: str, escape_html: bool) -> str:
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif o < 0x20:
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch) or "\\u00" + _HEX[o >> 4] + _HEX[o & 15])
        elif escape_html and ch in "<>&":
            out.append("\\u00" + _HEX[o >> 4] + _HEX[o & 15])
        elif o in (0x2028, 0x2029):
            out.append("\\u%04x" % o)
        elif 0xD800 <= o <= 0xDFFF:
            out.append("\ufffd")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _json_enc(x, escape_html: bool) -> str:
    x = _unwrap(x)
    if x is None or x is NOVALUE or isinstance(x, GoNil):
        return "null"
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, JSONNumber):
        return str.__str__(x) if str.__str__(x) else "0"
    if isinstance(x, str):
        return _json_str(x, escape_html)
    if isinstance(x, int):
        return str(x)
    if isinstance(x, float):
        return _go_float_json(x)
    if isinstance(x, Struct):
        return "{" + ",".join(_json_str(str(k), escape_html) + ":" + _json_enc(v, escape_html)
                              for k, v in x.json_items()) + "}"
    if isinstance(x, dict):
        keys = sorted(x.keys(), key=lambda k: str(k))
        return "{" + ",".join(_json_str(str(k), escape_html) + ":" + _json_enc(x[k], escape_html)
                              for k in keys) + "}"
    if isinstance(x, (list, tuple)):
        return "[" + ",".join(_json_enc(v, escape_html) for v in x) + "]"
    hook = getattr(x, "__gojson__", None)
    if callable(hook):
        return _json_enc(hook(), escape_html)
    return "{" + ",".join(_json_str(n, escape_html) + ":" + _json_enc(getattr(x, n), escape_html)
                          for n in _public_attrs(x) if not callable(getattr(x, n))) + "}"


def go_json(value, escape_html: bool = False) -> str:
    """docker's ``json`` template func: encoding/json with SetEscapeHTML(false),
    compact, no trailing newline; "" if the value can't be encoded (NaN/Inf)."""
    try:
        return _json_enc(value, escape_html)
    except _JSONUnsupported:
        return ""


def to_raw(value):
    """What docker's inspect fallback sees: the JSON of ``value`` decoded into
    interface{} with UseNumber (maps sorted, numbers json.Number)."""
    x = _unwrap(value)
    if x is None or x is NOVALUE or isinstance(x, GoNil):
        return None
    if isinstance(x, bool):
        return x
    if isinstance(x, (int, float, JSONNumber)) and not isinstance(x, str) or isinstance(x, JSONNumber):
        s = go_json(x)
        return JSONNumber(s) if s else None
    if isinstance(x, str):
        return x
    if isinstance(x, dict):
        items = x.json_items() if isinstance(x, Struct) else x.items()
        return RawMap({str(k): to_raw(v) for k, v in items})
    if isinstance(x, (list, tuple)):
        return RawList([to_raw(v) for v in x])
    return to_raw(_pyjson.loads(go_json(x)))


# --------------------------------------------------------------------------
# Go string literals / quoting
# --------------------------------------------------------------------------

class _SyntaxErr(Exception):
    pass


def _unquote_char(s: str, i: int, quote: str):
    """strconv.UnquoteChar: returns (codepoint, new_index)."""
    c = s[i]
    if c == quote and quote in "'\"":
        raise _SyntaxErr()
    if c != "\\":
        return ord(c), i + 1
    i += 1
    if i >= len(s):
        raise _SyntaxErr()
    c = s[i]
    i += 1
    simple = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92}
    if c in simple:
        return simple[c], i
    if c in "xuU":
        n = {"x": 2, "u": 4, "U": 8}[c]
        h = s[i:i + n]
        if len(h) < n or any(ch not in "0123456789abcdefABCDEF" for ch in h):
            raise _SyntaxErr()
        v = int(h, 16)
        if c != "x" and (v > 0x10FFFF or 0xD800 <= v <= 0xDFFF):
            raise _SyntaxErr()
        return v, i + n
    if c in "01234567":
        h = s[i - 1:i + 2]
        if len(h) < 3 or any(ch not in "01234567" for ch in h):
            raise _SyntaxErr()
        v = int(h, 8)
        if v > 255:
            raise _SyntaxErr()
        return v, i + 2
    if c in "'\"":
        if c != quote:
            raise _SyntaxErr()
        return ord(c), i
    raise _SyntaxErr()


def _go_unquote(tok: str) -> str:
    if tok[0] == "`":
        if "`" in tok[1:-1]:
            raise _SyntaxErr()
        return tok[1:-1].replace("\r", "")
    body = tok[1:-1]
    if tok[0] != '"' or tok[-1] != '"' or len(tok) < 2:
        raise _SyntaxErr()
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\n":
            raise _SyntaxErr()
        is_x = c == "\\" and i + 1 < len(body) and body[i + 1] in "x01234567"
        v, i = _unquote_char(body, i, '"')
        if is_x:
            out.append(v)
        else:
            out += chr(v).encode("utf-8", "surrogatepass")
    return out.decode("utf-8", "replace")


def _go_quote(s: str) -> str:
    """strconv.Quote."""
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif ch in "\a\b\f\n\r\t\v":
            out.append("\\" + "abfnrtv"["\a\b\f\n\r\t\v".index(ch)])
        elif o < 0x20 or o == 0x7F:
            out.append("\\x%02x" % o)
        elif o < 0x80 or (unicodedata.category(ch)[0] in "LMNPS" or ch == " "):
            out.append(ch)
        elif o < 0x10000:
            out.append("\\u%04x" % o)
        else:
            out.append("\\U%08x" % o)
    out.append('"')
    return "".join(out)


def _unicode_repr(ch: str) -> str:
    """fmt %#U."""
    o = ord(ch)
    if ch.isprintable():
        return "U+%04X '%s'" % (o, ch)
    return "U+%04X" % o


# --------------------------------------------------------------------------
# Lexer
# --------------------------------------------------------------------------

(T_ERROR, T_BOOL, T_CHAR, T_CHARCONST, T_COMMENT, T_COMPLEX, T_ASSIGN, T_DECLARE, T_EOF,
 T_FIELD, T_IDENT, T_LDELIM, T_LPAREN, T_NUMBER, T_PIPE, T_RAWSTRING, T_RDELIM, T_RPAREN,
 T_SPACE, T_STRING, T_TEXT, T_VARIABLE, T_KEYWORD, T_BLOCK, T_BREAK, T_CONTINUE, T_DOT,
 T_DEFINE, T_ELSE, T_END, T_IF, T_NIL, T_RANGE, T_TEMPLATE, T_WITH) = range(35)

_KEYWORDS = {".": T_DOT, "block": T_BLOCK, "break": T_BREAK, "continue": T_CONTINUE,
             "define": T_DEFINE, "else": T_ELSE, "end": T_END, "if": T_IF, "range": T_RANGE,
             "nil": T_NIL, "template": T_TEMPLATE, "with": T_WITH}

_SPACE = " \t\r\n"
EOF = ""


class _Item:
    __slots__ = ("typ", "pos", "val", "line")

    def __init__(self, typ, pos, val, line):
        self.typ, self.pos, self.val, self.line = typ, pos, val, line

    def __str__(self):
        if self.typ == T_EOF:
            return "EOF"
        if self.typ == T_ERROR:
            return self.val
        if self.typ > T_KEYWORD:
            return "<%s>" % self.val
        if len(self.val) > 10:
            return _go_quote(self.val[:10]) + "..."
        return _go_quote(self.val)


def _is_alnum(r: str) -> bool:
    return r != "" and (r == "_" or r.isalpha() or unicodedata.category(r) == "Nd")


class _Lexer:
    def __init__(self, text: str):
        self.input = text
        self.pos = 0
        self.start = 0
        self.line = 1
        self.start_line = 1
        self.items: list[_Item] = []
        self.paren_depth = 0
        self.done = False

    def next(self):
        if self.pos >= len(self.input):
            self.pos = len(self.input) + 1  # mark eof consumed
            return EOF
        r = self.input[self.pos]
        self.pos += 1
        if r == "\n":
            self.line += 1
        return r

    def peek(self):
        return self.input[self.pos] if self.pos < len(self.input) else EOF

    def backup(self):
        if self.pos > len(self.input):
            self.pos = len(self.input)
            return
        self.pos -= 1
        if self.input[self.pos] == "\n":
            self.line -= 1

    def emit(self, typ):
        self.items.append(_Item(typ, self.start, self.input[self.start:self.pos], self.start_line))
        self.start = self.pos
        self.start_line = self.line

    def ignore(self):
        self.line += self.input.count("\n", self.start, self.pos)
        self.start = self.pos
        self.start_line = self.line

    def accept(self, valid):
        r = self.next()
        if r != EOF and r in valid:
            return True
        self.backup()
        return False

    def accept_run(self, valid):
        while True:
            r = self.next()
            if r == EOF or r not in valid:
                break
        self.backup()

    def errorf(self, msg):
        self.items.append(_Item(T_ERROR, self.start, msg, self.start_line))
        self.done = True
        return None

    def at_right_delim(self):
        s = self.input
        p = self.pos
        if p + 1 < len(s) and s[p] in _SPACE and s[p + 1] == "-" and s.startswith("}}", p + 2):
            return True, True
        if s.startswith("}}", p):
            return True, False
        return False, False

    def at_terminator(self):
        r = self.peek()
        if r == EOF or r in _SPACE or r in ".,|:)(":
            return True
        return self.input.startswith("}}", self.pos)

    def run(self):
        state = self.lex_text
        while state is not None and not self.done:
            state = state()
        return self.items

    # states ------------------------------------------------------------
    def lex_text(self):
        s = self.input
        x = s.find("{{", self.pos)
        if x >= 0:
            if x > self.pos:
                self.pos = x
                trim = 0
                de = x + 2
                if de + 1 < len(s) and s[de] == "-" and s[de + 1] in _SPACE:
                    t = s[self.start:self.pos]
                    trim = len(t) - len(t.rstrip(_SPACE))
                self.pos -= trim
                self.line += s.count("\n", self.start, self.pos)
                item = _Item(T_TEXT, self.start, s[self.start:self.pos], self.start_line)
                self.start = self.pos
                self.start_line = self.line
                self.pos += trim
                self.ignore()
                if item.val:
                    self.items.append(item)
            return self.lex_left_delim
        self.pos = len(s)
        if self.pos > self.start:
            self.line += s.count("\n", self.start, self.pos)
            self.emit(T_TEXT)
        self.emit(T_EOF)
        return None

    def lex_left_delim(self):
        s = self.input
        self.pos += 2
        trim = self.pos + 1 < len(s) and s[self.pos] == "-" and s[self.pos + 1] in _SPACE
        after = 2 if trim else 0
        if s.startswith("/*", self.pos + after):
            self.pos += after
            self.ignore()
            return self.lex_comment
        item = _Item(T_LDELIM, self.start, s[self.start:self.pos], self.start_line)
        self.pos += after
        self.ignore()
        self.paren_depth = 0
        self.items.append(item)
        return self.lex_inside_action

    def lex_comment(self):
        s = self.input
        self.pos += 2
        x = s.find("*/", self.pos)
        if x < 0:
            return self.errorf("unclosed comment")
        self.pos = x + 2
        delim, trim = self.at_right_delim()
        if not delim:
            return self.errorf("comment ends before closing delimiter")
        if trim:
            self.pos += 2
        self.pos += 2
        if trim:
            t = s[self.pos:]
            self.pos += len(t) - len(t.lstrip(_SPACE))
        self.ignore()
        return self.lex_text

    def lex_right_delim(self):
        s = self.input
        _, trim = self.at_right_delim()
        if trim:
            self.pos += 2
            self.ignore()
        self.pos += 2
        item = _Item(T_RDELIM, self.start, s[self.start:self.pos], self.start_line)
        self.start = self.pos
        if trim:
            t = s[self.pos:]
            self.pos += len(t) - len(t.lstrip(_SPACE))
            self.ignore()
        self.items.append(item)
        return self.lex_text

    def lex_inside_action(self):
        delim, _ = self.at_right_delim()
        if delim:
            if self.paren_depth == 0:
                return self.lex_right_delim
            return self.errorf("unclosed left paren")
        r = self.next()
        if r == EOF:
            return self.errorf("unclosed action")
        if r in _SPACE:
            self.backup()
            return self.lex_space
        if r == "=":
            self.emit(T_ASSIGN)
        elif r == ":":
            if self.next() != "=":
                return self.errorf("expected :=")
            self.emit(T_DECLARE)
        elif r == "|":
            self.emit(T_PIPE)
        elif r == '"':
            return self.lex_quote
        elif r == "`":
            return self.lex_raw_quote
        elif r == "$":
            return self.lex_variable
        elif r == "'":
            return self.lex_char
        elif r == "." and self.pos < len(self.input) and not ("0" <= self.input[self.pos] <= "9"):
            return self.lex_field
        elif r in "+-." or "0" <= r <= "9":
            self.backup()
            return self.lex_number
        elif _is_alnum(r):
            self.backup()
            return self.lex_identifier
        elif r == "(":
            self.emit(T_LPAREN)
            self.paren_depth += 1
        elif r == ")":
            self.emit(T_RPAREN)
            self.paren_depth -= 1
            if self.paren_depth < 0:
                return self.errorf("unexpected right paren %s" % _unicode_repr(r))
        elif ord(r) < 0x80 and r.isprintable():
            self.emit(T_CHAR)
        else:
            return self.errorf("unrecognized character in action: %s" % _unicode_repr(r))
        return self.lex_inside_action

    def lex_space(self):
        n = 0
        while True:
            r = self.peek()
            if r == EOF or r not in _SPACE:
                break
            self.next()
            n += 1
        s = self.input
        p = self.pos - 1
        if p + 1 < len(s) and s[p] in _SPACE and s[p + 1] == "-" and s.startswith("}}", p + 2):
            self.backup()
            if n == 1:
                return self.lex_right_delim
        self.emit(T_SPACE)
        return self.lex_inside_action

    def lex_identifier(self):
        while True:
            r = self.next()
            if not _is_alnum(r):
                self.backup()
                word = self.input[self.start:self.pos]
                if not self.at_terminator():
                    return self.errorf("bad character %s" % _unicode_repr(r))
                if word in _KEYWORDS and _KEYWORDS[word] > T_KEYWORD:
                    self.emit(_KEYWORDS[word])
                elif word[0] == ".":
                    self.emit(T_FIELD)
                elif word in ("true", "false"):
                    self.emit(T_BOOL)
                else:
                    self.emit(T_IDENT)
                return self.lex_inside_action

    def lex_field(self):
        return self._lex_field_or_var(T_FIELD)

    def lex_variable(self):
        if self.at_terminator():
            self.emit(T_VARIABLE)
            return self.lex_inside_action
        return self._lex_field_or_var(T_VARIABLE)

    def _lex_field_or_var(self, typ):
        if self.at_terminator():
            self.emit(T_VARIABLE if typ == T_VARIABLE else T_DOT)
            return self.lex_inside_action
        while True:
            r = self.next()
            if not _is_alnum(r):
                self.backup()
                break
        if not self.at_terminator():
            return self.errorf("bad character %s" % _unicode_repr(r))
        self.emit(typ)
        return self.lex_inside_action

    def lex_char(self):
        return self._lex_escaped("'", "unterminated character constant", T_CHARCONST)

    def _lex_escaped(self, close: str, unterminated: str, token):
        """A quoted item with backslash escapes that must end on its own line."""
        while True:
            r = self.next()
            if r == "\\":
                r2 = self.next()
                if r2 != EOF and r2 != "\n":
                    continue
                return self.errorf(unterminated)
            if r == EOF or r == "\n":
                return self.errorf(unterminated)
            if r == close:
                break
        self.emit(token)
        return self.lex_inside_action

    def _scan_number(self):
        self.accept("+-")
        digits = "0123456789_"
        if self.accept("0"):
            if self.accept("xX"):
                digits = "0123456789abcdefABCDEF_"
            elif self.accept("oO"):
                digits = "01234567_"
            elif self.accept("bB"):
                digits = "01_"
        self.accept_run(digits)
        if self.accept("."):
            self.accept_run(digits)
        if len(digits) == 11 and self.accept("eE"):
            self.accept("+-")
            self.accept_run("0123456789_")
        if len(digits) == 23 and self.accept("pP"):
            self.accept("+-")
            self.accept_run("0123456789_")
        self.accept("i")
        if _is_alnum(self.peek()):
            self.next()
            return False
        return True

    def lex_number(self):
        if not self._scan_number():
            return self.errorf("bad number syntax: %s" % _go_quote(self.input[self.start:self.pos]))
        if self.peek() in ("+", "-") and self.peek() != EOF:
            if not self._scan_number() or self.input[self.pos - 1] != "i":
                return self.errorf("bad number syntax: %s" % _go_quote(self.input[self.start:self.pos]))
            self.emit(T_COMPLEX)
        else:
            self.emit(T_NUMBER)
        return self.lex_inside_action

    def lex_quote(self):
        return self._lex_escaped('"', "unterminated quoted string", T_STRING)

    def lex_raw_quote(self):
        while True:
            r = self.next()
            if r == EOF:
                return self.errorf("unterminated raw quoted string")
            if r == "`":
                break
        self.emit(T_RAWSTRING)
        return self.lex_inside_action


# --------------------------------------------------------------------------
# Parse tree
# --------------------------------------------------------------------------

class _Node:
    pos = 0


class _ListNode(_Node):
    def __init__(self, pos):
        self.pos = pos
        self.nodes = []

    def __str__(self):
        return "".join(str(n) for n in self.nodes)


class _TextNode(_Node):
    def __init__(self, pos, text):
        self.pos, self.text = pos, text

    def __str__(self):
        return self.text


class _CommentNode(_Node):
    def __init__(self, pos, text):
        self.pos, self.text = pos, text

    def __str__(self):
        return "{{" + self.text + "}}"


class _PipeNode(_Node):
    def __init__(self, pos, line):
        self.pos, self.line = pos, line
        self.is_assign = False
        self.decl: list[_VariableNode] = []
        self.cmds: list[_CommandNode] = []

    def __str__(self):
        s = ""
        if self.decl:
            s = ", ".join(str(v) for v in self.decl) + " := "
        return s + " | ".join(str(c) for c in self.cmds)


class _ActionNode(_Node):
    def __init__(self, pos, line, pipe):
        self.pos, self.line, self.pipe = pos, line, pipe

    def __str__(self):
        return "{{" + str(self.pipe) + "}}"


class _CommandNode(_Node):
    def __init__(self, pos):
        self.pos = pos
        self.args = []

    def __str__(self):
        return " ".join("(" + str(a) + ")" if isinstance(a, _PipeNode) else str(a) for a in self.args)


class _IdentifierNode(_Node):
    def __init__(self, pos, ident):
        self.pos, self.ident = pos, ident

    def __str__(self):
        return self.ident


class _VariableNode(_Node):
    def __init__(self, pos, ident):
        self.pos = pos
        self.ident = ident.split(".")

    def __str__(self):
        return ".".join(self.ident)


class _DotNode(_Node):
    def __init__(self, pos):
        self.pos = pos

    def __str__(self):
        return "."


class _NilNode(_Node):
    def __init__(self, pos):
        self.pos = pos

    def __str__(self):
        return "nil"


class _FieldNode(_Node):
    def __init__(self, pos, ident):
        self.pos = pos
        self.ident = ident[1:].split(".")

    def __str__(self):
        return "".join("." + i for i in self.ident)


class _ChainNode(_Node):
    def __init__(self, pos, node):
        self.pos, self.node = pos, node
        self.field: list[str] = []

    def add(self, field):
        self.field.append(field[1:])

    def __str__(self):
        s = "(" + str(self.node) + ")" if isinstance(self.node, _PipeNode) else str(self.node)
        return s + "".join("." + f for f in self.field)


class _BoolNode(_Node):
    def __init__(self, pos, val):
        self.pos, self.val = pos, val

    def __str__(self):
        return "true" if self.val else "false"


class _NumberNode(_Node):
    def __init__(self, pos, text):
        self.pos, self.text = pos, text
        self.is_int = self.is_uint = self.is_float = self.is_complex = False
        self.int = 0
        self.float = 0.0
        self.complex = 0j

    def __str__(self):
        return self.text


class _StringNode(_Node):
    def __init__(self, pos, quoted, text):
        self.pos, self.quoted, self.text = pos, quoted, text

    def __str__(self):
        return self.quoted


class _EndNode(_Node):
    def __init__(self, pos):
        self.pos = pos

    def __str__(self):
        return "{{end}}"


class _ElseNode(_Node):
    def __init__(self, pos, line):
        self.pos, self.line = pos, line

    def __str__(self):
        return "{{else}}"


class _BranchNode(_Node):
    keyword = ""

    def __init__(self, pos, line, pipe, lst, else_list):
        self.pos, self.line, self.pipe, self.list, self.else_list = pos, line, pipe, lst, else_list

    def __str__(self):
        s = "{{" + self.keyword + " " + str(self.pipe) + "}}" + str(self.list)
        if self.else_list is not None:
            s += "{{else}}" + str(self.else_list)
        return s + "{{end}}"


class _IfNode(_BranchNode):
    keyword = "if"


class _RangeNode(_BranchNode):
    keyword = "range"


class _WithNode(_BranchNode):
    keyword = "with"


class _BreakNode(_Node):
    def __init__(self, pos):
        self.pos = pos

    def __str__(self):
        return "{{break}}"


class _ContinueNode(_Node):
    def __init__(self, pos):
        self.pos = pos

    def __str__(self):
        return "{{continue}}"


class _TemplateNode(_Node):
    def __init__(self, pos, line, name, pipe):
        self.pos, self.line, self.name, self.pipe = pos, line, name, pipe

    def __str__(self):
        if self.pipe is None:
            return "{{template %s}}" % _go_quote(self.name)
        return "{{template %s %s}}" % (_go_quote(self.name), self.pipe)


# --------------------------------------------------------------------------
# Parser
# --------------------------------------------------------------------------

class _ParseError(Exception):
    pass


class _Parser:
    def __init__(self, name, text, funcs):
        self.name = name
        self.text = text
        self.funcs = funcs
        self.items = _Lexer(text).run()
        self.idx = 0
        self.max_idx = 0
        self.vars = ["$"]
        self.range_depth = 0
        self.action_line = 0
        self.trees: dict[str, _ListNode] = {}

    # token stream --------------------------------------------------------
    def next(self):
        it = self.items[min(self.idx, len(self.items) - 1)]
        self.idx += 1
        self.max_idx = max(self.max_idx, self.idx)
        return it

    def backup(self, n=1):
        self.idx -= n

    def peek(self):
        it = self.next()
        self.backup()
        return it

    def next_non_space(self):
        while True:
            it = self.next()
            if it.typ != T_SPACE:
                return it

    def peek_non_space(self):
        it = self.next_non_space()
        self.backup()
        return it

    def errorf(self, msg):
        last = self.items[min(self.max_idx, len(self.items)) - 1] if self.max_idx else self.items[0]
        raise _ParseError("template: %s:%d: %s" % (self.name, last.line, msg))

    def expect(self, typ, context):
        tok = self.next_non_space()
        if tok.typ != typ:
            self.unexpected(tok, context)
        return tok

    def unexpected(self, tok, context):
        if tok.typ == T_ERROR:
            extra = ""
            if self.action_line and self.action_line != tok.line:
                extra = " in action started at %s:%d" % (self.name, self.action_line)
                if tok.val.endswith(" action"):
                    extra = extra[len(" in action"):]
            self.errorf("%s%s" % (tok, extra))
        self.errorf("unexpected %s in %s" % (tok, context))

    # grammar -------------------------------------------------------------
    def parse(self) -> _ListNode:
        root = _ListNode(self.peek().pos)
        while self.peek().typ != T_EOF:
            if self.peek().typ == T_LDELIM:
                delim = self.next()
                if self.next_non_space().typ == T_DEFINE:
                    self.parse_definition()
                    continue
                self.idx = self.items.index(delim)
            n = self.text_or_action()
            if isinstance(n, (_EndNode, _ElseNode)):
                self.errorf("unexpected %s" % n)
            root.nodes.append(n)
        return root

    def parse_definition(self):
        tok = self.next_non_space()
        if tok.typ not in (T_STRING, T_RAWSTRING):
            self.unexpected(tok, "define clause")
        try:
            name = _go_unquote(tok.val)
        except _SyntaxErr:
            self.errorf("invalid syntax")
        self.expect(T_RDELIM, "define clause")
        lst, end = self.item_list()
        if not isinstance(end, _EndNode):
            self.errorf("unexpected %s in %s" % (end, "define clause"))
        self.trees[name] = lst

    def text_or_action(self):
        tok = self.next_non_space()
        if tok.typ == T_TEXT:
            return _TextNode(tok.pos, tok.val)
        if tok.typ == T_LDELIM:
            self.action_line = tok.line
            try:
                return self.action()
            finally:
                self.action_line = 0
        if tok.typ == T_COMMENT:
            return _CommentNode(tok.pos, tok.val)
        self.unexpected(tok, "input")

    def action(self):
        tok = self.next_non_space()
        t = tok.typ
        if t == T_BLOCK:
            return self.block_control()
        if t == T_BREAK:
            return self.break_control(tok, "break")
        if t == T_CONTINUE:
            return self.break_control(tok, "continue")
        if t == T_ELSE:
            return self.else_control()
        if t == T_END:
            return _EndNode(self.expect(T_RDELIM, "end").pos)
        if t == T_IF:
            return _IfNode(*self.parse_control(True, "if"))
        if t == T_RANGE:
            return _RangeNode(*self.parse_control(False, "range"))
        if t == T_TEMPLATE:
            return self.template_control()
        if t == T_WITH:
            return _WithNode(*self.parse_control(False, "with"))
        self.backup()
        tok = self.peek()
        return _ActionNode(tok.pos, tok.line, self.pipeline("command", T_RDELIM))

    def break_control(self, tok, kw):
        nxt = self.next_non_space()
        if nxt.typ != T_RDELIM:
            self.unexpected(nxt, "{{%s}}" % kw)
        if self.range_depth == 0:
            self.errorf("{{%s}} outside {{range}}" % kw)
        return _BreakNode(tok.pos) if kw == "break" else _ContinueNode(tok.pos)

    def else_control(self):
        peek = self.peek_non_space()
        if peek.typ == T_IF:
            return _ElseNode(peek.pos, peek.line)
        tok = self.expect(T_RDELIM, "else")
        return _ElseNode(tok.pos, tok.line)

    def template_control(self, context="template clause"):
        tok = self.next_non_space()
        if tok.typ not in (T_STRING, T_RAWSTRING):
            self.unexpected(tok, context)
        try:
            name = _go_unquote(tok.val)
        except _SyntaxErr:
            self.errorf("invalid syntax")
        pipe = None
        if self.next_non_space().typ != T_RDELIM:
            self.backup()
            pipe = self.pipeline(context, T_RDELIM)
        return _TemplateNode(tok.pos, tok.line, name, pipe)

    def block_control(self):
        tok = self.next_non_space()
        if tok.typ not in (T_STRING, T_RAWSTRING):
            self.unexpected(tok, "block clause")
        name = _go_unquote(tok.val)
        pipe = self.pipeline("block clause", T_RDELIM)
        lst, end = self.item_list()
        if not isinstance(end, _EndNode):
            self.errorf("unexpected %s in %s" % (end, "block clause"))
        self.trees[name] = lst
        return _TemplateNode(tok.pos, tok.line, name, pipe)

    def parse_control(self, allow_else_if, context):
        nvars = len(self.vars)
        try:
            pipe = self.pipeline(context, T_RDELIM)
            if context == "range":
                self.range_depth += 1
            lst, nxt = self.item_list()
            if context == "range":
                self.range_depth -= 1
            else_list = None
            if isinstance(nxt, _ElseNode):
                if allow_else_if and self.peek().typ == T_IF:
                    self.next()
                    else_list = _ListNode(nxt.pos)
                    else_list.nodes.append(_IfNode(*self.parse_control(True, "if")))
                else:
                    else_list, nxt = self.item_list()
                    if not isinstance(nxt, _EndNode):
                        self.errorf("expected end; found %s" % nxt)
            return pipe.pos, pipe.line, pipe, lst, else_list
        finally:
            del self.vars[nvars:]

    def item_list(self):
        lst = _ListNode(self.peek_non_space().pos)
        while self.peek_non_space().typ != T_EOF:
            n = self.text_or_action()
            if isinstance(n, (_EndNode, _ElseNode)):
                return lst, n
            lst.nodes.append(n)
        self.errorf("unexpected EOF")

    def pipeline(self, context, end):
        tok = self.peek_non_space()
        pipe = _PipeNode(tok.pos, tok.line)
        while True:  # decls
            v = self.peek_non_space()
            if v.typ != T_VARIABLE:
                break
            self.next_non_space()
            v_idx = self.idx - 1
            after = self.peek()
            nxt = self.peek_non_space()
            if nxt.typ in (T_ASSIGN, T_DECLARE):
                pipe.is_assign = nxt.typ == T_ASSIGN
                self.next_non_space()
                pipe.decl.append(_VariableNode(v.pos, v.val))
                self.vars.append(v.val)
                break
            if nxt.typ == T_CHAR and nxt.val == ",":
                self.next_non_space()
                pipe.decl.append(_VariableNode(v.pos, v.val))
                self.vars.append(v.val)
                if context == "range" and len(pipe.decl) < 2:
                    if self.peek_non_space().typ in (T_VARIABLE, T_RDELIM, T_RPAREN):
                        continue
                    self.errorf("range can only initialize variables")
                self.errorf("too many declarations in %s" % context)
            self.idx = v_idx
            break
        while True:
            tok = self.next_non_space()
            if tok.typ == end:
                self.check_pipeline(pipe, context)
                return pipe
            if tok.typ in (T_BOOL, T_CHARCONST, T_COMPLEX, T_DOT, T_FIELD, T_IDENT, T_NUMBER,
                           T_NIL, T_RAWSTRING, T_STRING, T_VARIABLE, T_LPAREN):
                self.backup()
                pipe.cmds.append(self.command())
            else:
                self.unexpected(tok, context)

    def check_pipeline(self, pipe, context):
        if not pipe.cmds:
            self.errorf("missing value for %s" % context)
        for i, c in enumerate(pipe.cmds[1:]):
            if isinstance(c.args[0], (_BoolNode, _DotNode, _NilNode, _NumberNode, _StringNode)):
                self.errorf("non executable command in pipeline stage %d" % (i + 2))

    def command(self):
        cmd = _CommandNode(self.peek_non_space().pos)
        while True:
            self.peek_non_space()
            op = self.operand()
            if op is not None:
                cmd.args.append(op)
            tok = self.next()
            if tok.typ == T_SPACE:
                continue
            if tok.typ in (T_RDELIM, T_RPAREN):
                self.backup()
            elif tok.typ == T_PIPE:
                pass
            else:
                self.unexpected(tok, "operand")
            break
        if not cmd.args:
            self.errorf("empty command")
        return cmd

    def operand(self):
        node = self.term()
        if node is None:
            return None
        if self.peek().typ == T_FIELD:
            chain = _ChainNode(self.peek().pos, node)
            while self.peek().typ == T_FIELD:
                chain.add(self.next().val)
            if isinstance(node, _FieldNode):
                node = _FieldNode(chain.pos, str(chain))
            elif isinstance(node, _VariableNode):
                node = _VariableNode(chain.pos, str(chain))
            elif isinstance(node, (_BoolNode, _StringNode, _NumberNode, _NilNode, _DotNode)):
                self.errorf("unexpected . after term %s" % _go_quote(str(node)))
            else:
                node = chain
        return node

    def term(self):
        tok = self.next_non_space()
        t = tok.typ
        if t == T_IDENT:
            if tok.val not in self.funcs:
                self.errorf("function %s not defined" % _go_quote(tok.val))
            return _IdentifierNode(tok.pos, tok.val)
        if t == T_DOT:
            return _DotNode(tok.pos)
        if t == T_NIL:
            return _NilNode(tok.pos)
        if t == T_VARIABLE:
            v = _VariableNode(tok.pos, tok.val)
            if v.ident[0] not in self.vars:
                self.errorf("undefined variable %s" % _go_quote(v.ident[0]))
            return v
        if t == T_FIELD:
            return _FieldNode(tok.pos, tok.val)
        if t == T_BOOL:
            return _BoolNode(tok.pos, tok.val == "true")
        if t in (T_CHARCONST, T_COMPLEX, T_NUMBER):
            return self.new_number(tok)
        if t == T_LPAREN:
            return self.pipeline("parenthesized pipeline", T_RPAREN)
        if t in (T_STRING, T_RAWSTRING):
            try:
                s = _go_unquote(tok.val)
            except _SyntaxErr:
                self.errorf("invalid syntax")
            return _StringNode(tok.pos, tok.val, s)
        self.backup()
        return None

    def new_number(self, tok):
        text = tok.val
        n = _NumberNode(tok.pos, text)
        if tok.typ == T_CHARCONST:
            try:
                v, i = _unquote_char(text, 1, "'")
            except (_SyntaxErr, IndexError):
                self.errorf("invalid syntax")
            if text[i:] != "'":
                self.errorf("malformed character constant: %s" % text)
            n.int = v
            n.float = float(v)
            n.is_int = n.is_uint = n.is_float = True
            return n
        if tok.typ == T_COMPLEX:
            try:
                n.complex = complex(text.replace("_", "").replace("i", "j"))
            except ValueError:
                self.errorf("illegal number syntax: %s" % _go_quote(text))
            n.is_complex = True
            self._simplify_complex(n)
            return n
        if text.endswith("i"):
            f = _parse_float(text[:-1])
            if f is not None:
                n.is_complex = True
                n.complex = complex(0, f)
                self._simplify_complex(n)
                return n
        iv = _parse_int(text)
        if iv is not None:
            if 0 <= iv < 1 << 64:
                n.is_uint = True
            if -(1 << 63) <= iv < 1 << 63:
                n.is_int = True
                n.int = iv
            if n.is_int or n.is_uint:
                n.is_float = True
                n.float = float(iv)
                if not n.is_int:
                    n.int = iv
        if not (n.is_int or n.is_uint):
            f = _parse_float(text)
            if f is not None:
                if not any(c in text for c in ".eEpP"):
                    self.errorf("integer overflow: %s" % _go_quote(text))
                n.is_float = True
                n.float = f
                if not math.isinf(f) and f == int(f):
                    iv = int(f)
                    if -(1 << 63) <= iv < 1 << 63:
                        n.is_int = True
                        n.int = iv
                    if 0 <= iv < 1 << 64:
                        n.is_uint = True
        if not (n.is_int or n.is_uint or n.is_float):
            self.errorf("illegal number syntax: %s" % _go_quote(text))
        return n

    @staticmethod
    def _simplify_complex(n):
        if n.complex.imag == 0:
            n.is_float = True
            n.float = n.complex.real
            if n.float == int(n.float):
                n.is_int = True
                n.int = int(n.float)


def _valid_underscores(s):
    return "__" not in s and not s.endswith("_")


def _parse_int(text):
    """strconv.ParseInt(text, 0, ...) without range check; None if invalid."""
    s = text
    neg = False
    if s[:1] in "+-" and s:
        neg = s[0] == "-"
        s = s[1:]
    if not s:
        return None
    base = 10
    body = s
    if len(s) > 1 and s[0] == "0":
        p = s[1].lower()
        if p in "xob":
            base = {"x": 16, "o": 8, "b": 2}[p]
            body = s[2:]
            if body.startswith("_"):
                body = body[1:]
        else:
            base = 8
            body = s[1:]
            if body.startswith("_"):
                body = body[1:]
    if "_" in body and not (_valid_underscores(body) and not body.startswith("_")):
        return None
    body = body.replace("_", "")
    if not body:
        return None
    try:
        v = int(body, base)
    except ValueError:
        return None
    return -v if neg else v


def _parse_float(text):
    s = text
    if not s:
        return None
    t = s.lstrip("+-")
    if len(s) - len(t) > 1:
        return None
    if t.lower().startswith("0x"):
        try:
            return float.fromhex(s.replace("_", ""))
        except ValueError:
            return None
    if "_" in t and not _valid_underscores(t):
        return None
    try:
        if any(c.isalpha() and c not in "eE" for c in t):
            return None
        f = float(s.replace("_", ""))
        if math.isinf(f):
            return None  # ParseFloat: value out of range
        return f
    except ValueError:
        return None


# --------------------------------------------------------------------------
# Functions
# --------------------------------------------------------------------------

V = "reflect.Value"
ANY = "interface {}"


class _Func:
    """A template function: params is a list of Go type names; variadic means
    the last param repeats."""

    def __init__(self, fn, params, variadic=False, builtin=False):
        self.fn, self.params, self.variadic, self.builtin = fn, params, variadic, builtin


class _ExecError(Exception):
    pass


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


def _indirect(v):
    """reflect indirect: through interfaces and pointers; (value, is_nil)."""
    while isinstance(v, _Iface):
        if v.v is None:
            return v, True
        v = v.v
    if isinstance(v, GoNil) and v.kind in ("ptr", "iface"):
        return v, True
    return v, False


def _indirect_iface(v):
    while isinstance(v, _Iface):
        if v.v is None:
            return NOVALUE
        v = v.v
    return v


def _kind(v) -> str:
    v = _unwrap(v)
    if v is NOVALUE:
        return "invalid"
    if v is None:
        return "interface"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, str):
        return "string"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, complex):
        return "complex"
    if isinstance(v, GoNil):
        return {"ptr": "ptr", "map": "map", "slice": "slice", "iface": "interface"}[v.kind]
    if isinstance(v, Struct):
        return "ptr" if v.go_type.startswith("*") else "struct"
    if isinstance(v, dict):
        return "map"
    if isinstance(v, (list, tuple)):
        return "slice"
    return "ptr"


def _is_true(v):
    """text/template isTrue on an already interface-indirected value: (truth, ok)."""
    v = _unwrap(v)
    if v is NOVALUE or v is None:
        return False, True
    if isinstance(v, GoNil):
        return False, True
    if isinstance(v, bool):
        return v, True
    if isinstance(v, (str, dict, list, tuple)):
        return len(v) > 0, True
    if isinstance(v, (int, float, complex)):
        return v != 0, True
    return True, True


def _truth(v):
    return _is_true(_indirect_iface(v))[0]


class _BadComparison(Exception):
    pass


_ERR_BAD_CMP_TYPE = "invalid type for comparison"
_ERR_BAD_CMP = "incompatible types for comparison"
_ERR_NO_CMP = "missing argument for comparison"


def _basic_kind(v):
    k = _kind(v)
    if k in ("bool", "int", "float", "complex", "string"):
        return k
    return None


def _f_eq(arg1, *args):
    arg1 = _indirect_iface(arg1)
    if not args:
        raise GoFuncError(_ERR_NO_CMP)
    k1 = _basic_kind(arg1)
    for arg in args:
        arg = _indirect_iface(arg)
        k2 = _basic_kind(arg)
        truth = False
        if k1 != k2:
            if arg1 is not NOVALUE and arg is not NOVALUE:
                raise GoFuncError(_ERR_BAD_CMP)
        elif k1 is not None:
            truth = str.__str__(arg1) == str.__str__(arg) if k1 == "string" else arg1 == arg
        else:
            a, b = _unwrap(arg1), _unwrap(arg)
            na = a is None or a is NOVALUE or isinstance(a, GoNil)
            nb = b is None or b is NOVALUE or isinstance(b, GoNil)
            if na or nb:
                truth = na == nb
            elif isinstance(a, Struct) and isinstance(b, Struct):
                truth = a is b or (not a.go_type.startswith("*") and a == b)
            elif isinstance(a, (dict, list, tuple)) or isinstance(b, (dict, list, tuple)):
                t = a if isinstance(a, (dict, list, tuple)) else b
                raise GoFuncError("non-comparable type %s: %s" % (go_sprint(t), _dyn_type(t)))
            else:
                truth = a is b
        if truth:
            return True
    return False


def _f_ne(a, b):
    return not _f_eq(a, b)


def _f_lt(a, b):
    a = _indirect_iface(a)
    k1 = _basic_kind(a)
    if k1 is None:
        raise GoFuncError(_ERR_BAD_CMP_TYPE)
    b = _indirect_iface(b)
    k2 = _basic_kind(b)
    if k2 is None:
        raise GoFuncError(_ERR_BAD_CMP_TYPE)
    if k1 != k2:
        raise GoFuncError(_ERR_BAD_CMP)
    if k1 in ("bool", "complex"):
        raise GoFuncError(_ERR_BAD_CMP_TYPE)
    if k1 == "string":
        return str.__str__(a) < str.__str__(b)
    return a < b


def _f_le(a, b):
    return _f_lt(a, b) or _f_eq(a, b)


def _f_gt(a, b):
    return not _f_le(a, b)


def _f_ge(a, b):
    return not _f_lt(a, b)


def _f_not(a):
    return not _truth(a)


def _f_len(item):
    if item is NOVALUE:
        raise GoFuncError("reflect: call of reflect.Value.Type on zero Value")
    item, is_nil = _indirect(item)
    if is_nil:
        raise GoFuncError("len of nil pointer")
    x = _unwrap(item)
    if isinstance(x, GoNil):
        return 0
    if isinstance(x, str):
        return len(str.__str__(x).encode("utf-8", "surrogatepass"))
    if isinstance(x, (dict, list, tuple)) and not (isinstance(x, Struct)):
        return len(x)
    raise GoFuncError("len of type %s" % _deref_type(x))


def _deref_type(x):
    t = _dyn_type(x)
    return t[1:] if t.startswith("*") and not isinstance(x, GoNil) else t


def _index_arg(index, cap):
    k = _kind(index)
    if k == "int" and not isinstance(_unwrap(index), bool):
        x = _unwrap(index)
    elif k == "invalid":
        raise GoFuncError("cannot index slice/array with nil")
    else:
        raise GoFuncError("cannot index slice/array with type %s" % _dyn_type(index))
    if x < 0 or x > cap:
        raise GoFuncError("index out of range: %d" % x)
    return x


def _f_index(item, *indexes):
    item = _indirect_iface(item)
    if item is NOVALUE:
        raise GoFuncError("index of untyped nil")
    for index in indexes:
        index = _indirect_iface(index)
        item, is_nil = _indirect(item)
        if is_nil:
            raise GoFuncError("index of nil pointer")
        x = _unwrap(item)
        if isinstance(x, GoNil) and x.kind == "slice":
            x = GoSlice([], go_type=x.go_type)
        if isinstance(x, GoNil) and x.kind == "map":
            x = GoMap({}, go_type=x.go_type)
        if isinstance(x, str) or (isinstance(x, (list, tuple))):
            if isinstance(x, str):
                b = str.__str__(x).encode("utf-8", "surrogatepass")
                i = _index_arg(index, len(b))
                if i == len(b):
                    raise GoFuncError("reflect: string index out of range")
                item = b[i]
            else:
                i = _index_arg(index, len(x))
                if i == len(x):
                    raise GoFuncError("reflect: slice index out of range")
                item = _seq_get(x, i)
        elif isinstance(x, dict) and not isinstance(x, Struct):
            kv = _unwrap(index)
            if index is NOVALUE:
                raise GoFuncError("value is nil; should be of type string")
            if not isinstance(kv, str) or isinstance(kv, JSONNumber):
                raise GoFuncError("value has type %s; should be string" % _dyn_type(kv))
            got = _map_get(x, kv)
            item = got if got is not NOVALUE else _map_zero(x)
        else:
            raise GoFuncError("can't index item of type %s" % _deref_type(x))
    return item


def _f_slice(item, *indexes):
    item = _indirect_iface(item)
    if item is NOVALUE:
        raise GoFuncError("slice of untyped nil")
    if len(indexes) > 3:
        raise GoFuncError("too many slice indexes: %d" % len(indexes))
    x = _unwrap(item)
    if isinstance(x, str):
        if len(indexes) == 3:
            raise GoFuncError("cannot 3-index slice a string")
        cap = len(x.encode())
    elif isinstance(x, (list, tuple)):
        cap = len(x)
    else:
        raise GoFuncError("can't slice item of type %s" % _dyn_type(x))
    idx = [0, len(x.encode()) if isinstance(x, str) else len(x)]
    for i, index in enumerate(indexes):
        idx[i:i + 1] = [_index_arg(_indirect_iface(index), cap)] if i < 2 else [_index_arg(_indirect_iface(index), cap)]
    if idx[0] > idx[1]:
        raise GoFuncError("invalid slice index: %d > %d" % (idx[0], idx[1]))
    if isinstance(x, str):
        return x.encode()[idx[0]:idx[1]].decode("utf-8", "replace")
    return type(x)(x[idx[0]:idx[1]]) if not isinstance(x, GoSlice) else GoSlice(x[idx[0]:idx[1]], go_type=x.go_type)


def _sprint_arg(a):
    return a


def _f_print(*args):
    out = []
    prev_string = False
    for i, a in enumerate(args):
        a = _unwrap(a)
        is_string = isinstance(a, str)
        if i > 0 and not is_string and not prev_string:
            out.append(" ")
        out.append(go_sprint(None if a is NOVALUE else a))
        prev_string = is_string
    return "".join(out)


def _f_println(*args):
    return " ".join(go_sprint(None if _unwrap(a) is NOVALUE else a) for a in args) + "\n"


def _f_printf(fmt, *args):
    return _sprintf(fmt, [None if _unwrap(a) is NOVALUE else _unwrap(a) for a in args])


def _f_json(v):
    return go_json(None if v is NOVALUE else v)


def _f_split(s, sep):
    if sep == "":
        return GoSlice(list(s), go_type="[]string")
    return GoSlice(s.split(sep), go_type="[]string")


def _f_join(elems, sep):
    if isinstance(elems, GoNil):
        return ""
    return sep.join(_unwrap(e) for e in elems)


def _title_sep(r):
    if ord(r) <= 0x7F:
        return not (r.isalnum() or r == "_")
    if r.isalpha() or unicodedata.category(r) == "Nd":
        return False
    return r.isspace()


def _f_title(s):
    """strings.Title."""
    out = []
    prev = " "
    for ch in s:
        out.append(ch.title()[:1] if _title_sep(prev) else ch)
        prev = ch
    return "".join(out)


def _go_lower(s):
    return s.lower()


def _f_pad(s, prefix, suffix):
    if s == "":
        return s
    return " " * prefix + s + " " * suffix


def _f_truncate(s, length):
    b = s.encode("utf-8", "surrogatepass")
    if len(b) < length:
        return s
    if length < 0:
        raise GoFuncError("runtime error: slice bounds out of range [:%d]" % length)
    return b[:length].decode("utf-8", "replace")


def _f_html(*args):
    s = _eval_args_string(args)
    return (s.replace("&", "&amp;").replace("'", "&#39;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&#34;").replace("\x00", "\ufffd"))


def _f_urlquery(*args):
    import urllib.parse
    return urllib.parse.quote_plus(_eval_args_string(args), safe="-_.~")


def _f_js(*args):
    s = _eval_args_string(args)
    out = []
    for ch in s:
        if ch in "\\'\"<>&=":
            out.append({"\\": "\\\\", "'": "\\'", '"': "\\\"", "<": "\\u003C", ">": "\\u003E",
                        "&": "\\u0026", "=": "\\u003D"}[ch])
        elif ord(ch) < 0x20:
            out.append("\\u%04X" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


def _eval_args_string(args):
    if len(args) == 1 and isinstance(_unwrap(args[0]), str):
        return _unwrap(args[0])
    return _f_print(*args)


def _f_call(fn, *args):
    f = _unwrap(fn)
    if f is NOVALUE or f is None:
        raise GoFuncError("call of nil")
    if not callable(f):
        raise GoFuncError("non-function of type %s" % _dyn_type(f))
    return f(*[_unwrap(a) for a in args])


def _f_and(*a):  # evaluated specially
    return a[-1]


_BUILTINS = {
    "and": _Func(_f_and, [V, V], True, True),
    "or": _Func(_f_and, [V, V], True, True),
    "not": _Func(_f_not, [V], builtin=True),
    "len": _Func(_f_len, [V], builtin=True),
    "index": _Func(_f_index, [V, V], True, True),
    "slice": _Func(_f_slice, [V, V], True, True),
    "eq": _Func(_f_eq, [V, V], True, True),
    "ne": _Func(_f_ne, [V, V], builtin=True),
    "lt": _Func(_f_lt, [V, V], builtin=True),
    "le": _Func(_f_le, [V, V], builtin=True),
    "gt": _Func(_f_gt, [V, V], builtin=True),
    "ge": _Func(_f_ge, [V, V], builtin=True),
    "print": _Func(_f_print, [ANY], True, True),
    "printf": _Func(_f_printf, ["string", ANY], True, True),
    "println": _Func(_f_println, [ANY], True, True),
    "html": _Func(_f_html, [ANY], True, True),
    "js": _Func(_f_js, [ANY], True, True),
    "urlquery": _Func(_f_urlquery, [ANY], True, True),
    "call": _Func(_f_call, [V, V], True, True),
}

# docker/cli templates.basicFunctions
_DOCKER_FUNCS = {
    "json": _Func(_f_json, [ANY]),
    "split": _Func(_f_split, ["string", "string"]),
    "join": _Func(_f_join, ["[]string", "string"]),
    "title": _Func(_f_title, ["string"]),
    "lower": _Func(_go_lower, ["string"]),
    "upper": _Func(lambda s: s.upper(), ["string"]),
    "pad": _Func(_f_pad, ["string", "int", "int"]),
    "truncate": _Func(_f_truncate, ["string", "int"]),
}


def basic_funcs():
    """docker's basicFunctions (as _Func specs); pass overrides via ``funcs=``."""
    return dict(_DOCKER_FUNCS)


def header_funcs():
    """docker's HeaderFunctions: used to render table headers (identity funcs)."""
    ident = lambda v, *_: v  # noqa: E731
    return {
        "json": _Func(ident, ["string"]),
        "split": _Func(ident, ["string", "string"]),
        "join": _Func(ident, ["string", "string"]),
        "title": _Func(ident, ["string"]),
        "lower": _Func(ident, ["string"]),
        "upper": _Func(ident, ["string"]),
        "truncate": _Func(ident, ["string", "int"]),
    }


_ANNOT = {str: "string", "str": "string", int: "int", "int": "int", float: "float64",
          "float": "float64", bool: "bool", "bool": "bool"}


def _wrap_user_func(fn) -> _Func:
    """A Python callable as a Go func; parameters annotated str/int/float/bool
    get those Go types (so literal arguments are checked like Go does)."""
    if isinstance(fn, _Func):
        return fn
    try:
        sig = _inspect.signature(fn)
    except (TypeError, ValueError):
        return _Func(fn, [ANY], True)
    params = [_ANNOT.get(p.annotation, ANY) for p in sig.parameters.values()
              if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    variadic = any(p.kind == p.VAR_POSITIONAL for p in sig.parameters.values())
    if variadic:
        params.append(ANY)
    return _Func(lambda *a: fn(*[_unwrap(x) for x in a]), params, variadic)


# --------------------------------------------------------------------------
# printf (subset of Go's fmt)
# --------------------------------------------------------------------------

def _type_for_bad(a):
    if a is None:
        return "<nil>"
    return _dyn_type(a)


def _pad(s, width, minus, zero=False, num=False):
    if width is None or len(s) >= width:
        return s
    if minus:
        return s + " " * (width - len(s))
    if zero and not num:
        return "0" * (width - len(s)) + s
    if zero:
        sign = s[0] if s[:1] in "+-" else ""
        return sign + "0" * (width - len(s)) + s[len(sign):]
    return " " * (width - len(s)) + s


def _fmt_one(verb, a, flags, width, prec):
    minus = "-" in flags
    plus = "+" in flags
    zero = "0" in flags and not minus
    sharp = "#" in flags
    space = " " in flags

    def bad():
        if a is None:
            return "%!" + verb + "(<nil>)"
        return "%!" + verb + "(" + _type_for_bad(a) + "=" + _fmt_one("v", a, flags, width, prec) + ")"

    if verb == "T":
        return _pad(_type_for_bad(a), width, minus, zero)
    if verb == "v":
        if isinstance(a, (int, float)) and not isinstance(a, bool):
            return _fmt_one("d" if isinstance(a, int) else "g", a, flags, width, prec)
        if isinstance(a, str) and prec is not None:
            return _pad(a[:prec], width, minus, zero)
        if sharp and isinstance(a, str):
            return _pad(_go_quote(a), width, minus, zero)
        return _pad(go_sprint(a), width, minus, zero)
    if isinstance(a, Struct) and verb in "sdqxXfegt":
        inner = [_fmt_one(verb, _unwrap(x), flags, None, prec) if not isinstance(x, (Struct, dict)) or True
                 else "" for x in a.values()]
        amp = "&" if a.go_type.startswith("*") else ""
        return _pad(amp + "{" + " ".join(inner) + "}", width, minus, zero)
    if isinstance(a, (list, tuple)) and not isinstance(a, str) and verb in "sdqxXfegt":
        inner = [_fmt_one(verb, _unwrap(x), flags, None, prec) for x in a]
        return _pad("[" + " ".join(inner) + "]", width, minus, zero)
    if verb == "s":
        if isinstance(a, str):
            s = str.__str__(a)
            return _pad(s[:prec] if prec is not None else s, width, minus, zero)
        if isinstance(a, (bool, int, float)) or a is None:
            return bad()
        return _pad(go_sprint(a), width, minus, zero)
    if verb == "q":
        if isinstance(a, str):
            return _pad(("`" + a + "`") if sharp and "`" not in a else _go_quote(a), width, minus, zero)
        if isinstance(a, int) and not isinstance(a, bool):
            return _pad("'" + _go_quote(chr(a))[1:-1].replace("\\\"", "\"").replace("'", "\\'") + "'", width, minus, zero)
        return bad()
    if verb == "t":
        if isinstance(a, bool):
            return _pad("true" if a else "false", width, minus, zero)
        return bad()
    if verb in "dboxXc":
        if isinstance(a, int) and not isinstance(a, bool):
            if verb == "c":
                return _pad(chr(a), width, minus, zero)
            base = {"d": 10, "b": 2, "o": 8, "x": 16, "X": 16}[verb]
            n = abs(a)
            digits = {10: str(n), 2: format(n, "b"), 8: format(n, "o"), 16: format(n, "x")}[base]
            if verb == "X":
                digits = digits.upper()
            if prec is not None:
                digits = digits.rjust(prec, "0")
                zero = False
            if sharp:
                digits = {2: "0b", 8: "0", 16: "0x" if verb == "x" else "0X"}.get(base, "") + digits
            sign = "-" if a < 0 else ("+" if plus else (" " if space else ""))
            return _pad(sign + digits, width, minus, zero, True)
        if verb in "xX" and isinstance(a, str):
            h = a.encode().hex()
            return _pad(h.upper() if verb == "X" else h, width, minus, zero)
        return bad()
    if verb in "feEgG":
        if isinstance(a, float) or (isinstance(a, int) and False):
            f = a
            if math.isnan(f) or math.isinf(f):
                s = "NaN" if math.isnan(f) else ("+Inf" if f > 0 else "-Inf")
                if s == "+Inf" and not plus:
                    s = "Inf"
                return _pad(s, width, minus, zero)
            if verb in "fF":
                s = "%.*f" % (6 if prec is None else prec, f)
            elif verb in "eE":
                s = "%.*e" % (6 if prec is None else prec, f)
                if verb == "E":
                    s = s.upper()
            else:
                if prec is None:
                    s = _go_float_v(f)
                    if verb == "G":
                        s = s.upper()
                else:
                    s = ("%." + str(prec) + verb) % f
            if plus and not s.startswith("-"):
                s = "+" + s
            elif space and not s.startswith("-"):
                s = " " + s
            return _pad(s, width, minus, zero, True)
        return bad()
    return "%!" + verb + "(" + _type_for_bad(a) + "=" + go_sprint(a) + ")"


def _sprintf(fmt: str, args: list) -> str:
    out = []
    i = 0
    argn = 0
    n = len(fmt)
    while i < n:
        c = fmt[i]
        if c != "%":
            out.append(c)
            i += 1
            continue
        i += 1
        flags = ""
        while i < n and fmt[i] in "+-# 0":
            flags += fmt[i]
            i += 1
        width = None
        if i < n and fmt[i] == "*":
            i += 1
            if argn < len(args) and isinstance(args[argn], int):
                width = args[argn]
                if width < 0:
                    flags += "-"
                    width = -width
            else:
                out.append("%!(BADWIDTH)")
            argn += 1
        else:
            st = i
            while i < n and fmt[i].isdigit():
                i += 1
            if i > st:
                width = int(fmt[st:i])
        prec = None
        if i < n and fmt[i] == ".":
            i += 1
            if i < n and fmt[i] == "*":
                i += 1
                if argn < len(args) and isinstance(args[argn], int):
                    prec = args[argn]
                else:
                    out.append("%!(BADPREC)")
                argn += 1
            else:
                st = i
                while i < n and fmt[i].isdigit():
                    i += 1
                prec = int(fmt[st:i]) if i > st else 0
        if i >= n:
            out.append("%!(NOVERB)")
            break
        verb = fmt[i]
        i += 1
        if verb == "%":
            out.append("%")
            continue
        if argn >= len(args):
            out.append("%!" + verb + "(MISSING)")
            continue
        a = args[argn]
        argn += 1
        out.append(_fmt_one(verb, a, flags, width, prec))
    if argn < len(args):
        extra = []
        for a in args[argn:]:
            extra.append("<nil>" if a is None else _type_for_bad(a) + "=" + go_sprint(a))
        out.append("%!(EXTRA " + ", ".join(extra) + ")")
    return "".join(out)


# --------------------------------------------------------------------------
# Executor
# --------------------------------------------------------------------------

_TYPE_KIND = {"string": "string", "int": "int", "bool": "bool", "float64": "float"}


class _State:
    def __init__(self, tmpl: "Template", missingkey: str, funcs):
        self.tmpl = tmpl
        self.missingkey = missingkey
        self.funcs = funcs
        self.node = None
        self.out: list[str] = []
        self.vars: list[tuple[str, object]] = []
        self.depth = 0

    # errors --------------------------------------------------------------
    def at(self, node):
        self.node = node

    def errorf(self, msg):
        name = self.tmpl.name
        if self.node is None:
            m = "template: %s: %s" % (name, msg)
        else:
            loc, ctx = self.error_context(self.node)
            m = "template: %s: executing %s at <%s>: %s" % (loc, _go_quote(name), ctx, msg)
        raise _ExecError(m)

    def error_context(self, node):
        pos = node.pos
        text = self.tmpl.text[:pos]
        nl = text.rfind("\n")
        byte_num = pos if nl == -1 else pos - (nl + 1)
        line = 1 + text.count("\n")
        ctx = str(node)  # (Go >= 1.21 truncates this; docker 20.10's Go did not)
        return "%s:%d:%d" % (self.tmpl.name, line, byte_num), ctx

    # variables -----------------------------------------------------------
    def push(self, name, value):
        self.vars.append((name, value))

    def mark(self):
        return len(self.vars)

    def pop(self, mark):
        del self.vars[mark:]

    def set_var(self, name, value):
        for i in range(len(self.vars) - 1, -1, -1):
            if self.vars[i][0] == name:
                self.vars[i] = (name, value)
                return
        self.errorf("undefined variable: %s" % name)

    def set_top_var(self, n, value):
        name = self.vars[len(self.vars) - n][0]
        self.vars[len(self.vars) - n] = (name, value)

    def var_value(self, name):
        for i in range(len(self.vars) - 1, -1, -1):
            if self.vars[i][0] == name:
                return self.vars[i][1]
        self.errorf("undefined variable: %s" % name)

    # walking -------------------------------------------------------------
    def walk(self, dot, node):
        self.at(node)
        if isinstance(node, _ActionNode):
            val = self.eval_pipeline(dot, node.pipe)
            if not node.pipe.decl:
                self.print_value(node, val)
        elif isinstance(node, _BreakNode):
            raise _Break()
        elif isinstance(node, _ContinueNode):
            raise _Continue()
        elif isinstance(node, _CommentNode):
            pass
        elif isinstance(node, _IfNode):
            self.walk_if_or_with(False, dot, node)
        elif isinstance(node, _WithNode):
            self.walk_if_or_with(True, dot, node)
        elif isinstance(node, _ListNode):
            for n in node.nodes:
                self.walk(dot, n)
        elif isinstance(node, _RangeNode):
            self.walk_range(dot, node)
        elif isinstance(node, _TemplateNode):
            self.walk_template(dot, node)
        elif isinstance(node, _TextNode):
            self.out.append(node.text)
        else:
            self.errorf("unknown node: %s" % node)

    def walk_if_or_with(self, is_with, dot, node):
        mark = self.mark()
        try:
            val = self.eval_pipeline(dot, node.pipe)
            truth, ok = _is_true(_indirect_iface(val))
            if not ok:
                self.errorf("if/with can't use %s" % go_sprint(val))
            if truth:
                self.walk(val if is_with else dot, node.list)
            elif node.else_list is not None:
                self.walk(dot, node.else_list)
        finally:
            self.pop(mark)

    def walk_range(self, dot, r):
        self.at(r)
        mark0 = self.mark()
        try:
            val, _ = _indirect(self.eval_pipeline(dot, r.pipe))
            mark = self.mark()

            def one(index, elem):
                if r.pipe.decl:
                    self.set_top_var(1, elem)
                if len(r.pipe.decl) > 1:
                    self.set_top_var(2, index)
                try:
                    self.walk(elem, r.list)
                except _Continue:
                    pass
                finally:
                    self.pop(mark)

            x = _unwrap(val)
            iterated = False
            try:
                if isinstance(x, (list, tuple)) and not isinstance(x, str):
                    for i in range(len(x)):
                        iterated = True
                        one(i, _seq_get(x, i))
                elif isinstance(x, dict) and not isinstance(x, Struct):
                    for k in _sorted_keys(x):
                        iterated = True
                        one(k, _map_get(x, k))
                elif x is NOVALUE or isinstance(x, GoNil) or (x is None and not isinstance(val, _Iface)):
                    pass
                else:
                    self.errorf("range can't iterate over %s" % go_sprint(val, deref=True))
            except _Break:
                pass
            if iterated:
                return
            if r.else_list is not None:
                self.walk(dot, r.else_list)
        finally:
            self.pop(mark0)

    def walk_template(self, dot, t):
        self.at(t)
        tree = self.tmpl.trees.get(t.name)
        if tree is None:
            self.errorf("template %s not defined" % _go_quote(t.name))
        dot = self.eval_pipeline(dot, t.pipe) if t.pipe is not None else NOVALUE
        self.depth += 1
        if self.depth > 100000:
            self.errorf("exceeded maximum template depth (100000)")
        saved = self.vars
        self.vars = [("$", dot)]
        try:
            self.walk(dot, tree)
        finally:
            self.vars = saved
            self.depth -= 1

    # evaluation ----------------------------------------------------------
    def eval_pipeline(self, dot, pipe):
        if pipe is None:
            return NOVALUE
        self.at(pipe)
        value = _MISSING
        for cmd in pipe.cmds:
            value = self.eval_command(dot, cmd, value)
            if isinstance(value, _Iface):  # reflect.ValueOf(value.Interface())
                value = _indirect_iface(value)
        for var in pipe.decl:
            if pipe.is_assign:
                self.set_var(var.ident[0], value)
            else:
                self.push(var.ident[0], value)
        return value

    def not_a_function(self, args, final):
        if (args is not None and len(args) > 1) or final is not _MISSING:
            self.errorf("can't give argument to non-function %s" % args[0])

    def eval_command(self, dot, cmd, final):
        first = cmd.args[0]
        if isinstance(first, _FieldNode):
            return self.eval_field_node(dot, first, cmd.args, final)
        if isinstance(first, _ChainNode):
            return self.eval_chain_node(dot, first, cmd.args, final)
        if isinstance(first, _IdentifierNode):
            return self.eval_function(dot, first, cmd, cmd.args, final)
        if isinstance(first, _PipeNode):
            self.not_a_function(cmd.args, final)
            return self.eval_pipeline(dot, first)
        if isinstance(first, _VariableNode):
            return self.eval_variable_node(dot, first, cmd.args, final)
        self.at(first)
        self.not_a_function(cmd.args, final)
        if isinstance(first, _BoolNode):
            return first.val
        if isinstance(first, _DotNode):
            return dot
        if isinstance(first, _NilNode):
            self.errorf("nil is not a command")
        if isinstance(first, _NumberNode):
            return self.ideal_constant(first)
        if isinstance(first, _StringNode):
            return first.text
        self.errorf("can't evaluate command %s" % _go_quote(str(first)))

    def ideal_constant(self, c):
        self.at(c)
        t = c.text
        is_hex = len(t) > 2 and t[0] == "0" and t[1] in "xX"
        if c.is_complex:
            return c.complex
        if c.is_float and not is_hex and not t.startswith("'") and any(ch in t for ch in ".eEpP"):
            return c.float
        if c.is_int:
            return c.int
        if c.is_uint:
            self.errorf("%s overflows int" % t)
        return NOVALUE

    def eval_field_node(self, dot, field, args, final):
        self.at(field)
        return self.eval_field_chain(dot, dot, field, field.ident, args, final)

    def eval_chain_node(self, dot, chain, args, final):
        self.at(chain)
        if isinstance(chain.node, _NilNode):
            self.errorf("indirection through explicit nil in %s" % chain)
        pipe = self.eval_arg(dot, None, chain.node)
        return self.eval_field_chain(dot, pipe, chain, chain.field, args, final)

    def eval_variable_node(self, dot, var, args, final):
        self.at(var)
        value = self.var_value(var.ident[0])
        if len(var.ident) == 1:
            self.not_a_function(args, final)
            return value
        return self.eval_field_chain(dot, value, var, var.ident[1:], args, final)

    def eval_field_chain(self, dot, receiver, node, ident, args, final):
        for name in ident[:-1]:
            receiver = self.eval_field(dot, name, node, None, _MISSING, receiver)
        return self.eval_field(dot, ident[-1], node, args, final, receiver)

    def eval_function(self, dot, node, cmd, args, final):
        self.at(node)
        name = node.ident
        fn = self.funcs.get(name)
        if fn is None:
            self.errorf("%s is not a defined function" % _go_quote(name))
        return self.eval_call(dot, fn, cmd, name, args, final)

    def eval_field(self, dot, name, node, args, final, receiver):
        if receiver is NOVALUE:
            if self.missingkey == "error":
                self.errorf("nil data; no entry for key %s" % _go_quote(name))
            return NOVALUE
        typ = _static_type(receiver)
        rcv, is_nil = _indirect(receiver)
        x = _unwrap(rcv) if not is_nil else None
        if is_nil:
            self.errorf("nil pointer evaluating %s.%s" % (typ, name))
        if x is None and not is_nil:
            self.errorf("nil pointer evaluating %s.%s" % (typ, name))
        has_args = (args is not None and len(args) > 1) or final is not _MISSING
        # methods of python objects
        if _is_obj(x) and not name.startswith("_"):
            attr = getattr(x, name, _MISSING)
            if attr is not _MISSING and callable(attr):
                return self.eval_call(dot, _wrap_user_func(attr), node, name, args, final)
            if attr is not _MISSING:
                if has_args:
                    self.errorf("%s has arguments but cannot be invoked as function" % name)
                return attr
        if isinstance(x, dict) and name in getattr(type(x), "go_methods", ()):
            return self.eval_call(dot, _wrap_user_func(getattr(x, name)), node, name, args, final)
        if isinstance(x, Struct):
            key = x.field_key(name)
            if key is not None:
                if has_args:
                    self.errorf("%s has arguments but cannot be invoked as function" % name)
                return x[key]
        elif isinstance(x, dict) or (isinstance(x, GoNil) and x.kind == "map"):
            if has_args:
                self.errorf("%s is not a method but has arguments" % name)
            if isinstance(x, GoNil):
                result = NOVALUE
            else:
                result = _map_get(x, name)
            if result is NOVALUE:
                if self.missingkey == "zero":
                    result = _map_zero(x) if isinstance(x, dict) else _Iface(None)
                elif self.missingkey == "error":
                    self.errorf("map has no entry for key %s" % _go_quote(name))
            return result
        elif isinstance(x, GoNil) and x.kind == "ptr":
            self.errorf("nil pointer evaluating %s.%s" % (typ, name))
        self.errorf("can't evaluate field %s in type %s" % (name, typ))

    def eval_call(self, dot, fn: _Func, node, name, args, final):
        if args is not None:
            args = args[1:]
        else:
            args = []
        num_in = len(args) + (0 if final is _MISSING else 1)
        nparams = len(fn.params)
        num_fixed = len(args)
        if fn.variadic:
            num_fixed = nparams - 1
            if num_in < num_fixed:
                self.errorf("wrong number of args for %s: want at least %d got %d"
                            % (name, nparams - 1, len(args)))
        elif num_in != nparams:
            self.errorf("wrong number of args for %s: want %d got %d" % (name, nparams, num_in))

        if fn.builtin and name in ("and", "or"):
            v = NOVALUE
            for a in args:
                v = self.eval_arg(dot, V, a)
                if _truth(v) == (name == "or"):
                    return v
            if final is not _MISSING:
                v = self.validate_type(final, V)
            return v

        argv = []
        i = 0
        while i < num_fixed and i < len(args):
            argv.append(self.eval_arg(dot, fn.params[i], args[i]))
            i += 1
        if fn.variadic:
            while i < len(args):
                argv.append(self.eval_arg(dot, fn.params[-1], args[i]))
                i += 1
        if final is not _MISSING:
            t = fn.params[-1]
            if fn.variadic and num_in - 1 < num_fixed:
                t = fn.params[num_in - 1]
            argv.append(self.validate_type(final, t))
        try:
            return fn.fn(*argv)
        except GoFuncError as e:
            self.at(node)
            self.errorf("error calling %s: %s" % (name, e))
        except (_ExecError, _Break, _Continue):
            raise
        except TemplateError as e:
            self.at(node)
            self.errorf("error calling %s: %s" % (name, e))

    def eval_arg(self, dot, typ, n):
        self.at(n)
        if isinstance(n, _DotNode):
            return self.validate_type(dot, typ)
        if isinstance(n, _NilNode):
            if typ is None or typ in (V,) or typ == ANY or typ.startswith(("*", "[]", "map[")):
                if typ == V:
                    return NOVALUE
                return None if typ in (None, ANY) else GoNil(
                    "ptr" if typ.startswith("*") else ("slice" if typ.startswith("[]") else "map"), typ)
            self.errorf("cannot assign nil to %s" % typ)
        if isinstance(n, _FieldNode):
            return self.validate_type(self.eval_field_node(dot, n, [n], _MISSING), typ)
        if isinstance(n, _VariableNode):
            return self.validate_type(self.eval_variable_node(dot, n, None, _MISSING), typ)
        if isinstance(n, _PipeNode):
            return self.validate_type(self.eval_pipeline(dot, n), typ)
        if isinstance(n, _IdentifierNode):
            return self.validate_type(self.eval_function(dot, n, n, None, _MISSING), typ)
        if isinstance(n, _ChainNode):
            return self.validate_type(self.eval_chain_node(dot, n, None, _MISSING), typ)
        if typ == "bool":
            if isinstance(n, _BoolNode):
                return n.val
            self.errorf("expected bool; found %s" % n)
        if typ in ("float64", "float32"):
            if isinstance(n, _NumberNode) and n.is_float:
                return n.float
            self.errorf("expected float; found %s" % n)
        if typ in ("int", "int64", "int32"):
            if isinstance(n, _NumberNode) and n.is_int:
                return n.int
            self.errorf("expected integer; found %s" % n)
        if typ is None or typ in (ANY, V):
            return self.eval_empty_interface(dot, n)
        if typ == "string":
            if isinstance(n, _StringNode):
                return n.text
            self.errorf("expected string; found %s" % n)
        self.errorf("can't handle %s for arg of type %s" % (n, typ))

    def eval_empty_interface(self, dot, n):
        self.at(n)
        if isinstance(n, _BoolNode):
            return n.val
        if isinstance(n, _DotNode):
            return dot
        if isinstance(n, _FieldNode):
            return self.eval_field_node(dot, n, None, _MISSING)
        if isinstance(n, _IdentifierNode):
            return self.eval_function(dot, n, n, None, _MISSING)
        if isinstance(n, _NilNode):
            self.errorf("evalEmptyInterface: nil (can't happen)")
        if isinstance(n, _NumberNode):
            return self.ideal_constant(n)
        if isinstance(n, _StringNode):
            return n.text
        if isinstance(n, _VariableNode):
            return self.eval_variable_node(dot, n, None, _MISSING)
        if isinstance(n, _PipeNode):
            return self.eval_pipeline(dot, n)
        self.errorf("can't handle assignment of %s to empty interface argument" % n)

    def validate_type(self, value, typ):
        if value is NOVALUE:
            if typ is None:
                return NOVALUE
            if typ == V:
                return NOVALUE
            if typ == ANY:
                return None
            if typ.startswith(("*", "[]", "map[")):
                return _zero_for_type(typ)
            self.errorf("invalid value; expected %s" % typ)
        if typ in (None, V, ANY):
            return value
        v = _indirect_iface(value) if isinstance(value, _Iface) else value
        if isinstance(value, _Iface) and value.v is None:
            v = None
        vt = _dyn_type(v) if v is not None else "interface {}"
        if isinstance(v, GoNil) and v.kind == "ptr" and v.go_type == "*" + typ:
            self.errorf("dereference of nil pointer of type %s" % typ)
        if vt == typ or (isinstance(v, Struct) and v.go_type == "*" + typ):
            return v
        if typ == "[]string" and isinstance(v, (list, tuple)) and not isinstance(v, GoSlice) \
                and all(isinstance(_unwrap(e), str) for e in v):
            return v
        if typ == "[]string" and isinstance(v, GoSlice) and v.go_type in _STRING_SLICE_TYPES:
            return v     # a named type whose underlying type is []string is assignable
        if typ == "[]string" and isinstance(v, GoNil) and v.kind == "slice" and v.go_type == typ:
            return []
        self.errorf("wrong type for value; expected %s; got %s" % (typ, _static_type(value) if v is None else vt))

    def print_value(self, node, val):
        self.at(node)
        if _callable_value(val):
            self.errorf("can't print %s of type %s" % (node, _dyn_type(val)))
        x, _ = _indirect(val) if isinstance(val, GoNil) else (val, False)
        x = _unwrap(val)
        if x is NOVALUE:
            self.out.append("<no value>")
        else:
            self.out.append(go_sprint(x, deref=True))


_STRING_SLICE_TYPES = ("strslice.StrSlice",)


def _callable_value(v):
    x = _unwrap(v)
    return callable(x) and not isinstance(x, (Struct, dict, list, GoNil)) and _is_obj(x) \
        and _inspect.isroutine(x)


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------

class Template:
    """A parsed template (Go's *template.Template)."""

    def __init__(self, text: str, name: str = "", funcs=None):
        self.text = text
        self.name = name
        self.funcs = dict(_BUILTINS)
        self.funcs.update(_DOCKER_FUNCS)
        for k, f in (funcs or {}).items():
            self.funcs[k] = _wrap_user_func(f)
        p = _Parser(name, text, self.funcs)
        try:
            self.root = p.parse()
        except _ParseError as e:
            raise TemplateError(str(e), kind="parse") from None
        self.trees = p.trees

    def execute(self, data, missingkey: str = "default") -> str:
        """Execute with ``data`` as dot. missingkey: "default"/"invalid", "zero", "error"."""
        if missingkey == "invalid":
            missingkey = "default"
        st = _State(self, missingkey, self.funcs)
        st.push("$", data)
        try:
            st.walk(data, self.root)
        except _ExecError as e:
            raise TemplateError(str(e), kind="exec", output="".join(st.out)) from None
        except RecursionError:
            raise TemplateError("template: %s: exceeded maximum template depth (100000)" % self.name,
                                kind="exec", output="".join(st.out)) from None
        return "".join(st.out)


def parse(template: str, name: str = "", funcs=None) -> Template:
    """Parse ``template`` with Go's builtins plus docker's functions.  ``funcs``
    adds/overrides functions (Python callables or values of :func:`header_funcs`)."""
    return Template(template, name, funcs)


def render(template: str, data, missingkey: str = "default", funcs=None, name: str = "") -> str:
    """Parse and execute; raises :class:`TemplateError` with Go's message."""
    return Template(template, name, funcs).execute(data, missingkey)


def preformat(fmt: str):
    """docker formatter.Context.preFormat: returns (is_table, final_format).

    A format starting with ``table`` is a table format; the prefix is dropped,
    surrounding spaces are trimmed and literal ``\\t``/``\\n`` become tab/newline.
    """
    is_table = fmt.startswith("table")
    final = fmt[len("table"):] if is_table else fmt
    final = final.strip(" ")
    final = final.replace("\\t", "\t").replace("\\n", "\n")
    return is_table, final


def inspect_format(template: str, typed, raw=_MISSING) -> str:
    """docker 20.10 ``inspect --format`` for one object (TemplateInspector).

    Executes on ``typed``; if that fails, re-executes on ``raw`` (default:
    :func:`to_raw` of ``typed``) with missingkey=error.  Returns the output plus
    the newline docker appends; raises TemplateError whose message carries
    docker's ``Template parsing error: `` prefix.
    """
    try:
        t = Template(template)
    except TemplateError as e:
        raise TemplateError("Template parsing error: %s" % e, kind="parse") from None
    try:
        return t.execute(typed) + "\n"
    except TemplateError:
        pass
    if raw is None:
        raise TemplateError("Template parsing error: %s" % _last_error(t, typed), kind="exec")
    if raw is _MISSING:
        raw = to_raw(typed)
    try:
        return t.execute(raw, missingkey="error") + "\n"
    except TemplateError as e:
        raise TemplateError("Template parsing error: %s" % e, kind="exec", output=e.output) from None


def _last_error(t, typed):
    try:
        t.execute(typed)
    except TemplateError as e:
        return str(e)
    return ""
