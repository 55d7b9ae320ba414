"""The interactive questionnaire of `recommend`, built from questions.yaml."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mitra_cli.core.amounts import class_of, parse_amount
from mitra_cli.core.answers import AnswerChecker
from mitra_cli.core.assessment import ResponseChecker
from mitra_cli.core.engine import Engine
from mitra_cli.core.errors import MitraError
from mitra_cli.core.lang import Lang
from mitra_cli.core.model import Question, Rules
from mitra_cli.views.i18n import message
from mitra_cli.views.numberformat import rupiah
from mitra_cli.views.prompting import Ask, Asker
from mitra_cli.views.terminal import console


def amount_converter(rules: Rules, question: Question, lang: Lang) -> Callable[[str], tuple[str, str] | None] | None:
    """For a question answered by an amount (size: capital in rupiah), the class it gives."""
    size_classes = rules.size_classes
    if question.amount is None or size_classes is None or size_classes.question != question.id:
        return None
    criterion = question.amount

    def convert(typed: str) -> tuple[str, str] | None:
        try:
            amount = parse_amount(typed, rules.amount_units)
        except MitraError:
            return None
        value = class_of(amount, size_classes.classes, criterion)
        label = question.choice(value).label.get(lang)
        note = message("classify.derived", lang, amount=rupiah(amount, lang), size=label, source=size_classes.source.get(lang))
        return value, note

    return convert


def ask_for(
    question: Question, checker: AnswerChecker, lang: Lang, rules: Rules | None = None, engine: Engine | None = None
) -> Ask:
    return Ask(
        id=question.id,
        text=question.text.get(lang),
        help=question.help.get(lang),
        choices=[(choice.value, choice.label.get(lang)) for choice in question.choices],
        many=question.kind == "many",
        min_choices=question.min_choices,
        default=question.default,
        match=lambda typed: checker.match(question.id, typed),
        convert=amount_converter(rules, question, lang) if rules is not None else None,
        optional=question.optional,
        relevant=(lambda answers: engine.asked(question, answers)) if engine is not None else (lambda answers: True),
    )


def ask_missing(rules: Rules, checker: AnswerChecker, answers: dict[str, Any], missing: list[str], lang: Lang) -> dict[str, Any]:
    """Prompt (on stderr) for each missing question, in questionnaire order."""
    engine = Engine(rules)
    asks = [ask_for(q, checker, lang, rules, engine) for q in rules.questions if q.id in missing]
    return Asker(console(stderr=True), lang).run(asks, dict(answers))


class _Recorded(dict[str, Any]):
    """Answers that report each change at once (the asker sets an answer as soon as it is given)."""

    def __init__(self, changed: Callable[[dict[str, Any]], None]) -> None:
        super().__init__()
        self.changed = changed

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self.changed(dict(self))


def ask_respondent(lang: Lang, default: str) -> str:
    """Ask (on stderr) who is answering; Enter takes `default`."""
    from rich.text import Text

    from mitra_cli.core.textsafety import NAME_LIMIT, name_is_usable

    shown = console(stderr=True)
    asker = Asker(shown, lang)
    shown.print(Text(message("assess.ask_name", lang, default=default), style="bold"))
    while True:
        typed = asker.read_line("respondent")
        if not typed:
            return default
        if name_is_usable(typed):
            return typed
        shown.print(Text(message("assess.bad_name", lang, limit=NAME_LIMIT), style="red"))


def ask_statements(
    rules: Rules,
    checker: ResponseChecker,
    responses: dict[str, Any],
    missing: list[str],
    lang: Lang,
    respondent: str | None,
    on_answer: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Prompt (on stderr) for each statement not yet answered; returns the responses.

    `on_answer` is called with all the responses so far after every answer
    (to save them, so that an interrupted session loses nothing).
    """
    assessment = checker.assessment
    choices = [(str(c.value), c.label.get(lang)) for c in assessment.scale]
    choices.append((assessment.dont_know.value, assessment.dont_know.label.get(lang)))
    shown = console(stderr=True)
    if respondent is not None:
        from rich.text import Text

        shown.print(Text(message("assess.respondent", lang, name=respondent), style="bold"))

    def match(typed: str) -> str | None:
        understood, value = checker.value(typed)
        if not understood:
            return None
        return assessment.dont_know.value if value is None else str(value)

    asks = [
        Ask(
            id=s.id,
            text=s.text.get(lang),
            help=found.meaning.get(lang) if (found := rules.dimension_of(s.dimension)) is not None else "",
            choices=choices,
            match=match,
        )
        for s in assessment.statements
        if s.id in missing
    ]

    def merged(answered: dict[str, Any]) -> dict[str, Any]:
        result = dict(responses)
        for statement_id, value in answered.items():
            result[statement_id] = checker.value(value)[1]
        return result

    record = on_answer
    answers: dict[str, Any] = _Recorded(lambda answered: record(merged(answered))) if record is not None else {}
    return merged(Asker(shown, lang).run(asks, answers))
