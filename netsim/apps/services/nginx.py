"""nginx 1.25 as the official ``nginx`` image runs it: ``nginx -g 'daemon off;'``.

Follows the real server where a learner looks: it listens on port 80 (the
image's /etc/nginx/conf.d/default.conf) and serves /usr/share/nginx/html from
the container's filesystem (so ``docker cp``, ``-v …:/usr/share/nginx/html``
and ``docker exec … sh -c 'echo … > index.html'`` change what it answers);
``/`` is index.html, the stock "Welcome to nginx!" page the image ships.
Responses carry nginx's headers in its order (Server, Date, Content-Type,
Content-Length, Last-Modified, Connection, ETag, Accept-Ranges); errors are
nginx's built-in pages (``<center><h1>404 Not Found</h1></center>``, CRLF
lines, the version in the footer).  HTTP/1.1 connections are kept alive
(``keepalive_timeout 65``) unless the client asks ``Connection: close``.
The access log (``log_format main``) goes to stdout and the error log
(notices at start-up) to stderr, hence to ``docker logs``.

Plausible rather than recorded: the start-up notice lines (OS, rlimit,
worker PIDs), Last-Modified/ETag (every file has the image's mtime, 24 Oct
2023, the 1.25.3 release), and the configuration, which is fixed (no
nginx.conf parsing).  Without ``daemon off`` nginx daemonizes: the server
keeps running and the command returns 0, so as PID 1 the container exits.
"""
from __future__ import annotations

import time

from ...kernel.socket import SocketError
from ...kernel.tcp import TcpListener
from .http import http_date, locate, mime_of, read_request, wall

ROOT = "/usr/share/nginx/html"
PORT = 80
KEEPALIVE = 65.0
FILE_MTIME = 1698155207          # Tue, 24 Oct 2023 13:46:47 GMT
WORKERS = 2

REASONS = {200: "OK", 301: "Moved Permanently", 400: "Bad Request", 403: "Forbidden",
           404: "Not Found", 405: "Not Allowed", 500: "Internal Server Error"}


def version(proc) -> str:
    return proc.env.get("NGINX_VERSION", "1.25.3")


def _errlog(proc, level: str, text: str, pid: int = 1) -> None:
    stamp = time.strftime("%Y/%m/%d %H:%M:%S", time.gmtime(wall(proc.sched.now)))
    proc.err(f"{stamp} [{level}] {pid}#{pid}: {text}\n")


def error_page(code: int, ver: str) -> bytes:
    """ngx_http_special_response.c: the page, then ``ngx_http_error_tail``."""
    title = f"{code} {REASONS[code]}"
    return (f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
            f"<center><h1>{title}</h1></center>\r\n"
            f"<hr><center>nginx/{ver}</center>\r\n</body>\r\n</html>\r\n").encode()


def nginx_main(proc):
    args = proc.argv[1:]
    ver = version(proc)
    directives = ""
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-v", "-V"):
            proc.err(f"nginx version: nginx/{ver}\n")
            return 0
        if a == "-t":
            proc.err("nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n"
                     "nginx: configuration file /etc/nginx/nginx.conf test is successful\n")
            return 0
        if a == "-g" and i + 1 < len(args):
            directives += args[i + 1]
            i += 2
            continue
        if a in ("-c", "-p", "-e", "-s") and i + 1 < len(args):
            i += 2
            continue
        proc.err(f'nginx: invalid option: "{a.lstrip("-") or a}"\n')
        return 1
    daemon_off = "daemon off" in " ".join(directives.replace(";", " ; ").split())
    try:
        lst = TcpListener(proc.netns, "0.0.0.0", PORT)
    except SocketError:
        _errlog(proc, "emerg", f"bind() to 0.0.0.0:{PORT} failed (98: Address already in use)")
        proc.err(f"nginx: [emerg] bind() to 0.0.0.0:{PORT} failed (98: Address already in use)\n")
        return 1
    lst.v6 = False
    _errlog(proc, "notice", 'using the "epoll" event method')
    _errlog(proc, "notice", f"nginx/{ver}")
    _errlog(proc, "notice", "built by gcc 12.2.0 (Debian 12.2.0-14) ")
    _errlog(proc, "notice", "OS: Linux 6.1.0-13-amd64")
    _errlog(proc, "notice", "getrlimit(RLIMIT_NOFILE): 1048576:1048576")
    _errlog(proc, "notice", "start worker processes")
    for n in range(WORKERS):
        _errlog(proc, "notice", f"start worker process {29 + n}")
    server = _serve(proc, lst, ver)
    if daemon_off:
        return (yield from server)
    proc.sched.process(server, name="nginx")
    return 0


def _serve(proc, lst, ver):
    try:
        while True:
            conn = yield lst.accept(None)
            if conn is not None:
                proc.sched.process(_connection(proc, conn, ver), name="nginx-conn")
    finally:
        lst.close()


def _connection(proc, conn, ver):
    buf = b""
    while True:
        req, buf = yield from read_request(conn, buf, KEEPALIVE)
        if req is None:
            break
        keep = _respond(proc, conn, req, ver)
        if not keep:
            break
    conn.close()


def _respond(proc, conn, req, ver) -> bool:
    """Answer one request; whether the connection stays open."""
    keep = req.keep_alive if req.method else False
    head_only = req.method == "HEAD"
    location = None
    body = None
    mime = "text/html"
    if not req.method:
        code = 400
    elif req.method not in ("GET", "HEAD", "POST"):
        code = 405
    else:
        kind, full = locate(proc.fs, ROOT, req.path)
        if kind == "dir" and not req.path.endswith("/"):
            code = 301
            host = req.headers.get("host") or conn.local[0]
            location = f"http://{host}{req.path}/"
        elif kind == "dir":
            index = full.rstrip("/") + "/index.html"
            if proc.fs.exists(index) and not proc.fs.is_dir(index):
                kind, full = "file", index
            else:
                code = 403
        if kind == "file":
            code = 405 if req.method == "POST" else 200
            if code == 200:
                body = proc.fs.read(full).encode("utf-8", "replace")
                mime = mime_of(full)
        elif kind in ("missing",):
            code = 404
        elif kind == "bad":
            code = 400
    if code != 200:
        body = error_page(code, ver)
        if code == 400:
            keep = False
    now = http_date(wall(proc.sched.now))
    hdr = f"HTTP/1.1 {code} {REASONS[code]}\r\nServer: nginx/{ver}\r\nDate: {now}\r\n"
    hdr += f"Content-Type: {mime}\r\nContent-Length: {len(body)}\r\n"
    if code == 200:
        hdr += f"Last-Modified: {http_date(FILE_MTIME)}\r\n"
    if location:
        hdr += f"Location: {location}\r\n"
    hdr += f"Connection: {'keep-alive' if keep else 'close'}\r\n"
    if code == 200:
        hdr += f'ETag: "{FILE_MTIME:x}-{len(body):x}"\r\nAccept-Ranges: bytes\r\n'
    hdr += "\r\n"
    try:
        conn.send(hdr.encode("latin-1") + (b"" if head_only else body))
    except SocketError:
        return False
    _access_log(proc, conn, req, code, 0 if head_only else len(body))
    return keep


def _access_log(proc, conn, req, code: int, sent: int) -> None:
    stamp = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(wall(proc.sched.now)))
    ua = req.headers.get("user-agent", "-")
    ref = req.headers.get("referer", "-")
    proc.out(f'{conn.remote[0]} - - [{stamp}] "{req.line}" {code} {sent} "{ref}" "{ua}" "-"\n')
