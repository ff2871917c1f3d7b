"""How ``netsim run`` prints: a terminal transcript, or a JSON array."""
from __future__ import annotations

import json
import sys


def print_step(outcome, trace: bool = False) -> None:
    res = outcome.result
    sys.stdout.write(f"$ {res.command}\n")
    sys.stdout.write(res.stdout)
    if res.stderr:
        sys.stdout.flush()
        sys.stdout.write(res.stderr)
    if trace:
        for hop in res.extra.get("hops", []):
            sys.stdout.write(format_hop(hop) + "\n")
    if not outcome.ok:
        for f in outcome.failures:
            sys.stdout.write(f"  ✗ expectation not met: {f}\n")
    sys.stdout.flush()


def format_hop(hop) -> str:
    """One trace line: simulated time, namespace/interface, and either what
    ``tcpdump -n -S`` on that interface would print or the kernel's decision."""
    where = f"{hop.netns}/{hop.dev}" if hop.dev != "-" else hop.netns
    stamp = f"  {hop.time * 1000:10.3f} ms  {where:24}"
    if hop.decision:
        return f"{stamp} ↳ {hop.decision}"
    from ..trace.tcpdump import summary
    return f"{stamp} {summary(hop.frame)}"


def print_json_stream(outcomes) -> list:
    """One JSON array, written step by step so long scenarios stream."""
    failed = []
    out = sys.stdout
    out.write("[")
    first = True
    for o in outcomes:
        d = o.result.to_dict()
        d["index"] = o.index
        if o.step.expect:
            d["expect"] = o.step.expect
            d["ok"] = o.ok
            d["failures"] = o.failures
        out.write(("" if first else ",") + "\n  " + json.dumps(d, ensure_ascii=False, sort_keys=True))
        first = False
        if not o.ok:
            failed.append(o)
    out.write("\n]\n")
    out.flush()
    return failed
