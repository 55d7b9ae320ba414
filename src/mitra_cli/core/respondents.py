"""Who answered: respondents' names, and the parts of an answers file that are not answers.

An answers file of `mitra assess` (YAML, JSON or a CSV form) may name its
respondent with a ``respondent`` key; a statement left blank (a form not yet
filled in) counts as not answered, so a resumed session asks it again.
Names come from outside and are checked by the one rule for names
(``textsafety.name_fault``): no control, reordering or line-separating
characters, and short enough to head a column.
"""

from __future__ import annotations

from collections.abc import Mapping

from mitra_cli.core.errors import AnswersError, Problem
from mitra_cli.core.textsafety import NAME_LIMIT, name_is_usable

RESPONDENT_KEY = "respondent"


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def split_form(raw: object, *, source: str, lines: Mapping[str, int] | None = None) -> tuple[str | None, object]:
    """(the respondent's name or None, the answers with blanks left out) from a raw answers mapping.

    Anything but a mapping is passed on as it is, for the answers checker to refuse.
    """
    if not isinstance(raw, Mapping):
        return None, raw
    answers = {key: value for key, value in raw.items() if key != RESPONDENT_KEY and not _blank(value)}
    value = raw.get(RESPONDENT_KEY)
    if _blank(value):
        return None, answers
    line = lines.get(RESPONDENT_KEY) if lines else None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise AnswersError([Problem(source, line, RESPONDENT_KEY, "assess.bad_name", {"limit": NAME_LIMIT})])
    name = str(value).strip()
    if not name_is_usable(name):
        raise AnswersError([Problem(source, line, RESPONDENT_KEY, "assess.bad_name", {"limit": NAME_LIMIT})])
    return name, answers


def unique(name: str, taken: set[str]) -> str:
    """`name`, marked with primes until no other respondent has it (two files of one partner stay apart)."""
    while name in taken:
        name += "'"
    taken.add(name)
    return name
