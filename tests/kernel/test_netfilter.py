"""iptables chains compiled into flat programs: the same verdicts, counters and
trails as walking the chains rule by rule, jumping into user chains."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from netsim.kernel.netfilter import HookContext, Rule, Table
from netsim.kernel.packet import ICMP, IPv4, PROTO_ICMP, PROTO_TCP, PROTO_UDP, TCP, UDP


def pkt(src="172.18.0.2", dst="172.18.0.3", proto=PROTO_TCP, dport=80, sport=40000):
    if proto == PROTO_TCP:
        payload = TCP(sport, dport, "S")
    elif proto == PROTO_UDP:
        payload = UDP(sport, dport, b"")
    else:
        payload = ICMP(ICMP.ECHO_REQUEST, 0, 7, 1, b"")
    return IPv4(src, dst, proto, payload)


def ctx(in_iface="br0", out_iface="br0", state="NEW", local=()):
    return HookContext(in_iface, out_iface, state, lambda a: a in local)


def reference_walk(table: Table, chain: str, p, c: HookContext, trail: list, depth=0):
    """iptables' semantics written plainly: every rule in order, ``-i/-o`` included."""
    for rule in table.chains.get(chain, ()):
        if not rule.matches(p, c):
            continue
        rule.pkts += 1
        rule.bytes += len(p)
        if rule.target == "RETURN":
            return None
        if rule.target in table.chains:
            found = reference_walk(table, rule.target, p, c, trail, depth + 1)
            if found is not None:
                return found
            continue
        trail.append((chain, rule))
        return rule
    return None


def docker_forward() -> Table:
    t = Table("filter")
    for name in ("DOCKER", "DOCKER-ISOLATION-STAGE-1", "DOCKER-ISOLATION-STAGE-2", "DOCKER-USER"):
        t.new_chain(name)
    t.append("FORWARD", Rule("DOCKER-USER"))
    t.append("FORWARD", Rule("DOCKER-ISOLATION-STAGE-1"))
    t.append("FORWARD", Rule("ACCEPT", out_iface="br0", ctstate=("RELATED", "ESTABLISHED")))
    t.append("FORWARD", Rule("DOCKER", out_iface="br0"))
    t.append("FORWARD", Rule("ACCEPT", in_iface="br0", out_iface="br0", negate=frozenset({"out_iface"})))
    t.append("FORWARD", Rule("ACCEPT", in_iface="br0", out_iface="br0"))
    t.append("DOCKER", Rule("ACCEPT", dst="172.18.0.3", in_iface="br0", out_iface="br0",
                            proto="tcp", dport=80, negate=frozenset({"in_iface"})))
    t.append("DOCKER-ISOLATION-STAGE-1", Rule("DOCKER-ISOLATION-STAGE-2", in_iface="br0",
                                              out_iface="br0", negate=frozenset({"out_iface"})))
    t.append("DOCKER-ISOLATION-STAGE-1", Rule("RETURN"))
    t.append("DOCKER-ISOLATION-STAGE-2", Rule("DROP", out_iface="br1"))
    t.append("DOCKER-ISOLATION-STAGE-2", Rule("RETURN"))
    t.append("DOCKER-USER", Rule("DROP", out_iface="eth0"))
    t.append("DOCKER-USER", Rule("RETURN"))
    return t


def counters(t: Table) -> dict:
    return {(c, i): (r.pkts, r.bytes) for c, rules in t.chains.items() for i, r in enumerate(rules)}


def test_bridged_packet_counts_every_rule_it_matches_on_the_way():
    t = docker_forward()
    trail: list = []
    rule = t.evaluate("FORWARD", pkt(), ctx(), trail)
    assert rule is t.chains["FORWARD"][5] and trail == [("FORWARD", rule)]
    size = len(pkt())
    hit = {k for k, v in counters(t).items() if v == (1, size)}
    assert hit == {("FORWARD", 0), ("DOCKER-USER", 1), ("FORWARD", 1),
                   ("DOCKER-ISOLATION-STAGE-1", 1), ("FORWARD", 3), ("FORWARD", 5)}


def test_jump_between_bridges_ends_in_the_isolation_drop():
    t = docker_forward()
    trail: list = []
    rule = t.evaluate("FORWARD", pkt(), ctx("br0", "br1"), trail)
    assert rule.target == "DROP" and trail == [("DOCKER-ISOLATION-STAGE-2", rule)]


def test_state_is_asked_only_when_a_rule_reaches_the_state_match():
    t = docker_forward()
    asked = []

    def state():
        asked.append(1)
        return "ESTABLISHED"
    rule = t.evaluate("FORWARD", pkt(), HookContext("br1", "br0", state, lambda a: False), [])
    assert rule.ctstate == ("RELATED", "ESTABLISHED") and asked == [1]
    asked.clear()
    t.evaluate("FORWARD", pkt(), HookContext("br0", "eth0", state, lambda a: False), [])
    assert asked == []          # DOCKER-USER dropped it before any state match


def test_a_change_to_the_table_recompiles_its_programs():
    t = docker_forward()
    assert t.evaluate("FORWARD", pkt(), ctx(), []).target == "ACCEPT"
    t.insert("DOCKER-USER", Rule("DROP", src="172.18.0.0/16"))
    assert t.evaluate("FORWARD", pkt(), ctx(), []).target == "DROP"
    del t.chains["DOCKER-USER"][0]
    assert t.evaluate("FORWARD", pkt(), ctx(), []).target == "ACCEPT"


def test_negated_prefix_protocol_ports_and_local_destination():
    t = Table("nat")
    t.new_chain("DOCKER")
    t.append("PREROUTING", Rule("DOCKER", dst_type="LOCAL"))
    t.append("DOCKER", Rule("RETURN", in_iface="br0"))
    t.append("DOCKER", Rule("DNAT", proto="tcp", dport=8080, src="10.0.0.0/8",
                            negate=frozenset({"src"}), to_destination="172.18.0.3:80"))
    local = ("192.0.2.2",)
    hit = t.evaluate("PREROUTING", pkt("198.51.100.7", "192.0.2.2", dport=8080), ctx("eth0", None, local=local), [])
    assert hit.to_destination == "172.18.0.3:80"
    for miss in (pkt("10.1.2.3", "192.0.2.2", dport=8080),       # negated source prefix
                 pkt("198.51.100.7", "192.0.2.2", dport=8081),   # port
                 pkt("198.51.100.7", "192.0.2.2", PROTO_UDP, 8080),
                 pkt("198.51.100.7", "192.0.2.9", dport=8080)):  # not a local address
        assert t.evaluate("PREROUTING", miss, ctx("eth0", None, local=local), []) is None
    assert t.evaluate("PREROUTING", pkt("198.51.100.7", "192.0.2.2", dport=8080),
                      ctx("br0", None, local=local), []) is None  # RETURN for the bridge


def test_a_jump_loop_does_not_recurse_forever():
    t = Table("filter")
    t.new_chain("A")
    t.new_chain("B")
    t.append("FORWARD", Rule("A"))
    t.append("A", Rule("B"))
    t.append("B", Rule("A"))
    t.append("B", Rule("DROP"))
    assert t.evaluate("FORWARD", pkt(), ctx(), []).target == "DROP"


IFACES = st.sampled_from([None, "br0", "br1", "eth0"])
ADDRS = st.sampled_from(["172.18.0.2", "172.18.0.3", "10.0.0.1", "192.0.2.2"])
NETS = st.sampled_from([None, "172.18.0.0/16", "172.18.0.3", "10.0.0.0/8", "0.0.0.0/0"])


@st.composite
def rules(draw, chains):
    negatable = draw(st.sets(st.sampled_from(["src", "dst", "in_iface", "out_iface"])))
    r = Rule(draw(st.sampled_from(["ACCEPT", "DROP", "RETURN", "DNAT", *chains])),
             src=draw(NETS), dst=draw(NETS), in_iface=draw(IFACES), out_iface=draw(IFACES),
             proto=draw(st.sampled_from([None, "tcp", "udp", "icmp"])),
             dport=draw(st.sampled_from([None, 53, 80])),
             ctstate=draw(st.sampled_from([None, ("NEW",), ("RELATED", "ESTABLISHED")])),
             dst_type=draw(st.sampled_from([None, "LOCAL"])))
    r.negate = frozenset(k for k in negatable if getattr(r, k) is not None)
    return r


@st.composite
def tables(draw):
    users = ["U1", "U2", "U3"]
    t = Table("filter")
    for name in users:
        t.new_chain(name)
    for chain in ["FORWARD", *users]:
        # user chains jump only "downwards", as iptables allows no loops
        below = users[users.index(chain) + 1:] if chain in users else users
        for r in draw(st.lists(rules(below), max_size=5)):
            t.append(chain, r)
    return t


@settings(max_examples=200, deadline=None)
@given(tables(), st.lists(st.tuples(ADDRS, ADDRS, st.sampled_from([PROTO_TCP, PROTO_UDP, PROTO_ICMP]),
                                    st.sampled_from([53, 80, 443]), IFACES, IFACES,
                                    st.sampled_from(["NEW", "ESTABLISHED"])), min_size=1, max_size=6))
def test_compiled_programs_agree_with_walking_the_chains(table, packets):
    plain = clone(table)
    for src, dst, proto, dport, i, o, state in packets:
        p = pkt(src, dst, proto, dport)
        c = HookContext(i, o, state, lambda a: a == "192.0.2.2")
        want_trail, got_trail = [], []
        want = reference_walk(plain, "FORWARD", p, c, want_trail)
        got = table.evaluate("FORWARD", p, c, got_trail)
        assert (None if want is None else (plain_index(plain, want))) == \
            (None if got is None else plain_index(table, got))
        assert [(ch, plain_index(plain, r)) for ch, r in want_trail] == \
            [(ch, plain_index(table, r)) for ch, r in got_trail]
        assert counters(plain) == counters(table)


def clone(table: Table) -> Table:
    import dataclasses
    t = Table(table.name)
    for chain, rules_ in table.chains.items():
        t.new_chain(chain)
        for r in rules_:
            t.append(chain, dataclasses.replace(r))
    return t


def plain_index(table: Table, rule: Rule):
    for chain, rules_ in table.chains.items():
        for i, r in enumerate(rules_):
            if r is rule:
                return chain, i
    raise AssertionError("rule not in table")
