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
    execparam = None
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
                    elif c == "e":
                        # -e PROG takes the rest of the command line as PROG's
                        # arguments (getopt has not seen them yet)
                        execparam = [val] + args[i:]
                        i = len(args)
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
        if execparam and listen > 1:
            # -ll -e: a vforked child runs PROG for each connection
            return (yield from _serve_forever(proc, lst, execparam))
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
    if execparam:
        return (yield from _exec(proc, conn, execparam))
    return (yield from _copy(proc, conn, delay))


def _serve_forever(proc, lst, execparam):
    try:
        while True:
            conn = yield lst.accept(None)
            if conn is None:
                continue
            proc.kernel.sched.process(_exec(proc, conn, execparam, spawn_child=True), name="nc-e")
    finally:
        lst.close()


def _exec(proc, conn, execparam, spawn_child=False):
    """``xmove_fd(cfd, 0); xdup2(0, 1); execvp(PROG)``: PROG reads the
    connection and writes to it; its stderr stays nc's.  Input is what the
    peer sent before PROG starts reading: everything up to the peer's end of
    stream, or what has arrived when the peer goes quiet."""
    from . import NOT_FOUND, run_argv
    from .common import subproc
    data = b""
    while True:
        got = yield conn.recv(0.1)
        if not got or isinstance(got, str):
            break
        data += got

    def out(stream, text):
        if stream == "stdout":
            try:
                conn.send(text.encode("latin-1", "replace"))
            except SocketError:
                pass
        else:
            proc.err(text)
    child = subproc(proc, list(execparam), stdin=data.decode("latin-1"), on_output=out)
    gen = (proc.programs or run_argv)(child)
    if gen is NOT_FOUND:
        conn.close()
        proc.err(f"nc: can't execute '{execparam[0]}': No such file or directory\n")
        return 1
    if spawn_child:
        task = proc.fork(list(execparam))
        child.attach(task)
        try:
            status = yield from gen
        finally:
            proc.exit_task(task)
    else:
        proc.execve(list(execparam))         # the exec replaces nc
        status = yield from gen
    conn.close()
    return status if isinstance(status, int) else 0


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
    # stdin at EOF: shutdown(cfd, SHUT_WR) sends a FIN whatever the peer has
    # sent; the model's close() would answer unread data with a reset, so
    # what has already arrived is read (nc copies it to stdout anyway) first
    while any(isinstance(x, bytes) and x for x in conn.data.items):
        got = yield conn.recv(None)
        if not got or isinstance(got, str):
            return 0
        proc.out(got.decode("latin-1"))
    conn.close()
    while True:
        got = yield conn.recv(None)
        if not got or isinstance(got, str):
            return 0
        proc.out(got.decode("latin-1"))
