"""Writing files the way netsim promises: atomically, never over a directory."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, write) -> None:
    """``write(tmp)`` into a temporary file beside ``path``, then rename it over
    ``path``: a reader sees the old file or the whole new one, never half, and a
    directory at ``path`` is never replaced (``IsADirectoryError``)."""
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(21, "Is a directory", str(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent or ".")
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
