"""Name resolution as the busybox binary's C library (glibc, static) does it.

``getaddrinfo``/``gethostbyname`` as busybox calls them:

- a numeric IPv4 address is returned as is, without any lookup;
- ``/etc/hosts`` is read first (``hosts: files dns``): the first line naming
  the host (case-insensitive, canonical name or alias) wins;
- otherwise the stub resolver reads ``/etc/resolv.conf`` (``nameserver``,
  ``search``/``domain``, ``options ndots:N timeout:N attempts:N``) and asks
  each name server in turn over UDP port 53.  ``getaddrinfo(AF_UNSPEC)``
  sends the A and the AAAA query together from one socket and waits for both
  answers (``gethostbyname`` asks A only); busybox then uses the IPv4 result
  (``FEATURE_PREFER_IPV4_ADDRESS``).  Candidates follow glibc's ``res_search``:
  with at least ``ndots`` dots the name is tried as is first, then with each
  search domain; otherwise the search domains come first.

All of it happens in simulated time through the kernel model's UDP sockets:
a name server that answers ICMP port unreachable is skipped at once; one that
does not answer costs ``timeout`` seconds per attempt.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from functools import lru_cache

from ..kernel.socket import SocketError, UdpSocket
from ..proto import dns

RES_TIMEOUT = 5
RES_ATTEMPTS = 2
RES_MAXNS = 3


@dataclass
class ResolvConf:
    nameservers: list[str] = field(default_factory=list)
    search: list[str] = field(default_factory=list)
    ndots: int = 1
    timeout: int = RES_TIMEOUT
    attempts: int = RES_ATTEMPTS


@dataclass
class HostEnt:
    """What ``gethostbyname`` returns: the canonical name and addresses."""
    name: str
    addrs: list[str]


# h_errno values (netdb.h) and hstrerror's texts
HOST_NOT_FOUND, TRY_AGAIN, NO_RECOVERY, NO_DATA = 1, 2, 3, 4
HSTRERROR = {
    HOST_NOT_FOUND: "Unknown host",
    TRY_AGAIN: "Host name lookup failure",
    NO_RECOVERY: "Unknown server error",
    NO_DATA: "No address associated with name",
}


@lru_cache(maxsize=4096)
def is_ipv4(text: str) -> bool:
    try:
        ipaddress.IPv4Address(text)
        return True
    except ValueError:
        return False


def inet_aton(text: str) -> str | None:
    """``inet_aton``'s leniency is not modelled: dotted quads only."""
    return text if is_ipv4(text) else None


def _read(proc, path: str) -> str | None:
    try:
        return proc.fs.read(path)
    except (FileNotFoundError, IsADirectoryError):
        return None


def read_resolv_conf(proc) -> ResolvConf:
    """``/etc/resolv.conf`` as the resolver reads it (parsed once per content)."""
    ns, search, ndots, timeout, attempts = _parse_resolv_conf(_read(proc, "/etc/resolv.conf") or "")
    return ResolvConf(list(ns), list(search), ndots, timeout, attempts)


@lru_cache(maxsize=256)
def _parse_resolv_conf(text: str) -> tuple:
    conf = ResolvConf()
    for line in text.splitlines():
        words = line.split()
        if not words or words[0].startswith(("#", ";")):
            continue
        key, args = words[0], words[1:]
        if key == "nameserver" and args and len(conf.nameservers) < RES_MAXNS:
            if is_ipv4(args[0]):
                conf.nameservers.append(args[0])
        elif key == "search":
            conf.search = args[:6]
        elif key == "domain" and args:
            conf.search = [args[0]]
        elif key == "options":
            for opt in args:
                name, _, val = opt.partition(":")
                if name == "ndots" and val.isdigit():
                    conf.ndots = min(int(val), 15)
                elif name == "timeout" and val.isdigit():
                    conf.timeout = max(1, min(int(val), 30))
                elif name == "attempts" and val.isdigit():
                    conf.attempts = max(1, min(int(val), 5))
    if not conf.nameservers:
        conf.nameservers = ["127.0.0.1"]
    return (tuple(conf.nameservers), tuple(conf.search), conf.ndots, conf.timeout, conf.attempts)


def hosts_lookup(proc, name: str) -> HostEnt | None:
    """The ``files`` NSS backend: the first line that names ``name``."""
    found = _hosts_table(_read(proc, "/etc/hosts") or "").get(name.lower().rstrip("."))
    return None if found is None else HostEnt(found[0], [found[1]])


def hosts_entries(proc) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``/etc/hosts`` as ``(address, names)`` lines, comments dropped, in order."""
    return _hosts_lines(_read(proc, "/etc/hosts") or "")


@lru_cache(maxsize=256)
def _hosts_lines(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    out = []
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) >= 2:
            out.append((words[0], tuple(words[1:])))
    return tuple(out)


@lru_cache(maxsize=256)
def _hosts_table(text: str) -> dict[str, tuple[str, str]]:
    """{lowercased name: (canonical name, address)} of an ``/etc/hosts``
    text, the first line naming a host winning (parsed once per content)."""
    table: dict[str, tuple[str, str]] = {}
    for addr, names in _hosts_lines(text):
        if not is_ipv4(addr):
            continue
        for w in names:
            table.setdefault(w.lower(), (names[0], addr))
    return table


def candidates(name: str, conf: ResolvConf) -> list[str]:
    """The names ``res_search`` tries, in order."""
    return list(_candidates(name, tuple(conf.search), conf.ndots))


@lru_cache(maxsize=4096)
def _candidates(name: str, search: tuple[str, ...], ndots: int) -> tuple[str, ...]:
    """``candidates`` of a name under a ``search`` list and ``ndots`` (a pure
    function of its arguments, memoised)."""
    if name.endswith("."):
        return (name.rstrip("."),)
    dots = name.count(".")
    searched = tuple(f"{name}.{d}" for d in search if d and d != ".")
    if dots >= ndots:
        return (name,) + searched
    return searched + (name,)


def dns_query(proc, server: str, qname: str, qtypes: tuple[int, ...], timeout: float):
    """Send one query per type from one socket; a generator returning
    ``{qtype: Message}`` (possibly partial), or ``"ECONNREFUSED"``/``"ENETUNREACH"``."""
    got = yield from _exchange(proc, server, qname, qtypes, timeout)
    if isinstance(got, str):
        return got
    return {qt: dns.Message.of(*parsed) for qt, parsed in got.items()}


def _exchange(proc, server: str, qname: str, qtypes: tuple[int, ...], timeout: float):
    """:func:`dns_query` with each reply as :func:`dns.parse` gives it,
    ``(id, flags, qname, qtype, answers)``, instead of a ``Message``."""
    kernel = proc.kernel
    sched = kernel.sched
    getrandbits = kernel.rng.getrandbits
    sock = UdpSocket(proc.netns)
    try:
        ids = {}
        dst = (server, 53)
        for qt in qtypes:
            # the query id: ``rng.randrange(1 << 16)`` drawn as CPython's
            # ``Random._randbelow`` does (17-bit draws until one is below
            # 2**16), so the same ids come from the same generator state
            ident = getrandbits(17)
            while ident >= 0x10000:
                ident = getrandbits(17)
            ids[ident] = qt
            try:
                sock.sendto(dns.pack_query(ident, qname, qt), dst)
            except SocketError as e:
                return e.name
        answers: dict[int, tuple] = {}
        deadline = sched.now + timeout
        parse, QR = dns.parse, dns.QR
        recvfrom = sock.recvfrom
        while len(answers) < len(qtypes):
            left = deadline - sched.now
            if left <= 0:
                break
            got = yield recvfrom(left)
            if got is None:
                break
            if isinstance(got, str):
                return got
            try:
                parsed = parse(got[0])
            except Exception:
                continue
            ident = parsed[0]
            if parsed[1] & QR and ident in ids:      # a response to one of the queries
                answers.setdefault(ids[ident], parsed)
        return answers
    finally:
        sock.close()


def dns_lookup(proc, name: str, qtypes=(dns.A, dns.AAAA)):
    """The stub resolver: a generator returning ``HostEnt`` or an h_errno."""
    nameservers, search, ndots, timeout, attempts = \
        _parse_resolv_conf(_read(proc, "/etc/resolv.conf") or "")
    herr = HOST_NOT_FOUND
    for qname in _candidates(name, search, ndots):
        result = None
        for _attempt in range(attempts):
            for server in nameservers:
                got = yield from _exchange(proc, server, qname, qtypes, timeout)
                if isinstance(got, str) or not got:
                    continue          # refused, unreachable or silent: next server
                a = got.get(dns.A)
                if a is None or a[1] & 0xF == dns.SERVFAIL:
                    continue
                result = a
                break
            if result is not None:
                break
        if result is None:
            herr = TRY_AGAIN
            break                     # no server answered: give up the search
        _id, flags, _qname, _qtype, records = result
        rcode = flags & 0xF
        addrs = [r.data for r in records if r.type == dns.A]
        if rcode == dns.NOERROR and addrs:
            cname = next((r.data for r in records if r.type == 5), None)
            return HostEnt(cname or qname, addrs)
        herr = HOST_NOT_FOUND if rcode == dns.NXDOMAIN else NO_DATA
    return herr


def gethostbyname(proc, name: str):
    """A generator returning ``HostEnt`` or an h_errno (an int)."""
    if is_ipv4(name):
        return HostEnt(name, [name])
    ent = hosts_lookup(proc, name)
    if ent is not None:
        return ent
    if not name:
        return HOST_NOT_FOUND
    return (yield from dns_lookup(proc, name, (dns.A,)))


def resolve(proc, name: str):
    """``getaddrinfo(name, AF_UNSPEC)`` as busybox uses it: a generator
    returning the list of IPv4 addresses, or None when the name does not
    resolve (busybox then says ``bad address 'NAME'``)."""
    if is_ipv4(name):
        return [name]
    ent = hosts_lookup(proc, name)
    if ent is not None:
        return ent.addrs
    if not name:
        return None
    got = yield from dns_lookup(proc, name, (dns.A, dns.AAAA))
    return got.addrs if isinstance(got, HostEnt) else None
