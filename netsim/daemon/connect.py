"""Sandboxes and endpoints: wiring containers to networks.

Models dockerd's ``allocateNetwork``/``connectToNetwork`` and libnetwork's
``sandbox.go``/``endpoint.go``: a container's sandbox gets one endpoint per
network, the driver plugs a veth pair into the bridge, IPAM hands out the
address, and the sandbox rewrites /etc/hosts and /etc/resolv.conf.
"""
from __future__ import annotations

from ..errors import Conflict, Forbidden, InvalidParameter, NotFound, SystemError_
from .ids import mac_for_ip
from .network import Endpoint
from .resolver import EmbeddedDns
from .sandbox import Sandbox, hosts_file, resolv_conf


ERR_IP_PREDEFINED = "user specified IP address is supported on user defined networks only"
ERR_ALIAS_PREDEFINED = "network-scoped alias is supported only for containers in user defined networks"


class ConnectMixin:
    # -- sandbox -----------------------------------------------------------
    def _netns_key(self, c) -> str:
        key, n = c.name, 1
        while key in self.kernel.namespaces:
            n += 1
            key = f"{c.name}-{n}"
        return key

    def _allocate_network(self, c) -> None:
        """Give a starting container its network namespace and endpoints."""
        mode = c.mode
        if mode == "container":
            provider = self._provider(c)
            c.sandbox = provider.sandbox
            provider.sandbox.followers.append(c)
            return
        if mode == "host":
            c.sandbox = Sandbox(self.ids.id64(), "host", self.osl.host, c, host_mode=True)
            self._join_null(c, self.network_find("host"))
            return
        key = self._netns_key(c)
        sb = Sandbox(self.ids.id64(), key, self.osl.netns_add(key), c)
        # the daemon's default spec (oci_linux.go) for a container's own
        # namespace: binding any port needs no privilege
        sb.netns.sysctl["net.ipv4.ip_unprivileged_port_start"] = 0
        c.sandbox = sb
        if mode == "none":
            self._join_null(c, self.network_find("none"))
            return
        try:
            for i, (name, req) in enumerate(list(c.networks.items())):
                net = self.request_network(name, req)
                self._join(c, net, req, publish=(i == 0))
        except Exception:
            self._release_network(c)
            raise

    def request_network(self, name: str, req):
        """The network a container's ``--network``/``connect`` entry means:
        by its NetworkID once it has joined, else by name (``getNetworkID``)."""
        if req is not None and req.network_id:
            net = self.networks.get(req.network_id)
            if net is None:
                raise NotFound(f"network {req.network_id} not found")
            return net
        return self.network_find(name)

    def _stale_request(self, req) -> bool:
        """An entry whose network (by id) no longer exists: FindNetwork fails
        and updateNetworkSettings skips it."""
        return req is not None and req.network_id is not None and req.network_id not in self.networks

    def _provider(self, c):
        ref = c.network_mode.split(":", 1)[1]
        try:
            provider = self.container_find(ref)
        except NotFound:
            raise NotFound(f"No such container: {ref}")
        if not provider.running:
            raise Conflict(f"cannot join network of a non running container: {provider.id}")
        return provider

    def _release_network(self, c) -> None:
        sb = c.sandbox
        if sb is None:
            return
        c.sandbox = None
        if c.mode in ("host", "none"):
            for ep in list(c.endpoints.values()):
                ep.network.endpoints.pop(c.id, None)
                c.endpoints.pop(ep.network.name, None)
        if c.mode == "host":
            return
        if c.mode == "container":
            # A follower holds its provider's namespace open: the last one to
            # leave a namespace its provider has already released deletes it.
            sb.followers[:] = [f for f in sb.followers if f is not c]
            if sb.container.sandbox is not sb and not any(f.running and f.sandbox is sb
                                                         for f in sb.followers):
                self._netns_del(sb)
            return
        for ep in list(c.endpoints.values()):
            self._leave(c, ep)
        if sb.resolver is not None:
            sb.resolver.stop()
            sb.resolver = None
        if not any(f.running and f.sandbox is sb for f in sb.followers):
            self._netns_del(sb)

    def _netns_del(self, sb) -> None:
        if self.kernel.namespaces.get(sb.key) is sb.netns:
            self.osl.netns_del(sb.key)

    # -- endpoints -----------------------------------------------------------
    def _join_null(self, c, net) -> Endpoint:
        """An endpoint on the host or none network: the host and null drivers
        program nothing and IPAM gives no address."""
        req = c.networks.get(net.name)
        if req is not None and req.ip:
            raise Forbidden(ERR_IP_PREDEFINED)
        ep = Endpoint(self.ids.id64(), net, c)
        net.endpoints[c.id] = ep
        c.endpoints[net.name] = ep
        return ep

    def _join(self, c, net, req, publish: bool = False) -> Endpoint:
        sb = c.sandbox
        if net.driver == "host" or net.driver == "null":
            raise Forbidden("container cannot be disconnected from host network or connected to host network"
                            if net.driver == "host" else
                            "container cannot be connected to multiple networks with one of the networks in private (none) mode")
        if req.ip and net.predefined:
            raise Forbidden(ERR_IP_PREDEFINED)
        if req.ip and not net.user_subnet and not net.predefined:
            raise Forbidden("user specified IP address is supported only when connecting to networks with user configured subnets")
        ip = net.pool.request(req.ip) if req.ip else None
        if ip is None:
            try:
                ip = net.pool.request()
            except Exception:
                raise SystemError_(f"no available IPv4 addresses on this network's address pools: "
                                   f"{net.name} ({net.id})")
        # buildCreateEndpointOptions: --mac-address is for the network of `docker run` only
        run_net = net.name == c.network_mode or (net.name == "bridge" and c.network_mode == "default")
        ep = Endpoint(self.ids.id64(), net, c, ip=ip,
                      mac=(c.mac_address if run_net else "") or mac_for_ip(ip), ipam_ip=req.ip)
        if net.is_user_defined:
            ep.aliases = self._endpoint_aliases(c, req)
            ep.dns_names = [c.name] + ep.aliases
            ep.links = list(req.links)
        gw_before = sb.gateway_endpoint()
        sb.endpoints.append(ep)
        set_gw = sb.gateway_endpoint() is ep
        if set_gw and gw_before is not None and gw_before is not ep:
            self.osl.route_del_default(sb.netns)
        self.drivers[net.driver].join(ep, sb.netns, sb.next_ifname(), set_gw)
        net.endpoints[c.id] = ep
        c.endpoints[net.name] = ep
        req.network_id = net.id
        sb.hosts_entries.append(f"{ep.ip}\t{self._host_names(c)}")
        if net.is_user_defined and sb.resolver is None:
            sb.resolver = EmbeddedDns(self, sb)
        if publish:
            self._publish(c, ep)
        return ep

    @staticmethod
    def _endpoint_aliases(c, req) -> list[str]:
        """``updateNetworkConfig`` on a user network: the aliases asked for, the
        short id, and the hostname unless it is one already (dockerd compares
        it with ``container.Name``, which has its leading slash: a hostname
        equal to the name is added too, as cli_views_fourth records)."""
        aliases = list(req.aliases)
        if c.short_id not in aliases:
            aliases.append(c.short_id)
        if c.hostname not in aliases:
            aliases.append(c.hostname)
        return aliases

    def _host_names(self, c) -> str:
        """``updateHostsFile``: the FQDN, then its first label when it has a dot."""
        fqdn = f"{c.hostname}.{c.domainname}" if c.domainname else c.hostname
        first, dot, _ = fqdn.partition(".")
        return f"{fqdn} {first}" if dot else fqdn

    def _leave(self, c, ep) -> None:
        sb = c.sandbox or ep.container.sandbox
        for proto, host_ip, host_port, port in ep.ports:
            self.portmapper.unmap(ep, proto, host_ip, host_port, port)
        ep.ports = []
        was_gw = sb is not None and sb.gateway_endpoint() is ep
        self.drivers[ep.network.driver].leave(ep)
        ep.network.pool.release(ep.ip)
        ep.network.endpoints.pop(c.id, None)
        c.endpoints.pop(ep.network.name, None)
        if sb is not None:
            sb.endpoints.remove(ep)
            line = f"{ep.ip}\t{self._host_names(c)}"
            if line in sb.hosts_entries:
                sb.hosts_entries.remove(line)
            if was_gw:
                new = sb.gateway_endpoint()
                if new is not None:
                    dev = sb.netns.interfaces.get(new.ifname)
                    self.osl.route_add_default(sb.netns, dev, new.network.gateway)

    def _publish(self, c, ep) -> None:
        bindings = list(c.port_bindings)
        if c.publish_all:
            given = {b.key for b in bindings}
            from .container import PortBinding
            for spec in c.exposed:
                port, _, proto = spec.partition("/")
                if spec not in given:
                    bindings.append(PortBinding(int(port), proto or "tcp"))
        bindings = sort_port_map(bindings)
        c.ports_mapped = {}
        for b in bindings:
            host_ip = b.host_ip or "0.0.0.0"
            lo, _, hi = b.host_port.partition("-")
            want = (int(lo), int(hi or lo)) if lo else None
            try:
                hp = self.portmapper.map(ep, b.proto, host_ip, want, b.container_port,
                                        v6=not b.host_ip)
            except Forbidden as err:
                raise SystemError_(f"driver failed programming external connectivity on endpoint "
                                   f"{c.name} ({ep.id}): {err}")
            ep.ports.append((b.proto, host_ip, hp, b.container_port))
            c.ports_mapped.setdefault(b.key, []).append((host_ip, hp))
            if not b.host_ip:
                # no host IP given: the bridge driver binds the port on IPv6 too
                # (an explicit 0.0.0.0 is IPv4 only)
                c.ports_mapped[b.key].append(("::", hp))

    # -- files ---------------------------------------------------------------
    def _write_net_files(self, c) -> None:
        sb = c.sandbox
        fs = c.fs
        if c.mode == "host":
            fs.write("/etc/hosts", self.host_fs.read("/etc/hosts"))
            fs.write("/etc/hostname", self.host.hostname + "\n")
            fs.write("/etc/resolv.conf", self._resolv_for(c, None))
            return
        if c.mode == "container":
            provider = sb.container
            for path in ("/etc/hosts", "/etc/hostname", "/etc/resolv.conf"):
                fs.write(path, provider.fs.read(path))
            return
        entries = self._link_entries(c) + list(sb.hosts_entries)
        fs.write("/etc/hosts", hosts_file(c, entries))
        fs.write("/etc/hostname", c.hostname + "\n")
        fs.write("/etc/resolv.conf", self._resolv_for(c, sb))

    def _resolv_for(self, c, sb) -> str:
        search = [] if c.dns_search[:1] == ["."] else c.dns_search   # "." clears the search list
        if sb is not None and sb.resolver is not None:
            # setupDNS: the resolver's ndots:0 is appended unless the user set ndots
            options = list(c.dns_options)
            if not any(o.startswith("ndots:") for o in options):
                options.append("ndots:0")
            return resolv_conf(["127.0.0.11"], search, options)
        host_lines = self.host.resolv_conf.splitlines()
        host_ns = [l.split()[1] for l in host_lines if l.startswith("nameserver") and len(l.split()) > 1]
        host_search = next((l.split()[1:] for l in host_lines if l.startswith("search")), [])
        host_opts = next((l.split()[1:] for l in host_lines if l.startswith("options")), [])
        if c.mode == "host":
            servers = c.dns or self.host.daemon_dns or host_ns
        else:
            servers = c.dns or self.host.daemon_dns or [s for s in host_ns if not s.startswith("127.")] \
                or ["8.8.8.8", "8.8.4.4"]
        return resolv_conf(servers, search or ([] if c.dns_search else host_search), c.dns_options or host_opts)

    def _link_entries(self, c) -> list[str]:
        lines = []
        for target, alias in c.link_targets:
            ep = target.endpoints.get("bridge")
            if ep is None:
                continue
            names = f"{alias} {target.hostname}"
            if alias != target.name:
                names += f" {target.name}"
            lines.append(f"{ep.ip}\t{names}")
        for extra in c.extra_hosts:
            host, _, ip = extra.partition(":")
            if ip == "host-gateway":        # opts.HostGatewayName: the daemon's HostGatewayIP
                ip = self.host_gateway_ip
            lines.append(f"{ip}\t{host}")
        return lines

    # -- docker network connect / disconnect --------------------------------
    def network_connect(self, net_ref: str, c_ref: str, ip: str | None = None,
                        aliases: list[str] | None = None, links: list[str] | None = None) -> None:
        from .container import NetworkRequest
        net = self.network_find(net_ref)
        c = self.container_find(c_ref)
        if c.mode in ("host", "none", "container") or net.driver in ("host", "null"):
            if net.driver == "host":
                raise Forbidden("container cannot be disconnected from host network or connected to host network")
            if c.mode == "container" or c.mode == "host":
                raise Forbidden("container sharing network namespace with another container or host cannot be connected to any other network")
            raise Forbidden("container cannot be connected to multiple networks with one of the networks in private (none) mode")
        if ip and net.predefined:
            raise Forbidden(ERR_IP_PREDEFINED)
        if aliases and net.predefined:
            # updateNetworkConfig: after the --ip check, before anything is attached
            raise Forbidden(ERR_ALIAS_PREDEFINED)
        if (net.name in c.networks and not self._stale_request(c.networks[net.name])) or net.id in c.networks:
            raise Forbidden(f"endpoint with name {c.name} already exists in network {net.name}")
        if ip and not net.user_subnet:
            raise Forbidden("user specified IP address is supported only when connecting to networks with user configured subnets")
        req = NetworkRequest(ip=ip, aliases=list(aliases or []), links=list(links or []), connected=True)
        if net.is_user_defined:
            req.aliases = self._endpoint_aliases(c, req)
        if c.running:
            self._join(c, net, req)
            self._write_net_files(c)
        c.networks[net.name] = req

    def network_disconnect(self, net_ref: str, c_ref: str, force: bool = False) -> None:
        net = self.network_find(net_ref)
        try:
            c = self.container_find(c_ref)
        except NotFound:
            if not force:
                raise
            # ForceEndpointDelete: the endpoint named after a container that is gone
            ep = next((e for e in net.endpoints.values() if e.container.name == c_ref), None)
            if ep is None:
                raise NotFound(f"endpoint {c_ref} not found")
            self._leave(ep.container, ep)
            return
        if net.driver == "host":
            raise Forbidden("container cannot be disconnected from host network or connected to host network")
        key = net.name if net.name in c.networks else (net.id if net.id in c.networks else None)
        if key is None:
            if force and c.id in net.endpoints:
                self._leave(c, net.endpoints[c.id])
                return
            raise Forbidden(f"container {c.id} is not connected to network {net.name}")
        if c.running and net.name in c.endpoints:
            self._leave(c, c.endpoints[net.name])
            self._write_net_files(c)
        del c.networks[key]


def sort_port_map(bindings: list) -> list:
    """go-connections ``nat.SortPortMap``, the order the bridge driver maps
    bindings in: the port map's entries (each port's bindings in the order
    given) sorted by Go's ``sort.Sort`` -- an insertion sort for the dozen
    entries it is given in practice (pdqsort's cut-off) -- with its
    comparator: a larger host port first, a larger container port first,
    and between bindings of one tcp port always "less", so that the
    insertion sort reverses them (127.0.0.2 then 127.0.0.1)."""
    by_port: dict[str, list] = {}
    for b in bindings:
        by_port.setdefault(b.key, []).append(b)
    entries = [b for group in by_port.values() for b in group]

    def less(x, y) -> bool:
        hx = int(x.host_port.split("-")[0] or 0)
        hy = int(y.host_port.split("-")[0] or 0)
        return (hx > hy or x.container_port > y.container_port
                or (x.container_port == y.container_port and x.proto.lower() == "tcp"))

    if len(entries) > 12:
        # pdqsort proper: its order among equal keys is not modelled; larger
        # host ports, then larger container ports, first (and in linear-
        # logarithmic time: `-p 1-65535:1-65535` is 65,535 entries)
        return sorted(entries, key=lambda b: (-int(b.host_port.split("-")[0] or 0),
                                              -b.container_port))
    for i in range(1, len(entries)):
        j = i
        while j > 0 and less(entries[j], entries[j - 1]):
            entries[j], entries[j - 1] = entries[j - 1], entries[j]
            j -= 1
    return entries
