"""One directory tree: an overlay2 layer's ``diff`` directory, a volume's
``_data``, a tmpfs, or the host's own disk.

Paths are absolute inside the tree (``/etc/passwd``).  A node is a directory,
a regular file, a symbolic link or an overlayfs *whiteout* (the character
device 0/0 that hides a lower layer's entry).  A directory may be *opaque*
(xattr ``trusted.overlay.opaque=y``): lower layers' entries below it are hidden.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, replace
from functools import lru_cache


@dataclass
class Node:
    kind: str                 # "dir", "file", "symlink", "whiteout", "chr"
    data: str = ""            # file contents, symlink target, a device's "major,minor"
    mode: int = 0o755
    opaque: bool = False
    uid: int = 0              # owner (the creating process's)
    gid: int = 0

    @property
    def size(self) -> int:
        """Bytes ``du``/``directory.Size`` count: files and link targets, not dirs."""
        return len(self.data.encode()) if self.kind in ("file", "symlink") else 0

    def copy(self) -> "Node":
        return replace(self)


def parent(path: str) -> str:
    return posixpath.dirname(path) or "/"


@lru_cache(maxsize=1 << 16)
def ancestors(path: str) -> tuple[str, ...]:
    """``/a/b/c`` → ``("/", "/a", "/a/b")`` (a pure function of the text:
    every container's rootfs asks it for the same few paths, many times)."""
    out, p = [], path
    while p != "/":
        p = parent(p)
        out.append(p)
    return tuple(out[::-1])


class Tree:
    """A flat map path → :class:`Node`; the root directory always exists."""

    def __init__(self):
        self.nodes: dict[str, Node] = {"/": Node("dir")}

    def get(self, path: str) -> Node | None:
        return self.nodes.get(path)

    def put(self, path: str, node: Node) -> None:
        self.nodes[path] = node

    def drop(self, path: str) -> None:
        """Remove ``path`` and everything below it."""
        prefix = path.rstrip("/") + "/"
        for p in [p for p in self.nodes if p == path or p.startswith(prefix)]:
            if p != "/":
                del self.nodes[p]

    def children(self, path: str) -> dict[str, Node]:
        prefix = path.rstrip("/") + "/"
        return {p[len(prefix):]: n for p, n in self.nodes.items()
                if p.startswith(prefix) and "/" not in p[len(prefix):] and p != path}

    def below(self, path: str) -> list[str]:
        """Every path strictly below ``path``, sorted."""
        prefix = path.rstrip("/") + "/"
        return sorted(p for p in self.nodes if p.startswith(prefix) and p != path)

    def hidden_below(self, path: str) -> bool:
        """True when an ancestor of ``path`` here stops the lookup from going lower."""
        for a in ancestors(path):
            node = self.nodes.get(a)
            if node is not None and (node.kind != "dir" or node.opaque):
                return True
        return False

    def size(self) -> int:
        """moby ``directory.Size``: regular files and symlinks, directories count 0."""
        return sum(n.size for n in self.nodes.values())

    def mkdirs(self, path: str, mode: int = 0o755) -> None:
        for p in (*ancestors(path), path):
            if p not in self.nodes:
                self.nodes[p] = Node("dir", mode=mode)
