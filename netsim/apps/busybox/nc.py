"""busybox nc as Debian builds it: the small ``nc.c`` (NC_SERVER, NC_EXTRA;
not the netcat-1.10 compatible one — ``nc -z`` is an invalid option, as
``nc_client_server`` records).

Client: ``create_and_connect_stream_or_die`` (``can't connect to remote host
(IP): ERR``), then copies stdin to the connection (shutting down the sending
side at stdin's end) and the connection to stdout until the peer closes.
``-w SEC`` only bounds the connect/accept (``nc: timed out``).
Server (``-l [-p PORT]``): listens on ``[::]:PORT`` (netstat ``:::PORT``),
accepts one connection, closes the listener and does the same copying.
"""
from __future__ import annotations

from ...kernel import tcp
from ...kernel.socket import SocketError
from .. import libc
from .common import ERRNO_TEXT, VERSION

USAGE = (f"{VERSION}\n\n"
         "Usage: nc [-iN] [-wN] [-l] [-p PORT] [-f FILE|IPADDR PORT] [-e PROG]\n\n"
         "Open a pipe to IP:PORT or FILE\n\n"
         "\t-l\tListen mode, for inbound connects\n"
         "\t\t(use -ll with -e for persistent server)\n"
         "\t-p PORT\tLocal port\n"
         "\t-w SEC\tConnect timeout\n"
         "\t-i SEC\tDelay interval for lines sent\n"
         "\t-f FILE\tUse file (ala /dev/ttyS0) instead of network\n"
         "\t-e PROG\tRun PROG after connect\n")


def _usage(proc):
    proc.err(USAGE)
    return 1


def nc_main(proc):
    args = proc.argv[1:]
    listen, lport, wsecs, delay = 0, 0, 0, 0
    operands = []
    i = 0
    while i < len(args):
        a = args[i]
        i += 1
        if a == "--":
            operands += args[i:]
            break
        if not a.startswith("-") or a == "-":
            operands.append(a)
            continue
        k = 1
        while k < len(a):
            c = a[k]
            k += 1
            if c == "l":
                listen += 1
                continue
            if c in "pwife":
                if k < len(a):
                    val = a[k:]
                elif i < len(args):
                    val = args[i]
                    i += 1
                else:
                    proc.err(f"nc: option requires an argument -- '{c}'\n")
                    return _usage(proc)
                try:
                    if c == "p":
                        lport = int(val)
                    elif c == "w":
                        wsecs = int(val)
                    elif c == "i":
                        delay = int(val)
                    else:
                        proc.err(f"nc: -{c} is not supported here\n")
                        return 1
                except ValueError:
                    proc.err(f"nc: invalid number '{val}'\n")
                    return 1
                break
            proc.err(f"nc: invalid option -- '{c}'\n")
            return _usage(proc)
    if listen:
        if len(operands) > 1:
            return _usage(proc)
    elif not operands or len(operands) > 2:
        return _usage(proc)
    sched = proc.kernel.sched
    deadline = sched.now + wsecs if wsecs else None

    if listen:
        addr = "0.0.0.0"
        if operands:
            addrs = yield from libc.resolve(proc, operands[0])
            if not addrs:
                proc.err(f"nc: bad address '{operands[0]}'\n")
                return 1
            addr = addrs[0]
        try:
            lst = tcp.TcpListener(proc.netns, addr, lport)
        except SocketError as e:
            proc.err(f"nc: bind: {ERRNO_TEXT.get(e.name, e.name)}\n")
            return 1
        lst.v6 = not operands
        lst.listen_backlog = listen     # xlisten(sfd, do_listen)
        try:
            conn = yield lst.accept(wsecs or None)
        finally:
            lst.close()
        if conn is None:
            proc.err("nc: timed out\n")
            return 1
    else:
        host = operands[0]
        port_s = operands[1] if len(operands) > 1 else "0"
        addrs = yield from libc.resolve(proc, host)
        if sched.now >= (deadline or float("inf")):
            proc.err("nc: timed out\n")
            return 1
        if not addrs:
            proc.err(f"nc: bad address '{host}'\n")
            return 1
        try:
            port = int(port_s)
        except ValueError:
            proc.err(f"nc: bad port '{port_s}'\n")
            return 1
        ev = tcp.connect(proc.netns, (addrs[0], port))
        if deadline is not None and not ev.triggered:
            got = yield _first(sched, ev, deadline - sched.now)
        else:
            got = yield ev
        if got is None:
            _abandon(proc.netns, ev)
            proc.err("nc: timed out\n")
            return 1
        if isinstance(got, str):
            proc.err(f"nc: can't connect to remote host ({addrs[0]}): {ERRNO_TEXT.get(got, got)}\n")
            return 1
        conn = got
    return (yield from _copy(proc, conn, delay))


def _first(sched, ev, timeout):
    """An event: ``ev``'s value, or None after ``timeout`` seconds."""
    out = sched.event()
    ev.add_callback(lambda e: out.succeed(e.value))
    sched.call_later(max(0.0, timeout), out.succeed, None)
    return out


def _abandon(netns, ev):
    for c in list(netns.tcp_conns.values()):
        if c.connected is ev:
            c.state = "CLOSED"
            c._drop()


def _copy(proc, conn, delay):
    if proc.stdin:
        try:
            conn.send(proc.stdin.encode("latin-1", "replace"))
        except SocketError:
            pass
        if delay:
            yield delay
    conn.close()            # stdin at EOF: shutdown(cfd, SHUT_WR)
    while True:
        got = yield conn.recv(None)
        if not got or isinstance(got, str):
            return 0
        proc.out(got.decode("latin-1"))
