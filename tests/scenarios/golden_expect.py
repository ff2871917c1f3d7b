"""Expectations taken from the reference engine's recordings (``tests/golden/*.json``).

The bundled scenarios (``netsim/scenarios/*.yaml``) are written by
``make_bundled.py`` from specs that point at recorded steps: a recorded step's
expectation is the recorded output itself, made tolerant only of what differs on
every run of the real engine (see ``tests/golden/README.md``): ids, timestamps,
ping times, interface indexes, packet counters and ``docker ps`` ages.
"""
from __future__ import annotations

import itertools
import json
import re
from functools import lru_cache
from pathlib import Path

GOLDEN = Path(__file__).resolve().parents[1] / "golden"

# ``docker ps`` ages (CREATED and STATUS columns)
AGE = r"(?:Less than a second|About a minute|\d+ (?:second|minute)s?)"

# (pattern in recorded text, regex that replaces it); applied left to right
VARIABLE = [
    (r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])", r"[0-9a-f]{64}"),
    (r"(?<![0-9a-f])[0-9a-f]{12}(?![0-9a-f])", r"[0-9a-f]{12}"),
    (r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z", r"\d{4}-\d\d-\d\dT[0-9:.]+Z"),
    (r"time=\d+\.\d+ ms", r"time=[0-9.]+ ms"),
    (r"min/avg/max = [0-9./]+ ms", r"min/avg/max = [0-9./]+ ms"),
    (AGE, r"(?:Less than a second|About a minute|an? \w+|\d+ \w+)"),
    (r"(?m)^\d+: (\w+)@if\d+:", None),          # ip addr/link interface indexes
    (r"(?m)^\d+: (\w+):", None),                # ip -o / host interface indexes
    (r"(?:RX|TX) packets:\d+", None),
    (r"(?:RX|TX) bytes:\d+ \([0-9.]+ [KMG]?i?B\)", None),
]


class NotRecorded(KeyError):
    pass


@lru_cache(maxsize=None)
def recording(case: str) -> dict:
    path = GOLDEN / f"{case}.json"
    if not path.exists():
        raise NotRecorded(f"no recording {path}")
    return json.loads(path.read_text(encoding="utf-8"))


def step(case: str, index: int) -> dict:
    return recording(case)["steps"][index]


def _replacement(pattern: str, text: str) -> str:
    if pattern.startswith("(?m)^\\d+: (\\w+)@if"):
        return r"\d+: " + escape(re.match(r"\d+: (\w+)@if", text).group(1)) + r"@if\d+:"
    if pattern.startswith("(?m)^\\d+: (\\w+):"):
        return r"\d+: " + escape(re.match(r"\d+: (\w+):", text).group(1)) + ":"
    if pattern.startswith("(?:RX|TX) packets"):
        return text[:2] + r" packets:\d+"
    if pattern.startswith("(?:RX|TX) bytes"):
        return text[:2] + r" bytes:\d+ \([0-9.]+ [KMG]?i?B\)"
    raise AssertionError(pattern)


def escape(text: str) -> str:
    """``re.escape`` that leaves spaces, tabs and newlines readable."""
    return re.sub(r"([.^$*+?{}\[\]\\|()])", r"\\\1", text)


def tolerant(text: str) -> str | None:
    """None when ``text`` is the same on every run, else an anchored regex for it."""
    spans = []
    for pattern, repl in VARIABLE:
        for m in re.finditer(pattern, text):
            if any(a < m.end() and m.start() < b for a, b, _ in spans):
                continue
            spans.append((m.start(), m.end(), repl if repl is not None else _replacement(pattern, m.group(0))))
    if not spans:
        return None
    spans.sort()
    out, pos = [r"\A"], 0
    for a, b, repl in spans:
        out.append(escape(text[pos:a]))
        out.append(repl)
        pos = b
    out.append(escape(text[pos:]))
    out.append(r"\Z")
    regex = "".join(out)
    if re.search(AGE, text):
        # a table's column widths follow the longest age: let the padding vary
        regex = re.sub(r"  +", " +", regex)
    return regex


NON_AUTH = "Non-authoritative answer:\n"


def nslookup_either_order(text: str) -> str | None:
    """busybox nslookup on a user network prints the A and AAAA answers in the order
    they arrive (they race): accept both orders."""
    head, sep, rest = text.partition(NON_AUTH)
    blocks = rest.split(NON_AUTH)
    if not sep or len(blocks) != 2:
        return None
    a, b = blocks
    return (r"\A" + escape(head) + "(?:" + escape(NON_AUTH + a + NON_AUTH + b) + "|"
            + escape(NON_AUTH + b + NON_AUTH + a) + r")\Z")


ID_ENTRY = re.compile(r'(?ms)^( +)"[0-9a-f]{64}": \{\n.*?\n\1\}')


def id_keyed_map_any_order(text: str) -> str | None:
    """``docker network inspect`` prints Containers as a JSON object keyed by container
    id, sorted by id: with ids differing on every run, any order of the entries."""
    entries = list(ID_ENTRY.finditer(text))
    if len(entries) < 2 or len(entries) > 4:
        return None
    first, last = entries[0], entries[-1]
    between = [text[a.end():b.start()] for a, b in zip(entries, entries[1:])]
    if len(set(between)) != 1:
        return None
    sep = between[0]
    bodies = [tolerant(m.group(0))[2:-2] for m in entries]
    alternatives = ["(?:" + tolerant(sep)[2:-2].join(p) + ")" if tolerant(sep) else escape(sep).join(p)
                    for p in itertools.permutations(bodies)]
    head, tail = text[:first.start()], text[last.end():]
    return (r"\A" + (tolerant(head) or r"\A" + escape(head) + r"\Z")[2:-2] + "(?:" + "|".join(alternatives)
            + ")" + (tolerant(tail) or r"\A" + escape(tail) + r"\Z")[2:-2] + r"\Z")


def expectation(rec: dict) -> dict:
    """What a scenario expects of a step recorded as ``rec``."""
    exp: dict = {"exit_code": rec["exit_code"]}
    for stream in ("stdout", "stderr"):
        text = rec[stream]
        regex = tolerant(text)
        if stream == "stdout" and "nslookup" in rec["command"] and text.count(NON_AUTH) == 2:
            regex = nslookup_either_order(text)
        elif stream == "stdout" and "inspect" in rec["command"]:
            regex = id_keyed_map_any_order(text) or regex
        if regex is None:
            exp[stream] = text
        else:
            exp[f"{stream}_regex"] = regex
    return exp
