"""busybox wget: HTTP/1.1 GET over the kernel model's TCP."""
from __future__ import annotations

import posixpath

from ...kernel import tcp
from .. import libc
from .common import ERRNO_TEXT, UsageError, getopt, usage

USAGE = "[-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] URL..."
LONG = {"--quiet": "-q", "--server-response": "-S", "--output-document": "-O",
        "--continue": "-c", "--spider": "--spider", "--timeout": "-T"}


class _Die(Exception):
    def __init__(self, code=1):
        self.code = code


def _parse_url(url: str):
    if "://" in url:
        scheme, rest = url.split("://", 1)
        scheme = scheme.lower()
    else:
        scheme, rest = "http", url
    if scheme not in ("http", "https", "ftp"):
        return None
    hostport, slash, path = rest.partition("/")
    path = path.split("#", 1)[0]
    default = {"http": 80, "https": 443, "ftp": 21}[scheme]
    host, port = hostport, default
    if ":" in hostport:
        h, _, p = hostport.rpartition(":")
        if p.isdigit():
            host, port = h, int(p)
    if "@" in host:
        host = host.split("@", 1)[1]
        hostport = hostport.split("@", 1)[1]
    return scheme, hostport, host, port, path


def _progress(curfile: str, total: int, got: int) -> str:
    line = f"{curfile[:20]:<20} "
    if total:
        ratio = 100 * got // total
        stars = 32 * got // total
        line += f"{ratio:3d}% |{'*' * stars:<32}| "
    line += _smart5(got)
    if not total or not got:
        line += " --:--:-- ETA"
    else:
        line += "  0:00:00 ETA"
    return line + "\n"


def _smart5(n: int) -> str:
    if n < 100000:
        return f"{n:5d}"
    units = " kMGTPEZY"
    i = 0
    while n >= 100000:
        n //= 1024
        i += 1
    if n < 1000:
        return f"{n:4d}{units[i]}"
    return f"{n:4d}{units[i]}"


def wget_main(proc):
    argv = []
    for a in proc.argv[1:]:
        if a.startswith("--"):
            k, eq, v = a.partition("=")
            if k in ("--timeout",):
                return 139          # FEATURE_WGET_TIMEOUT off: getopt32 segfaults
            if k in LONG and LONG[k].startswith("-") and not LONG[k].startswith("--"):
                argv.append(LONG[k])
                if eq:
                    argv.append(v)
                continue
            if k == "--spider":
                argv.append("-Z")
                continue
            if k in ("--header", "--post-data", "--post-file", "--no-check-certificate"):
                continue
        argv.append(a)
    try:
        opts, urls = getopt(proc, "cqSZO:o:P:Y:U:T:+t:n:", argv)
    except UsageError:
        return usage(proc, "wget", USAGE)
    if "T" in opts:
        return 139                  # see module docstring of the package
    if not urls:
        return usage(proc, "wget", USAGE)
    quiet = bool(opts.get("q"))
    try:
        for url in urls:
            yield from _download(proc, url, opts, quiet)
    except _Die as d:
        return d.code
    return 0


def _die(proc, msg):
    proc.err(f"wget: {msg}\n")
    raise _Die(1)


def _download(proc, url, opts, quiet):
    parsed = _parse_url(url)
    if parsed is None:
        _die(proc, f"not an http or ftp url: {url}")
    scheme, hostport, host, port, path = parsed
    out_name = opts.get("O")
    to_stdout = out_name == "-"
    if out_name is None:
        base = path.split("?", 1)[0].rsplit("/", 1)[-1]
        out_name = base or "index.html"
        if opts.get("P"):
            out_name = posixpath.join(opts["P"], out_name)
    redirects = 16
    while True:
        addrs = yield from libc.resolve(proc, host)
        if not addrs:
            _die(proc, f"bad address '{host}'")
        ip = addrs[0]
        if not quiet:
            proc.err(f"Connecting to {hostport} ({ip}:{port})\n")
        conn = yield tcp.connect(proc.netns, (ip, port))
        if isinstance(conn, str):
            _die(proc, f"can't connect to remote host ({ip}): {ERRNO_TEXT.get(conn, conn)}")
        req = (f"GET /{path} HTTP/1.1\r\nHost: {hostport}\r\n"
               f"User-Agent: Wget\r\nConnection: close\r\n\r\n")
        conn.send(req.encode())
        reader = _Reader(conn)
        status_line = yield from reader.line()
        if status_line is None:
            _die(proc, "error getting response: Connection reset by peer")
        status_line = _sanitize(status_line)
        if opts.get("S"):
            proc.err(f"  {status_line}\n")
        parts = status_line.split(None, 2)
        try:
            status = int(parts[1])
        except (IndexError, ValueError):
            status = 0
        if status not in (0, 100, 200, 201, 202, 203, 204, 300, 301, 302, 303, 307, 308):
            # busybox checks the status before reading the headers: with -S
            # an error shows its status line only
            conn.close()
            _die(proc, f"server returned error: {status_line}")
        headers = {}
        while True:
            h = yield from reader.line()
            if h is None or h in ("", "\r"):
                if h is not None and opts.get("S"):
                    proc.err("  \n")      # busybox shows the empty line ending the headers too
                break
            h = _sanitize(h)
            if opts.get("S"):
                proc.err(f"  {h}\n")
            k, _, v = h.partition(":")
            headers[k.strip().lower()] = v.strip()
        if status in (301, 302, 303, 307, 308) and "location" in headers:
            conn.close()
            redirects -= 1
            if redirects == 0:
                _die(proc, "too many redirections")
            loc = headers["location"]
            if "://" in loc:
                parsed = _parse_url(loc)
                if parsed is None:
                    _die(proc, f"not an http or ftp url: {loc}")
                scheme, hostport, host, port, path = parsed
            else:
                path = loc.lstrip("/") if loc.startswith("/") else posixpath.join(posixpath.dirname(path), loc)
            continue
        if status not in (200, 201, 202, 203, 204, 206):
            conn.close()
            _die(proc, f"server returned error: {status_line}")
        break
    if opts.get("Z"):
        # --spider: the headers say the file is there; nothing is opened or read
        conn.close()
        if not quiet:
            proc.err("remote file exists\n")
        return
    clen = headers.get("content-length")
    total = int(clen) if clen and clen.isdigit() else None
    chunked = headers.get("transfer-encoding", "").lower() == "chunked"
    # open the output
    fpath = None
    if not to_stdout:
        fpath = proc.fs.norm(out_name, proc.cwd or "/")
        if "O" not in opts and proc.fs.exists(fpath):
            conn.close()
            _die(proc, f"can't open '{out_name}': File exists")
        try:
            proc.fs.write(fpath, "")
        except (FileNotFoundError, IsADirectoryError) as e:
            conn.close()
            why = "Is a directory" if isinstance(e, IsADirectoryError) else "No such file or directory"
            _die(proc, f"can't open '{out_name}': {why}")
    if not quiet:
        proc.err("writing to stdout\n" if to_stdout else f"saving to '{out_name}'\n")
    body = yield from reader.rest(total)
    if chunked:
        body = _dechunk(body)
    text = body.decode("latin-1")
    if to_stdout:
        proc.out(text)
    else:
        proc.fs.write(fpath, text)
    conn.close()
    if not quiet:
        curfile = "-" if to_stdout else posixpath.basename(out_name)
        if total is not None and not chunked:
            proc.err(_progress(curfile, total, len(body)))
        proc.err("written to stdout\n" if to_stdout else f"'{out_name}' saved\n")
    if total is not None and len(body) < total:
        _die(proc, "connection closed prematurely")


def _sanitize(s: str) -> str:
    for i, c in enumerate(s):
        if ord(c) < 0x20 and c != "\t":
            return s[:i]
    return s


def _dechunk(data: bytes) -> bytes:
    out = b""
    while data:
        line, _, data = data.partition(b"\r\n")
        try:
            n = int(line.split(b";")[0], 16)
        except ValueError:
            break
        if n == 0:
            break
        out += data[:n]
        data = data[n + 2:]
    return out


class _Reader:
    """Buffered reads from a TCP connection (``fgets`` on the socket FILE)."""

    def __init__(self, conn):
        self.conn = conn
        self.buf = b""
        self.eof = False
        self.error: str | None = None     # the errno that ended the stream (ECONNRESET)

    def _more(self):
        if self.eof:
            return False
        got = yield self.conn.recv(None)
        if not got or isinstance(got, str):
            self.eof = True
            self.error = got if isinstance(got, str) else None
            return False
        self.buf += got
        return True

    def line(self):
        while b"\n" not in self.buf:
            if not (yield from self._more()):
                if self.buf:
                    line, self.buf = self.buf, b""
                    return line.decode("latin-1")
                return None
        line, _, self.buf = self.buf.partition(b"\n")
        return line.decode("latin-1").rstrip("\r")

    def rest(self, total):
        while total is None or len(self.buf) < total:
            if not (yield from self._more()):
                break
        data = self.buf if total is None else self.buf[:total]
        self.buf = b""
        return data
