"""A deterministic, hand-written layout of the topology graph (no matplotlib).

The picture follows the docker/labs networking diagrams: one box for the host
with its uplink ``eth0`` on the bottom edge; each Linux bridge (``docker0``,
``br-…``) a dark horizontal bar; the network namespaces of the containers in
a row above the bar of their first network, the veth pair a line from the
``ethN`` inside the namespace down to the bridge, the host end's name
(``vethXXXXXXX``) written beside it.  A container on several networks sits at
the right end of its first network's column; its other interfaces run down to
a routing track and across to the other bridge.  Namespaces with no bridge
(``--network none``) stand apart, ``--network host`` containers sit inside the
host, ``--network container:X`` followers are listed in X's box.  The NAT
rows (Masquerade, Port mapping) sit along the host's bottom edge.

Units are inches, y grows upwards.  Text is monospaced so that widths are
known without a renderer: a character is ``CHAR_EM`` of the font size wide.
"""
from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass, field

from . import graph as G

FONT = 7.0                 # points, text inside boxes
CHAR_EM = 0.64             # DejaVu Sans Mono advance (0.602 em) plus the rounding of hinted glyphs
LINE = FONT * 1.4 / 72     # one text line, inches
PAD = 0.08
BOX_GAP = 0.35
COL_GAP = 0.55
BAR_H = 0.24
VETH_ZONE = 0.8            # room above a bar for the rotated vethXXXX labels
TRACK_STEP = 0.14
LANDING_W = 0.35
MAX_ROWS = 4
LANE_STEP = 0.2            # spacing of the lines that come down from upper rows
JOG_ZONE = 0.3             # vertical room between two rows of boxes
UPLINK_W = 1.3             # room at the host's bottom-left for eth0 and the host's own stack
WRAP = 30                  # characters per line inside a box
SUMMARY_THRESHOLD = 40     # above this many containers, one box per network
NOTE_FONT = 6.5
NOTES = ["dark bar: Linux bridge (a Docker network); hatched: --internal",
         "line: veth pair, host end vethXXXX -> ethN in the namespace; dot: bridge port",
         "solid box: a container's network namespace; '+ name': --network container:",
         "dashed box: --network none; dotted grey box: --network host"]


def text_width(chars: int, size: float = FONT) -> float:
    return chars * CHAR_EM * size / 72


@dataclass
class Box:
    """A network namespace (or a summary of many) drawn as a box of text lines."""
    node: str                       # netns node id, or "summary:<bridge>"
    title: str
    lines: list[str]
    style: str                      # "netns", "none", "hostmode", "summary"
    stubs: list[tuple[str, str]] = field(default_factory=list)   # (iface node, label)
    lane: float | None = None       # upper rows: x of the line down between the boxes below
    x: float = 0.0
    y: float = 0.0                  # bottom edge
    w: float = 0.0
    h: float = 0.0

    def stub_x(self, i: int) -> float:
        n = len(self.stubs)
        return self.x + self.w * (i + 0.5) / n


@dataclass
class Bar:
    node: str
    label: str
    sublabels: list[str]
    internal: bool
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0


@dataclass
class Link:
    """A veth pair drawn from a namespace's interface to a bridge bar."""
    iface: str                     # container-end interface node
    host_end: str | None           # host-end interface node (vethXXXX)
    host_label: str
    points: list[tuple[float, float]]   # polyline from the stub to the bar


@dataclass
class Layout:
    title: str
    width: float = 0.0
    height: float = 0.0
    host_box: tuple[float, float, float, float] = (0, 0, 0, 0)
    host_label: str = ""
    uplink: tuple[float, float] = (0.0, 0.0)
    uplink_label: list[str] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    nat: Box | None = None
    notes: list[str] = field(default_factory=list)
    pos: dict[str, tuple[float, float]] = field(default_factory=dict)   # graph node -> point
    summary: bool = False


def compute(g, title: str = "") -> Layout:
    lay = Layout(title or g.graph.get("title") or f"{g.graph.get('hostname', 'host')}: Docker networks")
    bridges = sorted(G.of_kind(g, "bridge"), key=lambda n: g.nodes[n]["ifindex"])
    containers = G.of_kind(g, "container")
    running = [c for c in containers if G.namespace_of(g, c)]
    lay.summary = len(running) > SUMMARY_THRESHOLD
    groups = _groups(g, bridges)
    columns = {b: [] for b in bridges}
    isolated = []
    for grp in groups:
        (columns[grp.home] if grp.home else isolated).append(grp)
    boxes_by_col, iso_boxes = _make_boxes(g, bridges, columns, isolated, lay.summary)
    bottom = _bottom_zone(g, lay)
    _place(g, lay, bridges, boxes_by_col, iso_boxes, bottom)
    return lay


# -- grouping ----------------------------------------------------------------------
@dataclass
class _Group:
    ns: str
    containers: list[str]
    ifaces: list[str]                # non-loopback interfaces, by name
    bridges: list[str | None]        # the bridge each iface reaches
    home: str | None
    key: tuple = ()


def _groups(g, bridges) -> list[_Group]:
    order = {b: i for i, b in enumerate(bridges)}
    out = []
    for ns in G.of_kind(g, "netns"):
        members = G.members(g, ns, "container")
        ifaces = sorted((i for i in G.members(g, ns, "interface") if g.nodes[i]["type"] != "loopback"),
                        key=lambda i: _natural(g.nodes[i]["name"]))
        brs = [G.bridge_of(g, i) for i in ifaces]
        attached = sorted((b for b in brs if b), key=order.get)
        home = attached[0] if attached else None
        home_ip = next((_ip(g, i) for i, b in zip(ifaces, brs) if b == home), 0)
        multi = len(set(attached)) > 1
        extra = max((order[b] for b in attached), default=0)
        members.sort(key=lambda c: (g.nodes[c]["mode"] == "container", g.nodes[c]["name"]))
        out.append(_Group(ns, members, ifaces, brs, home, (multi, extra, home_ip, ns)))
    out.sort(key=lambda grp: grp.key)
    return out


def _natural(name: str) -> tuple:
    head = name.rstrip("0123456789")
    tail = name[len(head):]
    return (head, int(tail) if tail else -1)


def _ip(g, iface: str) -> int:
    addrs = g.nodes[iface]["addresses"]
    return int(ipaddress.IPv4Interface(addrs[0]).ip) if addrs else 0


# -- boxes ---------------------------------------------------------------------------
def _make_boxes(g, bridges, columns, isolated, summary):
    if summary:
        return ({b: [_summary_box(g, b, columns[b])] if columns[b] else [] for b in bridges},
                [_summary_isolated(g, isolated)] if isolated else [])
    return ({b: [_netns_box(g, grp) for grp in columns[b]] for b in bridges},
            [_netns_box(g, grp) for grp in isolated])


def _netns_box(g, grp: _Group) -> Box:
    names = [g.nodes[c]["name"] for c in grp.containers]
    modes = [g.nodes[c]["mode"] for c in grp.containers]
    title = names[0] if names else f"netns {g.nodes[grp.ns]['name']}"
    provider = names[0] if modes and modes[0] != "container" else None
    lines = [f"+ {g.nodes[c]['name']} (container:{provider})" if provider else
             f"+ {g.nodes[c]['name']} ({_joined(g, c)})" for c in grp.containers[1:]]
    if modes and modes[0] == "container":   # its provider stopped: the follower keeps the namespace
        lines.insert(0, f"  ({_joined(g, grp.containers[0])})")
    ports = _ports_by_iface(g)
    multi = len({b for b in grp.bridges if b}) > 1
    stubs = []
    for iface, br in zip(grp.ifaces, grp.bridges):
        d = g.nodes[iface]
        lines.append(f"{d['name']} {', '.join(d['addresses']) or '(no address)'}")
        lines.append(f"  {d['mac']}")
        if d.get("aliases"):
            lines += _wrap("  alias " + ", ".join(d["aliases"]), "        ")
        if multi and br:
            lines.append(f"  on {g.nodes[br]['network']}")
        for p in ports.get(iface, []):
            lines.append(f"  port {p}")
        if br:
            stubs.append((iface, d["name"]))
    style = "netns"
    if not grp.ifaces:
        style = "none"
        lo = [i for i in G.members(g, grp.ns, "interface") if g.nodes[i]["type"] == "loopback"]
        for i in lo:
            lines.append(f"lo {', '.join(g.nodes[i]['addresses'])}")
        lines.append("no network (--network none)" if "none" in modes else "no interface but lo")
    return Box(grp.ns, title, lines, style, stubs)


def _joined(g, container: str) -> str:
    """``container:NAME`` as given, with a long id shortened to 12 digits."""
    mode = g.nodes[container]["network_mode"]
    kind, _, ref = mode.partition(":")
    return f"{kind}:{ref[:12]}" if len(ref) == 64 else mode


def _wrap(text: str, indent: str) -> list[str]:
    out, line = [], ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if len(candidate) > WRAP and line.strip():
            out.append(line)
            candidate = indent + word
        line = candidate
    return out + [line]


def _ports_by_iface(g) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in G.of_kind(g, "port_mapping"):
        d = g.nodes[p]
        for _, iface, k in g.out_edges(p, data="kind"):
            if k == "port_mapping":
                out.setdefault(iface, []).append(f"{d['container_port']}/{d['proto']} <- {d['host_port']}")
    return out


def _summary_box(g, bridge, groups) -> Box:
    ips = sorted(ip for grp in groups for i, b in zip(grp.ifaces, grp.bridges) if b == bridge
                 for ip in [_ip(g, i)] if ip)
    n = sum(len(grp.containers) for grp in groups)
    span = f"{ipaddress.IPv4Address(ips[0])}–{ipaddress.IPv4Address(ips[-1])}" if ips else "no address"
    box = Box(f"summary:{bridge}", f"{n} containers", [span, f"{len(ips)} veth pairs"], "summary")
    box.stubs = [(f"summary:{bridge}", "eth")]
    return box


def _summary_isolated(g, groups) -> Box:
    n = sum(len(grp.containers) for grp in groups)
    return Box("summary:none", f"{n} containers", ["lo only", "no network (--network none)"], "none")


def _size(box: Box) -> None:
    chars = max([len(s) for s in box.lines], default=0)
    box.w = max(text_width(chars) + 2 * PAD, text_width(len(box.title), FONT + 1) + 2 * PAD, 1.2)
    box.h = (len(box.lines) + 1) * LINE + 2 * PAD + (LINE if box.stubs else 0)


# -- the host's bottom edge: uplink, host-mode containers, NAT -----------------------
def _bottom_zone(g, lay: Layout) -> list[Box]:
    out = []
    hostmode = sorted(g.nodes[c]["name"] for c in G.members(g, G.HOST, "container"))
    if hostmode:
        shown = hostmode if len(hostmode) <= 8 else hostmode[:8] + [f"… {len(hostmode) - 8} more"]
        out.append(Box("hostmode", "--network host", shown + ["(share the host's interfaces)"],
                       "hostmode"))
    rows = []
    for b in sorted(G.of_kind(g, "bridge"), key=lambda n: g.nodes[n]["ifindex"]):
        d = g.nodes[b]
        if d.get("masquerade"):
            rows.append(f"Masquerade    {d['masquerade']} ! -o {d['name']}")
    ports = sorted(G.of_kind(g, "port_mapping"),
                   key=lambda p: (g.nodes[p]["host_port"], g.nodes[p]["proto"], g.nodes[p]["host_ip"]))
    for p in ports[:12]:
        d = g.nodes[p]
        who = f" ({d['container']})" if d.get("container") else ""
        rows.append(f"Port mapping  {d['host_ip']}:{d['host_port']}/{d['proto']} -> "
                    f"{d['container_ip']}:{d['container_port']}{who}")
    if len(ports) > 12:
        rows.append(f"… {len(ports) - 12} more port mappings")
    if rows:
        lay.nat = Box("nat", "NAT (iptables -t nat, host)", rows, "nat")
        out.append(lay.nat)
    stopped = sorted(g.nodes[c]["name"] for c in G.of_kind(g, "container") if not G.namespace_of(g, c))
    if stopped:
        shown = ", ".join(stopped[:10]) + (f" … {len(stopped) - 10} more" if len(stopped) > 10 else "")
        out.append(Box("stopped", "not running (no namespace)", _wrap(shown, ""), "stopped"))
    return out


# -- placement -------------------------------------------------------------------------
def _place(g, lay, bridges, boxes_by_col, iso_boxes, bottom) -> None:
    all_boxes = [b for bs in boxes_by_col.values() for b in bs] + iso_boxes
    for b in all_boxes + bottom:
        _size(b)
    box_w = max([b.w for b in all_boxes], default=1.2)
    for b in all_boxes:
        b.w = box_w
    extra = _extra_links(g, boxes_by_col, bridges)
    landings = {br: [lk for lk in extra if lk[2] == br] for br in bridges}
    margin, inner = 0.3, 0.3
    x = margin + inner
    bar_label_w = {b: text_width(len(_bar_label(g, b)), FONT + 0.5) + 0.5 for b in bridges}
    nrows = _row_count(len(all_boxes))
    rows_by_col = {}
    for br in bridges:
        start = x
        x += LANDING_W * len(landings[br])
        rows = rows_by_col[br] = _rows(boxes_by_col[br], nrows)
        gap = BOX_GAP if len(rows) < 2 else max(BOX_GAP, LANE_STEP * len(rows) + 0.1)
        for r, row in enumerate(rows):
            for j, box in enumerate(row):
                box.x = x + j * (box.w + gap)
                box.lane = None if r == 0 else box.x + box.w + LANE_STEP * r
        if rows:   # with upper rows, the last lanes run right of the last box: the bar covers them
            x += len(rows[0]) * (box_w + gap) - (gap if len(rows) == 1 else gap - LANE_STEP * len(rows) + 0.05)
        x = max(x, start + bar_label_w[br], start + text_width(max(len(s) for s in _bar_sub(g, br))) + 0.1)
        d = g.nodes[br]
        lay.bars.append(Bar(br, _bar_label(g, br), _bar_sub(g, br), bool(d.get("internal")), start, 0, x - start))
        x += COL_GAP
    for box in iso_boxes:
        box.x = x
        x += box.w + BOX_GAP
    content_right = x - (COL_GAP if not iso_boxes else BOX_GAP)
    # vertical structure
    uplink_h = 0.5
    legend_h = len(NOTES) * LINE + 0.1
    host_bottom = margin + legend_h + uplink_h
    bottom_h = max([b.h for b in bottom], default=0)
    bar_y = host_bottom + inner + bottom_h + (0.25 if bottom else 0) + 2 * LINE + 0.1
    track0 = bar_y + BAR_H + VETH_ZONE
    box_y = track0 + TRACK_STEP * len(extra) + 0.25
    for b in lay.bars:
        b.y = bar_y
    for b in iso_boxes:
        b.y = box_y
    for rows in rows_by_col.values():
        y = box_y
        for row in rows:
            for b in row:
                b.y = y
            y += max(b.h for b in row) + JOG_ZONE
    top = max([b.y + b.h for b in all_boxes], default=bar_y + BAR_H + 0.5)
    # bottom zone, left to right
    bx = margin + UPLINK_W
    for b in bottom:
        b.x, b.y = bx, host_bottom + inner
        bx += b.w + BOX_GAP
    lay.notes = NOTES
    notes_w = max(text_width(len(n), NOTE_FONT) for n in NOTES)
    host_right = max(content_right, bx - BOX_GAP, margin + text_width(len(lay.title), 11) + 0.2,
                     margin + notes_w - inner) + inner
    host_top = top + 0.45
    lay.host_box = (margin, host_bottom, host_right - margin, host_top - host_bottom)
    lay.host_label = f"host {g.graph.get('hostname', '')} (network namespace \"host\")"
    # whole half-inches: exact in binary, so the pixel size is exactly width x dpi
    lay.width = math.ceil((host_right + margin) * 2) / 2
    lay.height = math.ceil((host_top + 0.55) * 2) / 2
    lay.boxes = all_boxes + bottom
    _uplink(g, lay, host_bottom)
    _links(g, lay, boxes_by_col, bridges, extra, landings, track0)


def _row_count(n: int) -> int:
    """Rows of boxes above the bars: one up to 6 namespaces, then about a third of sqrt(n)."""
    return 1 if n <= 6 else min(MAX_ROWS, math.ceil(math.sqrt(n / 3)))


def _rows(boxes: list[Box], nrows: int) -> list[list[Box]]:
    """Split a column's boxes into rows; boxes with several interfaces stay in the bottom row."""
    if not boxes:
        return []
    multi = [b for b in boxes if len(b.stubs) != 1]
    single = [b for b in boxes if len(b.stubs) == 1]
    per_row = max(math.ceil(len(boxes) / nrows), len(multi))
    first = per_row - len(multi)
    rows = [single[:first] + multi]
    rest = single[first:]
    while rest:
        rows.append(rest[:per_row])
        rest = rest[per_row:]
    return rows


def _bar_label(g, br: str) -> str:
    d = g.nodes[br]
    return f"{d.get('network') or '?'} ({d['name']})"


def _bar_sub(g, br: str) -> list[str]:
    d = g.nodes[br]
    sub = [f"{d.get('subnet') or ', '.join(d['addresses'])}", f"gw {d.get('gateway') or '-'}"]
    if d.get("internal"):
        sub.append("internal")
    if not d.get("icc", True):
        sub.append("icc off")
    return sub


def _uplink(g, lay, host_bottom) -> None:
    up = [i for i in G.members(g, G.HOST, "interface") if g.nodes[i]["type"] == "ether"]
    x = lay.host_box[0] + 0.5
    lay.uplink = (x, host_bottom)
    for i in up[:1]:
        d = g.nodes[i]
        lay.uplink_label = [f"{d['name']}: {', '.join(a.split('/')[0] for a in d['addresses'])}",
                            "(uplink: the world outside is not simulated)"]
        lay.pos[i] = (x, host_bottom)
    lay.pos[G.HOST] = (x, host_bottom + 0.35)
    if lay.nat is not None:
        for p in G.of_kind(g, "port_mapping"):
            lay.pos[p] = (lay.nat.x + lay.nat.w / 2, lay.nat.y + lay.nat.h)


def _extra_links(g, boxes_by_col, bridges):
    """(box, stub index, target bridge) for interfaces that leave a box's home column."""
    out = []
    for home in bridges:
        for box in boxes_by_col[home]:
            for k, (iface, _) in enumerate(box.stubs):
                br = G.bridge_of(g, iface) if not box.style == "summary" else home
                if br and br != home:
                    out.append((box, k, br))
    return out


def _links(g, lay, boxes_by_col, bridges, extra, landings, track0) -> None:
    bars = {b.node: b for b in lay.bars}
    for home in bridges:
        bar = bars[home]
        for box in boxes_by_col[home]:
            for k, (iface, _) in enumerate(box.stubs):
                if box.style == "summary" or G.bridge_of(g, iface) == home:
                    x = box.stub_x(k)
                    if box.lane is None:
                        _add_link(g, lay, iface, [(x, box.y), (x, bar.y + BAR_H)])
                    else:   # an upper row: jog right into the lane between the boxes below
                        jog = box.y - JOG_ZONE / 2
                        _add_link(g, lay, iface, [(x, box.y), (x, jog), (box.lane, jog),
                                                  (box.lane, bar.y + BAR_H)])
    for t, (box, k, br) in enumerate(extra):
        bar = bars[br]
        slot = landings[br].index((box, k, br))
        lx = bar.x + LANDING_W * (slot + 0.5)
        ty = track0 + TRACK_STEP * (len(extra) - 1 - t)
        sx = box.stub_x(k)
        _add_link(g, lay, box.stubs[k][0], [(sx, box.y), (sx, ty), (lx, ty), (lx, bar.y + BAR_H)])
    for box in lay.boxes:
        lay.pos[box.node] = (box.x + box.w - 0.15, box.y + box.h - 0.15)   # the namespace's own stack
        for k, (iface, _) in enumerate(box.stubs):
            lay.pos.setdefault(iface, (box.stub_x(k), box.y))
    for bar in lay.bars:
        lay.pos[bar.node] = (bar.x + bar.w - 0.2, bar.y + BAR_H / 2)


def _add_link(g, lay, iface, pts) -> None:
    host_end = G.veth_host_end(g, iface) if iface in g else None
    label = g.nodes[host_end]["name"] if host_end else ""
    lay.links.append(Link(iface, host_end, label, pts))
    lay.pos[iface] = pts[0]
    if host_end:
        lay.pos[host_end] = pts[-1]
