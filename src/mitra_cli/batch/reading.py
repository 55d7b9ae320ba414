"""Reading the batch input in chunks of whole lines, in bounded memory.

The parent never looks at single lines: it reads blocks, cuts them at their
last newline and hands the whole lines on as one chunk (numbered by their
first line).  A line longer than the limit is dropped as it is read and
comes alone, without its text, so that it is answered with an error line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

CHUNK_BYTES = 64 * 1024  # a few hundred answer lines per chunk

# (number of the first line, its text: whole lines, each ending in a newline; or None for
# one line longer than the limit, which was not kept, and line count)
Chunk = tuple[int, bytes | None, int]


def chunks(stream: IO[bytes], max_line: int, block: int = CHUNK_BYTES) -> Iterator[Chunk]:
    """(first line number, text, line count) for each block of whole lines.

    Blocks are cut at the last newline of each read, so the parent never
    looks at single lines; a last line without a newline gets one.  A line
    longer than `max_line` bytes (its newline aside) is not kept: it comes
    alone as (its number, None, 1) as soon as it is known to be too long, and
    the rest of it is read and dropped up to its newline.  So memory stays
    within `max_line` + `block` bytes whatever the input, even one endless
    line; and the start of an unfinished line is kept in pieces, joined once,
    so a long line costs linear time.
    """
    read = getattr(stream, "read1", stream.read)  # what has arrived: a pipe is not waited on to fill a block
    first = 1
    head: list[bytes] = []  # the unfinished line at the end of what was read so far, in pieces
    size = 0  # its length in bytes
    skipping = False  # inside a line over the limit: its bytes are dropped up to its newline
    while data := read(block):
        if skipping:
            end = data.find(b"\n")
            if end < 0:
                continue
            skipping = False
            data = data[end + 1 :]
        cut = data.rfind(b"\n") + 1
        if cut == 0:
            if size + len(data) > max_line:
                yield first, None, 1
                first += 1
                head, size, skipping = [], 0, True
            elif data:
                head.append(data)
                size += len(data)
            continue
        if head:
            head.append(data[:cut])
            text = b"".join(head)
        else:
            text = data[:cut]
        if len(text) > max_line + 1:  # some line in it may be over the limit
            for chunk in _apart(text, first, max_line):
                yield chunk
                first += chunk[2]
        else:
            count = text.count(b"\n")
            yield first, text, count
            first += count
        rest = data[cut:]
        head, size = ([rest] if rest else []), len(rest)
        if size > max_line:  # only when a block is larger than the limit
            yield first, None, 1
            first += 1
            head, size, skipping = [], 0, True
    if head:
        yield first, b"".join(head) + b"\n", 1


def _apart(text: bytes, first: int, max_line: int) -> Iterator[Chunk]:
    """Whole lines `text` as chunks, each line over `max_line` alone and without its text."""
    start = 0  # where the current chunk of good lines starts
    start_number = number = first
    position = 0
    while position < len(text):
        end = text.index(b"\n", position)
        if end - position > max_line:
            if number > start_number:
                yield start_number, text[start:position], number - start_number
            yield number, None, 1
            start, start_number = end + 1, number + 1
        number += 1
        position = end + 1
    if number > start_number:
        yield start_number, text[start:], number - start_number
