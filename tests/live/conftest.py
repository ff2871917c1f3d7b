"""Live differential tests: only with ``pytest -m live tests/live``, and only
when a Docker Engine answers at DOCKER_HOST (otherwise skipped, reason printed)."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REFERENCE = Path(os.environ.get("NETSIM_DOCKER_REFERENCE",
                                Path(__file__).resolve().parents[2].parent / "shared" / "docker-reference"))


def docker_cli() -> str:
    """The CLI to drive the engine with: $NETSIM_DOCKER, else the 20.10 CLI at
    /usr/bin/docker, else the ``docker`` on PATH."""
    if os.environ.get("NETSIM_DOCKER"):
        return os.environ["NETSIM_DOCKER"]
    if os.access("/usr/bin/docker", os.X_OK):
        return "/usr/bin/docker"
    return shutil.which("docker") or "docker"


def engine_problem() -> str | None:
    """Why no engine can be used, or None."""
    try:
        p = subprocess.run([docker_cli(), "info", "-f", "{{.ServerVersion}}"], capture_output=True,
                           text=True, timeout=20, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"`docker info` failed: {err}"
    if p.returncode != 0:
        msg = (p.stderr.strip() or p.stdout.strip() or "no output").splitlines()[0]
        return f"no Docker Engine answers at {os.environ.get('DOCKER_HOST', 'the default socket')} " \
               f"(`docker info` failed: {msg})"
    return None


def pytest_collection_modifyitems(config, items):
    live = [i for i in items if i.get_closest_marker("live")]
    if not live:
        return
    if "live" not in (config.option.markexpr or ""):
        reason = "live test: run with `pytest -m live tests/live` against an engine at DOCKER_HOST"
    else:
        reason = engine_problem()
        if reason is None:
            return
        tr = config.pluginmanager.get_plugin("terminalreporter")
        if tr is not None:
            tr.write_line(f"live tests skipped: {reason}")
    for item in live:
        item.add_marker(pytest.mark.skip(reason=reason))


def uses_reference_engine() -> bool:
    """DOCKER_HOST is the reference engine of ../shared/docker-reference (restartable)."""
    root = os.environ.get("NETSIM_DOCKER_ROOT", "/tmp/netsim-docker")
    return (os.environ.get("DOCKER_HOST") == f"unix://{root}/docker.sock"
            and os.access(REFERENCE / "start", os.X_OK) and os.access(REFERENCE / "stop", os.X_OK))


@pytest.fixture
def fresh_engine():
    """A freshly started engine when DOCKER_HOST is the reference engine: the daemon
    remembers the last address pool it handed out, even after its networks are
    removed, so every scenario starts from a fresh engine (as recordings do).
    ``stop`` keeps volumes and images: what an earlier run left is removed, so
    the engine holds busybox only, as when the recordings were made."""
    restart_reference()
    yield docker_cli()


def restart_reference() -> None:
    """Stop and start the reference engine (when DOCKER_HOST is it) and clear leftovers."""
    if uses_reference_engine():
        subprocess.run([str(REFERENCE / "stop")], capture_output=True)
        p = subprocess.run([str(REFERENCE / "start")], capture_output=True, text=True)
        if p.returncode != 0:
            pytest.fail(f"the reference engine did not restart: {p.stderr.strip()}")
        remove_leftovers(docker_cli())


@pytest.fixture
def restart_engine():
    """A function that gives the next verify run a fresh engine again."""
    return restart_reference


def remove_leftovers(docker: str) -> None:
    """Remove every volume and every image but busybox (newest first)."""
    def run(*args):
        return subprocess.run([docker, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    volumes = run("volume", "ls", "-q").stdout.split()
    if volumes:
        run("volume", "rm", "-f", *volumes)
    keep = set(run("images", "-q", "--no-trunc", "busybox").stdout.split())
    for image in dict.fromkeys(run("images", "-aq", "--no-trunc").stdout.split()):
        if image not in keep:
            run("rmi", "-f", image)
    left = run("volume", "ls", "-q").stdout.split() + \
        [i for i in run("images", "-aq", "--no-trunc").stdout.split() if i not in keep]
    if left:
        pytest.fail(f"the reference engine still holds volumes or images after cleanup: {left}")
