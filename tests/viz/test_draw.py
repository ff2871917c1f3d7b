"""Rendering: pixel size, determinism, layout without overlaps, summaries, paths."""
import struct
import time

from netsim import viz
from netsim.viz import graph, layout, path
from netsim.viz.draw import DPI

from .conftest import build

RUN = "docker run -d --name {} {} busybox sleep 3600"


def png_size(p) -> tuple[int, int]:
    with open(p, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def mixed():
    return build("docker network create mynet", RUN.format("web1", "--network mynet --network-alias web"),
                 "docker run -d --name web2 -p 8080:80 busybox httpd -f -p 80",
                 RUN.format("side", "--network container:web1"), RUN.format("hm", "--network host"),
                 RUN.format("iso", "--network none"), "docker network connect mynet web2")


def test_png_has_the_layout_size(tmp_path):
    eng = mixed()
    lay = layout.compute(viz.topology(eng), "t")
    viz.save(eng, tmp_path / "t.png", title="t")
    assert png_size(tmp_path / "t.png") == (int(lay.width * DPI), int(lay.height * DPI))
    assert lay.width * 2 == int(lay.width * 2)
    # three namespaces with bridges or none, two bridges: the picture is wider than tall
    assert lay.width > lay.height > 4


def test_svg_is_byte_identical_run_to_run(tmp_path):
    viz.save(mixed(), tmp_path / "a.svg", title="same")
    viz.save(mixed(), tmp_path / "b.svg", title="same")
    a, b = (tmp_path / "a.svg").read_bytes(), (tmp_path / "b.svg").read_bytes()
    assert a == b
    assert b"<dc:date>" not in a


def test_png_is_byte_identical_run_to_run(tmp_path):
    viz.save(mixed(), tmp_path / "a.png")
    viz.save(mixed(), tmp_path / "b.png")
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()


def test_engine_draw_returns_a_figure():
    fig = mixed().draw()
    assert type(fig).__name__ == "Figure"
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert "bridge (docker0)" in texts
    assert any(t.startswith("mynet (br-") for t in texts)
    assert "eth0: 192.0.2.2" in texts or any(t.startswith("eth0: ") for t in texts)


def test_modes_are_placed_where_teaching_diagrams_put_them():
    eng = mixed()
    lay = layout.compute(viz.topology(eng))
    boxes = {b.node: b for b in lay.boxes}
    assert boxes["netns:web1"].title == "web1"
    assert "+ side (container:web1)" in boxes["netns:web1"].lines
    assert boxes["netns:iso"].style == "none" and boxes["netns:iso"].stubs == []
    assert "hm" in boxes["hostmode"].lines
    assert any(r.startswith("Port mapping  0.0.0.0:8080/tcp -> 172.17.0.2:80 (web2)") for r in lay.nat.lines)
    assert any(r.startswith("Masquerade    172.17.0.0/16 ! -o docker0") for r in lay.nat.lines)
    # web2 is on two networks: it sits in docker0's column, its eth1 runs across to mynet
    bars = {b.node: b for b in lay.bars}
    web2 = boxes["netns:web2"]
    assert bars["bridge:docker0"].x <= web2.x < bars["bridge:docker0"].x + bars["bridge:docker0"].w
    eth1 = next(lk for lk in lay.links if lk.iface == "if:web2:eth1")
    assert len(eth1.points) == 4
    mynet = next(b for n, b in bars.items() if n != "bridge:docker0")
    assert mynet.x <= eth1.points[-1][0] <= mynet.x + mynet.w


def overlaps(a, b) -> bool:
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h


def test_thirty_containers_on_five_networks_do_not_overlap():
    lines = [f"docker network create net{i}" for i in range(4)]
    for i in range(30):
        net = "" if i % 5 == 4 else f"--network net{i % 5}"
        lines.append(RUN.format(f"svc{i:02d}", net))
    lines += ["docker network connect net1 svc00", "docker network connect net3 svc05"]
    g = viz.topology(build(*lines))
    lay = layout.compute(g)
    assert not lay.summary
    assert len([b for b in lay.boxes if b.style == "netns"]) == 30
    boxes = lay.boxes
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not overlaps(a, b), (a.node, b.node)
        assert a.w >= layout.text_width(max(len(s) for s in a.lines + [a.title]))
    for i, a in enumerate(lay.bars):
        for b in lay.bars[i + 1:]:
            assert a.x + a.w <= b.x or b.x + b.w <= a.x
    bars = {b.node: b for b in lay.bars}
    for link in lay.links:   # every veth ends on the bar of its own bridge, never in the air
        x_end, y_end = link.points[-1]
        bar = bars[graph.bridge_of(g, link.iface)]
        assert bar.x < x_end < bar.x + bar.w and y_end == bar.y + layout.BAR_H, link
    assert lay.width < 40   # rows of boxes, not one 70-inch row
    x, y, w, h = lay.host_box
    for b in boxes:
        assert x < b.x and b.x + b.w < x + w and y < b.y and b.y + b.h < y + h


def test_large_scenarios_are_summarised_per_network_and_fast(tmp_path):
    eng = build("docker network create big", *[RUN.format(f"n{i:04d}", "--network big") for i in range(45)])
    lay = layout.compute(viz.topology(eng))
    assert lay.summary
    summary = [b for b in lay.boxes if b.style == "summary"]
    assert [(b.title, b.lines[0]) for b in summary] == [("45 containers", "172.18.0.2–172.18.0.46")]


def test_a_thousand_containers_render_within_five_seconds(tmp_path):
    eng = build("docker network create big")
    for i in range(1000):
        eng.run(RUN.format(f"n{i:04d}", "--network big"))
    start = time.monotonic()
    viz.save(eng, tmp_path / "big.png")
    assert time.monotonic() - start < 5
    lay = layout.compute(viz.topology(eng))
    assert [b.lines[0] for b in lay.boxes if b.style == "summary"] == ["172.18.0.2–172.18.3.233"]


def test_ping_path_is_numbered_in_order():
    eng = build("docker network create xue", RUN.format("tomcat81", "--network xue"),
                RUN.format("tomcat82", "--network xue"), trace=True)
    res = eng.run("docker exec tomcat82 ping -c 1 tomcat81")
    st = path.steps(res.extra["hops"])
    assert [s.number for s in st] == list(range(1, len(st) + 1))
    first_arp = next(s for s in st if s.arp)
    assert (first_arp.netns, first_arp.dev, first_arp.broadcast) == ("tomcat82", "eth0", True)
    last = st[-1]
    assert (last.netns, last.dev, last.arp) == ("tomcat82", "eth0", False)
    assert "ICMP echo reply" in last.summary
    g = viz.topology(eng)
    assert {path.node_for(g, s) for s in st} >= {"if:tomcat82:eth0", "if:tomcat81:eth0"}
    fig = path.render_path(eng, res.extra["hops"], title="ping")
    labels = {t.get_text() for t in fig.axes[0].texts}
    assert any("1" in x.split(",") for x in labels)


def test_animation_has_one_frame_per_instant(tmp_path):
    eng = build("docker network create xue", RUN.format("tomcat81", "--network xue"),
                RUN.format("tomcat82", "--network xue"), trace=True)
    hops = eng.run("docker exec tomcat82 ping -c 1 tomcat81").extra["hops"]
    anim = path.animate(eng, hops)
    instants = {round(s.time, 9) for s in path.steps(hops)}
    assert list(anim.new_frame_seq()) == list(range(len(instants)))
    assert len(instants) >= 6        # ARP request, its flood, the reply, then ICMP both ways
    out = path.save_animation(anim, tmp_path / "ping.gif")
    assert out.endswith((".gif", ".html"))
