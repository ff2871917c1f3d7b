"""The layer-stack drawing reads the model: mounts on top, image layer at the bottom."""
import pytest

from netsim import Engine
from netsim.storage.draw import layer_stack


def _engine():
    e = Engine()
    for line in ["docker run -d --name web -v data:/etc --tmpfs /scratch busybox sleep 3600",
                 "docker exec web rm /bin/vi"]:
        assert e.run(line).exit_code == 0
    return e


def test_layer_stack_rows():
    e = _engine()
    rows = layer_stack(e.daemon, e.daemon.container_find("web"))
    kinds = [k for k, _, _ in rows]
    assert kinds == ["mount"] * 5 + ["merged", "upper", "init", "lower"]
    assert rows[-1][1].startswith("image layer d6c98c46a8a8  (1,984,162 bytes)")
    assert "D /bin/vi" in rows[6][2]
    assert ("mount", "tmpfs /scratch", "← (in memory)") in rows


def test_draw_returns_axes(tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib
    matplotlib.use("Agg")
    from netsim.storage.draw import draw_layers
    ax = draw_layers(_engine(), "web")
    ax.figure.savefig(tmp_path / "layers.png")
    assert (tmp_path / "layers.png").stat().st_size > 1000
