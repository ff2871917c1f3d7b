"""The main programs of the catalogue's images, and each image's ``$PATH``.

``PROGRAMS`` maps an executable's name to ``main(proc)``, a generator program
on the kernel model's sockets like the busybox applets: ``nginx``
(:mod:`.nginx`), Tomcat's ``catalina.sh`` (:mod:`.tomcat`), ``redis-server``
and ``redis-cli`` (:mod:`.redis`), ``mysqld`` (:mod:`.mysql`), the images'
``docker-entrypoint.sh`` scripts (:mod:`.entrypoint`) and the Debian/Ubuntu
shells ``bash`` and ``sh`` (dash) (:mod:`.shells`).

No reference recording exists for these images (the reference engine only has
busybox): their texts are plausible renditions of the real programs' output,
each module says which parts follow the real program and which are condensed.
What is exact is the networking: they listen, accept and answer over the
kernel model's TCP, so ports, DNAT, docker-proxy and DNS names act on them as
on busybox's httpd.

:class:`ImagePrograms` is what an image's filesystem can execute: the names of
``Image.tools`` (:mod:`netsim.daemon.images`), each run by this package's
program, else the host tool standing in for Debian's (curl, GNU wget,
iproute2 ``ip``), else the busybox applet standing in for coreutils.  A
program started through it looks its own children up through it too
(``proc.programs``), so ``sh -c 'ping x'`` inside nginx is ``sh: 1: ping: not
found``.
"""
from __future__ import annotations

from ...daemon.images import BUSYBOX_APPLETS
from .. import busybox
from . import entrypoint, mysql, nginx, redis, shells, tomcat

PROGRAMS: dict = {
    "nginx": nginx.nginx_main,
    "/docker-entrypoint.sh": entrypoint.entrypoint_main,
    "docker-entrypoint.sh": entrypoint.entrypoint_main,
    "catalina.sh": tomcat.catalina_main,
    "redis-server": redis.redis_server_main,
    "redis-cli": redis.redis_cli_main,
    "mysqld": mysql.mysqld_main,
    "bash": shells.bash_main,
    "sh": shells.dash_main,
}

PATH_DIRS = busybox.BIN_DIRS + ("/usr/local/bin/", "/usr/local/sbin/", "/usr/local/tomcat/bin/")


class ImagePrograms:
    """The executables of one image (``docker run``/``exec`` and its shells'
    command lookup): ``programs(proc)`` → the program's generator, or
    :data:`netsim.apps.busybox.NOT_FOUND`."""

    def __init__(self, image, shell: str = "sh"):
        self.image, self.shell = image, shell
        self.tools = frozenset(image.tools)

    def for_shell(self, shell: str) -> "ImagePrograms":
        return self if shell == self.shell else ImagePrograms(self.image, shell)

    def resolve(self, argv: list[str]):
        """``(main, argv)`` for a command line, or ``(None, argv)``."""
        if not argv:
            return None, argv
        name = argv[0]
        if name in self.tools and name in PROGRAMS:          # an absolute path the image has
            return PROGRAMS[name], list(argv)
        base = name
        for d in PATH_DIRS:
            if name.startswith(d) and "/" not in name[len(d):]:
                base = name[len(d):]
                break
        if "/" not in base and base in self.tools:
            if base in PROGRAMS:
                return PROGRAMS[base], list(argv)
            from .. import hosttools
            main = hosttools.PROGRAMS.get(base) or busybox.PROGRAMS.get(base)
            return main, [base] + list(argv[1:])
        if BUSYBOX_APPLETS in self.tools:
            return busybox.lookup(list(argv))
        return None, argv

    def has(self, name: str) -> bool:
        return self.resolve([name, "sh"])[0] is not None

    def __call__(self, proc):
        main, argv = self.resolve(proc.argv)
        if main is None:
            return busybox.NOT_FOUND
        proc.argv = argv
        proc.programs = self
        return main(proc)

    def not_found(self, name: str) -> str:
        """A shell's message for a command that is not in ``$PATH``."""
        if self.shell == "bash":
            return f"bash: line 1: {name}: command not found\n"
        if self.shell == "dash":
            return f"sh: 1: {name}: not found\n"
        return f"sh: {name}: not found\n"


__all__ = ["PROGRAMS", "ImagePrograms"]
