"""net-tools 2.10 ``ifconfig`` (Debian 12), the host's view of its devices.

``ife_print_long``'s layout (tests/golden/host_views_ipv6.json): the
``flags=N<…>`` line with SIOCGIFFLAGS' bits (``RUNNING`` is the operational
state, a bridge port's promiscuity is not shown), the primary IPv4 address
with its netmask and broadcast, the IPv6 addresses of /proc/net/if_inet6 with
their ``scopeid``, the hardware line with ``txqueuelen``, and the counters of
/proc/net/dev scaled as ``print_bytes_scaled`` does.  Without ``-a`` only the
devices that are up; devices sorted by name (``nstrcmp``).  Changing a device
(``ifconfig eth0 down``, addresses) is not modelled.
"""
from __future__ import annotations

import re

from ...kernel.addrconf import SCOPE_IDS
from ..busybox.common import program

IFF = (("UP", 0x1), ("BROADCAST", 0x2), ("DEBUG", 0x4), ("LOOPBACK", 0x8),
       ("POINTOPOINT", 0x10), ("NOTRAILERS", 0x20), ("RUNNING", 0x40), ("NOARP", 0x80),
       ("PROMISC", 0x100), ("ALLMULTI", 0x200), ("MASTER", 0x400), ("SLAVE", 0x800),
       ("MULTICAST", 0x1000), ("DYNAMIC", 0x8000))
_IFF_BITS = dict(IFF)


def _flag_names(dev) -> list[str]:
    names = []
    if dev.up:
        names.append("UP")
    names.append("LOOPBACK" if dev.kind == "loopback" else "BROADCAST")
    if dev.oper_up:
        names.append("RUNNING")
    if dev.noarp:
        names.append("NOARP")
    if dev.multicast:
        names.append("MULTICAST")
    return sorted(names, key=lambda n: _IFF_BITS[n])


def bytes_scaled(n: int) -> str:
    """``print_bytes_scaled``: ``1042 (1.0 KiB)``; the fraction is truncated."""
    ext, frac, value = ("", "Ki", "Mi", "Gi", "Ti"), 0, n
    i = 0
    for _ in range(4):
        if value >= 1024:
            frac = ((value & 1023) * 10) // 1024
            value //= 1024
            i += 1
    return f"{n} ({value}.{frac} {ext[i]}B)"


def _if_inet6(dev) -> list:
    """The device's lines of /proc/net/if_inet6, a hash table's order that
    depends on a per-boot random; the reference boot lists link-local
    addresses before the others."""
    return sorted(dev.addrs6, key=lambda a: a.scope != "link")


def ifconfig_long(dev) -> str:
    names = _flag_names(dev)
    flags = sum(_IFF_BITS[n] for n in names)
    out = [f"{dev.name}: flags={flags}<{','.join(names)}>  mtu {dev.mtu}\n"]
    if dev.addrs:
        a = dev.addrs[0]
        line = f"        inet {a.ip}  netmask {a.network.netmask}"
        if dev.kind != "loopback":
            line += f"  broadcast {a.network.broadcast_address}"
        out.append(line + "\n")
    for a in _if_inet6(dev):
        scope_id = SCOPE_IDS[a.scope]
        out.append(f"        inet6 {a.address}  prefixlen {a.prefixlen}"
                   f"  scopeid {scope_id:#x}<{a.scope}>\n")
    if dev.kind == "loopback":
        out.append(f"        loop  txqueuelen {dev.txqueuelen}  (Local Loopback)\n")
    else:
        out.append(f"        ether {dev.mac}  txqueuelen {dev.txqueuelen}  (Ethernet)\n")
    st = dev.stats
    out.append(f"        RX packets {st.rx_packets}  bytes {bytes_scaled(st.rx_bytes)}\n")
    out.append(f"        RX errors 0  dropped {st.rx_dropped}  overruns 0  frame 0\n")
    out.append(f"        TX packets {st.tx_packets}  bytes {bytes_scaled(st.tx_bytes)}\n")
    out.append(f"        TX errors 0  dropped {st.tx_dropped} overruns 0  carrier 0  collisions 0\n")
    return "".join(out) + "\n"


def _nstrcmp_key(name: str) -> list:
    """net-tools' ``nstrcmp``: digit runs compare as numbers (eth2 < eth10)."""
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.findall(r"\d+|\D+", name)]


@program
def ifconfig_main(proc):
    args = list(proc.argv[1:])
    show_all = False
    while args and args[0].startswith("-") and len(args[0]) > 1:
        opt = args.pop(0)
        if opt == "-a":
            show_all = True
        else:
            proc.err(f"netsim: ifconfig {opt}: only ifconfig [-a] [INTERFACE] is modelled\n")
            return 1
    ns = proc.netns
    if args:
        name = args[0]
        if len(args) > 1:
            proc.err("netsim: ifconfig: changing the host's devices is not modelled\n")
            return 1
        dev = ns.interfaces.get(name)
        if dev is None:
            proc.err(f"{name}: error fetching interface information: Device not found\n")
            return 1
        proc.out(ifconfig_long(dev))
        return 0
    devs = sorted(ns.interfaces.values(), key=lambda d: _nstrcmp_key(d.name))
    proc.out("".join(ifconfig_long(d) for d in devs if show_all or d.up))
    return 0
