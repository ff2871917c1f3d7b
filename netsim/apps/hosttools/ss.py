"""iproute2 ``ss`` (6.1, Debian 12) and the host's sockets it lists.

Output not to a terminal is "compact": each column as wide as its widest
cell (the header's included), left-aligned but for the addresses, which are
right-aligned and end with the ``:`` before their port column; a column after
the first starts with its delimiter (one space; none for the port and
Process columns).  Netid shows only when more than one protocol is listed.

Sockets (:func:`inet_sockets`): TCP listeners (a dual-stack one -- an IPv6
socket bound to ``::`` that takes IPv4 too, as busybox's -- shows as ``*``;
docker-proxy's IPv6-only one as ``[::]``), TCP connections, UDP sockets.
UDP sockets come before TCP ones; listeners by family (IPv4 then IPv6), each by port; Send-Q of a
listener is its backlog.
"""
from __future__ import annotations

from ..busybox.net import TCP_STATES

SS_STATES = {"ESTABLISHED": "ESTAB", "SYN_SENT": "SYN-SENT", "SYN_RCVD": "SYN-RECV",
             "FIN_WAIT_1": "FIN-WAIT-1", "FIN_WAIT_2": "FIN-WAIT-2", "TIME_WAIT": "TIME-WAIT",
             "CLOSED": "UNCONN", "CLOSE_WAIT": "CLOSE-WAIT", "LAST_ACK": "LAST-ACK",
             "LISTEN": "LISTEN", "CLOSING": "CLOSING"}
# /etc/services (netbase) names of the ports scenarios use
SERVICES = {("tcp", 22): "ssh", ("tcp", 53): "domain", ("udp", 53): "domain", ("tcp", 80): "http",
            ("tcp", 443): "https", ("tcp", 8080): "http-alt", ("udp", 67): "bootps",
            ("udp", 68): "bootpc", ("udp", 123): "ntp", ("udp", 5353): "mdns"}
DEFAULT_BACKLOG = 4096          # listen(fd, SOMAXCONN): net.core.somaxconn


class Sock:
    __slots__ = ("proto", "fam", "state", "recvq", "sendq", "laddr", "lport", "raddr", "rport", "task")

    def __init__(self, proto, fam, state, sendq, laddr, lport, raddr, rport, task):
        self.proto, self.fam, self.state = proto, fam, state
        self.recvq, self.sendq = 0, sendq
        self.laddr, self.lport, self.raddr, self.rport, self.task = laddr, lport, raddr, rport, task


def _fam(addr: str, v6) -> str:
    """'4', '6' (IPv6 only) or 'dual' (an IPv6 socket on :: taking IPv4 too)."""
    if ":" in addr:
        return "6"
    return "dual" if v6 else "4"


def inet_sockets(netns) -> list[Sock]:
    out = []
    for (addr, port), lst in netns.tcp_listeners.items():
        out.append(Sock("tcp", _fam(addr, getattr(lst, "v6", False)), "LISTEN",
                        getattr(lst, "listen_backlog", DEFAULT_BACKLOG), addr, port, None, 0,
                        getattr(lst, "task", None)))
    for conn in netns.tcp_conns.values():
        if conn.state == "CLOSED":
            continue
        v6 = getattr(conn.listener, "v6", False) if conn.listener else getattr(conn, "v6", False)
        out.append(Sock("tcp", "dual" if v6 else "4", conn.state, 0, conn.local[0], conn.local[1],
                        conn.remote[0], conn.remote[1], getattr(conn, "task", None)))
    for (addr, port), sock in netns.udp.items():
        peer = getattr(sock, "remote", None)
        out.append(Sock("udp", _fam(addr, getattr(sock, "v6", False)),
                        "ESTABLISHED" if peer else "CLOSED", 0, addr, port,
                        peer[0] if peer else None, peer[1] if peer else 0, getattr(sock, "task", None)))
    order = {"4": 0, "dual": 1, "6": 1}
    # ss dumps UDP before TCP; netstat reads /proc/net/tcp first (it reorders)
    out.sort(key=lambda s: (s.proto != "udp", s.state != "LISTEN", order[s.fam], s.lport))
    return out


def _addr(s: Sock, addr, numeric_unused=True) -> str:
    if s.fam == "4":
        return addr or "0.0.0.0"
    if s.fam == "6":
        return "[::]" if addr in (None, "::") else f"[{addr}]"
    if addr in (None, "0.0.0.0"):
        return "*"
    return f"[::ffff:{addr}]"


def _port(s: Sock, port: int, numeric: bool) -> str:
    if not port:
        return "*"
    if not numeric:
        return SERVICES.get((s.proto, port), str(port))
    return str(port)


USAGE_ERR = "ss: invalid option -- '{}'\n"


def ss_main(proc):
    args = proc.argv[1:]
    opts = set()
    for a in args:
        if a.startswith("--"):
            long = {"--listening": "l", "--all": "a", "--tcp": "t", "--udp": "u", "--numeric": "n",
                    "--processes": "p", "--no-header": "H", "--ipv4": "4", "--ipv6": "6"}.get(a)
            if long is None:
                proc.err(f"ss: unrecognized option '{a}'\n")
                return 1
            opts.add(long)
        elif a.startswith("-"):
            for c in a[1:]:
                if c not in "latunpH46e":
                    proc.err(USAGE_ERR.format(c))
                    return 1
                opts.add(c)
        else:
            proc.err("netsim: ss filters are not modelled\n")
            return 1
    protos = [p for p in ("tcp", "udp") if p[0] in opts] or ["tcp", "udp"]
    numeric = "n" in opts
    socks = [s for s in inet_sockets(proc.netns) if s.proto in protos]
    if "4" in opts:
        socks = [s for s in socks if s.fam == "4"]
    elif "6" in opts:
        socks = [s for s in socks if s.fam != "4"]
    if "a" not in opts:
        listening = "l" in opts
        socks = [s for s in socks if (s.state in ("LISTEN", "CLOSED")) == listening]
    rows = []
    for s in socks:
        state = "UNCONN" if s.proto == "udp" and s.state == "CLOSED" else SS_STATES.get(s.state, s.state)
        proc_col = ""
        if "p" in opts and s.task is not None:
            proc_col = f' users:(("{s.task.comm}",pid={s.task.pid},fd={getattr(s, "fd", 3)}))'
        rows.append([s.proto, state, str(s.recvq), str(s.sendq), _addr(s, s.laddr) + ":",
                     _port(s, s.lport, numeric), _addr(s, s.raddr) + ":", _port(s, s.rport, numeric),
                     proc_col])
    header = ["Netid", "State", "Recv-Q", "Send-Q", "Local Address:", "Port", "Peer Address:", "Port",
              "Process"]
    netid = len(protos) > 1
    cols = list(range(9)) if netid else list(range(1, 9))
    delim = {0: "", 1: " ", 2: " ", 3: " ", 4: " ", 5: "", 6: " ", 7: "", 8: ""}
    right = {4, 6}
    table = ([header] if "H" not in opts else []) + rows
    widths = {c: max(len(r[c]) for r in table) for c in cols}
    out = []
    for r in table:
        line = ""
        for k, c in enumerate(cols):
            d = delim[c] if k else ""
            w = widths[c]
            line += d + (r[c].rjust(w) if c in right else r[c].ljust(w))
        out.append(line + "\n")
    proc.out("".join(out))
    return 0
    yield  # pragma: no cover - a program is a generator
