"""``curl`` as Debian 12's curl 7.88 behaves for the options tutorials use.

``curl [-s] [-S] [-i] [-I] [-o FILE] [-w FORMAT] URL``: an HTTP/1.1 GET (or
HEAD) over the kernel model's TCP.  Messages and exit statuses follow the
reference host (tests/golden/host_published_port.json): a refused
connection is ``curl: (7) Failed to connect to IP port P after N ms:
Couldn't connect to server``, printed unless ``-s`` is given without ``-S``.
"""
from __future__ import annotations

from ...kernel import tcp
from .. import libc
from ..busybox.wget import _Reader, _parse_url

USER_AGENT = "curl/7.88.1"


def _opts(argv: list[str]):
    opts = {"silent": False, "show_error": False, "include": False, "head": False,
            "output": None, "write_out": None, "url": None}
    it = iter(argv[1:])
    for arg in it:
        if arg.startswith("-") and not arg.startswith("--") and len(arg) > 2 and arg[1] not in "ow":
            flags = arg[1:]
        elif arg in ("-o", "--output"):
            opts["output"] = next(it, None)
            continue
        elif arg in ("-w", "--write-out"):
            opts["write_out"] = next(it, None)
            continue
        else:
            flags = {"-s": "s", "--silent": "s", "-S": "S", "--show-error": "S", "-i": "i",
                     "--include": "i", "-I": "I", "--head": "I", "-L": "", "--location": "",
                     "-f": "", "--fail": ""}.get(arg)
            if flags is None:
                if arg.startswith("-"):
                    return None, f"curl: option {arg}: is unknown"
                opts["url"] = arg
                continue
        for f in flags:
            key = {"s": "silent", "S": "show_error", "i": "include", "I": "head"}.get(f)
            if key:
                opts[key] = True
    return opts, None


def curl_main(proc):
    opts, error = _opts(proc.argv)
    if error:
        proc.err(error + "\ncurl: try 'curl --help' or 'curl --manual' for more information\n")
        return 2
    if not opts["url"]:
        proc.err("curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n")
        return 2
    url = opts["url"] if "://" in opts["url"] else "http://" + opts["url"]
    parsed = _parse_url(url)
    if parsed is None:
        return _fail(proc, opts, 1, f'Protocol "{url.split("://")[0]}" not supported or disabled in libcurl')
    _scheme, hostport, host, port, path = parsed
    start = proc.sched.now
    addrs = yield from libc.resolve(proc, host)
    if not addrs:
        return _fail(proc, opts, 6, f"Could not resolve host: {host}")
    ip = addrs[0]
    conn = yield tcp.connect(proc.netns, (ip, port))
    if isinstance(conn, str):
        ms = int((proc.sched.now - start) * 1000)
        return _fail(proc, opts, 7, f"Failed to connect to {host} port {port} after {ms} ms: "
                                    "Couldn't connect to server")
    method = "HEAD" if opts["head"] else "GET"
    conn.send(f"{method} /{path} HTTP/1.1\r\nHost: {hostport}\r\nUser-Agent: {USER_AGENT}\r\n"
              "Accept: */*\r\n\r\n".encode())
    reader = _Reader(conn)
    status_line = yield from reader.line()
    if status_line is None:
        conn.close()
        if reader.error == "ECONNRESET":
            return _fail(proc, opts, 56, "Recv failure: Connection reset by peer")
        return _fail(proc, opts, 52, "Empty reply from server")
    head = [status_line]
    headers = {}
    while True:
        line = yield from reader.line()
        if line is None or line == "":
            break
        head.append(line)
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    parts = status_line.split(None, 2)
    code = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    body = b""
    if not opts["head"]:
        clen = headers.get("content-length")
        body = yield from reader.rest(int(clen) if clen and clen.isdigit() else None)
    conn.close()
    text = ""
    if opts["include"] or opts["head"]:
        text += "".join(h + "\r\n" for h in head) + "\r\n"
    text += body.decode("utf-8", errors="replace")
    if opts["output"] not in (None, "-"):
        if opts["output"] != "/dev/null":
            proc.fs.write(proc.fs.norm(opts["output"], proc.cwd or "/"), text)
    else:
        proc.out(text)
    if opts["write_out"] is not None:
        proc.out(_write_out(opts["write_out"], code))
    return 0


def _write_out(fmt: str, code: int) -> str:
    out = fmt.replace("%{http_code}", f"{code:03d}").replace("%{response_code}", f"{code:03d}")
    return out.replace("\\n", "\n").replace("\\t", "\t")


def _fail(proc, opts, code: int, message: str) -> int:
    if not opts["silent"] or opts["show_error"]:
        proc.err(f"curl: ({code}) {message}\n")
    return code
