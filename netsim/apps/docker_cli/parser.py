"""The docker 20.10.24 CLI command-line parser (cobra + spf13/pflag semantics).

Pure module: no I/O, stdlib only.

    >>> inv = parse(["run", "-d", "--name", "a", "busybox", "sleep", "3600"])
    >>> inv.command, inv.options["name"], inv.options["detach"], inv.args
    (('run',), 'a', True, ['busybox', 'sleep', '3600'])

* :func:`parse` returns an :class:`Invocation` or raises :class:`UsageError`
  (everything the CLI rejects before it contacts the daemon because of the
  command line: unknown flags, missing flag values, bad flag values, wrong
  argument counts, unknown commands, bare management commands).
* If ``Invocation.output`` is not None (``--help``, ``-h``, ``docker help X``,
  ``docker -v``) the CLI prints exactly that on stdout (and
  ``Invocation.output_stderr`` on stderr), exits 0 and never contacts the daemon.
* :func:`help_text` returns the recorded ``--help`` text of a command.

Exit codes / streams: a :class:`UsageError` is printed as ``err.stderr``
(``message + "\\n"``, the CLI uses Fprintln) with exit status ``err.exit_code``
(125 flag errors, 1 argument-count errors / unknown commands, 0 for a bare
``docker network`` which prints its usage on stderr).

Flag-parse errors are *not* prefixed with ``docker: `` — only errors raised
while running ``docker run``/``docker create`` are (``docker: <msg>.\\nSee
'docker run --help'.``, exit 125); that is the engine's business.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from . import commands as _cmds

__all__ = [
    "Invocation",
    "UsageError",
    "parse",
    "help_text",
    "usage_string",
    "parse_mount",
    "parse_network_opt",
    "VERSION_STRING",
    "CANONICAL_COMMANDS",
]

#: What ``docker -v`` / ``docker --version`` prints (upstream 20.10.24 build).
VERSION_STRING = "Docker version 20.10.24, build 297e128"

_DEPRECATED_H = "Flag shorthand -h has been deprecated, please use --help\n"
_HELP_HELP = "\nUsage:  docker help [command]\n\nHelp about the command\n"


class UsageError(Exception):
    """A command-line error the docker CLI reports without contacting the daemon.

    ``message`` is exactly what the CLI prints on stderr minus the final newline;
    ``stderr`` is the complete stderr text; ``exit_code`` the process status.
    """

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code

    @property
    def stderr(self) -> str:
        return self.message + "\n"


@dataclass
class Invocation:
    """A parsed docker command line.

    command:        canonical command, e.g. ("run",), ("ps",), ("network", "create")
    options:        every flag of the command (defaults included), keyed by long
                    name with dashes -> underscores; see module doc for value types
    args:           positionals (for run/create/exec/top/commit everything after
                    the first positional is verbatim)
    path:           the cobra command path as invoked (aliases resolved), e.g.
                    ("container", "ls") for `docker container list`; used in
                    messages like "See 'docker container ls --help'."
    changed:        option keys explicitly given on the command line (pflag Changed)
    global_options: root flags given before the command (host, debug, log_level...)
    output:         if not None: stdout of a help/version request (exit 0, no daemon)
    output_stderr:  stderr accompanying ``output`` (``docker -h`` deprecation note)
    supported:      False for real docker commands this simulator does not model
                    (attach, build, ...); options are then empty and args raw.
    """

    command: tuple[str, ...]
    options: dict[str, Any] = field(default_factory=dict)
    args: list[str] = field(default_factory=list)
    path: tuple[str, ...] = ()
    changed: frozenset[str] = frozenset()
    global_options: dict[str, Any] = field(default_factory=dict)
    output: str | None = None
    output_stderr: str = ""
    supported: bool = True

    @property
    def command_path(self) -> str:
        """``docker container ls`` style string of :attr:`path`."""
        return " ".join(("docker",) + self.path)


#: canonical commands :func:`parse` can return (besides unsupported ones).
CANONICAL_COMMANDS: frozenset[tuple[str, ...]] = frozenset(
    c.canonical for c in _cmds.COMMANDS.values()
)

# Real docker commands not modelled here: parsed as Invocation(supported=False).
_UNSUPPORTED: dict[tuple[str, ...], tuple[str, ...]] = {
    (): ("attach", "build", "events", "export", "history", "import", "load", "login",
         "logout", "push", "save", "search", "stats", "tag", "update", "wait",
         "builder", "completion", "config", "context", "manifest", "node", "plugin",
         "secret", "service", "stack", "swarm", "trust"),
    ("container",): ("attach", "export", "stats", "update", "wait"),
    ("image",): ("build", "history", "import", "load", "prune", "push", "save", "tag"),
    ("system",): ("events", "prune"),
}


# --------------------------------------------------------------------------
# help / usage texts
# --------------------------------------------------------------------------

def _key(path: tuple[str, ...] | str | list[str]) -> str:
    if isinstance(path, str):
        parts = path.split()
    else:
        parts = list(path)
    if parts and parts[0] == "docker":
        parts = parts[1:]
    return " ".join(parts)


def _resolve_path(words: list[str]) -> tuple[str, ...] | None:
    """Resolve names/aliases (e.g. ["container", "list"]) to a cobra path."""
    cur: tuple[str, ...] = ()
    for w in words:
        nxt = _cmds.children(cur).get(w)
        if nxt is None:
            return None
        cur = nxt
    return cur


def help_text(command: tuple[str, ...] | list[str] | str) -> str:
    """Exact ``docker <command> --help`` stdout.

    ``command`` may be a cobra path, an alias path (``("container", "list")``),
    a canonical command (``("ps",)``) or a string (``"network create"``);
    ``()``/``""`` is the root command.
    """
    from .help_texts import HELP     # 84 kB of text: loaded when help is asked for
    k = _key(command)
    if k in HELP:
        return HELP[k]
    p = _resolve_path(k.split())
    if p is not None and _key(p) in HELP:
        return HELP[_key(p)]
    raise KeyError(f"no help text recorded for {k!r}")


def usage_string(path: tuple[str, ...], *, global_phase: bool = False) -> str:
    """cobra ``UsageString()`` (used in flag errors of root/management commands).

    Errors in the global flags (before the command) are reported before cobra
    adds its ``completion`` command, so that usage lacks the completion line.
    """
    text = help_text(path)[1:]
    if not path and global_phase:
        text = text.replace(
            "  completion  Generate the autocompletion script for the specified shell\n", "")
    return text


def _use_line_and_short(path: tuple[str, ...]) -> tuple[str, str]:
    """cobra ``UseLine()`` and ``Short`` of a command (from the recorded texts).

    ``--help`` shows the Long description when there is one, so Short is taken
    from the parent's command list.
    """
    text = help_text(path)
    use_line = text.split("Usage:  ", 1)[1].split("\n\n", 1)[0]
    parent = help_text(path[:-1])
    m = re.search(r"^  " + re.escape(path[-1]) + r" +(.*)$", parent, re.M)
    if m is None:  # pragma: no cover - every covered command is listed
        short = text.split("Usage:  ", 1)[1].split("\n\n", 2)[1].split("\n", 1)[0]
    else:
        short = m.group(1)
    return use_line, short


# --------------------------------------------------------------------------
# Go-compatible value parsing helpers
# --------------------------------------------------------------------------

def _go_quote(s: str) -> str:
    """strconv.Quote."""
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\a":
            out.append("\\a")
        elif ch == "\b":
            out.append("\\b")
        elif ch == "\f":
            out.append("\\f")
        elif ch == "\v":
            out.append("\\v")
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\x{o:02x}")
        elif not ch.isprintable():
            out.append(f"\\u{o:04x}" if o <= 0xFFFF else f"\\U{o:08x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


_GO_TRUE = {"1", "t", "T", "TRUE", "true", "True"}
_GO_FALSE = {"0", "f", "F", "FALSE", "false", "False"}


def _parse_bool(s: str) -> bool:
    if s in _GO_TRUE:
        return True
    if s in _GO_FALSE:
        return False
    raise ValueError(f"strconv.ParseBool: parsing {_go_quote(s)}: invalid syntax")


_UNDERSCORE_OK = re.compile(r"^(0[xXbBoO]_?|0_?)?[0-9a-fA-F]+(_[0-9a-fA-F]+)*$")


def _go_int_base0(s: str, fn: str) -> int:
    """strconv.Parse{Int,Uint}(s, 0, _) without the range check."""
    syntax = ValueError(f"strconv.{fn}: parsing {_go_quote(s)}: invalid syntax")
    body = s
    neg = False
    if fn == "ParseInt" and body[:1] in "+-" and body:
        neg = body[0] == "-"
        body = body[1:]
    if not body:
        raise syntax
    if "_" in body and not _UNDERSCORE_OK.match(body):
        raise syntax
    try:
        low = body.lower()
        if low.startswith(("0x", "0b", "0o")):
            v = int(body, 0)
        elif len(body) > 1 and body[0] == "0":
            if "_" in body and body[1] != "_" and not body[1:].replace("_", "").isdigit():
                raise syntax
            v = int(body[1:].lstrip("_") or "0", 8)
        else:
            if not body.replace("_", "").isdigit():
                raise syntax
            v = int(body.replace("_", ""), 10)
    except ValueError:
        raise syntax from None
    return -v if neg else v


def _parse_int(s: str, bits: int = 64) -> int:
    v = _go_int_base0(s, "ParseInt")
    if not -(1 << (bits - 1)) <= v < (1 << (bits - 1)):
        raise ValueError(f"strconv.ParseInt: parsing {_go_quote(s)}: value out of range")
    return v


def _parse_uint(s: str, bits: int) -> int:
    v = _go_int_base0(s, "ParseUint")
    if v >= (1 << bits):
        raise ValueError(f"strconv.ParseUint: parsing {_go_quote(s)}: value out of range")
    return v


_DUR_UNITS = {
    "ns": 1, "us": 1_000, "\u00b5s": 1_000, "\u03bcs": 1_000, "ms": 1_000_000,
    "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000,
}


def _parse_duration(s: str) -> int:
    """time.ParseDuration -> nanoseconds."""
    orig = s
    invalid = ValueError(f"time: invalid duration {_go_quote(orig)}")
    neg = False
    if s and s[0] in "+-":
        neg = s[0] == "-"
        s = s[1:]
    if s == "0":
        return 0
    if s == "":
        raise invalid
    total = Fraction(0)
    while s:
        m = re.match(r"([0-9]*)(\.([0-9]*))?", s)
        assert m is not None
        ip, frac = m.group(1), m.group(3)
        if ip == "" and (frac is None or frac == ""):
            raise invalid
        s = s[m.end():]
        u = re.match(r"[^0-9.]*", s)
        assert u is not None
        unit = u.group(0)
        s = s[u.end():]
        if unit == "":
            raise ValueError(f"time: missing unit in duration {_go_quote(orig)}")
        if unit not in _DUR_UNITS:
            raise ValueError(f"time: unknown unit {_go_quote(unit)} in duration {_go_quote(orig)}")
        val = Fraction(int(ip or "0"))
        if frac:
            val += Fraction(int(frac), 10 ** len(frac))
        total += val * _DUR_UNITS[unit]
    ns = int(total)
    if ns > (1 << 63) - 1:
        raise invalid
    return -ns if neg else ns


_SIZE_RE = re.compile(r"^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$")
_RAM_UNITS = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40, "p": 1 << 50}


def _ram_in_bytes(s: str) -> int:
    m = _SIZE_RE.match(s)
    if not m:
        raise ValueError(f"invalid size: '{s}'")
    try:
        size = float(m.group(1))
    except ValueError:
        raise ValueError(f"strconv.ParseFloat: parsing {_go_quote(m.group(1))}: invalid syntax") from None
    if m.group(3):
        size *= _RAM_UNITS[m.group(3).lower()]
    return int(size)


def _parse_cpus(s: str) -> float:
    try:
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?\d+/\d+", s):
            raise ValueError
        cpu = Fraction(s)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"failed to parse {s} as a rational number") from None
    nano = cpu * 1_000_000_000
    if nano.denominator != 1:
        raise ValueError("value is too precise")
    return float(cpu)


def _go_csv_record(value: str) -> list[str]:
    """encoding/csv Reader.Read of a single line (pflag StringSlice, --mount...)."""
    if value == "":
        raise ValueError("EOF")
    fields: list[str] = []
    i, n = 0, len(value)
    while True:
        if i < n and value[i] == '"':
            j = i + 1
            buf = []
            while True:
                if j >= n:
                    raise ValueError(
                        f'parse error on line 1, column {n + 1}: extraneous or missing " in quoted-field')
                if value[j] == '"':
                    if j + 1 < n and value[j + 1] == '"':
                        buf.append('"')
                        j += 2
                        continue
                    if j + 1 == n or value[j + 1] == ",":
                        j += 1
                        break
                    raise ValueError(
                        f'parse error on line 1, column {j + 1}: extraneous or missing " in quoted-field')
                buf.append(value[j])
                j += 1
            fields.append("".join(buf))
            i = j
        else:
            j = value.find(",", i)
            end = n if j < 0 else j
            f = value[i:end]
            q = f.find('"')
            if q >= 0:
                raise ValueError(f'parse error on line 1, column {i + q + 1}: bare " in non-quoted-field')
            fields.append(f)
            i = end
        if i >= n:
            return fields
        i += 1  # skip comma
        if i == n:
            fields.append("")
            return fields


# --------------------------------------------------------------------------
# docker opts validators (value -> stored value, or ValueError(message))
# --------------------------------------------------------------------------

def _go_parse_ip(s: str) -> str | None:
    if "%" in s or not s:
        return None
    try:
        ip = ipaddress.ip_address(s)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ip)


def _v_ip(val: str) -> str:
    ip = _go_parse_ip(val.strip())
    if ip is None:
        raise ValueError(f"{val} is not an ip address")
    return ip


_ALPHA_RE = re.compile(r"[a-zA-Z]")
_DOMAIN_RE = re.compile(
    r"^(:?(:?[a-zA-Z0-9]|(:?[a-zA-Z0-9][a-zA-Z0-9\-]*[a-zA-Z0-9]))"
    r"(:?\.(:?[a-zA-Z0-9]|(:?[a-zA-Z0-9][a-zA-Z0-9\-]*[a-zA-Z0-9])))*)\.?\s*$")


def _v_dns_search(val: str) -> str:
    val = val.strip(" ")
    if val == ".":
        return val
    if not _ALPHA_RE.search(val):
        raise ValueError(f"{val} is not a valid domain")
    m = _DOMAIN_RE.match(val)
    if m and len(m.group(1)) < 255:
        return m.group(1)
    raise ValueError(f"{val} is not a valid domain")


def _v_extra_host(val: str) -> str:
    arr = val.split(":", 1)
    if len(arr) != 2 or not arr[0]:
        raise ValueError(f"bad format for add-host: {_go_quote(val)}")
    if arr[1] != "host-gateway" and _go_parse_ip(arr[1].strip()) is None:
        raise ValueError(f"invalid IP address in add-host: {_go_quote(arr[1])}")
    return val


def _v_link(val: str) -> str:
    if val == "":
        raise ValueError("empty string specified for links")
    if len(val.split(":")) > 2:
        raise ValueError(f"bad format for links: {val}")
    return val


_WS = " \t\n\v\f\r"


def _v_label(val: str) -> str:
    key = val.split("=", 1)[0].lstrip(_WS)
    if key == "":
        raise ValueError(f"invalid label '{val}': empty name")
    if any(c in _WS for c in key):
        raise ValueError(f"label '{key}' contains whitespaces")
    return val


def _v_env(val: str) -> str:
    if val.split("=", 1)[0] == "":
        raise ValueError(f"invalid environment variable: {val}")
    return val  # (a bare NAME would pick up the client's environment; none here)


def _v_attach(val: str) -> str:
    s = val.lower()
    if s in ("stdin", "stdout", "stderr"):
        return s
    raise ValueError("valid streams are STDIN, STDOUT and STDERR")


_SYSCTL_OK = {"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall",
              "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"}


def _v_sysctl(val: str) -> str:
    arr = val.split("=")
    if len(arr) < 2 or not (arr[0] in _SYSCTL_OK or arr[0].startswith(("net.", "fs.mqueue."))):
        raise ValueError(f"sysctl '{val}' is not whitelisted")
    return val


def _device_split(val: str) -> tuple[str, str]:
    if ":" not in val:
        raise ValueError(f"bad format: {val}")
    dev, rate = val.split(":", 1)
    if not dev.startswith("/dev/"):
        raise ValueError(f"bad format for device path: {val}")
    return dev, rate


def _v_throttle_bps(val: str) -> str:
    _, rate = _device_split(val)
    msg = (f"invalid rate for device: {val}. The correct format is <device-path>:<number>[<unit>]. "
           "Number must be a positive integer. Unit is optional and can be kb, mb, or gb")
    try:
        n = _ram_in_bytes(rate)
    except ValueError:
        raise ValueError(msg) from None
    if n < 0:
        raise ValueError(msg)
    return val


def _v_throttle_iops(val: str) -> str:
    _, rate = _device_split(val)
    if not rate.isdigit() or int(rate) >= 1 << 64:
        raise ValueError(f"invalid rate for device: {val}. The correct format is "
                         "<device-path>:<number>. Number must be a positive integer")
    return val


def _v_weight_device(val: str) -> str:
    _, w = _device_split(val)
    if not w.isdigit() or int(w) >= 1 << 16 or (0 < int(w) < 10) or int(w) > 1000:
        raise ValueError(f"invalid weight for device: {val}")
    return val


def _v_cgroup_rule(val: str) -> str:
    if not re.match(r"^([acb]) ([0-9]+|\*):([0-9]+|\*) ([rwm]{1,3})$", val):
        raise ValueError(f"invalid device cgroup format '{val}'")
    return val


_LIST_VALIDATORS = {
    "ip": _v_ip, "dns_search": _v_dns_search, "extra_host": _v_extra_host, "link": _v_link,
    "label": _v_label, "env": _v_env, "attach": _v_attach, "sysctl": _v_sysctl,
    "throttle_bps": _v_throttle_bps, "throttle_iops": _v_throttle_iops,
    "weight_device": _v_weight_device, "cgroup_rule": _v_cgroup_rule,
}


def parse_mount(value: str) -> dict[str, Any]:
    """opts.MountOpt.Set: parse one ``--mount`` value (raises ValueError(msg))."""
    fields = _go_csv_record(value)
    m: dict[str, Any] = {"Type": "volume", "Source": "", "Target": "", "ReadOnly": False}
    vol: dict[str, Any] | None = None
    bind: dict[str, Any] | None = None
    tmpfs: dict[str, Any] | None = None

    def volume_options() -> dict[str, Any]:
        nonlocal vol
        if vol is None:
            vol = {"NoCopy": False, "Labels": {}, "DriverConfig": {"Name": "", "Options": {}}}
        return vol

    def bind_options() -> dict[str, Any]:
        nonlocal bind
        if bind is None:
            bind = {}
        return bind

    def tmpfs_options() -> dict[str, Any]:
        nonlocal tmpfs
        if tmpfs is None:
            tmpfs = {}
        return tmpfs

    def kv(target: dict[str, str], v: str) -> None:
        p = v.split("=", 1)
        target[p[0]] = p[1] if len(p) == 2 else ""

    for f in fields:
        parts = f.split("=", 1)
        key = parts[0].lower()
        if len(parts) == 1:
            if key in ("readonly", "ro"):
                m["ReadOnly"] = True
                continue
            if key == "volume-nocopy":
                volume_options()["NoCopy"] = True
                continue
            if key == "bind-nonrecursive":
                bind_options()["NonRecursive"] = True
                continue
            raise ValueError(f"invalid field '{f}' must be a key=value pair")
        v = parts[1]
        if key == "type":
            m["Type"] = v.lower()
        elif key in ("source", "src"):
            m["Source"] = v
        elif key in ("target", "dst", "destination"):
            m["Target"] = v
        elif key in ("readonly", "ro"):
            try:
                m["ReadOnly"] = _parse_bool(v)
            except ValueError:
                raise ValueError(f"invalid value for {key}: {v}") from None
        elif key == "consistency":
            m["Consistency"] = v.lower()
        elif key == "bind-propagation":
            bind_options()["Propagation"] = v.lower()
        elif key == "bind-nonrecursive":
            try:
                bind_options()["NonRecursive"] = _parse_bool(v)
            except ValueError:
                raise ValueError(f"invalid value for {key}: {v}") from None
        elif key == "volume-nocopy":
            try:
                volume_options()["NoCopy"] = _parse_bool(v)
            except ValueError:
                raise ValueError(f"invalid value for volume-nocopy: {v}") from None
        elif key == "volume-label":
            kv(volume_options()["Labels"], v)
        elif key == "volume-driver":
            volume_options()["DriverConfig"]["Name"] = v
        elif key == "volume-opt":
            kv(volume_options()["DriverConfig"]["Options"], v)
        elif key == "tmpfs-size":
            try:
                tmpfs_options()["SizeBytes"] = _ram_in_bytes(v)
            except ValueError:
                raise ValueError(f"invalid value for {key}: {v}") from None
        elif key == "tmpfs-mode":
            try:
                mode = int(v, 8)
                if mode < 0 or mode >= 1 << 32 or not re.fullmatch(r"[0-7_]+", v):
                    raise ValueError
            except ValueError:
                raise ValueError(f"invalid value for {key}: {v}") from None
            tmpfs_options()["Mode"] = mode
        else:
            raise ValueError(f"unexpected key '{key}' in '{f}'")
    if m["Type"] == "":
        raise ValueError("type is required")
    if m["Target"] == "":
        raise ValueError("target is required")
    if vol is not None and m["Type"] != "volume":
        raise ValueError(f"cannot mix 'volume-*' options with mount type '{m['Type']}'")
    if bind is not None and m["Type"] != "bind":
        raise ValueError(f"cannot mix 'bind-*' options with mount type '{m['Type']}'")
    if tmpfs is not None and m["Type"] != "tmpfs":
        raise ValueError(f"cannot mix 'tmpfs-*' options with mount type '{m['Type']}'")
    if vol is not None:
        m["VolumeOptions"] = vol
    if bind is not None:
        m["BindOptions"] = bind
    if tmpfs is not None:
        m["TmpfsOptions"] = tmpfs
    return m


def parse_network_opt(value: str) -> dict[str, Any]:
    """opts.NetworkOpt.Set: parse one ``--network`` value of run/create.

    Returns {"Target", "Aliases", "IPv4Address", "IPv6Address", "DriverOpts"}.
    """
    out: dict[str, Any] = {"Target": "", "Aliases": [], "IPv4Address": "", "IPv6Address": "",
                           "DriverOpts": {}}
    if not re.search(r"\w+=\w+(,\w+=\w+)*", value):
        out["Target"] = value
        return out
    for f in _go_csv_record(value):
        parts = f.split("=", 1)
        if len(parts) < 2:
            raise ValueError(f"invalid field {f}")
        key = parts[0].lower().strip()
        v = parts[1].lower().strip()
        if key == "name":
            out["Target"] = v
        elif key == "alias":
            out["Aliases"].append(v)
        elif key == "ip":
            out["IPv4Address"] = v
        elif key == "ip6":
            out["IPv6Address"] = v
        elif key == "driver-opt":
            kv = v.split("=", 1)
            if len(kv) != 2:
                raise ValueError("invalid key value pair format in driver options")
            out["DriverOpts"][kv[0].strip().lower()] = kv[1].strip().lower()
        else:
            raise ValueError(f"invalid field key {key}")
    if not out["Target"]:
        raise ValueError("network name/id is not specified")
    return out


_ULIMITS = {"core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile",
            "nproc", "rss", "rtprio", "rttime", "sigpending", "stack"}


def _v_ulimit(val: str) -> str:
    parts = val.split("=", 1)
    if len(parts) != 2:
        raise ValueError(f"invalid ulimit argument: {val}")
    if parts[0] not in _ULIMITS:
        raise ValueError(f"invalid ulimit type: {parts[0]}")
    limits = parts[1].split(":", 1)
    nums = []
    for lim in limits:
        try:
            nums.append(_parse_int(lim))
        except ValueError as e:
            raise ValueError(str(e).replace("strconv.ParseInt", "strconv.ParseInt", 1)) from None
    if len(nums) == 2 and nums[0] > nums[1]:
        raise ValueError(f"ulimit soft limit must be less than or equal to hard limit: "
                         f"{nums[0]} > {nums[1]}")
    return val


def _v_gpus(val: str) -> str:
    seen: set[str] = set()
    for f in _go_csv_record(val):
        parts = f.split("=", 1)
        key = parts[0]
        if key in seen:
            raise ValueError(f"gpu request key '{key}' can be specified only once")
        seen.add(key)
        if len(parts) == 1:
            if f == "all":
                continue
            key, v = "count", f
        else:
            v = parts[1]
        if key == "count":
            if v != "all":
                if not re.fullmatch(r"[+-]?\d+", v):
                    raise ValueError(
                        f"count must be an integer: strconv.Atoi: parsing {_go_quote(v)}: invalid syntax")
        elif key not in ("driver", "device", "capabilities", "options"):
            raise ValueError(f"unexpected key '{key}' in '{f}'")
    return val


def _v_filter(val: str) -> str | None:
    if val == "":
        return None
    if "=" not in val:
        raise ValueError("bad format of filter (expected name=value)")
    name, v = val.split("=", 1)
    return f"{name.strip().lower()}={v.strip()}"


# --------------------------------------------------------------------------
# pflag FlagSet
# --------------------------------------------------------------------------

class _FlagError(Exception):
    pass


@dataclass
class _Flag:
    name: str
    short: str | None
    kind: str
    default: Any
    dest: str
    validator: str | None = None
    shorthand_deprecated: bool = False

    @property
    def is_bool(self) -> bool:
        return self.kind == "bool"


_MULTI = {"list", "strings", "filter", "mount", "network", "ulimit", "gpu-request"}


def _default_for(kind: str, given: Any) -> Any:
    if given is not None:
        return given
    if kind == "bool":
        return False
    if kind == "string":
        return ""
    if kind in ("int", "uint16", "uint64", "duration", "bytes", "memswap"):
        return 0
    if kind == "decimal":
        return 0.0
    if kind == "map":
        return {}
    return []


def _make_flags(spec: list[tuple[Any, ...]], help_shorthand: bool | None) -> list[_Flag]:
    out = []
    for entry in spec:
        long, short, kind = entry[0], entry[1], entry[2]
        default = entry[3] if len(entry) > 3 else None
        dest = entry[4] if len(entry) > 4 else long
        validator = None
        if ":" in kind:
            kind, validator = kind.split(":", 1)
        if kind == "memswap" and default is None:
            default = 0
        out.append(_Flag(long, short, kind, _default_for(kind, default), dest.replace("-", "_"),
                         validator))
    if help_shorthand is not None:
        out.append(_Flag("help", "h" if help_shorthand else None, "bool", False, "help",
                         shorthand_deprecated=help_shorthand))
    return out


_TABLES: dict[int, tuple] = {}


def _flag_tables(flags: list[_Flag]) -> tuple:
    """(flags, by long name, by shorthand, default values, dests whose default
    is a list or dict) of a flag list; the lists come from caches and are never
    changed, so the tables are built once per list (keyed by identity, and the
    list itself is kept so that an identity cannot be reused)."""
    found = _TABLES.get(id(flags))
    if found is None or found[0] is not flags:
        defaults: dict[str, Any] = {}
        for f in flags:
            defaults.setdefault(f.dest, f.default)
        mutable = tuple(d for d, v in defaults.items() if isinstance(v, (dict, list)))
        found = _TABLES[id(flags)] = (
            flags, MappingProxyType({f.name: f for f in flags}),
            MappingProxyType({f.short: f for f in flags if f.short}), defaults, mutable)
    return found


class _FlagSet:
    def __init__(self, flags: list[_Flag], interspersed: bool = True):
        _, formal, shorthands, defaults, mutable = _flag_tables(flags)
        self.formal = formal            # read-only, shared by every parse
        self.shorthands = shorthands
        self.interspersed = interspersed
        self.values: dict[str, Any] = dict(defaults)
        for dest in mutable:
            d = defaults[dest]
            self.values[dest] = dict(d) if isinstance(d, dict) else list(d)
        self.changed: set[str] = set()
        self.args: list[str] = []
        self.help_shorthand_used = False

    # -- value setting (pflag FlagSet.Set) --------------------------------
    def _set(self, flag: _Flag, value: str) -> None:
        try:
            self._set_value(flag, value)
        except ValueError as e:
            if flag.short and not flag.shorthand_deprecated:
                fname = f"-{flag.short}, --{flag.name}"
            else:
                fname = f"--{flag.name}"
            raise _FlagError(f"invalid argument {_go_quote(value)} for {_go_quote(fname)} flag: {e}") from None
        self.changed.add(flag.dest)

    def _set_value(self, flag: _Flag, value: str) -> None:
        k, dest = flag.kind, flag.dest
        if k == "bool":
            self.values[dest] = _parse_bool(value)
        elif k == "string":
            self.values[dest] = value
        elif k == "int":
            self.values[dest] = _parse_int(value)
        elif k == "uint16":
            self.values[dest] = _parse_uint(value, 16)
        elif k == "uint64":
            self.values[dest] = _parse_uint(value, 64)
        elif k == "duration":
            self.values[dest] = _parse_duration(value)
        elif k == "bytes":
            self.values[dest] = _ram_in_bytes(value)
        elif k == "memswap":
            self.values[dest] = -1 if value == "-1" else _ram_in_bytes(value)
        elif k == "decimal":
            self.values[dest] = _parse_cpus(value)
        elif k == "map":
            if flag.validator:
                value = _LIST_VALIDATORS[flag.validator](value)
            kv = value.split("=", 1)
            self.values[dest][kv[0]] = kv[1] if len(kv) == 2 else ""
        elif k == "strings":
            vals = [] if value == "" else _go_csv_record(value)
            if dest not in self.changed:
                self.values[dest] = vals
            else:
                self.values[dest].extend(vals)
        elif k == "filter":
            v = _v_filter(value)
            if v is not None:
                self.values[dest].append(v)
        elif k == "mount":
            parse_mount(value)
            self.values[dest].append(value)
        elif k == "network":
            parse_network_opt(value)
            self.values[dest].append(value)
        elif k == "ulimit":
            self.values[dest].append(_v_ulimit(value))
        elif k == "gpu-request":
            self.values[dest].append(_v_gpus(value))
        elif k == "list":
            if flag.validator:
                value = _LIST_VALIDATORS[flag.validator](value)
            self.values[dest].append(value)
        else:  # pragma: no cover - table error
            raise AssertionError(k)

    # -- parsing (pflag parseArgs) ------------------------------------------
    def parse(self, args: list[str]) -> list[str]:
        args = list(args)
        while args:
            s = args.pop(0)
            if len(s) == 0 or s[0] != "-" or len(s) == 1:
                if not self.interspersed:
                    self.args.append(s)
                    self.args.extend(args)
                    return self.args
                self.args.append(s)
                continue
            if s[1] == "-":
                if len(s) == 2:
                    self.args.extend(args)
                    break
                args = self._parse_long(s, args)
            else:
                args = self._parse_short(s, args)
        return self.args

    def _parse_long(self, s: str, args: list[str]) -> list[str]:
        name = s[2:]
        if not name or name[0] in "-=":
            raise _FlagError(f"bad flag syntax: {s}")
        split = name.split("=", 1)
        name = split[0]
        flag = self.formal.get(name)
        if flag is None:
            raise _FlagError(f"unknown flag: --{name}")
        if len(split) == 2:
            value = split[1]
        elif flag.is_bool:
            value = "true"
        elif args:
            value = args.pop(0)
        else:
            raise _FlagError(f"flag needs an argument: {s}")
        self._set(flag, value)
        return args

    def _parse_short(self, s: str, args: list[str]) -> list[str]:
        shorthands = s[1:]
        out_args = args
        while shorthands:
            # pflag passes the original `args` for every letter (sic).
            shorthands, out_args = self._parse_single_short(shorthands, args)
        return out_args

    def _parse_single_short(self, shorthands: str, args: list[str]) -> tuple[str, list[str]]:
        out_args = args
        out_shorts = shorthands[1:]
        c = shorthands[0]
        flag = self.shorthands.get(c)
        if flag is None:
            raise _FlagError(f"unknown shorthand flag: {_go_char(c)} in -{shorthands}")
        if len(shorthands) > 2 and shorthands[1] == "=":
            value = shorthands[2:]
            out_shorts = ""
        elif flag.is_bool:
            value = "true"
        elif len(shorthands) > 1:
            value = shorthands[1:]
            out_shorts = ""
        elif args:
            value = args[0]
            out_args = args[1:]
        else:
            raise _FlagError(f"flag needs an argument: {_go_char(c)} in -{shorthands}")
        if flag.shorthand_deprecated:
            self.help_shorthand_used = True
        self._set(flag, value)
        return out_shorts, out_args


def _go_char(c: str) -> str:
    """%q of a byte."""
    if c == "'":
        return "'\\''"
    if c == "\\":
        return "'\\\\'"
    if c.isprintable() and ord(c) < 0x80:
        return f"'{c}'"
    return f"'\\x{ord(c) & 0xFF:02x}'" if ord(c) < 0x100 else f"'{c}'"


# --------------------------------------------------------------------------
# cobra command resolution
# --------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _root_flags() -> list[_Flag]:
    """(built once: flags are never changed, a _FlagSet copies their defaults)"""
    return _make_flags(_cmds.F_ROOT, True)


@lru_cache(maxsize=None)
def _help_only_flags() -> list[_Flag]:
    """The flags of a command that has only ``--help``/``-h``."""
    return _make_flags([], True)


@lru_cache(maxsize=None)
def _node_flags(path: tuple[str, ...]) -> tuple[list[_Flag], bool]:
    """Flags and interspersed-ness of a cobra node."""
    if path == ():
        return _root_flags(), True
    spec = _cmds.COMMANDS.get(path)
    if spec is None:  # management command: only --help/-h
        return _help_only_flags(), True
    return _make_flags(spec.flags, spec.help_shorthand), spec.interspersed


def _flag_error(path: tuple[str, ...], err: Exception, global_phase: bool = False) -> UsageError:
    cp = " ".join(("docker",) + path)
    is_group = path == () or path not in _cmds.COMMANDS
    usage = "\n\n" + usage_string(path, global_phase=global_phase) if is_group else ""
    return UsageError(f"{err}\nSee '{cp} --help'.{usage}", 125)


def _no_opt_default(name: str, flags: list[_Flag]) -> bool:
    for f in flags:
        if f.name == name:
            return f.is_bool
    return False


def _short_no_opt_default(name: str, flags: list[_Flag]) -> bool:
    if not name:
        return False
    for f in flags:
        if f.short == name[0]:
            return f.is_bool
    return False


class _HelpState:
    """docker's --help/-h is a persistent root flag: one value shared by all
    commands except run/create, which define their own local --help."""

    def __init__(self) -> None:
        self.value = False
        self.short_used_global = False
        self.short_used = False

    def absorb(self, fs: "_FlagSet", global_phase: bool = False) -> None:
        if "help" in fs.changed:
            self.value = fs.values["help"]
        if fs.help_shorthand_used:
            if global_phase:
                self.short_used_global = True
            else:
                self.short_used = True


def _traverse(path: tuple[str, ...], args: list[str],
              hs: _HelpState) -> tuple[tuple[str, ...], list[str]]:
    """cobra Command.Traverse: walk sub-commands, parsing intermediate flags."""
    flags, _ = _node_flags(path)
    collected: list[str] = []
    in_flag = False
    kids = _cmds.children(path)
    for i, arg in enumerate(args):
        if arg.startswith("--") and "=" not in arg:
            in_flag = not _no_opt_default(arg[2:], flags)
            collected.append(arg)
            continue
        if arg.startswith("-") and "=" not in arg and len(arg) == 2 and not _short_no_opt_default(arg[1:], flags):
            in_flag = True
            collected.append(arg)
            continue
        if in_flag:
            in_flag = False
            collected.append(arg)
            continue
        if arg.startswith("-") and len(arg) > 1:  # isFlagArg
            collected.append(arg)
            continue
        nxt = kids.get(arg)
        if nxt is None:
            for u in _UNSUPPORTED.get(path, ()):
                if u == arg:
                    return path + (arg,), args[i + 1:]
            return path, args
        fs = _FlagSet(flags, True)
        try:
            fs.parse(collected)
        except _FlagError as e:
            raise _flag_error(path, e) from None
        hs.absorb(fs)
        return _traverse(nxt, args[i + 1:], hs)
    return path, args


def _args_error(spec: _cmds.CommandSpec, n: int) -> str | None:
    rule = spec.args
    kind = rule[0]

    def plural(k: int) -> str:
        return "argument" if k == 1 else "arguments"

    if kind == "none":
        if n == 0:
            return None
        what = "accepts no arguments."
    elif kind == "min":
        if n >= rule[1]:
            return None
        what = f"requires at least {rule[1]} {plural(rule[1])}."
    elif kind == "max":
        if n <= rule[1]:
            return None
        what = f"requires at most {rule[1]} {plural(rule[1])}."
    elif kind == "exact":
        if n == rule[1]:
            return None
        what = f"requires exactly {rule[1]} {plural(rule[1])}."
    elif kind == "range":
        if rule[1] <= n <= rule[2]:
            return None
        what = f"requires at least {rule[1]} and at most {rule[2]} {plural(rule[2])}."
    else:
        return None
    cp = " ".join(("docker",) + spec.path)
    use_line, short = _use_line_and_short(spec.path)
    return f'"{cp}" {what}\nSee \'{cp} --help\'.\n\nUsage:  {use_line}\n\n{short}'


def _help_output(path: tuple[str, ...], hs: _HelpState) -> tuple[str, str]:
    """(stdout, stderr) of a help request. The -h deprecation note goes to
    stderr when -h was a global flag, to stdout otherwise."""
    text = help_text(path)
    out = (_DEPRECATED_H + text) if hs.short_used else text
    return out, (_DEPRECATED_H if hs.short_used_global else "")


def _options_view(fs: _FlagSet) -> dict[str, Any]:
    return dict(fs.values)


# --------------------------------------------------------------------------
# public entry point
# --------------------------------------------------------------------------

def parse(argv: list[str]) -> Invocation:
    """Parse a docker command line (``argv`` without the leading ``docker``)."""
    argv = list(argv)
    # 1. global flags, up to the first non-flag (cli.TopLevelCommand.HandleGlobalFlags)
    gfs = _FlagSet(_root_flags(), interspersed=False)
    try:
        rest = gfs.parse(argv)
    except _FlagError as e:
        raise _flag_error((), e, global_phase=True) from None
    global_options = {k: v for k, v in gfs.values.items() if k in gfs.changed and k != "help"}
    hs = _HelpState()
    hs.absorb(gfs, global_phase=True)

    def root_exec(args: list[str], pre: _FlagSet) -> Invocation:
        fs = _FlagSet(_root_flags(), interspersed=True)
        try:
            pos = fs.parse(args)
        except _FlagError as e:
            raise _flag_error((), e) from None
        hs.absorb(fs, global_phase=True)
        if hs.value:
            out, err = _help_output((), hs)
            return Invocation(command=(), options={"help": True}, path=(),
                              global_options=global_options, output=out, output_stderr=err)
        if fs.values["version"] or pre.values["version"]:
            return Invocation(command=("--version",), options={"version": True}, path=(),
                              global_options=global_options, output=VERSION_STRING + "\n")
        if pos:
            raise UsageError(f"docker: '{pos[0]}' is not a docker command.\nSee 'docker --help'", 1)
        raise UsageError(help_text(())[:-1], 0)

    if not rest:
        return root_exec([], gfs)

    # `docker help [COMMAND...]`
    if rest[0] == "help":
        hfs = _FlagSet(_help_only_flags(), True)
        try:
            words = hfs.parse(rest[1:])
        except _FlagError as e:
            raise UsageError(f"{e}\nSee 'docker help --help'.", 125) from None
        if hfs.values["help"]:
            out = _HELP_HELP if not hfs.help_shorthand_used else _DEPRECATED_H + _HELP_HELP
            return Invocation(command=("help",), options={"help": True}, path=("help",),
                              global_options=global_options, output=out)
        cur: tuple[str, ...] = ()
        for w in words:
            nxt = _cmds.children(cur).get(w)
            if nxt is None:
                raise UsageError(f"unknown help topic: {w}", 1)
            cur = nxt
        return Invocation(command=("help",), options={"help": True}, args=words, path=cur,
                          global_options=global_options, output=help_text(cur))

    path, remaining = _traverse((), rest, hs)
    if path == ():
        return root_exec(remaining, gfs)

    if path not in _cmds.COMMANDS and path not in {(m,) for m in _cmds.MANAGEMENT}:
        # a real docker command we do not model
        return Invocation(command=path, args=list(remaining), path=path,
                          global_options=global_options, supported=False)

    flags, interspersed = _node_flags(path)
    fs = _FlagSet(flags, interspersed)
    try:
        positionals = fs.parse(remaining)
    except _FlagError as e:
        raise _flag_error(path, e) from None

    spec = _cmds.COMMANDS.get(path)
    if spec is not None and not spec.help_shorthand:  # run/create: local --help
        hs = _HelpState()
    hs.absorb(fs)
    if hs.value:
        out, err = _help_output(path, hs)
        return Invocation(command=path if path not in _cmds.COMMANDS else _cmds.COMMANDS[path].canonical,
                          options={**_options_view(fs), "help": True}, args=positionals, path=path,
                          changed=frozenset(fs.changed), global_options=global_options,
                          output=out, output_stderr=err)

    spec = _cmds.COMMANDS.get(path)
    if spec is None:  # management command
        if positionals:
            raise UsageError(help_text(path).rstrip("\n"), 1)
        raise UsageError(help_text(path)[:-1], 0)

    msg = _args_error(spec, len(positionals))
    if msg is not None:
        raise UsageError(msg, 1)
    return Invocation(command=spec.canonical, options=_options_view(fs), args=positionals,
                      path=path, changed=frozenset(fs.changed), global_options=global_options)
