"""Drawings of the simulated topology and of packet paths (reads state only).

- :func:`topology` — the networkx graph (schema in :mod:`netsim.viz.graph`);
- :func:`draw` — a matplotlib Figure of it (``Engine.draw()`` in notebooks);
- :func:`save` — PNG, SVG or node-link JSON, chosen by the file's suffix;
- :mod:`netsim.viz.path` — numbered hops of a traced command, and animations.

matplotlib is imported lazily, inside the functions that draw.
"""
from __future__ import annotations

from pathlib import Path

# The submodule netsim.viz.draw is imported first (it is light: matplotlib is
# imported inside its functions) so that the function below, not the module,
# is what ``netsim.viz.draw`` names.
from . import draw as _drawing  # noqa: F401


def topology(engine, title: str = ""):
    from .graph import build
    return build(engine, title=title)


def draw(engine, ax=None, title: str = "", **kw):
    """The topology of ``engine`` as a matplotlib Figure (drawn into ``ax`` if given)."""
    from .draw import render
    from .layout import compute
    fig, _ = render(compute(topology(engine, title), title), ax=ax)
    return fig


def save(engine, path, title: str = "", fmt: str | None = None) -> None:
    from ..fileio import write_atomically
    """Write the topology to ``path``: ``.png``, ``.svg`` or ``.json`` (node-link data)."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".") or "png").lower()
    if fmt == "json":
        import json
        from .graph import to_json
        text = json.dumps(to_json(topology(engine, title)), indent=1, sort_keys=True) + "\n"
        write_atomically(path, lambda tmp: tmp.write_text(text))
        return
    from .draw import save_figure
    fig = draw(engine, title=title)
    write_atomically(path, lambda tmp: save_figure(fig, tmp, fmt))
