"""Writing results: JSON to stdout, the standard streams, and files written atomically.

JSON is encoded by the standard library here (one object per run: its import
is cheaper than orjson's, which only --batch needs), as UTF-8, never wrapped,
valid at any terminal width.

The standard streams are made safe once, by ``prepare_streams`` (called by the
`mitra` command before anything else): a closed descriptor is held open on
/dev/null so no file mitra opens can take its number, a write to stdout that
fails (a full disk, a closed stream) becomes one plain message and exit code
1, and text for people falls back to ASCII when the output's encoding cannot
carry it.  A reader that went away (`mitra ... | head`) is not an error.

Files are written atomically (``mitra_cli.ruledata.files.write_atomically``:
a temporary file beside the target, renamed over it only once complete, so an
interrupted or failed write never leaves a truncated file and never destroys
the previous one).  Only regular files are written: a device, a FIFO or a
socket is refused, never replaced (and never opened, so a FIFO without a
reader cannot hang mitra).  A symbolic link to a regular file is
written through: the file it points to is replaced atomically in its own
folder and the link stays as it was.  An existing file keeps its permissions
(and, where the system allows, its owner and group); a new file gets
0o666 minus the umask.  ``-`` stands for standard output.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import io
import os
import stat
import sys
from pathlib import Path
from typing import Any

from mitra_cli.core.errors import MitraError
from mitra_cli.ruledata.files import write_atomically

STDOUT_NAME = "-"


def dumps(value: Any, *, indent: bool = True) -> bytes:
    """JSON as UTF-8 with non-ASCII text kept as it is; indented for people, compact for scripts."""
    import json

    if indent:
        return json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8")
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_stdout_bytes(data: bytes) -> None:
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    try:
        if buffer is not None:
            stream.flush()
            buffer.write(data)
            buffer.flush()
        else:  # a text-only stream, as some test harnesses provide
            stream.write(data.decode("utf-8"))
            stream.flush()
    except (BrokenPipeError, BlockingIOError):
        raise
    except OSError as exc:
        raise MitraError("output.cannot_write", reason=exc.strerror or str(exc)) from None


def print_json(value: Any) -> None:
    """JSON on stdout: indented on a terminal, one compact line when piped (as scripts read it)."""
    isatty = getattr(sys.stdout, "isatty", None)
    write_stdout_bytes(dumps(value, indent=bool(isatty and isatty())) + b"\n")


# -- the standard streams --------------------------------------------------------

ASCII_FALLBACK = "mitra-ascii"
# Characters mitra's own texts and tables use, and what an ASCII-only output shows instead.
_ASCII_FOR = {
    "\u2013": "-",  # en dash
    "\u2014": "--",  # em dash
    "\u2212": "-",  # minus
    "\u2264": "<=",
    "\u2265": ">=",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2022": "*",  # bullet
    "\u2026": "...",
    "\u00b7": ".",  # middle dot
    "\u00d7": "x",
    "\u00a0": " ",
    "\u2192": "->",
    "\u2190": "<-",
    "\u25b3": "^",  # triangle
    "\u2588": "#",  # full block (bars)
    "\u2591": ".",  # light shade (bars)
    "\u2592": ":",
    "\u2593": "#",
    "\u2500": "-",
    "\u2501": "=",
    "\u2502": "|",
    "\u2503": "|",
}
_SAMPLE = "".join(_ASCII_FOR)  # what the output's encoding must carry for mitra to leave it alone
_state = {"reader_gone": False}


def _ascii_fallback(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: a readable ASCII stand-in for each character the output cannot carry."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    import unicodedata

    out = []
    for char in error.object[error.start : error.end]:
        known = _ASCII_FOR.get(char)
        if known is None:  # é -> e; anything without an ASCII skeleton -> ?
            known = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii") or "?"
        out.append(known)
    return "".join(out), error.end


codecs.register_error(ASCII_FALLBACK, _ascii_fallback)


def can_carry_text(encoding: str | None) -> bool:
    """Whether text in `encoding` can hold the dashes, quotes, bars and lines mitra prints."""
    try:
        _SAMPLE.encode(encoding or "ascii")
    except (UnicodeError, LookupError):
        return False
    return True


class _Stdout(io.FileIO):
    """Standard output's descriptor: a failed write is mitra's error, a reader that went away is noted."""

    def write(self, data: Any) -> int:
        try:
            return super().write(data)
        except BrokenPipeError:
            _state["reader_gone"] = True
            raise
        except BlockingIOError:
            raise
        except OSError as exc:
            raise MitraError("output.cannot_write", reason=exc.strerror or str(exc)) from None


class _Closed(io.RawIOBase):
    """A standard stream that was closed when mitra started: using it is an error, raised at once."""

    def __init__(self, *, reading: bool) -> None:
        super().__init__()
        self.reading = reading

    def _fail(self) -> MitraError:
        return MitraError("input.cannot_read" if self.reading else "output.cannot_write", reason=os.strerror(errno.EBADF))

    def readable(self) -> bool:
        return self.reading

    def writable(self) -> bool:
        return not self.reading

    def readinto(self, buffer: Any) -> int:
        raise self._fail()

    def write(self, data: Any) -> int:
        raise self._fail()

    def fileno(self) -> int:
        raise io.UnsupportedOperation("closed when mitra started")


def _hold_open(fd: int) -> bool:
    """Put /dev/null on `fd` if it is closed (so no file mitra opens takes its number); True if it was closed."""
    try:
        os.fstat(fd)
        return False
    except OSError:
        null = os.open(os.devnull, os.O_RDWR)
        if null != fd:
            os.dup2(null, fd)
            os.close(null)
        return True


def prepare_streams() -> None:
    """Make stdin, stdout and stderr safe for the rest of the run (the `mitra` command calls this first)."""
    closed = [_hold_open(fd) for fd in (0, 1, 2)]
    if closed[0] or sys.stdin is None:
        sys.stdin = io.TextIOWrapper(io.BufferedReader(_Closed(reading=True)), encoding="utf-8")
    if closed[2] or sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    elif not can_carry_text(sys.stderr.encoding) and isinstance(sys.stderr, io.TextIOWrapper):
        sys.stderr.reconfigure(errors=ASCII_FALLBACK)
    old = sys.stdout
    if old is not None and not closed[1] and not isinstance(old, io.TextIOWrapper):
        return  # not a real file (embedded): leave it
    encoding = getattr(old, "encoding", None) or "utf-8"
    errors = getattr(old, "errors", None) or "strict"
    if not can_carry_text(encoding):
        errors = ASCII_FALLBACK
    raw: io.RawIOBase = _Closed(reading=False) if closed[1] or old is None else _Stdout(1, "wb", closefd=False)
    if old is not None:
        with contextlib.suppress(OSError, ValueError):
            old.flush()
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(raw),
        encoding=encoding,
        errors=errors,
        line_buffering=bool(getattr(old, "line_buffering", False)),
        write_through=bool(getattr(old, "write_through", False)),
    )


def reader_gone() -> bool:
    """Whether stdout's reader went away during the run (`mitra ... | head`)."""
    return _state["reader_gone"]


# -- files -------------------------------------------------------------------------


def is_stdout(target: Path) -> bool:
    return str(target) == STDOUT_NAME


def _same_as_a_standard_stream(info: os.stat_result) -> bool:
    for fd in (1, 2):
        with contextlib.suppress(OSError):
            mine = os.fstat(fd)
            if (mine.st_dev, mine.st_ino) == (info.st_dev, info.st_ino):
                return True
    return False


def _link_text(link: Path) -> str:
    try:
        return os.readlink(link)
    except OSError:
        return "?"


def check_target(target: Path) -> tuple[Path, os.stat_result | None]:
    """Where writing `target` puts the bytes: (the path to replace, its stat if it exists), or a MitraError.

    Nothing is opened, so this never blocks, whatever `target` is.
    """
    shown = str(target)
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        info = None
    except NotADirectoryError:
        raise MitraError("file.no_dir", file=shown) from None
    except OSError as exc:
        raise MitraError("file.write_failed", file=shown, reason=exc.strerror or str(exc)) from None
    if info is None:
        directory = target.parent if str(target.parent) else Path(".")
        if not directory.is_dir():
            raise MitraError("file.no_dir", file=shown)
        return target, None
    link = stat.S_ISLNK(info.st_mode)
    if link:
        try:
            info = os.stat(target)
        except FileNotFoundError:
            raise MitraError("file.dangling_link", file=shown, target=_link_text(target)) from None
        except OSError as exc:
            raise MitraError("file.write_failed", file=shown, reason=exc.strerror or str(exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise MitraError("file.is_dir", file=shown)
    if not stat.S_ISREG(info.st_mode):
        raise MitraError("file.not_regular", file=shown)
    if _same_as_a_standard_stream(info):
        raise MitraError("file.is_stdout", file=shown)
    if not link:
        return target, info
    real = Path(os.path.realpath(target))
    try:  # a link the kernel resolves by magic (/proc/self/fd/N) may name no real path
        resolved: os.stat_result | None = os.stat(real)
    except OSError:
        resolved = None
    if resolved is None or (resolved.st_dev, resolved.st_ino) != (info.st_dev, info.st_ino):
        raise MitraError("file.not_regular", file=shown)
    return real, info


def write_file_atomically(target: Path, data: bytes) -> None:
    """Replace `target` with `data` all at once, or raise a MitraError and change nothing; `-` is stdout."""
    if is_stdout(target):
        write_stdout_bytes(data)
        return
    real, existing = check_target(target)
    try:
        write_atomically(real, data, existing=existing)
    except OSError as exc:
        raise MitraError("file.write_failed", file=str(target), reason=exc.strerror or str(exc)) from None
