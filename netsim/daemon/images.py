"""The image catalogue: what matters of each image for networking.

netsim treats these images as already pulled.  ``busybox`` is the reference
engine's image (busybox 1.35, every applet in /bin, no Env, no Cmd but ``sh``);
the others carry their exposed ports and default command so that ``-P``,
``docker ps`` and ``docker inspect`` look as they do with the real images.
"""
from __future__ import annotations

from dataclasses import dataclass, field

BUSYBOX_APPLETS = "busybox"  # marker: every busybox applet is present


@dataclass(frozen=True)
class Image:
    name: str
    id: str
    cmd: tuple[str, ...] = ("sh",)
    entrypoint: tuple[str, ...] = ()
    env: tuple[str, ...] = ()
    exposed: tuple[str, ...] = ()
    workdir: str = ""
    tools: str = BUSYBOX_APPLETS
    size: int = 4_863_658
    tags: tuple[str, ...] = field(default=())


_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

CATALOGUE = {
    # the reference engine's image (tests/golden/host.json "busybox_image")
    "busybox": Image("busybox", "sha256:726b2f04118223c743bc4423c7d591be54089995fccc9e0ab79fca03429f0136",
                     cmd=("sh",), size=1_984_162),
    "alpine": Image("alpine", "sha256:" + "a1" * 32, cmd=("/bin/sh",), env=(_PATH,), size=7_338_064),
    "nginx": Image("nginx", "sha256:" + "4e" * 32, cmd=("nginx", "-g", "daemon off;"),
                   entrypoint=("/docker-entrypoint.sh",), env=(_PATH,), exposed=("80/tcp",),
                   size=187_000_000),
    "redis": Image("redis", "sha256:" + "7d" * 32, cmd=("redis-server",),
                   entrypoint=("docker-entrypoint.sh",), env=(_PATH,), exposed=("6379/tcp",),
                   size=138_000_000),
    "mysql": Image("mysql", "sha256:" + "3c" * 32, cmd=("mysqld",),
                   entrypoint=("docker-entrypoint.sh",), env=(_PATH,),
                   exposed=("3306/tcp", "33060/tcp"), size=565_000_000),
    "tomcat": Image("tomcat", "sha256:" + "5f" * 32, cmd=("catalina.sh", "run"), env=(_PATH,),
                    exposed=("8080/tcp",), size=475_000_000),
    "billygoo/tomcat8-jdk8": Image("billygoo/tomcat8-jdk8", "sha256:" + "6a" * 32,
                                   cmd=("catalina.sh", "run"), env=(_PATH,),
                                   exposed=("8080/tcp",), size=523_000_000),
    "ubuntu": Image("ubuntu", "sha256:" + "2b" * 32, cmd=("bash",), env=(_PATH,), size=77_800_000),
}


def split_ref(ref: str) -> tuple[str, str]:
    """``name[:tag]`` → (name, tag); a registry port is not a tag."""
    name, sep, tag = ref.rpartition(":")
    if not sep or "/" in tag:
        return ref, "latest"
    return name, tag


def lookup(ref: str) -> Image | None:
    name, _tag = split_ref(ref)
    name = name.removeprefix("docker.io/").removeprefix("library/")
    return CATALOGUE.get(name)
