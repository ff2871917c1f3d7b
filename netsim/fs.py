"""A container's (or the host's) filesystem as programs see it.

A minimal tree of files and directories.  The storage model (image layers,
copy-on-write, volumes, bind mounts) replaces the flat dictionary behind this
interface; programs only use these methods.
"""
from __future__ import annotations

import posixpath


class Filesystem:
    def __init__(self, files: dict[str, str] | None = None, dirs: set[str] | None = None):
        self.files: dict[str, str] = dict(files or {})
        self.dirs: set[str] = {"/"} | set(dirs or ())
        for path in list(self.files):
            self._add_parents(path)

    def _add_parents(self, path: str) -> None:
        parent = posixpath.dirname(path)
        while parent not in self.dirs:
            self.dirs.add(parent)
            parent = posixpath.dirname(parent)

    @staticmethod
    def norm(path: str, cwd: str = "/") -> str:
        return posixpath.normpath(posixpath.join(cwd, path)).replace("//", "/")

    def exists(self, path: str) -> bool:
        path = self.norm(path)
        return path in self.files or path in self.dirs

    def is_dir(self, path: str) -> bool:
        return self.norm(path) in self.dirs

    def read(self, path: str) -> str:
        path = self.norm(path)
        if path in self.dirs:
            raise IsADirectoryError(path)
        if path not in self.files:
            raise FileNotFoundError(path)
        return self.files[path]

    def write(self, path: str, data: str, append: bool = False) -> None:
        path = self.norm(path)
        if posixpath.dirname(path) not in self.dirs:
            raise FileNotFoundError(path)
        if path in self.dirs:
            raise IsADirectoryError(path)
        self.files[path] = (self.files.get(path, "") if append else "") + data

    def mkdir(self, path: str, parents: bool = False) -> None:
        path = self.norm(path)
        if parents:
            self._add_parents(path + "/x")
            return
        if posixpath.dirname(path) not in self.dirs:
            raise FileNotFoundError(path)
        if path in self.dirs or path in self.files:
            raise FileExistsError(path)
        self.dirs.add(path)

    def remove(self, path: str) -> None:
        path = self.norm(path)
        if path not in self.files:
            raise FileNotFoundError(path)
        del self.files[path]

    def listdir(self, path: str) -> list[str]:
        path = self.norm(path)
        if path not in self.dirs:
            raise FileNotFoundError(path)
        prefix = path.rstrip("/") + "/"
        names = {p[len(prefix):].split("/")[0] for p in (*self.files, *self.dirs)
                 if p.startswith(prefix) and p != path}
        return sorted(names)
