import matplotlib
import pytest

from netsim.engine import Engine

matplotlib.use("Agg")


def build(*lines, trace=False):
    eng = Engine(trace=trace)
    for line in lines:
        res = eng.run(line)
        assert res.exit_code == 0, (line, res.stderr)
    return eng


class Names:
    """Device names the daemon chose, so that expected sets can be written by hand."""

    def __init__(self, eng):
        self.d = eng.daemon

    def veth(self, container: str, network: str) -> str:
        return "if:host:" + self.d.container_find(container).endpoints[network].host_ifname

    def br(self, network: str) -> str:
        return "bridge:" + self.d.network_find(network).bridge_name

    @property
    def uplink(self) -> str:
        return "if:host:" + self.d.host.uplink


def host_base(n: Names):
    """What every engine has: the host, its lo, ifb0/ifb1 and uplink, docker0."""
    nodes = {"host", "if:host:lo", "if:host:ifb0", "if:host:ifb1", n.uplink, "bridge:docker0"}
    edges = {("if:host:lo", "host", "member_of"), ("if:host:ifb0", "host", "member_of"),
             ("if:host:ifb1", "host", "member_of"), (n.uplink, "host", "member_of"),
             ("bridge:docker0", "host", "member_of")}
    return nodes, edges


def bridged(n: Names, name: str, network: str, ifname: str = "eth0", first: bool = True):
    """A container with its own namespace and one veth into ``network``'s bridge."""
    veth, ns, inner = n.veth(name, network), f"netns:{name}", f"if:{name}:{ifname}"
    nodes = {veth, inner}
    edges = {(veth, "host", "member_of"), (veth, n.br(network), "bridge_port"), (veth, inner, "veth"),
             (inner, ns, "member_of")}
    if first:
        nodes |= {ns, f"container:{name}", f"if:{name}:lo"}
        edges |= {(f"container:{name}", ns, "member_of"), (f"if:{name}:lo", ns, "member_of")}
    return nodes, edges


def sets(g):
    return set(g.nodes), {(u, v, k) for u, v, k in g.edges(data="kind")}


@pytest.fixture
def names():
    return Names
