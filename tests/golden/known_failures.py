"""Golden steps netsim does not match yet, grouped by cause ("case:step" -> reason)."""
from __future__ import annotations

_GROUPS: dict[str, list[str]] = {
}

KNOWN_FAILURES = {key: reason for reason, keys in _GROUPS.items() for key in keys}
