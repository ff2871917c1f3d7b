"""busybox nslookup (FEATURE_NSLOOKUP_BIG): its own resolver, not libc's.

Reads ``nameserver`` and ``search``/``domain`` from /etc/resolv.conf (or takes
the server from the command line), sends the A and AAAA queries at once over
one UDP socket, resends unanswered ones every ``timeout/retry`` (2.5 s) until
``timeout`` (5 s), and prints each reply as it arrives: this is why an empty
AAAA answer that overtakes the A answer shows as an extra
``Non-authoritative answer:`` block.
"""
from __future__ import annotations

import ipaddress

from ...kernel.socket import SocketError, UdpSocket
from ...proto import dns
from .. import libc
from .common import ERRNO_TEXT

RCODES = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN",
          "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE", "11", "12", "13", "14", "15"]
QTYPES = {"A": 1, "CNAME": 5, "NS": 2, "SOA": 6, "PTR": 12, "MX": 15, "TXT": 16,
          "AAAA": 28, "SRV": 33, "ANY": 255}
USAGE = ("BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\n"
         "Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\n"
         "Query DNS about HOST\n\n"
         "QUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n")


def make_ptr(text: str) -> str | None:
    try:
        a = ipaddress.ip_address(text)
    except ValueError:
        return None
    return a.reverse_pointer


def nslookup_main(proc):
    args = proc.argv[1:]
    types: list[int] = []
    port, retry, timeout, debug = 53, 2, 5, False
    while args and args[0].startswith("-"):
        arg = args.pop(0)[1:]
        key, eq, val = arg.partition("=")
        names = ["type", "querytype", "port", "retry", "debug", "t", "timeout"]
        hits = [n for n in names if n.startswith(key)] if key else []
        if key in names:
            hits = [key]
        if not hits:
            proc.err(USAGE)
            return 1
        k = hits[0]
        if k in ("type", "querytype"):
            if val.upper() not in QTYPES:
                proc.err(f'nslookup: invalid query type "{val}"\n')
                return 1
            t = QTYPES[val.upper()]
            if t not in types:
                types.append(t)
        elif k == "port":
            port = int(val)
        elif k == "retry":
            retry = max(1, int(val))
        elif k == "debug":
            debug = True
        else:
            timeout = max(1, int(val))
    if not args or len(args) > 2:
        proc.err(USAGE)
        return 1
    name = args[0]

    servers: list[str] = []
    search = None
    if len(args) == 2:
        servers.append(args[1])
    else:
        try:
            text = proc.fs.read("/etc/resolv.conf")
        except (FileNotFoundError, IsADirectoryError):
            text = ""
        have_search = False
        for line in text.splitlines():
            words = line.split(None, 1)
            if len(words) < 2:
                continue
            key, arg = words[0], words[1].strip()
            if key == "domain":
                if not have_search:
                    search = arg
            elif key == "search":
                have_search = True
                search = arg
            elif key == "nameserver":
                servers.append(arg)
        if not servers:
            servers.append("127.0.0.1")
    if search is None and "." in proc.hostname:
        search = proc.hostname.split(".", 1)[1]
    if search == ".":
        search = None

    queries: list[dict] = []

    def add(qtype, qname):
        if qtype == dns.PTR or not search or "." in qname:
            queries.append({"name": qname, "type": qtype})
        else:
            for dom in search.split():
                queries.append({"name": f"{qname}.{dom}", "type": qtype})

    if not types:
        ptr = make_ptr(name)
        if ptr:
            queries.append({"name": ptr, "type": dns.PTR})
        else:
            add(dns.A, name)
            add(dns.AAAA, name)
    else:
        for t in sorted(types, key=lambda t: list(QTYPES.values()).index(t)):
            add(t, name)
    for q in queries:
        q["id"] = proc.kernel.rng.randrange(1 << 16)
        q["done"] = False

    state = {"exit": 0}
    for server in servers:
        addrs = yield from libc.resolve(proc, server)
        if not addrs:
            proc.err(f"nslookup: bad address '{server}'\n")
            return 1
        n = yield from _send_queries(proc, server, addrs[0], port, queries, timeout, retry, state,
                                     debug)
        if n > 0:
            break
    else:
        proc.out(";; connection timed out; no servers could be reached\n\n")
        return 1
    missing = [q for q in queries if not q["done"]]
    for q in missing:
        proc.out(f"*** Can't find {q['name']}: No answer\n")
    if missing:
        proc.out("\n")
    return state["exit"]


def _send_queries(proc, server_name, server_ip, port, queries, timeout, retry, state,
                  debug=False):
    sched = proc.kernel.sched
    sock = UdpSocket(proc.netns)
    sock.bind()
    sock.peer = (server_ip, port)
    replies = 0
    header_done = False
    loopback = server_ip.startswith("127.")
    try:
        tstart = sched.now
        retry_interval = timeout / retry
        tsent = None
        while True:
            now = sched.now
            if tsent is None or now - tsent >= retry_interval - 1e-9:
                if now - tstart >= timeout - 1e-9 and tsent is not None:
                    break
                first = True
                for q in queries:
                    if q["done"]:
                        continue
                    if not first and loopback:
                        # on lo the ICMP error comes back inside sendto():
                        # the socket's pending error fails the next write
                        yield LOOPBACK_ROUND_TRIP
                    first = False
                    pending = _pending_error(sock)
                    try:
                        if pending:
                            raise SocketError(pending)
                        sock.sendto(dns.Message(q["id"], q["name"], q["type"]).pack(), (server_ip, port))
                    except SocketError as e:
                        proc.err(f"nslookup: write to '{server_name}': {ERRNO_TEXT.get(e.name, e.name)}\n")
                        return -1
                tsent = now
                servfail_retry = 2 * len(queries)
            wait = min(retry_interval - (now - tsent), timeout - (now - tstart))
            if wait <= 0:
                if now - tstart >= timeout - 1e-9:
                    break
                continue
            got = yield sock.recvfrom(wait)
            if got is None:
                continue
            if isinstance(got, str):
                _pending_error(sock)   # one pending error (sk_err) per read
                proc.err(f"nslookup: read: {ERRNO_TEXT.get(got, got)}\n")
                continue
            data, _src = got
            if not header_done:
                header_done = True
                proc.out(f"Server:\t\t{server_name}\nAddress:\t{server_ip}:{port}\n\n")
            try:
                msg = dns.Message.unpack(data)
            except Exception:
                continue
            q = next((q for q in queries if q["id"] == msg.id), None)
            if q is None or q["done"]:
                continue
            if msg.rcode == dns.SERVFAIL and servfail_retry:
                servfail_retry -= 1
                sock.sendto(dns.Message(q["id"], q["name"], q["type"]).pack(), (server_ip, port))
                continue
            q["done"] = True
            if debug:       # monotonic_ms() differences
                ms = int(sched.now * 1000) - int(tstart * 1000)
                proc.out(f"Query #{queries.index(q)} completed in {ms}ms:\n")
            if msg.rcode != 0:
                proc.out(f"** server can't find {q['name']}: {RCODES[msg.rcode]}\n")
                state["exit"] = 1
            else:
                proc.out(_format(msg, debug))
            proc.out("\n")
            replies += 1
            if replies >= len(queries):
                break
    finally:
        sock.close()
    return replies


LOOPBACK_ROUND_TRIP = 50e-6


def _pending_error(sock):
    """Take the socket's pending errors (Linux keeps one: ``sk_err``)."""
    errs = [i for i in sock.queue.items if isinstance(i, str)]
    if errs:
        sock.queue.items = type(sock.queue.items)(
            i for i in sock.queue.items if not isinstance(i, str))
        return errs[-1]
    return None


def _format(msg, debug: bool = False) -> str:
    out = ("authoritative answer:\n" if debug else "") if msg.aa else "Non-authoritative answer:\n"
    for r in msg.answers:
        if r.type in (dns.A, dns.AAAA):
            out += f"Name:\t{r.name}\nAddress: {r.data}\n"
        elif r.type == 5:
            out += f"{r.name}\tcanonical name = {r.data}\n"
        elif r.type == dns.PTR:
            out += f"{r.name}\tname = {r.data}\n"
        elif r.type == 2:
            out += f"{r.name}\tnameserver = {r.data}\n"
    return out
