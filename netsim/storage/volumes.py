"""The ``local`` volume driver and dockerd's volume service.

A volume's data is a directory of the host, ``<data-root>/volumes/<name>/_data``,
so the host's shell sees what containers wrote.  Names follow the local
driver's rule ``[a-zA-Z0-9][a-zA-Z0-9_.-]``; anonymous volumes get a random
64-hex name.  ``volume create`` sends empty Labels/Options maps (``{}``), a
volume created by ``run -v`` has none (``null``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import Conflict, InvalidParameter, NotFound

NAME_RE = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")


@dataclass
class Volume:
    name: str
    created: float
    labels: dict | None = None
    options: dict | None = None
    anonymous: bool = False
    driver: str = "local"
    scope: str = "local"


class VolumeService:
    def __init__(self, host_fs, data_root: str, ids, clock):
        self.host_fs, self.data_root, self.ids, self.clock = host_fs, data_root, ids, clock
        self.volumes: dict[str, Volume] = {}          # creation order

    def mountpoint(self, v: Volume) -> str:
        return f"{self.data_root}/volumes/{v.name}/_data"

    def create(self, name: str | None = None, labels=None, options=None) -> Volume:
        if name and name in self.volumes:
            return self.volumes[name]
        if name and not NAME_RE.match(name):
            raise InvalidParameter(f'create {name}: "{name}" includes invalid characters for a local volume name, '
                                   'only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host '
                                   'directory, use absolute path')
        v = Volume(name or self.ids.id64(), self.clock(), labels, options, anonymous=not name)
        self.volumes[v.name] = v
        self.host_fs.mkdir(self.mountpoint(v), parents=True)
        return v

    def get(self, name: str) -> Volume:
        if name not in self.volumes:
            raise NotFound(f"No such volume: {name}")
        return self.volumes[name]

    def size(self, v: Volume) -> int:
        m, inner = self.host_fs.resolve(self.mountpoint(v))
        tree = m.backend.upper
        return sum(tree.get(p).size for p in tree.below(inner))

    def is_empty(self, v: Volume) -> bool:
        return not self.host_fs.listdir(self.mountpoint(v))

    def remove(self, name: str, users: list[str]) -> Volume:
        v = self.get(name)
        if users:
            raise Conflict(f"remove {name}: volume is in use - [{', '.join(users)}]")
        del self.volumes[name]
        self.host_fs.remove_tree(f"{self.data_root}/volumes/{name}")
        return v
