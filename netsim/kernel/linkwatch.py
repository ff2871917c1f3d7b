"""linkwatch: how a carrier change reaches the rest of the kernel (net/core/link_watch.c).

A driver's ``netif_carrier_on``/``off`` only flips the carrier bit, which
iproute2 shows at once (``LOWER_UP``, ``NO-CARRIER``).  The operational state
(``state UP``, ifconfig's ``RUNNING``), a route's ``linkdown`` and IPv6
autoconfiguration follow when linkwatch processes the event
(``linkwatch_do_dev``: ``rfc2863_policy``, then ``NETDEV_CHANGE`` to the
notifiers).  Linux processes an *urgent* event at once: the carrier coming on
(the device's qdisc is being activated) and any change of a device stacked on
another (a veth: its iflink is its peer).  Other events, such as a bridge
losing its last forwarding port, wait for the next full run of the queue,
which happens at most once a second (``linkwatch_nextevent``): ``docker stop``
takes the container's ``eth0`` down (an urgent event for the host-side veth,
processed in a full run), and docker0 loses its carrier in that run, so the
bridge's ``state DOWN`` and its route's ``linkdown`` show one second later.

Urgent events are processed synchronously here (the kernel's worker runs them
within microseconds); a delayed full run is one scheduler callback.  Nothing
here is on the per-packet path.
"""
from __future__ import annotations

from . import addrconf

LINKWATCH_INTERVAL = 1.0     # HZ: full runs at most once a second


class Linkwatch:
    def __init__(self, kernel):
        self.kernel = kernel
        self.nextevent = float("-inf")   # linkwatch_nextevent: no full run yet
        self.events: list = []           # lweventlist: devices with an event pending
        self.timer_at: float | None = None
        self.running = False

    # -- netif_carrier_on / netif_carrier_off ----------------------------------
    def check(self, *devs) -> None:
        """Fire an event for each of ``devs`` whose carrier changed since
        linkwatch last heard of it (a carrier change is an event only when
        the bit flips, as in ``netif_carrier_on``)."""
        for dev in devs:
            if dev is None:
                continue
            carrier = dev.netns is not None and dev.carrier
            if carrier == dev.lw_carrier:
                continue
            dev.lw_carrier = carrier
            self.fire(dev)

    def fire(self, dev) -> None:
        """``linkwatch_fire_event``."""
        if dev not in self.events:
            self.events.append(dev)
        elif not self.urgent(dev):
            return
        self._schedule()

    def forget(self, dev) -> None:
        """``linkwatch_forget_dev``: the device is being unregistered."""
        if dev in self.events:
            self.events.remove(dev)
        dev.oper_up = False

    @staticmethod
    def urgent(dev) -> bool:
        """``linkwatch_urgent_event``."""
        if not dev.up:
            return False
        if dev.kind == "veth":           # dev->ifindex != dev_get_iflink(dev)
            return True
        return dev.carrier               # carrier on: qdisc_tx_changing

    # -- the work --------------------------------------------------------------
    def _schedule(self) -> None:
        """``linkwatch_schedule_work``: urgent events now; the rest at the
        next allowed full run (now, if the last one is a second old)."""
        if self.running:
            return                       # the run in progress looks again when it ends
        now = self.kernel.sched.now
        while self.events:
            if self.nextevent <= now:
                self._run(urgent_only=False)
            elif any(self.urgent(d) for d in self.events):
                self._run(urgent_only=True)
            else:
                break
        if self.events and self.timer_at is None:
            self.timer_at = self.nextevent
            self.kernel.sched.call_later(self.nextevent - now, self._timer)

    def _timer(self) -> None:
        self.timer_at = None
        self._schedule()

    def _run(self, urgent_only: bool) -> None:
        """``__linkwatch_run_queue``."""
        if not urgent_only:
            self.nextevent = self.kernel.sched.now + LINKWATCH_INTERVAL
        self.running = True
        try:
            work, self.events = self.events, []
            for dev in work:
                if urgent_only and not self.urgent(dev):
                    self.events.append(dev)
                    continue
                self._do_dev(dev)
        finally:
            self.running = False

    def _do_dev(self, dev) -> None:
        """``linkwatch_do_dev``: the operational state follows the carrier;
        an up device's notifiers hear ``NETDEV_CHANGE``."""
        if dev.netns is None:
            return
        dev.oper_up = dev.up and dev.carrier
        if dev.up:
            addrconf.netdev_change(dev.netns, dev)
            if dev.master is not None:
                self.check(dev.master)   # br_port_carrier_check
