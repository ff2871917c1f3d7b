"""Errors, typed by category as libnetwork and the Docker API type them.

Library code raises these with the daemon's own words and never prints or
exits; ``netsim.apps.docker_cli`` turns them into what the docker CLI prints
and its exit status.
"""
from __future__ import annotations


class NetsimError(Exception):
    """Root of netsim's errors; ``str(err)`` is the daemon's message."""

    status = 500

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFound(NetsimError, LookupError):
    status = 404


class Conflict(NetsimError):
    status = 409


class InvalidParameter(NetsimError, ValueError):
    status = 400


class Forbidden(NetsimError):
    status = 403


class Unavailable(NetsimError):
    status = 503


class SystemError_(NetsimError):
    """A failure inside the daemon (HTTP 500), e.g. a failed container start."""
    status = 500


class ScenarioError(NetsimError):
    """A scenario file that cannot be read (netsim's own words)."""
