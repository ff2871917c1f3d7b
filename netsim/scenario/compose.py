"""docker-compose files: the docker commands Compose v1 (1.29) issues for ``up -d``.

Models what ``docker-compose up -d`` does against the engine (compose/project.py,
service.py, network.py of docker-compose 1.29.2): networks ``<project>_<name>``
(``<project>_default`` unless a service says otherwise) created with Compose's labels
and ``--attachable``; containers ``<project>_<service>_1`` created on their first
network with the service name as network alias, connected to their other networks,
and started in ``depends_on`` / ``links`` / ``network_mode: service:`` order.

The transcript is the one Compose writes to stderr when it has no terminal:
``Creating network "p_default" with the default driver`` then
``Creating p_web_1 ... `` / ``Creating p_web_1 ... done`` per container (lines end in
``\\r\\n``), padded to the longest name added so far (compose/parallel.py
``ParallelStreamWriter``: one writer per run, ``_write_noansi``).
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import ScenarioError
from .loader import Scenario, Step, _step

COMPOSE_VERSION = "1.29.2"
NETSIM_KEY = "x-netsim"        # extension field: steps to run after ``up -d``


@dataclass
class Service:
    name: str
    spec: dict
    networks: dict = field(default_factory=dict)     # network key -> {aliases, ipv4_address}
    network_mode: str | None = None
    deps: list[str] = field(default_factory=list)


@dataclass
class Project:
    name: str
    networks: dict            # key -> spec (dict)
    services: list[Service]   # in start order

    def network_name(self, key: str) -> str:
        spec = self.networks.get(key) or {}
        if spec.get("name"):
            return spec["name"]
        return f"{self.name}_{key}"

    def container_name(self, service: Service) -> str:
        return service.spec.get("container_name") or f"{self.name}_{service.name}_1"


def normalize_name(name: str) -> str:
    """compose/cli/command.py get_project_name: lowercase, keep [-_a-z0-9]."""
    return re.sub(r"[^-_a-z0-9]", "", name.lower())


def project_name(path: str, doc: dict) -> str:
    if isinstance(doc.get("name"), str) and doc["name"]:
        return normalize_name(doc["name"])
    return normalize_name(Path(path).resolve().parent.name) or "default"


def parse(text: str, path: str, name: str | None = None) -> Project:
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise ScenarioError(f"{path}: invalid YAML: {getattr(err, 'problem', None) or err}")
    if not isinstance(doc, dict) or not isinstance(doc.get("services"), dict) or not doc["services"]:
        raise ScenarioError(f"{path}: a compose file needs a 'services' mapping")
    pname = normalize_name(name) if name else project_name(path, doc)
    networks = dict(doc.get("networks") or {})
    services: dict[str, Service] = {}
    uses_default = False
    for sname, spec in doc["services"].items():
        spec = spec or {}
        if not isinstance(spec, dict):
            raise ScenarioError(f"{path}: service '{sname}' must be a mapping")
        if not spec.get("image"):
            raise ScenarioError(f"{path}: service '{sname}' has no image (netsim cannot build)")
        svc = Service(sname, spec)
        mode = spec.get("network_mode")
        if mode:
            svc.network_mode = str(mode)
        else:
            nets = spec.get("networks")
            if nets is None:
                svc.networks = {"default": {}}
                uses_default = True
            elif isinstance(nets, list):
                svc.networks = {n: {} for n in nets}
            elif isinstance(nets, dict):
                svc.networks = {n: (v or {}) for n, v in nets.items()}
            else:
                raise ScenarioError(f"{path}: service '{sname}': 'networks' must be a list or mapping")
            for n in svc.networks:
                if n != "default" and n not in networks:
                    raise ScenarioError(f"Service \"{sname}\" uses an undefined network \"{n}\"")
        deps = spec.get("depends_on") or []
        deps = list(deps) if isinstance(deps, (list, dict)) else [deps]
        deps += [str(link).split(":")[0] for link in spec.get("links") or []]
        if svc.network_mode and svc.network_mode.startswith("service:"):
            deps.append(svc.network_mode.split(":", 1)[1])
        svc.deps = deps
        services[sname] = svc
    if uses_default:
        networks.setdefault("default", {})
    return Project(pname, networks, _start_order(services, path))


def _start_order(services: dict[str, Service], path: str) -> list[Service]:
    """Dependencies first, otherwise the file's order (compose/project.py sort_service_dicts)."""
    order, state = [], {}

    def visit(name: str, chain: list[str]):
        if name not in services:
            raise ScenarioError(f"{path}: Service '{chain[-1]}' depends on service '{name}' which is undefined.")
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            raise ScenarioError(f"{path}: Circular dependency between {' and '.join(chain[-2:] + [name])}")
        state[name] = "visiting"
        for dep in services[name].deps:
            visit(dep, chain + [name])
        state[name] = "done"
        order.append(services[name])

    for name in services:
        visit(name, [name])
    return order


# -- the docker commands -------------------------------------------------------------------
@dataclass
class Action:
    argv: list[str]
    kind: str              # "network" | "create" | "connect" | "start"
    label: str = ""        # the transcript line's object (network / container name)
    driver: str = ""


def actions(project: Project) -> list[Action]:
    out: list[Action] = []
    used = [n for svc in project.services for n in svc.networks]
    for key in sorted(set(used), key=used.index):
        spec = project.networks.get(key) or {}
        if spec.get("external"):
            continue
        argv = ["network", "create"]
        driver = spec.get("driver") or ""
        if driver:
            argv += ["--driver", driver]
        for k, v in (spec.get("driver_opts") or {}).items():
            argv += ["--opt", f"{k}={v}"]
        for conf in ((spec.get("ipam") or {}).get("config") or []):
            if conf.get("subnet"):
                argv += ["--subnet", str(conf["subnet"])]
            if conf.get("ip_range"):
                argv += ["--ip-range", str(conf["ip_range"])]
            if conf.get("gateway"):
                argv += ["--gateway", str(conf["gateway"])]
        if spec.get("internal"):
            argv.append("--internal")
        argv += ["--label", f"com.docker.compose.network={key}",
                 "--label", f"com.docker.compose.project={project.name}",
                 "--label", f"com.docker.compose.version={COMPOSE_VERSION}",
                 "--attachable", project.network_name(key)]
        out.append(Action(argv, "network", project.network_name(key), driver))
    names = {svc.name: project.container_name(svc) for svc in project.services}
    for svc in project.services:
        spec, cname = svc.spec, names[svc.name]
        argv = ["create", "--name", cname,
                "--label", f"com.docker.compose.project={project.name}",
                "--label", f"com.docker.compose.service={svc.name}",
                "--label", "com.docker.compose.oneoff=False",
                "--label", "com.docker.compose.container-number=1",
                "--label", f"com.docker.compose.version={COMPOSE_VERSION}"]
        nets = list(svc.networks.items())
        if svc.network_mode:
            mode = svc.network_mode
            if mode.startswith("service:"):
                mode = "container:" + names[mode.split(":", 1)[1]]
            argv += ["--network", mode]
        elif nets:
            key, conf = nets[0]
            argv += ["--network", project.network_name(key)] + _endpoint(svc, conf, "--network-alias", "--ip")
        for port in spec.get("ports") or []:
            argv += ["-p", str(port)]
        for port in spec.get("expose") or []:
            argv += ["--expose", str(port)]
        for link in spec.get("links") or []:
            target, _, alias = str(link).partition(":")
            argv += ["--link", f"{names.get(target, target)}:{alias or target}"]
        env = spec.get("environment") or {}
        items = env.items() if isinstance(env, dict) else (e.split("=", 1) + [""] if "=" not in e else e.split("=", 1)
                                                          for e in env)
        for k, v in items:
            argv += ["-e", f"{k}={'' if v is None else v}"]
        if spec.get("hostname"):
            argv += ["--hostname", str(spec["hostname"])]
        for dns in _list(spec.get("dns")):
            argv += ["--dns", str(dns)]
        for host in _list(spec.get("extra_hosts")):
            argv += ["--add-host", str(host)]
        argv.append(str(spec["image"]))
        cmd = spec.get("command")
        if cmd:
            argv += shlex.split(cmd) if isinstance(cmd, str) else [str(c) for c in cmd]
        out.append(Action(argv, "create", cname))
        for key, conf in nets[1:]:
            out.append(Action(["network", "connect"] + _endpoint(svc, conf, "--alias", "--ip")
                              + [project.network_name(key), cname], "connect", cname))
        out.append(Action(["start", cname], "start", cname))
    return out


def _list(v) -> list:
    if v is None:
        return []
    return list(v) if isinstance(v, list) else [v]


def _endpoint(svc: Service, conf: dict, alias_flag: str, ip_flag: str) -> list[str]:
    """Compose 1.29 gives the service's own aliases first, then the service name
    (recorded: a db service with ``aliases: [database]`` has Aliases
    ["database", "db", <short id>])."""
    argv = []
    for a in conf.get("aliases") or []:
        argv += [alias_flag, str(a)]
    argv += [alias_flag, svc.name]
    if conf.get("ipv4_address"):
        argv += [ip_flag, str(conf["ipv4_address"])]
    return argv


# -- running ``up -d`` -----------------------------------------------------------------------
@dataclass
class Outcome:
    stdout: str
    stderr: str
    exit_code: int


API_CALL = 0.01   # simulated seconds between two of Compose's API calls


def up(cli, project: Project, pause=None) -> Outcome:
    """Issue the commands through the docker CLI model; Compose's transcript (stderr).

    ``pause()`` lets simulated time pass between two API calls, as it does for Compose."""
    err: list[str] = []
    acts = actions(project)
    width = 0   # one writer for the whole run: its width grows as containers are added

    def line(name: str, status: str) -> str:
        return "{:<{width}} ... {}\r\n".format("Creating " + name, status, width=width)

    for a in acts:
        if a.kind == "network":
            driver = f'driver "{a.driver}"' if a.driver else "the default driver"
            err.append(f'Creating network "{a.label}" with {driver}\n')
        elif a.kind == "create":
            width = max(width, len("Creating " + a.label))
            err.append(line(a.label, ""))
        res = cli.execute(a.argv)
        if pause is not None:
            pause()
        if res.exit_code != 0:
            msg = res.stderr.strip().removeprefix("Error response from daemon: ")
            if a.kind in ("create", "connect", "start"):
                err.append(line(a.label, "error"))
                err.append(f"\nERROR: for {a.label}  {msg}\n")
            else:
                err.append(f"ERROR: {msg}\n")
            return Outcome("", "".join(err), 1)
        if a.kind == "start":
            err.append(line(a.label, "done"))
    return Outcome("", "".join(err), 0)


def compose_command(cli, argv: list[str], pause=None) -> Outcome:
    """``docker-compose [-f FILE] [-p NAME] up -d`` (the only command simulated)."""
    files, name, rest = [], None, list(argv)
    while rest and rest[0].startswith("-"):
        opt = rest.pop(0)
        if opt in ("-f", "--file", "-p", "--project-name") and rest:
            val = rest.pop(0)
            (files.append(val) if opt in ("-f", "--file") else None)
            name = val if opt in ("-p", "--project-name") else name
        else:
            return Outcome("", f"netsim: docker-compose: option {opt} is not simulated\n", 1)
    if rest[:1] != ["up"] or not set(rest[1:]) <= {"-d", "--detach"} or "-d" not in rest and "--detach" not in rest:
        return Outcome("", "netsim: docker-compose: only 'up -d' is simulated\n", 1)
    path = files[0] if files else "docker-compose.yml"
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        return Outcome("", f"ERROR: .FileNotFoundError: [Errno 2] No such file or directory: '{path}'\n", 1)
    try:
        project = parse(text, path, name)
    except ScenarioError as e:
        return Outcome("", f"ERROR: {e}\n", 1)
    return up(cli, project, pause)


def load_compose(text: str, path: str) -> Scenario:
    """A compose file as a scenario: ``docker-compose up -d``, then the file's ``x-netsim`` steps."""
    project = parse(text, path)
    doc = yaml.safe_load(text)
    run = f"docker-compose -f {shlex.quote(str(path))} up -d"
    steps = [Step(run, {"exit_code": 0})]
    extra = doc.get(NETSIM_KEY) or {}
    extra_steps = extra.get("steps") if isinstance(extra, dict) else extra
    for i, item in enumerate(extra_steps or []):
        steps.append(_step(item, i, path, []))
    desc = extra.get("description", "") if isinstance(extra, dict) else ""
    return Scenario(f"compose project {project.name}", steps, str(desc), {}, 0, path)
