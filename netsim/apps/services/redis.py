"""Redis 7.2 as the official image runs it (``redis-server``), and ``redis-cli``.

The server listens on 6379 (the image patches protected mode off, so other
containers may connect) and speaks RESP: inline commands (``PING\\r\\n`` from
``nc``) and arrays (``*1\\r\\n$4\\r\\nPING\\r\\n`` from clients).  It keeps an
in-memory keyspace for PING, ECHO, SET, GET, DEL, EXISTS, INCR, DBSIZE,
KEYS, FLUSHALL, SELECT, QUIT; other commands get Redis's "unknown command"
error.  Replies are Redis's bytes for those commands; the start-up log
(``1:C``/``1:M`` lines on stdout) is a plausible subset of the real one.

``redis-cli [-h HOST] [-p PORT] [CMD ARG…]`` sends one command (or one per
line of stdin) and prints replies as it does when stdout is not a terminal
(``PONG``, ``OK``, integers bare, nil as an empty line).
"""
from __future__ import annotations

import fnmatch
import time

from ...kernel import tcp
from ...kernel.socket import SocketError
from ...kernel.tcp import TcpListener
from .. import libc
from .http import wall

PORT = 6379


def _log(proc, role: str, mark: str, text: str) -> None:
    t = wall(proc.sched.now)
    stamp = time.strftime("%d %b %Y %H:%M:%S", time.gmtime(t)) + f".{int(t * 1000) % 1000:03d}"
    proc.out(f"1:{role} {stamp} {mark} {text}\n")


def redis_server_main(proc):
    ver = proc.env.get("REDIS_VERSION", "7.2.3")
    args = proc.argv[1:]
    if args and args[0] in ("-v", "--version"):
        proc.out(f"Redis server v={ver} sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=0\n")
        return 0
    port = PORT
    if "--port" in args:
        i = args.index("--port")
        if i + 1 < len(args) and args[i + 1].isdigit():
            port = int(args[i + 1])
    _log(proc, "C", "*", "oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo")
    _log(proc, "C", "*", f"Redis version={ver}, bits=64, commit=00000000, modified=0, pid=1, just started")
    if not args or args[0].startswith("--"):
        _log(proc, "C", "#", "Warning: no config file specified, using the default config. In order to "
                             "specify a config file use redis-server /path/to/redis.conf")
    try:
        lst = TcpListener(proc.netns, "0.0.0.0", port)
    except SocketError:
        _log(proc, "M", "#", f"Warning: Could not create server TCP listening socket *:{port}: bind: "
                             "Address already in use")
        _log(proc, "M", "#", f"Failed listening on port {port} (tcp), aborting.")
        return 1
    lst.v6 = False
    _log(proc, "M", "*", "monotonic clock: POSIX clock_gettime")
    _log(proc, "M", "*", f"Running mode=standalone, port={port}.")
    _log(proc, "M", "*", "Server initialized")
    _log(proc, "M", "*", "Ready to accept connections tcp")
    store: dict[str, bytes] = {}
    try:
        while True:
            conn = yield lst.accept(None)
            if conn is not None:
                proc.sched.process(_client(conn, store), name="redis-conn")
    finally:
        lst.close()


def _parse(buf: bytes):
    """One command from ``buf``: ``(argv, rest)``, ``(None, buf)`` when more
    bytes are needed, or ``("error", msg)`` for a protocol error."""
    if not buf:
        return None, buf
    if buf[:1] == b"*":
        end = buf.find(b"\r\n")
        if end < 0:
            return None, buf
        try:
            n = int(buf[1:end])
        except ValueError:
            return "error", "Protocol error: invalid multibulk length"
        pos, argv = end + 2, []
        for _ in range(n):
            end = buf.find(b"\r\n", pos)
            if end < 0:
                return None, buf
            if buf[pos:pos + 1] != b"$":
                return "error", f"Protocol error: expected '$', got '{buf[pos:pos + 1].decode('latin-1')}'"
            size = int(buf[pos + 1:end])
            start = end + 2
            if len(buf) < start + size + 2:
                return None, buf
            argv.append(buf[start:start + size])
            pos = start + size + 2
        return argv, buf[pos:]
    end = buf.find(b"\n")
    if end < 0:
        return None, buf
    return buf[:end].rstrip(b"\r").split(), buf[end + 1:]


def _bulk(v: bytes | None) -> bytes:
    return b"$-1\r\n" if v is None else b"$%d\r\n%s\r\n" % (len(v), v)


def _execute(argv: list[bytes], store: dict) -> bytes:
    name = argv[0].decode("latin-1")
    cmd, args = name.lower(), argv[1:]
    arity = {"ping": (0, 1), "echo": (1, 1), "get": (1, 1), "set": (2, 99), "del": (1, 99),
             "exists": (1, 99), "incr": (1, 1), "dbsize": (0, 0), "keys": (1, 1),
             "flushall": (0, 1), "select": (1, 1), "quit": (0, 0)}
    if cmd not in arity:
        start = " ".join(f"'{a.decode('latin-1')}'" for a in args)
        return f"-ERR unknown command '{name}', with args beginning with: {start}\r\n".encode()
    lo, hi = arity[cmd]
    if not lo <= len(args) <= hi:
        return f"-ERR wrong number of arguments for '{cmd}' command\r\n".encode()
    if cmd == "ping":
        return _bulk(args[0]) if args else b"+PONG\r\n"
    if cmd == "echo":
        return _bulk(args[0])
    if cmd == "get":
        return _bulk(store.get(args[0].decode("latin-1")))
    if cmd == "set":
        store[args[0].decode("latin-1")] = args[1]
        return b"+OK\r\n"
    if cmd in ("del", "exists"):
        keys = [a.decode("latin-1") for a in args]
        n = sum(1 for k in keys if k in store)
        if cmd == "del":
            for k in keys:
                store.pop(k, None)
        return b":%d\r\n" % n
    if cmd == "incr":
        k = args[0].decode("latin-1")
        try:
            v = int(store.get(k, b"0")) + 1
        except ValueError:
            return b"-ERR value is not an integer or out of range\r\n"
        store[k] = str(v).encode()
        return b":%d\r\n" % v
    if cmd == "dbsize":
        return b":%d\r\n" % len(store)
    if cmd == "keys":
        pat = args[0].decode("latin-1")
        keys = sorted(k for k in store if fnmatch.fnmatchcase(k, pat))
        return b"*%d\r\n" % len(keys) + b"".join(_bulk(k.encode("latin-1")) for k in keys)
    if cmd == "flushall":
        store.clear()
        return b"+OK\r\n"
    if cmd == "select":
        return b"+OK\r\n" if args[0] == b"0" else b"-ERR DB index is out of range\r\n"
    return b"+OK\r\n"                                        # quit


def _client(conn, store):
    buf = b""
    while True:
        got = yield conn.recv(None)
        if not got or isinstance(got, str):
            break
        buf += got
        quit_ = False
        while True:
            argv, rest = _parse(buf)
            if argv is None:
                break
            if argv == "error":
                conn.send(f"-ERR {rest}\r\n".encode())
                conn.close()
                return
            buf = rest
            if not argv:
                continue
            try:
                conn.send(_execute(argv, store))
            except SocketError:
                return
            if argv[0].lower() == b"quit":
                quit_ = True
                break
        if quit_:
            break
    conn.close()


# -- redis-cli -------------------------------------------------------------------
def _encode(argv: list[str]) -> bytes:
    out = b"*%d\r\n" % len(argv)
    for a in argv:
        b = a.encode()
        out += b"$%d\r\n%s\r\n" % (len(b), b)
    return out


def _reply(reader):
    """One RESP reply as redis-cli prints it without a terminal (a generator)."""
    line = yield from reader.line()
    if line is None:
        return None
    kind, rest = line[:1], line[1:]
    if kind in ("+", ":"):
        return rest + "\n"
    if kind == "-":
        return rest + "\n"
    if kind == "$":
        n = int(rest)
        if n < 0:
            return "\n"
        data = yield from reader.rest(n + 2)
        return data[:n].decode("latin-1") + "\n"
    if kind == "*":
        out = ""
        for _ in range(max(int(rest), 0)):
            item = yield from _reply(reader)
            out += item or ""
        return out
    return line + "\n"


def redis_cli_main(proc):
    from ..busybox.wget import _Reader
    args = proc.argv[1:]
    host, port, cmd = "127.0.0.1", PORT, []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "-h" and i + 1 < len(args):
            host, i = args[i + 1], i + 2
        elif a == "-p" and i + 1 < len(args) and args[i + 1].isdigit():
            port, i = int(args[i + 1]), i + 2
        else:
            cmd, i = args[i:], len(args)
    addrs = yield from libc.resolve(proc, host)
    if not addrs:
        proc.err(f"Could not connect to Redis at {host}:{port}: Name or service not known\n")
        return 1
    conn = yield tcp.connect(proc.netns, (addrs[0], port))
    if isinstance(conn, str):
        proc.err(f"Could not connect to Redis at {host}:{port}: Connection refused\n")
        return 1
    lines = [cmd] if cmd else [ln.split() for ln in proc.stdin.splitlines() if ln.strip()]
    reader = _Reader(conn)
    for argv in lines:
        conn.send(_encode(argv))
        text = yield from _reply(reader)
        if text is None:
            break
        proc.out(text)
    conn.close()
    return 0
