"""busybox ping6 in a Docker container, where IPv6 is disabled.

``ping6`` resolves its target for IPv6 only (``getaddrinfo(AF_INET6)``): an
IPv4 address is a ``bad address``, and so is every container name, since
the embedded DNS has no AAAA records (the query still costs what it costs:
an unknown name is forwarded and times out).  ``/etc/hosts`` names ``::1``
(``localhost``, ``ip6-localhost``...).  An IPv6 address gets the ``PING``
line, then ``sendto`` fails: no IPv6 address is configured (``Cannot
assign requested address``, for ``::1`` and ``fe80::1`` alike).
"""
from __future__ import annotations

import ipaddress

from ...proto import dns
from .. import libc
from .common import VERSION, UsageError, getopt

USAGE = ("[OPTIONS] HOST\n\nSend ICMP ECHO_REQUESTs to HOST\n\n"
         "\t-c CNT\t\tSend only CNT pings\n"
         "\t-s SIZE\t\tSend SIZE data bytes in packets (default 56)\n"
         "\t-i SECS\t\tInterval\n"
         "\t-A\t\tPing as soon as reply is received\n"
         "\t-I IFACE/IP\tSource interface or IP address\n"
         "\t-W SEC\t\tSeconds to wait for the first response (default 10)\n"
         "\t\t\t(after all -c CNT packets are sent)\n"
         "\t-w SEC\t\tSeconds until ping exits (default:infinite)\n"
         "\t\t\t(can exit earlier with -c CNT)\n"
         "\t-q\t\tQuiet, only display output at start/finish\n"
         "\t-p HEXBYTE\tPayload pattern")


def _v6_hosts(proc, name: str) -> str | None:
    """The IPv6 address of the first ``/etc/hosts`` line naming ``name``."""
    name = name.lower()
    return next((addr for addr, names in libc.hosts_entries(proc)
                 if ":" in addr and name in (w.lower() for w in names)), None)


def ping6_main(proc):
    try:
        opts, args = getopt(proc, "qvAc:s:t:w:W:I:p:i:", proc.argv[1:])
    except UsageError:
        proc.err(f"{VERSION}\n\nUsage: ping6 {USAGE}\n")
        return 1
    if len(args) != 1:
        proc.err(f"{VERSION}\n\nUsage: ping6 {USAGE}\n")
        return 1
    return (yield from ping6_run(proc, "ping6", opts, args[0]))


def ping6_run(proc, name: str, opts, host: str):
    """The IPv6 path of ping (``ping6``, ``ping -6``, ``ping ::1``)."""
    addr = None
    try:
        addr = str(ipaddress.IPv6Address(host))
    except ValueError:
        addr = _v6_hosts(proc, host)
        if addr is None and not libc.is_ipv4(host):
            yield from libc.dns_lookup(proc, host, (dns.AAAA,))   # never an AAAA record here
    if addr is None:
        proc.err(f"{name}: bad address '{host}'\n")
        return 1
    size = opts.get("s", "56")
    proc.out(f"PING {host} ({addr}): {size} data bytes\n")
    proc.err(f"{name}: sendto: Cannot assign requested address\n")
    return 1
