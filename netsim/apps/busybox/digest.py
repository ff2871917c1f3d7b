"""Checksum and dump applets of busybox 1.35: md5sum, sha1sum, sha256sum,
sha512sum (and ``-c``), base64, od, hexdump, xxd; and the small line
filters tac, rev, nl, paste, fold, cmp.

File contents are text in the model; they are taken as UTF-8 bytes.
"""
from __future__ import annotations

import base64 as _b64
import hashlib

from .common import UsageError, getopt, read_file
from .shellutils import show_usage


def _data(proc, name: str) -> bytes | None:
    if name == "-":
        return proc.stdin.encode()
    try:
        return read_file(proc, name).encode()
    except (OSError, FileNotFoundError, IsADirectoryError):
        return None


def _digest_main(proc, algo: str):
    name = proc.argv[0].rsplit("/", 1)[-1]
    try:
        opts, files = getopt(proc, "cswb", proc.argv[1:])
    except UsageError:
        return show_usage(proc, name) if name in _usage() else 1
    files = files or ["-"]
    rc = 0
    if opts.get("c"):
        bad = 0
        total = 0
        for f in files:
            listing = _data(proc, f)
            if listing is None:
                proc.err(f"{name}: can't open '{f}': No such file or directory\n")
                return 1
            for line in listing.decode().splitlines():
                want, _, path = line.partition("  ")
                if not path:
                    continue
                total += 1
                data = _data(proc, path)
                ok = data is not None and hashlib.new(algo, data).hexdigest() == want
                if data is None:
                    proc.err(f"{name}: can't open '{path}': No such file or directory\n")
                if not opts.get("s"):
                    proc.out(f"{path}: {'OK' if ok else 'FAILED'}\n")
                bad += not ok
        if bad:
            proc.err(f"{name}: WARNING: {bad} of {total} computed checksums did NOT match\n")
            return 1
        return 0
    out = []
    for f in files:
        data = _data(proc, f)
        if data is None:
            proc.out("".join(out))
            out = []
            proc.err(f"{name}: can't open '{f}': No such file or directory\n")
            rc = 1
            continue
        out.append(f"{hashlib.new(algo, data).hexdigest()}  {f}\n")
    proc.out("".join(out))
    return rc


def _usage():
    from .usage_texts import USAGE
    return USAGE


def md5sum_main(proc):
    return _digest_main(proc, "md5")
    yield


def sha1sum_main(proc):
    return _digest_main(proc, "sha1")
    yield


def sha256sum_main(proc):
    return _digest_main(proc, "sha256")
    yield


def sha512sum_main(proc):
    return _digest_main(proc, "sha512")
    yield


def base64_main(proc):
    try:
        opts, files = getopt(proc, "dw:", proc.argv[1:])
    except UsageError:
        return show_usage(proc, "base64") if "base64" in _usage() else 1
    f = files[0] if files else "-"
    data = _data(proc, f)
    if data is None:
        proc.err(f"base64: can't open '{f}': No such file or directory\n")
        return 1
    if opts.get("d"):
        text = bytes(c for c in data if chr(c).isalnum() or chr(c) in "+/=")
        try:
            out = _b64.b64decode(text + b"=" * (-len(text) % 4))
        except ValueError:
            out = b""
        proc.out(out.decode("utf-8", "replace"))
        return 0
    enc = _b64.b64encode(data).decode()
    width = int(opts.get("w", 76))
    if width:
        lines = [enc[k:k + width] for k in range(0, len(enc), width)]
    else:
        lines = [enc]
    proc.out("".join(ln + "\n" for ln in lines) if enc or width == 0 else "")
    return 0
    yield


# -- od --------------------------------------------------------------------------------

_OD_NAMED = ["nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", " bs", " ht", " nl", " vt",
             " ff", " cr", " so", " si"]


def _od_c(b: int) -> str:
    esc = {0: "\\0", 7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r"}
    if b in esc:
        return f"{esc[b]:>4}"
    if 32 <= b < 127:
        return f"{chr(b):>4}"
    return f" {b:03o}"


def od_main(proc):
    try:
        opts, files = getopt(proc, "A:t:cbdoxsvN:j:w:", proc.argv[1:])
    except UsageError:
        return show_usage(proc, "od") if "od" in _usage() else 1
    data = b""
    for f in files or ["-"]:
        d = _data(proc, f)
        if d is None:
            proc.err(f"od: {f}: No such file or directory\n")
            return 1
        data += d
    t = opts.get("t")
    if t is not None and t[-1:] == "z":
        proc.err(f"od: invalid type string '{t}'; 4294967295-byte integral type is not supported\n")
        return 1
    if opts.get("c"):
        kind = "c"
    elif opts.get("b") or t in ("o1",):
        kind = "o1"
    elif opts.get("x") or t in ("x2",):
        kind = "x2"
    elif t in ("x1",):
        kind = "x1"
    elif opts.get("d") or t in ("d2",):
        kind = "d2"
    elif t in ("u1",):
        kind = "u1"
    else:
        kind = "o2"
    radix = opts.get("A", "o")
    addr = {"o": lambda n: f"{n:07o}", "x": lambda n: f"{n:06x}", "d": lambda n: f"{n:07d}",
            "n": lambda n: ""}.get(radix, lambda n: f"{n:07o}")
    lines = []
    prev = None
    starred = False
    for off in range(0, len(data), 16):
        chunk = data[off:off + 16]
        if kind == "c":
            cells = "".join(_od_c(b) for b in chunk)
        elif kind in ("o1", "x1", "u1"):
            f = {"o1": "{:03o}", "x1": "{:02x}", "u1": "{:3d}"}[kind]
            cells = "".join(" " + f.format(b) for b in chunk)
        else:
            words = [chunk[k] | ((chunk[k + 1] if k + 1 < len(chunk) else 0) << 8)
                     for k in range(0, len(chunk), 2)]
            f = {"o2": " {:06o}", "x2": " {:04x}", "d2": " {:5d}"}[kind]
            cells = "".join(f.format(w) for w in words)
        if chunk == prev and not opts.get("v") and len(chunk) == 16:
            if not starred:
                lines.append("*\n")
                starred = True
            continue
        starred = False
        prev = chunk
        lines.append(addr(off) + cells + "\n")
    if radix != "n":
        lines.append(addr(len(data)) + "\n")
    proc.out("".join(lines))
    return 0
    yield


# -- hexdump / xxd ----------------------------------------------------------------------

def hexdump_main(proc):
    try:
        opts, files = getopt(proc, "bcCdoxvn:s:e:f:", proc.argv[1:])
    except UsageError:
        return show_usage(proc, "hexdump") if "hexdump" in _usage() else 1
    data = b""
    for f in files or ["-"]:
        d = _data(proc, f)
        if d is None:
            proc.err(f"hexdump: {f}: No such file or directory\n")
            return 1
        data += d
    if "n" in opts:
        data = data[:int(opts["n"])]
    lines = []
    prev = None
    starred = False
    for off in range(0, len(data), 16):
        chunk = data[off:off + 16]
        if chunk == prev and not opts.get("v") and len(chunk) == 16:
            if not starred:
                lines.append("*\n")
                starred = True
            continue
        starred, prev = False, chunk
        if opts.get("C"):
            hexs = " ".join(f"{b:02x}" for b in chunk[:8])
            if len(chunk) > 8:
                hexs += "  " + " ".join(f"{b:02x}" for b in chunk[8:])
            text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
            lines.append(f"{off:08x}  {hexs:<48}  |{text}|\n")
        else:
            words = [chunk[k] | ((chunk[k + 1] if k + 1 < len(chunk) else 0) << 8)
                     for k in range(0, len(chunk), 2)]
            cells = "".join(f" {w:04x}" for w in words)
            lines.append(f"{off:07x}{cells:<40}\n")
    if data:
        lines.append(f"{len(data):08x}\n" if opts.get("C") else f"{len(data):07x}\n")
    proc.out("".join(lines))
    return 0
    yield


def xxd_main(proc):
    try:
        opts, files = getopt(proc, "pric:l:s:g:u", proc.argv[1:])
    except UsageError:
        return show_usage(proc, "xxd") if "xxd" in _usage() else 1
    f = files[0] if files else "-"
    data = _data(proc, f)
    if data is None:
        proc.err(f"xxd: {f}: No such file or directory\n")
        return 1
    if "l" in opts:
        data = data[:int(opts["l"])]
    if opts.get("p"):
        hexs = data.hex()
        proc.out("".join(hexs[k:k + 60] + "\n" for k in range(0, len(hexs), 60)))
        return 0
    lines = []
    for off in range(0, len(data), 16):
        chunk = data[off:off + 16]
        groups = " ".join(chunk[k:k + 2].hex() for k in range(0, len(chunk), 2))
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        lines.append(f"{off:08x}: {groups:<40} {text}\n")
    proc.out("".join(lines))
    return 0
    yield


# -- tac / rev / nl / paste / fold / cmp --------------------------------------------------

def _text(proc, files, name):
    out = []
    for f in files or ["-"]:
        d = _data(proc, f)
        if d is None:
            proc.err(f"{name}: can't open '{f}': No such file or directory\n")
            return None
        out.append(d.decode())
    return out


def tac_main(proc):
    texts = _text(proc, proc.argv[1:], "tac")
    if texts is None:
        return 1
    lines = "".join(texts).splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += ""
    proc.out("".join(reversed(lines)))
    return 0
    yield


def rev_main(proc):
    texts = _text(proc, proc.argv[1:], "rev")
    if texts is None:
        return 1
    proc.out("".join(ln[::-1] + "\n" for ln in "".join(texts).splitlines()))
    return 0
    yield


def nl_main(proc):
    texts = _text(proc, proc.argv[1:], "nl")
    if texts is None:
        return 1
    out, n = [], 0
    for ln in "".join(texts).splitlines():
        if ln:
            n += 1
            out.append(f"{n:6d}\t{ln}\n")
        else:
            out.append("       \n")
    proc.out("".join(out))
    return 0
    yield


def paste_main(proc):
    try:
        opts, files = getopt(proc, "d:s", proc.argv[1:])
    except UsageError:
        return 1
    texts = _text(proc, files, "paste")
    if texts is None:
        return 1
    delim = opts.get("d", "\t") or "\t"
    cols = [t.splitlines() for t in texts]
    if opts.get("s"):
        proc.out("".join(delim.join(c) + "\n" for c in cols))
        return 0
    rows = max((len(c) for c in cols), default=0)
    proc.out("".join(delim.join(c[r] if r < len(c) else "" for c in cols) + "\n" for r in range(rows)))
    return 0
    yield


def fold_main(proc):
    try:
        opts, files = getopt(proc, "bsw:", proc.argv[1:])
    except UsageError:
        return 1
    texts = _text(proc, files, "fold")
    if texts is None:
        return 1
    width = int(opts.get("w", 80))
    out = []
    for ln in "".join(texts).split("\n"):
        while len(ln) > width:
            cut = width
            if opts.get("s"):
                sp = ln.rfind(" ", 0, width)
                if sp >= 0:
                    cut = sp + 1
            out.append(ln[:cut] + "\n")
            ln = ln[cut:]
        out.append(ln + "\n")
    text = "".join(out)
    proc.out(text[:-1] if "".join(texts).endswith("\n") or text.endswith("\n") else text)
    return 0
    yield


def cmp_main(proc):
    try:
        opts, files = getopt(proc, "ls", proc.argv[1:])
    except UsageError:
        return 2
    if not files:
        return 2
    names = files[:2] if len(files) > 1 else [files[0], "-"]
    a, b = _data(proc, names[0]), _data(proc, names[1])
    for n, d in zip(names, (a, b)):
        if d is None:
            proc.err(f"cmp: can't open '{n}': No such file or directory\n")
            return 2
    line = 1
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            if not opts.get("s"):
                proc.out(f"{names[0]} {names[1]} differ: char {i + 1}, line {line}\n")
            return 1
        if x == 10:
            line += 1
    if len(a) != len(b):
        if not opts.get("s"):
            proc.err(f"cmp: EOF on {names[0] if len(a) < len(b) else names[1]}\n")
        return 1
    return 0
    yield
