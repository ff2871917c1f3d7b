"""Scheduler, events and generator processes (a small SimPy-like core).

The queue is a heap of ``(time, sequence, callback, args)``: the sequence number
breaks ties in scheduling order, so a run is deterministic by construction.
SimPy was measured against this core in ``bench/bench_event_core.py``; the
simulator schedules one callback per frame hop, and SimPy's per-event overhead
made it the bottleneck of the 1,000-container benchmark (see README), so the
core keeps SimPy's model (events, processes yielding events) in a few lines.

A *process* is a generator.  It may yield:

- a number: sleep that many simulated seconds;
- an :class:`Event`: wait until it is triggered; ``yield`` returns its value.
"""
from __future__ import annotations

import heapq
from itertools import count
from typing import Any, Callable, Generator, Iterable

_PENDING = object()
_push, _pop = heapq.heappush, heapq.heappop


class Event:
    """Something that will happen once; callbacks run when it is triggered."""

    __slots__ = ("sched", "value", "callbacks")

    def __init__(self, sched: "Scheduler"):
        self.sched = sched
        self.value: Any = _PENDING
        self.callbacks: list[Callable[["Event"], None]] | None = []

    @property
    def triggered(self) -> bool:
        return self.value is not _PENDING

    def succeed(self, value: Any = None) -> "Event":
        """Trigger the event now; waiting processes resume in FIFO order."""
        if self.value is not _PENDING:
            return self
        self.value = value
        callbacks, self.callbacks = self.callbacks, None
        if callbacks:
            # call_soon(cb, self) for each, inlined (one per wake-up of a process)
            sched = self.sched
            for cb in callbacks:
                _push(sched._queue, (sched.now, next(sched._seq), cb, (self,)))
        return self

    def add_callback(self, cb: Callable[["Event"], None]) -> None:
        if self.callbacks is None:
            self.sched.call_soon(cb, self)
        else:
            self.callbacks.append(cb)


class Timeout(Event):
    """An event that triggers itself ``delay`` simulated seconds from now."""

    __slots__ = ()

    def __init__(self, sched: "Scheduler", delay: float, value: Any = None):
        super().__init__(sched)
        sched.call_later(delay, self.succeed, value)


def any_of(sched: "Scheduler", events: Iterable[Event]) -> Event:
    """An event triggered by the first of ``events``; its value is that event."""
    first = Event(sched)
    for ev in events:
        ev.add_callback(first.succeed)
    return first


class Process(Event):
    """Runs a generator; the process is itself an event triggered on return."""

    __slots__ = ("gen", "name", "frozen", "_held")

    def __init__(self, sched: "Scheduler", gen: Generator, name: str = ""):
        super().__init__(sched)
        self.gen = gen
        self.name = name
        self.frozen = False
        self._held: list = []
        sched.call_soon(self._resume, None)

    def freeze(self) -> None:
        """The cgroup freezer: the process stops running; what it waited for
        is kept and delivered when it is thawed."""
        self.frozen = True

    def thaw(self) -> None:
        self.frozen = False
        held, self._held = self._held, []
        for trigger in held:
            self.sched.call_soon(self._resume, trigger)

    def _resume(self, trigger: Any) -> None:
        if self.frozen:
            self._held.append(trigger)
            return
        value = trigger.value if isinstance(trigger, Event) else trigger
        try:
            target = self.gen.send(value)
        except StopIteration as stop:
            self.succeed(stop.value)
            return
        if isinstance(target, Event):
            callbacks = target.callbacks       # add_callback, inlined for a pending event
            if callbacks is not None:
                callbacks.append(self._resume)
            else:
                target.add_callback(self._resume)
        else:
            self.sched.call_later(float(target or 0), self._resume, None)

    def kill(self) -> None:
        """Stop the process (a signal ending a program); it triggers with None."""
        if not self.triggered:
            self.gen.close()
            self.succeed(None)


def _fire(handle: list) -> None:
    """A cancellable timer's event (:meth:`Scheduler.timer`): its call,
    unless the timer was cancelled (its handle emptied)."""
    if handle:
        fn, args = handle
        handle.clear()
        fn(*args)


class Scheduler:
    """The simulated clock and the event queue."""

    # Cancelled timers stay queued (a heap cannot give up an entry cheaply)
    # until this many were cancelled since the last clean-up and they may
    # be half the queue: then the queue is rebuilt without those that
    # cannot matter (see _drop_cancelled).
    CANCELLED_BEFORE_CLEANUP = 256

    def __init__(self) -> None:
        self.now = 0.0
        self._queue: list = []
        self._seq = count()
        self.events_run = 0
        self._cancelled = 0

    def call_at(self, when: float, fn: Callable, *args: Any) -> None:
        _push(self._queue, (when, next(self._seq), fn, args))

    def call_later(self, delay: float, fn: Callable, *args: Any) -> None:
        _push(self._queue, (self.now + delay, next(self._seq), fn, args))

    def call_soon(self, fn: Callable, *args: Any) -> None:
        _push(self._queue, (self.now, next(self._seq), fn, args))

    def timer(self, delay: float, fn: Callable, *args: Any) -> list:
        """``call_later`` that can be cancelled: returns its handle, which
        stays non-empty until the call runs or :meth:`cancel` empties it."""
        handle = [fn, args]
        _push(self._queue, (self.now + delay, next(self._seq), _fire, (handle,)))
        return handle

    def cancel(self, handle: list) -> None:
        """Cancel a :meth:`timer` whose call has not run yet."""
        if handle:
            handle.clear()
            self._cancelled += 1
            if self._cancelled > self.CANCELLED_BEFORE_CLEANUP and 2 * self._cancelled > len(self._queue):
                self._drop_cancelled()

    def _drop_cancelled(self) -> None:
        """Take cancelled timers out of the queue, all but those queued after
        its last live event: running a cancelled timer does nothing but set
        the clock to its time, which the next event sets again, so only a
        cancelled timer left last could be seen (a run that empties the
        queue stops the clock at the last event it ran).  The order of the
        other events is their (time, sequence) order, whatever the layout."""
        queue = self._queue
        live = [e for e in queue if e[2] is not _fire or e[3][0]]
        self._cancelled = 0
        if len(live) == len(queue):
            return
        if live:
            last = max(live)
            live += [e for e in queue if e[2] is _fire and not e[3][0] and e > last]
            queue[:] = live
            heapq.heapify(queue)

    def event(self) -> Event:
        return Event(self)

    def timeout(self, delay: float, value: Any = None) -> Timeout:
        return Timeout(self, delay, value)

    def process(self, gen: Generator, name: str = "") -> Process:
        return Process(self, gen, name)

    def run(self, until: float | Event | None = None, limit: float | None = None) -> None:
        """Run events until the queue is empty, a time, or an event triggers.

        ``limit`` bounds simulated time when waiting for an event, so a program
        that never ends (``nc -l``) cannot hang the simulator.
        """
        queue = self._queue
        pop = _pop
        stop_time = until if isinstance(until, (int, float)) else limit
        stop_event = until if isinstance(until, Event) else None
        if stop_time is None:
            stop_time = float("inf")
        ran = 0
        try:
            if stop_event is None:
                while queue:
                    if queue[0][0] > stop_time:
                        self.now = stop_time
                        return
                    when, _, fn, args = pop(queue)
                    self.now = when
                    ran += 1
                    fn(*args)
                if stop_time != float("inf"):
                    self.now = max(self.now, stop_time)
            else:                      # the same loop, until the event is triggered
                while queue:
                    if stop_event.value is not _PENDING:
                        return
                    if queue[0][0] > stop_time:
                        self.now = stop_time
                        return
                    when, _, fn, args = pop(queue)
                    self.now = when
                    ran += 1
                    fn(*args)
        finally:
            self.events_run += ran

    def peek(self) -> float | None:
        return self._queue[0][0] if self._queue else None
