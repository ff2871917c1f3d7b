"""``ls -l`` (busybox 1.35 ``display_single``): mode, links, owner, group,
size, time, name (and ``-> target`` for a symlink), with ``total`` (1 KiB
blocks) before a directory's entries.

What the storage model keeps decides the columns: files have no owner but
root and no hard links; a directory's size is ext4's 4096 (overlay2 and
volumes live on ext4) or tmpfs's 20 bytes per entry plus 40; a file
occupies whole 4 KiB blocks.  The time is the simulated clock's: real
recordings show the moment they were made, which the comparisons normalise.
"""
from __future__ import annotations

import time

from .fileutils import _clock, _join, _links, _mode_text, lstat_node

BLOCK = 4096


def _dir_size(fs, path: str) -> int:
    m, _inner = fs.resolve(path)
    if m.fstype == "devpts":
        return 0
    if m.fstype in ("tmpfs", "mqueue"):
        try:
            return 40 + 20 * len(fs.listdir(path))
        except OSError:
            return 40
    return BLOCK


def _blocks_kib(fs, path: str, node) -> int:
    if node.kind == "dir":
        return 0 if fs.resolve(path)[0].fstype in ("tmpfs", "devpts", "mqueue") else BLOCK // 1024
    if node.kind == "file":
        return -(-node.size // BLOCK) * (BLOCK // 1024)
    return 0


def _nlink(fs, path: str, node) -> int:
    """Links: a directory overlayfs merges from several layers reports 1
    (``ovl_getattr``); others 2 + their subdirectories; anything else 1."""
    if node.kind == "dir":
        m, inner = fs.resolve(path)
        stack = getattr(m.backend, "stack", None)
        if m.fstype == "overlay" and stack is not None and \
                sum(1 for layer in stack if getattr(layer.get(inner), "kind", None) == "dir") > 1:
            return 1
    return _links(fs, path, node)


def _time(t: float) -> str:
    """ctime's "Mmm dd hh:mm" (under six months old: everything here)."""
    return time.strftime("%b %e %H:%M", time.gmtime(int(t)))


def human(size: int) -> str:
    """``make_human_readable_str(size, 1, 0)``: one decimal once scaled."""
    from .sysinfo import human as _human
    return _human(size, 1)


def human_whole(value: int) -> str:
    """``make_human_readable_str(value, 0, 0)`` (``total`` with -h): the
    fraction rounds into the value and is not printed."""
    if value == 0:
        return "0"
    units, u, frac = "KMGTPE", -1, 0
    while value >= 1024:
        u += 1
        frac = ((value % 1024) * 10 + 512) // 1024
        value //= 1024
    if frac >= 10:
        value, frac = value + 1, 0
    if frac >= 5:
        value += 1
    return f"{value}{units[u]}" if u >= 0 else f"{value}"


class LongLister:
    def __init__(self, proc, opts):
        from .coreutils import _names
        self.proc, self.fs, self.opts = proc, proc.fs, opts
        self.users = _names(proc, "/etc/passwd")
        self.groups = _names(proc, "/etc/group")
        self.now = _clock(proc)

    def line(self, path: str, shown: str) -> str | None:
        fs, opts = self.fs, self.opts
        node = lstat_node(fs, path)
        if node is None:
            return None
        uid, gid = node.uid, node.gid
        if opts.get("n"):
            owner = f"{uid:<8} {gid:<8} "
        else:
            owner = f"{self.users.get(uid, str(uid))[:8]:<8} {self.groups.get(gid, str(gid))[:8]:<8} "
        if node.kind == "chr":
            size = None
        elif node.kind == "dir":
            size = _dir_size(fs, path)
        elif node.kind == "symlink":
            size = len(node.data.encode())
        else:
            size = node.size
        if size is None:                # a device: its numbers
            major, _, minor = node.data.partition(",")
            size_text = f"{int(major):4d}, {int(minor):3d} "
        else:
            size_text = f"{human(size):>7} " if opts.get("h") else f"{size:9d} "
        text = (f"{_mode_text(node.kind, node.mode if node.kind != 'symlink' else 0o777):<10} "
                f"{_nlink(fs, path, node):4d} {owner}{size_text}{_time(self.now)} {shown}")
        if node.kind == "symlink":
            text += f" -> {node.data}"
        return text + "\n"

    def directory(self, path: str, names: list[str]) -> str:
        """``total N`` then one line per entry (``.``/``..`` included by -a)."""
        fs = self.fs
        total, lines = 0, []
        for name in names:
            if name == ".":
                full = path
            elif name == "..":
                full = path.rsplit("/", 1)[0] or "/"
            else:
                full = _join(path, name)
            node = lstat_node(fs, full)
            if node is None:
                continue
            total += _blocks_kib(fs, full, node)
            lines.append(self.line(full, name))
        if self.opts.get("h"):
            return f"total {human_whole(total * 1024):<7}\n" + "".join(lines)
        return f"total {total}\n" + "".join(lines)
