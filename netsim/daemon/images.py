"""The image catalogue: what matters of each image for networking.

netsim treats these images as already pulled.  ``busybox`` is the reference
engine's image (busybox 1.35, every applet in /bin, no Env, no Cmd: imported
with ``docker import``, so a container needs a command);
the others carry their exposed ports, default command and environment so that
``-P``, ``--link`` variables, ``docker ps`` and ``docker inspect`` look as they
do with the real images, and the programs their filesystem holds (``tools``).

``tools`` lists the executables an image's ``$PATH`` holds (argv[0] names, or
absolute paths for files outside it such as nginx's ``/docker-entrypoint.sh``).
The marker :data:`BUSYBOX_APPLETS` stands for every busybox applet (busybox
itself, and alpine, whose /bin is busybox).  The programs behind the names are
:mod:`netsim.apps.services` (servers, entrypoints, bash/dash), the host tools
standing in for Debian's curl/GNU wget/iproute2, then busybox applets standing
in for coreutils, grep, sed and awk (see ``netsim.engine.Programs``).
Debian/Ubuntu/Oracle Linux based images have a shell and coreutils but no
``ping``, ``ip``, ``nslookup``, ``ps`` or ``nc``: in them ``docker exec C ping
X`` is the runtime's "executable file not found" error, as on a real engine.

``billygoo/tomcat8-jdk8`` also has iproute2's ``ip`` and ``ping``: the seed
tutorial (../shared/seed) was written with that image and shows ``ip addr``
and ``ping tomcat82`` working inside it, while the official tomcat images
have neither.  ``tomcat:jre8-alpine`` is alpine-based (busybox applets).

Versions (env ``NGINX_VERSION``, ``REDIS_VERSION``…) are those of the images
of late 2023 that the tags named then; sizes are approximate.  ``files`` are
image files that programs read (nginx's default page, Tomcat's webapps).
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
    tools: tuple[str, ...] = (BUSYBOX_APPLETS,)
    size: int = 4_863_658
    tags: tuple[str, ...] = field(default=())
    files: tuple[tuple[str, str], ...] = ()      # (path, content) shipped in the image


_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

# coreutils, grep, sed, (m)awk, hostname and the shells of a Debian/Ubuntu base image
BASE_TOOLS = ("bash", "sh", "cat", "echo", "env", "printenv", "sleep", "true", "false", "id",
              "whoami", "uname", "pwd", "hostname", "ls", "mkdir", "touch", "rm", "sort",
              "head", "wc", "tail", "cut", "tr", "uniq", "grep", "sed", "awk")

NGINX_INDEX = """<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
"""

NGINX_50X = """<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
"""


def tomcat_home(version: str) -> str:
    """Tomcat's ROOT welcome page as Jasper renders index.jsp (condensed: the
    title, banner and links of the real page, not its full markup)."""
    major = version.split(".")[0]
    return (f'<!DOCTYPE html>\n<html lang="en">\n    <head>\n        <meta charset="UTF-8" />\n'
            f"        <title>Apache Tomcat/{version}</title>\n"
            '        <link href="favicon.ico" rel="icon" type="image/x-icon" />\n'
            '        <link href="tomcat.css" rel="stylesheet" type="text/css" />\n    </head>\n\n'
            '    <body>\n        <div id="wrapper">\n            <div id="navigation" class="curved container">\n'
            '                <span id="nav-home"><a href="https://tomcat.apache.org/">Home</a></span>\n'
            '                <span id="nav-hosts"><a href="/docs/">Documentation</a></span>\n'
            '                <span id="nav-config"><a href="/docs/config/">Configuration</a></span>\n'
            '                <span id="nav-examples"><a href="/examples/">Examples</a></span>\n'
            "            </div>\n"
            '            <div id="asf-box">\n'
            f"                <h1>Apache Tomcat/{version}</h1>\n            </div>\n"
            '            <div id="upper" class="curved container">\n'
            '                <div id="congrats" class="curved container">\n'
            "                    <h2>If you're seeing this, you've successfully installed Tomcat. "
            "Congratulations!</h2>\n                </div>\n"
            f'                <h3><a href="https://tomcat.apache.org/tomcat-{major}.5-doc/">'
            "Tomcat Documentation</a></h3>\n"
            "            </div>\n        </div>\n    </body>\n</html>\n")


def _tomcat(name: str, digest: str, version: str, java_home: str, tools: tuple[str, ...],
            webapps_root: bool, size: int) -> Image:
    """An official-style tomcat image: ``catalina.sh run`` in /usr/local/tomcat.
    Images built since December 2019 ship an empty ``webapps`` (the defaults
    moved to ``webapps.dist``); older ones and billygoo's have ROOT deployed."""
    home = "/usr/local/tomcat"
    page = tomcat_home(version)
    apps = "webapps" if webapps_root else "webapps.dist"
    files = ((f"{home}/{apps}/ROOT/index.jsp", page),)
    if not webapps_root:
        files += ((f"{home}/webapps/", ""),)
    env = (f"PATH={home}/bin:{java_home}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
           f"JAVA_HOME={java_home}", f"CATALINA_HOME={home}",
           f"TOMCAT_MAJOR={version.split('.')[0]}", f"TOMCAT_VERSION={version}")
    return Image(name, "sha256:" + digest * 32, cmd=("catalina.sh", "run"), env=env,
                 exposed=("8080/tcp",), workdir=home, tools=tools + ("catalina.sh",),
                 size=size, files=files)


_DEBIAN_JDK = BASE_TOOLS + ("curl", "wget", "ps")       # buildpack-deps:buster-scm under openjdk:8-jdk

CATALOGUE = {
    # the reference engine's image (tests/golden/host.json "busybox_image")
    "busybox": Image("busybox", "sha256:726b2f04118223c743bc4423c7d591be54089995fccc9e0ab79fca03429f0136",
                     cmd=(), size=1_984_162),
    "alpine": Image("alpine", "sha256:" + "a1" * 32, cmd=("/bin/sh",), env=(_PATH,), size=7_338_064),
    # nginx:1.25 (Debian 12): curl is installed, no ping/ip/ps
    "nginx": Image("nginx", "sha256:" + "4e" * 32, cmd=("nginx", "-g", "daemon off;"),
                   entrypoint=("/docker-entrypoint.sh",),
                   env=(_PATH, "NGINX_VERSION=1.25.3", "NJS_VERSION=0.8.2", "PKG_RELEASE=1~bookworm"),
                   exposed=("80/tcp",), tools=BASE_TOOLS + ("curl", "nginx", "/docker-entrypoint.sh"),
                   size=187_000_000,
                   files=(("/usr/share/nginx/html/index.html", NGINX_INDEX),
                          ("/usr/share/nginx/html/50x.html", NGINX_50X))),
    # redis:7.2 (Debian 12)
    "redis": Image("redis", "sha256:" + "7d" * 32, cmd=("redis-server",),
                   entrypoint=("docker-entrypoint.sh",),
                   env=(_PATH, "GOSU_VERSION=1.17", "REDIS_VERSION=7.2.3",
                        "REDIS_DOWNLOAD_URL=http://download.redis.io/releases/redis-7.2.3.tar.gz"),
                   exposed=("6379/tcp",), workdir="/data",
                   tools=BASE_TOOLS + ("redis-server", "redis-cli", "docker-entrypoint.sh"),
                   size=138_000_000),
    # mysql:8.2 (Oracle Linux 8 slim)
    "mysql": Image("mysql", "sha256:" + "3c" * 32, cmd=("mysqld",),
                   entrypoint=("docker-entrypoint.sh",),
                   env=(_PATH, "GOSU_VERSION=1.16", "MYSQL_MAJOR=innovation",
                        "MYSQL_VERSION=8.2.0-1.el8", "MYSQL_SHELL_VERSION=8.2.1-1.el8"),
                   exposed=("3306/tcp", "33060/tcp"),
                   tools=BASE_TOOLS + ("mysqld", "docker-entrypoint.sh"), size=565_000_000),
    # tomcat:10.1 (Ubuntu 22.04, Temurin 17): empty webapps
    "tomcat": _tomcat("tomcat", "5f", "10.1.16", "/opt/java/openjdk", BASE_TOOLS, False, 475_000_000),
    "billygoo/tomcat8-jdk8": _tomcat("billygoo/tomcat8-jdk8", "6a", "8.5.50", "/usr/local/openjdk-8",
                                     _DEBIAN_JDK + ("ip", "ping"), True, 523_000_000),
    "ubuntu": Image("ubuntu", "sha256:" + "2b" * 32, cmd=("bash",), env=(_PATH,),
                    tools=BASE_TOOLS + ("ps",), size=77_800_000),
}

# tags whose image differs from the name's default one (name:tag → image)
TAGGED = {
    "mysql:5.7": Image("mysql", "sha256:" + "57" * 32, cmd=("mysqld",), entrypoint=("docker-entrypoint.sh",),
                       env=(_PATH, "GOSU_VERSION=1.16", "MYSQL_MAJOR=5.7", "MYSQL_VERSION=5.7.44-1.el7",
                            "MYSQL_SHELL_VERSION=8.0.35-1.el7"),
                       exposed=("3306/tcp", "33060/tcp"),
                       tools=BASE_TOOLS + ("mysqld", "docker-entrypoint.sh"), size=581_000_000,
                       tags=("5.7",)),
    "tomcat:7": _tomcat("tomcat", "70", "7.0.109", "/usr/local/openjdk-8", _DEBIAN_JDK, False, 543_000_000),
    "tomcat:8": _tomcat("tomcat", "80", "8.5.96", "/opt/java/openjdk", BASE_TOOLS, False, 436_000_000),
    "tomcat:jre8-alpine": _tomcat("tomcat", "a8", "8.5.41", "/usr/lib/jvm/java-1.8-openjdk/jre",
                                  (BUSYBOX_APPLETS,), True, 106_000_000),
}


def split_ref(ref: str) -> tuple[str, str]:
    """``name[:tag]`` → (name, tag); a registry port is not a tag."""
    name, sep, tag = ref.rpartition(":")
    if not sep or "/" in tag:
        return ref, "latest"
    return name, tag


def lookup(ref: str) -> Image | None:
    name, tag = split_ref(ref)
    name = name.removeprefix("docker.io/").removeprefix("library/")
    return TAGGED.get(f"{name}:{tag}") or CATALOGUE.get(name)
