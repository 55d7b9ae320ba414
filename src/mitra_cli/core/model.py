"""The validated rule data, as typed immutable objects.

Named tuples rather than dataclasses: they are as immutable and as typed,
and defining them costs a fraction of the start-up time, which scripts that
call mitra once per record pay on every run.

These are built only by ``mitra_cli.ruledata.build`` from the YAML in a data
directory; nothing in here knows any domain fact.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, NamedTuple

from mitra_cli.core.lang import Lang


class Text(NamedTuple):
    """A sentence in both languages."""

    id: str
    en: str

    def get(self, lang: Lang) -> str:
        return self.id if lang == "id" else self.en


class Counted(NamedTuple):
    """A sentence in both languages, worded for one thing and for several ("Serves your goal" / "goals")."""

    one: Text
    many: Text

    def get(self, count: int, lang: Lang) -> str:
        return (self.one if count == 1 else self.many).get(lang)


class Choice(NamedTuple):
    value: str
    label: Text
    benefits: tuple[str, ...] = ()
    principles: tuple[str, ...] = ()


def values_of(choices: tuple[Choice, ...]) -> tuple[str, ...]:
    return tuple(choice.value for choice in choices)


def choice_of(choices: tuple[Choice, ...], value: str) -> Choice:
    for choice in choices:
        if choice.value == value:
            return choice
    raise KeyError(value)


# A condition on answers and derived facts: every (question, accepted values) must hold.
Condition = tuple[tuple[str, tuple[str, ...]], ...]


def condition_holds(condition: Condition, known: Mapping[str, object]) -> bool:
    """True if every question in `condition` has (one of) its accepted values in `known`."""
    for question, accepted in condition:
        answer = known.get(question)
        given = answer if isinstance(answer, (list, tuple)) else (answer,)
        if not any(value in accepted for value in given):
            return False
    return True


class Question(NamedTuple):
    id: str
    kind: Literal["one", "many"]
    short: Text
    text: Text
    help: Text
    choices: tuple[Choice, ...]
    default: str | None = None
    min_choices: int = 0
    amount: str | None = None  # "capital": the answer may be typed as rupiah
    scale: tuple[str, ...] = ()  # values that lie on an ordered scale, smallest first
    optional: bool = False  # may stay unstated: then it changes no score
    when: tuple[Condition, ...] = ()  # asked only if one of these holds (none: always)

    @property
    def values(self) -> tuple[str, ...]:
        return values_of(self.choices)

    def choice(self, value: str) -> Choice:
        return choice_of(self.choices, value)


class DerivedCase(NamedTuple):
    """One way a derived fact comes about: when `when` holds, `value`, or the answers to `sources`
    (neither: the case holds and there is no fact)."""

    when: Condition
    value: str | None = None
    sources: tuple[str, ...] = ()
    mapping: tuple[tuple[str, str], ...] = ()  # answer -> fact value, for `sources`


class Derived(NamedTuple):
    """A fact about the partnership worked out from the answers rather than asked.

    Either `compare` (two questions on the first one's scale, e.g. scale_gap)
    or `cases` (the first that holds gives the fact).
    """

    id: str
    compare: tuple[str, str]  # ("", "") when the fact comes from cases
    short: Text
    choices: tuple[Choice, ...]
    kind: str = "one"  # "many": a list of values, like a "many" question
    cases: tuple[DerivedCase, ...] = ()
    inputs: tuple[str, ...] = ()  # the questions it depends on, through other facts too

    @property
    def values(self) -> tuple[str, ...]:
        return values_of(self.choices)

    def choice(self, value: str) -> Choice:
        return choice_of(self.choices, value)


class SizeClass(NamedTuple):
    """A size class and its upper bounds in rupiah (None: no upper bound)."""

    value: str
    capital: int | None
    sales: int | None


class SizeClasses(NamedTuple):
    question: str
    source: Text
    classes: tuple[SizeClass, ...]


class Linked(NamedTuple):
    """A principle or benefit a pattern leans on, with why."""

    id: str
    why: Text


class Caveat(NamedTuple):
    id: str
    text: Text
    when: tuple[tuple[str, tuple[str, ...]], ...] = ()  # all must hold: question -> accepted values
    items: tuple[Text, ...] = ()
    patterns: tuple[str, ...] = ()  # only for common caveats


class Rule(NamedTuple):
    question: str
    answer: str
    points: float


class Pattern(NamedTuple):
    id: str
    aliases: tuple[str, ...]
    name: Text
    summary: Text
    description: Text
    gives: Text
    leads: Text
    subordination: Text
    fits: tuple[Text, ...]
    not_fits: tuple[Text, ...]
    examples: tuple[Text, ...]
    diagram: str | None
    principles: tuple[Linked, ...]
    benefits: tuple[Linked, ...]
    caveats: tuple[Caveat, ...]
    steps: tuple[Text, ...]
    statutory_forms: tuple[Text, ...]
    capacity_building: tuple[Text, ...]
    scoring: tuple[Rule, ...]
    steps_smaller: tuple[Text, ...] = ()  # next steps when the smaller party asks (else `steps`)
    sources: tuple[tuple[str, str], ...] = ()  # field -> "seed", "interpretation" or "regulation"

    def source_of(self, field: str) -> str:
        return dict(self.sources).get(field, "seed")


class Item(NamedTuple):
    """A principle or a benefit."""

    id: str
    name: Text
    summary: Text
    meaning: Text


class TrustElement(NamedTuple):
    id: str
    role: str  # "triangle" or "support"
    name: Text
    meaning: Text


class Trust(NamedTuple):
    essence: Text
    diagram: str
    elements: tuple[TrustElement, ...]


class Entry(NamedTuple):
    """A reason, a point of the concept, an example or a process step."""

    id: str
    text: Text
    name: Text | None = None  # the heading of a process step or an example


class Guide(NamedTuple):
    reasons: tuple[Entry, ...]
    concept: tuple[Entry, ...]
    trust: Trust
    examples: tuple[Entry, ...]
    process: tuple[Entry, ...]


class ScaleChoice(NamedTuple):
    value: int
    label: Text


class Band(NamedTuple):
    """A score band: it applies from `start` upwards (the highest that fits wins)."""

    id: str
    start: float
    label: Text
    weak: bool = False  # a dimension in this band calls for actions


class Statement(NamedTuple):
    id: str
    dimension: str
    text: Text
    reversed: bool


class Dimension(NamedTuple):
    id: str
    kind: str  # "principle" or "trust"
    statements: tuple[Statement, ...]
    actions: tuple[Text, ...]


class Assessment(NamedTuple):
    """The statements of `mitra assess`, their scale, bands and actions."""

    scale: tuple[ScaleChoice, ...]
    dont_know: Choice
    bands: tuple[Band, ...]
    dispute_spread: float
    dimensions: tuple[Dimension, ...]
    anonymity_floor: int = 0  # fewer respondents than this cannot stay anonymous among themselves; 0: none stated

    @property
    def statements(self) -> tuple[Statement, ...]:
        return tuple(statement for dimension in self.dimensions for statement in dimension.statements)


class Rules(NamedTuple):
    """Everything a data directory holds, validated and cross-checked."""

    version: str
    source: str
    score_scale: float
    statutory_source: Text
    patterns: tuple[Pattern, ...]
    principles: tuple[Item, ...]
    benefits: tuple[Item, ...]
    guide: Guide
    questions: tuple[Question, ...]
    derived: tuple[Derived, ...]
    common_caveats: tuple[Caveat, ...]
    size_classes: SizeClasses | None = None
    amount_units: tuple[tuple[str, int], ...] = ()
    assessment: Assessment | None = None
    close_call_margin: float = 2.0  # top two within this many score points: too close to call
    smaller_asks: Condition = ()  # when it holds, the smaller party is asking (steps_smaller apply)
    # Why a principle or benefit is listed: "Serves your goal: {goals}." for one goal, "... goals: ..." for several.
    goal_reason: Counted = Counted(Text("", ""), Text("", ""))

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def principle(self, item_id: str) -> Item:
        return next(item for item in self.principles if item.id == item_id)

    def benefit(self, item_id: str) -> Item:
        return next(item for item in self.benefits if item.id == item_id)

    def dimension_of(self, dimension_id: str) -> Item | TrustElement | None:
        """The trust element or principle an assessment dimension stands for."""
        for element in self.guide.trust.elements:
            if element.id == dimension_id:
                return element
        for principle in self.principles:
            if principle.id == dimension_id:
                return principle
        return None

    def dimension_name(self, dimension_id: str, lang: Lang) -> str:
        found = self.dimension_of(dimension_id)
        return found.name.get(lang) if found is not None else dimension_id

    def find_pattern(self, typed: str) -> Pattern | None:
        """A pattern by id or alias, forgiving case, spaces and underscores."""
        key = typed.strip().lower().replace("_", "-").replace(" ", "-").replace("–", "-")
        for pattern in self.patterns:
            if key == pattern.id or key in pattern.aliases:
                return pattern
        return None
