"""Normalising what legitimately differs between two runs of the same scenario.

A real Docker Engine and netsim, given the same commands, print the same text
except for values that are random on every real run.  Before comparing, those
values are replaced by placeholders; everything else — addresses, MACs,
user-given names, messages, exit codes — is compared literally.

Identities are numbered in order of first appearance, separately for each side
(one ``CaseNormalizer`` per side), so an id that appears twice must map to the
same placeholder on both sides:

==========================  =================================================
what                        placeholder
==========================  =================================================
64-hex ids (containers,     ``<ID3>``; its 12-hex short form is ``<id3>`` (the
networks, endpoints, …)     number is keyed by the first 12 hex digits)
veth names (``veth1a2b3c4``) ``<VETH1>``
generated container names   ``<NAME1>`` (``adjective_surname``, never a name
                            that appears in the scenario's commands)
host pids                   ``<PID1>`` (``"Pid": N`` in inspect, ``docker top``,
                            pids other than 1 in ``ps`` inside a container)
interface indexes           ``<IDX1>: eth0@if<IDX2>`` (index 1, ``lo``, kept)
timestamps                  ``<TIME>`` (never the zero time ``0001-01-01T00:00:00Z``)
ages                        ``<AGE>`` (``Up 3 seconds``, ``2 minutes ago``); a text
                            with an age has its runs of spaces collapsed, as the
                            age changes table column widths
ping round-trip times       ``time=<RTT> ms``, ``min/avg/max = <RTT> ms``
image ids printed by       ``sha256:<ID3>`` (content-addressed: the config
``docker commit``           holds the commit's time; the number is shared with
                            the 12-hex short id); other ``sha256:`` ids such
                            as busybox's stay literal
ifconfig counters           ``RX packets:<N>``, ``RX bytes:<N>``
embedded DNS's random port  ``127.0.0.11:<PORT>``
data/exec roots             ``<DATA_ROOT>``, ``<EXEC_ROOT>``
HTTP dates, httpd ETags     ``<HTTPDATE>``, ``"<ETAG>"`` (``wget -S``/``curl -i`` headers)
GNU wget transfer rates     ``<RATE>``
host-side device MACs       ``link/ether <MAC>`` and ``fe80::<EUI64>`` of
                            ``docker0``, ``br-*`` and host veths in iproute2
                            output, ``ether <MAC>`` and ``inet6 fe80::<EUI64>``
                            in net-tools ``ifconfig`` output (docker0's MAC is
                            drawn by the daemon, the others by the kernel;
                            container MACs are Docker's and are compared)
==========================  =================================================

Orders that depend on random ids or races are made canonical: Go sorts maps by
key, so ``network inspect``'s ``Containers`` (keyed by container id) is sorted
by container name; busybox ``nslookup``'s answer blocks (A and AAAA race) are
sorted; ``docker diff`` lists the upper directory in readdir order, so its
lines are sorted by path.
"""
from __future__ import annotations

import re
import shlex

from ..daemon.names import LEFT as _NETSIM_LEFT

# Adjectives of moby's namesgenerator (20.10) that start a generated name;
# netsim's list is a subset of moby's.
ADJECTIVES = frozenset(_NETSIM_LEFT) | {
    "admiring", "adoring", "affectionate", "agitated", "amazing", "angry", "awesome",
    "beautiful", "blissful", "bold", "boring", "brave", "busy", "charming", "clever", "cool",
    "compassionate", "competent", "condescending", "confident", "cranky", "crazy", "dazzling",
    "determined", "distracted", "dreamy", "eager", "ecstatic", "elastic", "elated", "elegant",
    "eloquent", "epic", "exciting", "fervent", "festive", "flamboyant", "focused", "friendly",
    "frosty", "funny", "gallant", "gifted", "goofy", "gracious", "great", "happy", "hardcore",
    "heuristic", "hopeful", "hungry", "infallible", "inspiring", "interesting", "intelligent",
    "jolly", "jovial", "keen", "kind", "laughing", "loving", "lucid", "magical", "mystifying",
    "modest", "musing", "naughty", "nervous", "nice", "nifty", "nostalgic", "objective",
    "optimistic", "peaceful", "pedantic", "pensive", "practical", "priceless", "quirky",
    "quizzical", "recursing", "relaxed", "reverent", "romantic", "sad", "serene", "sharp",
    "silly", "sleepy", "stoic", "strange", "stupefied", "suspicious", "sweet", "tender",
    "thirsty", "trusting", "unruffled", "upbeat", "vibrant", "vigilant", "vigorous",
    "wizardly", "wonderful", "xenodochial", "youthful", "zealous", "zen",
}

# Where engines keep their state: the reference engine runs with
# --data-root /tmp/netsim-docker/data --exec-root /tmp/netsim-docker/exec.
DEFAULT_ROOTS = (("/tmp/netsim-docker/data", "<DATA_ROOT>"), ("/var/lib/docker", "<DATA_ROOT>"),
                 ("/tmp/netsim-docker/exec", "<EXEC_ROOT>"), ("/var/run/docker", "<EXEC_ROOT>"))

_HEX64 = re.compile(r"(?<![0-9a-f])(?<!sha256:)[0-9a-f]{64}(?![0-9a-f])")
_HEX12 = re.compile(r"(?<![0-9a-zA-Z])(?<!sha256:)[0-9a-f]{12}(?![0-9a-zA-Z])")
_LAYER = re.compile(r"/overlay2/[0-9a-f]{64}")
_CONTAINERS_ENTRY = re.compile(r'\n( +)"[0-9a-f]{64}": \{\n.*?\n\1\}', re.S)
_VETH = re.compile(r"\bveth[0-9a-f]{7}\b")
_COMMIT_COMMAND = re.compile(r"^\S*docker (?:container )?commit\b")
_IMAGE_ID = re.compile(r"\bsha256:([0-9a-f]{64})\b")
_GEN_NAME = re.compile(r"(?<![\w.-])([a-z]+)_([a-z]+)\d?(?![\w.-])")
_TIMESTAMP = re.compile(
    r"(?<!0001-01-01T)\b(?!0001-01-01)\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?"
    r"(?: ?(?:Z|[+-]\d\d:?\d\d)(?: [A-Z]{2,5})?)?")
_DURATION = (r"(?:Less than a second|About a minute|About an hour|"
             r"\d+ (?:second|minute|hour|day|week|month|year)s?)")
_AGE = re.compile(rf"\b(?:(?<=Up ){_DURATION}|{_DURATION} ago)")
_RTT = re.compile(r"time=\d+(?:\.\d+)? ms")
_RTT_SUMMARY = re.compile(r"min/avg/max = [\d.]+/[\d.]+/[\d.]+ ms")
_NSLOOKUP_MS = re.compile(r"(?m)^(Query #\d+ completed in )\d+ms:$")   # nslookup -debug
_IFINDEX_LINE = re.compile(r"(?m)^(\d+)(?=: \S+: <|: \S+ +inet6? )")
_IFLINK = re.compile(r"@if(\d+)\b")
_PID_JSON = re.compile(r'"Pid": ?(\d+)')
_DNS_PORT = re.compile(r"127\.0\.0\.11:(?!53\b)\d{1,5} *")
_COUNTERS = re.compile(r"\b([RT]X (?:packets|bytes)):\d+(?: \([\d.]+ [KMGT]?i?B\))?")
_TOP_HEADER = re.compile(r"^UID +PID +PPID +C +STIME +TTY +TIME +CMD$")
_TOP_COMMAND = re.compile(r"^\S*docker (?:container )?top\b")
_PS_HEADER = re.compile(r"^PID +[A-Z]")
# docker top columns that differ on every run (host pids are numbered)
_TOP_RANDOM = {"C": "<C>", "%CPU": "<C>", "STIME": "<STIME>", "START": "<STIME>",
               "TIME": "<TIME>", "RSS": "<RSS>"}
_MAC = r"[0-9a-f]{2}(?::[0-9a-f]{2}){5}"
# an iproute2 line, or the first line of a net-tools ifconfig block, about a
# device whose MAC was drawn at random
_HOST_DEV = re.compile(r"^(?:<?IDX\d*>?|\d+): (?:docker0|br-[^:@ ]+|<VETH\d+>|veth[0-9a-f]{7})(?:@\S+)?: <"
                       r"|^(?:docker0|br-\S+|<VETH\d+>|veth[0-9a-f]{7})(?:@\S+)? +[A-Z]+ "
                       r"|^(?:docker0|br-[^:@ ]+|<VETH\d+>|veth[0-9a-f]{7}): flags=")


_NEIGH_LINE = re.compile(rf"(?<![\d.])(\d+)\.(\d+)\.(\d+)\.(\d+)(?![\d.]).*?\b(02:42(?::[0-9a-f]{{2}}){{4}})\b")


_HOP_LINE = re.compile(r"(?m)^[ \d]\d  .*$")
_HOP_RTT = re.compile(r"\b\d+\.\d{3} ms\b")


def traceroute_rtts(s: str) -> str:
    """traceroute's per-probe times become ``<RTT> ms``: on Linux the answer
    from a veth neighbour is often queued before ``sendto`` returns, so the
    real engine prints a few microseconds, the model its link latencies."""
    if " hops max, " not in s:
        return s
    return _HOP_LINE.sub(lambda m: _HOP_RTT.sub("<RTT> ms", m.group(0)), s)


_CONN_LINE = re.compile(r"(?m)^(?:tcp|udp) .*(?:ESTABLISHED|TIME_WAIT|FIN_WAIT\d|CLOSE_WAIT|LAST_ACK|SYN_SENT) *$")
_EPHEMERAL = re.compile(r"(?<=:)(3[2-9]\d{3}|[4-5]\d{4}|60\d{3})\b")


def netstat_connections(s: str) -> str:
    """netstat's connection rows: the client's port is an ephemeral one the
    kernel drew (``ip_local_port_range``), and the rows come in the order of
    the kernel's connection hash (random secret): ports become
    ``<EPHEMERAL>`` and a run of rows is sorted."""
    if "Active Internet connections" not in s:
        return s
    lines = s.split("\n")
    out, run = [], []
    for line in lines + [None]:
        if line is not None and _CONN_LINE.match(line):
            run.append(_EPHEMERAL.sub("<EPHEMERAL>", line))
            continue
        out += sorted(run)
        run = []
        if line is not None:
            out.append(line)
    return "\n".join(out)


_LS_LONG_LINE = re.compile(r"(?m)^([-dlcbps][-rwxsStT]{9}\s+\d+\s.*?)"
                           r"\b[A-Z][a-z]{2} [ \d]\d (?:\d\d:\d\d|  ?\d{4}) ")


def ls_times(s: str) -> str:
    """``ls -l``'s modification times become ``<LSTIME>``: a file's time is
    when the run made it (the image's files: when the image was built)."""
    if "\n" not in s and " " not in s:
        return s
    return _LS_LONG_LINE.sub(lambda m: m.group(1) + "<LSTIME> ", s)


def _gateway_macs(s: str) -> str:
    """A neighbour-table line (``arp``, ``ip neigh``, ``/proc/net/arp``)
    whose ``02:42:…`` address is not the one Docker derives from that line's
    IP is a bridge's (a gateway's): the daemon drew it at random."""
    if "02:42:" not in s:
        return s

    def fix(line: str) -> str:
        m = _NEIGH_LINE.search(line)
        if m is None:
            return line
        derived = "02:42:" + ":".join(f"{int(b):02x}" for b in m.groups()[:4])
        return line if m.group(5) == derived else line.replace(m.group(5), "<MAC>")

    return "\n".join(fix(line) for line in s.split("\n"))


def host_device_macs(s: str) -> str:
    """``docker0``/``br-*``/host veth MACs (and their EUI-64 link-local
    addresses) in ``ip link``/``ip addr``/``ip -br`` and ``ifconfig`` output
    become ``<MAC>``: the daemon gives a bridge a random address and Linux a
    veth, so no two runs agree."""
    if ("link/ether" not in s and not re.search(_MAC, s) and "fe80::" not in s
            and "/s) - " not in s and " GMT" not in s and "@if<IDX" not in s):
        return s
    out, random_dev = [], False
    for line in s.split("\n"):
        if _HOST_DEV.match(line):
            random_dev = True
        elif line and not line.startswith(" "):
            random_dev = False
        if random_dev:
            line = re.sub(rf"(?<=ether ){_MAC}", "<MAC>", line)
            line = re.sub(r"fe80::[0-9a-f:]+(?=/64|  prefixlen 64)", "fe80::<EUI64>", line)
            if not line.startswith(" ") and "link/ether" not in line:
                line = re.sub(rf"(?<= ){_MAC}(?= <)", "<MAC>", line)
        out.append(line)
    s = "\n".join(out)
    s = _gateway_macs(s)
    # GNU wget's transfer rates (dot progress line and summary)
    s = re.sub(r"(?<= 100% )\d+(?:\.\d+)?[KMG]?=\d+(?:\.\d+)?[mh]?s\b", "<RATE>", s)
    s = re.sub(r"\(\d+(?:\.\d+)? [KMG]?B/s\) - ", "(<RATE>) - ", s)
    # HTTP dates and busybox httpd's ETag (mtime-size) in response headers
    s = re.sub(r"\b[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT\b", "<HTTPDATE>", s)
    s = re.sub(r'(?m)^(\s*ETag: )"[0-9a-f]+-[0-9a-f]+"', r'\1"<ETAG>"', s)
    # ``ip -br`` pads a name to 16 columns: the width of a placeholder differs
    return re.sub(r"(@if<IDX\d*>) +", r"\1 ", s)


def user_words(commands) -> set[str]:
    """Words the user typed (names they gave): never normalised as generated names."""
    words: set[str] = set()
    for cmd in commands:
        try:
            tokens = shlex.split(cmd)
        except ValueError:
            tokens = cmd.split()
        for tok in tokens:
            words.update(re.findall(r"[a-z]+_[a-z]+\d?", tok))
    return words


class CaseNormalizer:
    """Normalises every output of one side (real engine or netsim) of one scenario.

    Feed the texts in the order they were printed: placeholders are numbered in
    order of first appearance, so two sides agree when their identities appear
    in the same pattern.  ``keep`` are words never taken for generated names.
    """

    def __init__(self, keep=(), roots=DEFAULT_ROOTS):
        self.keep = set(keep)
        self.roots = tuple(roots)
        self.ids: dict[str, int] = {}
        self.names: dict[str, int] = {}
        self.veths: dict[str, int] = {}
        self.pids: dict[str, int] = {}
        self.ifindexes: dict[str, int] = {}

    @staticmethod
    def _number(table: dict, key: str) -> int:
        return table.setdefault(key, len(table) + 1)

    def _long(self, m: re.Match) -> str:
        return f"<ID{self._number(self.ids, m.group(0)[:12])}>"

    def _short(self, m: re.Match) -> str:
        return f"<id{self._number(self.ids, m.group(0))}>"

    def _name(self, m: re.Match) -> str:
        if m.group(1) not in ADJECTIVES or m.group(0) in self.keep:
            return m.group(0)
        return f"<NAME{self._number(self.names, m.group(0))}>"

    def _veth(self, m: re.Match) -> str:
        return f"<VETH{self._number(self.veths, m.group(0))}>"

    def _pid(self, pid: str) -> str:
        return f"<PID{self._number(self.pids, pid)}>"

    def _ifindex(self, index: str) -> str:
        return index if index == "1" else f"<IDX{self._number(self.ifindexes, index)}>"

    def text(self, s: str, command: str = "") -> str:
        """``s`` (one stdout or stderr) with its random values replaced."""
        for root, placeholder in self.roots:
            s = s.replace(root, placeholder)
        # the graph driver's layer ids are random and not an object's id
        s = _LAYER.sub("/overlay2/<LAYER>", s)
        s = sort_random_order(s, command)
        # identities, in order of appearance
        if _COMMIT_COMMAND.match(command):
            s = _IMAGE_ID.sub(lambda m: f"sha256:<ID{self._number(self.ids, m.group(1)[:12])}>", s)
        s = _HEX64.sub(self._long, s)
        s = _HEX12.sub(self._short, s)
        s = _VETH.sub(self._veth, s)
        s = sort_veth_blocks(s)
        s = _GEN_NAME.sub(self._name, s)
        s = _PID_JSON.sub(lambda m: f'"Pid": {self._pid(m.group(1))}' if m.group(1) != "0"
                          else m.group(0), s)
        s = _IFINDEX_LINE.sub(lambda m: self._ifindex(m.group(1)), s)
        s = _IFLINK.sub(lambda m: "@if" + self._ifindex(m.group(1)), s)
        s = host_device_macs(s)
        s = self._process_tables(s, command)
        # times and counters
        s = _TIMESTAMP.sub("<TIME>", s)
        s = _RTT.sub("time=<RTT> ms", s)
        s = _RTT_SUMMARY.sub("min/avg/max = <RTT> ms", s)
        s = _NSLOOKUP_MS.sub(r"\1<MS>ms:", s)
        s = traceroute_rtts(s)
        s = netstat_connections(s)
        s = ls_times(s)
        s = _DNS_PORT.sub("127.0.0.11:<PORT> ", s)
        s = _COUNTERS.sub(lambda m: f"{m.group(1)}:<N>", s)
        if _AGE.search(s):
            # ages change the width of table columns: compare cells, not padding
            s = _AGE.sub("<AGE>", s)
            s = re.sub(r" {2,}", "  ", s)
        return s

    def _process_tables(self, s: str, command: str = "") -> str:
        """``docker top`` (host pids, start and CPU times, any ps options) and
        ``ps`` in a container (pids after 1 depend on how many threads runc
        init's Go runtime started before each exec: 4 to 6)."""
        lines = s.split("\n")
        if not lines:
            return s
        titles = lines[0].split()
        if _TOP_HEADER.match(lines[0]) or _TOP_COMMAND.match(command) and "PID" in titles:
            out = ["  ".join(titles)]
            for line in lines[1:]:
                cells = line.split(None, len(titles) - 1)
                if len(cells) == len(titles):
                    cells = [self._pid(c) if t in ("PID", "PPID") else _TOP_RANDOM.get(t, c)
                             for t, c in zip(titles, cells)]
                    line = "  ".join(cells)
                out.append(line)
            return "\n".join(out)
        if _PS_HEADER.match(lines[0]):
            out = lines[:1]
            for line in lines[1:]:
                m = re.match(r"^( *)(\d+)(?= )", line)
                if m and m.group(2) != "1":
                    line = " " + self._pid(m.group(2)) + line[m.end():]
                out.append(line)
            return "\n".join(out)
        return s

    def step(self, step: dict) -> dict:
        """A normalised copy of a step (``command``, ``stdout``, ``stderr``, ``exit_code``)."""
        cmd = step.get("command", "")
        return {"command": cmd, "stdout": self.text(step.get("stdout", ""), cmd),
                "stderr": self.text(step.get("stderr", ""), cmd), "exit_code": step.get("exit_code")}


_IFCONFIG_VETH = re.compile(r"<VETH(\d+)>: flags=")


def sort_veth_blocks(s: str) -> str:
    """net-tools ``ifconfig`` lists devices by name, and host veths have
    random names: put their blocks (after ``<VETHn>`` numbering) in
    placeholder order, in the places the listing gave them."""
    if "<VETH" not in s or ": flags=" not in s:
        return s
    blocks = s.split("\n\n")
    places = [i for i, b in enumerate(blocks) if _IFCONFIG_VETH.match(b)]
    ordered = sorted((blocks[i] for i in places), key=lambda b: int(_IFCONFIG_VETH.match(b).group(1)))
    for i, b in zip(places, ordered):
        blocks[i] = b
    return "\n\n".join(blocks)


def sort_random_order(s: str, command: str) -> str:
    """Put in a fixed order what the engine orders by random ids or by a race.

    * ``docker port C`` lists the ports of a Go map in iteration order, and
      ``docker volume prune``/``network prune`` list what they removed likewise;
    * Go encodes maps sorted by key: ``network inspect``'s ``Containers`` and
      ``{{range .Containers}}`` follow the (random) container ids;
    * busybox ``nslookup`` prints the A and AAAA answer blocks in arrival order,
      and the embedded DNS shuffles the addresses of one name;
    * ``docker diff`` walks the container's upper directory in readdir order
      (overlayfs on the host's filesystem: it varies from run to run).
    """
    if re.match(r"^\S*docker (?:container )?diff\b", command) and s:
        lines = s.splitlines(keepends=True)
        s = "".join(sorted(lines, key=lambda l: (l[2:].rstrip("\n"), l)))
    if re.match(r"^\S*docker network inspect\b", command):
        if "range .Containers" in command:
            lines = s.split("\n")
            if len(lines) == 2:        # one line: sort its words
                return " ".join(sorted(lines[0].split(" "))) + "\n"
            return "\n".join(sorted(lines[:-1]) + lines[-1:])
        s = _sort_containers_map(s)
    if re.match(r"^\S*docker (container )?port \S+$", command) and s:
        # docker/cli runPort ranges over the NetworkSettings.Ports map: keep each
        # port's bindings in order, put the ports in a fixed order
        lines = s.splitlines(keepends=True)
        s = "".join(sorted(lines, key=lambda l: l.split(" -> ")[0]))
    if re.match(r"^\S*docker (volume|network) prune\b", command) and s.startswith("Deleted "):
        # the daemon prunes in map iteration order: sort the names it lists
        head, _, rest = s.partition("\n")
        names, sep, tail = rest.partition("\n\n")
        s = head + "\n" + "\n".join(sorted(names.split("\n"))) + sep + tail
    if "Non-authoritative answer:" in s:
        blocks = s.split("\n\n")
        body = [_sort_answers(b) for b in blocks[1:] if b]
        s = "\n\n".join([blocks[0]] + sorted(body) + [""] * (len(blocks) - 1 - len(body)))
    return s


def _sort_answers(block: str) -> str:
    """The embedded DNS shuffles the addresses of a name with several holders
    (libnetwork ``shuffleAddr``): sort the ``Name:``/``Address:`` pairs of a block."""
    lines = block.split("\n")
    if len(lines) < 4 or not all(l.startswith(("Name:", "Address:")) for l in lines[1:] if l):
        return block
    pairs = re.findall(r"Name:[^\n]*\nAddress:[^\n]*", "\n".join(lines[1:]))
    if 2 * len(pairs) != len([l for l in lines[1:] if l]):
        return block
    return "\n".join([lines[0]] + sorted(pairs) + ([""] if block.endswith("\n") else []))


def _sort_containers_map(s: str) -> str:
    out, pos = [], 0
    for m in re.finditer(r'(?m)^( *)"Containers": \{(.*?)\n\1\}', s, re.S):
        entries = [e.group(0) for e in _CONTAINERS_ENTRY.finditer(m.group(2))]
        if not entries:
            continue

        def key(entry: str) -> str:
            found = re.search(r'"Name": "([^"]*)"', entry)
            return found.group(1) if found else entry
        body = ",".join(sorted((e.rstrip(",") for e in entries), key=key))
        out.append(s[pos:m.start(2)] + body)
        pos = m.end(2)
    out.append(s[pos:])
    return "".join(out)


def normalize_case(steps: list[dict], keep=None) -> list[dict]:
    """Normalised copies of ``steps`` (dicts with command/stdout/stderr/exit_code),
    consistently across the whole case.  ``keep`` defaults to the words of the
    steps' own commands (user-given names)."""
    if keep is None:
        keep = user_words(st.get("command", "") for st in steps)
    norm = CaseNormalizer(keep)
    return [norm.step(st) for st in steps]
