"""Validated rules kept as plain JSON, so start-up skips YAML and validation.

Nothing here can run code: a cache entry is JSON, turned back into the
model's named tuples by a whitelist of class names (see ``decode``).  Two
places hold such entries:

* the wheel carries ``compiled.json``, written at build time by
  ``hatch_build.py`` from the shipped data, so the shipped rules need no
  user-writable cache at all (it is keyed by the bytes it was built from:
  the code that reads it is installed with it);
* for any other data directory (``--data``, ``MITRA_DATA``, a development
  checkout), the user's cache directory, used only when it is safe: an
  absolute path, a directory owned by this user and writable by nobody else,
  entries that are regular files owned by this user, opened without
  following symbolic links.

Every entry is keyed by a checksum of the bytes it was built from and of
mitra's own code, so an edit that keeps a file's size and time, or a changed
loader in an editable install, is never served stale rules.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import stat
import zlib
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from mitra_cli.core import model
from mitra_cli.core.textsafety import forbidden_character
from mitra_cli.ruledata.files import write_atomically

T = TypeVar("T")

FORMAT = 2  # bump when the encoding below changes
COMPILED_NAME = "compiled.json"
MAX_ENTRY_BYTES = 16 * 1024 * 1024
KEEP_ENTRIES = 8  # older entries of a kind are pruned after a write
_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the mitra_cli package

# The only classes an entry may name: the model's named tuples.
_CLASSES: dict[str, type[tuple[Any, ...]]] = {
    name: value
    for name, value in vars(model).items()
    if isinstance(value, type) and issubclass(value, tuple) and hasattr(value, "_fields")
}


class CacheEntryError(ValueError):
    """A cache entry that is not what this version of mitra writes."""


# -- plain data <-> model --------------------------------------------------------


def encode(value: Any) -> Any:
    """The model as JSON-ready data.

    A named tuple of the model becomes {"Class": [fields]}, any other tuple
    {"": [items]}; a dict (the interface's sentences) stays a dict.  Every
    one-key object whose value is a list is thus a tuple, so ``loads`` can
    rebuild the model while the C JSON parser runs (``object_hook``).
    """
    if isinstance(value, tuple):
        fields = [encode(item) for item in value]
        cls = type(value)
        return {cls.__name__: fields} if _CLASSES.get(cls.__name__) is cls else {"": fields}
    if isinstance(value, dict):
        return {str(key): encode(item) for key, item in value.items()}
    return value


def _rebuild(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        ((name, fields),) = obj.items()
        if fields.__class__ is list:
            if not name:
                return tuple(fields)
            cls = _CLASSES.get(name)
            if cls is None:
                raise CacheEntryError(f"unknown class {name!r}")  # never anything outside the model
            return cls(*fields)
    return obj


def dumps(value: Any) -> bytes:
    return json.dumps(encode(value), ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def loads(data: bytes | str, *, checked: bool = False) -> Any:
    """The inverse of ``dumps``; an object naming a class outside the model is refused.

    `checked`: the entry comes from the user's cache, not the wheel, so its texts
    and numbers are checked again as the loader checked them (no control or
    bidi characters, finite numbers): a cache edited behind mitra's back is
    refused, and rebuilt.
    """
    if not checked:
        return json.loads(data, object_hook=_rebuild)
    return json.loads(data, object_hook=_rebuild_checked, parse_constant=_no_constant, parse_float=_finite)


def _rebuild_checked(obj: dict[str, Any]) -> Any:
    for value in obj.values():
        for item in value if value.__class__ is list else (value,):
            if item.__class__ is str and forbidden_character(item, lines=True):
                raise CacheEntryError("a control character in a cached text")
    return _rebuild(obj)


def _no_constant(name: str) -> Any:
    raise CacheEntryError(f"{name} in a cache entry")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise CacheEntryError("a number too large in a cache entry")
    return value


# -- keys --------------------------------------------------------------------------


def _digest(chunks: Iterable[bytes]) -> str:
    """A checksum of the bytes: CRC-32, Adler-32 and the length together (96 bits).

    The key only has to notice that a file or the code changed; tampering is
    ruled out by where entries may live (see ``_trusted_dir``), not by the
    key.  zlib is already loaded with Typer, whereas hashlib's OpenSSL import
    alone would cost every run ~4 ms of a ~110 ms start-up budget.
    """
    crc, adler, length = 0, 1, 0
    for chunk in chunks:
        crc = zlib.crc32(chunk, crc)
        adler = zlib.adler32(chunk, adler)
        length += len(chunk)
    return f"{crc:08x}{adler:08x}{length:x}"


@cache
def code_digest() -> str:
    """A checksum of mitra's own code: a changed loader never serves old rules."""

    def chunks() -> Iterable[bytes]:
        for path in sorted(_PACKAGE_DIR.rglob("*.py")):
            yield path.relative_to(_PACKAGE_DIR).as_posix().encode() + b"\0"
            yield path.read_bytes() + b"\0"

    return _digest(chunks())


def sources_digest(contents: Iterable[tuple[str, bytes | None]]) -> str:
    """A checksum of the named files' bytes (None: the file is absent)."""
    return _digest(name.encode() + (b"\1" + data if data is not None else b"\2") + b"\0" for name, data in contents)


def entry_key(kind: str, sources: str, code: str) -> str:
    return f"{kind}-{FORMAT}-{sources}-{code}"


# -- the compiled file in the wheel -------------------------------------------------


def compiled_path() -> Path:
    return _PACKAGE_DIR / COMPILED_NAME


COMPILED_CODE = "wheel"  # stands for the code digest in compiled.json's keys


def compiled_document(entries: dict[str, tuple[str, Any]]) -> bytes:
    """What hatch_build.py writes: {"format", "entries": {kind: {"key", "value"}}}."""
    document = {
        "format": FORMAT,
        "entries": {
            kind: {"key": entry_key(kind, sources, COMPILED_CODE), "value": encode(value)}
            for kind, (sources, value) in entries.items()
        },
    }
    return json.dumps(document, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


@cache
def _compiled_entries() -> dict[str, Any]:
    """The wheel's compiled.json, read and rebuilt once per process ({} if absent or damaged)."""
    try:
        document = loads(compiled_path().read_bytes())
        if document.get("format") != FORMAT:
            return {}
        entries: dict[str, Any] = document["entries"]
        return entries
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return {}  # a damaged compiled file only costs speed


def from_compiled(kind: str, key: str) -> Any | None:
    """The compiled value of `kind` if the wheel carries one built from the same bytes and code."""
    entry = _compiled_entries().get(kind)
    if not isinstance(entry, dict) or entry.get("key") != key:
        return None
    return entry.get("value")


# -- the user's cache directory -----------------------------------------------------


def cache_dir() -> Path | None:
    """Where entries for other data directories may live, or None for no cache.

    Never relative to the current directory: an unexpanded ``~`` (no HOME and
    no passwd entry) or a relative XDG_CACHE_HOME / MITRA_CACHE_DIR means no
    cache, so a folder carried by a cloned repository is never read.
    """
    if os.environ.get("MITRA_NO_CACHE"):
        return None
    explicit = os.environ.get("MITRA_CACHE_DIR")
    if explicit:
        chosen = Path(explicit)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        if xdg:
            base = Path(xdg)
        else:
            home = os.path.expanduser("~")
            if home == "~" or not home:
                return None
            base = Path(home) / ".cache"
        chosen = base / "mitra"
    return chosen if chosen.is_absolute() else None


def _trusted_dir(directory: Path, *, create: bool) -> bool:
    """True if `directory` is a real directory of ours that no one else may write."""
    if create:
        try:
            directory.parent.mkdir(parents=True, exist_ok=True)
            os.mkdir(directory, 0o700)
        except FileExistsError:
            pass
        except OSError:
            return False
    try:
        info = os.lstat(directory)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _read_entry(path: Path) -> bytes | None:
    """The bytes of a cache entry, only if it is a regular file of ours (no links, no FIFOs)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if (
            not stat.S_ISREG(info.st_mode)
            or info.st_uid != os.getuid()
            or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
            or info.st_size > MAX_ENTRY_BYTES
        ):
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(MAX_ENTRY_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)


def _write_entry(directory: Path, kind: str, name: str, payload: bytes) -> None:
    """Write an entry atomically (0600), then prune old entries of the kind; failures only cost speed."""
    try:
        write_atomically(directory / name, payload, private=True, temp_suffix=".tmp")
    except OSError:
        return
    _prune(directory, kind, keep=name)


def _prune(directory: Path, kind: str, *, keep: str) -> None:
    entries = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(directory):
            if entry.name.startswith(f"{kind}-") and entry.name.endswith(".json") and entry.name != keep:
                with contextlib.suppress(OSError):
                    entries.append((entry.stat(follow_symlinks=False).st_mtime_ns, entry.path))
    entries.sort(reverse=True)
    for _, path in entries[KEEP_ENTRIES - 1 :]:
        with contextlib.suppress(OSError):
            os.unlink(path)


def cached(kind: str, sources: str, build: Callable[[], T]) -> T:
    """`build()`, or the same value from the wheel's compiled file or the user's cache.

    `sources` is ``sources_digest`` of the files `build` reads.
    """
    # The compiled file is installed together with the code that wrote it (a wheel is
    # replaced whole), so its key needs only the sources; an editable install has none.
    value = from_compiled(kind, entry_key(kind, sources, COMPILED_CODE))
    if value is not None:
        return value  # type: ignore[no-any-return]
    key = entry_key(kind, sources, code_digest())
    directory = cache_dir()
    if directory is None:
        return build()
    name = f"{key}.json"
    if _trusted_dir(directory, create=False):
        payload = _read_entry(directory / name)
        if payload is not None:
            try:
                document = loads(payload, checked=True)
                if document.get("key") == key:
                    return document["value"]  # type: ignore[no-any-return]
            except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
                pass  # unreadable or foreign: rebuild and overwrite
    value = build()
    if _trusted_dir(directory, create=True):
        payload = json.dumps({"key": key, "value": encode(value)}, ensure_ascii=False, allow_nan=False).encode()  # as dumps()
        _write_entry(directory, kind, name, payload)
    return value
