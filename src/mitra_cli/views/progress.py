"""The `--batch` progress bar: Rich, on stderr, only for a person watching.

``for_stderr`` gives ``run_batch`` its progress display when stderr is a
terminal (and TERM is not dumb), else None: logs and pipes get no bar, and
Rich is loaded only when a bar is shown.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from mitra_cli.views.terminal import console


def for_stderr() -> Callable[[int | None], AbstractContextManager[Callable[[int], None]]] | None:
    """The progress bar if stderr is a terminal, else None."""
    if os.environ.get("TERM") == "dumb" or not sys.stderr.isatty():
        return None
    return progress_bar


@contextmanager
def progress_bar(total: int | None) -> Iterator[Callable[[int], None]]:
    """A bar on stderr while the run lasts (gone at the end), told how far the run is.

    With a `total` (the input's size in bytes) it is told the bytes read; without
    one (a pipe), the lines done, which it counts out.
    """
    # Deferred: Rich is a heavy import, needed only when a bar is shown.
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns: list[Any] = [TextColumn("mitra --batch"), BarColumn(), TimeElapsedColumn()]
    if total is None:
        columns.insert(2, MofNCompleteColumn())
    bar = Progress(*columns, console=console(stderr=True), transient=True)
    bar.start()
    try:
        task = bar.add_task("batch", total=total)
        yield lambda completed: bar.update(task, completed=completed)
    finally:
        bar.stop()
