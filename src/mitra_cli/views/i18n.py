"""The interface's own sentences (data/ui.yaml), and errors said in the user's language.

A ``Catalogue`` is handed its sentences; ``message`` uses the one shipped
with mitra, read on first use.  Errors carry only a message key and its
parameters (``mitra_cli.core.errors``); ``describe`` turns them into text here,
at the edge, in the language the person chose.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from typing import Any

from mitra_cli.core.errors import MitraError, Problem, ProblemsError
from mitra_cli.core.lang import DEFAULT_LANG, LANGS, Lang
from mitra_cli.core.textsafety import escape

ECHO_LIMIT = 200  # characters of an outside value shown back in a message
# Parameters that list what is valid (from the rule data), shown whole.
_LISTS = frozenset({"valid", "known", "units", "ids", "forms"})


def _shown(value: str) -> str:
    """An outside value as it may be echoed: escaped, and cut short if it is very long."""
    shown = escape(value)
    return shown if len(shown) <= ECHO_LIMIT else shown[: ECHO_LIMIT - 1] + "…"


class Catalogue:
    """Sentences by key and language, {key: {lang: template}}, with {placeholders} filled safely."""

    def __init__(self, entries: Mapping[str, Mapping[str, str]], *, strict: bool = False) -> None:
        self.entries = entries
        self.strict = strict

    def message(self, key: str, lang: str, /, **params: Any) -> str:
        entry = self.entries.get(key)
        if entry is None:
            if self.strict:
                raise KeyError(f"no sentence {key!r} in ui.yaml")
            # A missing key is a bug in mitra, but the user still deserves words.
            return key + (" " + repr(params) if params else "")
        template = entry.get(lang) or entry[DEFAULT_LANG]
        # Values come from outside (file names, typed answers): never let one drive the terminal.
        safe = {
            name: (escape(value) if name in _LISTS else _shown(value)) if isinstance(value, str) else value
            for name, value in params.items()
        }
        try:
            return template.format(**safe)
        except (KeyError, IndexError, ValueError):
            return template


@cache
def shipped() -> Catalogue:
    """The sentences shipped with mitra; MITRA_STRICT_MESSAGES (set by the tests) makes a missing one fail loudly."""
    from mitra_cli.ruledata.store import load_ui_catalog  # read on first use: --json paths never need it

    return Catalogue(load_ui_catalog(), strict=bool(os.environ.get("MITRA_STRICT_MESSAGES")))


def message(key: str, lang: str, /, **params: Any) -> str:
    """The interface sentence `key` in `lang`, with its {placeholders} filled."""
    return shipped().message(key, lang, **params)


def describe_problem(problem: Problem, lang: str) -> str:
    """One located problem: "file:line: path: what is wrong"."""
    where = escape(problem.file)
    if problem.line is not None:
        where += f":{problem.line}"
    text = message(problem.key, lang, **problem.params)
    return f"{where}: {escape(problem.path)}: {text}" if problem.path else f"{where}: {text}"


def describe(error: MitraError, lang: str, *, one_line: bool = False) -> str:
    """What a person reads for `error`: every located problem, then one line of advice (or all on one line)."""
    if isinstance(error, ProblemsError):
        problems = [describe_problem(p, lang) for p in error.problems]
        if one_line:
            return "; ".join(problems)
        return "\n".join([*problems, message(error.summary_key, lang, count=len(error.problems))])
    return message(error.key, lang, **error.params)


def lang_code(typed: str | None) -> Lang | None:
    """The language `typed` names ("id", "en", "id_ID.UTF-8", " EN "), or None when it names none mitra speaks."""
    code = (typed or "").strip().lower()[:2]
    return next((lang for lang in LANGS if lang == code), None)


def unknown_env_lang() -> str | None:
    """MITRA_LANG when it is set to a language mitra does not speak (it is then ignored for English)."""
    value = os.environ.get("MITRA_LANG", "")
    return value if value.strip() and lang_code(value) is None else None


def resolve_lang(option: str | None = None) -> Lang:
    """--lang, else MITRA_LANG, else the locale (id_* is Indonesian), else English.

    A MITRA_LANG that names no language mitra speaks gives English (the command layer warns about it once).
    """
    chosen = lang_code(option)
    if chosen is not None:
        return chosen
    if os.environ.get("MITRA_LANG", "").strip():
        return lang_code(os.environ["MITRA_LANG"]) or DEFAULT_LANG
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "id" if value.lower().startswith(("id_", "id.", "in_")) or value == "id" else "en"
    return DEFAULT_LANG
