"""Writing whole lines to the output, and stopping on a signal between them.

A stop signal (SIGINT, SIGTERM, SIGHUP) never cuts a line: while a group of
lines is being written it only is noted, and takes effect once the group is
out (``write_lines``).  In the parent it raises ``Stopped``
(``stopping_on_signals``); in a worker it ends the worker (see ``workers``).
"""

from __future__ import annotations

import contextlib
import os
import signal
from bisect import bisect_right
from collections.abc import Callable, Iterator
from itertools import accumulate
from typing import Any

WRITE_GROUP_BYTES = 64 * 1024  # output a stop signal may wait for, at most (or one longer line)

# The signals that stop a run.  SIGHUP does not exist on Windows (where there is no fork either).
STOP_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Stopped(BaseException):
    """A stop signal reached the parent (a BaseException, like KeyboardInterrupt: no
    `except Exception` or `except MitraError` on the way may swallow it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_IOV_MAX = 1024  # the most buffers one writev() takes on Linux


def write_all(fd: int, pieces: list[bytes]) -> None:
    """Write `pieces` in order with few system calls and without joining them."""
    start = 0
    while start < len(pieces):
        batch = pieces[start : start + _IOV_MAX]
        written = os.writev(fd, batch)
        start += len(batch)
        expected = sum(map(len, batch))
        if written < expected:  # a partial write: finish this batch piece by piece
            rest = b"".join(batch)[written:]
            while rest:
                rest = rest[os.write(fd, rest) :]


class _StopGuard:
    """What a stop signal does in this process: `act(signum)` at once, or, while
    lines are being written, as soon as the group being written is out.

    A flag checked after each group costs next to nothing (holding the
    signals with pthread_sigmask around every group cost a few percent of a
    batch).  A write that a signal interrupts goes on (PEP 475) while the
    handler only notes the signal.
    """

    def __init__(self) -> None:
        self.reset(None)

    def reset(self, act: Callable[[int], None] | None) -> None:
        self.act = act
        self.writing = False
        self.pending: int | None = None
        self.stopped = False

    def handler(self, signum: int, frame: Any) -> None:
        if self.stopped or self.act is None:
            return  # stopping already: repeats are ignored
        if self.writing:
            self.pending = signum
            return
        self.stopped = True
        self.act(signum)


stop_guard = _StopGuard()  # this process's: the parent's, or in a worker its own


def write_lines(fd: int, lines: list[bytes]) -> None:
    """Write whole `lines` in order, in groups of at most WRITE_GROUP_BYTES (or one longer line).

    A stop signal that comes while a group is written takes effect once the
    group is out: so the output ends at the end of a line, and the signal
    waits no longer than the reader takes to read a group, whatever the size
    of the chunk.
    """
    guard = stop_guard
    ends = list(accumulate(map(len, lines)))  # where each line ends in the output
    start, count, written = 0, len(lines), 0
    while start < count:
        end = max(bisect_right(ends, written + WRITE_GROUP_BYTES, start), start + 1)
        guard.writing = True
        try:
            write_all(fd, lines[start:end])
        finally:
            guard.writing = False
        if guard.pending is not None:
            guard.handler(guard.pending, None)
        start, written = end, ends[end - 1]


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold the stop signals back for the duration (they take effect as it ends).

    Where signals cannot be held, as on Windows, this does nothing.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _raise_stopped(signum: int) -> None:
    raise Stopped(signum)


@contextlib.contextmanager
def stopping_on_signals() -> Iterator[None]:
    """Inside, SIGINT, SIGTERM and SIGHUP raise Stopped, once (repeats are ignored
    while the run stops), never in the middle of write_lines.  A signal the
    process was started ignoring (as under nohup) stays ignored; the previous
    handlers come back at the end."""
    stop_guard.reset(_raise_stopped)
    previous: dict[signal.Signals, Any] = {}
    for signum in STOP_SIGNALS:
        current = signal.getsignal(signum)
        if current in (signal.SIG_DFL, signal.default_int_handler):
            try:
                signal.signal(signum, stop_guard.handler)
            except ValueError:  # not the main thread: signals are its business
                break
            previous[signum] = current
    try:
        yield
    finally:
        for stopper, handler in previous.items():
            signal.signal(stopper, handler)
        stop_guard.reset(None)
