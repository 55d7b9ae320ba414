"""Where rule data lives, and loading it through the plain-data rule cache.

Parsing and validating the YAML takes far longer than a script calling
``mitra ... --json`` once per record should wait, so validated rules come
from ``mitra_cli.ruledata.cache`` (compiled into the wheel at build time, or kept
as JSON in the user's cache for other data directories), keyed by a hash of
the files' bytes and of mitra's code.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from mitra_cli.core.model import Rules
from mitra_cli.ruledata import cache as rulecache
from mitra_cli.ruledata.files import read_regular_bytes, read_text
from mitra_cli.ruledata.location import UI_FILE, resolve_data_dir, rule_files, shipped_data_dir

T = TypeVar("T")


def _snapshot(files: list[Path]) -> str | None:
    """The content hash of `files` (absent ones included as absent), or None if one cannot be read as a regular file."""
    contents: list[tuple[str, bytes | None]] = []
    for path in files:
        try:
            contents.append((path.name, read_regular_bytes(path)))
        except FileNotFoundError:
            contents.append((path.name, None))  # optional files may be absent
        except OSError:
            return None  # the build reports what is wrong with it
    return rulecache.sources_digest(contents)


def cached(kind: str, files: list[Path], build: Callable[[], T]) -> T:
    """`build()`, or its result from an earlier run on the same bytes with the same code."""
    sources = _snapshot(files)
    return build() if sources is None else rulecache.cached(kind, sources, build)


def build_rules(directory: Path) -> Rules:
    from mitra_cli.ruledata.build import build_rules as build

    return build(directory)


def build_ui_catalog(path: Path) -> dict[str, dict[str, str]]:
    from mitra_cli.ruledata.yamlnodes import parse

    root = parse(read_text(path, regular_only=True), path.name)
    return {key: {lang: str(text.value) for lang, text in entry.value.items()} for key, entry in root.value.items()}


def load_rules(data_dir: str | os.PathLike[str] | None = None) -> Rules:
    """The validated rules of `data_dir` (default: MITRA_DATA, else the shipped data).

    Raises ``mitra_cli.core.errors.DataError`` listing every problem in the files.
    """
    directory = resolve_data_dir(data_dir)
    rules = cached("rules", rule_files(directory), lambda: build_rules(directory))
    # Entries are keyed by content, so one may have been built from a copy elsewhere.
    return rules._replace(source=str(directory))


def load_ui_catalog() -> dict[str, dict[str, str]]:
    """The interface's sentences, {key: {id: ..., en: ...}}, from the shipped ui.yaml."""
    path = shipped_data_dir() / UI_FILE
    return cached("ui", [path], lambda: build_ui_catalog(path))


def compiled_document(data_dir: Path) -> bytes:
    """The shipped rules and sentences, validated, as the wheel's compiled.json (see hatch_build.py)."""
    entries: dict[str, tuple[str, object]] = {}
    for kind, files, build in (
        ("rules", rule_files(data_dir), lambda: build_rules(data_dir)),
        ("ui", [data_dir / UI_FILE], lambda: build_ui_catalog(data_dir / UI_FILE)),
    ):
        sources = _snapshot(files)
        if sources is None:
            raise OSError(f"cannot read the rule data in {data_dir}")
        entries[kind] = (sources, build())
    return rulecache.compiled_document(entries)
