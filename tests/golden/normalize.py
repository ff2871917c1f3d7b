"""Normalise what legitimately differs between two runs of the same case.

A recording from the reference engine and netsim's output for the same case
can only be compared after the values that are random on every real run are
replaced by placeholders (tests/golden/README.md, "Things a comparison must
tolerate").  Everything else — addresses, MACs, user-given names, messages,
exit codes, column layout — is compared literally.

Placeholders for identities (ids, veth names, generated container names) are
numbered in order of first appearance *within one case*, separately for each
side, so an id that appears twice must map to the same placeholder on both
sides; 64- and 12-hex forms of one id share the number (``<ID3>``/``<id3>``).
"""
from __future__ import annotations

import re

from netsim.daemon.names import LEFT as _NETSIM_LEFT
from netsim.verify.normalize import host_device_macs, ls_times, netstat_connections, traceroute_rtts
from netsim.verify.normalize import sort_random_order as _sort_random_order
from netsim.verify.normalize import sort_veth_blocks

# Adjectives of moby's namesgenerator that can start a generated name; netsim's
# list is a subset of moby's.  A user-given name never starts with one in the cases.
_ADJECTIVES = set(_NETSIM_LEFT) | {
    "agitated", "amazing", "angry", "awesome", "beautiful", "blissful", "bold", "boring",
    "brave", "busy", "charming", "clever", "cool", "compassionate", "competent",
    "condescending", "confident", "cranky", "crazy", "dazzling", "determined", "distracted",
    "dreamy", "eager", "ecstatic", "elastic", "elated", "elegant", "eloquent", "epic",
    "exciting", "fervent", "festive", "flamboyant", "focused", "friendly", "frosty", "funny",
    "gallant", "gifted", "goofy", "gracious", "great", "happy", "hardcore", "heuristic",
    "hopeful", "hungry", "infallible", "inspiring", "interesting", "intelligent", "jolly",
    "jovial", "keen", "kind", "laughing", "loving", "lucid", "magical", "mystifying",
    "modest", "musing", "naughty", "nervous", "nice", "nifty", "nostalgic", "objective",
    "optimistic", "peaceful", "pedantic", "pensive", "practical", "priceless", "quirky",
    "quizzical", "recursing", "relaxed", "reverent", "romantic", "sad", "serene", "sharp",
    "silly", "sleepy", "stoic", "strange", "stupefied", "suspicious", "sweet", "tender",
    "thirsty", "trusting", "unruffled", "upbeat", "vibrant", "vigilant", "vigorous",
    "wizardly", "wonderful", "xenodochial", "youthful", "zealous", "zen",
}

_HEX64 = re.compile(r"(?<![0-9a-f])(?<!sha256:)[0-9a-f]{64}(?![0-9a-f])")
_HEX12 = re.compile(r"(?<![0-9a-zA-Z])[0-9a-f]{12}(?![0-9a-zA-Z])")
_LAYER = re.compile(r"/overlay2/[0-9a-f]{64}")
_VETH = re.compile(r"\bveth[0-9a-f]{7}\b")
# docker commit prints a content-addressed image id (its config holds the time)
_COMMIT_COMMAND = re.compile(r"^docker (?:container )?commit\b")
_IMAGE_ID = re.compile(r"\bsha256:([0-9a-f]{64})\b")
_GEN_NAME = re.compile(r"\b([a-z]+)_([a-z]+)\b")

_TIMESTAMP = re.compile(
    r"(?<!0001-01-01T)\b(?!0001-01-01)\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?"
    r"(?: ?(?:Z|[+-]\d\d:?\d\d)(?: [A-Z]{2,5})?)?")
_AGE = re.compile(r"\b(?:Less than a second|About a minute|About an hour|"
                  r"\d+ (?:second|minute|hour|day|week|month|year)s?)(?: ago)?")
_RTT = re.compile(r"time=\d+(?:\.\d+)? ms")
_RTT_SUMMARY = re.compile(r"min/avg/max = [\d.]+/[\d.]+/[\d.]+ ms")
_NSLOOKUP_MS = re.compile(r"(?m)^(Query #\d+ completed in )\d+ms:$")   # nslookup -debug
_IFINDEX_LINE = re.compile(r"(?m)^\d+: (?=\S+: <|\S+ +inet6? )")
_IFLINK = re.compile(r"@if\d+\b")
_IF_COUNTERS = re.compile(r"\b([RT]X (?:packets|bytes)):\d+(?: \([\d.]+ [KMGT]?i?B\))?")
_PID_JSON = re.compile(r'"Pid": ?\d+')
_DNS_PORT = re.compile(r"127\.0\.0\.11:(?!53\b)\d{1,5} *")
_ROOTS = [("/tmp/netsim-docker/data", "<DATA_ROOT>"), ("/var/lib/docker", "<DATA_ROOT>"),
          ("/tmp/netsim-docker/exec", "<EXEC_ROOT>"), ("/var/run/docker", "<EXEC_ROOT>")]
_BUSYBOX_PS = re.compile(r"(?m)^()( *\d+)(?= )")
_BUSYBOX_PS_HEADER = re.compile(r"^PID +[A-Z]")
_TOP_COMMAND = re.compile(r"^docker (?:container )?top\b")
# docker top columns whose values differ on every run: host pids, CPU shares,
# start times, resident sizes
_TOP_RANDOM = {"PID": "<PID>", "PPID": "<PID>", "C": "<C>", "%CPU": "<C>", "STIME": "<STIME>",
               "START": "<STIME>", "RSS": "<RSS>"}


class CaseNormalizer:
    """Normalises all outputs of one side (recording or netsim) of one case."""

    def __init__(self, texts: list[str]):
        full = "\n".join(texts)
        self.long_ids = list(dict.fromkeys(_HEX64.findall(full)))
        self.ids: dict[str, int] = {}
        self.names: dict[str, int] = {}
        self.veths: dict[str, int] = {}

    def _id_number(self, key: str) -> int:
        return self.ids.setdefault(key, len(self.ids) + 1)

    def _long(self, m: re.Match) -> str:
        return f"<ID{self._id_number(m.group(0))}>"

    def _short(self, m: re.Match) -> str:
        short = m.group(0)
        key = next((lid for lid in self.long_ids if lid.startswith(short)), short)
        return f"<id{self._id_number(key)}>"

    def _name(self, m: re.Match) -> str:
        if m.group(1) not in _ADJECTIVES:
            return m.group(0)
        return f"<NAME{self.names.setdefault(m.group(0), len(self.names) + 1)}>"

    def _veth(self, m: re.Match) -> str:
        return f"<VETH{self.veths.setdefault(m.group(0), len(self.veths) + 1)}>"

    def text(self, s: str, command: str = "") -> str:
        for root, placeholder in _ROOTS:
            s = s.replace(root, placeholder)
        # the graph driver's layer ids are random and not an object's id
        s = _LAYER.sub("/overlay2/<LAYER>", s)
        s = _sort_random_order(s, command)
        # identities, in order of appearance in this text
        if _COMMIT_COMMAND.match(command):
            s = _IMAGE_ID.sub(lambda m: f"sha256:<ID{self._id_number(m.group(1)[:12])}>", s)
        s = _HEX64.sub(self._long, s)
        s = _HEX12.sub(self._short, s)
        s = _VETH.sub(self._veth, s)
        s = sort_veth_blocks(s)
        s = _GEN_NAME.sub(self._name, s)
        # times and counters
        s = _TIMESTAMP.sub("<TIME>", s)
        s = _RTT.sub("time=<RTT> ms", s)
        s = _RTT_SUMMARY.sub("min/avg/max = <RTT> ms", s)
        s = _NSLOOKUP_MS.sub(r"\1<MS>ms:", s)
        s = traceroute_rtts(s)
        s = netstat_connections(s)
        s = ls_times(s)
        s = _IFINDEX_LINE.sub("<IDX>: ", s)
        s = _IFLINK.sub("@if<IDX>", s)
        s = host_device_macs(s)
        s = _PID_JSON.sub('"Pid": <PID>', s)
        s = _IF_COUNTERS.sub(lambda m: m.group(1) + ":<N>", s)
        s = _DNS_PORT.sub("127.0.0.11:<PORT> ", s)
        s = _docker_top(s, command)
        # busybox ps in a container: pids after 1 depend on how many threads
        # runc init's Go runtime started (4 to 6) before each exec
        s = _BUSYBOX_PS.sub(lambda m: m.group(1) + " " * (len(m.group(2)) - 5) + "<PID>", s) \
            if _BUSYBOX_PS_HEADER.match(s) else s
        if _AGE.search(s):
            # ages change the width of table columns: compare cells, not padding
            s = _AGE.sub("<AGE>", s)
            s = re.sub(r" {2,}", "  ", s)
        return s


def _docker_top(s: str, command: str) -> str:
    """``docker top`` tables (any ps options): cells split by the titles,
    random columns replaced, joined by two spaces."""
    lines = s.split("\n")
    if not _TOP_COMMAND.match(command) or not lines or "PID" not in lines[0].split():
        return s
    titles = lines[0].split()
    out = ["  ".join(titles)]
    for line in lines[1:]:
        cells = line.split(None, len(titles) - 1)
        if len(cells) == len(titles):
            cells = [_TOP_RANDOM.get(t, c) for t, c in zip(titles, cells)]
            line = "  ".join(cells)
        out.append(line)
    return "\n".join(out)


def normalize_case(steps: list[dict]) -> list[dict]:
    """Return copies of ``steps`` (dicts with stdout/stderr/exit_code) normalised
    consistently across the whole case."""
    texts = [t for st in steps for t in (st["stdout"], st["stderr"])]
    norm = CaseNormalizer(texts)
    out = []
    for st in steps:
        cmd = st["command"]
        out.append({"command": cmd, "stdout": norm.text(st["stdout"], cmd),
                    "stderr": norm.text(st["stderr"], cmd), "exit_code": st["exit_code"]})
    return out
