"""Ordered parallel processing of line chunks, in forked worker processes.

The parent reads the input and deals it out in chunks of lines, round robin,
to N workers forked after the rules are compiled (so they share them, copy on
write).  Each worker turns its chunk into output bytes, then waits for its
turn, writes straight to the output descriptor and passes the turn to the next
worker: a token ring, so output keeps the input's order while the work runs
side by side.  Pipes bound every buffer, so memory stays flat.

A worker's exit status says how it ended: 0 all lines good, 1 some lines
failed (reported in place), others a failure of the run itself.

Stopping: SIGINT, SIGTERM and SIGHUP raise ``Stopped`` in the parent (see
``writing.stopping_on_signals``), which stops and reaps every worker before it
goes on.  Workers die of those signals, never in the middle of a line (a signal
that comes while a group of lines is written waits for the group: every line
written is whole), and die with their parent: on Linux the kernel sends them
SIGTERM when it dies, and everywhere a worker checks that its parent is still
there before it writes.
"""

from __future__ import annotations

import contextlib
import os
import signal
import struct
import sys
import time
from collections.abc import Callable, Iterable
from typing import IO

from mitra_cli.batch.reading import Chunk
from mitra_cli.batch.writing import STOP_SIGNALS, signals_held, stop_guard, write_all, write_lines

_HEADER = struct.Struct("!QQ")  # first line number, byte length (or _OVERLONG)
_OVERLONG = 2**64 - 1  # in place of a length: the line was over the limit, and no text follows
STATUS_OK, STATUS_FAILED_LINES, STATUS_RING_BROKEN, STATUS_OUTPUT_CLOSED, STATUS_CANCELLED, STATUS_CRASHED = 0, 1, 3, 4, 130, 70
STATUS_PARENT_GONE = 5  # the parent died (or cut a chunk short): nothing more is written
# The output could not be written (a full disk): the run stops. The status carries
# the error number (200 + errno, 255 when it does not fit) so the parent can say why.
STATUS_WRITE_FAILED = 200
STOP_GRACE = 2.0  # seconds a worker may take to finish the group of lines it is writing once told to stop
# chunk text (None: line `first` was over the limit), number of its first line -> (output lines, any line failed)
ChunkWorker = Callable[[bytes | None, int], tuple[list[bytes], bool]]


class OutputClosed(Exception):
    """The reader of the output went away (for example `| head`)."""


class OutputFailed(Exception):
    """The output could not be written (for example a full disk); the reason is the message."""


class WorkerCrashed(Exception):
    """A worker ended in a way that is not a result: a bug, reported on stderr."""


class CannotStart(Exception):
    """The workers could not be started (no pipes or processes left: a limit of the system)."""


def _read_exact(reader: IO[bytes], size: int) -> bytes:
    data = reader.read(size)
    return data if data is not None else b""


def _worker(work: ChunkWorker, inbox: int, my_turn: int, next_turn: int, out_fd: int, parent: int) -> int:
    failed = False
    reader = os.fdopen(inbox, "rb")
    while True:
        header = _read_exact(reader, _HEADER.size)
        if len(header) < _HEADER.size:
            return STATUS_FAILED_LINES if failed else STATUS_OK
        first, length = _HEADER.unpack(header)
        text = None if length == _OVERLONG else _read_exact(reader, length)
        if text is not None and len(text) < length:
            return STATUS_PARENT_GONE  # the parent died while sending this chunk
        output, chunk_failed = work(text, first)
        failed = failed or chunk_failed
        if not os.read(my_turn, 1):
            return STATUS_RING_BROKEN  # the previous worker died; stop quietly
        if os.getppid() != parent:
            return STATUS_PARENT_GONE  # nobody is left to answer to: write nothing more
        try:
            write_lines(out_fd, output)
        except BrokenPipeError:
            return STATUS_OUTPUT_CLOSED
        except OSError as error:
            number = error.errno or 55
            return STATUS_WRITE_FAILED + number if number < 55 else 255
        with contextlib.suppress(BrokenPipeError):  # the next worker has finished: nothing follows
            os.write(next_turn, b"t")


def _die(signum: int) -> None:  # pragma: no cover - runs in the child
    """End this worker by `signum`, as the signal itself would have."""
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)
    os._exit(128 + signum)


def _die_with_parent(parent: int) -> None:
    """Have the kernel send this worker SIGTERM when its parent dies (Linux); the
    check of the parent's pid before every write covers the rest."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes  # deferred: only Linux workers need it, and it loads libffi

            pr_set_pdeathsig = 1
            unsigned = ctypes.c_ulong  # prctl() takes unsigned longs after the option
            ctypes.CDLL(None, use_errno=True).prctl(
                pr_set_pdeathsig, unsigned(signal.SIGTERM), unsigned(0), unsigned(0), unsigned(0)
            )
        except (OSError, AttributeError):  # pragma: no cover - no usable libc
            pass
    if os.getppid() != parent:  # it died before the guard was set
        os._exit(STATUS_PARENT_GONE)


def _start_worker(
    work: ChunkWorker,
    index: int,
    inboxes: list[tuple[int, int]],
    turns: list[tuple[int, int]],
    out_fd: int,
    parent: int,
    mask: set[int | signal.Signals],
) -> None:  # pragma: no cover - runs in the child; covered through the CLI tests
    """In the child just forked: set up, work, and leave (never returns)."""
    # The parent's handlers raise Stopped: here a stop signal ends the worker, once the group of
    # lines it may be writing is out.  SIGINT and SIGHUP stay ignored if the parent started so.
    stop_guard.reset(_die)
    for signum in STOP_SIGNALS:
        if signum == signal.SIGTERM or signal.getsignal(signum) != signal.SIG_IGN:
            signal.signal(signum, stop_guard.handler)
    _die_with_parent(parent)
    jobs = len(inboxes)
    keep = {inboxes[index][0], turns[index][0], turns[(index + 1) % jobs][1], out_fd, 2}
    for pair in inboxes + turns:
        for fd in pair:
            if fd not in keep:
                os.close(fd)
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # held since before the fork
        status = _worker(work, inboxes[index][0], turns[index][0], turns[(index + 1) % jobs][1], out_fd, parent)
    except BaseException as error:
        sys.stderr.write(f"mitra: batch worker failed: {type(error).__name__}: {error}\n")
        sys.stderr.flush()
        status = STATUS_CRASHED
    os._exit(status)


def run(
    work: ChunkWorker,
    source: Iterable[Chunk],
    jobs: int,
    out_fd: int,
    on_chunk: Callable[[int], None] | None = None,
) -> bool:
    """Process every chunk of `source` in `jobs` workers; True if any line failed."""
    sys.stdout.flush()
    sys.stderr.flush()
    pipes: list[tuple[int, int]] = []
    try:
        for _ in range(2 * jobs):
            pipes.append(os.pipe())
    except OSError as error:  # too many open files (ulimit -n)
        _close(fd for pair in pipes for fd in pair)
        raise CannotStart(error.strerror or str(error)) from None
    inboxes, turns = pipes[:jobs], pipes[jobs:]
    os.write(turns[0][1], b"t")  # the first chunk's worker may write at once
    parent = os.getpid()
    pids: list[int] = []
    open_fds = {fd for pair in pipes for fd in pair}
    closed = False
    try:
        # A signal during the forks could reach a child before it has its own
        # handlers, or leave a worker unrecorded: hold them until all are started.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            for index in range(jobs):
                try:
                    pid = os.fork()
                except OSError as error:  # no processes left (ulimit -u)
                    raise CannotStart(error.strerror or str(error)) from None
                if pid == 0:  # pragma: no cover - the child
                    _start_worker(work, index, inboxes, turns, out_fd, parent, mask)
                pids.append(pid)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a signal held meanwhile raises Stopped here
        keep = {write_end for _, write_end in inboxes}
        _close(open_fds - keep)
        open_fds &= keep
        for number, (first, text, count) in enumerate(source):
            fd = inboxes[number % jobs][1]
            try:
                if text is None:
                    write_all(fd, [_HEADER.pack(first, _OVERLONG)])
                else:
                    write_all(fd, [_HEADER.pack(first, len(text)), text])
            except BrokenPipeError:
                closed = True
                break
            if on_chunk is not None:
                on_chunk(count)
        _close(open_fds)  # the workers see the end of their input
        open_fds.clear()
        statuses = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
    except BaseException:  # a signal, Ctrl-C or an error here: no worker may outlive the command
        _stop(pids)
        _close(open_fds)
        raise
    if STATUS_OUTPUT_CLOSED in statuses:
        raise OutputClosed
    failed_writes = [status for status in statuses if status >= STATUS_WRITE_FAILED]
    if failed_writes:
        number = failed_writes[0] - STATUS_WRITE_FAILED
        raise OutputFailed(os.strerror(number) if number < 55 else "output error")
    if any(status not in (STATUS_OK, STATUS_FAILED_LINES) for status in statuses) or closed:
        # A worker that died broke the ring (its successors stop) and the pipe to it.
        raise WorkerCrashed(statuses)
    return STATUS_FAILED_LINES in statuses


def _close(fds: Iterable[int]) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)


def _stop(pids: list[int]) -> None:
    """Stop and reap every worker: SIGTERM, which a worker obeys once the write it
    is in is done; SIGKILL for any still there after STOP_GRACE (its output
    is not being read).  Further signals wait until all are gone."""
    with signals_held():
        waiting = []
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            waiting.append(pid)
        deadline = time.monotonic() + STOP_GRACE
        while waiting:
            still = []
            for pid in waiting:
                try:
                    done, _ = os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:  # already reaped
                    continue
                if not done:
                    still.append(pid)
            waiting = still
            if waiting and time.monotonic() > deadline:
                for pid in waiting:
                    with contextlib.suppress(ProcessLookupError, ChildProcessError):
                        os.kill(pid, signal.SIGKILL)
                        os.waitpid(pid, 0)
                break
            if waiting:
                time.sleep(0.005)
