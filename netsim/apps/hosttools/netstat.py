"""net-tools ``netstat`` (2.10, Debian 12) of the host: the Internet sockets
of /proc/net/{tcp,tcp6,udp,udp6} (``-t``, ``-u``; ``-l`` listening only,
``-a`` all, neither: connected only; ``-n`` numeric; ``-p`` the owning
process).  IPv6 sockets show as ``tcp6``/``udp6``: a dual-stack listener as
``:::PORT``.  Without ``-n`` ports are /etc/services names and addresses host
names (the model only names the wildcard ``*`` and ``localhost``).
"""
from __future__ import annotations

from ..busybox.net import TCP_STATES
from .ss import SERVICES, inet_sockets


def _hostport(s, addr, port, numeric):
    v6 = s.fam != "4"
    if v6:
        host = "::" if addr in (None, "0.0.0.0", "::") else f"::ffff:{addr}"
    else:
        host = addr or "0.0.0.0"
    if not numeric:
        if host in ("0.0.0.0", "::"):
            host = "[::]" if v6 else "0.0.0.0"
        elif host == "127.0.0.1":
            host = "localhost"
    p = "*" if not port else (str(port) if numeric else SERVICES.get((s.proto, port), str(port)))
    return f"{host}:{p}"


def netstat_main(proc):
    if any(a == "--route" or (a.startswith("-") and not a.startswith("--") and "r" in a)
           for a in proc.argv[1:]):
        # the routing table: net-tools prints it as busybox does
        from ..busybox.net import netstat_main as route_table
        return (yield from route_table(proc))
    opts = set()
    for a in proc.argv[1:]:
        if a.startswith("--"):
            long = {"--listening": "l", "--all": "a", "--tcp": "t", "--udp": "u", "--numeric": "n",
                    "--programs": "p"}.get(a)
            if long is None:
                proc.err(f"netstat: unrecognized option '{a}'\n")
                return 1
            opts.add(long)
        elif a.startswith("-"):
            for c in a[1:]:
                if c not in "latunpW":
                    proc.err(f"netstat: invalid option -- '{c}'\n")
                    return 1
                opts.add(c)
    protos = [p for p in ("tcp", "udp") if p[0] in opts] or ["tcp", "udp"]
    numeric = "n" in opts
    if "a" in opts:
        which = "(servers and established)"
    elif "l" in opts:
        which = "(only servers)"
    else:
        which = "(w/o servers)"
    prog = "p" in opts
    out = [f"Active Internet connections {which}\n",
           "Proto Recv-Q Send-Q Local Address           Foreign Address         State      "
           + (" PID/Program name    " if prog else "") + "\n"]
    socks = inet_sockets(proc.netns)
    order = []
    for proto in protos:
        for fam6 in (False, True):
            order += [s for s in socks if s.proto == proto and (s.fam != "4") == fam6]
    for s in order:
        listening = s.state == "LISTEN" or (s.proto == "udp" and s.state == "CLOSED")
        if "a" not in opts and listening != ("l" in opts):
            continue
        name = s.proto + ("6" if s.fam != "4" else "")
        state = TCP_STATES.get(s.state, s.state) if s.proto == "tcp" else \
            ("ESTABLISHED" if s.state == "ESTABLISHED" else "")
        local = _hostport(s, s.laddr, s.lport, numeric)
        remote = _hostport(s, s.raddr, s.rport, numeric)
        line = f"{name:<5} {s.recvq:6d} {0:6d} {local:<23} {remote:<23} {state:<11}"
        if prog:
            owner = f"{s.task.pid}/{s.task.comm}" if s.task is not None else "-"
            line += f" {owner:<20}"
        out.append(line + "\n")
    proc.out("".join(out))
    return 0
