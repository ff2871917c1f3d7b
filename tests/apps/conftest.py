import pytest

from netsim.apps.busybox import NOT_FOUND, run_argv
from netsim.apps.process import Proc
from netsim.fs import Filesystem
from netsim.kernel import Kernel
from netsim.kernel.bridge import Bridge
from netsim.kernel.interface import veth_pair

HOSTS = ("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
         "fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\n"
         "ff02::2\tip6-allrouters\n")


class Lab:
    """A host with one bridge (172.18.0.1/16) and containers on it, built by hand."""

    def __init__(self):
        self.k = Kernel(seed=1)
        self.host = self.k.init_net
        self.host.sysctl["net.ipv4.ip_forward"] = 1
        self.host.sysctl["net.bridge.bridge-nf-call-iptables"] = 1
        self.br = Bridge(self.k, "br0", "02:42:00:00:00:01")
        self.host.add_interface(self.br)
        self.host.add_address(self.br, "172.18.0.1/16")
        self.host.set_up(self.br)
        self.host.set_up(self.host.interfaces["lo"])
        self.fs = {}
        self.hostnames = {}

    def container(self, name, ip, n, resolv="nameserver 127.0.0.11\noptions ndots:0\n"):
        ns = self.k.netns_add(name)
        ns.set_up(ns.interfaces["lo"])
        host_end, inner = veth_pair(self.k, f"veth{n}", "eth0", f"02:00:00:00:00:{n:02x}",
                                    "02:42:ac:12:00:%02x" % n)
        self.host.add_interface(host_end)
        self.br.add_port(host_end)
        self.host.set_up(host_end)
        ns.add_interface(inner)
        ns.add_address(inner, f"{ip}/16")
        ns.set_up(inner)
        ns.add_route("default", inner, gateway="172.18.0.1")
        self.hostnames[name] = name
        self.fs[name] = Filesystem({
            "/etc/hosts": HOSTS + f"{ip}\t{name}\n",
            "/etc/resolv.conf": resolv,
            "/etc/hostname": name + "\n",
        }, dirs={"/tmp", "/root", "/bin", "/var/www"})
        return ns

    def proc(self, ns, argv, stdin=""):
        return Proc(argv=list(argv), netns=ns, fs=self.fs.get(ns.name) or Filesystem(),
                    hostname=self.hostnames.get(ns.name, "localhost"), kernel=self.k,
                    stdin=stdin, env={"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                                      "HOSTNAME": ns.name, "HOME": "/root"})

    def start(self, ns, argv, stdin=""):
        p = self.proc(ns, argv, stdin)
        gen = run_argv(p)
        assert gen is not NOT_FOUND
        return p, self.k.sched.process(gen)

    def run(self, ns, argv, stdin="", limit=120.0):
        p, pr = self.start(ns, argv, stdin)
        self.k.sched.run(until=pr, limit=self.k.sched.now + limit)
        assert pr.triggered, f"{argv} still running"
        return p.output, p.errors, pr.value


@pytest.fixture
def lab():
    return Lab()
