"""Where rule data lives: the shipped data directory, --data or MITRA_DATA, and its file names."""

from __future__ import annotations

import os
from pathlib import Path

DATA_FILES = ("questions.yaml", "principles.yaml", "patterns.yaml")
OPTIONAL_FILES = ("assessment.yaml",)  # a rule set without it simply has no `mitra assess`
UI_FILE = "ui.yaml"
_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the mitra_cli package


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


def rule_files(directory: Path) -> list[Path]:
    return [directory / name for name in (*DATA_FILES, *OPTIONAL_FILES)]
