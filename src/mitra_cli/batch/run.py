"""`mitra recommend --batch`: JSON Lines in, one result line out per input line.

The input is streamed in blocks of lines, so memory stays flat however long it
is.  A bad line (not JSON, not an object, a key given twice, invalid answers,
longer than MAX_LINE_BYTES) becomes an error line in place,
``{"schema_version": 1, "line": N, "error": "..."}``; every other line is
scored, and the caller exits 1 at the end if any line failed.  Lines follow
the rules of answers files: a key may not appear twice, and a UTF-8 byte order
mark may open the input.

The input is read in chunks of whole lines (``reading``), each line is scored
by a ``scorer.LineScorer``, and with more than one job the chunks go to
forked workers that write in the input's order (``workers``).  A person
watching stderr sees the progress the command hands in (``ProgressFactory``).
"""

from __future__ import annotations

import gc
import json
import os
import signal
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import IO, Any

import orjson

from mitra_cli.batch import workers as parallel
from mitra_cli.batch.reading import chunks
from mitra_cli.batch.scorer import LineScorer
from mitra_cli.batch.writing import Stopped, stopping_on_signals, write_lines
from mitra_cli.core.errors import AnswersError, InputFileError, MitraError, Problem
from mitra_cli.core.lang import Lang
from mitra_cli.core.recommendation import Advisor
from mitra_cli.core.schema import SCHEMA_VERSION
from mitra_cli.views.i18n import describe, message

PROGRESS_EVERY = 500  # lines between progress updates
# The longest input line read, its newline aside: an answers object is a few
# hundred bytes, and a longer line is answered with an error line and skipped.
MAX_LINE_BYTES = 4 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"  # UTF-8's byte order mark, allowed at the start of the input as in answers files

# How a run shows its progress to a person (the command hands one in, made by the
# views, or None): called with the input's size in bytes (None for a pipe), it gives a
# context manager holding a function told how far the run is (bytes read, or lines).
ProgressFactory = Callable[[int | None], AbstractContextManager[Callable[[int], None]]]


def open_input(name: str | None) -> tuple[AbstractContextManager[IO[bytes]], int | None]:
    """The binary stream to read, and its size in bytes when known (for progress)."""
    if name is None or name == "-":
        return nullcontext(sys.stdin.buffer), None
    path = Path(name).expanduser()
    if path.is_dir():
        raise InputFileError("file.is_dir", file=name)
    try:
        return path.open("rb"), path.stat().st_size
    except FileNotFoundError:
        raise InputFileError("file.missing", file=name) from None
    except OSError as exc:
        raise InputFileError("file.unreadable", file=name, reason=exc.strerror or str(exc)) from None


def score_line(scorer: LineScorer, line: bytes, number: int) -> bytes:
    """The output line for input line `number` (an error line adds one to scorer.failures)."""
    lang = scorer.lang
    try:
        try:
            raw: Any = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise MitraError("batch.not_json", detail=str(exc).split(":")[0]) from None
        if not isinstance(raw, dict):
            raise MitraError("batch.not_object")
        # orjson keeps the last of a key given twice.  Every key is followed by a
        # colon, so a line with no more colons than keys has none twice; only
        # other lines (a colon in a value, or a duplicate) are parsed again.
        if line.count(b":") > len(raw):
            key = duplicate_key(line)
            if key is not None:
                where = message("batch.line", lang, line=number)
                raise AnswersError([Problem(where, None, key, "yaml.duplicate_key", {"key": key})])
        return scorer.line(raw, number)
    except MitraError as error:
        scorer.failures += 1
        return error_line(error, number, lang)


def error_line(error: MitraError, number: int, lang: Lang) -> bytes:
    """The output line that says why input line `number` was not scored."""
    text = describe(error, lang, one_line=True)
    return orjson.dumps({"schema_version": SCHEMA_VERSION, "line": number, "error": text}) + b"\n"


def duplicate_key(line: bytes) -> str | None:
    """The first key given twice in the top-level object of the JSON text `line`, if any."""
    found: list[str | None] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: set[str] = set()
        twice = None
        for key, _ in items:
            if key in seen:
                twice = key
                break
            seen.add(key)
        found.append(twice)
        return {}  # the values are not needed

    try:
        json.loads(line, object_pairs_hook=pairs)
    except (ValueError, RecursionError):  # nested deeper than json goes: an invalid answer anyway
        return None
    return found[-1] if found else None  # objects close innermost first: the last is the top level


def too_long(limit: int) -> MitraError:
    return MitraError("batch.line_too_long", limit=f"{limit / (1024 * 1024):g} MiB")


class BatchStopped(MitraError):
    """SIGTERM or SIGHUP stopped the run: exit code 128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        super().__init__("batch.stopped", signal=signal.Signals(signum).name)
        self.exit_code = 128 + signum


def default_jobs() -> int:
    """One worker per available CPU, at most four (more only add overhead here)."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        available = os.cpu_count() or 1
    return max(1, min(available, 4))


def _output_fd() -> int | None:
    try:
        return sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return None  # an in-memory stdout (as in tests): no workers, write in-process


def run_batch(
    advisor: Advisor,
    answers_file: str | None,
    lang: Lang,
    *,
    what_if: bool,
    jobs: int,
    progress: ProgressFactory | None = None,
) -> bool:
    """Score every line of the input in order, showing `progress` if given; True if any line failed.

    SIGINT stops the run as Ctrl-C (KeyboardInterrupt, exit code 130); SIGTERM
    and SIGHUP stop it with BatchStopped (exit code 128 + the signal).  Either
    way every worker is stopped first, and every line written is whole.
    """
    stream_cm, total = open_input(answers_file)
    scorer = LineScorer(advisor, lang, what_if=what_if)
    out_fd = _output_fd()
    # Scoring makes no reference cycles, so the cyclic collector only costs
    # time here; frozen objects are also not touched (copied) in forked workers.
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        with stopping_on_signals():
            return _run(scorer, stream_cm, total, out_fd, jobs, progress)
    except Stopped as stopped:
        if stopped.signum == signal.SIGINT:
            raise KeyboardInterrupt from None
        raise BatchStopped(stopped.signum) from None
    finally:
        gc.enable()
        gc.unfreeze()


def _run(
    scorer: LineScorer,
    stream_cm: AbstractContextManager[IO[bytes]],
    total: int | None,
    out_fd: int | None,
    jobs: int,
    progress_factory: ProgressFactory | None,
) -> bool:
    limit = MAX_LINE_BYTES  # read here, so that tests may lower it

    def work(text: bytes | None, first: int) -> tuple[list[bytes], bool]:
        """The output lines for one chunk of input lines (None: line `first` was too long)."""
        if text is None:
            return [error_line(too_long(limit), first, scorer.lang)], True
        if first == 1 and text.startswith(_BOM):
            text = text[len(_BOM) :]
        failures = scorer.failures
        outputs = [score_line(scorer, line, number) for number, line in enumerate(text.split(b"\n")[:-1], first)]
        return outputs, scorer.failures != failures

    shown: AbstractContextManager[Callable[[int], None] | None] = (
        nullcontext(None) if progress_factory is None else progress_factory(total)
    )
    with stream_cm as stream, shown as show:
        progress = None if show is None else _Progress(show, total, stream)
        source = chunks(stream, limit)
        if jobs > 1 and out_fd is not None and hasattr(os, "fork"):
            try:
                return parallel.run(work, source, jobs, out_fd, progress.advance if progress else None)
            except parallel.OutputClosed:
                raise BrokenPipeError from None
            except parallel.OutputFailed as failure:
                raise MitraError("output.cannot_write", reason=str(failure)) from None
            except parallel.WorkerCrashed as crashed:
                raise MitraError("batch.worker_failed", statuses=str(crashed)) from None
            except parallel.CannotStart as failure:
                raise MitraError("batch.cannot_start", jobs=jobs, reason=str(failure)) from None
        failed = False
        if out_fd is not None:
            sys.stdout.flush()
        for first, text, count in source:
            outputs, chunk_failed = work(text, first)
            failed = failed or chunk_failed
            try:
                if out_fd is None:  # an in-memory stdout, as in tests
                    sys.stdout.buffer.writelines(outputs)
                else:
                    write_lines(out_fd, outputs)  # each line whole, even if a signal comes
            except BrokenPipeError:
                raise
            except OSError as error:  # a full disk: say so, not "bug"
                raise MitraError("output.cannot_write", reason=error.strerror or str(error)) from None
            if progress is not None:
                progress.advance(count)
        if out_fd is None:
            sys.stdout.buffer.flush()
        return failed


class _Progress:
    """Counts the lines done, and tells `show` how far the run is every PROGRESS_EVERY lines."""

    def __init__(self, show: Callable[[int], None], total: int | None, stream: IO[bytes]) -> None:
        self.show = show
        self.total = total
        self.stream = stream
        self.lines = 0
        self.shown = 0

    def advance(self, lines: int) -> None:
        self.lines += lines
        if self.lines - self.shown < PROGRESS_EVERY:
            return
        self.shown = self.lines
        # With a file, progress is measured in bytes read; from a pipe, in lines.
        self.show(self.stream.tell() if self.total is not None else self.lines)
