"""Command table of the docker 20.10.24 CLI, as needed by :mod:`parser`.

Flag lists were taken from ``/usr/bin/docker <cmd> --help`` of the 20.10.24
client, plus the hidden flags registered in docker/cli v20.10.24 source
(``--net``, ``--net-alias``, ``--dns-opt``, the Windows-only resource flags,
``docker start --checkpoint``...).

A flag entry is ``(long, short, kind[, default])``; ``kind`` is the pflag value
type as shown by ``--help`` (``bool``, ``string``, ``int``, ``uint16``, ``uint64``,
``duration``, ``bytes``, ``memswap``, ``decimal``, ``list``, ``strings``, ``map``,
``filter``, ``mount``, ``network``, ``ulimit``, ``gpu-request``), optionally
suffixed with ``:validator`` for ``list``/``map`` flags that validate values
while parsing (docker's ``opts.ListOpts`` validators).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Mapping

FlagList = list[tuple[Any, ...]]

F_RUN: FlagList = [
    ('add-host', None, 'list:extra_host'),
    ('attach', 'a', 'list:attach'),
    ('blkio-weight', None, 'uint16'),
    ('blkio-weight-device', None, 'list:weight_device'),
    ('cap-add', None, 'list'),
    ('cap-drop', None, 'list'),
    ('cgroup-parent', None, 'string'),
    ('cgroupns', None, 'string'),
    ('cidfile', None, 'string'),
    ('cpu-period', None, 'int'),
    ('cpu-quota', None, 'int'),
    ('cpu-rt-period', None, 'int'),
    ('cpu-rt-runtime', None, 'int'),
    ('cpu-shares', 'c', 'int'),
    ('cpus', None, 'decimal'),
    ('cpuset-cpus', None, 'string'),
    ('cpuset-mems', None, 'string'),
    ('detach', 'd', 'bool'),
    ('detach-keys', None, 'string'),
    ('device', None, 'list'),
    ('device-cgroup-rule', None, 'list:cgroup_rule'),
    ('device-read-bps', None, 'list:throttle_bps'),
    ('device-read-iops', None, 'list:throttle_iops'),
    ('device-write-bps', None, 'list:throttle_bps'),
    ('device-write-iops', None, 'list:throttle_iops'),
    ('disable-content-trust', None, 'bool', True),
    ('dns', None, 'list:ip'),
    ('dns-option', None, 'list'),
    ('dns-search', None, 'list:dns_search'),
    ('domainname', None, 'string'),
    ('entrypoint', None, 'string'),
    ('env', 'e', 'list:env'),
    ('env-file', None, 'list'),
    ('expose', None, 'list'),
    ('gpus', None, 'gpu-request'),
    ('group-add', None, 'list'),
    ('health-cmd', None, 'string'),
    ('health-interval', None, 'duration'),
    ('health-retries', None, 'int'),
    ('health-start-period', None, 'duration'),
    ('health-timeout', None, 'duration'),
    ('hostname', 'h', 'string'),
    ('init', None, 'bool'),
    ('interactive', 'i', 'bool'),
    ('ip', None, 'string'),
    ('ip6', None, 'string'),
    ('ipc', None, 'string'),
    ('isolation', None, 'string'),
    ('kernel-memory', None, 'bytes'),
    ('label', 'l', 'list:label'),
    ('label-file', None, 'list'),
    ('link', None, 'list:link'),
    ('link-local-ip', None, 'list'),
    ('log-driver', None, 'string'),
    ('log-opt', None, 'list'),
    ('mac-address', None, 'string'),
    ('memory', 'm', 'bytes'),
    ('memory-reservation', None, 'bytes'),
    ('memory-swap', None, 'memswap'),
    ('memory-swappiness', None, 'int', -1),
    ('mount', None, 'mount'),
    ('name', None, 'string'),
    ('network', None, 'network'),
    ('network-alias', None, 'list'),
    ('no-healthcheck', None, 'bool'),
    ('oom-kill-disable', None, 'bool'),
    ('oom-score-adj', None, 'int'),
    ('pid', None, 'string'),
    ('pids-limit', None, 'int'),
    ('platform', None, 'string'),
    ('privileged', None, 'bool'),
    ('publish', 'p', 'list'),
    ('publish-all', 'P', 'bool'),
    ('pull', None, 'string', 'missing'),
    ('read-only', None, 'bool'),
    ('restart', None, 'string', 'no'),
    ('rm', None, 'bool'),
    ('runtime', None, 'string'),
    ('security-opt', None, 'list'),
    ('shm-size', None, 'bytes'),
    ('sig-proxy', None, 'bool', True),
    ('stop-signal', None, 'string', 'SIGTERM'),
    ('stop-timeout', None, 'int'),
    ('storage-opt', None, 'list'),
    ('sysctl', None, 'map:sysctl'),
    ('tmpfs', None, 'list'),
    ('tty', 't', 'bool'),
    ('ulimit', None, 'ulimit'),
    ('user', 'u', 'string'),
    ('userns', None, 'string'),
    ('uts', None, 'string'),
    ('volume', 'v', 'list'),
    ('volume-driver', None, 'string'),
    ('volumes-from', None, 'list'),
    ('workdir', 'w', 'string'),
]

F_START: FlagList = [
    ('attach', 'a', 'bool'),
    ('detach-keys', None, 'string'),
    ('interactive', 'i', 'bool'),
    ('checkpoint', None, 'string'),  # hidden (experimental)
    ('checkpoint-dir', None, 'string'),  # hidden (experimental)
]

F_STOP_RESTART: FlagList = [
    ('time', 't', 'int', 10),
]

F_RM: FlagList = [
    ('force', 'f', 'bool'),
    ('link', 'l', 'bool'),
    ('volumes', 'v', 'bool'),
]

F_PS: FlagList = [
    ('all', 'a', 'bool'),
    ('filter', 'f', 'filter'),
    ('format', None, 'string'),
    ('last', 'n', 'int', -1),
    ('latest', 'l', 'bool'),
    ('no-trunc', None, 'bool'),
    ('quiet', 'q', 'bool'),
    ('size', 's', 'bool'),
]

F_INSPECT: FlagList = [
    ('format', 'f', 'string'),
    ('size', 's', 'bool'),
    ('type', None, 'string'),
]

F_EXEC: FlagList = [
    ('detach', 'd', 'bool'),
    ('detach-keys', None, 'string'),
    ('env', 'e', 'list:env'),
    ('env-file', None, 'list'),
    ('interactive', 'i', 'bool'),
    ('privileged', None, 'bool'),
    ('tty', 't', 'bool'),
    ('user', 'u', 'string'),
    ('workdir', 'w', 'string'),
]

F_LOGS: FlagList = [
    ('details', None, 'bool'),
    ('follow', 'f', 'bool'),
    ('since', None, 'string'),
    ('tail', 'n', 'string', 'all'),
    ('timestamps', 't', 'bool'),
    ('until', None, 'string'),
]

F_KILL: FlagList = [
    ('signal', 's', 'string', 'KILL'),
]

F_IMAGES: FlagList = [
    ('all', 'a', 'bool'),
    ('digests', None, 'bool'),
    ('filter', 'f', 'filter'),
    ('format', None, 'string'),
    ('no-trunc', None, 'bool'),
    ('quiet', 'q', 'bool'),
]

F_RMI: FlagList = [
    ('force', 'f', 'bool'),
    ('no-prune', None, 'bool'),
]

F_PULL: FlagList = [
    ('all-tags', 'a', 'bool'),
    ('disable-content-trust', None, 'bool', True),
    ('platform', None, 'string'),
    ('quiet', 'q', 'bool'),
]

F_VERSION: FlagList = [
    ('format', 'f', 'string'),
    ('kubeconfig', None, 'string'),
]

F_INFO: FlagList = [
    ('format', 'f', 'string'),
]

F_CP: FlagList = [
    ('archive', 'a', 'bool'),
    ('follow-link', 'L', 'bool'),
]

F_COMMIT: FlagList = [
    ('author', 'a', 'string'),
    ('change', 'c', 'list'),
    ('message', 'm', 'string'),
    ('pause', 'p', 'bool', True),
]

F_CONTAINER_PRUNE: FlagList = [
    ('filter', None, 'filter'),
    ('force', 'f', 'bool'),
]

F_IMAGE_INSPECT: FlagList = [
    ('format', 'f', 'string'),
]

F_CONTAINER_INSPECT: FlagList = [
    ('format', 'f', 'string'),
    ('size', 's', 'bool'),
]

F_NETWORK_CREATE: FlagList = [
    ('attachable', None, 'bool'),
    ('aux-address', None, 'map'),
    ('config-from', None, 'string'),
    ('config-only', None, 'bool'),
    ('driver', 'd', 'string', 'bridge'),
    ('gateway', None, 'strings'),
    ('ingress', None, 'bool'),
    ('internal', None, 'bool'),
    ('ip-range', None, 'strings'),
    ('ipam-driver', None, 'string', 'default'),
    ('ipam-opt', None, 'map'),
    ('ipv6', None, 'bool'),
    ('label', None, 'list:label'),
    ('opt', 'o', 'map'),
    ('scope', None, 'string'),
    ('subnet', None, 'strings'),
]

F_NETWORK_LS: FlagList = [
    ('filter', 'f', 'filter'),
    ('format', None, 'string'),
    ('no-trunc', None, 'bool'),
    ('quiet', 'q', 'bool'),
]

F_NETWORK_INSPECT: FlagList = [
    ('format', 'f', 'string'),
    ('verbose', 'v', 'bool'),
]

F_NETWORK_CONNECT: FlagList = [
    ('alias', None, 'strings'),
    ('driver-opt', None, 'strings'),
    ('ip', None, 'string'),
    ('ip6', None, 'string'),
    ('link', None, 'list:link'),
    ('link-local-ip', None, 'strings'),
]

F_NETWORK_DISCONNECT: FlagList = [
    ('force', 'f', 'bool'),
]

F_NETWORK_PRUNE: FlagList = [
    ('filter', None, 'filter'),
    ('force', 'f', 'bool'),
]

F_VOLUME_CREATE: FlagList = [
    ('driver', 'd', 'string', 'local'),
    ('label', None, 'list:label'),
    ('opt', 'o', 'map'),
    ('name', None, 'string'),  # hidden
]

F_VOLUME_LS: FlagList = [
    ('filter', 'f', 'filter'),
    ('format', None, 'string'),
    ('quiet', 'q', 'bool'),
]

F_VOLUME_INSPECT: FlagList = [
    ('format', 'f', 'string'),
]

F_VOLUME_RM: FlagList = [
    ('force', 'f', 'bool'),
]

F_VOLUME_PRUNE: FlagList = [
    ('filter', None, 'filter'),
    ('force', 'f', 'bool'),
]

F_SYSTEM_DF: FlagList = [
    ('format', None, 'string'),
    ('verbose', 'v', 'bool'),
]

F_ROOT: FlagList = [
    ('config', None, 'string', '/root/.docker'),
    ('context', 'c', 'string'),
    ('debug', 'D', 'bool'),
    ('host', 'H', 'list'),
    ('log-level', 'l', 'string', 'info'),
    ('tls', None, 'bool'),
    ('tlscacert', None, 'string', '/root/.docker/ca.pem'),
    ('tlscert', None, 'string', '/root/.docker/cert.pem'),
    ('tlskey', None, 'string', '/root/.docker/key.pem'),
    ('tlsverify', None, 'bool'),
    ('version', 'v', 'bool'),
]


# Hidden flags of `docker run`/`docker create` (container/opts.go). The third
# element of an alias entry names the option the value is stored under.
_CONTAINER_HIDDEN: FlagList = [
    ('net', None, 'network', None, 'network'),
    ('net-alias', None, 'list', None, 'network-alias'),
    ('dns-opt', None, 'list', None, 'dns-option'),
    ('cpu-count', None, 'int'),
    ('cpu-percent', None, 'int'),
    ('io-maxbandwidth', None, 'bytes'),
    ('io-maxiops', None, 'uint64'),
]
F_RUN = F_RUN + _CONTAINER_HIDDEN
# `docker create` has the run flags minus --detach, --detach-keys, --sig-proxy.
F_CREATE: FlagList = [f for f in F_RUN if f[0] not in ("detach", "detach-keys", "sig-proxy")]

# Root (global) flags; --config/--tls* defaults depend on $HOME (recorded as root).
F_ROOT = [f for f in F_ROOT if f[0] != "version"] + [('version', 'v', 'bool')]


@dataclass(frozen=True)
class CommandSpec:
    """One cobra command of the docker CLI.

    ``path`` is the cobra command path (without "docker"); ``canonical`` the
    name :func:`parser.parse` reports in ``Invocation.command``. ``args`` is the
    positional-argument rule: ("none",), ("min", n), ("max", n),
    ("exact", n), ("range", lo, hi) (cli.NoArgs, RequiresMinArgs, ...).
    ``interspersed`` False means flag parsing stops at the first positional
    (run, create, exec, top, commit). ``help_shorthand`` False when ``-h`` is
    not the help flag (run/create: it is --hostname).
    """

    path: tuple[str, ...]
    canonical: tuple[str, ...]
    args: tuple[Any, ...] = ("any",)
    flags: FlagList = field(default_factory=list)
    aliases: tuple[str, ...] = ()
    interspersed: bool = True
    help_shorthand: bool = True


def _c(path: str, canonical: str, args: tuple[Any, ...], flags: FlagList | None = None,
       aliases: tuple[str, ...] = (), interspersed: bool = True,
       help_shorthand: bool = True) -> CommandSpec:
    return CommandSpec(tuple(path.split()), tuple(canonical.split()), args, flags or [],
                       aliases, interspersed, help_shorthand)


# Management commands (they only print their help / usage).
MANAGEMENT: tuple[str, ...] = ("container", "image", "network", "volume", "system")

_LEAVES: list[CommandSpec] = []
for _prefix in ("", "container "):
    _LEAVES += [
        _c(_prefix + "run", "run", ("min", 1), F_RUN, interspersed=False, help_shorthand=False),
        _c(_prefix + "create", "create", ("min", 1), F_CREATE, interspersed=False, help_shorthand=False),
        _c(_prefix + "start", "start", ("min", 1), F_START),
        _c(_prefix + "stop", "stop", ("min", 1), F_STOP_RESTART),
        _c(_prefix + "restart", "restart", ("min", 1), F_STOP_RESTART),
        _c(_prefix + "rm", "rm", ("min", 1), F_RM),
        _c(_prefix + "exec", "exec", ("min", 2), F_EXEC, interspersed=False),
        _c(_prefix + "port", "port", ("range", 1, 2)),
        _c(_prefix + "rename", "rename", ("exact", 2)),
        _c(_prefix + "logs", "logs", ("exact", 1), F_LOGS),
        _c(_prefix + "kill", "kill", ("min", 1), F_KILL),
        _c(_prefix + "pause", "pause", ("min", 1)),
        _c(_prefix + "unpause", "unpause", ("min", 1)),
        _c(_prefix + "wait", "wait", ("min", 1)),
        _c(_prefix + "top", "top", ("min", 1), interspersed=False),
        _c(_prefix + "cp", "cp", ("exact", 2), F_CP),
        _c(_prefix + "diff", "diff", ("exact", 1)),
        _c(_prefix + "commit", "commit", ("range", 1, 2), F_COMMIT, interspersed=False),
    ]
_LEAVES += [
    _c("ps", "ps", ("none",), F_PS),
    _c("container ls", "ps", ("none",), F_PS, aliases=("ps", "list")),
    _c("inspect", "inspect", ("min", 1), F_INSPECT),
    _c("container inspect", "container inspect", ("min", 1), F_CONTAINER_INSPECT),
    _c("container prune", "container prune", ("none",), F_CONTAINER_PRUNE),
    _c("images", "images", ("max", 1), F_IMAGES),
    _c("image ls", "images", ("max", 1), F_IMAGES, aliases=("list",)),
    _c("rmi", "rmi", ("min", 1), F_RMI),
    _c("image rm", "rmi", ("min", 1), F_RMI, aliases=("rmi", "remove")),
    _c("pull", "pull", ("exact", 1), F_PULL),
    _c("image pull", "pull", ("exact", 1), F_PULL),
    _c("image inspect", "image inspect", ("min", 1), F_IMAGE_INSPECT),
    _c("version", "version", ("none",), F_VERSION),
    _c("info", "info", ("none",), F_INFO),
    _c("system info", "info", ("none",), F_INFO),
    _c("system df", "system df", ("none",), F_SYSTEM_DF),
    _c("network create", "network create", ("exact", 1), F_NETWORK_CREATE),
    _c("network ls", "network ls", ("none",), F_NETWORK_LS, aliases=("list",)),
    _c("network inspect", "network inspect", ("min", 1), F_NETWORK_INSPECT),
    _c("network rm", "network rm", ("min", 1), aliases=("remove",)),
    _c("network connect", "network connect", ("exact", 2), F_NETWORK_CONNECT),
    _c("network disconnect", "network disconnect", ("exact", 2), F_NETWORK_DISCONNECT),
    _c("network prune", "network prune", ("none",), F_NETWORK_PRUNE),
    _c("volume create", "volume create", ("max", 1), F_VOLUME_CREATE),
    _c("volume ls", "volume ls", ("none",), F_VOLUME_LS, aliases=("list",)),
    _c("volume inspect", "volume inspect", ("min", 1), F_VOLUME_INSPECT),
    _c("volume rm", "volume rm", ("min", 1), F_VOLUME_RM, aliases=("remove",)),
    _c("volume prune", "volume prune", ("none",), F_VOLUME_PRUNE),
]

#: cobra path -> spec, for every leaf command covered.
COMMANDS: dict[tuple[str, ...], CommandSpec] = {c.path: c for c in _LEAVES}


@lru_cache(maxsize=None)
def children(parent: tuple[str, ...]) -> Mapping[str, tuple[str, ...]]:
    """Map each name/alias under ``parent`` to the child's cobra path (the
    command table is fixed: computed once per parent, read-only)."""
    out: dict[str, tuple[str, ...]] = {}
    for path, spec in COMMANDS.items():
        if len(path) == len(parent) + 1 and path[:-1] == parent:
            out[path[-1]] = path
            for a in spec.aliases:
                out.setdefault(a, path)
    if parent == ():
        for m in MANAGEMENT:
            out[m] = (m,)
    return MappingProxyType(out)
