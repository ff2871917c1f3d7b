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


def human_size(size: float) -> str:
    """go-units ``HumanSizeWithPrecision(size, 3)`` (decimal units)."""
    units = ["B", "kB", "MB", "GB", "TB", "PB"]
    i = 0
    while size >= 1000 and i < len(units) - 1:
        size /= 1000.0
        i += 1
    return f"{size:.3g}{units[i]}"


def ports_column(ports: list[tuple[int, str, str, int]]) -> str:
    """docker/cli ``DisplayablePorts`` over (private, type, ip, public) tuples:
    ``0.0.0.0:8080->80/tcp, :::8080->80/tcp, 443/tcp``; runs of consecutive
    ports mapped to themselves collapse to ``9000-9002``."""
    groups: dict[str, list[int]] = {}
    order, result, mappings = [], [], []
    for private, proto, ip, public in sorted(ports, key=lambda p: (p[0], p[2], p[3], p[1])):
        key = proto
        if ip:
            if public != private:
                mappings.append(f"{ip}:{public}->{private}/{proto}")
                continue
            key = f"{ip}/{proto}"
        group = groups.get(key)
        if group is None:
            groups[key] = [private, private]
            order.append(key)
        elif private == group[1] + 1:
            group[1] = private
        else:
            result.append(_form_group(key, *group))
            groups[key] = [private, private]
    result += [_form_group(key, *groups[key]) for key in order]
    return ", ".join(result + mappings)


def _form_group(key: str, first: int, last: int) -> str:
    ip, _, proto = key.rpartition("/")
    group = str(first) if first == last else f"{first}-{last}"
    if ip:
        group = f"{ip}:{group}->{group}"
    return f"{group}/{proto}"
