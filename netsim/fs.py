"""A container's (or the host's) filesystem as programs see it: a mount table.

Models the view of one mount namespace: the root filesystem (for a container
the overlayfs of its image layers, init layer and writable layer; for the
host a plain disk) plus mounts on top of it (volumes, bind mounts, tmpfs, the
``/etc/hosts``-style file binds).  Each path is resolved through the deepest
mount covering it, then looked up in that mount's backing tree
(:class:`netsim.storage.overlay.Overlay`).  A read-only mount refuses writes
with ``EROFS`` ("Read-only file system").  Programs only use the methods
below; errors are the built-in ``OSError`` subclasses with the kernel's errno.
"""
from __future__ import annotations

import errno
import posixpath
from dataclasses import dataclass, field


@dataclass
class MountEntry:
    """One line of /proc/mounts: ``device target fstype options``."""
    target: str
    backend: object                 # an Overlay
    root: str = "/"                 # the subtree of ``backend`` shown at target
    readonly: bool = False
    device: str = "overlay"
    fstype: str = "overlay"
    options: str = "rw,relatime"
    info: dict = field(default_factory=dict)


class Filesystem:
    def __init__(self, files: dict[str, str] | None = None, dirs: set[str] | None = None,
                 root=None):
        from .storage.overlay import Overlay
        self.mounts: list[MountEntry] = [MountEntry("/", root if root is not None else Overlay())]
        self.proc_mounts = None        # () -> the text of /proc/mounts, set by the storage driver
        for d in sorted(dirs or ()):
            self.mkdir(d, parents=True)
        for path, data in (files or {}).items():
            self.mkdir(posixpath.dirname(path), parents=True)
            self.write(path, data)

    # -- the mount table -------------------------------------------------------
    @property
    def root(self):
        return self.mounts[0].backend

    def mount(self, entry: MountEntry) -> None:
        self.mounts.append(entry)

    def unmount_all(self) -> None:
        del self.mounts[1:]

    def resolve(self, path: str) -> tuple[MountEntry, str]:
        """The mount covering ``path`` (the last one mounted wins) and the path inside it."""
        path = self.norm(path)
        for m in reversed(self.mounts):
            target = m.target
            if target == "/":
                rel = path
            elif path == target:
                rel = ""
            elif path.startswith(target) and path[len(target)] == "/":
                rel = path[len(target):]
            else:
                continue
            root = m.root
            if not rel:
                inner = root
            elif root == "/":
                inner = rel     # what normpath("//" + rel) gives: rel is a normal absolute path
            else:
                inner = posixpath.normpath(root + "/" + rel)
            return m, inner.replace("//", "/")
        raise AssertionError("no root mount")

    def node(self, path: str):
        m, inner = self.resolve(path)
        node = m.backend.lookup(inner)
        if node is not None and node.kind == "symlink":
            target = node.data if node.data.startswith("/") else posixpath.join(posixpath.dirname(path), node.data)
            if target != path:
                return self.node(target)
        return node

    def _writable(self, path: str):
        m, inner = self.resolve(path)
        if m.readonly:
            raise OSError(errno.EROFS, "Read-only file system", path)
        return m.backend, inner

    @staticmethod
    def norm(path: str, cwd: str = "/") -> str:
        if path[:1] == "/" and "//" not in path and "/." not in path and (path[-1] != "/" or path == "/"):
            # absolute, without an empty, "." or ".." component or a trailing
            # slash: normpath would return it unchanged (the usual case)
            return path
        return posixpath.normpath(posixpath.join(cwd, path)).replace("//", "/")

    # -- what programs use -------------------------------------------------------
    def exists(self, path: str) -> bool:
        return self.node(path) is not None

    def is_dir(self, path: str) -> bool:
        node = self.node(path)
        return node is not None and node.kind == "dir"

    def read(self, path: str) -> str:
        node = self.node(path)
        if node is None:
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)
        if node.kind == "dir":
            raise IsADirectoryError(errno.EISDIR, "Is a directory", path)
        if node.kind == "chr":
            return device_read(node.data, path)
        return node.data

    def write(self, path: str, data: str, append: bool = False) -> None:
        node = self.node(path)
        if node is not None and node.kind == "chr":
            device_write(node.data, path)
            return
        backend, inner = self._writable(path)
        backend.write(inner, data, append=append)

    def symlink(self, path: str, target: str) -> None:
        backend, inner = self._writable(path)
        backend.symlink(inner, target)

    def mkdir(self, path: str, parents: bool = False) -> None:
        path = self.norm(path)
        if parents:
            todo = []
            p = path
            while p != "/" and not self.exists(p):
                todo.append(p)
                p = posixpath.dirname(p)
            if p != "/" and not self.is_dir(p):
                raise FileExistsError(errno.EEXIST, "File exists", p)
            for d in reversed(todo):
                backend, inner = self._writable(d)
                backend.mkdir(inner)
            return
        backend, inner = self._writable(path)
        backend.mkdir(inner)

    def remove(self, path: str) -> None:
        """unlink(2): remove a file (or an empty directory)."""
        backend, inner = self._writable(path)
        backend.remove(inner)

    def remove_tree(self, path: str) -> None:
        """``rm -r``: a directory with everything below it."""
        path = self.norm(path)
        if self.is_dir(path) and not self._is_mountpoint(path):
            for name in self.listdir(path):
                self.remove_tree(path.rstrip("/") + "/" + name)
        self.remove(path)

    def _is_mountpoint(self, path: str) -> bool:
        return any(m.target == path for m in self.mounts[1:])

    def listdir(self, path: str) -> list[str]:
        path = self.norm(path)
        node = self.node(path)
        if node is None:
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)
        if node.kind != "dir":
            raise NotADirectoryError(errno.ENOTDIR, "Not a directory", path)
        m, inner = self.resolve(path)
        if m.backend.lookup(inner) is not None and m.backend.lookup(inner).kind == "symlink":
            return self.listdir(self.norm(m.backend.lookup(inner).data, posixpath.dirname(path)))
        return m.backend.listdir(inner)

    # -- compatibility views ------------------------------------------------------
    def walk(self, path: str = "/"):
        """Every path at and below ``path`` (directories first), through mounts."""
        path = self.norm(path)
        yield path
        if self.is_dir(path):
            for name in self.listdir(path):
                yield from self.walk(path.rstrip("/") + "/" + name)

    @property
    def files(self) -> dict[str, str]:
        return {p: self.read(p) for p in self.walk() if self.exists(p) and not self.is_dir(p)}

    @property
    def dirs(self) -> set[str]:
        return {p for p in self.walk() if self.is_dir(p)}


# -- character devices ---------------------------------------------------------------
# A read returns what a program reading to the end would get; the endless
# devices give one 64 KiB read (``head -c``/``od`` take what they need from it).
DEVICE_READ_SIZE = 65536


def device_read(rdev: str, path: str) -> str:
    """Reading /dev/null (nothing), zero and full (zeros), random and
    urandom (bytes of a fixed pseudo-random stream), tty (no controlling
    terminal: ENXIO)."""
    if rdev == "1,3":
        return ""
    if rdev in ("1,5", "1,7"):
        return "\0" * DEVICE_READ_SIZE
    if rdev in ("1,8", "1,9"):
        import random
        # 7-bit bytes: files are text here, and a byte above 127 would count twice
        return bytes(b & 0x7F for b in random.Random(rdev).randbytes(DEVICE_READ_SIZE)).decode("ascii")
    raise OSError(errno.ENXIO, "No such device or address", path)


def device_write(rdev: str, path: str) -> None:
    """Writing: null, zero and the random devices take anything; full is
    always full (ENOSPC); tty: no controlling terminal."""
    if rdev == "1,7":
        raise OSError(errno.ENOSPC, "No space left on device", path)
    if rdev in ("5,0", "5,2"):
        raise OSError(errno.ENXIO, "No such device or address", path)


# -- a process's view: its credentials against the files' owners and modes ---------------
class UserView:
    """The filesystem as a process that is not root sees it (``generic_permission``
    without CAP_DAC_OVERRIDE): creating, replacing or removing a name needs
    write and search permission on the directory, writing a file write
    permission on it, reading it read permission; what the process creates
    is owned by its uid and gid.  Everything else is the shared
    :class:`Filesystem`'s."""

    def __init__(self, fs: Filesystem, uid: int, gid: int):
        self.__dict__["_fs"] = fs
        self.__dict__["uid"] = uid
        self.__dict__["gid"] = gid

    def __getattr__(self, name):
        return getattr(self._fs, name)

    def __setattr__(self, name, value):
        setattr(self._fs, name, value)

    def _may(self, node, bits: int) -> bool:
        mode = node.mode
        if node.uid == self.uid:
            mode >>= 6
        elif node.gid == self.gid:
            mode >>= 3
        return mode & bits == bits

    def _check(self, path: str, bits: int, node=None) -> None:
        node = node if node is not None else self._fs.node(path)
        if node is not None and node.kind != "chr" and not self._may(node, bits):
            raise PermissionError(errno.EACCES, "Permission denied", path)

    def _search(self, path: str) -> None:
        """Search (x) permission on every directory above ``path``."""
        path = self._fs.norm(path)
        parts = path.strip("/").split("/")[:-1]
        cur = ""
        for part in parts:
            cur += "/" + part
            node = self._fs.node(cur)
            if node is not None and node.kind == "dir" and not self._may(node, 1):
                raise PermissionError(errno.EACCES, "Permission denied", path)

    def _check_parent(self, path: str) -> None:
        path = self._fs.norm(path)
        self._search(path)
        self._check(posixpath.dirname(path) or "/", 3)          # -wx

    def _own(self, path: str) -> None:
        m, inner = self._fs.resolve(path)
        node = m.backend.lookup(inner)
        if node is not None:
            node.uid, node.gid = self.uid, self.gid

    def read(self, path: str) -> str:
        self._search(path)
        self._check(self._fs.norm(path), 4)
        return self._fs.read(path)

    def listdir(self, path: str) -> list[str]:
        self._search(path)
        self._check(self._fs.norm(path), 4)
        return self._fs.listdir(path)

    def write(self, path: str, data: str, append: bool = False) -> None:
        self._search(path)
        node = self._fs.node(path)
        if node is None:
            self._check_parent(path)
            self._fs.write(path, data, append)
            self._own(path)
            return
        self._check(path, 2, node)
        self._fs.write(path, data, append)

    def symlink(self, path: str, target: str) -> None:
        self._check_parent(path)
        self._fs.symlink(path, target)
        self._own(path)

    def mkdir(self, path: str, parents: bool = False) -> None:
        path = self._fs.norm(path)
        if parents:
            todo, p = [], path
            while p != "/" and not self._fs.exists(p):
                todo.append(p)
                p = posixpath.dirname(p)
            for d in reversed(todo):
                self.mkdir(d)
            return
        if not self._fs.exists(path):
            self._check_parent(path)
        self._fs.mkdir(path)
        self._own(path)

    def remove(self, path: str) -> None:
        self._check_parent(path)
        self._fs.remove(path)

    def remove_tree(self, path: str) -> None:
        Filesystem.remove_tree(self, path)      # its listdir and remove: this view's


def view_for(fs, uid: int, gid: int):
    """The filesystem a process with these credentials uses."""
    if uid == 0 or fs is None:
        return fs
    base = fs._fs if isinstance(fs, UserView) else fs
    return UserView(base, uid, gid)
