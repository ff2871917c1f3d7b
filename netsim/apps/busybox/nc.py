"""busybox nc (the netcat 1.10 compatible one, ``nc_bloaty.c``).

Client: connects (``-w`` bounds the connect), sends stdin, then shuts down
its sending side (FIN) and prints what arrives until the peer closes; with
``-w`` it gives up after two silent periods.  ``-z`` only connects.
Refusals are silent unless ``-vv``; other errors need ``-v``.
Server (``-l -p PORT``): listens on ``[::]:PORT``, accepts one connection and
does the same exchange.  ``-u`` moves datagrams instead.
"""
from __future__ import annotations

from ...kernel import tcp
from ...kernel.socket import SocketError, UdpSocket
from .. import libc
from .common import ERRNO_TEXT, UsageError, getopt, usage

USAGE = "[OPTIONS] HOST PORT  - connect\nnc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen"


def nc_main(proc):
    try:
        opts, args = getopt(proc, "np:s:ubvw:+lkzi:o:", proc.argv[1:])
    except UsageError:
        return usage(proc, "nc", USAGE)
    if len(args) > 2:
        return usage(proc, "nc", USAGE)
    verbose = int(opts.get("v", 0))
    wait = int(opts["w"]) if "w" in opts else None
    udp = bool(opts.get("u"))
    lport = int(opts["p"]) if "p" in opts else 0
    sched = proc.kernel.sched
    them = None
    if args:
        if len(args) < 2 and not opts.get("l"):
            return usage(proc, "nc", USAGE)
        addrs = yield from libc.resolve(proc, args[0])
        if not addrs:
            proc.err(f"nc: bad address '{args[0]}'\n")
            return 1
        try:
            them = (addrs[0], int(args[1]) if len(args) > 1 else 0)
        except ValueError:
            proc.err(f"nc: bad port '{args[1]}'\n")
            return 1

    if opts.get("l"):
        if udp:
            return (yield from _udp_listen(proc, lport, wait))
        try:
            lst = tcp.TcpListener(proc.netns, "0.0.0.0", lport)
        except SocketError as e:
            proc.err(f"nc: bind: {ERRNO_TEXT.get(e.name, e.name)}\n")
            return 1
        lst.v6 = True
        if verbose:
            proc.err(f"listening on [::]:{lport} ...\n")
        try:
            conn = yield lst.accept(wait)
        finally:
            lst.close()
        if conn is None:
            proc.err("nc: timeout\n")
            return 1
        if verbose:
            proc.err(f"connect to [::ffff:{conn.local[0]}]:{conn.local[1]} from "
                     f"[::ffff:{conn.remote[0]}]:{conn.remote[1]} ([::ffff:{conn.remote[0]}]:{conn.remote[1]})\n")
        return (yield from _readwrite(proc, conn, wait))

    if them is None:
        return usage(proc, "nc", USAGE)
    dotted = f"{them[0]}:{them[1]}"
    if udp:
        sock = UdpSocket(proc.netns)
        try:
            sock.bind("0.0.0.0", lport)
            if proc.stdin:
                sock.sendto(proc.stdin.encode(), them)
        except SocketError as e:
            proc.err(f"nc: {args[0]} ({dotted}): {ERRNO_TEXT.get(e.name, e.name)}\n")
            return 1
        if verbose:
            proc.err(f"{args[0]} ({dotted}) open\n")
        if opts.get("z"):
            sock.close()
            return 0
        retries = 2
        while True:
            got = yield sock.recvfrom(wait)
            if got is None:
                if wait is None:
                    continue
                retries -= 1
                if not retries:
                    break
                continue
            if isinstance(got, str):
                break
            proc.out(got[0].decode("latin-1"))
        sock.close()
        return 0

    ev = tcp.connect(proc.netns, them)
    if wait is not None and not ev.triggered:
        got = yield _first(sched, ev, wait)
    else:
        got = yield ev
    if got is None or isinstance(got, str):
        errno = got or "ETIMEDOUT"
        if got is None:
            # abandon the half-open connection as close(fd) does
            for key, c in list(proc.netns.tcp_conns.items()):
                if c.connected is ev:
                    c.state = "CLOSED"
                    c._drop()
        if verbose > 1 or (verbose and errno != "ECONNREFUSED"):
            proc.err(f"nc: {args[0]} ({dotted}): {ERRNO_TEXT.get(errno, errno)}\n")
        return 1
    conn = got
    if verbose:
        proc.err(f"{args[0]} ({dotted}) open\n")
    if opts.get("z"):
        conn.close()
        return 0
    return (yield from _readwrite(proc, conn, wait))


def _first(sched, ev, timeout):
    """An event: ``ev``'s value, or None after ``timeout`` seconds."""
    out = sched.event()
    ev.add_callback(lambda e: out.succeed(e.value))
    sched.call_later(timeout, out.succeed, None)
    return out


def _readwrite(proc, conn, wait):
    if proc.stdin:
        try:
            conn.send(proc.stdin.encode("latin-1", "replace"))
        except SocketError:
            pass
    conn.close()            # stdin at EOF: shutdown(SHUT_WR)
    netretry = 2
    while True:
        got = yield conn.recv(wait)
        if got is None:
            netretry -= 1
            if not netretry:
                return 0
            continue
        if not got or isinstance(got, str):
            return 0
        proc.out(got.decode("latin-1"))


def _udp_listen(proc, lport, wait):
    sock = UdpSocket(proc.netns)
    try:
        sock.bind("0.0.0.0", lport)
    except SocketError as e:
        proc.err(f"nc: bind: {ERRNO_TEXT.get(e.name, e.name)}\n")
        return 1
    sock.v6 = True
    try:
        got = yield sock.recvfrom(wait)
        if got is None:
            proc.err("nc: timeout\n")
            return 1
        while got is not None:
            if not isinstance(got, str):
                proc.out(got[0].decode("latin-1"))
            got = yield sock.recvfrom(wait)
        return 0
    finally:
        sock.close()
