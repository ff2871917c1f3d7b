"""busybox ipcalc (FEATURE_IPCALC_FANCY and LONG_OPTIONS, as Debian builds it).

``ipcalc [-bnmphs] ADDRESS[/PREFIX] [NETMASK]``: prints ``NETMASK=``,
``BROADCAST=``, ``NETWORK=``, ``PREFIX=``, ``HOSTNAME=`` lines in that order
whatever the order of the options.  Without -b/-n/-p, it needs an option and
a single operand (else the usage text).  A prefix goes through
``xatoul_range(0, 32)``; addresses through glibc's lenient ``inet_aton``;
without a netmask the classful one (A/B/C) is used.  ``-s`` silences error
messages (not the usage text).
"""
from __future__ import annotations

from .common import UsageError, getopt, xatou_range
from .hostnames import gethostbyaddr
from .net import bb_usage

USAGE = ("[-bnmphs] ADDRESS[/PREFIX] [NETMASK]\n\n"
         "Calculate and display network settings from IP address\n\n"
         "\t-b\tBroadcast address\n\t-n\tNetwork address\n\t-m\tDefault netmask for IP\n"
         "\t-p\tPrefix for IP/NETMASK\n\t-h\tResolved host name\n\t-s\tNo error messages")

LONGOPTS = {"netmask": "m", "broadcast": "b", "network": "n",
            "prefix": "p", "hostname": "h", "silent": "s"}


def inet_aton(text: str) -> int | None:
    """glibc ``inet_aton``: 1 to 4 parts, each decimal, 0x-hex or 0-octal;
    the last part fills the remaining bytes; trailing whitespace ends it."""
    text = text.split(" ", 1)[0].split("\t", 1)[0].split("\n", 1)[0]
    parts = text.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    vals = []
    for p in parts:
        if not p:
            return None
        try:
            if p[:2] in ("0x", "0X"):
                v = int(p[2:], 16) if p[2:] else 0
            elif p.startswith("0") and len(p) > 1:
                v = int(p[1:], 8)
            else:
                if not p.isdigit():
                    return None
                v = int(p)
        except ValueError:
            return None
        vals.append(v)
    if any(v > 255 for v in vals[:-1]) or vals[-1] >= 1 << (8 * (5 - len(vals))):
        return None
    n = 0
    for v in vals[:-1]:
        n = n << 8 | v
    return n << (8 * (5 - len(vals))) | vals[-1]


def _ntoa(n: int) -> str:
    return ".".join(str(n >> s & 255) for s in (24, 16, 8, 0))


def _classful(ip: int) -> int:
    if ip & 0xC0000000 == 0xC0000000:
        return 0xFFFFFF00
    if ip & 0x80000000:
        return 0xFFFF0000
    return 0xFF000000


def ipcalc_main(proc):
    argv = []
    for a in proc.argv[1:]:
        if a.startswith("--") and len(a) > 2:
            name = a[2:]
            hits = [k for k in LONGOPTS if k.startswith(name)]
            if name in LONGOPTS:
                hits = [name]
            if len(hits) != 1:
                what = "unrecognized" if not hits else "ambiguous"
                proc.err(f"ipcalc: {what} option '{a}'\n")
                return bb_usage(proc, "ipcalc", USAGE)
            argv.append("-" + LONGOPTS[hits[0]])
        else:
            argv.append(a)
    try:
        opts, args = getopt(proc, "mbnphs", argv)
    except UsageError:
        return bb_usage(proc, "ipcalc", USAGE)
    if not 1 <= len(args) <= 2:
        return bb_usage(proc, "ipcalc", USAGE)
    silent = "s" in opts
    flags = {k for k in opts if k != "s"}
    if not flags & {"b", "n", "p"} and (not flags or len(args) > 1):
        return bb_usage(proc, "ipcalc", USAGE)

    def die(msg: str) -> int:
        if not silent:
            proc.err(f"ipcalc: {msg}\n")
        return 1

    ipstr = args[0]
    netmask = None
    if "/" in ipstr:
        ipstr, prefixstr = ipstr.split("/", 1)
        if prefixstr:
            try:
                plen = xatou_range(prefixstr, 0, 32)
            except ValueError as err:
                return die(str(err))
            netmask = (0xFFFFFFFF << (32 - plen)) & 0xFFFFFFFF
    ip = inet_aton(ipstr)
    if ip is None:
        return die(f"bad IP address: {ipstr}")
    if len(args) > 1:
        if netmask is not None:
            return die("use prefix or netmask, not both")
        netmask = inet_aton(args[1])
        if netmask is None:
            return die(f"bad netmask: {args[1]}")
    elif netmask is None:
        netmask = _classful(ip)
    out = []
    if "m" in flags:
        out.append(f"NETMASK={_ntoa(netmask)}\n")
    if "b" in flags:
        out.append(f"BROADCAST={_ntoa((ip & netmask) | (~netmask & 0xFFFFFFFF))}\n")
    if "n" in flags:
        out.append(f"NETWORK={_ntoa(ip & netmask)}\n")
    if "p" in flags:
        out.append(f"PREFIX={bin(netmask).count('1')}\n")
    proc.out("".join(out))
    if "h" in flags:
        name = yield from gethostbyaddr(proc, _ntoa(ip))
        if not name:
            return die(f"can't find hostname for {ipstr}: Unknown host")
        proc.out(f"HOSTNAME={name.lower()}\n")
    return 0
