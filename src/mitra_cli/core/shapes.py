"""The JSON contract as types: what `--json` prints for each command (see README, "JSON for scripts").

Scripts rely on these keys (the product's contracts): keys may be added, never
renamed or dropped.  The code that builds each object is typed with these, so
mypy checks every key; tests/test_json_contract.py checks real output against
them and the README's key tables against them.
"""

from __future__ import annotations

from typing import Literal, TypedDict, Union

Answer = Union[str, list[str]]
Direction = Literal["up", "down", "same"]
BandMove = Literal["up", "down"]
BandColour = Literal["green", "amber", "red"]
Lang = Literal["id", "en"]

# -- mitra recommend --json ---------------------------------------------------------------


class Reason(TypedDict):
    question: str
    answer: str
    points: float


class Ranked(TypedDict):
    pattern: str
    name: str
    score: float
    points: float
    reasons: list[Reason]


class PatternHead(TypedDict):
    pattern: str
    name: str
    summary: str
    statutory_forms: list[str]


class Recommendation(PatternHead):
    score: float
    points: float


class Deciding(TypedDict):
    question: str
    answer: str
    favours: str
    difference: float


class _WhatIfChange(TypedDict, total=False):
    added: str  # a "many" question: the value added ...
    removed: str  # ... or taken away
    # a "one" question carries "from" (the earlier answer): a keyword, so set by the code that builds it


class WhatIf(_WhatIfChange):
    question: str
    answer: Answer
    pattern: str
    score: float


class RankedItem(TypedDict):
    """A principle or benefit, most relevant first."""

    id: str
    name: str
    summary: str
    why: str
    goals: list[str]


class Caveat(TypedDict):
    id: str
    text: str
    items: list[str]


class Step(TypedDict):
    id: str
    name: str
    text: str


class TrustElement(TypedDict):
    id: str
    role: str
    name: str
    meaning: str


class Trust(TypedDict):
    essence: str
    elements: list[TrustElement]


class Tail(TypedDict):
    """What follows the ranking."""

    principles: list[RankedItem]
    benefits: list[RankedItem]
    caveats: list[Caveat]
    next_steps: list[Step]
    trust: Trust


class _RecommendOptional(TypedDict, total=False):
    what_if: list[WhatIf]  # left out by --batch unless --what-if


class RecommendResult(_RecommendOptional, Tail):
    schema_version: int
    lang: Lang
    data_version: str
    answers: dict[str, Answer]
    derived: dict[str, Answer]
    recommendation: Recommendation
    margin: float
    close_call: bool
    deciding: list[Deciding]
    ranking: list[Ranked]


# -- mitra classify --json ----------------------------------------------------------------


class Classification(TypedDict):
    size: str
    by_capital: str | None
    by_sales: str | None
    capital: int | None
    sales: int | None
    source: str


# -- mitra questions --json ---------------------------------------------------------------


class ChoiceEntry(TypedDict):
    value: str
    label: str


class QuestionEntry(TypedDict):
    id: str
    text: str
    kind: Literal["one", "many"]
    choices: list[ChoiceEntry]
    help: str
    default: Answer | None
    min_choices: int
    optional: bool
    when: list[dict[str, list[str]]]


class DerivedEntry(TypedDict):
    id: str
    text: str
    kind: Literal["derived"]
    many: bool
    choices: list[ChoiceEntry]
    derived_from: list[str]


# -- mitra patterns --json ------------------------------------------------------------------


class PatternSummary(TypedDict):
    id: str
    aliases: list[str]
    name: str
    summary: str
    statutory_forms: list[str]


# -- mitra assess --json --------------------------------------------------------------------


class RespondentEntry(TypedDict):
    name: str
    answered: int
    dont_know: int


class RespondentScore(TypedDict):
    respondent: str
    score: float | None
    answers: int


class StatementAnswer(TypedDict):
    respondent: str
    answer: int | None
    score: int | None


class StatementDetail(TypedDict):
    id: str
    text: str
    reversed: bool
    mean: float | None
    answer_mean: float | None
    spread: float | None
    disputed: bool
    answered: int
    dont_know: int
    counts: dict[str, int]
    answers: list[StatementAnswer]


class Versus(TypedDict):
    """A score against the same one in an earlier check (--previous)."""

    score: float | None
    band: str | None
    change: float | None
    direction: Direction | None
    band_moved: bool
    band_direction: BandMove | None


class Dimension(TypedDict):
    id: str
    kind: str
    name: str
    score: float | None
    band: str | None
    band_label: str | None
    band_colour: BandColour | None
    answered: bool
    spread: float | None
    disputed: bool
    by_respondent: list[RespondentScore]
    statements: list[StatementDetail]
    previous: Versus | None


class Triangle(TypedDict):
    dimensions: list[str]
    score: float | None
    band: str | None


class Overall(TypedDict):
    score: float | None
    band: str | None
    band_colour: BandColour | None
    trust_triangle: Triangle
    weakest: list[str]
    disputed: list[str]
    unanswered: list[str]
    previous: Versus | None


class Action(TypedDict):
    dimension: str
    name: str
    because: list[Literal["weak", "disputed"]]
    actions: list[str]
    band: str | None
    band_label: str | None
    score: float | None
    spread: float | None


class MovedBand(TypedDict):
    dimension: str
    name: str
    to: str
    direction: BandMove
    # and "from": the earlier band (a keyword in Python, so not declared here)


class Earlier(TypedDict):
    source: str
    label: str | None
    date: str | None
    respondent_count: int | None
    moved_band: list[MovedBand]


class AssessResult(TypedDict):
    schema_version: int
    lang: Lang
    data_version: str
    date: str | None  # the command line always gives one (--date, or today)
    label: str | None
    anonymous: bool
    respondent_count: int
    respondents: list[RespondentEntry]
    dimensions: list[Dimension]
    overall: Overall
    actions: list[Action]
    previous: Earlier | None


# Keys the Python class syntax cannot declare (keywords), per TypedDict: the contract test adds them.
KEYWORD_KEYS: dict[str, frozenset[str]] = {"WhatIf": frozenset({"from"}), "MovedBand": frozenset({"from"})}
