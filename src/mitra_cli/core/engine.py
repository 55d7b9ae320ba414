"""The scoring engine: pure functions from answers and rules to scores.

The rules are compiled once into lookup tables (question -> answer -> the
points and reason of each pattern), so scoring an answer set is a handful of
dictionary look-ups.  Nothing here does I/O or knows a domain fact.

A pattern's points are the sum of its reasons' points; its fit score is
``round(100 / (1 + exp(-points / score_scale)), 1)`` with ``score_scale``
from patterns.yaml: 0 points give 50, and the score rises with every point
added, always strictly between 0 and 100.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from mitra_cli.core.answers import Answer
from mitra_cli.core.model import Derived, Pattern, Question, Rules, condition_holds

if TYPE_CHECKING:  # the JSON contract's types, for annotations only (building them costs start-up)
    from mitra_cli.core.shapes import Reason  # {"question": ..., "answer": ..., "points": ...}

# Values of a derived `compare` fact, in the data's own words (questions.yaml).
LARGER, SIMILAR, SMALLER, MIXED = "larger", "similar", "smaller", "mixed"
COMPARE_VALUES = (LARGER, SIMILAR, SMALLER, MIXED)


def fit_score(points: float, scale: float) -> float:
    """The documented formula: a logistic curve of the points, 0 to 100."""
    exponent = -points / scale
    if exponent > 700:  # math.exp overflows; the score is 0.0 after rounding anyway
        return 0.0
    return round(100.0 / (1.0 + math.exp(exponent)), 1)


def plain_number(points: float) -> int | float:
    return int(points) if float(points).is_integer() else points


class PatternScore(NamedTuple):
    pattern: Pattern
    points: int | float
    score: float
    reasons: tuple[Reason, ...]


class Engine:
    """Rules compiled for scoring; build once, score many answer sets."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.patterns = rules.patterns
        self.scale = rules.score_scale
        count = len(rules.patterns)
        # (question, answer) -> (points of each pattern, reason of each pattern or None):
        # one column per pattern, so scoring is a transpose and a sum per pattern.
        points: dict[tuple[str, str], list[int | float]] = {}
        reasons: dict[tuple[str, str], list[Reason | None]] = {}
        for index, pattern in enumerate(rules.patterns):
            for rule in pattern.scoring:
                key = (rule.question, rule.answer)
                value = plain_number(rule.points)
                points.setdefault(key, [0] * count)[index] += value
                reasons.setdefault(key, [None] * count)[index] = {
                    "question": rule.question,
                    "answer": rule.answer,
                    "points": value,
                }
        self._columns = {key: (tuple(points[key]), tuple(reasons[key])) for key in points}
        self._nothing: tuple[tuple[int | float, ...], tuple[Reason | None, ...]] = ((0,) * count, (None,) * count)
        self.reasons: tuple[Reason, ...] = tuple(r for _, column in self._columns.values() for r in column if r is not None)
        self._scores: dict[int | float, float] = {}
        self._scales: dict[str, dict[str, int]] = {
            d.id: {c.value: i for i, c in enumerate(rules.question(d.compare[0]).choices)} for d in rules.derived if d.compare[0]
        }
        self.compiled_facts = tuple(CompiledFact(d, self._scales.get(d.id, {})) for d in rules.derived)
        self._fact_inputs = tuple(zip(self.compiled_facts, (frozenset(d.inputs) for d in rules.derived), strict=True))
        # Every question some derived fact looks at: a change to one of them re-derives the facts.
        self.derived_inputs: tuple[str, ...] = tuple(
            dict.fromkeys(q for d in rules.derived for q in (*d.compare, *d.inputs) if q)
        )

    def facts(self, answers: Mapping[str, Answer], derived: Mapping[str, Answer] | None = None) -> list[tuple[str, str]]:
        """Every (question, answer) pair the rules can match, derived facts included (`derived`: when already known)."""
        if derived is None:
            return [*answer_pairs(answers), *self.derived_facts(answers)]
        return [*answer_pairs(answers), *answer_pairs(derived)]

    def derived_facts(self, answers: Mapping[str, Answer]) -> list[tuple[str, str]]:
        """The facts derived from `answers` (in the data's order), one pair per value."""
        return [
            (fact, value)
            for fact, found in self.derive(answers).items()
            for value in (found if isinstance(found, list) else [found])
        ]

    def derive(self, answers: Mapping[str, Answer]) -> dict[str, Answer]:
        """The derived facts of (possibly partial) answers: {fact: value or list of values}.

        A fact whose inputs are missing, or whose cases all fail, is simply absent.
        """
        known: dict[str, Any] = dict(answers)
        facts: dict[str, Answer] = {}
        for fact in self.compiled_facts:
            found = fact.derive(known)
            if found is not None:
                facts[fact.id] = known[fact.id] = found
        return facts

    def _derive_changed(
        self, answers: Mapping[str, Answer], base: dict[str, Answer], question: str, answer: Answer
    ) -> dict[str, Answer]:
        """The derived facts after one answer changes: only the facts that read it are worked out again."""
        known: dict[str, Any] = {**answers, **base, question: answer}
        facts = dict(base)
        for fact, inputs in self._fact_inputs:
            if question in inputs:
                found = fact.derive(known)
                if found is None:
                    facts.pop(fact.id, None)
                    known.pop(fact.id, None)
                else:
                    facts[fact.id] = known[fact.id] = found
        return facts

    def asked(self, question: Question, answers: Mapping[str, Answer]) -> bool:
        """Whether `question` is to be asked, given the answers so far (its `when` in questions.yaml).

        A condition on something not known yet (a later question, a fact it
        needs) may still hold, so the question still counts until it is ruled out.
        """
        if not question.when:
            return True
        known = {**answers, **self.derive(answers)}
        return any(
            all(name not in known or condition_holds(((name, accepted),), known) for name, accepted in condition)
            for condition in question.when
        )

    def column(self, fact: tuple[str, str]) -> tuple[tuple[int | float, ...], tuple[Reason | None, ...]]:
        """What one fact gives each pattern: (points, reason or None), in pattern order."""
        return self._columns.get(fact, self._nothing)

    def fit(self, points: int | float) -> float:
        """fit_score with this rule set's scale, remembered for each total seen."""
        score = self._scores.get(points)
        if score is None:
            score = self._scores[points] = fit_score(points, self.scale)
        return score

    def score(self, answers: Mapping[str, Answer]) -> list[PatternScore]:
        """Every pattern's score with its reasons, best first; ties keep the data's order."""
        return self.score_facts(self.facts(answers))

    def totals(self, facts: list[tuple[str, str]]) -> list[int | float]:
        """Each pattern's points for these facts, in the data's order."""
        columns, nothing = self._columns, self._nothing
        rows = [columns.get(fact, nothing)[0] for fact in facts] or [nothing[0]]
        return [sum(column) for column in zip(*rows)]

    def leader_after_change(
        self,
        answers: Mapping[str, Answer],
        totals: list[int | float],
        question: str,
        answer: Answer,
        derived: dict[str, Answer] | None = None,
    ) -> tuple[Pattern, float]:
        """The pattern that would come first if `question` were answered `answer` instead.

        Only what the change touches is recomputed: the points of the old and the
        new answer, and of the derived facts when they depend on this question
        (`derived`: the answers' own derived facts, when the caller has them).
        """
        removed = answer_pairs({question: answers[question]} if question in answers else {})
        added = answer_pairs({question: answer})
        if question in self.derived_inputs:
            base = self.derive(answers) if derived is None else derived
            after = self._derive_changed(answers, base, question, answer)
            if after != base:  # only the facts that differ move points
                before_pairs, after_pairs = answer_pairs(base), answer_pairs(after)
                before_set, after_set = set(before_pairs), set(after_pairs)
                removed += [pair for pair in before_pairs if pair not in after_set]
                added += [pair for pair in after_pairs if pair not in before_set]
        changed = list(totals)
        columns, nothing = self._columns, self._nothing
        for facts, sign in ((removed, -1), (added, 1)):
            for fact in facts:
                for index, points in enumerate(columns.get(fact, nothing)[0]):
                    if points:
                        changed[index] += sign * points
        best = max(range(len(changed)), key=changed.__getitem__)  # the first of equals: the data's order
        return self.patterns[best], self.fit(plain_number(changed[best]))

    def score_facts(self, facts: list[tuple[str, str]]) -> list[PatternScore]:
        """`score`, from the (question, answer) pairs `facts` gives."""
        columns, nothing = self._columns, self._nothing
        rows = [columns.get(fact, nothing) for fact in facts] or [nothing]
        totals = [sum(column) for column in zip(*[row[0] for row in rows])]
        reasons = [tuple(filter(None, column)) for column in zip(*[row[1] for row in rows])]
        scored = [
            PatternScore(pattern, plain_number(total), self.fit(total), pattern_reasons)
            for pattern, total, pattern_reasons in zip(self.patterns, totals, reasons, strict=True)
        ]
        # sorted() is stable, so equal points keep the order of patterns.yaml.
        return sorted(scored, key=lambda entry: -entry.points)


class CompiledFact:
    """A derived fact made quick to work out (what-if and --batch derive facts very often).

    Which case holds depends only on the values of the names its conditions
    read, so the case is remembered under those values (a small set: each is
    one answer among a few choices); only gathering `from` answers is done
    each time.
    """

    __slots__ = ("cases", "chosen", "compare", "id", "many", "names", "order", "scale")

    def __init__(self, derived: Derived, scale: dict[str, int]) -> None:
        self.id = derived.id
        self.compare = derived.compare if derived.compare[0] else None
        self.scale = scale
        self.many = derived.kind == "many"
        self.order = {value: i for i, value in enumerate(derived.values)}
        self.cases = tuple(
            (tuple((name, frozenset(accepted)) for name, accepted in case.when), case.value, case.sources, dict(case.mapping))
            for case in derived.cases
        )
        self.names = tuple(dict.fromkeys(name for when, _, _, _ in self.cases for name, _ in when))
        self.chosen: dict[tuple[Any, ...], int] = {}  # values of `names` -> index of the case that holds (-1: none)

    def derive(self, known: Mapping[str, Any]) -> Answer | None:
        if self.compare is not None:
            first, second = known.get(self.compare[0]), known.get(self.compare[1])
            if isinstance(first, str) and isinstance(second, str):
                return compare_on_scale(self.scale, first, second)
            return None
        key = tuple(tuple(value) if value.__class__ is list else value for value in map(known.get, self.names))
        index = self.chosen.get(key)
        if index is None:
            index = next((i for i, (when, _, _, _) in enumerate(self.cases) if all(_holds(known.get(n), a) for n, a in when)), -1)
            if len(self.chosen) < 10_000:  # bounded: the names hold few values each, so this is rarely reached
                self.chosen[key] = index
        if index < 0:
            return None
        _, value, sources, translate = self.cases[index]
        if value is not None:
            return value
        if not sources:
            return None  # a case that says "no fact here"
        gathered: list[str] = []
        for source in sources:
            answer = known.get(source)
            for item in answer if isinstance(answer, list) else ([answer] if isinstance(answer, str) else []):
                item = translate.get(item, item)
                if item in self.order and item not in gathered:
                    gathered.append(item)
        if self.many:
            return sorted(gathered, key=self.order.__getitem__)
        return gathered[0] if gathered else None


def _holds(answer: object, accepted: frozenset[str]) -> bool:
    if isinstance(answer, list):
        return not accepted.isdisjoint(answer)
    return answer in accepted


def answer_pairs(answers: Mapping[str, Answer]) -> list[tuple[str, str]]:
    """(question, value) for each answer, one pair per value of a "many" answer."""
    pairs: list[tuple[str, str]] = []
    for question, answer in answers.items():
        if isinstance(answer, str):
            pairs.append((question, answer))
        else:
            pairs.extend((question, value) for value in answer)
    return pairs


def compare_on_scale(scale: Mapping[str, int], first: str, second: str) -> str:
    """How `first` compares with `second` on the ordered choices of a question."""
    if first not in scale or second not in scale:
        return MIXED
    difference = scale[first] - scale[second]
    if difference > 0:
        return LARGER
    if difference < 0:
        return SMALLER
    return SIMILAR
