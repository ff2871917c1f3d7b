"""The event core: a simulated clock, a deterministic scheduler and processes.

It knows nothing about networks, Docker or scapy.  Everything that happens in
netsim -- a frame crossing a veth pair, an ARP timer expiring, ``ping`` waiting
one second between echo requests -- is a callback or a process scheduled here.
"""
from .core import Event, Process, Scheduler, Timeout, any_of

__all__ = ["Event", "Process", "Scheduler", "Timeout", "any_of"]
