"""The kernel model: what Linux does, in Linux's nouns.

Network namespaces hold interfaces, routes, a neighbour (ARP) table, netfilter
tables and sockets.  Interfaces are loopback devices, veth ends and bridges;
frames cross them as scheduled events.  Nothing here knows about Docker: the
daemon model configures these objects exactly as libnetwork configures Linux,
and behaviour (isolation, name resolution, NAT) emerges from that.
"""
from .host import Kernel
from .netns import NetNamespace

__all__ = ["Kernel", "NetNamespace"]
