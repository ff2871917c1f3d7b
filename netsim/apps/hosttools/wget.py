"""GNU Wget 1.21.3 (Debian 12's ``wget``, the reference host's), for HTTP.

``wget [-q] [-O FILE|-] [-S] [--spider] URL``: a GET (HEAD with
``--spider``) over the kernel model's TCP.  The log goes to stderr; exit
statuses are wget's (0 ok, 1 generic, 4 network failure, 8 server error
response).  Texts from tests/golden/host_wget.json: ``--DATE--  URL``,
``Resolving H (H)... IP``, ``Connecting to H (H)|IP|:P... connected.`` /
``failed: Connection refused.``, ``HTTP request sent, awaiting response...
200 OK``, ``Length: N [type]``, ``Saving to: ‘STDOUT’``, the dot progress
line and ``(RATE) - written to stdout [N/N]``, ``ERROR 404: Not Found.``.
The transfer rate comes from simulated time.
"""
from __future__ import annotations

import time

from ...kernel import tcp
from .. import libc
from ..busybox.wget import _Reader, _parse_url

USER_AGENT = "Wget/1.21.3"
EPOCH = 1795737600.0     # the simulated wall clock at t=0, as busybox httpd's
USAGE = "Usage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n"


def _opts(argv):
    o = {"quiet": False, "output": None, "server": False, "spider": False, "urls": []}
    it = iter(argv[1:])
    for a in it:
        if a.startswith("--"):
            name, eq, val = a[2:].partition("=")
            if name == "quiet":
                o["quiet"] = True
            elif name == "output-document":
                o["output"] = val if eq else next(it, None)
            elif name == "server-response":
                o["server"] = True
            elif name == "spider":
                o["spider"] = True
            elif name in ("no-verbose", "verbose", "no-check-certificate"):
                pass
            else:
                return None, f"wget: unrecognized option '{a}'\n"
            continue
        if a.startswith("-") and len(a) > 1:
            i = 1
            while i < len(a):
                c = a[i]
                if c == "q":
                    o["quiet"] = True
                elif c == "S":
                    o["server"] = True
                elif c in ("v", "n", "c"):
                    pass
                elif c == "O":
                    rest = a[i + 1:]
                    o["output"] = rest if rest else next(it, None)
                    if o["output"] is None:
                        return None, "wget: option requires an argument -- 'O'\n"
                    break
                else:
                    return None, f"wget: invalid option -- '{c}'\n"
                i += 1
            continue
        o["urls"].append(a)
    return o, None


def _clock(proc) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(EPOCH + proc.sched.now))


def _rate(nbytes: int, seconds: float) -> tuple[str, str]:
    """wget's ``retr_rate``: ``1.38 MB/s`` and the short ``1.38M`` of the dot line."""
    rate = nbytes / max(seconds, 1e-6)
    units = 0
    for _ in range(3):
        if rate < 1024:
            break
        rate /= 1024
        units += 1
    prec = 0 if rate >= 99.95 else 1 if rate >= 9.995 else 2
    long = f"{rate:.{prec}f} {['B/s', 'KB/s', 'MB/s', 'GB/s'][units]}"
    short = f"{rate:.{prec}f}{['', 'K', 'M', 'G'][units]}"
    return long, short


def wget_main(proc):
    opts, error = _opts(proc.argv)
    if error:
        proc.err(error + USAGE)
        return 2
    if not opts["urls"]:
        proc.err("wget: missing URL\n" + USAGE)
        return 1
    log = (lambda text: None) if opts["quiet"] else proc.err
    status = 0
    for url in opts["urls"]:
        code = yield from _fetch(proc, opts, url, log)
        status = status or code
    return status


def _fetch(proc, opts, url, log):
    full = url if "://" in url else "http://" + url
    parsed = _parse_url(full)
    if parsed is None:
        log(f"{url}: Unsupported scheme.\n")
        return 1
    _scheme, hostport, host, port, path = parsed
    full = f"http://{hostport}/{path}"
    if opts["spider"]:
        log("Spider mode enabled. Check if remote file exists.\n")
    log(f"--{_clock(proc)}--  {full}\n")
    numeric = all(p.isdigit() for p in host.split(".")) and host.count(".") == 3
    if numeric:
        addrs = [host]
    else:
        log(f"Resolving {host} ({host})... ")
        addrs = yield from libc.resolve(proc, host)
        if not addrs:
            log(f"failed: Name or service not known.\nwget: unable to resolve host address ‘{host}’\n")
            return 4
        log(", ".join(addrs) + "\n")
    conn = None
    for ip in addrs:
        where = f"{host}:{port}" if numeric else f"{host} ({host})|{ip}|:{port}"
        log(f"Connecting to {where}... ")
        conn = yield tcp.connect(proc.netns, (ip, port))
        if isinstance(conn, str):
            log("failed: Connection refused.\n")
            conn = None
            continue
        log("connected.\n")
        break
    if conn is None:
        return 4
    method = "HEAD" if opts["spider"] else "GET"
    conn.send(f"{method} /{path} HTTP/1.1\r\nHost: {hostport}\r\nUser-Agent: {USER_AGENT}\r\n"
              "Accept: */*\r\nAccept-Encoding: identity\r\nConnection: Keep-Alive\r\n\r\n".encode())
    reader = _Reader(conn)
    log("HTTP request sent, awaiting response... ")
    status_line = yield from reader.line()
    if status_line is None:
        conn.close()
        log("No data received.\n")
        return 4
    status_line = status_line.rstrip("\r")
    head = [status_line]
    headers = {}
    while True:
        line = yield from reader.line()
        if line is None or line.rstrip("\r") == "":
            break
        line = line.rstrip("\r")
        head.append(line)
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    parts = status_line.split(None, 2)
    code = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    reason = parts[2] if len(parts) > 2 else ""
    if opts["server"]:
        proc.err("".join(f"  {h}\n" for h in head))
        log("")
    else:
        log(f"{code} {reason}\n")
    if code >= 400:
        conn.close()
        log(f"{_clock(proc)} ERROR {code}: {reason}.\n\n")
        return 8
    clen = headers.get("content-length")
    ctype = headers.get("content-type")
    length = int(clen) if clen and clen.isdigit() else None
    log(f"Length: {length if length is not None else 'unspecified'}" + (f" [{ctype}]" if ctype else "") + "\n")
    if opts["spider"]:
        conn.close()
        log("Remote file exists and could contain further links,\n"
            "but recursion is disabled -- not retrieving.\n\n")
        return 0
    target = opts["output"] if opts["output"] is not None else (path.rsplit("/", 1)[-1] or "index.html")
    to_stdout = target == "-"
    log(f"Saving to: ‘{'STDOUT' if to_stdout else target}’\n")
    start = proc.sched.now
    body = yield from reader.rest(length)
    conn.close()
    text = body.decode("latin-1")
    if to_stdout:
        proc.out(text)
    else:
        try:
            proc.fs.write(proc.fs.norm(target, proc.cwd or "/"), text)
        except OSError as e:
            log(f"{target}: {e.strerror or 'No such file or directory'}\n")
            return 3
    long, short = _rate(len(body), proc.sched.now - start)
    total = f"{len(body)}/{length}" if length is not None else f"{len(body)}"
    log(f"\n     0K{'':55}100% {short}=0s\n\n")
    done = "written to stdout" if to_stdout else f"‘{target}’ saved"
    log(f"{_clock(proc)} ({long}) - {done} [{total}]\n\n")
    return 0
