"""busybox ping (FEATURE_FANCY_PING) over a raw ICMP socket of the kernel model.

Timing follows busybox: one echo every ``-i`` seconds (default 1); after the
last of ``-c N`` it waits ``-W`` seconds (default 10) if nothing came back,
else about two RTTs (at least one second); ``-w`` ends it at the first send
past the deadline.  RTTs are simulated time between send and arrival, printed
as ``%u.%03u`` milliseconds.
"""
from __future__ import annotations

from ...kernel.packet import ICMP
from ...kernel.socket import IcmpSocket
from .. import libc
from .common import ERRNO_TEXT, UsageError, getopt, usage

MAXWAIT = 10
USAGE = "[OPTIONS] HOST"


def ping_main(proc):
    try:
        opts, args = getopt(proc, "qvAc:s:t:w:W:I:p:i:46n", proc.argv[1:])
    except UsageError:
        return usage(proc, "ping", USAGE)
    if len(args) != 1:
        return usage(proc, "ping", USAGE)
    try:
        count = int(opts.get("c", 0))
        datalen = int(opts.get("s", 56))
        timeout = int(opts.get("W", MAXWAIT))
        deadline = int(opts["w"]) if "w" in opts else None
        interval = float(opts.get("i", 1))
        ttl = int(opts.get("t", 64))
    except ValueError as e:
        bad = str(e).split("'")[-2] if "'" in str(e) else ""
        proc.err(f"ping: invalid number '{bad}'\n")
        return 1
    quiet = bool(opts.get("q"))
    host = args[0]
    sched = proc.kernel.sched

    addrs = yield from libc.resolve(proc, host)
    if not addrs:
        proc.err(f"ping: bad address '{host}'\n")
        return 1
    dst = addrs[0]
    proc.out(f"PING {host} ({dst}): {datalen} data bytes\n")

    ident = proc.pid & 0xFFFF      # busybox: myid = (uint16_t) getpid()
    sock = IcmpSocket(proc.netns, ident)
    sent: dict[int, float] = {}
    received: set[int] = set()
    st = {"ntx": 0, "nrx": 0, "nrep": 0, "tmin": None, "tmax": 0, "tsum": 0}
    end_at = deadline + sched.now if deadline is not None else None

    def stats():
        ntx, nrx = st["ntx"], st["nrx"]
        s = (f"\n--- {host} ping statistics ---\n"
             f"{ntx} packets transmitted, {nrx} packets received, ")
        if st["nrep"]:
            s += f"{st['nrep']} duplicates, "
        loss = (ntx - nrx) * 100 // ntx if ntx else 0
        s += f"{loss}% packet loss\n"
        if st["tmin"] is not None:
            avg = st["tsum"] // (nrx + st["nrep"])
            s += ("round-trip min/avg/max = "
                  f"{_ms(st['tmin'])}/{_ms(avg)}/{_ms(st['tmax'])} ms\n")
        proc.out(s)
        return 1 if nrx == 0 or (deadline is not None and nrx < count) else 0

    try:
        next_send = sched.now
        alarm = None           # when to print statistics and exit
        while True:
            now = sched.now
            if alarm is not None and now >= alarm:
                return stats()
            if next_send is not None and now >= next_send:
                if end_at is not None and now >= end_at:
                    return stats()
                seq = st["ntx"] & 0xFFFF
                st["ntx"] += 1
                sent[seq] = now
                received.discard(seq)
                if not sock.send_echo(dst, seq, bytes(datalen), ttl=ttl):
                    proc.err("ping: sendto: Network is unreachable\n")
                    return 1
                if count == 0 or st["ntx"] < count:
                    next_send = now + interval
                else:
                    next_send = None
                    expire = timeout
                    if st["nrx"]:
                        expire = max(1, st["tmax"] // (512 * 1024))
                    alarm = now + expire
                continue
            wake = min(t for t in (next_send, alarm) if t is not None)
            got = yield sock.recv(max(0.0, wake - now))
            if got is None:
                continue
            if isinstance(got, str):
                proc.err(f"ping: recvfrom: {ERRNO_TEXT.get(got, got)}\n")
                continue
            pkt, when = got
            icmp = pkt.payload
            if icmp.type != ICMP.ECHO_REPLY:
                code_err = {0: "ENETUNREACH", 1: "EHOSTUNREACH", 3: "ECONNREFUSED"}
                if icmp.type == ICMP.DEST_UNREACH and icmp.code in code_err:
                    proc.err(f"ping: recvfrom: {ERRNO_TEXT[code_err[icmp.code]]}\n")
                continue
            seq = icmp.seq
            t_us = None
            if seq in sent:
                t_us = int(round((when - sent[seq]) * 1e6))
                st["tsum"] += t_us
                st["tmin"] = t_us if st["tmin"] is None else min(st["tmin"], t_us)
                st["tmax"] = max(st["tmax"], t_us)
            dup = seq in received
            if dup:
                st["nrep"] += 1
            else:
                received.add(seq)
                st["nrx"] += 1
            if not quiet:
                line = f"{len(icmp)} bytes from {pkt.src}: seq={seq} ttl={pkt.ttl}"
                if t_us is not None:
                    line += f" time={_ms(t_us)} ms"
                proc.out(line + (" (DUP!)" if dup else "") + "\n")
            if count and st["nrx"] >= count:
                return stats()
    except GeneratorExit:
        # SIGINT prints the statistics; SIGTERM/SIGKILL just end it.
        if proc.killed_by == 2:
            stats()
        raise
    finally:
        sock.close()


def _ms(us: int) -> str:
    return f"{us // 1000}.{us % 1000:03d}"
