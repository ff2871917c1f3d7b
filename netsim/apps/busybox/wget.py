"""busybox wget: HTTP/1.1 GET over the kernel model's TCP."""
from __future__ import annotations

import posixpath

from ...kernel import tcp
from .. import libc
from .common import ERRNO_TEXT, UsageError, getopt, usage

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


# getopt_long table: name -> (takes an argument, short option or None when ignored)
LONGOPTS = {
    "continue": (False, "c"), "quiet": (False, "q"), "server-response": (False, "S"),
    "output-document": (True, "O"), "output-file": (True, "o"),
    "directory-prefix": (True, "P"), "proxy": (True, "Y"), "user-agent": (True, "U"),
    "timeout": (True, "T"), "tries": (True, "t"),
    "header": (True, "header"), "post-data": (True, "post-data"), "spider": (False, "Z"),
    "no-check-certificate": (False, None), "post-file": (True, "post-file"),
    "passive-ftp": (False, None), "no-cache": (False, None), "no-verbose": (False, None),
    "no-clobber": (False, None), "no-host-directories": (False, None), "no-parent": (False, None),
}


def _long_opts(proc, args):
    """glibc getopt_long's long options (unique prefixes allowed), turned
    into short ones; --header/--post-data/--post-file collected apart."""
    argv, extra = [], {"header": []}
    i = 0
    while i < len(args):
        a = args[i]
        i += 1
        if a == "--":
            argv += args[i - 1:]
            break
        if not a.startswith("--"):
            argv.append(a)
            continue
        name, eq, val = a[2:].partition("=")
        if name in LONGOPTS:
            match = [name]
        else:
            match = [n for n in LONGOPTS if n.startswith(name)]
        if not match:
            proc.err(f"wget: unrecognized option '--{name}'\n")
            raise UsageError(name)
        if len(match) > 1:
            proc.err(f"wget: option '--{name}' is ambiguous; possibilities:"
                     + "".join(f" '--{m}'" for m in match) + "\n")
            raise UsageError(name)
        name = match[0]
        takes, short = LONGOPTS[name]
        if takes and not eq:
            if i >= len(args):
                proc.err(f"wget: option '--{name}' requires an argument\n")
                raise UsageError(name)
            val, i = args[i], i + 1
        elif not takes and eq:
            proc.err(f"wget: option '--{name}' doesn't allow an argument\n")
            raise UsageError(name)
        if short is None:
            continue
        if short == "header":
            extra["header"].append(val)
        elif short in ("post-data", "post-file"):
            extra[short] = val
        elif takes:
            argv += [f"-{short}", val]
        else:
            argv.append(f"-{short}")
    return argv, extra


def wget_main(proc):
    from .usage_texts import USAGE as TEXTS
    try:
        argv, extra = _long_opts(proc, proc.argv[1:])
        opts, urls = getopt(proc, "cqSZO:o:P:Y:U:T:+t:n:", argv)
    except UsageError:
        return usage(proc, "wget", TEXTS["wget"])
    if "T" in opts:
        return 139                  # see module docstring of the package
    if not urls:
        return usage(proc, "wget", TEXTS["wget"])
    opts["headers"] = extra["header"]
    if "post-data" in extra:
        opts["post"] = extra["post-data"]
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
    resolve = True
    while True:
        if resolve:
            addrs = yield from libc.resolve(proc, host)
            if not addrs:
                _die(proc, f"bad address '{host}'")
            ip = addrs[0]
            if not quiet:
                proc.err(f"Connecting to {hostport} ({ip}:{port})\n")
        conn = yield tcp.connect(proc.netns, (ip, port))
        if isinstance(conn, str):
            _die(proc, f"can't connect to remote host ({ip}): {ERRNO_TEXT.get(conn, conn)}")
        req = _request(opts, path, hostport)
        conn.send(req.encode())
        reader = _Reader(conn)
        while True:
            status_line = yield from _fgets(proc, reader, opts)
            status = _atoi(status_line.lstrip(" \t\n").split(None, 1)[1]
                           if len(status_line.split(None, 1)) > 1 else "")
            if status not in (0, 100):
                break
            # eat the remaining headers, read the next response
            while (yield from _fgets(proc, reader, opts)) != "":
                pass
        if status not in (0, 100, 200, 201, 202, 203, 204, 300, 301, 302, 303, 307, 308):
            # busybox checks the status before reading the headers: with -S
            # an error shows its status line only
            conn.close()
            _die(proc, f"server returned error: {status_line}")
        headers = {}
        location = None
        while True:
            # get_sanitized_hdr: every line is shown with -S, the empty one too
            h = yield from _fgets(proc, reader, opts)
            if h == "":
                break
            n = 0
            while n < len(h) and (h[n].isalnum() or h[n] in "-._"):
                n += 1
            if n >= len(h) or h[n] != ":":
                _die(proc, f"bad header line: {h[:n].lower() + h[n:]}")
            k, v = h[:n].lower(), h[n + 1:].strip(" \t")
            headers[k] = v
            if k == "content-length":
                if not v.isdigit():
                    _die(proc, f"content-length {v} is garbage")
            if k == "location" and status >= 300:
                location = v      # acted on at once: the rest is never read
                break
        if location is not None:
            conn.close()
            redirects -= 1
            if redirects == 0:
                _die(proc, "too many redirections")
            if location.startswith("/"):
                path = location[1:]          # same server: no new "Connecting to"
                resolve = False
                continue
            parsed = _parse_url(location)    # anything else is a URL
            if parsed is None:
                _die(proc, f"not an http or ftp url: {location}")
            scheme, hostport, host, port, path = parsed
            resolve = True
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


def _request(opts, path, hostport):
    """The request as busybox writes it: Host and User-Agent unless the
    user gives them with --header, then the user's headers."""
    user = opts.get("headers") or []
    names = {h.split(":", 1)[0].strip().lower() for h in user}
    post = opts.get("post")
    req = f"{'POST' if post is not None else 'GET'} /{path} HTTP/1.1\r\n"
    if "host" not in names:
        req += f"Host: {hostport}\r\n"
    if "user-agent" not in names:
        req += f"User-Agent: {opts.get('U') or 'Wget'}\r\n"
    req += "Connection: close\r\n"
    req += "".join(f"{h}\r\n" for h in user)
    if post is not None:
        if "content-type" not in names:
            req += "Content-Type: application/x-www-form-urlencoded\r\n"
        req += f"Content-Length: {len(post)}\r\n\r\n{post}"
    else:
        req += "\r\n"
    return req


def _fgets(proc, reader, opts):
    """fgets_trim_sanitize(fp, "  %s\n"): a line, cut at its first control
    character, shown with -S; end of stream dies with "error getting
    response" (and the errno when the stream ended with one)."""
    line = yield from reader.line()
    if line is None:
        if reader.error:
            _die(proc, f"error getting response: {ERRNO_TEXT.get(reader.error, reader.error)}")
        _die(proc, "error getting response")
    line = _sanitize(line)
    if opts.get("S"):
        proc.err(f"  {line}\n")
    return line


def _atoi(s: str) -> int:
    s = s.lstrip(" \t\n\v\f\r")
    n = 0
    while n < len(s) and (s[n].isdigit() or (n == 0 and s[n] in "+-")):
        n += 1
    try:
        return int(s[:n])
    except ValueError:
        return 0


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
