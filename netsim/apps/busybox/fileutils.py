"""File applets of busybox 1.35: find, cp, mv, ln, chmod, rmdir, stat,
readlink, realpath, which.

They work on the container's mount table (:class:`netsim.fs.Filesystem`):
nodes are looked up through the deepest mount; a write to an image file
copies it up into the container's layer first (overlayfs).  Not modelled:
hard links (``ln`` without ``-s`` copies the file: link counts stay 1),
inode and device numbers, file times (a node has none: ``stat`` shows the
simulated clock), owners other than root, and directory order — ``find``
lists names sorted where Linux returns ext4's hash order (a per-filesystem
random seed).
"""
from __future__ import annotations

import errno
import fnmatch
import posixpath
import re
import time

from .common import UsageError, getopt
from .shellutils import show_usage, spawn

BLOCK = 4096


def lstat_node(fs, path: str):
    """The node at ``path`` without following a final symlink (through mounts)."""
    m, inner = fs.resolve(path)
    return m.backend.lookup(inner)


def _strerror(code: int) -> str:
    import os
    return os.strerror(code)


def _errno(exc: OSError) -> int:
    return exc.errno if exc.errno else errno.ENOENT


def _node_follow(fs, path: str):
    """``stat``: the node behind ``path`` and an errno (0 when found).  A
    missing component is ENOENT, a file used as a directory ENOTDIR."""
    path = fs.norm(path)
    parts = [p for p in path.split("/") if p]
    cur = "/"
    for k, part in enumerate(parts):
        node = fs.node(cur)
        if node is None:
            return None, errno.ENOENT
        if node.kind != "dir":
            return None, errno.ENOTDIR
        cur = cur.rstrip("/") + "/" + part
    node = fs.node(cur)
    return node, (0 if node is not None else errno.ENOENT)


def _write_node(fs, path: str, node) -> None:
    """Create ``path`` as a copy of ``node`` (a file or symlink) in the
    writable mount covering it."""
    if node.kind == "symlink":
        fs.symlink(path, node.data)
        return
    fs.write(path, node.data)
    set_mode(fs, path, node.mode)
    if hasattr(node, "length"):                     # a blob: only its size is kept
        m, inner = fs.resolve(path)
        copy = node.copy()
        copy.mode = node.mode
        m.backend.upper.put(inner, copy)


def _upper_node(fs, path: str, follow: bool = True):
    """The node at ``path`` in its mount's writable layer, copied up from a
    lower one first (a directory without its contents: the overlay still
    merges the lower ones)."""
    if follow:
        node = fs.node(path)
        if node is not None and lstat_node(fs, path).kind == "symlink":
            target = lstat_node(fs, path).data
            path = fs.norm(target, posixpath.dirname(fs.norm(path)))
    m, inner = fs.resolve(path)
    if m.readonly:
        raise OSError(errno.EROFS, "Read-only file system", path)
    backend = m.backend
    node = backend.lookup(inner)
    if node is None:
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)
    upper = backend.upper.get(inner)
    if upper is not node:
        backend._copy_up_parents(inner)
        node = node.copy()
        backend.upper.put(inner, node)
    return node


def set_mode(fs, path: str, mode: int) -> None:
    """``chmod(2)``: only the owner (or root) may."""
    uid = getattr(fs, "uid", 0)
    if uid and (fs.node(path) is not None and fs.node(path).uid != uid):
        raise PermissionError(errno.EPERM, "Operation not permitted", path)
    _upper_node(fs, path, follow=False).mode = mode & 0o7777


def set_owner(fs, path: str, uid: int | None, gid: int | None, follow: bool = True) -> None:
    """``chown(2)``/``lchown(2)``: root only (CAP_CHOWN)."""
    if getattr(fs, "uid", 0):
        if fs.node(path) is None:
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)
        raise PermissionError(errno.EPERM, "Operation not permitted", path)
    node = _upper_node(fs, path, follow)
    if uid is not None:
        node.uid = uid
    if gid is not None:
        node.gid = gid


def _join(parent: str, name: str) -> str:
    return parent + name if parent.endswith("/") else parent + "/" + name


# -- find ----------------------------------------------------------------------------

class _FindUsage(Exception):
    pass


class _FindError(Exception):
    pass


_FIND_UNITS = {"c": 1, "w": 2, "b": 512, "k": 1024, "M": 1024 ** 2, "G": 1024 ** 3}


def _find_parse(tokens: list[str]):
    """The expression as nested tuples; also whether it has an action."""
    pos = 0
    has_action = False

    def peek():
        return tokens[pos] if pos < len(tokens) else None

    def arg(name):
        nonlocal pos
        if pos >= len(tokens):
            raise _FindError(f"{name} requires an argument")
        pos += 1
        return tokens[pos - 1]

    def primary():
        nonlocal pos, has_action
        tok = tokens[pos]
        pos += 1
        if tok in ("!", "-not"):
            return ("not", unary())
        if tok == "(":
            e = or_expr()
            if peek() == ")":
                pos += 1
            return e
        if tok in ("-name", "-iname", "-path", "-ipath", "-wholename", "-regex"):
            return (tok, arg(tok))
        if tok == "-type":
            t = arg(tok)
            if len(t) != 1 or t not in "fdlbcsp":
                raise _FindError(f"invalid argument '{t}' to '-type'")
            return ("-type", t)
        if tok in ("-maxdepth", "-mindepth"):
            return (tok, int(arg(tok)))
        if tok in ("-print", "-print0", "-delete", "-quit"):
            if tok != "-quit":
                has_action = True
            return (tok,)
        if tok in ("-follow", "-xdev", "-depth", "-prune"):
            return (tok,)
        if tok in ("-empty", "-executable"):
            return (tok,)
        if tok == "-size":
            s = arg(tok)
            m = re.fullmatch(r"([+-]?)(\d+)([cwbkMG]?)", s)
            if not m:
                raise _FindError(f"invalid argument '{s}' to '-size'")
            return ("-size", m.group(1), int(m.group(2)) * _FIND_UNITS[m.group(3) or "b"])
        if tok == "-perm":
            return ("-perm", arg(tok))
        if tok in ("-user", "-group", "-mtime", "-mmin", "-atime", "-amin", "-ctime", "-cmin",
                   "-newer", "-links", "-inum", "-uid", "-gid"):
            return (tok, arg(tok))
        if tok in ("-exec", "-ok"):
            has_action = True
            cmd = []
            while pos < len(tokens) and tokens[pos] not in (";", "+"):
                cmd.append(tokens[pos])
                pos += 1
            if pos >= len(tokens) or not cmd:
                raise _FindError(f"{tok} requires an argument")
            term = tokens[pos]
            pos += 1
            return ("-exec", cmd, term == "+")
        raise _FindUsage(tok)

    def unary():
        return primary()

    def and_expr():
        nonlocal pos
        items = [unary()]
        while pos < len(tokens) and tokens[pos] not in ("-o", "-or", ")"):
            if tokens[pos] in ("-a", "-and"):
                pos += 1
            items.append(unary())
        return ("and", items) if len(items) > 1 else items[0]

    def or_expr():
        nonlocal pos
        items = [and_expr()]
        while peek() in ("-o", "-or"):
            pos += 1
            items.append(and_expr())
        return ("or", items) if len(items) > 1 else items[0]

    if not tokens:
        return None, False
    e = or_expr()
    return e, has_action


def _collect(e, key, out):
    if e is None:
        return out
    if e[0] in ("and", "or"):
        for x in e[1]:
            _collect(x, key, out)
    elif e[0] == "not":
        _collect(e[1], key, out)
    elif e[0] == key:
        out.append(e)
    return out


def find_main(proc):
    fs = proc.fs
    args = list(proc.argv[1:])
    follow = False
    while args and args[0] in ("-L", "-H", "-P"):
        follow = follow or args[0] == "-L"
        args.pop(0)
    paths = []
    while args and not (args[0].startswith("-") and len(args[0]) > 1) and args[0] not in ("!", "("):
        paths.append(args.pop(0))
    try:
        expr, has_action = _find_parse(args)
    except _FindUsage as u:
        proc.err(f"find: unrecognized: {u}\n")
        return show_usage(proc, "find")
    except _FindError as err:
        proc.err(f"find: {err}\n")
        return 1
    except ValueError:
        return show_usage(proc, "find")
    follow = follow or bool(_collect(expr, "-follow", []))
    maxdepth = min([x[1] for x in _collect(expr, "-maxdepth", [])] or [None], key=lambda v: (v is None, v))
    mindepth = max([x[1] for x in _collect(expr, "-mindepth", [])] or [0])
    depth_first = bool(_collect(expr, "-depth", []))
    out: list[str] = []
    batches: dict[int, list[str]] = {}
    state = {"quit": False, "rc": 0}

    def stat(path):
        node = fs.node(path) if follow else lstat_node(fs, path)
        return node

    def evaluate(e, path, shown, node, depth):
        kind = e[0]
        if kind == "and":
            for x in e[1]:
                v = yield from evaluate(x, path, shown, node, depth)
                if not v:
                    return False
            return True
        if kind == "or":
            for x in e[1]:
                v = yield from evaluate(x, path, shown, node, depth)
                if v:
                    return True
            return False
        if kind == "not":
            v = yield from evaluate(e[1], path, shown, node, depth)
            return not v
        base = shown.rstrip("/").rsplit("/", 1)[-1] if shown.strip("/") else shown
        if kind in ("-name", "-iname"):
            pat = e[1]
            return fnmatch.fnmatchcase(base.lower(), pat.lower()) if kind == "-iname" \
                else fnmatch.fnmatchcase(base, pat)
        if kind in ("-path", "-wholename", "-ipath"):
            return fnmatch.fnmatchcase(shown.lower(), e[1].lower()) if kind == "-ipath" \
                else fnmatch.fnmatchcase(shown, e[1])
        if kind == "-regex":
            return re.fullmatch(e[1], shown) is not None
        if kind == "-type":
            return {"f": "file", "d": "dir", "l": "symlink"}.get(e[1]) == node.kind
        if kind in ("-print", "-print0"):
            out.append(shown + ("\n" if kind == "-print" else "\0"))
            return True
        if kind == "-quit":
            state["quit"] = True
            return True
        if kind == "-empty":
            return (node.kind == "file" and node.size == 0) or (node.kind == "dir" and not fs.listdir(path))
        if kind == "-executable":
            return bool(node.mode & 0o111)
        if kind == "-size":
            size = node.size if node.kind != "dir" else BLOCK
            sign, limit = e[1], e[2]
            if sign == "+":
                return size > limit
            if sign == "-":
                return size < limit
            unit = limit if limit else 1
            return -(-size // 512) == limit // 512 if unit >= 512 else size == limit
        if kind == "-perm":
            m = e[1]
            mode = node.mode & 0o7777
            want = int(m.lstrip("-+/"), 8) if re.fullmatch(r"[-+/]?[0-7]+", m) else 0
            if m[:1] == "-":
                return mode & want == want
            if m[:1] in "+/":
                return bool(mode & want) or want == 0
            return mode == want
        if kind in ("-user", "-uid"):
            return e[1] in ("root", "0")
        if kind in ("-group", "-gid"):
            return e[1] in ("root", "0")
        if kind == "-delete":
            try:
                fs.remove(path)
            except OSError as err:
                proc.err(f"find: {shown}: {_strerror(_errno(err))}\n")
                state["rc"] = 1
                return False
            return True
        if kind == "-exec":
            cmd, plus = e[1], e[2]
            if plus:
                batches.setdefault(id(e), [e, []])[1].append(shown)
                return True
            proc.out("".join(out))
            out.clear()
            status = yield from spawn(proc, [shown if a == "{}" else a.replace("{}", shown) for a in cmd])
            if status == 127:
                proc.err(f"find: {cmd[0]}: No such file or directory\n")
            return status == 0
        return True                                 # options: -maxdepth, -follow, -xdev…

    def visit(path, shown, depth):
        if state["quit"]:
            return
        node = stat(path)
        if node is None:
            node = lstat_node(fs, path)
        if node is None:
            proc.err(f"find: {shown}: No such file or directory\n")
            state["rc"] = 1
            return
        act = depth >= mindepth

        def act_on():
            if expr is None:
                out.append(shown + "\n")
                return
            v = yield from evaluate(expr, path, shown, node, depth)
            if v and not has_action:
                out.append(shown + "\n")
        if act and not depth_first:
            yield from act_on()
        if node.kind == "dir" and (maxdepth is None or depth < maxdepth):
            try:
                names = fs.listdir(path)
            except OSError:
                names = []
            for name in names:
                yield from visit(_join(path, name), _join(shown, name), depth + 1)
                if state["quit"]:
                    break
        if act and depth_first and not state["quit"]:
            yield from act_on()

    for p in paths or ["."]:
        yield from visit(fs.norm(p, proc.cwd or "/"), p, 0)
        if state["quit"]:
            break
    proc.out("".join(out))
    for e, names in batches.values():
        argv = []
        for a in e[1]:
            argv += names if a == "{}" else [a]
        status = yield from spawn(proc, argv)
        if status:
            state["rc"] = 1
    return state["rc"]


# -- cp / mv -------------------------------------------------------------------------

def _copy_tree(fs, src: str, dst: str, follow_links: bool) -> None:
    node = fs.node(src) if follow_links else lstat_node(fs, src)
    if node.kind == "dir":
        if not fs.is_dir(dst):
            fs.mkdir(dst)
        set_mode(fs, dst, node.mode)
        for name in fs.listdir(src):
            _copy_tree(fs, _join(src, name), _join(dst, name), False)
        return
    if lstat_node(fs, dst) is not None and not fs.is_dir(dst):
        fs.remove(dst)
    _write_node(fs, dst, node)


def cp_main(proc):
    try:
        opts, args = getopt(proc, "arRPdLHpfinlsTut:v", proc.argv[1:])
    except UsageError:
        return show_usage(proc, "cp")
    target_dir = opts.get("t")
    if target_dir is not None:
        sources, dest = args, target_dir
    elif len(args) < 2:
        return show_usage(proc, "cp")
    else:
        sources, dest = args[:-1], args[-1]
    fs = proc.fs
    cwd = proc.cwd or "/"
    recursive = bool(opts.get("a") or opts.get("r") or opts.get("R"))
    rc = 0
    dest_path = fs.norm(dest, cwd)
    into = len(sources) > 1 or target_dir is not None or fs.is_dir(dest_path)
    for src in sources:
        spath = fs.norm(src, cwd)
        node = fs.node(spath) if not recursive or opts.get("L") else lstat_node(fs, spath)
        if node is None:
            node2, code = _node_follow(fs, spath)
            proc.err(f"cp: can't stat '{src}': {_strerror(code or errno.ENOENT)}\n")
            rc = 1
            continue
        if node.kind == "dir" and not recursive:
            proc.err(f"cp: omitting directory '{src}'\n")
            rc = 1
            continue
        shown = _join(dest, src.rstrip("/").rsplit("/", 1)[-1]) if into else dest
        tpath = fs.norm(shown, cwd)
        existing, code = _node_follow(fs, tpath)
        if code == errno.ENOTDIR:
            proc.err(f"cp: can't stat '{shown}': Not a directory\n")
            rc = 1
            continue
        if tpath == spath:
            proc.err(f"cp: '{src}' and '{shown}' are the same file\n")
            rc = 1
            continue
        if node.kind == "dir" and (tpath + "/").startswith(spath.rstrip("/") + "/"):
            proc.err(f"cp: cannot copy a directory, '{src}', into itself, '{shown}'\n")
            rc = 1
            continue
        try:
            if node.kind != "dir" and fs.node(posixpath.dirname(tpath)) is None:
                raise FileNotFoundError(errno.ENOENT, "", tpath)
            if node.kind != "dir" and existing is not None and existing.kind == "dir":
                proc.err(f"cp: cannot overwrite directory '{shown}' with non-directory\n")
                rc = 1
                continue
            _copy_tree(fs, spath, tpath, follow_links=node.kind != "symlink")
        except OSError as err:
            proc.err(f"cp: can't create '{shown}': {_strerror(_errno(err))}\n")
            rc = 1
    return rc
    yield


def mv_main(proc):
    try:
        opts, args = getopt(proc, "finTvt:", proc.argv[1:])
    except UsageError:
        return show_usage(proc, "mv")
    target_dir = opts.get("t")
    if target_dir is not None:
        sources, dest = args, target_dir
    elif len(args) < 2:
        return show_usage(proc, "mv")
    else:
        sources, dest = args[:-1], args[-1]
    fs = proc.fs
    cwd = proc.cwd or "/"
    rc = 0
    dest_path = fs.norm(dest, cwd)
    into = len(sources) > 1 or target_dir is not None or fs.is_dir(dest_path)
    for src in sources:
        spath = fs.norm(src, cwd)
        node = lstat_node(fs, spath)
        shown = _join(dest, src.rstrip("/").rsplit("/", 1)[-1]) if into else dest
        tpath = fs.norm(shown, cwd)
        if node is None:
            proc.err(f"mv: can't rename '{src}': No such file or directory\n")
            rc = 1
            continue
        if tpath == spath:
            continue
        if opts.get("n") and lstat_node(fs, tpath) is not None:
            continue
        try:
            if (tpath + "/").startswith(spath.rstrip("/") + "/"):
                raise OSError(errno.EINVAL, "", tpath)
            if fs.node(posixpath.dirname(tpath)) is None:
                raise FileNotFoundError(errno.ENOENT, "", tpath)
            existing = lstat_node(fs, tpath)
            if existing is not None:
                if existing.kind == "dir" and node.kind != "dir":
                    raise IsADirectoryError(errno.EISDIR, "", tpath)
                if existing.kind == "dir":
                    fs.remove(tpath)
                else:
                    fs.remove(tpath)
            _copy_tree(fs, spath, tpath, follow_links=False)
            fs.remove_tree(spath) if node.kind == "dir" else fs.remove(spath)
        except OSError as err:
            proc.err(f"mv: can't rename '{src}': {_strerror(_errno(err))}\n")
            rc = 1
    return rc
    yield


# -- ln ------------------------------------------------------------------------------

def ln_main(proc):
    try:
        opts, args = getopt(proc, "sfnbS:vT", proc.argv[1:])
    except UsageError:
        return show_usage(proc, "ln")
    if not args:
        return show_usage(proc, "ln")
    fs = proc.fs
    cwd = proc.cwd or "/"
    if len(args) == 1:
        targets, link = args, "."
    else:
        targets, link = args[:-1], args[-1]
    link_path = fs.norm(link, cwd)
    into = len(targets) > 1 or (fs.is_dir(link_path) and not (opts.get("n") and
                                                               _is_symlink(fs, link_path)))
    rc = 0
    for t in targets:
        shown = _join(link, t.rstrip("/").rsplit("/", 1)[-1]) if into else link
        lpath = fs.norm(shown, cwd)
        if not opts.get("s"):
            node, code = _node_follow(fs, fs.norm(t, cwd))
            if node is None:
                proc.err(f"ln: {t}: {_strerror(code)}\n")
                rc = 1
                continue
        if lstat_node(fs, lpath) is not None:
            if not opts.get("f"):
                proc.err(f"ln: {shown}: File exists\n")
                rc = 1
                continue
            try:
                fs.remove(lpath)
            except OSError as err:
                proc.err(f"ln: {shown}: {_strerror(_errno(err))}\n")
                rc = 1
                continue
        try:
            if opts.get("s"):
                fs.symlink(lpath, t)
            else:
                _write_node(fs, lpath, node)      # a hard link: a copy (no shared inodes here)
        except OSError as err:
            proc.err(f"ln: {shown}: {_strerror(_errno(err))}\n")
            rc = 1
    return rc
    yield


def _is_symlink(fs, path: str) -> bool:
    node = lstat_node(fs, path)
    return node is not None and node.kind == "symlink"


# -- readlink / realpath ---------------------------------------------------------------

def canonical(fs, path: str, cwd: str, missing_last_ok: bool = True) -> str | None:
    """``realpath(3)``-like: every symlink followed, ``.``/``..`` resolved;
    the last component may be missing (busybox ``xmalloc_realpath_coreutils``)."""
    parts = [p for p in fs.norm(path, cwd).split("/") if p]
    resolved = "/"
    hops = 0
    while parts:
        part = parts.pop(0)
        cand = _join(resolved, part)
        node = lstat_node(fs, cand)
        if node is None:
            if parts or not missing_last_ok:
                return None
            return cand
        if node.kind == "symlink":
            hops += 1
            if hops > 40:
                return None
            target = node.data
            base = "/" if target.startswith("/") else resolved
            parts = [p for p in fs.norm(target, base).split("/") if p] + parts
            resolved = "/"
            continue
        if parts and node.kind != "dir":
            return None
        resolved = cand
    return resolved


def readlink_main(proc):
    try:
        opts, args = getopt(proc, "fnsvq", proc.argv[1:])
    except UsageError:
        return show_usage(proc, "readlink")
    if len(args) != 1:
        return show_usage(proc, "readlink")
    fs = proc.fs
    end = "" if opts.get("n") else "\n"
    if opts.get("f"):
        res = canonical(fs, args[0], proc.cwd or "/")
        if res is None:
            return 1
        proc.out(res + end)
        return 0
    node = lstat_node(fs, fs.norm(args[0], proc.cwd or "/"))
    if node is None or node.kind != "symlink":
        if opts.get("v"):
            proc.err(f"readlink: {args[0]}: Invalid argument\n")
        return 1
    proc.out(node.data + end)
    return 0
    yield


def realpath_main(proc):
    args = proc.argv[1:]
    if not args:
        return show_usage(proc, "realpath")
    rc = 0
    for a in args:
        res = canonical(proc.fs, a, proc.cwd or "/")
        if res is None:
            proc.err(f"realpath: {a}: No such file or directory\n")
            rc = 1
            continue
        proc.out(res + "\n")
    return rc
    yield


# -- chmod -----------------------------------------------------------------------------

def parse_mode(text: str, old: int, is_dir: bool) -> int | None:
    """busybox ``bb_parse_mode``: octal, or ``[ugoa]*[-+=][rwxXst]*`` clauses."""
    if re.fullmatch(r"[0-7]+", text):
        v = int(text, 8)
        return v if v <= 0o7777 else None
    mode = old & 0o7777
    for clause in text.split(","):
        m = re.fullmatch(r"([ugoa]*)((?:[-+=][rwxXstugo]*)+)", clause)
        if not m:
            return None
        who = m.group(1) or "a"
        mask = 0
        for w in who:
            mask |= {"u": 0o4700, "g": 0o2070, "o": 0o1007, "a": 0o7777}[w]
        for op, perms in re.findall(r"([-+=])([rwxXstugo]*)", m.group(2)):
            bits = 0
            for p in perms:
                if p == "r":
                    bits |= 0o444
                elif p == "w":
                    bits |= 0o222
                elif p == "x":
                    bits |= 0o111
                elif p == "X" and (is_dir or mode & 0o111):
                    bits |= 0o111
                elif p == "s":
                    bits |= 0o6000
                elif p == "t":
                    bits |= 0o1000
            bits &= mask
            if op == "+":
                mode |= bits
            elif op == "-":
                mode &= ~bits
            else:
                mode = (mode & ~mask) | bits
    return mode


def _owner_ids(proc, text: str, prog: str):
    """``USER[:GROUP]`` (or ``USER.GROUP``) as busybox's ``parse_chown_usergroup_or_die``:
    names from /etc/passwd and /etc/group, or numbers; (uid, gid) with None
    for a part not given."""
    from .coreutils import _names
    user, sep, group = text.partition(":")
    if not sep and "." in text:
        user, sep, group = text.partition(".")
    uid = gid = None
    if user:
        users = {v: k for k, v in _names(proc, "/etc/passwd").items()}
        if user.isdigit():
            uid = int(user)
        elif user in users:
            uid = users[user]
        else:
            raise ValueError(f"{prog}: unknown user/group {text}" if sep else f"{prog}: unknown user {user}")
    if group:
        groups = {v: k for k, v in _names(proc, "/etc/group").items()}
        if group.isdigit():
            gid = int(group)
        elif group in groups:
            gid = groups[group]
        else:
            raise ValueError(f"{prog}: unknown user/group {text}" if user else f"{prog}: unknown group {group}")
    return uid, gid


def chown_main(proc):
    """``chown [-RhLHPcvf] USER[:[GRP]] FILE...`` and ``chgrp GROUP FILE...``."""
    prog = proc.argv[0].rsplit("/", 1)[-1]
    try:
        opts, args = getopt(proc, "RhLHPcvf", proc.argv[1:])
    except UsageError:
        return show_usage(proc, prog)
    if len(args) < 2:
        return show_usage(proc, prog)
    try:
        uid, gid = _owner_ids(proc, args[0] if prog == "chown" else ":" + args[0], prog)
    except ValueError as e:
        proc.err(f"{e}\n")
        return 1
    fs, cwd, rc = proc.fs, proc.cwd or "/", 0

    def apply(path, shown, top):
        nonlocal rc
        node = lstat_node(fs, path)
        if node is None:
            if not opts.get("f"):
                proc.err(f"{prog}: {shown}: No such file or directory\n")
            rc = 1
            return
        try:
            set_owner(fs, path, uid, gid, follow=top and not opts.get("h"))
        except OSError as err:
            if not opts.get("f"):
                proc.err(f"{prog}: {shown}: {_strerror(_errno(err))}\n")
            rc = 1
            return
        if opts.get("v"):
            now = lstat_node(fs, path) if not top or opts.get("h") else fs.node(path)
            proc.out(f"changed ownership of '{shown}' to {now.uid}:{now.gid}\n")
        if opts.get("R") and node.kind == "dir":
            for name in fs.listdir(path):
                apply(_join(path, name), _join(shown, name), False)

    for f in args[1:]:
        apply(fs.norm(f, cwd), f, True)
    return rc
    yield


def chmod_main(proc):
    argv = proc.argv[1:]
    # a mode like -w or -x looks like an option: busybox lets it through
    mode_like = [a for a in argv if re.fullmatch(r"-[rwxXst]+", a)]
    rest = [a for a in argv if a not in mode_like]
    try:
        opts, args = getopt(proc, "Rcvf", rest)
    except UsageError:
        return show_usage(proc, "chmod")
    args = mode_like[:1] + args if mode_like else args
    if len(args) < 2:
        return show_usage(proc, "chmod")
    spec, files = args[0], args[1:]
    fs = proc.fs
    cwd = proc.cwd or "/"
    rc = 0

    def apply(path, shown, top):
        nonlocal rc
        node = fs.node(path)
        if node is None:
            if not opts.get("f"):
                proc.err(f"chmod: {shown}: No such file or directory\n")
            rc = 1
            return
        new = parse_mode(spec, node.mode, node.kind == "dir")
        if new is None:
            proc.err(f"chmod: invalid mode '{spec}'\n")
            rc = 1
            raise StopIteration
        try:
            set_mode(fs, path, new)
        except OSError as err:
            if not opts.get("f"):
                proc.err(f"chmod: {shown}: {_strerror(_errno(err))}\n")
            rc = 1
            return
        if opts.get("v") or (opts.get("c") and new != node.mode & 0o7777):
            proc.out(f"mode of '{shown}' changed to {new:04o} ({_mode_text(node.kind, new)[1:]})\n")
        if opts.get("R") and node.kind == "dir" and (top or lstat_node(fs, path).kind == "dir"):
            for name in fs.listdir(path):
                child = _join(path, name)
                if lstat_node(fs, child).kind == "symlink":
                    continue
                apply(child, _join(shown, name), False)
    try:
        for f in files:
            apply(fs.norm(f, cwd), f, True)
    except StopIteration:
        return 1
    return rc
    yield


# -- rmdir -----------------------------------------------------------------------------

def rmdir_main(proc):
    args = [a for a in proc.argv[1:] if a != "--ignore-fail-on-non-empty"]
    ignore = len(args) != len(proc.argv) - 1
    try:
        opts, args = getopt(proc, "pv", args)
    except UsageError:
        return show_usage(proc, "rmdir")
    if not args:
        return show_usage(proc, "rmdir")
    fs = proc.fs
    cwd = proc.cwd or "/"
    rc = 0
    for a in args:
        shown = a
        while True:
            path = fs.norm(shown, cwd)
            node = lstat_node(fs, path)
            try:
                if node is None:
                    raise FileNotFoundError(errno.ENOENT, "", path)
                if node.kind != "dir":
                    raise NotADirectoryError(errno.ENOTDIR, "", path)
                if fs.listdir(path):
                    raise OSError(errno.ENOTEMPTY, "", path)
                fs.remove(path)
            except OSError as err:
                if not (ignore and err.errno == errno.ENOTEMPTY):
                    proc.err(f"rmdir: '{shown}': {_strerror(_errno(err))}\n")
                    rc = 1
                break
            if not opts.get("p"):
                break
            shown = shown.rstrip("/")
            if "/" not in shown:
                break
            shown = shown[:shown.rfind("/")].rstrip("/")
            if not shown:
                break
    return rc
    yield


# -- stat ------------------------------------------------------------------------------

def _mode_text(kind: str, mode: int) -> str:
    out = {"dir": "d", "symlink": "l", "chr": "c"}.get(kind, "-")
    for shift, special, ch in ((6, 0o4000, "s"), (3, 0o2000, "s"), (0, 0o1000, "t")):
        bits = (mode >> shift) & 7
        out += "r" if bits & 4 else "-"
        out += "w" if bits & 2 else "-"
        x = bits & 1
        if mode & special:
            out += ch if x else ch.upper()
        else:
            out += "x" if x else "-"
    return out


def _file_type(node) -> str:
    if node.kind == "dir":
        return "directory"
    if node.kind == "symlink":
        return "symbolic link"
    if node.kind == "chr":
        return "character special file"
    return "regular file" if node.size else "regular empty file"


def _raw_mode(node) -> int:
    return {"dir": 0o040000, "symlink": 0o120000, "chr": 0o020000}.get(node.kind, 0o100000) | (node.mode & 0o7777)


def _rdev(node) -> tuple[int, int]:
    """A character device's (major, minor)."""
    major, _, minor = node.data.partition(",")
    return int(major), int(minor)


def _stat_size(node) -> int:
    if node.kind == "chr":
        return 0
    return BLOCK if node.kind == "dir" else node.size


def _stat_blocks(node) -> int:
    if node.kind == "chr":
        return 0
    if node.kind == "dir":
        return BLOCK // 512
    if node.kind == "file":
        return -(-node.size // BLOCK) * (BLOCK // 512)
    return 0


def _links(fs, path: str, node) -> int:
    if node.kind != "dir":
        return 1
    try:
        return 2 + sum(1 for n in fs.listdir(path) if lstat_node(fs, _join(path, n)).kind == "dir")
    except OSError:
        return 2


def _clock(proc) -> float:
    from ...daemon.daemon import EPOCH
    return EPOCH + (proc.kernel.sched.now if proc.kernel is not None else 0.0)


def _time_text(t: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(int(t))) + \
        f".{int(round((t - int(t)) * 1e9)):09d} +0000"


def stat_main(proc):
    try:
        opts, args = getopt(proc, "c:fLt", proc.argv[1:])
    except UsageError:
        return show_usage(proc, "stat")
    if not args:
        return show_usage(proc, "stat")
    from .coreutils import _names
    fs = proc.fs
    users, groups = _names(proc, "/etc/passwd"), _names(proc, "/etc/group")
    now = _clock(proc)
    rc = 0
    out = []
    for a in args:
        path = fs.norm(a, proc.cwd or "/")
        node = fs.node(path) if opts.get("L") else lstat_node(fs, path)
        if node is None:
            proc.err(f"stat: can't stat '{a}': No such file or directory\n")
            rc = 1
            continue
        if opts.get("f"):
            out.append(_statfs_text(a))
            continue
        fields = {
            "a": f"{node.mode & 0o7777:o}", "A": _mode_text(node.kind, node.mode),
            "b": str(_stat_blocks(node)), "B": "512", "d": "39", "D": "27",
            "f": f"{_raw_mode(node):x}", "F": _file_type(node), "g": str(node.gid),
            "G": groups.get(node.gid, "UNKNOWN"), "h": str(_links(fs, path, node)), "i": "0",
            "n": a, "N": f"'{a}' -> '{node.data}'" if node.kind == "symlink" else a,
            "o": str(BLOCK), "s": str(_stat_size(node)),
            "t": f"{_rdev(node)[0]:x}" if node.kind == "chr" else "0",
            "T": f"{_rdev(node)[1]:x}" if node.kind == "chr" else "0", "u": str(node.uid),
            "U": users.get(node.uid, "UNKNOWN"), "x": _time_text(now), "X": str(int(now)),
            "y": _time_text(now), "Y": str(int(now)), "z": _time_text(now), "Z": str(int(now)),
        }
        if "c" in opts:
            out.append(re.sub(r"%(.)", lambda m: fields.get(m.group(1), "?") if m.group(1) != "%" else "%",
                              opts["c"]) + "\n")
        elif opts.get("t"):
            out.append(f"{a} {fields['s']} {fields['b']} {fields['f']} 0 0 27 0 {fields['h']} 0 0 "
                       f"{fields['X']} {fields['Y']} {fields['Z']} {BLOCK}\n")
        else:
            name = fields["N"] if node.kind == "symlink" else a
            out.append(
                f"  File: {name}\n"
                f"  Size: {fields['s']:<10}\tBlocks: {fields['b']:<10} IO Block: {BLOCK:<6} {fields['F']}\n"
                f"Device: {fields['D']}h/{fields['d']}d\tInode: {fields['i']:<11} Links: {fields['h']}\n"
                f"Access: ({node.mode & 0o7777:04o}/{fields['A']})  Uid: ({node.uid:5d}/{fields['U']:>8})   "
                f"Gid: ({node.gid:5d}/{fields['G']:>8})\n"
                f"Access: {fields['x']}\nModify: {fields['y']}\nChange: {fields['z']}\n")
    proc.out("".join(out))
    return rc
    yield


def _statfs_text(name: str) -> str:
    from .sysinfo import HOST_DISK_FSID, HOST_DISK_BLOCKS, HOST_DISK_FREE, HOST_DISK_AVAIL, HOST_DISK_INODES, HOST_DISK_IFREE
    return (f'  File: "{name}"\n'
            f"    ID: {HOST_DISK_FSID} Namelen: 255     Type: UNKNOWN\n"
            f"Block size: {BLOCK:<10}\n"
            f"Blocks: Total: {HOST_DISK_BLOCKS:<10} Free: {HOST_DISK_FREE:<10} Available: {HOST_DISK_AVAIL}\n"
            f"Inodes: Total: {HOST_DISK_INODES:<10} Free: {HOST_DISK_IFREE}\n")


# -- which -----------------------------------------------------------------------------

def which_main(proc):
    try:
        opts, args = getopt(proc, "a", proc.argv[1:])
    except UsageError:
        return show_usage(proc, "which")
    if not args:
        return show_usage(proc, "which")
    fs = proc.fs
    path_dirs = proc.env.get("PATH", "/sbin:/usr/sbin:/bin:/usr/bin").split(":")
    rc = 0
    out = []

    def executable(p):
        node = fs.node(p)
        return node is not None and node.kind == "file" and bool(node.mode & 0o111)
    for name in args:
        found = False
        if "/" in name:
            if executable(fs.norm(name, proc.cwd or "/")):
                out.append(name + "\n")
                found = True
        else:
            for d in path_dirs:
                cand = _join(d or ".", name)
                if executable(fs.norm(cand, proc.cwd or "/")):
                    out.append(cand + "\n")
                    found = True
                    if not opts.get("a"):
                        break
        if not found:
            rc = 1
    proc.out("".join(out))
    return rc
    yield
