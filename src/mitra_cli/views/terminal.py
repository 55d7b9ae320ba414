"""The one place that creates Rich consoles (imported only for people's output).

Results go to stdout, prompts and messages to stderr.  No colour or control
codes when the stream is not a terminal, when NO_COLOR is set or TERM=dumb.

The width is always given to Rich explicitly (Rich would otherwise take any
digits in COLUMNS, so COLUMNS=0 printed nothing and COLUMNS=10000000 printed
hundreds of megabytes): COLUMNS when it is a whole number above zero, else the
terminal's width, else 80; in every case kept within 20..1000 columns.
"""

from __future__ import annotations

import os
import sys
from typing import IO, TYPE_CHECKING, TextIO, cast

if TYPE_CHECKING:
    from rich.console import Console

MIN_COLUMNS = 20
MAX_COLUMNS = 1000
DEFAULT_COLUMNS = 80


def plain_wanted(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return True
    isatty = getattr(stream, "isatty", None)
    return not (isatty and isatty())


def _whole_number(text: str | None) -> int:
    """A whole number written in ASCII digits (a huge one as 10**9), else 0."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()):
        return 0
    return int(text) if len(text) <= 9 else 10**9  # never int() thousands of digits: it is clamped anyway


def clamp(columns: int) -> int:
    return max(MIN_COLUMNS, min(MAX_COLUMNS, columns))


def terminal_columns() -> int:
    """The width of the terminal on stdin, stdout or stderr (as Rich looks), else 80."""
    for fd in (0, 1, 2):
        try:
            columns = os.get_terminal_size(fd).columns
        except (OSError, ValueError):
            continue
        if columns > 0:
            return columns
    return DEFAULT_COLUMNS


def columns() -> int:
    """The width to lay text out for: a usable COLUMNS, else the terminal's; always within 20..1000."""
    return clamp(_whole_number(os.environ.get("COLUMNS")) or terminal_columns())


def sanitize_width_variables() -> None:
    """Make COLUMNS (and Typer's TERMINAL_WIDTH) usable for consoles mitra does not create (Typer's help).

    A value that is not a whole number above zero is removed (the terminal's width applies); any other is
    kept within 20..1000.
    """
    for name in ("COLUMNS", "TERMINAL_WIDTH"):
        if name not in os.environ:
            continue
        value = _whole_number(os.environ[name])
        if value:
            os.environ[name] = str(clamp(value))
        else:
            del os.environ[name]


class TrimmedLines:
    """A text stream that drops the spaces Rich pads lines with, for pipes and files.

    Whole lines are passed on without their trailing spaces; a partial line (a
    prompt) is passed on as it is when the stream is flushed.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.pending = ""

    def write(self, text: str) -> int:
        lines = (self.pending + text).split("\n")
        self.pending = lines.pop()
        if lines:
            self.stream.write("\n".join(line.rstrip(" ") for line in lines) + "\n")
        return len(text)

    def flush(self) -> None:
        if self.pending:
            self.stream.write(self.pending)
            self.pending = ""
        self.stream.flush()

    def __getattr__(self, name: str) -> object:  # isatty, fileno, encoding: the stream's own
        return getattr(self.stream, name)


def console(*, stderr: bool = False) -> Console:
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    plain = plain_wanted(stream)
    return Console(
        file=cast("IO[str]", TrimmedLines(stream)) if plain else stream,
        width=columns(),
        no_color=plain,
        color_system=None if plain else "auto",
        force_terminal=False if plain else None,
        highlight=False,
        emoji=False,
        markup=False,
    )
