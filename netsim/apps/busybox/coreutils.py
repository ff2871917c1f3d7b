"""Small file and process applets: cat, echo, env, hostname, ls, grep…"""
from __future__ import annotations

import re

from .. import libc
from .common import UsageError, getopt, read_file, usage

# the reference machine's kernel (exec_misc records ``uname -r``)
UNAME = {"s": "Linux", "n": None, "r": "6.18.44-fc-v595", "v": "#1 SMP",
         "m": "x86_64", "o": "GNU/Linux"}


def _name(proc) -> str:
    return proc.argv[0].rsplit("/", 1)[-1]


def _ferr(exc) -> str:
    if isinstance(exc, OSError) and exc.strerror and not isinstance(exc, FileNotFoundError):
        return exc.strerror
    if isinstance(exc, IsADirectoryError):
        return "Is a directory"
    if isinstance(exc, FileExistsError):
        return "File exists"
    return "No such file or directory"


def _inputs(proc, args):
    """Yield ``(name, text or exception)`` for file operands ("-" is stdin)."""
    for a in args or ["-"]:
        if a == "-":
            yield a, proc.stdin
            continue
        try:
            yield a, read_file(proc, a)
        except OSError as e:
            yield a, e


def cat_main(proc):
    rc = 0
    for name, text in _inputs(proc, [a for a in proc.argv[1:] if not (a.startswith("-") and a != "-")]):
        if isinstance(text, Exception):
            if isinstance(text, IsADirectoryError):
                proc.err("cat: read error: Is a directory\n")
            else:
                proc.err(f"cat: can't open '{name}': {text.strerror or 'No such file or directory'}\n")
            rc = 1
            continue
        proc.out(text)
    return rc
    yield


def echo_text(args: list[str]) -> str:
    newline = True
    escapes = False
    while args and re.fullmatch(r"-[neE]+", args[0]):
        for c in args[0][1:]:
            if c == "n":
                newline = False
            elif c == "e":
                escapes = True
            else:
                escapes = False
        args = args[1:]
    text = " ".join(args)
    if escapes:
        text, _, _ = text.partition("\\c") if "\\c" in text else (text, "", "")
        text = (text.replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\"))
    return text + ("\n" if newline else "")


def echo_main(proc):
    proc.out(echo_text(proc.argv[1:]))
    return 0
    yield


def true_main(proc):
    return 0
    yield


def false_main(proc):
    return 1
    yield


def env_main(proc):
    args = proc.argv[1:]
    if args and args[0] not in ("-", "-i") and not "=" in args[0] and not args[0].startswith("-"):
        from . import run_argv, NOT_FOUND
        from .common import subproc
        child = subproc(proc, args, on_output=lambda s, t: (proc.out if s == "stdout" else proc.err)(t))
        gen = run_argv(child)
        if gen is NOT_FOUND:
            proc.err(f"env: can't execute '{args[0]}': No such file or directory\n")
            return 127
        return (yield from gen)
    proc.out("".join(f"{k}={v}\n" for k, v in proc.env.items()))
    return 0


def printenv_main(proc):
    names = proc.argv[1:]
    if not names:
        proc.out("".join(f"{k}={v}\n" for k, v in proc.env.items()))
        return 0
    rc = 0
    for n in names:
        if n in proc.env:
            proc.out(proc.env[n] + "\n")
        else:
            rc = 1
    return rc
    yield


def _duration(text: str) -> float | None:
    m = re.fullmatch(r"(\d+(?:\.\d*)?|\.\d+)([smhd]?)", text)
    if not m:
        return None
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


def sleep_main(proc):
    args = proc.argv[1:]
    if not args:
        from .usage_texts import USAGE
        return usage(proc, "sleep", USAGE["sleep"])
    total = 0.0
    for a in args:
        d = _duration(a)
        if d is None:
            if "." in a:
                # parse_duration_str parses the number part, then writes '1' over
                # the byte before the suffix (the previous NUL when there is no number)
                a = "1" + a[len(re.match(r"[0-9.]*", a).group(0)):]
            proc.err(f"sleep: invalid number '{a}'\n")
            return 1
        total += d
    yield total
    return 0


def id_main(proc):
    try:
        opts, _ = getopt(proc, "ugnrG", proc.argv[1:])
    except UsageError:
        return usage(proc, "id", "[-ugGnr] [USER]")
    users, groups = _names(proc, "/etc/passwd"), _names(proc, "/etc/group")

    def show(num, names, bare):
        if bare:
            return names.get(num, str(num)) if opts.get("n") else str(num)
        return f"{num}({names[num]})" if num in names else str(num)

    if opts.get("u"):
        proc.out(show(proc.uid, users, True) + "\n")
    elif opts.get("g"):
        proc.out(show(proc.gid, groups, True) + "\n")
    elif opts.get("G"):
        proc.out(" ".join(show(g, groups, True) for g in proc.groups) + "\n")
    else:
        proc.out(f"uid={show(proc.uid, users, False)} gid={show(proc.gid, groups, False)} "
                 f"groups={','.join(show(g, groups, False) for g in proc.groups)}\n")
    return 0
    yield


def _names(proc, path: str) -> dict[int, str]:
    """uid/gid -> name from /etc/passwd or /etc/group (missing file: none)."""
    try:
        text = read_file(proc, path)
    except (FileNotFoundError, IsADirectoryError):
        return {}
    out = {}
    for line in text.splitlines():
        parts = line.split(":")
        if len(parts) > 2 and parts[2].isdigit():
            out.setdefault(int(parts[2]), parts[0])
    return out


def whoami_main(proc):
    name = _names(proc, "/etc/passwd").get(proc.uid)
    if name is None:
        proc.err(f"whoami: unknown uid {proc.uid}\n")
        return 1
    proc.out(name + "\n")
    return 0
    yield


def pwd_main(proc):
    proc.out((proc.cwd or "/") + "\n")
    return 0
    yield


def uname_main(proc):
    try:
        opts, _ = getopt(proc, "asnrvmpio", proc.argv[1:])
    except UsageError:
        return usage(proc, "uname", "[-amnrspvio]")
    vals = dict(UNAME, n=proc.hostname)
    if opts.get("a"):
        order = "snrvmo"
    else:
        order = "".join(c for c in "snrvmo" if opts.get(c)) or "s"
    proc.out(" ".join(vals[c] for c in order) + "\n")
    return 0
    yield


def hostname_main(proc):
    try:
        opts, args = getopt(proc, "dfisF:v", proc.argv[1:])
    except UsageError:
        return usage(proc, "hostname", "[-sidf] [HOSTNAME | -F FILE]\n\n"
                     "Show or set hostname or DNS domain name\n\n"
                     "\t-s\tShort\n\t-i\tAddresses for the hostname\n"
                     "\t-d\tDNS domain name\n\t-f\tFully qualified domain name\n"
                     "\t-F FILE\tUse FILE's content as hostname")
    name = proc.hostname
    if opts.get("d") or opts.get("f") or opts.get("i"):
        ent = yield from libc.gethostbyname(proc, name)
        if not isinstance(ent, libc.HostEnt):
            proc.err(f"hostname: {name}: {libc.HSTRERROR.get(ent, 'Unknown host')}\n")
            return 1
        if opts.get("f"):
            proc.out(ent.name + "\n")
        elif opts.get("s"):
            proc.out(ent.name.split(".")[0] + "\n")
        elif opts.get("d"):
            if "." in ent.name:
                proc.out(ent.name.split(".", 1)[1] + "\n")
        else:
            proc.out(" ".join(ent.addrs) + "\n")
        return 0
    if opts.get("s"):
        proc.out(name.split(".")[0] + "\n")
        return 0
    if args or opts.get("F"):
        proc.err("hostname: sethostname: Operation not permitted\n")
        return 1
    proc.out(name + "\n")
    return 0


def dnsdomainname_main(proc):
    """``dnsdomainname``: busybox's hostname applet with ``-d`` forced on
    (``applet_name[0] == 'd'``); hostname's other options still parse."""
    proc.argv = [proc.argv[0], "-d"] + list(proc.argv[1:])
    return (yield from hostname_main(proc))


def ls_main(proc):
    try:
        opts, args = getopt(proc, "1alAhdFn", proc.argv[1:])
    except UsageError:
        return usage(proc, "ls", "[-1AaCxdLHRFplinshrSXvctu] [-w WIDTH] [FILE]...")
    from .procfs import proc_listdir
    fs = proc.fs
    rc = 0
    outs = []
    targets = args or ["."]
    # the directories of /proc and /sys the kernel model computes
    kernel_dirs = {t: proc_listdir(proc, t) for t in targets}
    # busybox sorts the operands: files first, then directories
    is_dir = {t: (kernel_dirs[t] is not None or fs.is_dir(fs.norm(t, proc.cwd or "/")))
              and not opts.get("d") for t in targets}
    targets = sorted(targets, key=lambda t: (is_dir[t], t))
    for t in targets:
        path = fs.norm(t, proc.cwd or "/")
        if kernel_dirs[t] is not None and not opts.get("d"):
            outs.append((t, kernel_dirs[t]))
        elif fs.is_dir(path) and not opts.get("d"):
            try:
                names = fs.listdir(path)
            except OSError as e:        # opendir: no read or search permission
                proc.err(f"ls: can't open '{t}': {e.strerror}\n")
                rc = 1
                continue
            if not (opts.get("a") or opts.get("A")):
                names = [n for n in names if not n.startswith(".")]
            if opts.get("a"):
                names = [".", ".."] + names
            outs.append((t, names))
        elif fs.exists(path):
            outs.append((None, [t]))
        else:
            proc.err(f"ls: {t}: No such file or directory\n")
            rc = 1
    multi = len(targets) > 1
    longl = None
    if opts.get("l") or opts.get("n"):
        from .lslong import LongLister
        longl = LongLister(proc, opts)
    text = ""
    for i, (t, names) in enumerate(outs):
        if multi and t is not None:
            text += ("\n" if i else "") + f"{t}:\n"
        if longl is None or (t is not None and kernel_dirs.get(t) is not None):
            text += "".join(n + "\n" for n in names)
        elif t is None:                 # a file operand (or a directory with -d)
            text += longl.line(fs.norm(names[0], proc.cwd or "/"), names[0]) or ""
        else:
            text += longl.directory(fs.norm(t, proc.cwd or "/"), names)
    proc.out(text)
    return rc
    yield


def mkdir_main(proc):
    try:
        opts, args = getopt(proc, "pm:", proc.argv[1:])
    except UsageError:
        return usage(proc, "mkdir", "[-m MODE] [-p] DIRECTORY...")
    rc = 0
    for a in args:
        try:
            proc.fs.mkdir(proc.fs.norm(a, proc.cwd or "/"), parents=bool(opts.get("p")))
        except OSError as e:
            proc.err(f"mkdir: can't create directory '{a}': {_ferr(e)}\n")
            rc = 1
    return rc
    yield


def touch_main(proc):
    try:
        opts, args = getopt(proc, "cam", proc.argv[1:])
    except UsageError:
        return usage(proc, "touch", "[-c] [-d DATE] [-t DATE] [-r FILE] FILE...")
    rc = 0
    for a in args:
        path = proc.fs.norm(a, proc.cwd or "/")
        if proc.fs.exists(path):
            continue
        if opts.get("c"):
            continue
        try:
            proc.fs.write(path, "")
        except OSError as e:
            proc.err(f"touch: {a}: {_ferr(e)}\n")
            rc = 1
    return rc
    yield


def rm_main(proc):
    try:
        opts, args = getopt(proc, "rRfi", proc.argv[1:])
    except UsageError:
        return usage(proc, "rm", "[-irf] FILE...")
    rc = 0
    fs = proc.fs
    for a in args:
        path = fs.norm(a, proc.cwd or "/")
        if fs.is_dir(path) and not (opts.get("r") or opts.get("R")):
            proc.err(f"rm: '{a}' is a directory\n")
            rc = 1
            continue
        try:
            fs.remove_tree(path) if fs.is_dir(path) else fs.remove(path)
        except FileNotFoundError:
            if not opts.get("f"):
                proc.err(f"rm: can't remove '{a}': No such file or directory\n")
                rc = 1
        except OSError as e:
            proc.err(f"rm: can't remove '{a}': {e.strerror}\n")
            rc = 1
    return rc
    yield


def grep_main(proc):
    try:
        opts, args = getopt(proc, "vicqlnEFHhoe:sw", proc.argv[1:])
    except UsageError:
        return usage(proc, "grep", "[-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...")
    if "e" in opts:
        pattern = opts["e"]
    elif args:
        pattern, args = args[0], args[1:]
    else:
        return usage(proc, "grep", "[-HhnlLoqvsrRiwFE] { PATTERN | -e PATTERN } [FILE]...")
    flags = re.I if opts.get("i") else 0
    if opts.get("F"):
        rx = re.compile(re.escape(pattern), flags)
    else:
        pat = pattern if opts.get("E") else _bre_to_ere(pattern)
        if opts.get("w"):
            pat = rf"\b(?:{pat})\b"
        rx = re.compile(pat, flags)
    show_name = (len(args) > 1 and not opts.get("h")) or opts.get("H")
    found = False
    rc_err = False
    out = ""
    for name, text in _inputs(proc, args):
        if isinstance(text, Exception):
            if not opts.get("s"):
                proc.err(f"grep: {name}: {_ferr(text)}\n")
            rc_err = True
            continue
        count = 0
        for n, line in enumerate(text.splitlines(), 1):
            hit = bool(rx.search(line)) != bool(opts.get("v"))
            if not hit:
                continue
            found = True
            count += 1
            if opts.get("q") or opts.get("c") or opts.get("l"):
                continue
            prefix = (f"{'(standard input)' if name == '-' else name}:" if show_name else "") + \
                (f"{n}:" if opts.get("n") else "")
            if opts.get("o") and not opts.get("v"):
                out += "".join(prefix + m.group(0) + "\n" for m in rx.finditer(line))
            else:
                out += prefix + line + "\n"
        if opts.get("c"):
            out += (f"{name}:" if show_name else "") + f"{count}\n"
        elif opts.get("l") and count:
            out += f"{'(standard input)' if name == '-' else name}\n"
    if opts.get("q"):
        return 0 if found else (2 if rc_err else 1)
    proc.out(out)
    return 2 if rc_err and not found else (0 if found else 1)
    yield


def _bre_to_ere(p: str) -> str:
    """POSIX basic regex → Python: ``\\(`` ``\\)`` ``\\{`` ``\\|`` are operators,
    bare ``( ) { } | + ?`` are literals."""
    out = ""
    i = 0
    while i < len(p):
        c = p[i]
        if c == "\\" and i + 1 < len(p):
            n = p[i + 1]
            out += n if n in "(){}|+?" else "\\" + n
            i += 2
            continue
        out += "\\" + c if c in "(){}|+?" else c
        i += 1
    return out


def sort_main(proc):
    try:
        opts, args = getopt(proc, "rnu", proc.argv[1:])
    except UsageError:
        return usage(proc, "sort", "[-nru] [FILE]...")
    lines = []
    for name, text in _inputs(proc, args):
        if isinstance(text, Exception):
            proc.err(f"sort: can't open '{name}': {_ferr(text)}\n")
            return 2
        lines += text.splitlines()
    if opts.get("n"):
        def key(s):
            m = re.match(r"\s*(-?\d+(?:\.\d+)?)", s)
            return (float(m.group(1)) if m else 0.0, s)
        lines.sort(key=key)
    else:
        lines.sort()
    if opts.get("r"):
        lines.reverse()
    if opts.get("u"):
        seen, uniq = set(), []
        for ln in lines:
            if ln not in seen:
                seen.add(ln)
                uniq.append(ln)
        lines = uniq
    proc.out("".join(ln + "\n" for ln in lines))
    return 0
    yield


def head_main(proc):
    args = proc.argv[1:]
    n = 10
    if args and re.fullmatch(r"-\d+", args[0]):
        n, args = int(args[0][1:]), args[1:]
    try:
        opts, args = getopt(proc, "n:c:qv", args)
    except UsageError:
        return usage(proc, "head", "[OPTIONS] [FILE]...")
    count_bytes = False
    try:
        if "n" in opts:
            n = _head_count(opts["n"])
        if "c" in opts:
            n, count_bytes = _head_count(opts["c"]), True
    except ValueError as e:
        proc.err(f"head: invalid number '{e}'\n")
        return 1
    rc = 0
    files = args or ["-"]
    header = (len(files) > 1 and not opts.get("q")) or opts.get("v")
    first = True
    for name, text in _inputs(proc, args):
        if isinstance(text, Exception):
            proc.err(f"head: {name}: {_ferr(text)}\n")   # fopen_or_warn
            rc = 1
            continue
        if header:
            proc.out(("" if first else "\n") + f"==> {'standard input' if name == '-' else name} <==\n")
        first = False
        if count_bytes:
            proc.out(text[:n] if n >= 0 else text[:len(text) + n])
        else:
            lines = text.splitlines(keepends=True)
            proc.out("".join(lines[:n] if n >= 0 else lines[:len(lines) + n]))
    return rc
    yield


def _head_count(text: str) -> int:
    """busybox head's count: ``-N`` (FEATURE_FANCY_HEAD: all but the last N)
    and the b/k/m suffixes of ``xatoul_sfx``."""
    sign, digits = (-1, text[1:]) if text.startswith("-") else (1, text)
    mult = {"b": 512, "k": 1024, "m": 1024 * 1024}.get(digits[-1:], 1)
    if mult != 1:
        digits = digits[:-1]
    if not digits.isdigit():
        raise ValueError(text)
    return sign * int(digits) * mult


def wc_main(proc):
    try:
        opts, args = getopt(proc, "lwc", proc.argv[1:])
    except UsageError:
        return usage(proc, "wc", "[-clw] [FILE]...")
    for name, text in _inputs(proc, args):
        if isinstance(text, Exception):
            proc.err(f"wc: {name}: {_ferr(text)}\n")
            return 1
        counts = {"l": text.count("\n"), "w": len(text.split()), "c": len(text.encode())}
        sel = [c for c in "lwc" if opts.get(c)] or ["l", "w", "c"]
        if len(sel) == 1:
            line = str(counts[sel[0]])
        else:
            line = " ".join(f"{counts[c]:>9}" for c in sel)
        proc.out(line + ("" if name == "-" else f" {name}") + "\n")
    return 0
    yield


BLOCK = 4096        # the host filesystem's block: a file takes whole blocks, a directory one


def _lstat(fs, path: str):
    """The node at ``path`` without following a final symlink (through mounts)."""
    m, inner = fs.resolve(path)
    return m.backend.lookup(inner)


def _kbytes(node) -> int:
    """``st_blocks`` in 1K units: directories one block, files whole blocks,
    symlinks none (their short target lives in the inode)."""
    if node.kind == "dir":
        return BLOCK // 1024
    if node.kind == "file":
        return -(-node.size // BLOCK) * (BLOCK // 1024)
    return 0


def du_main(proc):
    """busybox du: sizes in 1K blocks; each directory (``-a``: each file too)
    after its contents, ``-s`` only the operands, ``-c`` a grand total."""
    try:
        opts, args = getopt(proc, "aHLdxskmhc", proc.argv[1:])
    except UsageError:
        return usage(proc, "du", "[-aHLdclsxhmk] [FILE]...")
    fs = proc.fs
    rc, total, out = 0, 0, []

    def walk(path: str, name: str, top: bool) -> int:
        node = _lstat(fs, path)
        size = _kbytes(node)
        if node.kind == "dir":
            for child in fs.listdir(path):
                size += walk(path.rstrip("/") + "/" + child, name.rstrip("/") + "/" + child, False)
        if top and opts.get("s") or not opts.get("s") and (node.kind == "dir" or opts.get("a") or top):
            out.append(f"{size}\t{name}\n")
        return size
    for a in args or ["."]:
        path = fs.norm(a, proc.cwd or "/")
        if _lstat(fs, path) is None:
            proc.err(f"du: {a}: No such file or directory\n")
            rc = 1
            continue
        total += walk(path, a, True)
    if opts.get("c"):
        out.append(f"{total}\ttotal\n")
    proc.out("".join(out))
    return rc
    yield
