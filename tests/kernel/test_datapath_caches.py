"""The data path's caches answer as the uncached code does, whatever changes.

``IPStack.is_local`` remembers its answers until the namespace's generation
moves; a random sequence of device, up/down and address changes (through the
namespace's methods, the only writers) must never leave a stale answer.  The
bridge's inline ARP flood must count exactly what the per-device path counts.
"""
import random

from netsim.kernel.bridge import Bridge
from netsim.kernel.host import Kernel
from netsim.kernel.interface import VethEnd, deliver_all, veth_pair
from netsim.kernel.packet import ARP, BROADCAST, ETH_ARP, Ether

ADDRESSES = ["127.0.0.1", "127.3.4.5", "10.0.0.1", "10.0.0.2", "10.0.1.1", "172.18.0.2",
             "192.168.9.9", "0.0.0.0"]


def _stack_state(kernel, ns):
    return [(d.name, d.up, tuple(map(str, d.addrs))) for d in ns.interfaces.values()]


def test_is_local_never_stale_across_random_changes():
    rng = random.Random(7)
    kernel = Kernel()
    a, b = kernel.netns_add("a"), kernel.netns_add("b")
    devs = []
    for step in range(600):
        op = rng.randrange(7)
        if op == 0 or not devs:
            x, y = veth_pair(kernel, f"v{step}", f"p{step}")
            a.add_interface(x)
            b.add_interface(y)
            devs += [x, y]
        elif op == 1:
            dev = rng.choice(devs)
            dev.netns.set_up(dev, rng.random() < 0.7)
        elif op == 2:
            dev = rng.choice(devs)
            dev.netns.add_address(dev, f"10.0.{rng.randrange(2)}.{rng.randrange(1, 3)}/24")
        elif op == 3:
            dev = rng.choice(devs)
            if dev.addrs:
                dev.netns.del_address(dev, str(rng.choice(dev.addrs)))
        elif op == 4:                 # move a device to the other namespace
            dev = rng.choice(devs)
            src = dev.netns
            dst = b if src is a else a
            if dev.name not in dst.interfaces:
                src.remove_interface(dev)
                dst.add_interface(dev)
        elif op == 5:
            lo = rng.choice((a, b)).interfaces["lo"]
            lo.netns.set_up(lo, rng.random() < 0.5)
        else:
            dev = rng.choice(devs)
            if dev.netns is not None and dev in dev.netns.interfaces.values():
                dev.netns.rename(dev, dev.name + "x")
        for ns in (a, b):
            for addr in rng.sample(ADDRESSES, 4):
                assert ns.stack.is_local(addr) == ns.stack._is_local(addr), \
                    (step, ns.name, addr, _stack_state(kernel, ns))


def _flood_setup(n):
    kernel = Kernel()
    host = kernel.init_net
    br = Bridge(kernel, "br0", "02:42:00:00:00:01")
    host.add_interface(br)
    host.set_up(br)
    peers = []
    for i in range(n):
        outer, inner = veth_pair(kernel, f"veth{i}", "eth0", mac=f"02:42:00:00:01:{i:02x}",
                                 peer_mac=f"02:42:ac:12:00:{i:02x}")
        ns = kernel.netns_add(f"c{i}")
        host.add_interface(outer)
        ns.add_interface(inner)
        br.add_port(outer)
        ns.add_address(inner, f"172.18.0.{i + 2}/16")
        host.set_up(outer)
        if i % 5 != 3:                # some containers' ends stay down
            ns.set_up(inner)
        peers.append(inner)
    return kernel, br, peers


def _counters(devs):
    return [tuple(vars(d.stats).values()) for d in devs]


def test_inline_arp_flood_counts_as_deliver():
    req = ARP(ARP.REQUEST, "02:42:ac:12:00:00", "172.18.0.1", "00:00:00:00:00:00", "172.18.0.7")
    frame = Ether("02:42:ac:12:00:00", BROADCAST, ETH_ARP, req)
    k1, _, fast = _flood_setup(12)
    k2, _, slow = _flood_setup(12)
    deliver_all(fast, frame)
    for dev in slow:
        VethEnd.deliver(dev, frame)
    assert _counters(fast) == _counters(slow)
    k1.sched.run()
    k2.sched.run()
    assert _counters(fast) == _counters(slow)
    for f, s in zip(fast, slow):
        assert [(e.ip, e.mac, e.state) for e in f.netns.stack.neigh.entries.values()] == \
            [(e.ip, e.mac, e.state) for e in s.netns.stack.neigh.entries.values()]
