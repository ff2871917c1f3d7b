"""iptables: tables of chains of rules, and connection tracking with NAT.

Rules carry the matches Docker uses (``-s``, ``-d``, ``-i``, ``-o`` with ``!``,
``-p`` with ``--dport``, ``-m conntrack --ctstate``, ``-m addrtype --dst-type
LOCAL``) and the targets ACCEPT, DROP, RETURN, a user chain, DNAT, SNAT and
MASQUERADE.  ``Rule.spec()`` prints a rule as ``iptables -S`` does.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .addr import in_prefix, ip_int, prefix

from .packet import ICMP, PROTO_ICMP, PROTO_TCP, PROTO_UDP

PROTO_NAMES = {PROTO_TCP: "tcp", PROTO_UDP: "udp", PROTO_ICMP: "icmp"}
BUILTIN = {
    "filter": ("INPUT", "FORWARD", "OUTPUT"),
    "nat": ("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"),
}


@dataclass
class Rule:
    target: str
    src: str | None = None
    dst: str | None = None
    in_iface: str | None = None
    out_iface: str | None = None
    proto: str | None = None
    dport: int | None = None
    sport: int | None = None
    ctstate: tuple[str, ...] | None = None
    dst_type: str | None = None          # -m addrtype --dst-type LOCAL
    to_destination: str | None = None    # DNAT ip[:port]
    to_source: str | None = None         # SNAT ip
    negate: frozenset = frozenset()      # which of src/dst/in_iface/out_iface are negated
    pkts: int = field(default=0, compare=False)
    bytes: int = field(default=0, compare=False)

    def spec(self, chain: str) -> str:
        """The rule in ``iptables -S`` syntax."""
        out = [f"-A {chain}"]
        for key, flag in (("src", "-s"), ("dst", "-d"), ("in_iface", "-i"), ("out_iface", "-o")):
            value = getattr(self, key)
            if value is None:
                continue
            if key in ("src", "dst") and "/" not in value:
                value += "/32"
            out.append(("! " if key in self.negate else "") + f"{flag} {value}")
        if self.proto:
            out.append(f"-p {self.proto}")
        if self.sport is not None or self.dport is not None:
            out.append(f"-m {self.proto}")
        if self.sport is not None:
            out.append(f"--sport {self.sport}")
        if self.dport is not None:
            out.append(f"--dport {self.dport}")
        if self.dst_type:
            out.append(f"-m addrtype --dst-type {self.dst_type}")
        if self.ctstate:
            out.append(f"-m conntrack --ctstate {','.join(self.ctstate)}")
        out.append(f"-j {self.target}")
        if self.to_destination:
            out.append(f"--to-destination {self.to_destination}")
        if self.to_source:
            out.append(f"--to-source {self.to_source}")
        return " ".join(out)

    def matches(self, pkt, ctx: "HookContext") -> bool:
        return self.matches_ifaces(ctx.in_iface, ctx.out_iface) and self.matches_packet(pkt, ctx)

    def matches_ifaces(self, in_iface: str | None, out_iface: str | None) -> bool:
        """The ``-i``/``-o`` matches: known before any packet is looked at."""
        neg = self.negate
        if self.in_iface is not None and (in_iface == self.in_iface) == ("in_iface" in neg):
            return False
        if self.out_iface is not None and (out_iface == self.out_iface) == ("out_iface" in neg):
            return False
        return True

    def matches_packet(self, pkt, ctx: "HookContext") -> bool:
        """Every match but ``-i``/``-o``."""
        neg = self.negate
        if self.src is not None and _in(pkt.src, self.src) == ("src" in neg):
            return False
        if self.dst is not None and _in(pkt.dst, self.dst) == ("dst" in neg):
            return False
        if self.proto and PROTO_NAMES.get(pkt.proto) != self.proto:
            return False
        if self.dport is not None and getattr(pkt.payload, "dport", None) != self.dport:
            return False
        if self.sport is not None and getattr(pkt.payload, "sport", None) != self.sport:
            return False
        if self.ctstate and ctx.ctstate not in self.ctstate:
            return False
        if self.dst_type == "LOCAL" and not ctx.is_local(pkt.dst):
            return False
        return True


def _rule_key(rule: Rule) -> tuple:
    """What makes two rules the same rule (the fields ``==`` compares)."""
    return (rule.target, rule.src, rule.dst, rule.in_iface, rule.out_iface, rule.proto, rule.dport,
            rule.sport, tuple(rule.ctstate) if rule.ctstate else rule.ctstate, rule.dst_type,
            rule.to_destination, rule.to_source, frozenset(rule.negate))


def _in(addr: str, net: str) -> bool:
    if "/" not in net:
        return addr == net
    return in_prefix(addr, net)


_TERMINAL, _JUMP, _RETURN = "terminal", "jump", "return"
_MATCHES: dict = {}


def _compile_match(rule: Rule):
    """A function ``(pkt, ctx) -> bool`` testing exactly what
    :meth:`Rule.matches_packet` tests, in the same order (conntrack is still
    asked last), written for this rule's matches only; None when the rule
    has no match besides ``-i``/``-o``.  Generated from the rule's fields
    (constants through ``repr``) and shared by equal rules."""
    key = _rule_key(rule)
    if key in _MATCHES:
        return _MATCHES[key]
    neg = rule.negate
    tests = []
    for field_, attr in (("src", "pkt.src"), ("dst", "pkt.dst")):
        net = getattr(rule, field_)
        if net is None:
            continue
        if "/" in net:
            n, mask = prefix(net)
            test = f"(ip_int({attr}) & {mask}) == {n}"
        else:
            test = f"{attr} == {net!r}"
        tests.append(f"not ({test})" if field_ in neg else f"({test})")
    if rule.proto:
        numbers = tuple(sorted(k for k, v in PROTO_NAMES.items() if v == rule.proto))
        tests.append(f"pkt.proto in {numbers!r}")
    if rule.dport is not None:
        tests.append(f"getattr(pkt.payload, 'dport', None) == {rule.dport!r}")
    if rule.sport is not None:
        tests.append(f"getattr(pkt.payload, 'sport', None) == {rule.sport!r}")
    if rule.ctstate:
        tests.append(f"ctx.ctstate in {tuple(rule.ctstate)!r}")
    if rule.dst_type == "LOCAL":
        tests.append("ctx.is_local(pkt.dst)")
    match = None
    if tests:
        namespace = {"ip_int": ip_int}
        exec(f"def match(pkt, ctx):\n    return {' and '.join(tests)}\n", namespace)
        match = namespace["match"]
    if len(_MATCHES) > 65536:
        _MATCHES.clear()
    _MATCHES[key] = match
    return match


class HookContext:
    """What a hook knows besides the packet.  ``ctstate`` may be given as a
    function: conntrack is then asked only if a rule matches on the state."""

    __slots__ = ("in_iface", "out_iface", "_ctstate", "is_local")

    def __init__(self, in_iface: str | None, out_iface: str | None, ctstate, is_local) -> None:
        self.in_iface, self.out_iface, self._ctstate, self.is_local = \
            in_iface, out_iface, ctstate, is_local

    @property
    def ctstate(self) -> str:
        state = self._ctstate
        if not isinstance(state, str):
            state = self._ctstate = state()
        return state


class _Rules(list):
    """A chain's rule list; any change bumps its table's generation, so that
    the table's compiled walks (:meth:`Table.evaluate`) are rebuilt."""

    __slots__ = ("table",)

    def __init__(self, table: "Table", rules=()) -> None:
        super().__init__(rules)
        self.table = table


def _bumping(name):
    method = getattr(list, name)

    def changed(self, *args):
        result = method(self, *args)
        self.table.generation += 1
        return result
    changed.__name__ = name
    return changed


for _name in ("append", "insert", "remove", "extend", "clear", "pop", "sort", "reverse",
              "__setitem__", "__delitem__", "__iadd__", "__imul__"):
    setattr(_Rules, _name, _bumping(_name))


class _Chains(dict):
    """A table's chains by name; a rule list stored here becomes a
    :class:`_Rules` of the table, and adding or removing a chain bumps the
    table's generation."""

    def __init__(self, table: "Table", chains: dict) -> None:
        super().__init__()
        self.table = table
        for name, rules in chains.items():
            self[name] = rules

    def __setitem__(self, name, rules) -> None:
        super().__setitem__(name, _Rules(self.table, rules))
        self.table.generation += 1

    def setdefault(self, name, rules=None):
        if name not in self:
            self[name] = rules or []
        return self[name]

    def __delitem__(self, name) -> None:
        super().__delitem__(name)
        self.table.generation += 1

    def pop(self, name, *default):
        result = super().pop(name, *default)
        self.table.generation += 1
        return result

    def clear(self) -> None:
        super().clear()
        self.table.generation += 1

    def update(self, *args, **kwargs) -> None:
        for name, rules in dict(*args, **kwargs).items():
            self[name] = rules


class Table:
    def __init__(self, name: str):
        self.name = name
        self.generation = 0        # bumped by any change of a chain (see _Chains)
        self._walks: dict = {}
        self._walks_generation = -1
        self.chains: dict[str, list[Rule]] = _Chains(self, {c: [] for c in BUILTIN[name]})
        self.policy: dict[str, str] = {c: "ACCEPT" for c in BUILTIN[name]}

    def new_chain(self, chain: str) -> None:
        self.chains.setdefault(chain, [])

    def append(self, chain: str, rule: Rule) -> None:
        index = self._index(chain)
        self.chains[chain].append(rule)
        self._count(index, rule, +1)

    def insert(self, chain: str, rule: Rule, pos: int = 0) -> None:
        index = self._index(chain)
        self.chains[chain].insert(pos, rule)
        self._count(index, rule, +1)

    def delete(self, chain: str, rule: Rule) -> None:
        if self.exists(chain, rule):
            index = self._index(chain)
            self.chains[chain].remove(rule)
            self._count(index, rule, -1)

    def exists(self, chain: str, rule: Rule) -> bool:
        """``iptables -C``; O(1) through an index of each chain's rules, so that
        tens of thousands of published ports do not make setup quadratic."""
        index = self._index(chain)
        return index[2].get(_rule_key(rule), 0) > 0 if index is not None else False

    def _index(self, chain: str):
        """[rules list, its length, Counter of rule keys]; rebuilt whenever the
        chain's list was replaced or changed behind the table's back."""
        rules = self.chains.get(chain)
        if rules is None:
            return None
        cache = self.__dict__.setdefault("_indexes", {})
        index = cache.get(chain)
        if index is None or index[0] is not rules or index[1] != len(rules):
            counts: dict = {}
            for r in rules:
                k = _rule_key(r)
                counts[k] = counts.get(k, 0) + 1
            index = cache[chain] = [rules, len(rules), counts]
        return index

    @staticmethod
    def _count(index, rule: Rule, delta: int) -> None:
        if index is None:
            return
        k = _rule_key(rule)
        index[1] += delta
        index[2][k] = index[2].get(k, 0) + delta

    def evaluate(self, chain: str, pkt, ctx: HookContext, trail: list) -> Rule | None:
        """Walk ``chain``; returns the terminating rule, or None for the policy.

        Runs the chain's program for the hook's interfaces (:meth:`program`):
        each rule that matches counts the packet; a jump enters the callee's
        rules, inlined after it; RETURN (or the callee's end) resumes after
        the jump; the first terminating rule ends the walk."""
        return self.run(self.program(chain, ctx.in_iface, ctx.out_iface), pkt, ctx, trail)

    @staticmethod
    def run(prog: list, pkt, ctx: HookContext, trail: list) -> Rule | None:
        """:meth:`evaluate` with the chain's :meth:`program` already in hand."""
        i, n = 0, len(prog)
        size = None                 # len(pkt), once a rule counts it
        while i < n:
            rule, match, kind, skip, owner = prog[i]
            if match is not None and not match(pkt, ctx):
                i = skip if kind is _JUMP else i + 1
                continue
            rule.pkts += 1
            if size is None:
                size = len(pkt)
            rule.bytes += size
            if kind is _TERMINAL:
                trail.append((owner, rule))
                return rule
            i = skip if kind is _RETURN else i + 1
        return None

    def program(self, chain: str, in_iface: str | None, out_iface: str | None) -> list:
        """``chain`` compiled for packets from ``in_iface`` to ``out_iface``.

        Only rules whose ``-i``/``-o`` can match are kept; user chains are
        inlined after the rule that jumps to them (with the same filter), so
        a walk is one loop.  Entries are ``(rule, match, kind, skip, chain)``:
        ``match`` tests the rule's other matches (None: it has none); a jump
        that does not match, and a RETURN that does, continue at ``skip``,
        the end of the inlined callee.  Compiled once per (chain, in, out)
        and thrown away after any change to the table (its generation), so a
        program never outlives the rules it was built from."""
        programs = self._walks
        if self._walks_generation != self.generation:
            programs.clear()
            self._walks_generation = self.generation
        key = (chain, in_iface, out_iface)
        found = programs.get(key)
        if found is None:
            found = programs[key] = []
            self._inline(found, chain, in_iface, out_iface, (chain,))
        return found

    def _inline(self, prog: list, chain: str, in_iface, out_iface, stack: tuple) -> None:
        chains = self.chains
        start = len(prog)
        returns = []
        for r in chains.get(chain, ()):
            if not r.matches_ifaces(in_iface, out_iface):
                continue
            match = _compile_match(r)
            if r.target == "RETURN":
                returns.append(len(prog))
                prog.append([r, match, _RETURN, 0, chain])
            elif r.target in chains:
                if r.target in stack:      # a loop (iptables refuses to create one)
                    continue
                at = len(prog)
                prog.append([r, match, _JUMP, 0, chain])
                self._inline(prog, r.target, in_iface, out_iface, stack + (r.target,))
                prog[at][3] = len(prog)
            else:
                prog.append([r, match, _TERMINAL, 0, chain])
        end = len(prog)
        for at in returns:
            prog[at][3] = end
        if start == 0:
            prog[:] = [tuple(e) for e in prog]

    def walk(self, chain: str, in_iface: str | None, out_iface: str | None) -> list:
        """The compiled :meth:`program` (empty when no rule can match)."""
        return self.program(chain, in_iface, out_iface)

    def is_empty(self) -> bool:
        for rules in self.chains.values():
            if rules:
                return False
        return True

    def save(self) -> list[str]:
        """``iptables -t TABLE -S``."""
        lines = [f"-P {c} {self.policy[c]}" for c in BUILTIN[self.name]]
        lines += [f"-N {c}" for c in self.chains if c not in BUILTIN[self.name]]
        for chain, rules in self.chains.items():
            lines += [r.spec(chain) for r in rules]
        return lines


def flow_tuple(pkt) -> tuple:
    t = pkt.payload
    if pkt.proto == PROTO_ICMP:
        return (pkt.proto, pkt.src, t.ident, pkt.dst, t.ident)
    return (pkt.proto, pkt.src, t.sport, pkt.dst, t.dport)


# nf_conntrack timeouts (seconds), as the sysctls default on Linux 6.1
ICMP_TIMEOUT = 30.0                 # net.netfilter.nf_conntrack_icmp_timeout
UDP_TIMEOUT, UDP_STREAM_TIMEOUT = 30.0, 120.0
TCP_SYN_SENT, TCP_ESTABLISHED, TCP_FIN, TCP_CLOSE = 120.0, 432000.0, 120.0, 10.0
GC_EVERY = 256                      # confirmations between two sweeps of expired entries


@dataclass
class Conn:
    """A conntrack entry: the original tuple, after DNAT, and after SNAT."""
    orig: tuple
    dnat: tuple
    trans: tuple
    seen_reply: bool = False
    post_done: bool = False
    expires: float = float("inf")
    closing: float | None = None        # TCP: the timeout once a FIN or RST was seen

    @property
    def reply(self) -> tuple:
        p, s, sp, d, dp = self.trans
        return (p, d, dp, s, sp)


class Conntrack:
    """The connection table.  Entries time out as nf_conntrack's do (ICMP 30 s,
    UDP 30 s / 120 s once answered, TCP 120 s unanswered, 5 days established,
    120 s after a FIN, 10 s after a RST), so a long simulation keeps a bounded
    table; without a clock nothing expires."""

    def __init__(self, clock=None) -> None:
        self.by_orig: dict[tuple, Conn] = {}
        self.by_dnat: dict[tuple, Conn] = {}
        self.by_reply: dict[tuple, Conn] = {}
        self.clock = clock
        self._confirmed = 0

    def lookup(self, pkt) -> tuple[Conn | None, str]:
        """The entry a packet belongs to, and its direction ("orig"/"reply")."""
        proto = pkt.proto
        t = pkt.payload
        if proto == PROTO_ICMP:
            if t.type != ICMP.ECHO_REQUEST and t.type != ICMP.ECHO_REPLY:
                return None, "related"
            key = (proto, pkt.src, t.ident, pkt.dst, t.ident)      # flow_tuple, inline
        else:
            key = (proto, pkt.src, t.sport, pkt.dst, t.dport)
        conn = self.by_orig.get(key)
        direction = "orig"
        if conn is None:
            conn = self.by_reply.get(key)
            if conn is None:
                return None, "new"
            direction = "reply"
        if self.clock is not None:
            now = self.clock()
            if conn.expires <= now:
                self._forget(conn)
                return None, "new"
            if proto == PROTO_ICMP:         # _refresh, inline for ICMP
                conn.expires = now + ICMP_TIMEOUT
            else:
                self._refresh(conn, pkt, now, direction)
        return conn, direction

    def _refresh(self, conn: Conn, pkt, now: float, direction: str) -> None:
        proto = pkt.proto
        replied = conn.seen_reply or direction == "reply"
        if proto == PROTO_ICMP:
            timeout = ICMP_TIMEOUT
        elif proto == PROTO_UDP:
            timeout = UDP_STREAM_TIMEOUT if replied else UDP_TIMEOUT
        else:
            flags = getattr(pkt.payload, "flags", "") or ""
            if "R" in flags:
                conn.closing = TCP_CLOSE
            elif "F" in flags and conn.closing is None:
                conn.closing = TCP_FIN
            timeout = conn.closing or (TCP_ESTABLISHED if replied else TCP_SYN_SENT)
        conn.expires = now + timeout

    def _forget(self, conn: Conn) -> None:
        for table, key in ((self.by_orig, conn.orig), (self.by_dnat, conn.dnat),
                           (self.by_reply, conn.reply)):
            if table.get(key) is conn:
                del table[key]

    def expire(self) -> None:
        """Drop every entry whose timeout has passed (the conntrack GC worker)."""
        if self.clock is None:
            return
        now = self.clock()
        for conn in [c for c in self.by_orig.values() if c.expires <= now]:
            self._forget(conn)

    def after_dnat(self, pkt) -> Conn | None:
        t = pkt.payload
        proto = pkt.proto
        if proto == PROTO_ICMP:                 # flow_tuple, inline
            return self.by_dnat.get((proto, pkt.src, t.ident, pkt.dst, t.ident))
        return self.by_dnat.get((proto, pkt.src, t.sport, pkt.dst, t.dport))

    def related(self, pkt) -> Conn | None:
        """The entry an ICMP error's embedded packet belongs to."""
        inner = pkt.payload.data
        if not hasattr(inner, "proto"):
            return None
        key = flow_tuple(inner)
        return self.by_reply.get(key) or self.by_orig.get(key)

    def confirm(self, conn: Conn, pkt=None) -> None:
        if self.clock is not None:
            self._confirmed += 1
            if self._confirmed % GC_EVERY == 0:
                self.expire()
            proto = conn.orig[0]
            conn.expires = self.clock() + (ICMP_TIMEOUT if proto == PROTO_ICMP else
                                           UDP_TIMEOUT if proto == PROTO_UDP else TCP_SYN_SENT)
        self.by_orig[conn.orig] = conn
        self.by_dnat[conn.dnat] = conn
        self.by_reply[conn.reply] = conn

    def set_snat(self, conn: Conn, trans: tuple) -> None:
        self.by_reply.pop(conn.reply, None)
        conn.trans = trans
        self.by_reply[conn.reply] = conn

    def flush(self) -> None:
        self.by_orig.clear()
        self.by_dnat.clear()
        self.by_reply.clear()


class Netfilter:
    """The ``filter`` and ``nat`` tables of a namespace, plus conntrack."""

    def __init__(self, clock=None) -> None:
        self.tables = {"filter": Table("filter"), "nat": Table("nat")}
        self.conntrack = Conntrack(clock)

    @property
    def filter(self) -> Table:
        return self.tables["filter"]

    @property
    def nat(self) -> Table:
        return self.tables["nat"]

    _empty_key = -1          # the tables' generations summed when _empty was found
    _empty = True

    def is_empty(self) -> bool:
        """No rule in any table (then no hook has anything to do), remembered
        until a table changes (generations only grow: their sum identifies
        the tables' state)."""
        key = 0
        for t in self.tables.values():
            key += t.generation
        if key != self._empty_key:
            self._empty = all(t.is_empty() for t in self.tables.values())
            self._empty_key = key
        return self._empty
