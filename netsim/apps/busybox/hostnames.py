"""Address-to-name lookups as busybox's C library (glibc, static) does them.

``arp``, ``route``, ``netstat`` (and ``traceroute``) print names unless
``-n``: busybox's ``INET_rresolve``/``xmalloc_sockaddr2host_noport`` call
``getnameinfo(NI_NAMEREQD)``, i.e. ``gethostbyaddr``:

- ``/etc/hosts`` first (``hosts: files dns``): the canonical (first) name of
  the first line with that address -- a container finds its own hostname and
  ``localhost`` there;
- then a PTR query for ``D.C.B.A.in-addr.arpa`` to each ``nameserver`` of
  ``/etc/resolv.conf``, ``attempts`` rounds of ``timeout`` seconds: a refused
  server (the default bridge's ``127.0.0.1``) is skipped at once, a silent one
  costs the timeout (the embedded DNS forwards what it does not know -- the
  gateway, 0.0.0.0 -- to the sealed host's resolver, which never answers:
  ``route`` on a user network takes 10 s, as on the reference engine);
- ``::`` is never looked up (glibc refuses the unspecified IPv6 address).

``None`` means "no name": callers print the address.
"""
from __future__ import annotations

from ...proto import dns
from .. import libc


def _hosts_name(proc, ip: str) -> str | None:
    """The canonical (first) name of the first ``/etc/hosts`` line for ``ip``."""
    return next((names[0] for addr, names in libc.hosts_entries(proc) if addr == ip), None)


def gethostbyaddr(proc, ip: str):
    """A generator returning the name of IPv4 address ``ip``, or None."""
    if ":" in ip:
        return None
    name = _hosts_name(proc, ip)
    if name is not None:
        return name
    conf = libc.read_resolv_conf(proc)
    qname = ".".join(reversed(ip.split("."))) + ".in-addr.arpa"
    for _attempt in range(conf.attempts):
        for server in conf.nameservers:
            got = yield from libc.dns_query(proc, server, qname, (dns.PTR,), conf.timeout)
            if isinstance(got, str) or not got:
                continue
            msg = got.get(dns.PTR)
            if msg is None or msg.rcode == dns.SERVFAIL:
                continue
            ptr = next((r.data for r in msg.answers if r.type == dns.PTR), None)
            return ptr.rstrip(".") if ptr else None
    return None


class AddrNames:
    """``INET_rresolve``'s per-process cache: each address is looked up once."""

    def __init__(self, proc):
        self.proc = proc
        self.cache: dict[str, str | None] = {}

    def lookup(self, ip: str):
        if ip not in self.cache:
            self.cache[ip] = yield from gethostbyaddr(self.proc, ip)
        return self.cache[ip]
