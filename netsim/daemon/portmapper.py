"""Published ports: host port allocation, iptables DNAT and docker-proxy.

Models libnetwork ``portallocator`` (ephemeral host ports from the kernel's
``ip_local_port_range``, 32768-60999 on the reference host; one map per host IP
and protocol, each handing out the port after the last one it handed out) and
``portmapper`` (when docker-proxy cannot bind the port because another IP's
mapping holds it -- 0.0.0.0 overlaps every address -- the port is released and
the next one tried, up to 10 times), the bridge driver's
``setPerPortIptables`` rules, and ``docker-proxy`` -- the userland proxy that
answers connections to a published port made through the host's loopback,
which the nat OUTPUT rule (``! -d 127.0.0.0/8``) leaves alone.
"""
from __future__ import annotations

from ..errors import Forbidden
from ..kernel import tcp
from ..kernel.netfilter import Rule
from ..kernel.socket import SocketError, UdpSocket

PROXY = "/usr/sbin/docker-proxy"
PROXY_VSZ, PROXY_RSS = 1112012, 3924      # kB: a Go binary's address space, as ps shows it
UDP_CONNTRACK_TIMEOUT = 90
_ERRNO = {"EADDRINUSE": "address already in use", "EADDRNOTAVAIL": "cannot assign requested address"}

EPHEMERAL_START, EPHEMERAL_END = 32768, 60999
MAX_ALLOCATE_ATTEMPTS = 10      # portmapper.maxAllocatePortAttempts


class _Allocations(dict):
    """(proto, ip, port) -> owner, indexed by (proto, port) so that a conflict
    check costs O(1) even with 65,535 ports published."""

    def __init__(self) -> None:
        super().__init__()
        self.by_port: dict[tuple[str, int], set[str]] = {}

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        self.by_port.setdefault((key[0], key[2]), set()).add(key[1])

    def __delitem__(self, key) -> None:
        super().__delitem__(key)
        self._unindex(key)

    def pop(self, key, *default):
        if key in self:
            self._unindex(key)
        return super().pop(key, *default)

    def _unindex(self, key) -> None:
        ips = self.by_port.get((key[0], key[2]))
        if ips is not None:
            ips.discard(key[1])
            if not ips:
                del self.by_port[(key[0], key[2])]


class PortMapper:
    def __init__(self, daemon):
        self.daemon = daemon
        self.allocated: dict[tuple[str, str, int], object] = _Allocations()   # (proto, ip, port) -> endpoint
        self.last: dict[tuple[str, str], int] = {}     # (ip, proto) -> last port handed out
        self.proxies: dict[tuple[str, str, int], object] = {}

    def _taken(self, proto: str, ip: str, port: int) -> bool:
        ips = self.allocated.by_port.get((proto, port), ())
        return ip in ips or "0.0.0.0" in ips or (ip == "0.0.0.0" and bool(ips))

    def allocate(self, proto: str, ip: str, port, owner) -> int:
        """``port``: None (ephemeral), a port, or a (first, last) range tried in order.

        An explicit port or range is looked up in the map of its own host IP
        only (``RequestPortInRange``); when docker-proxy then cannot bind it
        because another IP's mapping overlaps, the error is final
        (``allocatePort`` does not retry an explicitly chosen port)."""
        if isinstance(port, tuple) and port[0] == port[1]:
            port = port[0]
        if isinstance(port, tuple):
            for candidate in range(port[0], port[1] + 1):
                if (proto, ip, candidate) not in self.allocated:
                    break
            else:
                raise Forbidden(f"Bind for {ip}:{port[0]}-{port[1]} failed: port is already allocated")
            port = candidate
        if port:
            if (proto, ip, port) in self.allocated:
                raise Forbidden(f"Bind for {ip}:{port} failed: port is already allocated")
            if self.daemon.host.userland_proxy and self._taken(proto, ip, port):
                raise Forbidden(f"Error starting userland proxy: listen {proto}4 {ip}:{port}: "
                                "bind: address already in use")
            self.allocated[(proto, ip, port)] = owner
            return port
        for _ in range(MAX_ALLOCATE_ATTEMPTS):
            candidate = self._find_port(proto, ip)
            if not self._taken(proto, ip, candidate):     # docker-proxy could bind it
                self.allocated[(proto, ip, candidate)] = owner
                return candidate
        raise Forbidden(f"Bind for {ip}:0 failed: all ports are allocated")

    def _find_port(self, proto: str, ip: str) -> int:
        """portallocator ``findPort``: the next port of this (ip, proto) map not in it."""
        last = self.last.get((ip, proto), EPHEMERAL_START - 1)
        for _ in range(EPHEMERAL_END - EPHEMERAL_START + 1):
            last = EPHEMERAL_START if last >= EPHEMERAL_END else last + 1
            if (proto, ip, last) not in self.allocated:
                self.last[(ip, proto)] = last
                return last
        raise Forbidden("all ports are allocated")

    def release(self, proto: str, ip: str, port: int) -> None:
        self.allocated.pop((proto, ip, port), None)
        for proxy in self.proxies.pop((proto, ip, port), ()):
            proxy.stop()

    # -- programming a mapping -------------------------------------------------
    def rules(self, bridge: str, proto: str, host_ip: str, host_port: int, ip: str, port: int):
        """The three iptables rules of one published port: (table, chain, rule)."""
        neg_in = frozenset({"in_iface"})
        dnat = Rule("DNAT", dst=None if host_ip == "0.0.0.0" else host_ip, in_iface=bridge,
                    proto=proto, dport=host_port, to_destination=f"{ip}:{port}", negate=neg_in)
        accept = Rule("ACCEPT", dst=ip, in_iface=bridge, out_iface=bridge, proto=proto,
                      dport=port, negate=neg_in)
        hairpin = Rule("MASQUERADE", src=ip, dst=ip, proto=proto, dport=port)
        return [("nat", "DOCKER", dnat), ("filter", "DOCKER", accept), ("nat", "POSTROUTING", hairpin)]

    def map(self, ep, proto: str, host_ip: str, host_port, port: int, v6: bool = False) -> int:
        """Publish ``port`` of ``ep``; ``v6``: no host IP was given, so the
        bridge driver binds the host port on ``::`` too (docker-proxy only:
        no ip6tables rules)."""
        d = self.daemon
        hp = self.allocate(proto, host_ip, host_port, ep)
        host = d.osl.host
        if d.host.userland_proxy:       # portmapper.MapRange: the proxy first, then iptables
            proxies = []
            for ip in [host_ip] + (["::"] if v6 else []):
                try:
                    proxies.append(DockerProxy(d, host, proto, ip, hp, ep.ip, port))
                except SocketError as err:
                    for p in proxies:
                        p.stop()
                    self.allocated.pop((proto, host_ip, hp), None)
                    fam = "6" if ":" in ip else "4"
                    addr = f"[{ip}]" if ":" in ip else ip
                    raise Forbidden(f"Error starting userland proxy: listen {proto}{fam} {addr}:{hp}: "
                                    f"bind: {_ERRNO.get(err.name, err.name)}") from None
            self.proxies[(proto, host_ip, hp)] = proxies
        for table, chain, rule in self.rules(ep.network.bridge_name, proto, host_ip, hp, ep.ip, port):
            d.osl.iptables(host, table, "-A", chain, rule)
        return hp

    def unmap(self, ep, proto: str, host_ip: str, host_port: int, port: int) -> None:
        d = self.daemon
        for table, chain, rule in self.rules(ep.network.bridge_name, proto, host_ip, host_port, ep.ip, port):
            d.osl.iptables(d.osl.host, table, "-D", chain, rule)
        self.release(proto, host_ip, host_port)


class DockerProxy:
    """``docker-proxy -proto P -host-ip IP -host-port HP -container-ip CIP
    -container-port CP``: a child of dockerd (the host's ``ps`` shows it) with
    a socket bound to IP:HP (``ss -p`` shows it as the owner).  TCP: each
    accepted connection is relayed to the container; UDP: each client's
    datagrams go out of a socket of their own, whose replies go back to the
    client.  On ``::`` (IPV6_V6ONLY) the socket takes no IPv4 traffic: the
    model has no IPv6 data path."""

    def __init__(self, daemon, netns, proto: str, host_ip: str, host_port: int, ip: str, port: int):
        kernel = daemon.kernel
        self.kernel, self.netns, self.proto = kernel, netns, proto
        self.target = (ip, port)
        runtime = daemon.runtime
        self.task = kernel.tasks.fork(runtime.dockerd, comm="docker-proxy", cmdline=[
            PROXY, "-proto", proto, "-host-ip", host_ip, "-host-port", str(host_port),
            "-container-ip", ip, "-container-port", str(port)])
        self.task.vsz, self.task.rss = PROXY_VSZ, PROXY_RSS
        if proto == "udp":
            v6 = ":" in host_ip
            if any(p == host_port and (":" in a) == v6 and (a == host_ip or "0.0.0.0" in (a, host_ip))
                   for a, p in netns.udp):
                kernel.tasks.exit(self.task)
                raise SocketError("EADDRINUSE")
            self.sock = UdpSocket(netns)
            self.sock.bind(host_ip, host_port)
            serve = self._serve_udp()
        else:
            try:
                self.sock = tcp.TcpListener(netns, host_ip, host_port)
            except SocketError:
                kernel.tasks.exit(self.task)
                raise
            self.sock.listen_backlog = 4096        # Go: net.core.somaxconn
            serve = self._serve()
        self.sock.task = self.task
        self.sock.v6 = ":" in host_ip            # IPV6_V6ONLY on [::]
        self.listener = self.sock
        self.clients: dict = {}
        # on :: nothing reaches the socket (no IPv6 data path): no program to run
        self.process = None if self.sock.v6 else \
            kernel.sched.process(serve, name=f"docker-proxy:{host_port}")

    def _serve(self):
        while True:
            client = yield self.listener.accept()
            if client is None:
                continue
            self.kernel.sched.process(self._relay(client))

    def _relay(self, client):
        upstream = yield tcp.connect(self.netns, self.target)
        if isinstance(upstream, str):
            client.close()
            return
        self.kernel.sched.process(self._pump(client, upstream))
        yield from self._pump(upstream, client)

    def _pump(self, src, dst):
        while True:
            data = yield src.recv()
            if not isinstance(data, bytes) or data == b"":
                if dst.state in ("ESTABLISHED", "CLOSE_WAIT"):
                    dst.close()
                return
            if dst.state in ("ESTABLISHED", "CLOSE_WAIT"):
                dst.send(data)

    def _serve_udp(self):
        while True:
            got = yield self.sock.recvfrom()
            if not isinstance(got, tuple):
                continue
            data, client = got
            up = self.clients.get(client)
            if up is None:
                up = self.clients[client] = UdpSocket(self.netns)
                try:
                    up.connect(self.target)
                except SocketError:
                    del self.clients[client]
                    continue
                up.task = self.task
                self.kernel.sched.process(self._replies(up, client))
            try:
                up.sendto(data, self.target)
            except SocketError:
                pass

    def _replies(self, up, client):
        """Replies of the container to one client, until 90 s of silence
        (``UDPConnTrackTimeout``)."""
        while True:
            got = yield up.recvfrom(UDP_CONNTRACK_TIMEOUT)
            if not isinstance(got, tuple):
                break
            try:
                self.sock.sendto(got[0], client)
            except SocketError:
                pass
        up.close()
        if self.clients.get(client) is up:
            del self.clients[client]

    def stop(self) -> None:
        self.sock.close()
        for up in self.clients.values():
            up.close()
        self.clients.clear()
        if self.process is not None:
            self.process.kill()
        self.kernel.tasks.exit(self.task)
