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
    summary = hop.frame.summary() if hasattr(hop.frame, "summary") else str(hop.frame)
    where = f"{hop.netns}/{hop.dev}"
    line = f"  {hop.time * 1000:10.3f} ms  {where:28} {summary}"
    if hop.decision:
        line = f"  {hop.time * 1000:10.3f} ms  {where:28} ↳ {hop.decision}"
    return line


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
