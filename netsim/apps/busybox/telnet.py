"""busybox telnet, as tutorials use it to test a port: ``telnet HOST [PORT]``.

``create_and_connect_stream_or_die`` (``bad address 'H'``; ``can't connect
to remote host (IP): ERR``), then ``Connected to HOST`` on stdout.  It then
polls stdin and the connection: without a terminal (``docker exec`` without
``-it``) stdin is at its end at once -- after sending what it holds (line
ends as CR LF) telnet exits 0 before the server's answer arrives, as the
reference engine shows (``echo QUIT | telnet web 80`` prints only
``Connected to web``).
"""
from __future__ import annotations

from ...kernel import tcp
from ...kernel.socket import SocketError
from .. import libc
from .common import ERRNO_TEXT, VERSION, UsageError, getopt

USAGE = ("[-a] [-l USER] HOST [PORT]\n\nConnect to telnet server\n\n"
         "\t-a\tAutomatic login with $USER variable\n"
         "\t-l USER\tAutomatic login as USER")


def _usage(proc, status: int = 1) -> int:
    proc.err(f"{VERSION}\n\nUsage: telnet {USAGE}\n")
    return status


def telnet_main(proc):
    if proc.argv[1:] == ["--help"]:
        return _usage(proc, 0)
    try:
        _opts, args = getopt(proc, "al:", proc.argv[1:])
    except UsageError:
        return _usage(proc)
    if not args or len(args) > 2:
        return _usage(proc)
    host = args[0]
    port = 23
    if len(args) > 1:
        if not args[1].isdigit() or int(args[1]) > 65535:
            proc.err(f"telnet: bad port '{args[1]}'\n")
            return 1
        port = int(args[1])
    addrs = yield from libc.resolve(proc, host)
    if not addrs:
        proc.err(f"telnet: bad address '{host}'\n")
        return 1
    conn = yield tcp.connect(proc.netns, (addrs[0], port))
    if isinstance(conn, str):
        proc.err(f"telnet: can't connect to remote host ({addrs[0]}): "
                 f"{ERRNO_TEXT.get(conn, conn)}\n")
        return 1
    proc.out(f"Connected to {host}\n")
    if proc.stdin:
        data = proc.stdin.replace("\r\n", "\n").replace("\n", "\r\n")
        try:
            conn.send(data.encode("latin-1", "replace"))
        except SocketError:
            pass
    conn.close()
    return 0
