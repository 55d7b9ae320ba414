"""Writing results: JSON to stdout, and files written atomically.

JSON is encoded by the standard library here (one object per run: its import
is cheaper than orjson's, which only --batch needs), as UTF-8, never wrapped,
valid at any terminal width.  Files are written to a temporary file beside the target and renamed
over it only once complete, so an interrupted or failed write never leaves a
truncated file and never destroys the previous one.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Any

from mitra_cli.errors import MitraError


def dumps(value: Any, *, indent: bool = True) -> bytes:
    """JSON as UTF-8 with non-ASCII text kept as it is; indented for people, compact for scripts."""
    import json

    if indent:
        return json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8")
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_stdout_bytes(data: bytes) -> None:
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        stream.flush()
        buffer.write(data)
        buffer.flush()
    else:  # a text-only stream, as some test harnesses provide
        stream.write(data.decode("utf-8"))
        stream.flush()


def print_json(value: Any) -> None:
    """JSON on stdout: indented on a terminal, one compact line when piped (as scripts read it)."""
    isatty = getattr(sys.stdout, "isatty", None)
    write_stdout_bytes(dumps(value, indent=bool(isatty and isatty())) + b"\n")


def write_file_atomically(target: Path, data: bytes) -> None:
    """Replace `target` with `data` all at once, or raise a MitraError and change nothing."""
    shown = str(target)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise MitraError("file.no_dir", file=shown)
    if target.is_dir():
        raise MitraError("file.is_dir", file=shown)
    import tempfile

    temp_name: str | None = None
    try:
        fd, temp_name = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".part")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(temp_name, target.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp_name, 0o666 & ~umask)
        os.replace(temp_name, target)
        temp_name = None
    except OSError as exc:
        raise MitraError("file.write_failed", file=shown, reason=exc.strerror or str(exc)) from None
    finally:
        if temp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
