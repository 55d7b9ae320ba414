"""`mitra recommend --batch`: JSON Lines in, one result line out per input line.

The input is streamed line by line, so memory stays flat however long it is.
A bad line (not JSON, not an object, invalid answers) becomes an error line
in place, ``{"schema_version": 1, "line": N, "error": "..."}``; every other
line is scored, and the caller exits 1 at the end if any line failed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import IO, Any

import orjson

from mitra_cli.advisor import SCHEMA_VERSION, Advisor
from mitra_cli.errors import InputFileError, MitraError, ProblemsError
from mitra_cli.i18n import Lang, message

PROGRESS_EVERY = 500  # lines between progress-bar updates


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


def score_lines(advisor: Advisor, lines: Iterator[bytes], lang: Lang, *, what_if: bool) -> Iterator[tuple[bytes, bool]]:
    """(output line, ok) for every input line, in order."""
    checker = advisor.checker
    for number, line in enumerate(lines, start=1):
        try:
            try:
                raw: Any = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise MitraError("batch.not_json", detail=str(exc).split(":")[0]) from None
            if not isinstance(raw, dict):
                raise MitraError("batch.not_object")
            source = message("batch.line", lang, line=number)
            answers = advisor.complete(checker.check(raw, source=source), source=source)
            yield orjson.dumps(advisor.result(answers, lang, what_if=what_if, fragments=True)) + b"\n", True
        except MitraError as error:
            text = error.render_problems(lang) if isinstance(error, ProblemsError) else error.render(lang)
            failure = {"schema_version": SCHEMA_VERSION, "line": number, "error": text}
            yield orjson.dumps(failure) + b"\n", False


def run_batch(advisor: Advisor, answers_file: str | None, lang: Lang, *, what_if: bool) -> int:
    """Score every line of the input; returns how many lines failed."""
    stream_cm, total = open_input(answers_file)
    out = sys.stdout.buffer
    failures = 0
    with stream_cm as stream, _Progress(total) as advance:
        for output, ok in score_lines(advisor, stream, lang, what_if=what_if):
            out.write(output)
            failures += not ok
            if advance is not None:
                advance(stream)
        out.flush()
    return failures


class _Progress(AbstractContextManager["Any"]):
    """A Rich progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, total: int | None) -> None:
        self.total = total
        self.count = 0
        self.bar: Any = None

    def __enter__(self) -> Any:
        from mitra_cli.terminal import console, plain_wanted

        if plain_wanted(sys.stderr) or not sys.stderr.isatty():
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        columns: list[Any] = [TextColumn("mitra --batch"), BarColumn(), TimeElapsedColumn()]
        if self.total is None:
            columns.insert(2, MofNCompleteColumn())
        self.bar = Progress(*columns, console=console(stderr=True), transient=True)
        self.bar.start()
        self.task = self.bar.add_task("batch", total=self.total)
        return self.advance

    def advance(self, stream: IO[bytes]) -> None:
        self.count += 1
        if self.count % PROGRESS_EVERY:
            return
        # With a file, progress is measured in bytes read; from a pipe, in lines.
        self.bar.update(self.task, completed=stream.tell() if self.total is not None else self.count)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
