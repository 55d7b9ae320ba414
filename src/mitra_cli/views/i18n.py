"""Languages and the interface's own sentences (data/ui.yaml)."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any, Literal

from mitra_cli.core.textsafety import escape

Lang = Literal["id", "en"]
LANGS: tuple[Lang, ...] = ("id", "en")
DEFAULT_LANG: Lang = "en"


def resolve_lang(option: str | None = None) -> Lang:
    """--lang, else MITRA_LANG, else the locale (id_* is Indonesian), else English."""
    for candidate in (option, os.environ.get("MITRA_LANG")):
        if candidate:
            code = candidate.strip().lower()[:2]
            if code == "id":
                return "id"
            if code == "en":
                return "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "id" if value.lower().startswith(("id_", "id.", "in_")) or value == "id" else "en"
    return DEFAULT_LANG


@lru_cache(maxsize=1)
def _catalog() -> dict[str, dict[str, str]]:
    from mitra_cli.ruledata.store import load_ui_catalog

    return load_ui_catalog()


ECHO_LIMIT = 200  # characters of an outside value shown back in a message
# Parameters that list what is valid (from the rule data), shown whole.
_LISTS = frozenset({"valid", "known", "units", "ids", "forms"})


def _shown(value: str) -> str:
    """An outside value as it may be echoed: escaped, and cut short if it is very long."""
    shown = escape(value)
    return shown if len(shown) <= ECHO_LIMIT else shown[: ECHO_LIMIT - 1] + "…"


def message(key: str, lang: str, /, **params: Any) -> str:
    """The interface sentence `key` in `lang`, with its {placeholders} filled."""
    entry = _catalog().get(key)
    if entry is None:
        if os.environ.get("MITRA_STRICT_MESSAGES"):  # set by the test suite: a missing sentence fails loudly
            raise KeyError(f"no sentence {key!r} in ui.yaml")
        # A missing key is a bug in mitra, but the user still deserves words.
        return key + (" " + repr(params) if params else "")
    template = entry.get(lang) or entry["en"]
    # Values come from outside (file names, typed answers): never let one drive the terminal.
    safe = {
        name: (escape(value) if name in _LISTS else _shown(value)) if isinstance(value, str) else value
        for name, value in params.items()
    }
    try:
        return template.format(**safe)
    except (KeyError, IndexError, ValueError):
        return template
