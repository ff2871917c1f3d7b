"""Reading scenario files: YAML with ``steps``, or a plain list of commands.

YAML::

    name: custom bridge network
    description: containers on a user-defined bridge reach each other by name
    host: {hostname: myhost}          # optional: the simulated host
    steps:
      - docker network create xue_network
      - run: docker exec tomcat82 ping -c 1 tomcat81
        expect: {exit_code: 0, stdout_contains: "1 packets received"}

Plain text: one command per line, ``#`` comments, a trailing ``\\`` continues
the line (what people paste from tutorials).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import ScenarioError

EXPECT_KEYS = {"exit_code", "stdout", "stdout_contains", "stdout_regex", "stderr", "stderr_contains",
               "stdout_not_contains", "stderr_regex"}
STEP_KEYS = {"run", "expect", "name", "note"}
TOP_KEYS = {"name", "description", "steps", "host", "seed", "tags"}
HOST_KEYS = {"hostname", "uplink", "uplink_address", "uplink_gateway", "uplink_address6",
             "uplink_gateway6", "ifb_macs", "resolv_conf", "daemon_dns", "etc_hosts", "userland_proxy",
             "host_gateway_ip", "privileged_containers"}


@dataclass
class Step:
    run: str
    expect: dict = field(default_factory=dict)
    line: int = 0
    note: str = ""


@dataclass
class Scenario:
    name: str
    steps: list[Step]
    description: str = ""
    host: dict = field(default_factory=dict)
    seed: int = 0
    path: str = ""


MAX_SCENARIO_BYTES = 64 * 1024 * 1024


def load(path: str | Path) -> Scenario:
    p = Path(path)
    try:
        if p.is_dir():
            raise IsADirectoryError(path)
        if p.exists() and not p.is_file():
            raise ScenarioError(f"{path}: not a regular file")
        with open(p, "rb") as f:
            data = f.read(MAX_SCENARIO_BYTES + 1)
        if len(data) > MAX_SCENARIO_BYTES:
            raise ScenarioError(f"{path}: larger than {MAX_SCENARIO_BYTES // (1024 * 1024)} MiB")
        text = data.decode("utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such file")
    except IsADirectoryError:
        raise ScenarioError(f"{path}: is a directory, not a scenario file")
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not a UTF-8 text file")
    except PermissionError:
        raise ScenarioError(f"{path}: permission denied")
    except OSError as err:
        raise ScenarioError(f"{path}: cannot read: {err.strerror or err}")
    if "\x00" in text:
        raise ScenarioError(f"{path}: not a text file (it contains NUL bytes)")
    if p.suffix in (".yaml", ".yml"):
        if p.name in ("docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml"):
            from .compose import load_compose
            return load_compose(text, str(p))
        return load_yaml(text, str(p))
    return load_text(text, str(p))


def load_text(text: str, path: str = "<text>") -> Scenario:
    steps, buf, start = [], "", 0
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if not buf and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if not buf:
            start = n
        if buf:
            line = line.lstrip()   # a continued line's indentation is layout, not content
        if line.endswith("\\"):
            buf += line[:-1].rstrip() + " "
            continue
        buf += line
        steps.append(Step(_strip_prompt(buf.strip()), line=start))
        buf = ""
    if buf.strip():
        steps.append(Step(_strip_prompt(buf.strip()), line=start))
    return Scenario(Path(path).stem if path != "<text>" else "commands", steps, path=path)


def _strip_prompt(line: str) -> str:
    """People paste ``$ docker ps`` or ``# docker ps``: drop the prompt."""
    return re.sub(r"^[$#>]\s+", "", line)


def load_yaml(text: str, path: str) -> Scenario:
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or _one_line(err)
        raise ScenarioError(f"{path}{where}: invalid YAML: {problem}")
    except RecursionError:
        raise ScenarioError(f"{path}: invalid YAML: nested too deeply")
    except (ValueError, TypeError, OverflowError) as err:
        # the YAML constructors' own errors, e.g. a timestamp 2001-02-30
        raise ScenarioError(f"{path}: invalid YAML: {_one_line(err)}")
    if not isinstance(doc, dict):
        raise ScenarioError(f"{path}: a scenario is a mapping with a 'steps' list")
    lines = _key_lines(text)
    for key in doc:
        if key not in TOP_KEYS:
            raise ScenarioError(f"{path}:{lines.get(key, 1)}: unknown key '{_shown(key)}' "
                                f"(expected one of: {', '.join(sorted(TOP_KEYS))})")
    steps_doc = doc.get("steps")
    if not isinstance(steps_doc, list) or not steps_doc:
        raise ScenarioError(f"{path}:{lines.get('steps', 1)}: 'steps' must be a non-empty list")
    host = doc.get("host") or {}
    if not isinstance(host, dict):
        raise ScenarioError(f"{path}:{lines.get('host', 1)}: 'host' must be a mapping")
    for key in host:
        if key not in HOST_KEYS:
            raise ScenarioError(f"{path}:{lines.get(key, 1)}: unknown key 'host.{_shown(key)}' "
                                f"(expected one of: {', '.join(sorted(HOST_KEYS))})")
        problem = _host_value_problem(key, host[key])
        if problem:
            raise ScenarioError(f"{path}:{lines.get(key, 1)}: 'host.{key}' {problem}")
    for key in ("name", "description"):
        if doc.get(key) is not None and not isinstance(doc[key], (str, int, float)):
            raise ScenarioError(f"{path}:{lines.get(key, 1)}: '{key}' must be a string")
    step_lines = _step_lines(text)
    steps = [_step(item, i, path, step_lines) for i, item in enumerate(steps_doc)]
    seed = doc.get("seed", 0)
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2 ** 64:
        raise ScenarioError(f"{path}:{lines.get('seed', 1)}: 'seed' must be an integer from 0 to 2**64-1")
    return Scenario(str(doc.get("name") or Path(path).stem), steps, str(doc.get("description") or ""),
                    host, seed, path)


def _shown(key) -> str:
    """A key as an error message shows it: on one line, escapes for the unprintable."""
    text = str(key)
    return text if text.isprintable() else repr(text)[1:-1]


def _one_line(err: Exception) -> str:
    return (str(err).strip().splitlines() or [type(err).__name__])[0]


def _host_value_problem(key: str, value) -> str | None:
    """Why ``host.KEY: value`` cannot configure the simulated host (None if it can)."""
    import ipaddress
    if key in ("userland_proxy", "privileged_containers"):
        return None if isinstance(value, bool) else "must be true or false"
    if key == "daemon_dns":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return "must be a list of IPv4 addresses"
        try:
            for v in value:
                ipaddress.IPv4Address(v)
        except ValueError as err:
            return f"must be a list of IPv4 addresses: {_one_line(err)}"
        return None
    if key == "ifb_macs":
        if not isinstance(value, list) or not all(
                isinstance(v, str) and re.fullmatch(r"[0-9a-f]{2}(?::[0-9a-f]{2}){5}", v) for v in value):
            return "must be a list of MAC addresses (aa:bb:cc:dd:ee:ff)"
        return None
    if not isinstance(value, str):
        return "must be a string"
    try:
        if key == "uplink_address":
            ipaddress.IPv4Interface(value)
        elif key == "uplink_gateway" or (key == "host_gateway_ip" and value):
            ipaddress.IPv4Address(value)
    except ValueError as err:
        return f"is not an IPv4 {'address/prefix' if key == 'uplink_address' else 'address'}: {_one_line(err)}"
    try:
        if key == "uplink_address6" and value:
            ipaddress.IPv6Interface(value)
        elif key == "uplink_gateway6" and value:
            ipaddress.IPv6Address(value)
    except ValueError as err:
        return (f"is not an IPv6 {'address/prefix' if key == 'uplink_address6' else 'address'} "
                f"(or \"\" for none): {_one_line(err)}")
    if key in ("hostname", "uplink") and (not value or any(c.isspace() or c in "/" for c in value)):
        return "must be a non-empty name without spaces or '/'"
    return None


def _step(item, i: int, path: str, step_lines: list[int]) -> Step:
    line = step_lines[i] if i < len(step_lines) else 0
    where = f"{path}:{line}" if line else f"{path}: step {i + 1}"
    if isinstance(item, str):
        return Step(item, line=line)
    if not isinstance(item, dict):
        raise ScenarioError(f"{where}: a step is a command line or a mapping with 'run'")
    for key in item:
        if key not in STEP_KEYS:
            raise ScenarioError(f"{where}: unknown key '{_shown(key)}' in step {i + 1} "
                                f"(expected one of: {', '.join(sorted(STEP_KEYS))})")
    if not isinstance(item.get("run"), str):
        raise ScenarioError(f"{where}: step {i + 1} needs 'run' with a command line")
    expect = item.get("expect") or {}
    if not isinstance(expect, dict):
        raise ScenarioError(f"{where}: 'expect' must be a mapping")
    for key in expect:
        if key not in EXPECT_KEYS:
            raise ScenarioError(f"{where}: unknown key 'expect.{_shown(key)}' in step {i + 1} "
                                f"(expected one of: {', '.join(sorted(EXPECT_KEYS))})")
    if "exit_code" in expect and (not isinstance(expect["exit_code"], int)
                                  or isinstance(expect["exit_code"], bool)):
        raise ScenarioError(f"{where}: 'expect.exit_code' must be an integer")
    for key in ("stdout", "stderr", "stdout_regex", "stderr_regex"):
        if key in expect and not isinstance(expect[key], str):
            raise ScenarioError(f"{where}: 'expect.{key}' must be a string")
    for key in ("stdout_contains", "stderr_contains", "stdout_not_contains"):
        if key in expect and not isinstance(expect[key], (str, int, float)):
            raise ScenarioError(f"{where}: 'expect.{key}' must be a string")
    for key in ("stdout_regex", "stderr_regex"):
        if key in expect:
            try:
                re.compile(expect[key])
            except re.error as err:
                raise ScenarioError(f"{where}: 'expect.{key}' is not a valid regular expression: {err}")
            except (RecursionError, OverflowError, ValueError) as err:
                raise ScenarioError(f"{where}: 'expect.{key}' is not a usable regular expression: "
                                    f"{_one_line(err)}")
    return Step(item["run"], expect, line, str(item.get("note") or ""))


def _key_lines(text: str) -> dict[str, int]:
    out = {}
    for n, line in enumerate(text.splitlines(), 1):
        m = re.match(r"^\s*([A-Za-z_][\w-]*)\s*:", line)
        if m and m.group(1) not in out:
            out[m.group(1)] = n
    return out


def _step_lines(text: str) -> list[int]:
    """Line numbers of the items of the top-level ``steps`` list."""
    lines, in_steps, indent = [], False, None
    for n, line in enumerate(text.splitlines(), 1):
        if re.match(r"^steps\s*:", line):
            in_steps = True
            continue
        if in_steps:
            if line and not line[0].isspace() and not line.startswith("-"):
                break
            m = re.match(r"^(\s*)-\s", line)
            if m:
                if indent is None:
                    indent = len(m.group(1))
                if len(m.group(1)) == indent:
                    lines.append(n)
    return lines
