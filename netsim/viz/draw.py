"""Drawing a :class:`~netsim.viz.layout.Layout` with matplotlib.

Meaning is carried by shape, line style and hatching, never by colour alone,
so that the picture reads in grey print and for colour-blind readers:
bridges are black bars (hatched when ``--internal``), namespaces solid
boxes, ``--network none`` dashed boxes, ``--network host`` dotted grey boxes,
bridge ports black dots.  matplotlib is imported inside functions only, so
that importing :mod:`netsim.viz` costs nothing to ``netsim run``.
"""
from __future__ import annotations

from . import layout as L

DPI = 150
INK = "#000000"
BAR = "#2b2b2b"
INTERNAL = "#707070"      # --internal: lighter, so that its black hatching shows
HOST_FILL = "#f0f0f0"
MONO = "DejaVu Sans Mono"
SANS = "DejaVu Sans"
RC = {"svg.hashsalt": "netsim", "svg.fonttype": "path", "path.simplify": False}

BOX_STYLE = {   # style -> (face, edge line style, edge width, hatch)
    "netns": ("#ffffff", "-", 1.1, None),
    "summary": ("#ffffff", "-", 1.6, None),
    "none": ("#ffffff", "--", 1.1, None),
    "hostmode": ("#d9d9d9", ":", 1.4, None),
    "nat": ("#ffffff", "-", 0.8, None),
    "stopped": ("#ffffff", (0, (1, 3)), 0.8, None),
}


def figure_for(lay: L.Layout, ax=None):
    """A figure sized to the layout (or ``ax``'s figure, with the axes fitted)."""
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure
    if ax is None:
        fig = Figure(figsize=(lay.width, lay.height), dpi=DPI)
        ax = fig.add_axes((0, 0, 1, 1))
    else:
        fig = ax.figure
    del plt
    ax.set_xlim(0, lay.width)
    ax.set_ylim(0, lay.height)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


def render(lay: L.Layout, ax=None):
    """Draw ``lay``; returns ``(figure, axes)``."""
    fig, ax = figure_for(lay, ax)
    _host(ax, lay)
    for link in lay.links:
        _link(ax, link)
    for bar in lay.bars:
        _bar(ax, bar)
    for box in lay.boxes:
        _box(ax, box)
    hx, hy, hw, hh = lay.host_box
    ax.text(hx + hw / 2, hy + hh + 0.28, lay.title, ha="center", va="center",
            fontsize=11, fontweight="bold", family=SANS)
    return fig, ax


def _host(ax, lay) -> None:
    from matplotlib.patches import Rectangle
    x, y, w, h = lay.host_box
    ax.add_patch(Rectangle((x, y), w, h, facecolor=HOST_FILL, edgecolor=INK, lw=1.8, zorder=0))
    ax.text(x + 0.12, y + h - 0.12, lay.host_label, ha="left", va="top", fontsize=8.5,
            fontweight="bold", family=SANS, zorder=5)
    ux, uy = lay.uplink
    if lay.uplink_label:
        ax.add_patch(Rectangle((ux - 0.09, uy - 0.09), 0.18, 0.18, facecolor=INK, edgecolor=INK, zorder=6))
        ax.plot([ux, ux], [uy - 0.09, uy - 0.3], color=INK, lw=1.5, zorder=5)
        ax.text(ux + 0.18, uy - 0.06, lay.uplink_label[0], ha="left", va="top", fontsize=8,
                fontweight="bold", family=MONO, zorder=6)
        ax.text(ux + 0.18, uy - 0.06 - 1.25 * L.LINE, lay.uplink_label[1], ha="left", va="top",
                fontsize=L.FONT, family=SANS, style="italic", zorder=6)
    for i, note in enumerate(lay.notes):
        ax.text(x, 0.3 + (len(lay.notes) - 1 - i) * L.LINE, note, ha="left", va="bottom",
                fontsize=L.NOTE_FONT, family=SANS, color="#333333")


def _bar(ax, bar: L.Bar) -> None:
    from matplotlib.patches import Rectangle
    ax.add_patch(Rectangle((bar.x, bar.y), bar.w, L.BAR_H, facecolor=INTERNAL if bar.internal else BAR,
                           edgecolor=INK, lw=1,
                           hatch="////" if bar.internal else None, zorder=3))
    ax.text(bar.x + 0.08, bar.y + L.BAR_H / 2, bar.label, ha="left", va="center", color="white",
            fontsize=L.FONT + 0.5, fontweight="bold", family=MONO, zorder=4,
            bbox=dict(boxstyle="square,pad=0.1", facecolor=BAR, edgecolor="none") if bar.internal else None)
    for i, s in enumerate(bar.sublabels):
        ax.text(bar.x + 0.08, bar.y - 0.04 - i * L.LINE, s, ha="left", va="top", fontsize=L.FONT,
                family=MONO, zorder=4)


def _link(ax, link: L.Link) -> None:
    xs, ys = zip(*link.points)
    ax.plot(xs, ys, color=INK, lw=1.2, solid_joinstyle="miter", zorder=2)
    bx, by = link.points[-1]
    ax.plot([bx], [by], marker="o", markersize=5, color=INK, zorder=5)
    sx, sy = link.points[0]
    ax.plot([sx], [sy], marker="s", markersize=4.5, markerfacecolor="white", markeredgecolor=INK, zorder=6)
    if link.host_label:
        ax.text(bx + 0.05, by + 0.06, link.host_label, rotation=90, ha="left", va="bottom",
                fontsize=6.5, family=MONO, zorder=4,
                bbox=dict(boxstyle="square,pad=0.05", facecolor=HOST_FILL, edgecolor="none"))


def _box(ax, box: L.Box) -> None:
    from matplotlib.patches import Rectangle
    face, ls, lw, hatch = BOX_STYLE.get(box.style, BOX_STYLE["netns"])
    ax.add_patch(Rectangle((box.x, box.y), box.w, box.h, facecolor=face, edgecolor=INK, lw=lw,
                           linestyle=ls, hatch=hatch, zorder=3))
    top = box.y + box.h - L.PAD
    ax.text(box.x + L.PAD, top, box.title, ha="left", va="top", fontsize=L.FONT + 1,
            fontweight="bold", family=MONO, zorder=4)
    for i, line in enumerate(box.lines):
        ax.text(box.x + L.PAD, top - (i + 1) * L.LINE - 0.02, line, ha="left", va="top",
                fontsize=L.FONT, family=MONO, zorder=4,
                style="italic" if line.startswith("+ ") else "normal")
    for k, (_, label) in enumerate(box.stubs):
        if box.style != "summary":
            ax.text(box.stub_x(k), box.y + 0.07, label, ha="center", va="bottom", fontsize=L.FONT,
                    fontweight="bold", family=MONO, zorder=4)


def save_figure(fig, path, fmt: str | None = None) -> None:
    """PNG or SVG, byte-identical from run to run (no dates, fixed hash salt)."""
    import matplotlib
    fmt = fmt or str(path).rsplit(".", 1)[-1].lower()
    meta = {"Date": None} if fmt == "svg" else {"Software": None} if fmt == "png" else {}
    with matplotlib.rc_context(RC):
        fig.savefig(path, format=fmt, dpi=DPI, metadata=meta)
