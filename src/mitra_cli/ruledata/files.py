"""Reading the user's files defensively, and writing files atomically.

Everything mitra reads from a path (rule data, answers files, batch input
files) goes through ``read_text`` so that a directory, a missing path, a
binary or oversized file, or odd bytes give one clear, located message.

Everything mitra writes to a path (cache entries, saved answers, reports)
goes through ``write_atomically``: a temporary file beside the target,
flushed to disk, then renamed over it, so an interrupted or failed write
never leaves a truncated file and never destroys the previous one.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import stat
import sys
from pathlib import Path

from mitra_cli.core.errors import InputFileError
from mitra_cli.core.textsafety import code_point, forbidden_character

MAX_FILE_BYTES = 4 * 1024 * 1024  # 4 MiB: far above any real answers or rule file


def line_of_offset(text: str, offset: int) -> int:
    """1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1


def read_regular_bytes(path: Path, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of `path` if it is a regular file of at most `limit` bytes.

    Opened without blocking, so a FIFO or a device in a data directory is
    refused at once instead of hanging the run.  Raises FileNotFoundError,
    IsADirectoryError, or OSError (with a reason) for anything else.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(0, "not a regular file")
        if info.st_size > limit:
            raise OSError(0, f"larger than {limit // (1024 * 1024)} MiB")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise OSError(0, f"larger than {limit // (1024 * 1024)} MiB")
    return data


def read_text(path: Path, *, limit: int = MAX_FILE_BYTES, regular_only: bool = False) -> str:
    """The UTF-8 text of `path`, or an InputFileError saying why it cannot be used.

    `regular_only` refuses FIFOs and devices without waiting on them (rule
    data); answers files may be a pipe such as ``<(...)``, which a user means.
    """
    shown = str(path)
    try:
        if path.is_dir():
            raise InputFileError("file.is_dir", file=shown)
        if regular_only:
            return decode_text(read_regular_bytes(path, limit=limit), shown)
        size = path.stat().st_size
        if size > limit:
            raise InputFileError("file.too_large", file=shown, limit=limit // (1024 * 1024))
        with path.open("rb") as handle:
            # Read one byte past the limit: special files report no size.
            raw = handle.read(limit + 1)
    except FileNotFoundError:
        raise InputFileError("file.missing", file=shown) from None
    except IsADirectoryError:
        raise InputFileError("file.is_dir", file=shown) from None
    except PermissionError:
        raise InputFileError("file.unreadable", file=shown, reason="permission denied") from None
    except OSError as exc:
        raise InputFileError("file.unreadable", file=shown, reason=exc.strerror or str(exc)) from None
    if len(raw) > limit:
        raise InputFileError("file.too_large", file=shown, limit=limit // (1024 * 1024))
    return decode_text(raw, shown)


def read_stdin_text(*, limit: int = MAX_FILE_BYTES) -> str:
    """Standard input, with the same checks as a file (size, binary data, encoding)."""
    shown = "<stdin>"
    stream = getattr(sys.stdin, "buffer", None)
    raw = stream.read(limit + 1) if stream is not None else sys.stdin.read(limit + 1).encode("utf-8")
    if len(raw) > limit:
        raise InputFileError("file.too_large", file=shown, limit=limit // (1024 * 1024))
    return decode_text(raw, shown)


def decode_text(raw: bytes, shown: str) -> str:
    """Decode UTF-8 (a BOM is allowed), refusing binary data and control characters."""
    if not raw.strip():
        raise InputFileError("file.empty", file=shown)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputFileError("file.encoding", file=shown, line=1, encoding="UTF-16")
    if b"\x00" in raw:
        raise InputFileError("file.binary", file=shown)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputFileError("file.encoding", file=shown, line=line, encoding="UTF-8") from None
    check_control_characters(text, shown)
    return text


def check_control_characters(text: str, shown: str) -> None:
    """Refuse control, C1 and bidi-override characters anywhere in a file's text."""
    found = forbidden_character(text, whole_file=True)
    if found:
        raise InputFileError(
            "file.control_char",
            file=shown,
            line=line_of_offset(text, found.start()),
            code=code_point(found.group()),
        )


def display_path(path: Path) -> str:
    """A path as the user would recognise it: relative when under the cwd."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive, on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


# -- writing -------------------------------------------------------------------


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _set_mode(temp_name: str, existing: os.stat_result | None) -> None:
    """Give the temporary file the mode (and owner) the target has, never wider; a new file 0o666 minus the umask."""
    fresh = 0o666 & ~_umask()
    if existing is None:
        os.chmod(temp_name, fresh)
        return
    mode = stat.S_IMODE(existing.st_mode) & 0o777  # no set-id or sticky bits on a written document
    owner = (existing.st_uid, existing.st_gid)
    mine = os.stat(temp_name)
    if (mine.st_uid, mine.st_gid) != owner:
        for uid in (existing.st_uid, -1):  # root can keep both; others perhaps the group
            try:
                os.chown(temp_name, uid, existing.st_gid)
                break
            except OSError:
                continue
        mine = os.stat(temp_name)
        if (mine.st_uid, mine.st_gid) != owner:
            mode &= fresh  # another owner or group: not more than a new file would allow
    os.chmod(temp_name, mode)


def write_atomically(
    path: Path, data: bytes, *, existing: os.stat_result | None = None, private: bool = False, temp_suffix: str = ".part"
) -> None:
    """Replace `path` with `data` all at once, or raise OSError and leave `path` as it was.

    The bytes go to a temporary file in `path`'s folder (named
    ``.NAME.XXXXXXXX`` + `temp_suffix`, removed again on failure), flushed to
    disk, then renamed over `path`.  The file is 0o600 if `private`;
    otherwise it gets the mode (and, where the system allows, the owner) of
    `existing`, the target's stat, never wider; a new file 0o666 minus the umask.
    """
    import tempfile  # deferred: only writes need it, and it imports random and shutil

    temp_name: str | None = None
    try:
        fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=temp_suffix)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if not private:  # mkstemp made it 0o600
            _set_mode(temp_name, existing)
        os.replace(temp_name, path)
        temp_name = None
    finally:
        if temp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
