"""The library API: ``load_rules`` and ``recommend``.

    >>> from mitra_cli import load_rules, recommend
    >>> rules = load_rules()
    >>> result = recommend({"org_type": "business", ...}, lang="id", rules=rules)

``recommend`` returns exactly the object ``mitra recommend --json`` prints,
and raises ``mitra_cli.core.errors.AnswersError`` for invalid answers.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mitra_cli.core.errors import MitraError, UsageError
from mitra_cli.core.lang import LANGS, Lang
from mitra_cli.core.model import Rules
from mitra_cli.core.recommendation import Advisor
from mitra_cli.ruledata.store import load_rules as _load_rules
from mitra_cli.views.i18n import describe as _describe

if TYPE_CHECKING:
    from mitra_cli.core.shapes import RecommendResult

_advisors: dict[int, tuple[Rules, Advisor]] = {}


def load_rules(data_dir: str | os.PathLike[str] | None = None) -> Rules:
    """Validated rules from `data_dir` (default: MITRA_DATA, else the shipped data).

    Load once and pass to ``recommend(..., rules=rules)`` to score many answer
    sets.  Raises ``mitra_cli.core.errors.DataError`` listing every problem.
    """
    return _load_rules(data_dir)


def describe(error: MitraError, lang: str = "en") -> str:
    """What a person reads for one of mitra's errors: every located problem, then one line of advice."""
    return _describe(error, lang)


def advisor_for(rules: Rules) -> Advisor:
    """The compiled advisor of a rule set, built once per rule set."""
    cached = _advisors.get(id(rules))
    if cached is not None and cached[0] is rules:
        return cached[1]
    advisor = Advisor(rules)
    if len(_advisors) > 8:
        _advisors.clear()
    _advisors[id(rules)] = (rules, advisor)
    return advisor


def recommend(
    answers: Mapping[str, Any],
    *,
    lang: str = "en",
    rules: Rules | None = None,
    what_if: bool = True,
) -> RecommendResult:
    """Score `answers` (question id -> value, or list of values) and recommend a pattern."""
    if lang not in LANGS:
        raise UsageError("lang.unknown", value=lang, valid=", ".join(LANGS))
    advisor = advisor_for(rules if rules is not None else load_rules())
    checked = advisor.checker.check(answers, source="answers")
    complete = advisor.complete(checked, source="answers")
    chosen: Lang = "id" if lang == "id" else "en"
    return advisor.result(complete, chosen, what_if=what_if)
