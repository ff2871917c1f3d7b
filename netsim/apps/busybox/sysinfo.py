"""System-information applets of busybox 1.35: free, uptime, df, mount,
date, cal, sync, tty, hostid, logname.

A container sees the host's memory, disk and clock.  The simulated host is
configured as the reference machine (tests/golden/applets_sys.json): its
memory and disk are the snapshot below; what changes from second to second on
a real host (memory in use, blocks in use, load) stays at the snapshot.  The
time of day is the simulated clock (:data:`netsim.daemon.daemon.EPOCH` +
simulated seconds); the host's uptime is the simulated time since it started
and its load average 0.00 (no CPU is modelled).
"""
from __future__ import annotations

import calendar
import re
import time

from .common import UsageError, getopt
from .shellutils import show_usage

# /proc/meminfo of the reference host (kB)
HOST_MEMINFO = {"MemTotal": 24684096, "MemFree": 22084692, "MemAvailable": 23639044,
                "Buffers": 145772, "Cached": 1523844, "SReclaimable": 239212, "Shmem": 8788,
                "SwapTotal": 0, "SwapFree": 0}
# the reference host's disk /dev/vda (ext4, 4K blocks; df's 1K blocks) and its inodes
HOST_DISK_KB = (264212084, 24783720, 81607192)          # total, used, available
HOST_DISK_INODES_USED = 452814
HOST_DISK_BLOCKS, HOST_DISK_FREE, HOST_DISK_AVAIL = 66053021, 59857096, 20401803
HOST_DISK_INODES, HOST_DISK_IFREE = 16777216, 16324401
HOST_DISK_FSID = "e67f92b981d1458e"          # statfs f_fsid of /dev/vda
# a tmpfs without size= gets half the RAM, and half the RAM pages as inodes
TMPFS_DEFAULT_KB = HOST_MEMINFO["MemTotal"] // 2
TMPFS_INODES = HOST_MEMINFO["MemTotal"] // 8
TMPFS_INODES_USED = {"/dev": 15, "/sys/fs/cgroup": 10, "/proc/keys": 15, "/proc/timer_list": 15}


def _clock(proc) -> float:
    from ...daemon.daemon import EPOCH
    return EPOCH + (proc.kernel.sched.now if proc.kernel is not None else 0.0)


def human(value: int, block: int = 1024) -> str:
    """libbb ``make_human_readable_str(value, block, 0)``."""
    if value == 0:
        return "0"
    v = value * block
    units = ["", "K", "M", "G", "T", "P", "E"]
    u, frac = 0, 0
    while v >= 1024 and u < len(units) - 1:
        u += 1
        frac = ((v % 1024) * 10 + 512) // 1024
        v //= 1024
    if frac >= 10:
        v += 1
        frac = 0
    return f"{v}.{frac}{units[u]}" if u else f"{v}"


# -- free --------------------------------------------------------------------------

def free_main(proc):
    try:
        opts, _ = getopt(proc, "bkmght", proc.argv[1:])
    except UsageError:
        return show_usage(proc, "free")
    mi = HOST_MEMINFO
    total, free = mi["MemTotal"], mi["MemFree"]
    cache = mi["Buffers"] + mi["Cached"] + mi["SReclaimable"]
    used = total - free - cache
    row = [total, used, free, mi["Shmem"], cache, mi["MemAvailable"]]
    swap = [mi["SwapTotal"], mi["SwapTotal"] - mi["SwapFree"], mi["SwapFree"]]

    def fmt(kb):
        if opts.get("h"):
            return human(kb)
        if opts.get("b"):
            return str(kb * 1024)
        if opts.get("m"):
            return str((kb + 512) // 1024)
        if opts.get("g"):
            return str((kb + 512 * 1024) // (1024 * 1024))
        return str(kb)
    out = ("              total        used        free      shared  buff/cache   available\n"
           + "Mem:   " + "".join(f"{fmt(v):>12}" for v in row) + "\n"
           + "Swap:  " + "".join(f"{fmt(v):>12}" for v in swap) + "\n")
    if opts.get("t"):
        out += "Total: " + "".join(f"{fmt(a + b):>12}" for a, b in zip(row[:3], swap)) + "\n"
    proc.out(out)
    return 0
    yield


# -- uptime -------------------------------------------------------------------------

def uptime_main(proc):
    now = _clock(proc)
    up = int(proc.kernel.sched.now) if proc.kernel is not None else 0
    t = time.gmtime(int(now))
    text = f" {t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} up "
    days, rest = divmod(up // 60, 1440)
    if days:
        text += f"{days} day{'s' if days != 1 else ''}, "
    hours, mins = divmod(rest, 60)
    text += f"{hours:2d}:{mins:02d}" if hours else f"{mins} min"
    text += ",  0 users,  load average: 0.00, 0.00, 0.00\n"      # no utmp in a container
    proc.out(text)
    return 0
    yield


# -- df / mount ---------------------------------------------------------------------

def _mount_table(proc) -> list[tuple[str, str, str, str]]:
    """``(device, target, fstype, options)`` of each /proc/mounts line."""
    text = proc.fs.proc_mounts() if getattr(proc.fs, "proc_mounts", None) else \
        "overlay / overlay rw,relatime 0 0\n"
    out = []
    for line in text.splitlines():
        f = line.split()
        if len(f) >= 4:
            out.append((f[0], f[1], f[2], f[3]))
    return out


def _fs_usage(device: str, target: str, fstype: str, options: str):
    """(blocks, used, available, inodes, inodes used) in 1K units for one mount."""
    if fstype == "tmpfs":
        m = re.search(r"size=(\d+)k", options)
        size = int(m.group(1)) if m else TMPFS_DEFAULT_KB
        used_inodes = TMPFS_INODES_USED.get(target, 1)
        return size, 0, size, TMPFS_INODES, used_inodes
    if fstype in ("overlay", "ext4") or device.startswith("/dev/"):
        total, used, avail = HOST_DISK_KB
        return total, used, avail, HOST_DISK_INODES, HOST_DISK_INODES_USED
    return 0, 0, 0, 0, 0


def df_main(proc):
    try:
        opts, args = getopt(proc, "PkmhTaiB:t:", proc.argv[1:])
    except UsageError:
        return show_usage(proc, "df")
    mounts = _mount_table(proc)
    fs = proc.fs
    selected = []
    rc = 0
    if args:
        for a in args:
            path = fs.norm(a, proc.cwd or "/")
            if not fs.exists(path):
                proc.err(f"df: {a}: can't find mount point\n")
                rc = 1
                continue
            m, _ = fs.resolve(path)
            # the first mount of the same filesystem (st_dev), as busybox's find_mount_point
            same = [e for e in mounts if e[1] == m.target]
            entry = same[-1] if same else mounts[0]
            if entry[0].startswith("/dev/"):
                entry = next(e for e in mounts if e[0] == entry[0])
            selected.append(entry)
    else:
        selected = mounts
    if opts.get("h"):
        hdr = "     Size"
    elif opts.get("i"):
        hdr = "   Inodes"
    elif opts.get("m"):
        hdr = "1M-blocks"
    elif opts.get("P"):
        hdr = "1024-blocks"
    else:
        hdr = "1K-blocks"
    lines = [f"{'Filesystem':<20}" + (f" {'Type':<10}" if opts.get("T") else "") +
             f" {hdr:<15}Used Available {'Capacity' if opts.get('P') else 'Use%'} Mounted on\n"]
    for dev, target, fstype, options in selected:
        blocks, used, avail, inodes, iused = _fs_usage(dev, target, fstype, options)
        if opts.get("i"):
            blocks, used, avail = inodes, iused, inodes - iused
        if blocks == 0 and not opts.get("a") and not args:
            continue
        pct = (used * 100 + (used + avail) // 2) // (used + avail) if used + avail else 0
        if opts.get("h"):
            cells = [human(blocks), human(used), human(avail)]
        elif opts.get("m"):
            cells = [str((v + 512) // 1024) for v in (blocks, used, avail)]
        else:
            cells = [str(blocks), str(used), str(avail)]
        name = dev if len(dev) <= 20 else dev + "\n" + " " * 20
        lines.append(f"{name:<20}" + (f" {fstype:<10}" if opts.get("T") else "") +
                     f" {cells[0]:>9} {cells[1]:>9} {cells[2]:>9} {pct:3d}% {target}\n")
    proc.out("".join(lines))
    return rc
    yield


def mount_main(proc):
    args = proc.argv[1:]
    if args and not all(a in ("-a",) or a.startswith("-t") for a in args):
        proc.err("mount: permission denied (are you root?)\n")
        return 255
    proc.out("".join(f"{d} on {t} type {ty} ({o})\n" for d, t, ty, o in _mount_table(proc)))
    return 0
    yield


# -- date ---------------------------------------------------------------------------

_DATE_FORMS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y%m%d%H%M.%S", "%Y%m%d%H%M",
               "%Y-%m-%dT%H:%M:%S", "%Y.%m.%d-%H:%M:%S", "%Y.%m.%d-%H:%M")


def _parse_date(text: str, now: float) -> float | None:
    """The ``-d`` forms busybox's ``parse_datestr`` takes (UTC: no TZ in a container)."""
    if text.startswith("@"):
        m = re.fullmatch(r"@(-?\d+)", text)
        return float(m.group(1)) if m else None
    for form in _DATE_FORMS:
        try:
            return float(calendar.timegm(time.strptime(text, form)))
        except ValueError:
            continue
    m = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", text)
    if m:
        day = int(now) - int(now) % 86400
        return float(day + int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3) or 0))
    return None


def strftime_c(fmt: str, t: float) -> str:
    """glibc ``strftime`` in the C locale and UTC."""
    tm = time.gmtime(int(t))

    def one(m):
        c = m.group(1)
        if c == "e":
            return f"{tm.tm_mday:2d}"
        if c == "s":
            return str(int(t))
        if c == "Z":
            return "UTC"
        if c == "z":
            return "+0000"
        if c == "N":
            return f"{int(round((t - int(t)) * 1e9)):09d}"
        if c == "k":
            return f"{tm.tm_hour:2d}"
        if c == "l":
            return f"{(tm.tm_hour % 12) or 12:2d}"
        if c == "P":
            return time.strftime("%p", tm).lower()
        if c == "%":
            return "%"
        return time.strftime("%" + c, tm)
    return re.sub(r"%([a-zA-Z%])", one, fmt)


def date_main(proc):
    args = list(proc.argv[1:])
    iso = None
    rest = []
    for a in args:
        if a.startswith("-I"):
            iso = a[2:] or "date"
        elif a.startswith("--iso-8601"):
            iso = a.partition("=")[2] or "date"
        else:
            rest.append(a)
    try:
        opts, operands = getopt(proc, "Rs:ud:D:r:", rest)
    except UsageError:
        return show_usage(proc, "date") if "date" in _usage_names() else 1
    now = _clock(proc)
    t = now
    if "d" in opts:
        t = _parse_date(opts["d"], now)
        if t is None:
            proc.err(f"date: invalid date '{opts['d']}'\n")
            return 1
    fmt = None
    for o in operands:
        if o.startswith("+"):
            fmt = o[1:]
        else:
            proc.err("date: can't set date: Operation not permitted\n")
            return 1
    if fmt is None:
        if opts.get("R"):
            fmt = "%a, %d %b %Y %H:%M:%S %z"
        elif iso is not None:
            fmt = {"date": "%Y-%m-%d", "hours": "%Y-%m-%dT%H%z", "minutes": "%Y-%m-%dT%H:%M%z",
                   "seconds": "%Y-%m-%dT%H:%M:%S%z"}.get(iso, "%Y-%m-%d")
            if iso in ("hours", "minutes", "seconds"):
                proc.out(strftime_c(fmt, t)[:-2] + ":00\n")
                return 0
        else:
            fmt = "%a %b %e %H:%M:%S %Z %Y"
    proc.out(strftime_c(fmt, t) + "\n")
    return 0
    yield


def _usage_names():
    from .usage_texts import USAGE
    return USAGE


# -- cal ----------------------------------------------------------------------------

def _weekday(y: int, m: int, d: int) -> int:
    """0 = Sunday; the Julian calendar before 14 September 1752 (as cal(1))."""
    a = (14 - m) // 12
    yy, mm = y + 4800 - a, m + 12 * a - 3
    if (y, m, d) >= (1752, 9, 14):
        jdn = d + (153 * mm + 2) // 5 + 365 * yy + yy // 4 - yy // 100 + yy // 400 - 32045
    else:
        jdn = d + (153 * mm + 2) // 5 + 365 * yy + yy // 4 - 32083
    return (jdn + 1) % 7


def _month_days(y: int, m: int) -> list[int]:
    if (y, m) == (1752, 9):
        return [1, 2] + list(range(14, 31))
    if m == 2:
        leap = y % 4 == 0 if y <= 1752 else (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0))
        n = 29 if leap else 28
    else:
        n = [31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    return list(range(1, n + 1))


def _month_rows(y: int, m: int) -> list[str]:
    """Six week rows of 21 characters (``%2d `` per day)."""
    cells = ["   "] * _weekday(y, m, 1) + [f"{d:2d} " for d in _month_days(y, m)]
    cells += ["   "] * (42 - len(cells))
    return ["".join(cells[k:k + 7]) for k in range(0, 42, 7)]


def _trim(s: str) -> str:
    """busybox ``trim_trailing_spaces_and_print``: an all-blank line stays."""
    t = s.rstrip(" ")
    return t if t else s


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
HEADINGS = "Su Mo Tu We Th Fr Sa"


def cal_main(proc):
    try:
        opts, args = getopt(proc, "jy", proc.argv[1:])
    except UsageError:
        return show_usage(proc, "cal")
    tm = time.gmtime(int(_clock(proc)))
    month, year = tm.tm_mon, tm.tm_year
    if len(args) == 2:
        if not args[0].isdigit() or not 1 <= int(args[0]) <= 12:
            proc.err(f"cal: number {args[0]} is not in 1..12 range\n")
            return 1
        if not args[1].isdigit() or not 1 <= int(args[1]) <= 9999:
            proc.err(f"cal: number {args[1]} is not in 1..9999 range\n")
            return 1
        month, year = int(args[0]), int(args[1])
    elif len(args) == 1:
        if not args[0].isdigit() or not 1 <= int(args[0]) <= 9999:
            proc.err(f"cal: number {args[0]} is not in 1..9999 range\n")
            return 1
        year, month = int(args[0]), 0
    elif len(args) > 2:
        return show_usage(proc, "cal")
    if opts.get("y"):
        month = 0
    if month:
        title = f"{MONTHS[month - 1]} {year}"
        out = " " * ((20 - len(title)) // 2) + title + "\n" + HEADINGS + "\n"
        out += "".join(_trim(r) + "\n" for r in _month_rows(year, month))
        proc.out(out)
        return 0
    width = 20 * 3 + 2 * 2
    ytitle = str(year)
    pad = (width - len(ytitle)) // 2
    out = " " * pad + ytitle + " " * pad + "\n\n"
    for q in range(4):
        ms = [q * 3 + k + 1 for k in range(3)]
        titles = ""
        for m in ms:
            name = MONTHS[m - 1]
            left = (20 - len(name)) // 2
            titles += " " * left + name + " " * (20 - len(name) - left + 2)
        out += titles[:width] + "\n"
        out += "  ".join([HEADINGS] * 3) + "\n"
        rows = [_month_rows(year, m) for m in ms]
        for r in range(6):
            row = " ".join(rows[k][r] for k in range(3))
            # an all-blank row prints busybox's whole blank line buffer (79 blanks)
            out += (row.rstrip(" ") or " " * 79) + "\n"
    proc.out(out)
    return 0
    yield


# -- small ones -----------------------------------------------------------------------

def sync_main(proc):
    return 0
    yield


def tty_main(proc):
    if proc.tty:
        proc.out("/dev/pts/0\n")
        return 0
    if "-s" not in proc.argv[1:]:
        proc.out("not a tty\n")
    return 1
    yield


def hostid_main(proc):
    """glibc ``gethostid``: no /etc/hostid, so the address of the hostname
    (from /etc/hosts) with its 16-bit halves swapped."""
    from .common import read_file
    addr = None
    try:
        hosts = read_file(proc, "/etc/hosts")
    except OSError:
        hosts = ""
    for line in hosts.splitlines():
        f = line.split("#")[0].split()
        if len(f) > 1 and proc.hostname in f[1:] and re.fullmatch(r"\d+\.\d+\.\d+\.\d+", f[0]):
            addr = [int(x) for x in f[0].split(".")]
            break
    value = 0 if addr is None else (addr[1] << 24) | (addr[0] << 16) | (addr[3] << 8) | addr[2]
    proc.out(f"{value:08x}\n")
    return 0
    yield


def logname_main(proc):
    proc.err("logname: getlogin: No such device or address\n")
    return 1
    yield
