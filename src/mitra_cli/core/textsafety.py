"""Characters that must never reach a terminal from outside text.

Every string mitra parses from outside (answers, batch lines, rule data,
amounts, file names) is checked with ``forbidden_character``: C0 and C1
control characters, DEL, and the bidirectional overrides that make text
display in another order than it is read (the "Trojan Source" characters).
Tab and newline are allowed only in texts of several lines, carriage return
only where a whole file is checked, as its line structure.  Whatever is echoed back (in an error
message, a respondent's name) goes through ``escape`` first, so even a value
that was refused is shown harmlessly.

Names are checked here too, by one rule for every name or label a person
gives (``--respondent``, ``--label``, ``--client``, ``--prepared-by``, a
file's ``respondent:`` key, an earlier result's label): ``name_fault``.  A
name taken from a file name is not the person's typing: ``name_from_file``
cleans it (drops what a name may not hold, cuts it short) instead of refusing.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal, NamedTuple

# The embedding, override and isolate controls, and the invisible direction marks.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_PATTERNS = {
    # In a single value: every control character, DEL, C1 and the bidi overrides.
    "value": f"[\x00-\x1f\x7f-\x9f{_BIDI}]",
    # In a text of several lines (a diagram, a block of YAML): tab and newline are allowed.
    "lines": f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]",
    # In a whole file: tab, newline and carriage return (CRLF files) are allowed.
    "file": f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]",
    # Shown escaped when echoed: all of the above, and the line and paragraph separators.
    "escape": f"[\x00-\x1f\x7f-\x9f{_BIDI}\u2028\u2029]",
    # Not in a name: all of the above (YAML and Markdown read the separators as line breaks), and lone
    # surrogates (an undecodable byte of a file name or an argument, which no UTF-8 output can hold).
    "name": f"[\x00-\x1f\x7f-\x9f{_BIDI}\u2028\u2029\ud800-\udfff]",
}


@cache
def _compiled(kind: str) -> re.Pattern[str]:
    return re.compile(_PATTERNS[kind])  # compiled on first need: most texts never need it


def forbidden_character(text: str, *, lines: bool = False, whole_file: bool = False) -> re.Match[str] | None:
    """The first character `text` may not contain, or None.

    `lines`: a text that may span lines (tab and newline allowed);
    `whole_file`: a file's text (carriage returns allowed too).
    """
    if text.isprintable():  # the common case, in C: no control or format character at all
        return None
    return _compiled("file" if whole_file else "lines" if lines else "value").search(text)


def code_point(character: str) -> str:
    return f"U+{ord(character):04X}"


def _escaped(found: re.Match[str]) -> str:
    point = ord(found.group())
    return f"\\x{point:02x}" if point <= 0xFF else f"\\u{point:04x}"


def escape(text: str) -> str:
    """`text` with every control or reordering character written as a visible escape (\\x1b, \\u202e)."""
    if text.isprintable():
        return text
    return _compiled("escape").sub(_escaped, text)


# -- names ------------------------------------------------------------------------------

NAME_LIMIT = 80  # characters: a person's or an organisation's name, or a check's label; never a paragraph


class NameFault(NamedTuple):
    """Why a text cannot be a name: empty, too long, or a character it may not hold (its code point)."""

    kind: Literal["empty", "long", "character"]
    code: str = ""


def name_fault(name: str) -> NameFault | None:
    """Why `name` (already stripped) cannot name a person, an organisation or a check, or None when it can.

    1 to NAME_LIMIT characters, with no control, reordering or line-separating character.
    """
    if not name:
        return NameFault("empty")
    found = None if name.isprintable() else _compiled("name").search(name)
    if found is not None:
        return NameFault("character", code_point(found.group()))
    if len(name) > NAME_LIMIT:
        return NameFault("long")
    return None


def name_is_usable(name: str) -> bool:
    """Whether `name` (already stripped) can be a name or a label."""
    return name_fault(name) is None


def name_from_file(stem: str) -> str:
    """A name made from a file name: characters a name may not hold left out, cut to NAME_LIMIT ("" if nothing is left)."""
    name = (stem if stem.isprintable() else _compiled("name").sub("", stem)).strip()
    if len(name) > NAME_LIMIT:
        name = name[: NAME_LIMIT - 1].rstrip() + "…"
    return name
