"""The path packets took: numbered hops on the topology, and an animation.

Input is what a traced engine records (``Engine(trace=True)``; each
``Result.extra["hops"]`` is a list of :class:`netsim.kernel.host.Hop`).
A hop is one frame seen on one device of one namespace; consecutive records
of the same frame on the same device (capture, then the bridge's decision)
are one step.  Steps are numbered in time order and placed on the drawing at
their device: a container's ``ethN`` at its box, a host-end ``vethXXXX`` where
it plugs into its bridge, the bridge itself on its bar.

Meaning without colour: ARP steps are squares joined by dashed arrows, IP
steps circles joined by solid arrows; broadcasts are drawn hollow.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..kernel.packet import ETH_ARP
from . import graph as G
from . import layout as L
from .draw import DPI

ARP_COLOUR = "#D55E00"     # Okabe-Ito vermillion
IP_COLOUR = "#0072B2"      # Okabe-Ito blue
LIST_FONT = 6.5
LINE_IN = 7.5 * 1.35 / 72


@dataclass
class Step:
    number: int
    time: float
    netns: str
    dev: str
    summary: str
    decision: str
    arp: bool
    broadcast: bool


def steps(hops, include_loopback: bool = False) -> list[Step]:
    """Collapse ``hops`` into numbered steps (loopback traffic left out by default)."""
    out: list[Step] = []
    for h in hops:
        if h.dev == "lo" and not include_loopback:
            continue
        summary = h.frame.summary() if hasattr(h.frame, "summary") else str(h.frame)
        prev = out[-1] if out else None
        if prev and (prev.netns, prev.dev, prev.summary) == (h.netns, h.dev, summary):
            prev.decision = prev.decision or (h.decision or "")
            continue
        arp = getattr(h.frame, "type", None) == ETH_ARP
        dst = getattr(h.frame, "dst", "")
        out.append(Step(len(out) + 1, h.time, h.netns, h.dev, summary, h.decision or "", arp,
                        dst == "ff:ff:ff:ff:ff:ff"))
    return out


def node_for(g, step: Step) -> str | None:
    """The graph node a step happened at."""
    if f"bridge:{step.dev}" in g and step.netns == G.HOST:
        return f"bridge:{step.dev}"
    node = f"if:{step.netns}:{step.dev}"
    if node in g:
        return node
    ns = G.HOST if step.netns == G.HOST else f"netns:{step.netns}"
    return ns if ns in g else None


def _point(g, lay: L.Layout, step: Step):
    node = node_for(g, step)
    if node is None:
        return None
    if node in lay.pos:
        return lay.pos[node]
    ns = G.namespace_of(g, node)
    return lay.pos.get(ns)


def render_path(engine, hops, ax=None, title: str = "", include_loopback: bool = False):
    """The topology with the steps of ``hops`` numbered; returns the Figure."""
    from .draw import render
    g = G.build(engine, title)
    lay = L.compute(g, title)
    st = steps(hops, include_loopback)
    if ax is None:
        rows = hop_rows(st, int((lay.width - 0.6) / L.text_width(1, LIST_FONT)))
        fig, ax, panel = _with_panel(lay, (len(rows) + 1) * LIST_FONT * 1.35 / 72 + 0.2, top=False)
        _hop_list(panel, rows, lay.width)
    fig, ax = render(lay, ax)
    overlay(ax, g, lay, st)
    return fig


def _with_panel(lay: L.Layout, panel_h: float, top: bool):
    """A figure with the topology's axes and a text panel above or below it."""
    from matplotlib.figure import Figure
    panel_h = math.ceil(panel_h * 2) / 2          # whole half-inches: exact pixel sizes
    total = lay.height + panel_h
    fig = Figure(figsize=(lay.width, total), dpi=DPI)
    topo = (0, 0 if top else panel_h / total, 1, lay.height / total)
    panel = (0, lay.height / total if top else 0, 1, panel_h / total)
    return fig, fig.add_axes(topo), fig.add_axes(panel)


def overlay(ax, g, lay: L.Layout, st: list[Step]) -> None:
    """Arrows between successive steps and one numbered marker per device."""
    placed: dict[tuple, list[Step]] = {}
    prev = None
    for s in st:
        p = _point(g, lay, s)
        if p is None:
            continue
        placed.setdefault(p, []).append(s)
        if prev is not None and prev != p:
            _arrow(ax, prev, p, s)
        prev = p
    for p, group in placed.items():
        _marker(ax, p, group, _label_side(g, node_for(g, group[0])))


def _label_side(g, node: str | None) -> str:
    """Where a marker's step numbers go, away from the text already there."""
    if node is None or node not in g:
        return "above"
    d = g.nodes[node]
    if d["kind"] == "bridge":
        return "under"          # below the bar, right of its label and subnet
    if d["kind"] == "interface" and d["netns"] != G.HOST:
        return "below"          # under the namespace box, left of the veth line
    return "above"


def _arrow(ax, a, b, s: Step) -> None:
    from matplotlib.patches import FancyArrowPatch
    colour = ARP_COLOUR if s.arp else IP_COLOUR
    ax.add_patch(FancyArrowPatch(a, b, arrowstyle="-|>", mutation_scale=11, lw=2.2, color=colour,
                                 linestyle="--" if s.arp else "-", connectionstyle="arc3,rad=0.18",
                                 shrinkA=6, shrinkB=6, zorder=7, alpha=0.9))


def numbers(group: list[Step]) -> str:
    """``3,5,10`` or, when long, ``3,9,…,40``."""
    nums = ",".join(str(s.number) for s in group)
    if len(nums) > 14:
        nums = f"{group[0].number},{group[1].number},…,{group[-1].number}"
    return nums


def _marker(ax, p, group: list[Step], side: str = "above") -> None:
    arp = all(s.arp for s in group)
    ax.plot([p[0]], [p[1]], marker="s" if arp else "o", markersize=9, zorder=8,
            markerfacecolor="white", markeredgecolor=ARP_COLOUR if arp else IP_COLOUR, markeredgewidth=2)
    x, y, ha, va = {"above": (p[0] - 0.1, p[1] + 0.08, "right", "bottom"),
                    "below": (p[0] - 0.1, p[1] - 0.1, "right", "top"),
                    "under": (p[0] + 0.05, p[1] - L.BAR_H / 2 - 0.06, "center", "top")}[side]
    ax.text(x, y, numbers(group), ha=ha, va=va, fontsize=7, fontweight="bold",
            family="DejaVu Sans Mono", zorder=9,
            bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="#555555", lw=0.6))


def hop_rows(st: list[Step], limit: int) -> list[str]:
    """The step list as text rows of at most ``limit`` characters (long ones continue indented)."""
    indent = " " * 30
    rows = ["step  where                   frame  [decision]"]
    for s in st:
        text = f"{s.number:>4}  {s.netns + ' ' + s.dev:<24}{s.summary}"
        if s.decision:
            text += f"  [{s.decision}]"
        while len(text) > limit:
            cut = text.rfind(" ", len(indent) + 10, limit)
            cut = cut if cut > 0 else limit
            rows.append(text[:cut])
            text = indent + text[cut:].lstrip()
        rows.append(text)
    return rows


def _hop_list(ax, rows: list[str], width: float) -> None:
    ax.axis("off")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    line = LIST_FONT * 1.35 / 72
    height = ax.get_position().height * ax.figure.get_figheight()
    for i, text in enumerate(rows):
        ax.text(0.3 / width, 1 - (i + 1) * line / height, text, ha="left", va="bottom",
                fontsize=LIST_FONT, family="DejaVu Sans Mono",
                fontweight="bold" if i == 0 else "normal")


def save_path(engine, hops, path, title: str = "", fmt: str | None = None) -> None:
    from .draw import save_figure
    save_figure(render_path(engine, hops, title=title), path, fmt)


# -- animation ------------------------------------------------------------------------
def animate(engine, hops, title: str = "", include_loopback: bool = False, interval: int = 700):
    """A matplotlib FuncAnimation: one frame per instant, every device the
    packet is on at that instant lit (an ARP broadcast lights all the ports
    it floods to at once, the unicast reply one device at a time)."""
    from matplotlib.animation import FuncAnimation
    from .draw import render
    g = G.build(engine, title)
    lay = L.compute(g, title)
    st = [s for s in steps(hops, include_loopback) if _point(g, lay, s) is not None]
    instants = sorted({round(s.time, 9) for s in st})
    fig, ax, panel = _with_panel(lay, 5 * LINE_IN + 0.2, top=True)
    render(lay, ax)
    panel.axis("off")
    panel.set_xlim(0, lay.width)
    panel.set_ylim(0, 1)
    lit = ax.scatter([], [], s=220, zorder=9, marker="o", facecolors="none", edgecolors=IP_COLOUR,
                     linewidths=3)
    lit_arp = ax.scatter([], [], s=220, zorder=9, marker="s", facecolors="none", edgecolors=ARP_COLOUR,
                         linewidths=3)
    trail = ax.scatter([], [], s=40, zorder=8, marker="o", color="#777777")
    caption = panel.text(0.3, 0.9, "", ha="left", va="top", fontsize=7.5, family="DejaVu Sans Mono")
    seen: list = []

    def frame(i):
        now = [s for s in st if round(s.time, 9) == instants[i]]
        pts_ip = [_point(g, lay, s) for s in now if not s.arp]
        pts_arp = [_point(g, lay, s) for s in now if s.arp]
        lit.set_offsets(pts_ip or [(float("nan"), float("nan"))])
        lit_arp.set_offsets(pts_arp or [(float("nan"), float("nan"))])
        trail.set_offsets(seen or [(float("nan"), float("nan"))])
        seen.extend(pts_ip + pts_arp)
        limit = int((lay.width - 0.6) / L.text_width(1, 7.5))
        rows = [f"t={instants[i] * 1000:.3f} ms"] + [
            f"{s.number}. {s.netns} {s.dev}: {s.summary}"[:limit] for s in now[:4]]
        caption.set_text("\n".join(rows))
        return lit, lit_arp, trail, caption

    return FuncAnimation(fig, frame, frames=range(len(instants)), interval=interval, blit=False,
                         repeat=False, cache_frame_data=False)


def save_animation(anim, path) -> str:
    """GIF through Pillow when it is installed, else an HTML page (jshtml); returns the path written."""
    from pathlib import Path
    path = Path(path)
    try:
        import PIL  # noqa: F401
        from matplotlib.animation import PillowWriter
    except ImportError:
        out = path.with_suffix(".html")
        out.write_text(anim.to_jshtml())
        return str(out)
    anim.save(str(path.with_suffix(".gif")), writer=PillowWriter(fps=2))
    return str(path.with_suffix(".gif"))
