"""Programs of the simulated host that are not busybox: the reference host's
own tools (curl 7.88 from Debian 12), used on the host side of scenarios."""
from .curl import curl_main

PROGRAMS = {"curl": curl_main}

__all__ = ["PROGRAMS"]
