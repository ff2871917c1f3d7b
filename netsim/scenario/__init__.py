"""Scenarios: a description (steps with expectations) kept apart from the
engine that runs it, as Mininet keeps a Topo apart from the live network."""
from .loader import Scenario, Step, load, load_text
from .runner import StepOutcome, run_scenario

__all__ = ["Scenario", "Step", "load", "load_text", "run_scenario", "StepOutcome"]
