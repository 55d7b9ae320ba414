"""mitra: a command-line partnership (kemitraan) advisor.

The library API: ``load_rules`` validates a rule-data directory once, and
``recommend`` scores one answers mapping into exactly the object that
``mitra recommend --json`` prints; ``describe`` says one of mitra's errors
in English or Indonesian.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mitra_cli.core.version import __version__

__all__ = ["__version__", "describe", "load_rules", "recommend"]

if TYPE_CHECKING:
    from mitra_cli.api import describe, load_rules, recommend


def __getattr__(name: str) -> Any:
    # Imported on first use so that `import mitra_cli` (and the CLI's start-up)
    # stays cheap.
    if name in ("describe", "load_rules", "recommend"):
        from mitra_cli import api

        return getattr(api, name)
    raise AttributeError(name)
