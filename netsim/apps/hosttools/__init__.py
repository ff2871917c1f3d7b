"""Programs of the simulated host that are not busybox: the reference host's
own tools (Debian 12), used on the host side of scenarios: curl 7.88,
iproute2 ``ip``, ``bridge`` and ``ss``, net-tools ``netstat``, net-tools ``ifconfig``, ``iptables`` (nf_tables
backend), GNU wget.
Host command lines run through :mod:`netsim.apps.hosttools.shell`."""
from .curl import curl_main
from .ifconfig import ifconfig_main
from .ip import bridge_main, ip_main
from .iptables import iptables_main
from .netstat import netstat_main
from .ss import ss_main
from .wget import wget_main

PROGRAMS = {"curl": curl_main, "ip": ip_main, "bridge": bridge_main, "ifconfig": ifconfig_main,
            "iptables": iptables_main, "wget": wget_main, "ss": ss_main,
            "netstat": netstat_main}

__all__ = ["PROGRAMS"]
