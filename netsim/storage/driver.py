"""The daemon's storage: layer store, overlay2 graph driver, volumes, mounts.

``daemon.storage`` (one per :class:`~netsim.daemon.Daemon`) builds every
container's root filesystem (image layers + ``-init`` layer + writable
layer, as overlay2 stacks them), attaches its mounts, answers ``docker
diff``/``ps -s``/``commit``/``system df`` and owns the volume service.  All
data lives in the daemon's simulated host filesystem under the data root, so
a bind mount or a volume is the same directory the host's shell sees.
"""
from __future__ import annotations

import base64
import dataclasses
import posixpath
from dataclasses import dataclass, field

from ..errors import InvalidParameter, NotFound
from ..fs import Filesystem, MountEntry
from . import layers as L
from .mounts import (NETWORK_FILES, dev_mounts, RUNC_AFTER, RUNC_BEFORE, MountSpec, copy_into, make_mountpoint,
                     proc_mounts_line, user_entry)
from .overlay import Overlay
from .tree import Tree
from .volumes import VolumeService

DATA_ROOT = "/var/lib/docker"


@dataclass
class RwLayer:
    """A container's layers: the image's (bottom first), its init layer, its writable layer."""
    image_layers: list
    init: Tree
    upper: Tree
    cache_id: str
    volumes: list = field(default_factory=list)     # (MountSpec, Volume)


class Storage:
    def __init__(self, daemon):
        self.d = daemon
        self.data_root = DATA_ROOT
        self.layers: dict[str, list[L.Layer]] = {}       # image id -> layers, bottom first
        self.images: dict[str, object] = {}              # committed images by name
        self.created: dict[str, float] = {}              # committed image id -> commit time
        # catalogue images in the local store: the reference engine holds busybox
        # only; another catalogue image arrives when a command first names it
        # (netsim treats the catalogue as already pulled: no pull output)
        self.local: list = []
        self.rw: dict[str, RwLayer] = {}
        self.volumes = VolumeService(daemon.host_fs, DATA_ROOT, daemon.ids, lambda: daemon.sched.now)

    # -- images ----------------------------------------------------------------
    def find_image(self, ref: str):
        """A committed image by name, else the catalogue's (it joins the local store)."""
        from ..daemon import images
        name, tag = images.split_ref(ref)
        image = self.images.get(name) or images.lookup(ref)
        if image is not None and image.id not in self.created and \
                all(i.id != image.id for i in self.local_images()):
            self.local.append(image)
        return image

    def local_images(self) -> list:
        """Catalogue images in the local store, busybox first."""
        from ..daemon import images
        if not self.local:
            self.local.append(images.CATALOGUE["busybox"])
        return self.local

    def image_layers(self, image) -> list[L.Layer]:
        if image.id not in self.layers:
            self.layers[image.id] = [L.busybox_layer() if image.name == "busybox" else L.generic_layer(image)]
        return self.layers[image.id]

    def image_size(self, image) -> int:
        return sum(layer.size for layer in self.image_layers(image))

    def all_images(self) -> list:
        """``docker images``: committed images newest first, then busybox, then the
        other catalogue images in the store by name."""
        committed = sorted(self.images.values(), key=lambda i: -self.created.get(i.id, 0))
        busybox, *others = self.local_images()
        return committed + [busybox] + sorted(others, key=lambda i: (i.name, i.id))

    # -- a container's root filesystem -------------------------------------------
    def rootfs(self, c) -> Filesystem:
        """overlay2 ``Create``: a writable layer over ``<id>-init`` over the image."""
        for spec in c.mounts:
            self._validate(spec)
        layers = self.image_layers(c.image)
        rw = RwLayer(layers, L.init_layer(), Tree(), L.derived_id("rw", c.id))
        self.rw[c.id] = rw
        fs = Filesystem(root=Overlay(rw.upper, [rw.init] + [x.tree for x in reversed(layers)]))
        fs.mounts[0].info["cache_id"] = rw.cache_id
        fs.proc_mounts = lambda: self.proc_mounts(c)
        for spec in c.mounts:
            if spec.type == "volume":
                rw.volumes.append((spec, self.volumes.create(spec.source or None)))
        self.d.host_fs.mkdir(self.container_dir(c), parents=True)
        self.attach(c, fs)
        return fs

    def container_dir(self, c) -> str:
        return f"{self.data_root}/containers/{c.id}"

    def _validate(self, spec: MountSpec) -> None:
        host = self.d.host_fs
        if spec.type == "bind" and spec.flag == "mount" and not host.exists(spec.source):
            raise InvalidParameter('invalid mount config for type "bind": bind source path does not exist: '
                                   + spec.source)
        if spec.type == "volume" and spec.source:
            from .volumes import NAME_RE
            if not NAME_RE.match(spec.source):
                self.volumes.create(spec.source)          # raises the driver's message

    def attach(self, c, fs: Filesystem | None = None) -> None:
        """Mount at start: user mounts by depth, then the network files."""
        fs = fs or c.fs
        rw = self.rw[c.id]
        fs.unmount_all()
        for entry in dev_mounts():
            fs.mount(entry)
        host = self.d.host_fs
        vols = {id(s): v for s, v in rw.volumes}
        for spec in sorted(c.mounts, key=lambda s: s.depth):
            if spec.type == "bind":
                if not host.exists(spec.source):
                    host.mkdir(spec.source, parents=True)
                m, inner = host.resolve(spec.source)
                make_mountpoint(fs, spec.target, host.is_dir(spec.source))
                fs.mount(user_entry(spec, m.backend, inner))
            elif spec.type == "volume":
                v = vols[id(spec)]
                m, inner = host.resolve(self.volumes.mountpoint(v))
                if self.volumes.is_empty(v) and not spec.nocopy and fs.is_dir(spec.target):
                    copy_into(fs, spec.target, m.backend, inner)
                make_mountpoint(fs, spec.target, True)
                fs.mount(user_entry(spec, m.backend, inner))
            else:
                make_mountpoint(fs, spec.target, True)
                fs.mount(user_entry(spec, Overlay(), "/"))
        for name in NETWORK_FILES:
            target = "/etc/" + name
            make_mountpoint(fs, target, False)
            path = f"{self.container_dir(c)}/{name}"
            if not host.exists(path):
                host.write(path, "")
            m, inner = host.resolve(path)
            dev, fstype, opts = ("/dev/vda", "ext4", "rw,relatime,discard,resv_strict,resuid=65534,resgid=65534")
            fs.mount(MountEntry(target, m.backend, inner, False, dev, fstype, opts))

    def forget(self, c, remove_volumes: bool = False) -> None:
        """The container is gone: its layers, its directory, its anonymous volumes with ``--rm``/``-v``."""
        rw = self.rw.pop(c.id, None)
        if self.d.host_fs.exists(self.container_dir(c)):
            self.d.host_fs.remove_tree(self.container_dir(c))
        if rw is None or not remove_volumes:
            return
        for spec, v in rw.volumes:
            if v.anonymous and v.name in self.volumes.volumes and not self.volume_users(v.name):
                self.volumes.remove(v.name, [])

    def volume_users(self, name: str) -> list[str]:
        return [cid for cid, rw in self.rw.items() if cid in self.d.containers
                and any(v.name == name for _, v in rw.volumes)]

    # -- what the CLI shows --------------------------------------------------------
    def changes(self, c) -> list[tuple[str, str]]:
        return c.fs.root.changes()

    def size_rw(self, c) -> int:
        return self.rw[c.id].upper.size()

    def graph_driver(self, c) -> dict:
        rw = self.rw[c.id]
        root = f"{self.data_root}/overlay2"
        lower = ":".join([f"{root}/{rw.cache_id}-init/diff"] +
                         [f"{root}/{x.cache_id}/diff" for x in reversed(rw.image_layers)])
        return {"Data": {"LowerDir": lower, "MergedDir": f"{root}/{rw.cache_id}/merged",
                         "UpperDir": f"{root}/{rw.cache_id}/diff", "WorkDir": f"{root}/{rw.cache_id}/work"},
                "Name": "overlay2"}

    def image_graph_driver(self, image) -> dict:
        layers = self.image_layers(image)
        root = f"{self.data_root}/overlay2"
        top = layers[-1].cache_id
        data = {}
        if len(layers) > 1:
            data["LowerDir"] = ":".join(f"{root}/{x.cache_id}/diff" for x in reversed(layers[:-1]))
        data.update({"MergedDir": f"{root}/{top}/merged", "UpperDir": f"{root}/{top}/diff",
                     "WorkDir": f"{root}/{top}/work"})
        return {"Data": data, "Name": "overlay2"}

    def mounts_json(self, c) -> list[dict]:
        """``.Mounts`` of ``docker inspect``: volumes and binds, then --mount tmpfs; not --tmpfs."""
        out = []
        vols = {id(s): v for s, v in self.rw[c.id].volumes} if c.id in self.rw else {}
        for spec in c.mounts:
            if spec.flag == "tmpfs":
                continue
            rw = not spec.readonly
            if spec.type == "volume":
                v = vols.get(id(spec))
                out.append({"Type": "volume", "Name": v.name, "Source": self.volumes.mountpoint(v),
                            "Destination": spec.target, "Driver": "local",
                            "Mode": spec.mode if spec.mode else ("z" if spec.source else ""),
                            "RW": rw, "Propagation": ""})
            elif spec.type == "bind":
                out.append({"Type": "bind", "Source": spec.source, "Destination": spec.target,
                            "Mode": spec.mode if spec.flag == "v" else "", "RW": rw, "Propagation": "rprivate"})
            else:
                out.append({"Type": "tmpfs", "Source": "", "Destination": spec.target, "Mode": "",
                            "RW": rw, "Propagation": ""})
        return out

    def proc_mounts(self, c) -> str:
        """/proc/mounts inside the container."""
        rw = self.rw[c.id]
        root = f"{self.data_root}/overlay2"
        links = [short_link(rw.cache_id + "-init")] + [short_link(x.cache_id) for x in reversed(rw.image_layers)]
        text = proc_mounts_line("overlay", "/", "overlay", "rw,relatime,lowerdir=" + ":".join(
            f"{root}/l/{x}" for x in links) + f",upperdir={root}/{rw.cache_id}/diff,workdir={root}/{rw.cache_id}/work")
        text += "".join(proc_mounts_line(*x) for x in RUNC_BEFORE)
        text += "".join(proc_mounts_line(m.device, m.target, m.fstype, m.options) for m in c.fs.mounts[1:]
                        if not m.info.get("runc"))
        return text + "".join(proc_mounts_line(*x) for x in RUNC_AFTER)

    # -- commit ----------------------------------------------------------------------
    def commit(self, c, ref: str | None):
        """``docker commit``: the writable layer becomes a new top layer of a new image."""
        from ..daemon import images
        rw = self.rw[c.id]
        upper = Tree()
        upper.nodes = {p: n.copy() for p, n in rw.upper.nodes.items()}
        layer = L.Layer(upper, "sha256:" + L.derived_id("diff", c.id, str(self.d.sched.now)),
                        L.derived_id("cache", c.id, str(self.d.sched.now)))
        name = images.split_ref(ref)[0] if ref else ""
        image = dataclasses.replace(c.image, name=name or "<none>",
                                    id="sha256:" + L.derived_id("image", c.id, str(self.d.sched.now)))
        self.layers[image.id] = self.image_layers(c.image) + [layer]
        image = dataclasses.replace(image, size=self.image_size(image))
        self.layers[image.id] = self.layers[image.id]
        self.created[image.id] = self.d.sched.now
        self.images[name or image.id] = image
        return image


def short_link(cache_id: str) -> str:
    """overlay2's ``l/`` short names: 26 base32 characters."""
    return base64.b32encode(bytes.fromhex(L.derived_id("link", cache_id))[:16]).decode()[:26]
