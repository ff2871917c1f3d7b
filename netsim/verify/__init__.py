"""Differential testing against a real Docker Engine."""
