"""``iptables`` v1.8.9 with the nf_tables backend (Debian 12's default,
``update-alternatives --display iptables`` on the reference host): listing the
kernel model's ``filter`` and ``nat`` tables.

``-S [CHAIN]`` prints the rules as ``iptables-save`` specs; ``-L [CHAIN]``
(with ``-n``, ``--line-numbers``, ``-v``: the counters and interfaces,
``-x``: exact counters) prints the table layout of
``print_firewall``: target ``%-9s``, inversion flag, protocol number
``%-5d`` (nft prints numbers), ``--``, source and destination ``%-19s`` with
their inversion flag, then the matches.  Formats and messages from
tests/golden/host_iptables.json.  Changing rules (``-A``/``-I``/``-D``…) is
not modelled: only the daemon configures netfilter.
"""
from __future__ import annotations

from ...kernel.netfilter import BUILTIN
from ..busybox.common import program

VERSION = "iptables v1.8.9 (nf_tables)"
PROTO_NUMBERS = {"tcp": 6, "udp": 17, "icmp": 1}
HEADER = "target     prot opt source               destination         "


def _addr(value: str | None) -> str:
    if value is None:
        return "0.0.0.0/0"
    return value[:-3] if value.endswith("/32") else value


def _matches(rule) -> str:
    out = []
    if rule.proto and (rule.dport is not None or rule.sport is not None):
        words = [rule.proto]
        if rule.sport is not None:
            words.append(f"spt:{rule.sport}")
        if rule.dport is not None:
            words.append(f"dpt:{rule.dport}")
        out.append(" ".join(words))
    if rule.dst_type:
        out.append(f"ADDRTYPE match dst-type {rule.dst_type}")
    if rule.ctstate:
        out.append(f"ctstate {','.join(rule.ctstate)}")
    if rule.to_destination:
        out.append(f"to:{rule.to_destination}")
    if rule.to_source:
        out.append(f"to:{rule.to_source}")
    return "".join(" " + m for m in out)


def _num(n: int, exact: bool) -> str:
    """``xtables_print_num``: ``%8llu`` with -x, else ``%5llu`` scaled by
    K, M, G, T above 99999."""
    if exact:
        return f"{n:8d} "
    if n <= 99999:
        return f"{n:5d} "
    for unit in "KMGT":
        n = (n + 500) // 1000
        if n <= 9999 or unit == "T":
            return f"{n:4d}{unit} "
    return f"{n:5d} "  # pragma: no cover


def _iface(rule, key: str) -> str:
    name = getattr(rule, key) or "*"
    return ("!" if key in rule.negate else "") + name


def _row(rule, verbose: bool = False, exact: bool = False) -> str:
    proto = PROTO_NUMBERS.get(rule.proto or "", 0)
    src = ("!" if "src" in rule.negate else " ") + f"{_addr(rule.src):<19} "
    dst = ("!" if "dst" in rule.negate else " ") + f"{_addr(rule.dst):<19} "
    counters = via = ""
    if verbose:
        counters = _num(rule.pkts, exact) + _num(rule.bytes, exact)
        via = f" {_iface(rule, 'in_iface'):<6} {_iface(rule, 'out_iface'):<6}"
    return counters + f"{rule.target:<9} " + " " + f"{proto:<5}" + "--" + via + " " + src + dst + _matches(rule)


def _references(table, chain: str) -> int:
    return sum(1 for rules in table.chains.values() for r in rules if r.target == chain)


def _list_chain(table, chain: str, numbers: bool, verbose: bool = False, exact: bool = False) -> str:
    if chain in BUILTIN[table.name]:
        # the policy's counters (packets that fell through) are not kept: 0
        counts = " 0 packets, 0 bytes" if verbose else ""
        head = f"Chain {chain} (policy {table.policy[chain]}{counts})\n"
    else:
        head = f"Chain {chain} ({_references(table, chain)} references)\n"
    header = HEADER
    if verbose:
        header = (f"{'pkts':>8} {'bytes':>10} " if exact else " pkts bytes ") + \
            "target     prot opt in     out     source               destination         "
    head += ("num  " if numbers else "") + header + "\n"
    rows = []
    for i, rule in enumerate(table.chains[chain], 1):
        rows.append((f"{i:<4} " if numbers else "") + _row(rule, verbose, exact) + "\n")
    return head + "".join(rows)


def _spec_chain(table, chain: str) -> list[str]:
    if chain in BUILTIN[table.name]:
        lines = [f"-P {chain} {table.policy[chain]}"]
    else:
        lines = [f"-N {chain}"]
    return lines + [r.spec(chain) for r in table.chains[chain]]


@program
def iptables_main(proc):
    args = list(proc.argv[1:])
    table_name, action, chain, numeric, numbers = "filter", None, None, False, False
    verbose = exact = False
    while args:
        a = args.pop(0)
        if a in ("-t", "--table") and args:
            table_name = args.pop(0)
        elif a in ("--line-numbers",):
            numbers = True
        elif a in ("--numeric",):
            numeric = True
        elif a in ("--verbose",):
            verbose = True
        elif a in ("--exact",):
            exact = True
        elif a in ("--list", "--list-rules"):
            action = "L" if a == "--list" else "S"
            if args and not args[0].startswith("-"):
                chain = args.pop(0)
        elif a in ("--version", "-V"):
            proc.out(VERSION + "\n")
            return 0
        elif a.startswith("-") and not a.startswith("--") and len(a) > 1:
            for c in a[1:]:
                if c == "n":
                    numeric = True
                elif c == "v":
                    verbose = True
                elif c == "x":
                    exact = True
                elif c in "LS":
                    action = c
                    if args and not args[0].startswith("-"):
                        chain = args.pop(0)
                elif c == "t" and args:
                    table_name = args.pop(0)
                elif c == "V":
                    proc.out(VERSION + "\n")
                    return 0
                else:
                    proc.err(f"netsim: iptables -{c}: only listing (-S, -L) is modelled on the "
                             "simulated host\n")
                    return 2
        else:
            proc.err(f"Bad argument `{a}'\nTry `iptables -h' or 'iptables --help' for more information.\n")
            return 2
    del numeric   # names are never resolved in the model: -L prints numbers either way
    table = proc.netns.netfilter.tables.get(table_name)
    if table is None:
        proc.err(f"{VERSION}: table '{table_name}' does not exist\n"
                 "Perhaps iptables or your kernel needs to be upgraded.\n")
        return 3
    if action is None:
        proc.err(f"{VERSION}: no command specified\nTry `iptables -h' or 'iptables --help' "
                 "for more information.\n")
        return 2
    if chain is not None and chain not in table.chains:
        proc.err(f"{VERSION}: chain `{chain}' in table `{table_name}' is incompatible, use 'nft' tool.\n")
        return 1
    chains = [chain] if chain is not None else list(table.chains)
    if action == "S":
        if chain is None:
            proc.out("".join(line + "\n" for line in table.save()))
        else:
            proc.out("".join(line + "\n" for line in _spec_chain(table, chain)))
        return 0
    proc.out("\n".join(_list_chain(table, c, numbers, verbose, exact) for c in chains))
    return 0
