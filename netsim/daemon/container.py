"""Containers: configuration, state and the main process (``daemon/container``)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

NAME_RE = re.compile(r"^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$")


@dataclass
class PortBinding:
    container_port: int
    proto: str
    host_ip: str = ""
    host_port: str = ""      # as given ("" = any)

    @property
    def key(self) -> str:
        return f"{self.container_port}/{self.proto}"


@dataclass
class NetworkRequest:
    """What ``--network``/``network connect`` asked for on one network."""
    ip: str | None = None
    aliases: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    connected: bool = False     # from ``network connect``: the CLI sends empty IPAMConfig/DriverOpts
    # EndpointSettings.NetworkID: set once the container has joined the
    # network; later starts look the network up by this id, not by name
    # (getNetworkID), so a network removed and created again under the
    # same name is not the container's network.
    network_id: str | None = None


@dataclass
class State:
    status: str = "created"         # created, running, restarting, exited, removing, dead
    pid: int = 0
    exit_code: int = 0
    error: str = ""
    started_at: float | None = None
    finished_at: float | None = None
    oom_killed: bool = False
    restarting: bool = False
    paused: bool = False            # the cgroup freezer holds its processes


@dataclass
class Container:
    id: str
    name: str
    image: object
    image_ref: str
    cmd: list[str]
    entrypoint: list[str]
    created: float
    hostname: str
    domainname: str = ""
    env: list[str] = field(default_factory=list)
    labels: dict = field(default_factory=dict)
    exposed: list[str] = field(default_factory=list)
    tty: bool = False
    open_stdin: bool = False
    attach: bool = False
    network_mode: str = "default"
    networks: dict[str, NetworkRequest] = field(default_factory=dict)
    port_bindings: list[PortBinding] = field(default_factory=list)
    publish_all: bool = False
    links: list[str] = field(default_factory=list)          # HostConfig.Links as given
    link_targets: list = field(default_factory=list)        # (child Container, alias) registered at create
    workdir: str = ""
    user: str = ""                                      # --user (Config.User)
    stop_signal: str = ""                               # --stop-signal (Config.StopSignal)
    stop_timeout: int | None = None                     # --stop-timeout (Config.StopTimeout)
    creds: tuple = (0, 0)                               # (uid, gid) runc resolved at start
    dns: list[str] = field(default_factory=list)
    dns_search: list[str] = field(default_factory=list)
    dns_options: list[str] = field(default_factory=list)
    extra_hosts: list[str] = field(default_factory=list)
    mac_address: str = ""
    auto_remove: bool = False
    restart_policy: str = "no"                          # HostConfig.RestartPolicy.Name
    restart_max_retries: int = 0                        # .MaximumRetryCount (on-failure:N)
    manually_stopped: bool = False                      # HasBeenManuallyStopped (stop, kill)
    restart_delay: float = 0.0                          # the restart manager's current back-off
    user_hostname: bool = False
    state: State = field(default_factory=State)
    sandbox: object = None
    endpoints: dict[str, object] = field(default_factory=dict)   # network name -> Endpoint
    ports_mapped: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    process: object = None
    proc: object = None
    fs: object = None
    mounts: list = field(default_factory=list)          # storage.mounts.MountSpec (-v, --mount, --tmpfs)
    restart_count: int = 0
    log: list[tuple[str, str]] = field(default_factory=list)
    linked_env: list[str] = field(default_factory=list)
    hosts_path_owner: object = None
    pid_mode: str = ""                                 # --pid (HostConfig.PidMode): "", host, container:ID
    uts_mode: str = ""                                 # --uts (HostConfig.UTSMode): "" or host
    cap_add: list[str] | None = None                   # --cap-add as given (HostConfig.CapAdd)
    cap_drop: list[str] | None = None                  # --cap-drop as given (HostConfig.CapDrop)
    privileged: bool = False                           # --privileged (HostConfig.Privileged)
    init: bool | None = None                           # --init (HostConfig.Init): docker-init as PID 1
    sysctls: dict[str, str] = field(default_factory=dict)   # --sysctl (HostConfig.Sysctls)
    task: object = None                                # kernel task of the main process (PID 1 unless --pid)
    shim: object = None                                # its containerd-shim's task
    execs: list = field(default_factory=list)          # (host pid, argv, started, process) of exec'd programs

    @property
    def short_id(self) -> str:
        return self.id[:12]

    @property
    def capabilities(self) -> frozenset[str]:
        """The capability set runc gives its processes (``caps.TweakCapabilities``)."""
        from .caps import tweak_capabilities
        return tweak_capabilities(self.cap_add, self.cap_drop, self.privileged)

    @property
    def running(self) -> bool:
        return self.state.status == "running"

    @property
    def argv(self) -> list[str]:
        return list(self.entrypoint) + list(self.cmd)

    @property
    def command_line(self) -> str:
        return " ".join(self.argv)

    @property
    def mode(self) -> str:
        """bridge, host, none, container or user (a user-defined network)."""
        m = self.network_mode
        if m in ("default", "bridge"):
            return "bridge"
        if m in ("host", "none"):
            return m
        if m.startswith("container:"):
            return "container"
        return "user"
