"""Comparing a real engine's outputs with netsim's, step by step.

``Comparison`` keeps one ``CaseNormalizer`` per side, so placeholders are
numbered per side in order of first appearance; ``add`` normalises one step of
each side and says whether they match.  ``render_text`` shows the differences
as unified diffs, expected (real) against got (netsim); ``to_json`` gives the
same to tools.  Nothing here runs an engine: the real side may be a recording.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from .normalize import DEFAULT_ROOTS, CaseNormalizer

STREAMS = ("stdout", "stderr")


@dataclass
class StepDiff:
    """One step: the raw and normalised outputs of both sides."""

    index: int                      # 0-based
    command: str
    real: dict                      # raw: stdout, stderr, exit_code
    sim: dict
    expected: dict                  # normalised real side
    got: dict                       # normalised netsim side
    notes: list[str] = field(default_factory=list)

    @property
    def differing(self) -> list[str]:
        """Which of stdout, stderr, exit_code differ after normalisation."""
        return [k for k in (*STREAMS, "exit_code") if self.expected[k] != self.got[k]]

    @property
    def match(self) -> bool:
        return not self.differing

    def diff(self, stream: str, color: bool = False) -> str:
        """Unified diff of one stream: ``-`` lines are the real engine's, ``+`` netsim's."""
        want, got = self.expected[stream], self.got[stream]
        if want == got:
            return ""
        lines = difflib.unified_diff(_lines(want), _lines(got), f"{stream} expected (real)",
                                     f"{stream} got (netsim)", n=2, lineterm="")
        out = []
        for line in lines:
            if color and line.startswith("-") and not line.startswith("---"):
                line = f"\x1b[31m{line}\x1b[0m"
            elif color and line.startswith("+") and not line.startswith("+++"):
                line = f"\x1b[32m{line}\x1b[0m"
            out.append(line)
        return "\n".join(out) + "\n"

    def to_json(self) -> dict:
        return {"index": self.index + 1, "command": self.command, "match": self.match,
                "differing": self.differing, "expected": self.expected, "got": self.got,
                "diff": {s: self.diff(s) for s in STREAMS if self.diff(s)},
                "raw": {"real": self.real, "netsim": self.sim}, "notes": self.notes}


def _lines(text: str) -> list[str]:
    """Lines for a diff; a missing final newline is shown, it is a difference too."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    elif text:
        lines[-1] += "⏎ (no newline at end)"
    return [repr(l)[1:-1] if _invisible(l) else l for l in lines]


def _invisible(line: str) -> bool:
    """Tabs and trailing blanks are shown escaped, so a diff never looks empty."""
    return "\t" in line or line != line.rstrip() or "\r" in line


class Comparison:
    """A differential run in progress: real and netsim steps, normalised per side."""

    def __init__(self, keep=(), real_roots=()):
        self.real_norm = CaseNormalizer(keep, roots=tuple(real_roots) + DEFAULT_ROOTS)
        self.sim_norm = CaseNormalizer(keep)
        self.steps: list[StepDiff] = []

    def add(self, command: str, real: dict, sim: dict, notes=()) -> StepDiff:
        real = {"stdout": real["stdout"], "stderr": real["stderr"], "exit_code": real["exit_code"]}
        sim = {"stdout": sim["stdout"], "stderr": sim["stderr"], "exit_code": sim["exit_code"]}
        expected = self.real_norm.step({"command": command, **real})
        got = self.sim_norm.step({"command": command, **sim})
        step = StepDiff(len(self.steps), command, real, sim, expected, got, list(notes))
        self.steps.append(step)
        return step

    @property
    def ok(self) -> bool:
        return all(s.match for s in self.steps)

    @property
    def differing(self) -> list[StepDiff]:
        return [s for s in self.steps if not s.match]


def render_step(step: StepDiff, color: bool = False) -> str:
    """A terminal block for one step: a status line and, if it differs, its diffs."""
    mark = "ok  " if step.match else "DIFF"
    if color:
        mark = f"\x1b[32m{mark}\x1b[0m" if step.match else f"\x1b[1;31m{mark}\x1b[0m"
    out = [f"{mark} step {step.index + 1}: $ {step.command}"]
    if not step.match:
        if "exit_code" in step.differing:
            out.append(f"     exit code: expected (real) {step.expected['exit_code']}, "
                       f"got (netsim) {step.got['exit_code']}")
        for stream in STREAMS:
            d = step.diff(stream, color)
            if d:
                out.append("     " + d.rstrip("\n").replace("\n", "\n     "))
    for note in step.notes:
        out.append("     note: " + note.replace("\n", "\n           "))
    return "\n".join(out) + "\n"


def render_summary(comparison: Comparison, total: int) -> str:
    steps = comparison.steps
    bad = comparison.differing
    line = f"{len(steps) - len(bad)} of {len(steps)} step(s) match"
    if len(steps) < total:
        line += f" ({total - len(steps)} not run: stopped at the first difference; --keep-going runs all)"
    if bad:
        line += "; differing: " + ", ".join(str(s.index + 1) for s in bad)
    return line + "\n"


def to_json(comparison: Comparison, total: int, **facts) -> dict:
    return {**facts, "ok": comparison.ok and len(comparison.steps) == total,
            "steps_total": total, "steps_run": len(comparison.steps),
            "differing": [s.index + 1 for s in comparison.differing],
            "steps": [s.to_json() for s in comparison.steps]}
