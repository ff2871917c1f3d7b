"""busybox ping (FEATURE_FANCY_PING) over a raw ICMP socket of the kernel model.

Timing follows busybox: one echo every ``-i`` seconds (default 1); after the
last of ``-c N`` it waits ``-W`` seconds (default 10) if nothing came back,
else about two RTTs (at least one second); ``-w`` ends it at the first send
past the deadline.  RTTs are simulated time between send and arrival, printed
as ``%u.%03u`` milliseconds.
"""
from __future__ import annotations

from ...kernel.packet import ICMP
from ...kernel.socket import IcmpSocket, SocketError
from .. import libc
from .common import ERRNO_TEXT, UsageError, getopt, usage

MAXWAIT = 10
USAGE = ("[OPTIONS] HOST\n\nSend ICMP ECHO_REQUESTs to HOST\n\n"
         "\t-4,-6\t\tForce IP or IPv6 name resolution\n"
         "\t-c CNT\t\tSend only CNT pings\n"
         "\t-s SIZE\t\tSend SIZE data bytes in packets (default 56)\n"
         "\t-i SECS\t\tInterval\n"
         "\t-A\t\tPing as soon as reply is received\n"
         "\t-t TTL\t\tSet TTL\n"
         "\t-I IFACE/IP\tSource interface or IP address\n"
         "\t-W SEC\t\tSeconds to wait for the first response (default 10)\n"
         "\t\t\t(after all -c CNT packets are sent)\n"
         "\t-w SEC\t\tSeconds until ping exits (default:infinite)\n"
         "\t\t\t(can exit earlier with -c CNT)\n"
         "\t-q\t\tQuiet, only display output at start/finish\n"
         "\t-p HEXBYTE\tPayload pattern")
# ICMP destination unreachable codes ping reports, as recvfrom's errno
UNREACH_ERRNO = {0: "ENETUNREACH", 1: "EHOSTUNREACH", 3: "ECONNREFUSED"}


def ping_main(proc):
    try:
        opts, args = getopt(proc, "qvAc:s:t:w:W:I:p:i:46n", proc.argv[1:])
    except UsageError:
        return usage(proc, "ping", USAGE)
    if len(args) != 1:
        return usage(proc, "ping", USAGE)
    if "s" in opts:                # xatou16
        text = str(opts["s"])
        if not text.isdigit():
            proc.err(f"ping: invalid number '{text}'\n")
            return 1
        if int(text) > 65535:
            proc.err(f"ping: number {text} is not in 0..65535 range\n")
            return 1
    host = args[0]
    # xhost_and_af2sockaddr(AF_UNSPEC unless -4/-6): an IPv6 literal, or -6,
    # takes the IPv6 path (no IPv6 in a container: ping6's failure)
    if "4" not in opts and ("6" in opts or ":" in host):
        from .ping6 import ping6_run
        return (yield from ping6_run(proc, "ping", opts, host))
    try:
        count = int(opts["c"]) if "c" in opts else 0
        datalen = int(opts["s"]) if "s" in opts else 56
        timeout = int(opts["W"]) if "W" in opts else MAXWAIT
        deadline = int(opts["w"]) if "w" in opts else None
        interval = float(opts["i"]) if "i" in opts else 1.0
        ttl = int(opts["t"]) if "t" in opts else 64
    except ValueError as e:
        bad = str(e).split("'")[-2] if "'" in str(e) else ""
        proc.err(f"ping: invalid number '{bad}'\n")
        return 1
    quiet = "q" in opts
    sched = proc.kernel.sched

    addrs = yield from libc.resolve(proc, host)
    if not addrs:
        proc.err(f"ping: bad address '{host}'\n")
        return 1
    dst = addrs[0]
    proc.out(f"PING {host} ({dst}): {datalen} data bytes\n")

    ident = proc.pid & 0xFFFF      # busybox: myid = (uint16_t) getpid()
    try:
        sock = IcmpSocket(proc.netns, ident, cap_net_raw=proc.capable("CAP_NET_RAW"))
    except SocketError:            # create_icmp_socket: EPERM
        proc.err("ping: permission denied (are you root?)\n")
        return 1
    sent: dict[int, float] = {}    # seq -> when it was sent
    received: set[int] = set()
    ntx = nrx = nrep = 0           # transmitted, received, duplicates
    tmin, tmax, tsum = None, 0, 0  # round-trip times (us)
    end_at = deadline + sched.now if deadline is not None else None

    def stats():
        loss = (ntx - nrx) * 100 // ntx if ntx else 0
        duplicates = f"{nrep} duplicates, " if nrep else ""
        s = (f"\n--- {host} ping statistics ---\n"
             f"{ntx} packets transmitted, {nrx} packets received, {duplicates}{loss}% packet loss\n")
        if tmin is not None:
            avg = tsum // (nrx + nrep)
            s += f"round-trip min/avg/max = {_ms(tmin)}/{_ms(avg)}/{_ms(tmax)} ms\n"
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
                seq = ntx & 0xFFFF
                ntx += 1
                sent[seq] = now
                received.discard(seq)
                if not sock.send_echo(dst, seq, bytes(datalen), ttl=ttl):
                    proc.err("ping: sendto: Network is unreachable\n")
                    return 1
                if count == 0 or ntx < count:
                    next_send = now + interval
                else:
                    next_send = None
                    expire = timeout
                    if nrx:
                        expire = max(1, tmax // (512 * 1024))
                    alarm = now + expire
                continue
            # the earlier of the next send and the alarm (one is always set)
            wake = alarm if next_send is None else next_send if alarm is None else min(next_send, alarm)
            got = yield sock.recv(max(0.0, wake - now))
            if got is None:
                continue
            if isinstance(got, str):
                proc.err(f"ping: recvfrom: {ERRNO_TEXT.get(got, got)}\n")
                continue
            pkt, when = got
            icmp = pkt.payload
            if icmp.type != ICMP.ECHO_REPLY:
                if icmp.type == ICMP.DEST_UNREACH and icmp.code in UNREACH_ERRNO:
                    proc.err(f"ping: recvfrom: {ERRNO_TEXT[UNREACH_ERRNO[icmp.code]]}\n")
                continue
            seq = icmp.seq
            t_us = None
            # the send time travels in the first 4 data bytes: none below that
            if seq in sent and datalen >= 4:
                t_us = int(round((when - sent[seq]) * 1e6))
                tsum += t_us
                tmin = t_us if tmin is None else min(tmin, t_us)
                tmax = max(tmax, t_us)
            dup = seq in received
            if dup:
                nrep += 1
            else:
                received.add(seq)
                nrx += 1
            if not quiet:
                rtt = f" time={_ms(t_us)} ms" if t_us is not None else ""
                proc.out(f"{len(icmp)} bytes from {pkt.src}: seq={seq} ttl={pkt.ttl}{rtt}"
                         f"{' (DUP!)' if dup else ''}\n")
            if count and nrx >= count:
                return stats()
    except GeneratorExit:
        # SIGINT prints the statistics; SIGTERM/SIGKILL just end it.
        if proc.killed_by == 2:
            stats()
        raise
    finally:
        sock.close()


def _ms(us: int) -> str:
    return "%d.%03d" % divmod(us, 1000)
