"""Where rule data lives, and a cache that keeps start-up fast.

Parsing and validating the YAML takes far longer than a script calling
``mitra ... --json`` once per record should wait, so a validated rule set is
pickled into the user's cache directory, keyed by the files' paths, sizes and
modification times.  Any change to a file, or to mitra, misses the cache and
validates afresh; a cache that cannot be read or written is simply skipped.
"""

from __future__ import annotations

import os
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

try:  # the C unpickler alone: `import pickle` also loads the pure-Python one, which start-up does not need
    import _pickle as pickle
except ImportError:  # pragma: no cover - other Python implementations
    import pickle  # type: ignore[no-redef]

from mitra_cli import __version__
from mitra_cli.model import Rules

T = TypeVar("T")

CACHE_FORMAT = 1
DATA_FILES = ("questions.yaml", "principles.yaml", "patterns.yaml")
OPTIONAL_FILES = ("assessment.yaml",)  # a rule set without it simply has no `mitra assess`
_PACKAGE_DIR = Path(__file__).resolve().parent


def shipped_data_dir() -> Path:
    """The data directory installed with mitra (or the repository's, in development)."""
    installed = _PACKAGE_DIR / "data"
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent.parent / "data"


def resolve_data_dir(option: str | os.PathLike[str] | None = None) -> Path:
    """--data, else MITRA_DATA, else the shipped data."""
    chosen = option or os.environ.get("MITRA_DATA") or None
    return Path(chosen).expanduser() if chosen else shipped_data_dir()


def cache_dir() -> Path | None:
    if os.environ.get("MITRA_NO_CACHE"):
        return None
    explicit = os.environ.get("MITRA_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mitra"


def _fingerprint(files: list[Path], kind: str) -> str | None:
    """What a cache entry depends on: mitra's and Python's versions, each file's path, size and time."""
    parts = [kind, str(CACHE_FORMAT), __version__, sys.version.split()[0]]
    for path in files:
        try:
            stat = path.stat()
        except FileNotFoundError:
            parts.append(f"{os.path.abspath(path)}|absent")  # optional files may be absent
            continue
        except OSError:
            return None
        parts.append(f"{os.path.abspath(path)}|{stat.st_size}|{stat.st_mtime_ns}")
    return "\n".join(parts)


def cached(kind: str, files: list[Path], build: Callable[[], T]) -> T:
    """`build()`, or its pickled result from an earlier run on the same files."""
    directory = cache_dir()
    key = _fingerprint(files, kind) if directory is not None else None
    if directory is None or key is None:
        return build()
    # The file name is a checksum of the fingerprint; the fingerprint itself is
    # stored inside and compared, so a checksum collision only costs a rebuild.
    target = directory / f"{kind}-{zlib.crc32(key.encode()):08x}.pickle"
    try:
        with target.open("rb") as handle:
            stored_key, value = pickle.load(handle)
        if stored_key == key:
            return value  # type: ignore[no-any-return]
    except Exception:  # any unreadable or outdated cache entry just means "rebuild"
        pass
    value = build()
    try:
        import tempfile

        directory.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=directory, prefix=f".{kind}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump((key, value), handle, protocol=5)
        os.replace(temp, target)
    except OSError:
        pass  # a read-only home or full disk only costs speed
    return value


def load_rules(data_dir: str | os.PathLike[str] | None = None) -> Rules:
    """The validated rules of `data_dir` (default: MITRA_DATA, else the shipped data).

    Raises ``mitra_cli.errors.DataError`` listing every problem in the files.
    """
    directory = resolve_data_dir(data_dir)

    def build() -> Rules:
        from mitra_cli.loader import build_rules

        return build_rules(directory)

    return cached("rules", [directory / name for name in (*DATA_FILES, *OPTIONAL_FILES)], build)


def load_ui_catalog() -> dict[str, dict[str, str]]:
    """The interface's sentences, {key: {id: ..., en: ...}}, from the shipped ui.yaml."""
    path = shipped_data_dir() / "ui.yaml"

    def build() -> dict[str, dict[str, str]]:
        import yaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser where PyYAML has it
        with path.open(encoding="utf-8") as handle:
            raw = yaml.load(handle, Loader=loader)
        return {str(key): {lang: str(text) for lang, text in value.items()} for key, value in raw.items()}

    return cached("ui", [path], build)
