"""Ordered parallel processing of line chunks, in forked worker processes.

The parent reads the input and deals it out in chunks of lines, round robin,
to N workers forked after the rules are compiled (so they share them, copy on
write).  Each worker turns its chunk into output bytes, then waits for its
turn, writes straight to the output descriptor and passes the turn to the next
worker: a token ring, so output keeps the input's order while the work runs
side by side.  Pipes bound every buffer, so memory stays flat.

A worker's exit status says how it ended: 0 all lines good, 1 some lines
failed (reported in place), others a failure of the run itself.
"""

from __future__ import annotations

import contextlib
import os
import signal
import struct
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import IO

CHUNK_BYTES = 64 * 1024  # a few hundred answer lines per chunk
_HEADER = struct.Struct("!QQ")  # first line number, byte length
STATUS_OK, STATUS_FAILED_LINES, STATUS_RING_BROKEN, STATUS_OUTPUT_CLOSED, STATUS_CANCELLED, STATUS_CRASHED = 0, 1, 3, 4, 130, 70

# chunk text, number of its first line -> (output pieces, any line failed)
ChunkWorker = Callable[[bytes, int], tuple[list[bytes], bool]]


class OutputClosed(Exception):
    """The reader of the output went away (for example `| head`)."""


class WorkerCrashed(Exception):
    """A worker ended in a way that is not a result: a bug, reported on stderr."""


def chunks(stream: IO[bytes], block: int = CHUNK_BYTES) -> Iterator[tuple[int, bytes, int]]:
    """(first line number, text, line count) for each block of whole lines.

    Blocks are cut at the last newline of each read, so the parent never
    looks at single lines; a last line without a newline gets one.
    """
    first = 1
    rest = b""
    while True:
        data = stream.read(block)
        if not data:
            break
        data = rest + data
        cut = data.rfind(b"\n") + 1
        if cut == 0:
            rest = data
            continue
        text, rest = data[:cut], data[cut:]
        count = text.count(b"\n")
        yield first, text, count
        first += count
    if rest:
        yield first, rest + b"\n", 1


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


def _read_exact(reader: IO[bytes], size: int) -> bytes:
    data = reader.read(size)
    return data if data is not None else b""


def _worker(work: ChunkWorker, inbox: int, my_turn: int, next_turn: int, out_fd: int) -> int:
    failed = False
    reader = os.fdopen(inbox, "rb")
    while True:
        header = _read_exact(reader, _HEADER.size)
        if len(header) < _HEADER.size:
            return STATUS_FAILED_LINES if failed else STATUS_OK
        first, length = _HEADER.unpack(header)
        output, chunk_failed = work(_read_exact(reader, length), first)
        failed = failed or chunk_failed
        if not os.read(my_turn, 1):
            return STATUS_RING_BROKEN  # the previous worker died; stop quietly
        try:
            write_all(out_fd, output)
        except BrokenPipeError:
            return STATUS_OUTPUT_CLOSED
        with contextlib.suppress(BrokenPipeError):  # the next worker has finished: nothing follows
            os.write(next_turn, b"t")


def run(
    work: ChunkWorker,
    source: Iterable[tuple[int, bytes, int]],
    jobs: int,
    out_fd: int,
    on_chunk: Callable[[int], None] | None = None,
) -> bool:
    """Process every chunk of `source` in `jobs` workers; True if any line failed."""
    sys.stdout.flush()
    sys.stderr.flush()
    inboxes = [os.pipe() for _ in range(jobs)]
    turns = [os.pipe() for _ in range(jobs)]
    os.write(turns[0][1], b"t")  # the first chunk's worker may write at once
    pids = []
    for index in range(jobs):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child; covered through the CLI tests
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            keep = {inboxes[index][0], turns[index][0], turns[(index + 1) % jobs][1], out_fd, 2}
            for pair in inboxes + turns:
                for fd in pair:
                    if fd not in keep:
                        os.close(fd)
            try:
                status = _worker(work, inboxes[index][0], turns[index][0], turns[(index + 1) % jobs][1], out_fd)
            except BaseException as error:
                sys.stderr.write(f"mitra: batch worker failed: {type(error).__name__}: {error}\n")
                sys.stderr.flush()
                status = STATUS_CRASHED
            os._exit(status)
        pids.append(pid)
    for read_end, _ in inboxes:
        os.close(read_end)
    for pair in turns:
        for fd in pair:
            os.close(fd)
    writers = [os.fdopen(write_end, "wb") for _, write_end in inboxes]
    closed = False
    try:
        try:
            for number, (first, text, count) in enumerate(source):
                writer = writers[number % jobs]
                try:
                    writer.write(_HEADER.pack(first, len(text)))
                    writer.write(text)
                except BrokenPipeError:
                    closed = True
                    break
                if on_chunk is not None:
                    on_chunk(count)
        finally:
            for writer in writers:
                try:
                    writer.close()
                except BrokenPipeError:
                    closed = True
        statuses = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
    except BaseException:  # Ctrl-C or an error here: no worker may outlive the command
        for pid in pids:
            _kill(pid)
        raise
    if STATUS_OUTPUT_CLOSED in statuses:
        raise OutputClosed
    if any(status not in (STATUS_OK, STATUS_FAILED_LINES) for status in statuses) or closed:
        # A worker that died broke the ring (its successors stop) and the pipe to it.
        raise WorkerCrashed(statuses)
    return STATUS_FAILED_LINES in statuses


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
