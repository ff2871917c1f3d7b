"""A picture of one container's storage: image layers, init layer, writable
layer, the merged view programs see, and the mounts on top of it.

Reads only (``viz`` rule): ``draw_layers(engine, "c1")`` returns the matplotlib
Axes.  matplotlib is imported lazily.
"""
from __future__ import annotations

MAX_NAMES = 7


def _names(tree, limit: int = MAX_NAMES) -> str:
    """The top-level entries of a layer (whiteouts as ``.wh.NAME``, as on disk)."""
    out = []
    for path in tree.below("/"):
        node = tree.get(path)
        label = path if node.kind != "whiteout" else path.rsplit("/", 1)[0] + "/.wh." + path.rsplit("/", 1)[1]
        if node.kind == "dir" and any(p.startswith(path + "/") for p in tree.nodes):
            continue
        out.append(label.replace("//", "/"))
    more = f"  (+{len(out) - limit} more)" if len(out) > limit else ""
    return "  ".join(out[:limit]) + more


def layer_stack(daemon, c) -> list[tuple[str, str, str]]:
    """(kind, title, contents) from the top (mounts) down to the image's bottom layer."""
    st = daemon.storage
    rw = st.rw[c.id]
    rows = []
    for m in c.fs.mounts[:0:-1]:
        if m.info.get("runc"):          # runc's /dev: not the user's mounts
            continue
        spec = m.info.get("spec")
        kind = spec.type if spec else "bind"
        src = ("(in memory)" if kind == "tmpfs" else spec.source or "(anonymous volume)") if spec else m.root
        rows.append(("mount", f"{kind} {m.target}{' (ro)' if m.readonly else ''}", f"← {src}"))
    merged = "  ".join(c.fs.listdir("/"))
    rows.append(("merged", "merged view  (MergedDir)", merged))
    changes = "  ".join(f"{k} {p}" for k, p in st.changes(c)[:MAX_NAMES]) or "(empty)"
    rows.append(("upper", f"writable layer  (UpperDir {rw.cache_id[:12]}…/diff)", changes))
    rows.append(("init", f"init layer  ({rw.cache_id[:12]}…-init/diff)", _names(rw.init)))
    for layer in reversed(rw.image_layers):
        rows.append(("lower", f"image layer {layer.diff_id[7:19]}  ({layer.size:,} bytes)", _names(layer.tree)))
    return rows


COLORS = {"mount": "#f4c27a", "merged": "#9fd39f", "upper": "#8ec5ff", "init": "#d9d9d9", "lower": "#b9b2e6"}


def draw_layers(engine, container: str, ax=None):
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    daemon = engine.daemon
    c = daemon.container_find(container)
    rows = layer_stack(daemon, c)
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 0.9 * len(rows) + 1))
    for i, (kind, title, body) in enumerate(rows):
        y = len(rows) - 1 - i
        ax.add_patch(FancyBboxPatch((0.02, y + 0.08), 0.96, 0.8, boxstyle="round,pad=0.01",
                                    facecolor=COLORS[kind], edgecolor="#444444"))
        ax.text(0.04, y + 0.6, title, fontsize=10, weight="bold", va="center")
        ax.text(0.04, y + 0.3, body[:120], fontsize=8, family="monospace", va="center")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, len(rows))
    ax.axis("off")
    ax.set_title(f"container {c.name}: overlay2 layer stack and mounts (top wins)")
    return ax
