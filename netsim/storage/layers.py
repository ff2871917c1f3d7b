"""Image layers as the overlay2 driver stores them, and a container's init layer.

busybox is the reference engine's image: one layer (``docker save busybox``,
tests/golden/storage_busybox_tree.json) holding /bin/busybox (1982256 bytes),
268 applet symlinks to it, /etc/passwd and the empty /root, /tmp, /var/www;
1984162 bytes in all.  Other catalogue images get one plausible layer of their
catalogue size.  The init layer (``<id>-init``) is what dockerd's
``initlayer.Setup`` puts under every container: /.dockerenv, /dev, /proc,
/sys, empty /etc/hosts, /etc/hostname, /etc/resolv.conf and /etc/mtab → /proc/mounts.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .tree import Node, Tree

BUSYBOX_BINARY = 1_982_256
BUSYBOX_DIFF_ID = "sha256:d6c98c46a8a8bf87989ce5690993c3efca80bd5903f960c81bbdd8bc59aa7669"
BUSYBOX_CACHE_ID = "0f1c9f18efc4a7d5cc38bd859aeb93f88b48eb55edc5ef1572c4bd0069bd4b63"
PASSWD = "root:x:0:0:root:/root:/bin/sh\n"


class Blob(Node):
    """A file whose bytes are not kept, only its length (the busybox binary)."""

    def __init__(self, length: int, mode: int = 0o755):
        super().__init__("file", "", mode)
        self.length = length

    @property
    def size(self) -> int:
        return self.length

    def copy(self) -> "Blob":
        return Blob(self.length, self.mode)


@dataclass
class Layer:
    """One read-only layer: its content, DiffID (RootFS.Layers) and cache id (overlay2 dir)."""
    tree: Tree
    diff_id: str
    cache_id: str

    @property
    def size(self) -> int:
        return self.tree.size()


def derived_id(*parts: str) -> str:
    """A stable 64-hex id (overlay2 cache ids, layer digests) from ``parts``."""
    return hashlib.sha256("/".join(parts).encode()).hexdigest()


def applets() -> list[str]:
    return (Path(__file__).with_name("busybox_applets.txt")).read_text().split()


def busybox_layer() -> Layer:
    t = Tree()
    for d in ("/bin", "/etc", "/root", "/tmp", "/var", "/var/www"):
        t.put(d, Node("dir"))
    t.put("/bin/busybox", Blob(BUSYBOX_BINARY))
    for name in applets():
        t.put("/bin/" + name, Node("symlink", "busybox", 0o777))
    t.put("/etc/passwd", Node("file", PASSWD, 0o644))
    return Layer(t, BUSYBOX_DIFF_ID, BUSYBOX_CACHE_ID)


def generic_layer(image) -> Layer:
    """A plausible single layer for a catalogue image other than busybox: the
    busybox tree when the image's tools are busybox applets (alpine), else
    /etc/passwd and one file per tool (/usr/bin/NAME, or the tool's absolute
    path); then the image's ``files`` and a blob making up its size."""
    from ..daemon.images import BUSYBOX_APPLETS
    t = Tree()
    if BUSYBOX_APPLETS in image.tools:
        t.nodes = {p: n.copy() for p, n in busybox_layer().tree.nodes.items()}
    else:
        for d in ("/bin", "/etc", "/root", "/tmp", "/usr", "/usr/bin"):
            t.put(d, Node("dir"))
        t.put("/etc/passwd", Node("file", "root:x:0:0:root:/root:/bin/bash\n", 0o644))
    for name in image.tools:
        if name != BUSYBOX_APPLETS:
            path = name if name.startswith("/") else ("/bin/" if name in ("sh", "bash") else "/usr/bin/") + name
            t.put(path, Node("file", "", 0o755))
    for d in ("/usr", "/usr/lib", "/home"):
        t.put(d, Node("dir"))
    for path, content in image.files:
        parts = path.strip("/").split("/")
        for i in range(1, len(parts)):
            t.nodes.setdefault("/" + "/".join(parts[:i]), Node("dir"))
        if path.endswith("/"):
            t.put(path.rstrip("/"), Node("dir"))
        else:
            t.put(path, Node("file", content, 0o644))
    rest = max(image.size - t.size(), 0)
    t.put(f"/usr/lib/{image.name.replace('/', '_')}.img", Blob(rest, 0o644))
    return Layer(t, "sha256:" + derived_id("diff", image.id), derived_id("cache", image.id))


def init_layer() -> Tree:
    t = Tree()
    for d in ("/dev", "/dev/pts", "/dev/shm", "/etc", "/proc", "/sys"):
        t.put(d, Node("dir"))
    t.put("/.dockerenv", Node("file", "", 0o755))
    t.put("/dev/console", Node("file", "", 0o755))
    for f in ("/etc/hostname", "/etc/hosts", "/etc/resolv.conf"):
        t.put(f, Node("file", "", 0o755))
    t.put("/etc/mtab", Node("symlink", "/proc/mounts", 0o777))
    return t
