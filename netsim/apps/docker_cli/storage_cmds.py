"""docker CLI storage commands: ``volume *``, ``cp``, ``diff``, ``commit``,
``system df``, ``image inspect`` and the ``-v``/``--mount``/``--tmpfs`` flags.

Mixed into :class:`~.cli.DockerCli`; every message and table layout is the
one recorded from docker 20.10 (tests/golden/storage_*.json).
"""
from __future__ import annotations

import time

from ...errors import InvalidParameter, NetsimError, NotFound
from ...storage import archive
from ...storage.mounts import parse_mount_flag, parse_tmpfs_flag, parse_volume_flag
from .formatting import tabwrite
from .gotemplate import Struct


def human_size(size: float, precision: int = 3) -> str:
    """go-units ``HumanSizeWithPrecision`` (decimal units); ``HumanSize`` is precision 4."""
    units = ["B", "kB", "MB", "GB", "TB", "PB"]
    i = 0
    while size >= 1000 and i < len(units) - 1:
        size /= 1000.0
        i += 1
    return f"{size:.{precision}g}{units[i]}"


def _failed(message: str):
    from .cli import CommandFailed
    return CommandFailed(message, 1)


class VolumeRow:
    go_type = "*formatter.volumeContext"
    HEADERS = {"Driver": "DRIVER", "Name": "VOLUME NAME", "Scope": "SCOPE", "Mountpoint": "MOUNTPOINT",
               "Labels": "LABELS", "Links": "LINKS", "Size": "SIZE"}

    def __init__(self, v, mountpoint: str):
        self.v, self.Mountpoint = v, mountpoint
        self.Driver, self.Name, self.Scope = v.driver, v.name, v.scope

    @property
    def Labels(self):
        return ",".join(f"{k}={x}" for k, x in sorted((self.v.labels or {}).items()))

    def Label(self, name):
        return (self.v.labels or {}).get(name, "")

    # volume ls has no usage data: ``docker system df -v`` fills it
    Links = Size = "N/A"

    def __gojson__(self):
        """formatter.MarshalJSON: every no-argument method, keys sorted."""
        return {k: getattr(self, k) for k in sorted(self.HEADERS)}


class StorageCommands:
    # -- run/create flags -------------------------------------------------------
    def _mount_specs(self, o: dict, fail) -> list:
        """``-v``, ``--mount`` and ``--tmpfs`` as the daemon receives them."""
        from .parser import parse_mount
        specs = []
        try:
            specs += [parse_volume_flag(v) for v in o.get("volume") or []]
            specs += [parse_mount_flag(parse_mount(m)) for m in o.get("mount") or []]
        except InvalidParameter as err:
            raise fail(f"Error response from daemon: {err}")
        specs += [parse_tmpfs_flag(t) for t in o.get("tmpfs") or []]
        return specs

    def _ps_size(self, c) -> str:
        st = self.d.storage
        rw = st.size_rw(c)
        return f"{human_size(rw)} (virtual {human_size(rw + st.image_size(c.image))})"

    # -- volumes --------------------------------------------------------------------
    def _volume_json(self, v) -> dict:
        """types.Volume (Status and UsageData: nil, left out of the JSON)."""
        from .gotemplate import GoNil
        created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(self.d.wallclock(v.created))))
        return Struct({"CreatedAt": created, "Driver": v.driver, "Labels": v.labels,
                       "Mountpoint": self.d.storage.volumes.mountpoint(v), "Name": v.name,
                       "Options": v.options, "Scope": v.scope,
                       "Status": GoNil("map", "map[string]interface {}"),
                       "UsageData": GoNil("ptr", "*types.VolumeUsageData")},
                      go_type="types.Volume", omitempty=("CreatedAt", "Status", "UsageData"))

    def cmd_volume_create(self, inv, out) -> None:
        o = inv.options
        try:
            v = self.d.storage.volumes.create(inv.args[0] if inv.args else (o.get("name") or None),
                                              labels=self._labels(o.get("label") or []),
                                              options=dict(o.get("opt") or {}))
        except NetsimError as err:
            raise _failed(self._daemon_error(err))
        out.stdout += v.name + "\n"

    def cmd_volume_ls(self, inv, out) -> None:
        o = inv.options
        svc = self.d.storage.volumes
        vols = sorted(svc.volumes.values(), key=lambda v: v.name)
        for f in o.get("filter") or []:
            key, _, value = f.partition("=")
            if key == "dangling":
                want = value.lower() in ("true", "1")
                vols = [v for v in vols if (not self.d.storage.volume_users(v.name)) == want]
            elif key == "name":
                vols = [v for v in vols if value in v.name]
        rows = [VolumeRow(v, svc.mountpoint(v)) for v in vols]
        # formatter.NewVolumeFormat: -q replaces the table and raw formats, not a custom one
        fmt = o.get("format") or "table"
        if fmt == "table":
            fmt = "{{.Name}}" if o.get("quiet") else "table {{.Driver}}\t{{.Name}}"
        elif fmt == "raw":
            fmt = "name: {{.Name}}" if o.get("quiet") else "name: {{.Name}}\ndriver: {{.Driver}}\n"
        self._render_rows(fmt, rows, out, VolumeRow.HEADERS)

    def cmd_volume_inspect(self, inv, out) -> None:
        # volume inspect gets no raw JSON: a template runs on types.Volume only
        self._inspect(inv, out, lambda ref: self._volume_json(self.d.storage.volumes.get(ref)), raw=False)

    def cmd_volume_rm(self, inv, out) -> None:
        for ref in inv.args:
            try:
                self.d.storage.volumes.remove(ref, self.d.storage.volume_users(ref))
                out.stdout += ref + "\n"
            except NotFound as err:
                out.stderr += f"Error: {err}\n"
                out.exit_code = 1
            except NetsimError as err:
                out.stderr += self._daemon_error(err)
                out.exit_code = 1

    def cmd_volume_prune(self, inv, out) -> None:
        if not inv.options.get("force"):
            out.stdout += ("WARNING! This will remove all local volumes not used by at least one container.\n"
                           "Are you sure you want to continue? [y/N] Total reclaimed space: 0B\n")
            return
        st = self.d.storage
        gone, space = [], 0
        for v in list(st.volumes.volumes.values()):
            if not st.volume_users(v.name):
                space += st.volumes.size(v)
                st.volumes.remove(v.name, [])
                gone.append(v.name)
        if gone:
            out.stdout += "Deleted Volumes:\n" + "".join(n + "\n" for n in gone) + "\n"
        out.stdout += f"Total reclaimed space: {human_size(space, 4)}\n"

    def cmd_container_prune(self, inv, out) -> None:
        """``docker container prune``: every container not running (created,
        exited, dead; a paused one is running) is removed, newest first as the
        daemon lists them; the space is their writable layers'."""
        if not inv.options.get("force"):
            out.stdout += ("WARNING! This will remove all stopped containers.\n"
                           "Are you sure you want to continue? [y/N] Total reclaimed space: 0B\n")
            return
        d, st = self.d, self.d.storage
        gone, space = [], 0
        for c in sorted(d.containers.values(), key=lambda c: c.created, reverse=True):
            if c.running or c.state.status == "restarting":
                continue
            space += st.size_rw(c)
            d.container_remove(c.id)
            gone.append(c.id)
        if gone:
            out.stdout += "Deleted Containers:\n" + "".join(i + "\n" for i in gone) + "\n"
        out.stdout += f"Total reclaimed space: {human_size(space, 4)}\n"

    # -- diff / commit / images -------------------------------------------------------
    def cmd_diff(self, inv, out) -> None:
        try:
            c = self.d.container_find(inv.args[0])
        except NotFound as err:
            raise _failed(self._daemon_error(err))
        out.stdout += "".join(f"{kind} {path}\n" for kind, path in self.d.storage.changes(c))

    def cmd_commit(self, inv, out) -> None:
        ref, *rest = inv.args
        try:
            c = self.d.container_find(ref)
        except NotFound as err:
            raise _failed(self._daemon_error(err))
        image = self.d.storage.commit(c, rest[0] if rest else None)
        out.stdout += image.id + "\n"

    def cmd_image_inspect(self, inv, out) -> None:
        def find(ref):
            image = self.d.storage.find_image(ref)
            if image is None:
                raise NotFound(f"No such image: {ref}")
            return self._image_json(image)
        self._inspect(inv, out, find)

    def _image_json(self, image) -> dict:
        """types.ImageInspect (Go field order, typed nils, ``ID`` is "Id" in JSON)."""
        from .views import image_config
        st = self.d.storage
        layers = st.image_layers(image)
        size = st.image_size(image)
        return Struct({"Id": image.id, "RepoTags": [f"{image.name}:latest"], "RepoDigests": [], "Parent": "",
                "Comment": "Imported from -", "Created": "2026-11-27T20:52:19.600903124Z", "Container": "",
                "ContainerConfig": image_config(image), "DockerVersion": self.d.host.engine_version, "Author": "",
                "Config": image_config(image), "Architecture": "amd64", "Os": "linux", "Size": size,
                "VirtualSize": size, "GraphDriver": Struct(st.image_graph_driver(image)),
                "RootFS": Struct({"Type": "layers", "Layers": [x.diff_id for x in layers]}),
                "Metadata": Struct({"LastTagTime": "2026-11-27T20:52:19.603601749Z"})},
                      go_type="types.ImageInspect", go_names={"Id": "ID"})

    # -- system df ----------------------------------------------------------------------
    def cmd_system_df(self, inv, out) -> None:
        st = self.d.storage
        imgs = st.all_images()
        layer_refs: dict[str, int] = {}
        for i in imgs:
            for x in st.image_layers(i):
                layer_refs[x.cache_id] = layer_refs.get(x.cache_id, 0) + 1
        sizes = {x.cache_id: x.size for i in imgs for x in st.image_layers(i)}
        total = sum(sizes.values())
        used_ids = {c.image.id for c in self.d.containers.values()}
        used = sum(st.image_size(i) - sum(x.size for x in st.image_layers(i) if layer_refs[x.cache_id] > 1)
                   for i in imgs if i.id in used_ids)
        cs = list(self.d.containers.values())
        csize = sum(st.size_rw(c) for c in cs)
        creclaim = sum(st.size_rw(c) for c in cs if not c.running)
        vols = list(st.volumes.volumes.values())
        vsize = sum(st.volumes.size(v) for v in vols)
        vreclaim = sum(st.volumes.size(v) for v in vols if not st.volume_users(v.name))

        def reclaim(r, t):
            return f"{human_size(r, 4)} ({r * 100 // t}%)" if t > 0 else human_size(r, 4)
        rows = [["TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE"],
                ["Images", str(len(imgs)), str(sum(1 for i in imgs if i.id in used_ids)),
                 human_size(total, 4), reclaim(total - used, total)],
                ["Containers", str(len(cs)), str(sum(1 for c in cs if c.running)), human_size(csize, 4),
                 reclaim(creclaim, csize)],
                ["Local Volumes", str(len(vols)), str(sum(1 for v in vols if st.volume_users(v.name))),
                 human_size(vsize, 4), reclaim(vreclaim, vsize)],
                ["Build Cache", "0", "0", "0B", "0B"]]
        out.stdout += tabwrite(rows)

    # -- cp -------------------------------------------------------------------------------
    @staticmethod
    def _split_cp_arg(arg: str) -> tuple[str, str]:
        """docker/cli ``splitCpArg``: an absolute path is local, else ``container:path``."""
        if arg.startswith("/") or ":" not in arg:
            return "", arg
        name, _, path = arg.partition(":")
        return name, path

    def cmd_cp(self, inv, out) -> None:
        (sc, sp), (dc, dp) = (self._split_cp_arg(a) for a in inv.args)
        if sc and dc:
            raise _failed("copying between containers is not supported\n")
        if not sc and not dc:
            raise _failed("must specify at least one container source\n")
        try:
            if sc:
                self._cp_from(sc, sp, dp)
            else:
                self._cp_to(sp, dc, dp)
        except archive.CopyError as err:
            raise _failed(f"{err}\n")

    def _container_fs(self, ref: str, path: str):
        try:
            return self.d.container_find(ref).fs
        except NotFound:
            raise _failed(f"Error: No such container:path: {ref}:{path}\n")

    def _cp_to(self, src: str, ref: str, dst: str) -> None:
        host = self.d.host_fs
        dst = dst if dst.startswith("/") else "/" + dst
        info = archive.host_source_info(host, src)
        fs = self._container_fs(ref, "/")
        dst_info = archive.stat(fs, dst)
        entries = archive.tar_resource(host, info)
        into, rebase = archive.prepare_copy(info, dst_info)
        if not fs.is_dir(into):
            raise _failed(f"Error: No such container:path: {ref}:{into}\n")
        self._extract(fs, into, entries, rebase)

    def _cp_from(self, ref: str, src: str, dst: str) -> None:
        host = self.d.host_fs
        parent = host.norm(dst).rsplit("/", 1)[0] or "/"
        if not host.exists(parent):
            raise _failed(f'invalid output path: directory "{parent}" does not exist\n')
        fs = self._container_fs(ref, src)
        path = src if src.startswith("/") else "/" + src
        if not fs.exists(path) or (archive.asserts_directory(path) and not fs.is_dir(path)):
            raise _failed(f"Error: No such container:path: {ref}:{src}\n")
        info = archive.stat(fs, path)
        info.path = path
        entries = archive.tar_resource(fs, info)
        into, rebase = archive.prepare_copy(info, archive.stat(host, dst) if host.exists(dst)
                                            else archive.CopyInfo(dst))
        self._extract(host, into, entries, rebase)

    @staticmethod
    def _extract(fs, into, entries, rebase) -> None:
        try:
            archive.extract(fs, into, entries, rebase)
        except OSError as err:
            raise _failed(f"Error response from daemon: {err.strerror}\n")
