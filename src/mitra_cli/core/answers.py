"""Answers to the questionnaire: checking and normalising them (files are read by ruledata.answerfiles).

An answers mapping goes from question id to a value ("one" questions) or a
list of values ("many" questions).  Values are matched forgivingly (case,
spaces and underscores do not matter; a choice's label in either language
works too, and so does the short form of a label, where it names one choice)
and returned in their canonical form, in questionnaire order, so that saved
answers replay exactly.  A refused value is answered with the choices, each
with its label in the person's language when that is known.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, Union

from mitra_cli.core.errors import AnswersError, MitraError, Problem, UsageError, type_name
from mitra_cli.core.lang import Lang
from mitra_cli.core.model import Question, Rules
from mitra_cli.core.textsafety import code_point, forbidden_character

Answer = Union[str, list[str]]
Answers = dict[str, Answer]


def normalise(text: str) -> str:
    return " ".join(text.strip().lower().replace("_", "-").split()).replace(" ", "-").replace("–", "-")


def short_forms(label: str) -> list[str]:
    """The parts of a label people type for it: "Panjang (lebih dari 3 tahun)" -> ["Panjang"],
    "Usaha / perusahaan" -> ["Usaha", "perusahaan"], "Berjenjang: mitra di ..." -> ["Berjenjang"]."""
    head = label.split("(")[0].split(":")[0]
    return [part.strip() for part in head.split("/") if part.strip()]


def short_label(label: str) -> str:
    """A label without its explanation in brackets or after a colon, to name a choice briefly."""
    return " / ".join(short_forms(label)) or label


def labelled(value: str, label: str) -> str:
    """A choice as a list of choices names it: "long (Panjang)"; the value alone where the label only repeats it."""
    brief = short_label(label)
    return value if normalise(brief) == normalise(value) else f"{value} ({brief})"


def choices_text(question: Question, lang: Lang | None) -> str:
    """The choices of `question` as a message lists them: "long (Panjang), ..." in `lang`, or the values alone."""
    if lang is None:
        return ", ".join(question.values)
    return ", ".join(labelled(choice.value, choice.label.get(lang)) for choice in question.choices)


class QuestionSpec(NamedTuple):
    """A question compiled for fast, forgiving matching of typed values."""

    question: Question
    lookup: dict[str, str]  # canonical value -> itself
    order: dict[str, int]
    many: bool
    min_choices: int
    forgiving: dict[str, str]  # normalised value or label -> canonical value, filled on first need
    amount: Callable[[str], str | None] | None = None  # an amount typed for a choice (size: capital in rupiah)

    @classmethod
    def of(cls, question: Question, amount: Callable[[str], str | None] | None = None) -> QuestionSpec:
        lookup = {choice.value: choice.value for choice in question.choices}
        order = {c.value: i for i, c in enumerate(question.choices)}
        return cls(question, lookup, order, question.kind == "many", question.min_choices, {}, amount)

    def match(self, typed: str) -> str | None:
        value = self.lookup.get(typed)
        if value is not None:
            return value
        if forbidden_character(typed):
            return None  # never "forgiven" into a valid answer: the checker names the character
        if not self.forgiving:  # built only when an answer is not written exactly
            # Short forms of a label in either language, as people type them: "Panjang (lebih dari 3 tahun)"
            # -> "panjang", "Usaha / perusahaan" -> "usaha", "perusahaan"; kept only where they name one choice.
            short: dict[str, set[str]] = {}
            for choice in self.question.choices:
                for text in (choice.label.en, choice.label.id):
                    for part in short_forms(text):
                        short.setdefault(normalise(part), set()).add(choice.value)
            self.forgiving.update({typed: values.pop() for typed, values in short.items() if len(values) == 1})
            for choice in self.question.choices:
                for text in (choice.label.en, choice.label.id):
                    self.forgiving[normalise(text)] = choice.value
            self.forgiving.update({normalise(value): value for value in self.lookup})
        found = self.forgiving.get(normalise(typed))
        if found is None and self.amount is not None:
            return self.amount(typed)  # "1,5 miliar": the class that amount falls in
        return found

    def canonical(self, value: object) -> Answer | None:
        """The canonical answer for `value`, or None when it is not a valid answer."""
        if not self.many:
            return self.match(value) if isinstance(value, str) else None
        items: list[object]
        if value is None:
            items = []
        elif isinstance(value, str):
            items = [part for part in value.split(",") if part.strip()]
        elif isinstance(value, list):
            items = value
        else:
            return None
        chosen: set[str] = set()
        for item in items:
            matched = self.match(item) if isinstance(item, str) else None
            if matched is None:
                return None
            chosen.add(matched)
        if len(chosen) < self.min_choices:
            return None
        return sorted(chosen, key=self.order.__getitem__)

    def problem(self, value: object, source: str, line: int | None, lang: Lang | None = None) -> Problem:
        """Why `value` was refused (called only once canonical() said no), the choices labelled in `lang` if given."""
        question = self.question
        params: dict[str, Any] = {"valid": choices_text(question, lang)}

        def located(key: str, **extra: Any) -> Problem:
            return Problem(source, line, question.id, key, {**params, **extra})

        if not self.many:
            if not isinstance(value, str):
                return located("answers.expects_one", found=type_name(value))
            return located("answers.bad_value", value=value)
        if not (value is None or isinstance(value, (str, list))):
            return located("answers.expects_many", found=type_name(value))
        items = value.split(",") if isinstance(value, str) else (value or [])
        for item in items:
            if not isinstance(item, str):
                return located("answers.expects_many", found=type_name(item))
            if item.strip() and self.match(item) is None:
                return located("answers.bad_value", value=item)
        return located("answers.too_few", count=self.min_choices)


class AnswerChecker:
    """Checks answers against a rule set's questions; reusable across many calls."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.specs = {q.id: QuestionSpec.of(q, _amount_reader(rules, q)) for q in rules.questions}
        self.question_ids = [q.id for q in rules.questions]
        self.required_ids = [q.id for q in rules.questions if not q.optional]

    def match(self, question_id: str, typed: str) -> str | None:
        """The canonical value `typed` stands for, if any."""
        return self.specs[question_id].match(typed)

    def check(
        self,
        raw: object,
        *,
        source: str,
        lines: Mapping[str, int] | None = None,
        lang: Lang | None = None,
    ) -> Answers:
        """Validated answers from a mapping; AnswersError lists every problem.

        With `lang`, a refused value is answered with every choice and its label in that language
        ("long (Panjang)"); without it, with the values alone (as batch lines and the library do).
        """
        if not isinstance(raw, Mapping):
            kind = "list" if isinstance(raw, list) else type_name(raw)
            raise AnswersError([Problem(source, 1 if lines is not None else None, "", "answers.not_mapping", {"found": kind})])
        problems: list[Problem] = []
        found: dict[str, Answer] = {}
        specs = self.specs
        for key, value in raw.items():
            bad = _forbidden_in(key) or _forbidden_in(value)
            if bad:
                line = lines.get(str(key)) if lines else None
                problems.append(Problem(source, line, str(key), "text.control_char", {"code": bad}))
                continue
            spec = specs.get(key) if isinstance(key, str) else None
            if spec is None:
                line = lines.get(str(key)) if lines else None
                problems.append(
                    Problem(source, line, str(key), "answers.unknown_question", {"valid": ", ".join(self.question_ids)})
                )
                continue
            answer = spec.canonical(value)
            if answer is None:
                line = lines.get(key) if lines else None
                problems.append(spec.problem(value, source, line, lang))
                continue
            found[key] = answer
        if problems:
            raise AnswersError(problems)
        return {qid: found[qid] for qid in self.question_ids if qid in found}

    def missing(self, answers: Mapping[str, Answer]) -> list[str]:
        """Required questions without an answer (an optional one may stay unstated)."""
        return [qid for qid in self.required_ids if qid not in answers]

    def unanswered(self, answers: Mapping[str, Answer]) -> list[str]:
        """Every question without an answer, optional ones included (to ask in a terminal)."""
        return [qid for qid in self.question_ids if qid not in answers]


def _amount_reader(rules: Rules, question: Question) -> Callable[[str], str | None] | None:
    """For a question answered by an amount (size: capital in rupiah), typed amount -> its class."""
    size_classes = rules.size_classes
    if question.amount is None or size_classes is None or size_classes.question != question.id:
        return None
    criterion, classes, units = question.amount, size_classes.classes, rules.amount_units

    def read(typed: str) -> str | None:
        from mitra_cli.core.amounts import class_of, parse_amount

        try:
            return class_of(parse_amount(typed, units), classes, criterion)
        except MitraError:
            return None

    return read


def _forbidden_in(value: object) -> str | None:
    """The code point of a control or bidi character in a typed value (or a list of them), if any."""
    for item in value if isinstance(value, list) else (value,):
        found = forbidden_character(item) if isinstance(item, str) else None
        if found:
            return code_point(found.group())
    return None


# -- sources of answers -------------------------------------------------------


def parse_set_options(options: list[str]) -> dict[str, str]:
    """`--set ID=VALUE` options as a raw mapping (values checked later)."""
    raw: dict[str, str] = {}
    for option in options:
        key, sep, value = option.partition("=")
        if not sep or not key.strip():
            raise UsageError("answers.bad_set", option=option)
        raw[key.strip()] = value.strip()
    return raw
