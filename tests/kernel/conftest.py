import pytest

from netsim.kernel import Kernel
from netsim.kernel.bridge import Bridge
from netsim.kernel.interface import veth_pair


class Lab:
    """A host with one bridge and containers plugged into it, built by hand."""

    def __init__(self):
        self.k = Kernel(seed=1)
        self.host = self.k.init_net
        self.host.sysctl["net.ipv4.ip_forward"] = 1
        self.host.sysctl["net.bridge.bridge-nf-call-iptables"] = 1
        self.br = Bridge(self.k, "br0", "02:42:00:00:00:01")
        self.host.add_interface(self.br)
        self.host.add_address(self.br, "10.0.0.1/24")
        self.host.set_up(self.br)
        self.host.set_up(self.host.interfaces["lo"])

    def container(self, name, ip, n):
        ns = self.k.netns_add(name)
        ns.set_up(ns.interfaces["lo"])
        host_end, inner = veth_pair(self.k, f"veth{n}", "eth0", f"02:00:00:00:00:{n:02x}",
                                    f"02:42:0a:00:00:{n:02x}")
        self.host.add_interface(host_end)
        self.br.add_port(host_end)
        self.host.set_up(host_end)
        ns.add_interface(inner)
        ns.add_address(inner, f"{ip}/24")
        ns.set_up(inner)
        ns.add_route("default", inner, gateway="10.0.0.1")
        return ns

    def ping(self, ns, dst, timeout=2.0):
        from netsim.kernel.socket import IcmpSocket
        sock = IcmpSocket(ns, ident=77)
        sock.send_echo(dst, 1, b"x" * 56)
        ev = sock.recv(timeout)
        self.k.sched.run(until=ev)
        sock.close()
        return ev.value


@pytest.fixture
def lab():
    return Lab()
