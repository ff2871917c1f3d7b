"""The real side of a differential run: a Docker Engine driven through the docker CLI.

``RealEngine`` runs scenario lines as a user's shell would: ``docker ...``
lines run the chosen docker CLI (shlex-split, no shell; a ``docker`` line that
uses the shell -- a pipe, ``$(...)``, ``&&`` -- runs with ``bash -c`` like any
other, as in netsim: :func:`netsim.engine.uses_shell`), ``sleep N`` sleeps,
any other line runs with ``bash -c`` on the host (scenarios only use it
against loopback and their own containers).  stdin is ``/dev/null``, as in
``tests/golden/record.py``, so recordings and verifications agree.
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass

from ..errors import NetsimError
from ..engine import uses_shell

STEP_TIMEOUT = 30.0
TIMEOUT_EXIT = 124


class EngineUnavailable(NetsimError):
    """No engine answers at DOCKER_HOST, or the docker CLI cannot be run."""


class EngineNotClean(NetsimError):
    """The engine already holds containers or user networks."""


@dataclass
class Outcome:
    command: str
    stdout: str
    stderr: str
    exit_code: int

    def to_dict(self) -> dict:
        return {"command": self.command, "stdout": self.stdout, "stderr": self.stderr,
                "exit_code": self.exit_code}


class RealEngine:
    """A Docker Engine at DOCKER_HOST, driven through the docker CLI at ``docker``."""

    def __init__(self, docker: str = "docker", env: dict | None = None,
                 timeout: float = STEP_TIMEOUT):
        found = shutil.which(docker)
        if found is None:
            raise EngineUnavailable(f"{docker}: docker CLI not found (use --docker PATH)")
        self.docker = os.path.abspath(found)
        self.timeout = timeout
        self.env = dict(os.environ if env is None else env)
        self.env.pop("DOCKER_CONTEXT", None)
        self.env["DOCKER_CLI_HINTS"] = "false"
        # host lines that say `docker` use the same CLI as the docker lines
        self._shim = tempfile.mkdtemp(prefix="netsim-verify-")
        os.symlink(self.docker, os.path.join(self._shim, "docker"))
        self.env["PATH"] = self._shim + os.pathsep + self.env.get("PATH", "")
        self._initial_containers: set[str] = set()
        self._initial_networks: set[str] = set()
        self._initial_volumes: set[str] = set()
        self._initial_images: set[str] = set()

    # -- running -----------------------------------------------------------
    def _docker(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([self.docker, *args], stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, env=self.env, timeout=self.timeout)

    def run(self, line: str) -> Outcome:
        """Run one scenario line; a step that outlives the timeout exits 124."""
        m = re.fullmatch(r"sleep\s+([0-9.]+)", line.strip())
        if m:
            time.sleep(float(m.group(1)))
            return Outcome(line, "", "", 0)
        try:
            argv = shlex.split(line)
        except ValueError as err:
            return Outcome(line, "", f"netsim: cannot parse command line: {err}\n", 2)
        if argv and argv[0] == "docker" and not uses_shell(line):
            argv = [self.docker] + argv[1:]
        else:
            argv = ["bash", "-c", line]
        try:
            p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, env=self.env,
                               timeout=self.timeout)
            out, err, rc = p.stdout, p.stderr, p.returncode
        except subprocess.TimeoutExpired as e:
            out, err, rc = e.stdout or b"", e.stderr or b"", TIMEOUT_EXIT
        return Outcome(line, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), rc)

    # -- facts ---------------------------------------------------------------
    def check(self) -> None:
        """Raise EngineUnavailable unless ``docker info`` answers."""
        try:
            p = self._docker("info", "-f", "{{.ServerVersion}}")
        except (OSError, subprocess.TimeoutExpired) as err:
            raise EngineUnavailable(f"docker info failed: {err}")
        if p.returncode != 0 or not p.stdout.strip():
            where = self.env.get("DOCKER_HOST") or "the default socket"
            reason = (p.stderr.strip() or p.stdout.strip()).splitlines()
            raise EngineUnavailable(f"no Docker Engine answers at {where}: "
                                    f"{reason[0] if reason else 'docker info failed'}")

    def versions(self) -> tuple[str, str]:
        """(engine version, CLI version)."""
        p = self._docker("version", "-f", "{{.Server.Version}} {{.Client.Version}}")
        parts = p.stdout.split()
        return (parts[0], parts[1]) if len(parts) == 2 else ("unknown", "unknown")

    def busybox_version(self) -> str:
        """The busybox image's version (a --network none container: no address is used)."""
        p = self._docker("run", "--rm", "--network", "none", "busybox", "busybox")
        m = re.search(r"BusyBox v(\d+\.\d+)", p.stdout + p.stderr)
        return m.group(1) if m else "unknown"

    def roots(self) -> list[tuple[str, str]]:
        """The engine's data root (from ``docker info``) to map onto ``<DATA_ROOT>``."""
        p = self._docker("info", "-f", "{{.DockerRootDir}}")
        root = p.stdout.strip()
        return [(root, "<DATA_ROOT>")] if p.returncode == 0 and root else []

    def containers(self) -> list[str]:
        """Ids of all containers, newest first (``docker ps -a`` order)."""
        p = self._docker("ps", "-aq", "--no-trunc")
        return p.stdout.split()

    def user_networks(self) -> list[str]:
        """Ids of the networks that are not built in (bridge, host, none), oldest first."""
        p = self._docker("network", "ls", "-q", "--no-trunc", "--filter", "type=custom")
        ids = p.stdout.split()
        if not ids:
            return []
        q = self._docker("network", "inspect", "-f", "{{.Created.UnixNano}} {{.Id}}", *ids)
        if q.returncode != 0:
            return ids
        rows = sorted((int(a), b) for a, b in (line.split() for line in q.stdout.splitlines() if line))
        return [b for _, b in rows]

    def volumes(self) -> list[str]:
        """Names of all volumes (``docker volume ls -q``)."""
        return self._docker("volume", "ls", "-q").stdout.split()

    def images(self) -> list[str]:
        """Ids of all images, intermediate ones too, newest first (``docker images -aq``)."""
        p = self._docker("images", "-aq", "--no-trunc")
        return list(dict.fromkeys(p.stdout.split()))

    # -- state -----------------------------------------------------------------
    def preflight(self, force: bool = False) -> None:
        """Refuse an engine that already holds containers or user networks: addresses
        and pools are handed out in order, so a scenario's output depends on that state."""
        self.check()
        containers, networks = self.containers(), self.user_networks()
        if (containers or networks) and not force:
            what = []
            if containers:
                what.append(f"{len(containers)} container(s)")
            if networks:
                what.append(f"{len(networks)} user network(s)")
            raise EngineNotClean(
                f"the engine at {self.env.get('DOCKER_HOST') or 'the default socket'} already holds "
                f"{' and '.join(what)}; addresses and subnets depend on what exists, so the results "
                "would not be comparable. Use a fresh engine, or --force to run anyway (what "
                "exists now is left alone)")
        self._initial_containers = set(containers)
        self._initial_networks = set(networks)
        self._initial_volumes = set(self.volumes())
        self._initial_images = set(self.images())

    def cleanup(self) -> list[str]:
        """Remove what the scenario created: containers (``rm -f``), then networks
        (``rm``), volumes (``volume rm``) and images (``rmi -f``), newest first.
        Returns the messages of removals that failed."""
        problems = []
        for cid in self.containers():                       # newest first
            if cid not in self._initial_containers:
                p = self._docker("rm", "-f", cid)
                if p.returncode != 0:
                    problems.append(p.stderr.strip())
        for nid in reversed(self.user_networks()):           # newest first
            if nid not in self._initial_networks:
                p = self._docker("network", "rm", nid)
                if p.returncode != 0:
                    problems.append(p.stderr.strip())
        for name in self.volumes():                          # no container uses them any more
            if name not in self._initial_volumes:
                p = self._docker("volume", "rm", name)
                if p.returncode != 0:
                    problems.append(p.stderr.strip())
        for iid in self.images():                            # newest first
            if iid not in self._initial_images:
                p = self._docker("rmi", "-f", iid)
                if p.returncode != 0 and "No such image" not in p.stderr:
                    problems.append(p.stderr.strip())
        return problems

    def close(self) -> None:
        shutil.rmtree(self._shim, ignore_errors=True)
