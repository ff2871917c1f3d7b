"""busybox httpd: static files from the home directory of ``proc.fs``.

Listens on ``[::]:PORT`` (shown as ``:::PORT`` by netstat; IPv4 clients
arrive as mapped addresses) unless ``-p IP:PORT`` names an address.  Without
``-f`` it daemonizes: the server runs as a background process and the applet
returns 0 at once.  Each connection is served by its own process, as the
forked child does.  Headers are those of busybox 1.35's ``send_headers``
(Date, Connection, Content-type, Accept-Ranges, Last-Modified, ETag,
Content-Length); error pages are its built-in HTML.
"""
from __future__ import annotations

import dataclasses
import posixpath
import time
from urllib.parse import unquote

from ...kernel.socket import SocketError
from ...kernel.tcp import TcpListener
from .common import ERRNO_TEXT, UsageError, getopt, usage

EPOCH = 1795737600.0     # simulated time 0 on the wall clock (2026-11-27 00:00 UTC)

RESPONSES = {
    200: ("OK", None),
    302: ("Found", None),
    400: ("Bad Request", "Unsupported method"),
    403: ("Forbidden", ""),
    404: ("Not Found", "The requested URL was not found"),
    500: ("Internal Server Error", "Internal Server Error"),
    501: ("Not Implemented", "The requested method is not recognized"),
}

MIME = {
    "html": "text/html", "htm": "text/html", "css": "text/css", "txt": "text/plain",
    "js": "application/javascript", "json": "application/json", "xml": "text/xml",
    "gif": "image/gif", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
    "svg": "image/svg+xml", "ico": "image/x-icon", "pdf": "application/pdf",
    "tar": "application/x-tar", "gz": "application/x-gzip", "zip": "application/zip",
}

USAGE = "[-ifvv] [-c CONFFILE] [-p [IP:]PORT] [-u USER[:GRP]] [-r REALM] [-h HOME]\nor httpd -d/-e/-m STRING"


def _date(sched_now: float) -> str:
    return time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(EPOCH + sched_now))


def httpd_main(proc):
    try:
        opts, args = getopt(proc, "ifvc:d:e:h:m:p:r:u:", proc.argv[1:])
    except UsageError:
        return usage(proc, "httpd", USAGE)
    if "d" in opts:
        proc.out(unquote(opts["d"]) + "\n")
        return 0
    home = opts.get("h") or (proc.cwd or "/")
    home = proc.fs.norm(home, proc.cwd or "/")
    if not proc.fs.is_dir(home):
        proc.err(f"httpd: can't change directory to '{home}': No such file or directory\n")
        return 1
    bind = opts.get("p", "80")
    addr, v6 = "0.0.0.0", True
    if ":" in bind:
        addr, _, bind = bind.rpartition(":")
        v6 = False
    try:
        port = int(bind)
    except ValueError:
        proc.err(f"httpd: bad port '{bind}'\n")
        return 1
    try:
        lst = TcpListener(proc.netns, addr, port)
    except SocketError as e:
        proc.err(f"httpd: bind: {ERRNO_TEXT.get(e.name, e.name)}\n")
        return 1
    lst.v6 = v6
    lst.listen_backlog = 9             # xlisten(fd, 9)
    if opts.get("f"):
        return (yield from _serve(proc, lst, home, bool(opts.get("v"))))
    # bb_daemonize: fork, the child starts a session and serves, the parent exits
    daemon = dataclasses.replace(proc)
    task = proc.fork()
    daemon.attach(task)
    _spawn(daemon, task, _serve(daemon, lst, home, bool(opts.get("v"))), "httpd")
    if task is not None:
        proc.kernel.tasks.setsid(task)
    return 0


def _spawn(proc, task, gen, name):
    """Run ``gen`` as the program of ``task`` (a forked child): it ends when
    the task is killed, the task exits when it returns."""
    process = proc.kernel.sched.process(gen, name=name)
    if task is not None:
        task.on_kill = lambda sig, p=process: p.kill()
        process.add_callback(lambda ev, t=task: proc.kernel.tasks.exit(t))
    return process


def _serve(proc, lst, home, verbose):
    try:
        while True:
            conn = yield lst.accept(None)
            if conn is None:
                continue
            # each connection is served by a forked child
            child = dataclasses.replace(proc)
            task = proc.fork()
            child.attach(task)
            _spawn(child, task, _handle(child, conn, home, verbose), "httpd-conn")
    finally:
        lst.close()


def _handle(proc, conn, home, verbose):
    sched = proc.kernel.sched
    buf = b""
    while b"\r\n\r\n" not in buf and b"\n\n" not in buf:
        got = yield conn.recv(60)
        if not got or isinstance(got, str):
            break
        buf += got
    if not buf:
        conn.close()                 # eof before a request line: no page, just close
        return
    text = buf.decode("latin-1")
    first = text.split("\n", 1)[0].rstrip("\r")
    # "METHOD /url HTTP/x": exactly one space after the method, the URL
    # starts with '/', and " HTTP/" follows it
    method, sp, rest = first.partition(" ")
    if not sp or not rest.startswith("/"):
        _respond(conn, sched, 400, None, None)
        return
    url, sp, proto = rest.partition(" ")
    if not sp or not proto.startswith("HTTP/"):
        _respond(conn, sched, 400, None, None)
        return
    if verbose:
        proc.err(f"{conn.remote[0]}:{conn.remote[1]}: url:{url}\n")
    # GET and HEAD; with CGI (Debian's build) any method gets as far as
    # the file, and is refused there (501)
    method = method.upper() if method.upper() in ("GET", "HEAD") else method
    raw = url.split("?", 1)[0]
    if "%2f" in raw.lower() or "%00" in raw:
        _respond(conn, sched, 404, None, None)
        return
    path = _canonical(unquote(raw))
    if path is None:
        _respond(conn, sched, 400, None, None)
        return
    fs = proc.fs
    full = fs.norm(home.rstrip("/") + path)
    if path.endswith("/"):
        full = posixpath.join(full, "index.html")
    elif fs.is_dir(full):
        _respond(conn, sched, 302, None, None, location=path + "/")
        return
    if method not in ("GET", "HEAD"):
        if path.endswith("/") and not fs.exists(full):
            _respond(conn, sched, 404, None, None)      # no index.html, no index.cgi
            return
        # POST / DELETE / PUT / OPTIONS for files do not make sense
        _respond(conn, sched, 501, None, None)
        return
    try:
        body = fs.read(full)
    except (FileNotFoundError, IsADirectoryError):
        _respond(conn, sched, 404, None, None)
        return
    ext = full.rsplit(".", 1)[-1].lower() if "." in posixpath.basename(full) else ""
    mime = MIME.get(ext, "application/octet-stream")
    # HEAD asks for SEND_HEADERS only, but send_file_and_exit() never
    # tests SEND_BODY: the file follows the headers all the same
    _respond(conn, sched, 200, body.encode("latin-1", "replace"), mime)


def _canonical(url: str):
    """httpd's in-place path canonicalization: duplicate slashes and "/./"
    go, ".." removes the previous component and is a bad request at the
    root; a trailing slash stays.  None for a bad request."""
    out = []
    comps = url.split("/")[1:]
    for i, c in enumerate(comps):
        last = i == len(comps) - 1
        if c == "" and not last:
            continue
        if c == ".":
            continue
        if c == "..":
            if not out:
                return None
            out.pop()
            continue
        out.append(c)
    res = "/" + "/".join(out)
    if comps and comps[-1] in (".", "..") and not res.endswith("/"):
        res += "/"
    return res


def _respond(conn, sched, code, body, mime, location=None):
    name, info = RESPONSES[code]
    now = _date(sched.now)
    hdr = f"HTTP/1.1 {code} {name}\r\nDate: {now}\r\nConnection: close\r\n"
    if code != 200 or mime:
        hdr += f"Content-type: {'text/html' if code != 200 else mime}\r\n"
    if location:
        hdr += f"Location: {location}\r\n"
    if body is not None:
        mtime = int(EPOCH)
        hdr += ("Accept-Ranges: bytes\r\n"
                f"Last-Modified: {_date(0)}\r\n"
                f"ETag: \"{mtime:x}-{len(body):x}\"\r\n"
                f"Content-Length: {len(body)}\r\n")
    hdr += "\r\n"
    if info is not None:
        hdr += (f"<HTML><HEAD><TITLE>{code} {name}</TITLE></HEAD>\n"
                f"<BODY><H1>{code} {name}</H1>\n{info}\n</BODY></HTML>\n")
    # send_headers() writes the headers, then send_file_and_exit() the file:
    # two writes, two segments on the wire.
    try:
        conn.send(hdr.encode("latin-1"))
        if body:
            conn.send(body)
    except SocketError:
        return
    conn.close()
