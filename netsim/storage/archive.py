"""``docker cp``: moby's ``pkg/archive`` copy rules over two filesystems.

The source is read as a tar-like list of entries whose first path component is
the source's base name (``.`` when the path ends in ``/.``: only the
contents); ``prepare_copy`` decides, as ``archive.PrepareArchiveCopy`` does,
into which directory the entries are extracted and under which name:

* destination is a directory → extract into it (``testdir`` → ``dir/testdir``);
* destination is a file and the source a directory → ``cannot copy directory``;
* destination is a file → replace it (rename the entry);
* destination missing, source a directory → create it with the contents;
* destination missing and ending in ``/`` → ``no such directory``;
* otherwise create the file; the destination's parent must exist.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass

from .tree import Node


class CopyError(Exception):
    """An error the CLI prints as is (no ``Error:`` prefix)."""


@dataclass
class CopyInfo:
    path: str
    exists: bool = False
    is_dir: bool = False


def split_dir_entry(path: str) -> tuple[str, str]:
    """``archive.SplitPathDirEntry``: ``/a/b/.`` → (``/a/b``, ``.``); ``/a/b/`` → (``/a``, ``b``)."""
    cleaned = posixpath.normpath(path)
    if path.endswith("/.") or path == ".":
        return cleaned, "."
    return posixpath.dirname(cleaned) or ".", posixpath.basename(cleaned)


def asserts_directory(path: str) -> bool:
    return path.endswith("/") or path.endswith("/.")


def stat(fs, path: str) -> CopyInfo:
    node = fs.node(path) if fs.exists(path) else None
    return CopyInfo(path, node is not None, node is not None and node.kind == "dir")


def host_source_info(fs, path: str) -> CopyInfo:
    """``archive.CopyInfoSourcePath`` on the host."""
    parent = posixpath.dirname(posixpath.normpath(path))
    if not fs.exists(posixpath.normpath(path)) or not fs.is_dir(parent):
        raise CopyError(f"lstat {posixpath.normpath(path)}: no such file or directory")
    info = stat(fs, posixpath.normpath(path))
    if asserts_directory(path) and not info.is_dir:
        raise CopyError("not a directory")
    info.path = path
    return info


def tar_resource(fs, info: CopyInfo) -> list[tuple[str, Node]]:
    """Entries (relative path, node) of the source, first component = its base name."""
    src_dir, base = split_dir_entry(info.path)
    top = posixpath.normpath(info.path)
    entries = [(base, _plain(fs, top))]
    if info.is_dir:
        for p in fs.walk(top):
            if p != top:
                entries.append((base + p[len(top.rstrip("/")):], _plain(fs, p)))
    return entries


def _plain(fs, path: str) -> Node:
    node = fs.node(path)
    return Node("dir", mode=node.mode) if node.kind == "dir" else node.copy()


def prepare_copy(src: CopyInfo, dst: CopyInfo) -> tuple[str, str | None]:
    """(directory to extract into, new name for the source's base or None)."""
    dst_dir, dst_base = split_dir_entry(dst.path)
    if dst.exists and dst.is_dir:
        return dst.path, None
    if dst.exists and src.is_dir:
        raise CopyError("cannot copy directory")
    if dst.exists or src.is_dir:
        return dst_dir, dst_base
    if asserts_directory(dst.path):
        raise CopyError("no such directory")
    return dst_dir, dst_base


def extract(fs, into: str, entries: list[tuple[str, Node]], rebase: str | None) -> None:
    """Untar ``entries`` under the directory ``into`` (renaming the top entry to ``rebase``)."""
    for rel, node in entries:
        first, _, rest = rel.partition("/")
        if rebase is not None:
            first = rebase
        rel = posixpath.normpath(first + ("/" + rest if rest else ""))
        if rel == ".":
            continue
        path = posixpath.normpath(posixpath.join(into, rel))
        if node.kind == "dir":
            if not fs.is_dir(path):
                fs.mkdir(path)
        elif node.kind == "symlink":
            if fs.exists(path):
                fs.remove(path)
            fs.symlink(path, node.data)
        else:
            m, inner = fs._writable(path)
            m.write(inner, "")
            m.upper.put(inner, node.copy()) if m.upper.get(inner) is not None else None
