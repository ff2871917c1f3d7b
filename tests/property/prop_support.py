"""Hypothesis profiles and budgets for the property tests.

``HYPOTHESIS_PROFILE=ci`` (the default) keeps the whole directory under a
minute; ``HYPOTHESIS_PROFILE=long`` runs at least 10,000 examples per property
(docs/robustness.md has the command and the last result).
"""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
LONG_EXAMPLES = int(os.environ.get("NETSIM_LONG_EXAMPLES", "10000"))

_common = dict(deadline=None, suppress_health_check=list(HealthCheck))
settings.register_profile("ci", max_examples=50, derandomize=True, print_blob=True, **_common)
settings.register_profile("long", max_examples=LONG_EXAMPLES, print_blob=True, **_common)
settings.load_profile(PROFILE)


def examples(ci: int) -> settings:
    """``@examples(n)``: n examples in the ci profile, LONG_EXAMPLES in long."""
    return settings(max_examples=ci if PROFILE != "long" else max(LONG_EXAMPLES, ci))
