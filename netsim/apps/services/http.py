"""HTTP/1.1 plumbing shared by the web servers of the images (nginx, Tomcat):
reading request heads from a kept-alive connection, dates, MIME types, and
resolving a URL path against a document root in the container's filesystem.
"""
from __future__ import annotations

import posixpath
import time
from dataclasses import dataclass, field
from urllib.parse import unquote

from ..busybox.httpd import EPOCH, MIME

__all__ = ["EPOCH", "MIME", "Request", "read_request", "http_date", "wall", "mime_of", "locate"]

MAX_HEAD = 8192


@dataclass
class Request:
    method: str
    target: str
    version: str
    headers: dict = field(default_factory=dict)   # lower-case names

    @property
    def line(self) -> str:
        return f"{self.method} {self.target} {self.version}".rstrip()

    @property
    def path(self) -> str:
        return unquote(self.target.split("?", 1)[0])

    @property
    def keep_alive(self) -> bool:
        conn = self.headers.get("connection", "").lower()
        if self.version == "HTTP/1.1":
            return conn != "close"
        return conn == "keep-alive"


def read_request(conn, buf: bytes, timeout: float | None):
    """A generator: ``(Request | None, rest)``; None when the peer closed,
    reset or stayed silent ``timeout`` seconds, or sent garbage (then the
    request's method is ""."""
    while b"\r\n\r\n" not in buf and b"\n\n" not in buf:
        if len(buf) > MAX_HEAD:
            return Request("", "", ""), b""
        got = yield conn.recv(timeout)
        if not got or isinstance(got, str):
            return None, b""
        buf += got
    sep = b"\r\n\r\n" if b"\r\n\r\n" in buf else b"\n\n"
    head, _, rest = buf.partition(sep)
    lines = head.decode("latin-1").replace("\r\n", "\n").split("\n")
    parts = lines[0].split()
    if len(parts) == 2:
        parts.append("HTTP/0.9")
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        return Request("", "", ""), b""
    headers = {}
    for line in lines[1:]:
        k, sep2, v = line.partition(":")
        if sep2:
            headers[k.strip().lower()] = v.strip()
    req = Request(parts[0], parts[1], parts[2], headers)
    clen = headers.get("content-length", "")
    if clen.isdigit():                       # skip a request body
        need = int(clen)
        while len(rest) < need:
            got = yield conn.recv(timeout)
            if not got or isinstance(got, str):
                return None, b""
            rest += got
        rest = rest[need:]
    return req, rest


def wall(now: float) -> float:
    """Simulated time → the wall clock (the same epoch as busybox httpd)."""
    return EPOCH + now


def http_date(t: float) -> str:
    return time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(t))


def mime_of(path: str, default: str = "application/octet-stream") -> str:
    base = posixpath.basename(path)
    ext = base.rsplit(".", 1)[-1].lower() if "." in base else ""
    return MIME.get(ext, default)


def locate(fs, root: str, path: str):
    """``(kind, fs_path)`` of a URL path under ``root``: kind is "file",
    "dir" (an existing directory), "missing" or "bad" (it climbs above /)."""
    if not path.startswith("/"):
        return "bad", None
    norm = posixpath.normpath(path)
    if norm.startswith("/.."):
        return "bad", None
    full = fs.norm(root.rstrip("/") + ("" if norm == "/" else norm))
    if fs.is_dir(full):
        return "dir", full
    try:
        fs.read(full)
    except (FileNotFoundError, IsADirectoryError, OSError):
        return "missing", full
    return "file", full
