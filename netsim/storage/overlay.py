"""overlayfs: read-only lower layers under one writable upper layer.

Models the kernel's overlay filesystem as Docker's overlay2 driver mounts it
(``lowerdir=L1:L2,upperdir=U,workdir=W``): a lookup takes the highest layer
holding the name; the first write to a lower file copies it up into the upper
layer (with its parent directories); deleting a lower entry leaves a
*whiteout* in the upper layer; a directory created where a whiteout was is
made opaque.  A plain directory tree (a volume, a tmpfs, the host disk) is an
overlay with no lower layer.
"""
from __future__ import annotations

import errno

from .tree import Node, Tree, ancestors, parent


def fs_error(code: int, path: str) -> OSError:
    cls = {errno.ENOENT: FileNotFoundError, errno.EEXIST: FileExistsError,
           errno.EISDIR: IsADirectoryError, errno.ENOTDIR: NotADirectoryError}.get(code, OSError)
    import os
    return cls(code, os.strerror(code), path)


class Overlay:
    def __init__(self, upper: Tree | None = None, lowers: list[Tree] | None = None):
        self.upper = upper if upper is not None else Tree()
        self.lowers = list(lowers or [])          # highest first

    @property
    def stack(self) -> list[Tree]:
        return [self.upper] + self.lowers

    # -- lookups -------------------------------------------------------------
    def lookup(self, path: str) -> Node | None:
        for layer in self.stack:
            node = layer.get(path)
            if node is not None:
                return None if node.kind == "whiteout" else node
            if layer.hidden_below(path):
                return None
        return None

    def in_lowers(self, path: str) -> Node | None:
        for layer in self.lowers:
            node = layer.get(path)
            if node is not None:
                return None if node.kind == "whiteout" else node
            if layer.hidden_below(path):
                return None
        return None

    def listdir(self, path: str) -> list[str]:
        node = self.lookup(path)
        if node is None:
            raise fs_error(errno.ENOENT, path)
        if node.kind != "dir":
            raise fs_error(errno.ENOTDIR, path)
        seen: dict[str, Node] = {}
        for layer in self.stack:
            if layer.hidden_below(path):
                break
            for name, child in layer.children(path).items():
                seen.setdefault(name, child)
            here = layer.get(path)
            if here is not None and (here.kind != "dir" or here.opaque):
                break
        return sorted(n for n, c in seen.items() if c.kind != "whiteout")

    # -- writes --------------------------------------------------------------
    def _copy_up_parents(self, path: str) -> None:
        for a in ancestors(path):
            if self.upper.get(a) is None:
                lower = self.lookup(a)
                self.upper.put(a, Node("dir", mode=lower.mode if lower else 0o755))

    def _need_parent_dir(self, path: str) -> None:
        p = self.lookup(parent(path))
        if p is None:
            raise fs_error(errno.ENOENT, path)
        if p.kind != "dir":
            raise fs_error(errno.ENOTDIR, path)

    def write(self, path: str, data: str, append: bool = False) -> None:
        node = self.lookup(path)
        if node is not None and node.kind == "dir":
            raise fs_error(errno.EISDIR, path)
        if node is None:
            self._need_parent_dir(path)
        old = node.data if node is not None and append else ""
        self._copy_up_parents(path)
        mode = node.mode if node is not None else 0o644
        owner = (node.uid, node.gid) if node is not None else (0, 0)
        self.upper.put(path, Node("file", old + data, mode, uid=owner[0], gid=owner[1]))

    def symlink(self, path: str, target: str) -> None:
        self._need_parent_dir(path)
        self._copy_up_parents(path)
        self.upper.put(path, Node("symlink", target, 0o777))

    def mkdir(self, path: str, mode: int = 0o755) -> None:
        if self.lookup(path) is not None:
            raise fs_error(errno.EEXIST, path)
        self._need_parent_dir(path)
        self._copy_up_parents(path)
        was = self.upper.get(path)
        self.upper.put(path, Node("dir", mode=mode, opaque=was is not None and was.kind == "whiteout"))

    def remove(self, path: str) -> None:
        """unlink(2)/rmdir(2) of one entry (a directory must be empty)."""
        node = self.lookup(path)
        if node is None:
            raise fs_error(errno.ENOENT, path)
        if node.kind == "dir" and self.listdir(path):
            raise fs_error(errno.ENOTEMPTY, path)
        self.upper.drop(path)
        if self.in_lowers(path) is not None:
            self._copy_up_parents(path)
            self.upper.put(path, Node("whiteout", mode=0))

    def remove_tree(self, path: str) -> None:
        node = self.lookup(path)
        if node is None:
            raise fs_error(errno.ENOENT, path)
        if node.kind == "dir":
            for name in self.listdir(path):
                self.remove_tree(path.rstrip("/") + "/" + name)
        self.remove(path)

    # -- the writable layer as ``docker diff`` and ``docker ps -s`` see it -----
    def changes(self) -> list[tuple[str, str]]:
        """moby ``archive.OverlayChanges``: (kind, path) with A, C, D, sorted by path."""
        out = []
        for path in self.upper.below("/"):
            node = self.upper.get(path)
            if node.kind == "whiteout":
                out.append(("D", path))
            elif self.in_lowers(path) is not None:
                out.append(("C", path))
            else:
                out.append(("A", path))
        return out

    def size_rw(self) -> int:
        return self.upper.size()
