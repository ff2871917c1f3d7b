"""Tables, ages and port lists as the docker CLI prints them."""
from __future__ import annotations

import json


def human_duration(seconds: float) -> str:
    """go-units ``HumanDuration``."""
    s = int(seconds)
    if s < 1:
        return "Less than a second"
    if s == 1:
        return "1 second"
    if s < 60:
        return f"{s} seconds"
    minutes = int(seconds / 60)
    if minutes == 1:
        return "About a minute"
    if minutes < 60:
        return f"{minutes} minutes"
    hours = int(round(seconds / 3600))
    if hours == 1:
        return "About an hour"
    if hours < 48:
        return f"{hours} hours"
    if hours < 24 * 7 * 2:
        return f"{hours // 24} days"
    if hours < 24 * 30 * 2:
        return f"{hours // (24 * 7)} weeks"
    if hours < 24 * 365 * 2:
        return f"{hours // (24 * 30)} months"
    return f"{hours // (24 * 365)} years"


def tabwrite(rows: list[list[str]], minwidth: int = 10, padding: int = 3) -> str:
    """Go's ``tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)`` as docker uses it."""
    if not rows:
        return ""
    ncols = max(len(r) for r in rows)
    widths = [0] * ncols
    for r in rows:
        for i, cell in enumerate(r[:-1]):
            widths[i] = max(widths[i], len(cell) + padding, minwidth)
    out = []
    for r in rows:
        line = "".join(cell.ljust(widths[i]) if i < len(r) - 1 else cell for i, cell in enumerate(r))
        out.append(line)
    return "".join(line + "\n" for line in out)


def ellipsis(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    return text[: width - 1] + "…"


def go_quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def ports_column(ports: dict[str, list[tuple[str, int]]], exposed: list[str]) -> str:
    """``docker ps`` PORTS: ``0.0.0.0:8080->80/tcp, :::8080->80/tcp, 443/tcp``."""
    items = []
    seen = set()
    for spec, bindings in sorted(ports.items(), key=lambda kv: _pkey(kv[0])):
        for host_ip, host_port in bindings:
            items.append((_pkey(spec), f"{host_ip}:{host_port}->{spec}"))
            if host_ip == "0.0.0.0":
                items.append((_pkey(spec), f":::{host_port}->{spec}"))
        seen.add(spec)
    for spec in exposed:
        if spec not in seen:
            items.append((_pkey(spec), spec))
    return ", ".join(text for _, text in sorted(items, key=lambda x: x[0]))


def _pkey(spec: str):
    port, _, proto = spec.partition("/")
    return (int(port.split("-")[0]), proto)
