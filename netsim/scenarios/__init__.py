"""Bundled scenarios, shipped inside the package (``netsim run custom_bridge``)."""
from __future__ import annotations

from pathlib import Path

import yaml

HERE = Path(__file__).parent


def all_files() -> list[Path]:
    return sorted(p for p in HERE.iterdir() if p.suffix in (".yaml", ".yml", ".txt"))


def find(name: str) -> Path | None:
    for p in all_files():
        if p.stem == name or p.name == name:
            return p
    return None


def listing() -> list[tuple[str, str]]:
    out = []
    for p in all_files():
        summary = ""
        if p.suffix in (".yaml", ".yml"):
            try:
                doc = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
                summary = str(doc.get("description") or doc.get("name") or "")
            except yaml.YAMLError:
                summary = "(unreadable)"
        else:
            summary = "plain command list"
        out.append((p.stem, summary.splitlines()[0] if summary else ""))
    return out
