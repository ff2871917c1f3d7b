"""The daemon model: what dockerd and libnetwork do.

Network → Endpoint → Sandbox, as in libnetwork: a network (with its driver
and IPAM pool) has endpoints; a container's sandbox (its network namespace,
/etc/hosts and /etc/resolv.conf) joins endpoints.  The daemon changes the
world only through :mod:`netsim.daemon.osl`, the OS layer over the kernel model.
"""
from .daemon import Daemon, HostConfig

__all__ = ["Daemon", "HostConfig"]
