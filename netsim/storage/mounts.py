"""Mount requests (``-v``, ``--mount``, ``--tmpfs``) and what runc mounts at start.

``MountSpec`` is one request as the daemon validates it at create
(``volume/mounts`` parser for Linux); ``attach`` builds a container's mount
table at start: the user's mounts sorted by destination depth (moby
``sortMounts``), each mountpoint created first in whatever lies beneath it,
an empty volume first filled with what the container had at that path
(``copyExistingContents``), then the three network files bind-mounted from
the container's directory — which is why an empty bind-mounted ``/etc`` gains
``hostname``, ``hosts`` and ``resolv.conf`` on the host.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass

from ..errors import InvalidParameter
from ..fs import MountEntry
from .overlay import Overlay
from .tree import Node

# the reference host's disk as /proc/mounts shows volumes and binds (storage_busybox_tree)
HOST_DISK = ("/dev/vda", "ext4", "relatime,discard,resv_strict,resuid=65534,resgid=65534")
TMPFS_OPTIONS = "rw,nosuid,nodev,noexec,relatime"
NETWORK_FILES = ("resolv.conf", "hostname", "hosts")

# what runc puts in a container's /dev (a tmpfs): character devices with
# their (major, minor), the /proc/self/fd links, and the mountpoints of devpts,
# mqueue and shm (tests/golden/breadth4_dev.json)
DEV_NODES = {"full": (1, 7), "null": (1, 3), "random": (1, 8), "tty": (5, 0), "urandom": (1, 9),
             "zero": (1, 5)}
DEV_LINKS = {"fd": "/proc/self/fd", "ptmx": "pts/ptmx", "stderr": "/proc/self/fd/2",
             "stdin": "/proc/self/fd/0", "stdout": "/proc/self/fd/1"}


def dev_mounts() -> list[MountEntry]:
    """runc's /dev: a tmpfs with the devices and links, then devpts (its
    ``ptmx``), mqueue and shm mounted on it."""
    dev = Overlay()
    for name, (major, minor) in DEV_NODES.items():
        dev.upper.put("/" + name, Node("chr", f"{major},{minor}", 0o666))
    for name, target in DEV_LINKS.items():
        dev.upper.put("/" + name, Node("symlink", target, 0o777))
    for name in ("mqueue", "pts", "shm"):
        dev.upper.put("/" + name, Node("dir", "", 0o755))
    pts, mqueue, shm = Overlay(), Overlay(), Overlay()
    pts.upper.put("/ptmx", Node("chr", "5,2", 0o666))
    mqueue.upper.get("/").mode = shm.upper.get("/").mode = 0o1777
    runc = {"runc": True}           # listed in /proc/mounts from RUNC_BEFORE, in its place
    return [MountEntry("/dev", dev, "/", False, "tmpfs", "tmpfs", "rw,nosuid,size=65536k,mode=755", runc),
            MountEntry("/dev/pts", pts, "/", False, "devpts", "devpts",
                       "rw,nosuid,noexec,relatime,gid=5,mode=620,ptmxmode=666", runc),
            MountEntry("/dev/mqueue", mqueue, "/", False, "mqueue", "mqueue",
                       "rw,nosuid,nodev,noexec,relatime", runc),
            MountEntry("/dev/shm", shm, "/", False, "shm", "tmpfs",
                       "rw,nosuid,nodev,noexec,relatime,size=65536k", runc)]


# runc's standard mounts, before and after the user's (tests/golden/storage_busybox_tree.json)
RUNC_BEFORE = [
    ("proc", "/proc", "proc", "rw,nosuid,nodev,noexec,relatime"),
    ("tmpfs", "/dev", "tmpfs", "rw,nosuid,size=65536k,mode=755"),
    ("devpts", "/dev/pts", "devpts", "rw,nosuid,noexec,relatime,gid=5,mode=620,ptmxmode=666"),
    ("sysfs", "/sys", "sysfs", "ro,nosuid,nodev,noexec,relatime"),
    ("tmpfs", "/sys/fs/cgroup", "tmpfs", "rw,nosuid,nodev,noexec,relatime,mode=755"),
] + [("cgroup", f"/sys/fs/cgroup/{c}", "cgroup", f"ro,nosuid,nodev,noexec,relatime,{o}")
     for c, o in (("cpu", "cpu"), ("cpuacct", "cpuacct"), ("cpuset", "cpuset"), ("memory", "memory"),
                  ("devices", "devices"), ("freezer", "freezer"), ("blkio", "blkio"), ("pids", "pids"),
                  ("systemd", "name=systemd"))] + [
    ("mqueue", "/dev/mqueue", "mqueue", "rw,nosuid,nodev,noexec,relatime"),
    ("shm", "/dev/shm", "tmpfs", "rw,nosuid,nodev,noexec,relatime,size=65536k"),
]
RUNC_AFTER = [("proc", f"/proc/{p}", "proc", "ro,nosuid,nodev,noexec,relatime") for p in ("bus", "fs", "irq", "sys")] + [
    ("tmpfs", "/proc/acpi", "tmpfs", "ro,relatime"),
    ("tmpfs", "/proc/keys", "tmpfs", "rw,nosuid,size=65536k,mode=755"),
    ("tmpfs", "/proc/timer_list", "tmpfs", "rw,nosuid,size=65536k,mode=755"),
    ("tmpfs", "/sys/firmware", "tmpfs", "ro,relatime"),
]


@dataclass
class MountSpec:
    """One requested mount.  ``flag`` is how it was asked: "v", "mount" or "tmpfs"."""
    type: str                  # volume, bind, tmpfs
    source: str                # volume name ("" = anonymous), host path, or ""
    target: str
    readonly: bool = False
    mode: str = ""             # -v's third field as given
    flag: str = "v"
    nocopy: bool = False
    spec: str = ""             # the -v text, for HostConfig.Binds

    @property
    def depth(self) -> int:
        return len([p for p in self.target.split("/") if p])


def _check_target(spec: str, target: str, kind: str) -> None:
    if not target.startswith("/"):
        raise InvalidParameter(f"invalid volume specification: '{spec}': invalid mount config for type "
                               f'"{kind}": invalid mount path: \'{target}\' mount path must be absolute')


def parse_volume_flag(spec: str) -> MountSpec:
    """``-v [SOURCE:]TARGET[:MODE]`` (moby ``linuxParser.ParseMountRaw``)."""
    parts = spec.split(":")
    if len(parts) == 1:
        _check_target(spec, parts[0], "volume")
        return MountSpec("volume", "", posixpath.normpath(parts[0]), spec=spec)
    if len(parts) > 3:
        raise InvalidParameter(f"invalid volume specification: '{spec}'")
    source, target = parts[0], parts[1]
    mode = parts[2] if len(parts) == 3 else ""
    if mode and not set(mode.split(",")) <= {"ro", "rw", "z", "Z", "nocopy", "shared", "rshared",
                                              "slave", "rslave", "private", "rprivate"}:
        raise InvalidParameter(f"invalid mode: {mode}")
    kind = "bind" if source.startswith("/") else "volume"
    _check_target(spec, target, kind)
    return MountSpec(kind, source, posixpath.normpath(target), readonly="ro" in mode.split(","),
                     mode=mode, nocopy="nocopy" in mode.split(","), spec=spec)


def parse_mount_flag(m: dict) -> MountSpec:
    """One ``--mount`` (already split by the CLI) as the daemon validates it."""
    kind = m["Type"]
    if kind == "tmpfs" and m.get("Source"):
        raise InvalidParameter('invalid mount config for type "tmpfs": field Source must not be specified')
    nocopy = bool((m.get("VolumeOptions") or {}).get("NoCopy"))
    return MountSpec(kind, m.get("Source") or "", posixpath.normpath(m["Target"]),
                     readonly=bool(m.get("ReadOnly")), flag="mount", nocopy=nocopy)


def parse_tmpfs_flag(spec: str) -> MountSpec:
    target, _, opts = spec.partition(":")
    return MountSpec("tmpfs", "", posixpath.normpath(target), mode=opts, flag="tmpfs", spec=spec)


def proc_mounts_line(device: str, target: str, fstype: str, options: str) -> str:
    return f"{device} {target} {fstype} {options} 0 0\n"


def user_entry(spec: MountSpec, backend: Overlay, root: str) -> MountEntry:
    rw = "ro" if spec.readonly else "rw"
    if spec.type == "tmpfs":
        root = backend.upper.get("/")
        if root is not None:
            root.mode = 0o1777          # a tmpfs's root: mode=1777 unless told
        return MountEntry(spec.target, backend, "/", spec.readonly, "tmpfs", "tmpfs",
                          TMPFS_OPTIONS.replace("rw", rw, 1), {"spec": spec})
    dev, fstype, opts = HOST_DISK
    return MountEntry(spec.target, backend, root, spec.readonly, dev, fstype, f"{rw},{opts}", {"spec": spec})


def make_mountpoint(fs, target: str, is_dir: bool) -> None:
    """runc creates a missing mountpoint (and its parents) before mounting."""
    if fs.exists(target):
        return
    fs.mkdir(posixpath.dirname(target), parents=True)
    if is_dir:
        fs.mkdir(target)
    else:
        fs.write(target, "")


def copy_into(src_fs, src: str, backend: Overlay, dst: str) -> None:
    """Copy the directory ``src`` (as ``src_fs`` shows it) into ``backend`` at ``dst``."""
    for name in src_fs.listdir(src):
        s, d = src.rstrip("/") + "/" + name, dst.rstrip("/") + "/" + name
        m, inner = src_fs.resolve(s)
        node = m.backend.lookup(inner)
        if node.kind == "dir":
            backend.upper.put(d, Node("dir", mode=node.mode))
            copy_into(src_fs, s, backend, d)
        else:
            backend.upper.put(d, node.copy())
