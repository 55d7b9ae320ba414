"""The interactive questionnaire of `recommend`, built from questions.yaml."""

from __future__ import annotations

from typing import Any

from mitra_cli.answers import AnswerChecker
from mitra_cli.i18n import Lang
from mitra_cli.model import Question, Rules
from mitra_cli.prompting import Ask, Asker
from mitra_cli.terminal import console


def ask_for(question: Question, checker: AnswerChecker, lang: Lang) -> Ask:
    return Ask(
        id=question.id,
        text=question.text.get(lang),
        help=question.help.get(lang),
        choices=[(choice.value, choice.label.get(lang)) for choice in question.choices],
        many=question.kind == "many",
        min_choices=question.min_choices,
        default=question.default,
        match=lambda typed: checker.match(question.id, typed),
    )


def ask_missing(rules: Rules, checker: AnswerChecker, answers: dict[str, Any], missing: list[str], lang: Lang) -> dict[str, Any]:
    """Prompt (on stderr) for each missing question, in questionnaire order."""
    asks = [ask_for(q, checker, lang) for q in rules.questions if q.id in missing]
    return Asker(console(stderr=True), lang).run(asks, dict(answers))
