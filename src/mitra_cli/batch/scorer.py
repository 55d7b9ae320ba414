"""Scoring one batch line: answers in, the result line out, from parts encoded once.

``LineScorer.line`` gives, byte for byte, what ``mitra recommend --json``
prints for the same answers (the tests hold them equal), several thousand
times faster than building and encoding the result each time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from mitra_cli.core.answers import Answer, Answers
from mitra_cli.core.engine import answer_pairs, plain_number
from mitra_cli.core.lang import Lang
from mitra_cli.core.memo import Memo
from mitra_cli.core.recommendation import Advisor, deciding_reasons
from mitra_cli.core.schema import SCHEMA_VERSION
from mitra_cli.views.i18n import message

if TYPE_CHECKING:  # the JSON contract's types, for annotations only (building them costs start-up)
    from mitra_cli.core import shapes

_ABSENT = object()  # a question the line does not answer (unlike a null, which is an answer)
# Compiled answers and encoded parts kept at once, per memo; a full memo is
# emptied and refilled, so memory stays flat however long or varied the input.
_MEMO_LIMIT = 4_000
# At most this many "one" questions share a memo: more would give more combinations than it holds.
_RUN_LENGTH = 3
_TAIL_LIMIT = 2_000  # principles and benefits, about 2 KB each


@dataclass(frozen=True, slots=True, eq=False)  # compared and hashed by identity
class _Part:
    """What one answer to a "many" question gives every pattern, ready to be written."""

    answer: Answer
    points: tuple[int | float, ...]
    reasons: tuple[bytes, ...]  # per pattern: its encoded reasons, comma-separated (b"" for none)


@dataclass(frozen=True, slots=True, eq=False)  # compared and hashed by identity
class _Run:
    """Answers to a run of consecutive "one" questions (the last run also holds
    the derived facts), with what they give every pattern."""

    answers: dict[str, Any]
    derived: dict[str, Answer]
    points: tuple[int | float, ...]
    reasons: tuple[bytes, ...]


def _encode(value: Any) -> bytes:
    return orjson.dumps(value)


class LineScorer:
    """Scores JSON lines into result lines, byte for byte what --json prints.

    A result is several KB of JSON, mostly the same from one line to the
    next, so it is written from parts encoded once: each run of consecutive
    "one" questions answered alike (a _Run: points, reasons, derived facts),
    each distinct answer to a "many" question (a _Part), each pattern's
    ranking prefix, and the text after the ranking.  A line is then a few
    look-ups, a sum per pattern and joins.  The tests hold every line equal
    to ``orjson.dumps(advisor.result(...))``.  Anything unusual (an unknown
    question, a value never seen, a missing answer) goes through the ordinary
    checker, which gives the same answers or the error.
    """

    def __init__(self, advisor: Advisor, lang: Lang, *, what_if: bool) -> None:
        self.advisor = advisor
        self.engine = advisor.engine
        self.lang: Lang = lang
        self.what_if = what_if
        self.questions = advisor.checker.question_ids
        self.specs = advisor.checker.specs
        # The questionnaire as segments: a tuple of "one" question ids, or a "many" question id.
        self.layout: list[tuple[str, ...] | str] = [()]
        for question in self.questions:
            if self.specs[question].many:
                self.layout += [question, ()]
            elif len(self.layout[-1]) >= _RUN_LENGTH:
                self.layout.append((question,))
            else:
                self.layout[-1] += (question,)  # type: ignore[operator]
        # Each derived fact depends only on the questions it reads: remembered per fact
        # under those answers, then the facts' values together key their contribution.
        self.facts = advisor.rules.derived
        # Facts some rule scores (the others only show in `derived`, or feed caveats and steps).
        self.scored = frozenset(rule.question for pattern in advisor.rules.patterns for rule in pattern.scoring)
        self.optional = frozenset(q.id for q in advisor.rules.questions if q.optional)
        self.derived_runs: Memo[tuple[Any, ...], _Run] = Memo(_MEMO_LIMIT)

        patterns = self.engine.patterns
        self.ids = [pattern.id for pattern in patterns]
        first = [_encode({"pattern": p.id, "name": p.name.get(lang)})[:-1] + b',"score":' for p in patterns]
        self.entry_first, self.entry_next = first, [b"," + prefix for prefix in first]
        self.head = _encode({"schema_version": SCHEMA_VERSION, "lang": lang, "data_version": advisor.rules.version})[:-1]
        # One memo per segment of the layout: raw answer(s) -> compiled segment.
        self.memos: list[Memo[Any, Any]] = [Memo(_MEMO_LIMIT) for _ in self.layout]

        self.tails: Memo[tuple[Any, ...], bytes] = Memo(_TAIL_LIMIT)
        self.caveat_tails: Memo[tuple[Any, ...], bytes] = Memo(_MEMO_LIMIT)
        # Answers to "many" questions by their canonical form, whatever order they came in,
        # and what each derived fact's value gives every pattern.
        self.canonical_parts: Memo[tuple[str, Any], _Part] = Memo(_MEMO_LIMIT)
        self.numbers: Memo[int | float, tuple[float, bytes]] = Memo(_MEMO_LIMIT)
        # Bounded by the number of patterns (and of parties who may ask): never emptied.
        self.closings: dict[tuple[int, str], bytes] = {}
        self.heads: dict[str, bytes] = {}
        self.encoded = {id(reason): _encode(reason) for reason in self.engine.reasons}
        self.failures = 0  # lines answered with an error line (counted by score_line)

    # -- compiling parts, once per distinct answer --------------------------------

    def _contribution(self, facts: list[tuple[str, str]]) -> tuple[tuple[int | float, ...], tuple[bytes, ...]]:
        columns = [self.engine.column(fact) for fact in facts]
        count = len(self.ids)
        points = tuple(sum(column[0][i] for column in columns) for i in range(count))
        reasons = tuple(
            b",".join(self.encoded[id(column[1][i])] for column in columns if column[1][i] is not None) for i in range(count)
        )
        return points, reasons

    def _part(self, question: str, answer: Answer) -> _Part:
        values = [answer] if isinstance(answer, str) else answer
        return _Part(answer, *self._contribution([(question, value) for value in values]))

    def _run(self, answers: dict[str, str], derived: dict[str, Answer] | None = None) -> _Run:
        derived = derived or {}
        pairs = [(fact, value) for fact, found in derived.items() for value in ([found] if isinstance(found, str) else found)]
        return _Run(answers, derived, *self._contribution([*answers.items(), *pairs]))

    def _number(self, total: int | float) -> tuple[float, bytes]:
        """A total's score, and `SCORE,"points":POINTS` encoded."""
        known = self.numbers.get(total)
        if known is None:
            score = self.engine.fit(total)
            known = self.numbers.keep(total, (score, _encode(score) + b',"points":' + _encode(plain_number(total))))
        return known

    def _tail(self, top: int, answers: Mapping[str, Any]) -> tuple[bytes, bytes, bytes]:
        """`,"principles":...,"trust":...}` for this pattern and these answers.

        Encoded in three pieces, each remembered under only what it depends on:
        principles and benefits (the pattern and the answers that call for
        them, such as goals), caveats (the
        pattern and the answers caveats look at), next steps and trust (the
        pattern alone).
        """
        links_key = (top, self.advisor.link_key(answers))
        caveats_key = (top, self.advisor.caveat_key(answers))
        by_links = self.tails.get(links_key)
        by_caveats = self.caveat_tails.get(caveats_key)
        closing_key = (top, self.advisor.asker(answers))  # next steps differ for the smaller party
        closing = self.closings.get(closing_key)
        if by_links is None or by_caveats is None or closing is None:
            tail = self.advisor.tail(self.ids[top], answers, self.lang)
            by_links = b',"principles":' + _encode(tail["principles"]) + b',"benefits":' + _encode(tail["benefits"])
            by_caveats = b',"caveats":' + _encode(tail["caveats"])
            closing = b',"next_steps":' + _encode(tail["next_steps"]) + b',"trust":' + _encode(tail["trust"]) + b"}"
            self.tails.keep(links_key, by_links)
            self.caveat_tails.keep(caveats_key, by_caveats)
            self.closings[closing_key] = closing
        return by_links, by_caveats, closing

    def _recommendation(self, pattern_id: str) -> bytes:
        head = self.heads.get(pattern_id)
        if head is None:
            head = self.heads[pattern_id] = _encode(self.advisor.pattern_head(pattern_id, self.lang))[:-1] + b',"score":'
        return head

    # -- one line ------------------------------------------------------------------

    def _compiled(self, raw: dict[str, Any]) -> tuple[Answers, dict[str, Answer], list[tuple[Any, ...]], list[tuple[bytes, ...]]]:
        """Answers, derived facts, and the rows of points and of reasons to add up, for `raw`."""
        answers: Answers = {}
        segments: list[_Run | _Part] = []
        present = 0
        for segment, memo in zip(self.layout, self.memos):
            if segment.__class__ is str:
                question: str = segment
                if question in self.optional and question not in raw:
                    continue  # not stated (a null is an answer, and refused as in answers files)
                value = raw.get(question)
                present += question in raw
                hashable = tuple(value) if value.__class__ is list else value
                part = memo.get(hashable)
                if part is None:
                    answer = self.specs[question].canonical(value)
                    if answer is None:
                        raise LookupError(question)
                    canonical_key = (question, tuple(answer) if isinstance(answer, list) else answer)
                    part = self.canonical_parts.get(canonical_key)
                    if part is None:
                        part = self.canonical_parts.keep(canonical_key, self._part(question, answer))
                    memo.keep(hashable, part)
                answers[question] = part.answer
                segments.append(part)
            else:
                key = tuple(raw.get(question, _ABSENT) for question in segment)
                present += sum(question in raw for question in segment)
                run = memo.get(key)
                if run is None:
                    run = memo.keep(key, self._run(self._canonical_run(segment, key), []))  # type: ignore[arg-type]
                answers.update(run.answers)
                segments.append(run)
        if present != len(raw):
            raise LookupError("unknown question")
        derived = self._derived_run(answers)
        segments.append(derived)
        return answers, derived.derived, [s.points for s in segments], [s.reasons for s in segments]

    def _deciding(self, answers: Answers, derived: dict[str, Answer], first: int, second: int) -> list[shapes.Deciding]:
        """`deciding` for a close call between patterns `first` and `second`, from their reasons."""
        facts = answer_pairs({**answers, **derived})
        reasons = [
            [reason for fact in facts if (reason := self.engine.column(fact)[1][index]) is not None] for index in (first, second)
        ]
        return deciding_reasons(
            {"pattern": self.ids[first], "reasons": reasons[0]}, {"pattern": self.ids[second], "reasons": reasons[1]}
        )

    def _derived_run(self, answers: Answers) -> _Run:
        """The derived facts of `answers` and what they give every pattern.

        What a fact's value gives every pattern is remembered once; the facts'
        values together key the run that adds them up.
        """
        facts = self.engine.derive(answers)
        values: list[Any] = [facts.get(fact.id) for fact in self.facts]
        values = [tuple(value) if value.__class__ is list else value for value in values]
        run_key = tuple(values)
        run = self.derived_runs.get(run_key)
        if run is None:
            derived: dict[str, Answer] = {}
            parts = []
            for fact, value in zip(self.facts, values, strict=True):
                if value is not None:
                    derived[fact.id] = list(value) if isinstance(value, tuple) else value
                    if fact.id in self.scored:
                        parts.append(self._fact_part(fact.id, value))
            count = len(self.ids)
            points = tuple(sum(part.points[i] for part in parts) for i in range(count))
            reasons = tuple(b",".join(part.reasons[i] for part in parts if part.reasons[i]) for i in range(count))
            run = self.derived_runs.keep(run_key, _Run({}, derived, points, reasons))
        return run

    def _fact_part(self, fact_id: str, value: Any) -> _Part:
        """What one derived fact's value gives every pattern, worked out once."""
        key = (fact_id, value)
        part = self.canonical_parts.get(key)
        if part is None:
            part = self.canonical_parts.keep(key, self._part(fact_id, list(value) if isinstance(value, tuple) else value))
        return part

    def _canonical_run(self, segment: tuple[str, ...], values: tuple[Any, ...]) -> dict[str, str]:
        answers = {}
        for question, value in zip(segment, values, strict=True):
            if value is _ABSENT and question in self.optional:
                continue  # not stated
            answer = self.specs[question].canonical(None if value is _ABSENT else value)
            if answer is None:
                raise LookupError(question)
            answers[question] = answer
        return answers  # type: ignore[return-value]

    def line(self, raw: dict[str, Any], number: int) -> bytes:
        """The result line (with its newline) for the answers `raw` of input line `number`."""
        try:
            answers, derived, point_rows, reason_rows = self._compiled(raw)
        except (LookupError, TypeError):
            # The ordinary path: it normalises what it can and names every problem.
            source = message("batch.line", self.lang, line=number)
            complete = self.advisor.complete(self.advisor.checker.check(raw, source=source), source=source)
            answers, derived, point_rows, reason_rows = self._compiled(complete)
        totals = [sum(column) for column in zip(*point_rows)]
        reasons = [b",".join(filter(None, column)) for column in zip(*reason_rows)]
        # sorted() is stable: equal points keep the data's order, as in the engine.
        negated = [-total for total in totals]
        order = sorted(range(len(totals)), key=negated.__getitem__)
        known = self.numbers.get
        numbers: list[tuple[float, bytes]] = [known(totals[i]) or self._number(totals[i]) for i in order]
        top = order[0]
        runner_up = numbers[1][0] if len(numbers) > 1 else numbers[0][0]
        margin = round(numbers[0][0] - runner_up, 1)
        close = b'false,"deciding":[]'
        if self.advisor.is_close(margin) and len(order) > 1:
            close = b'true,"deciding":' + _encode(self._deciding(answers, derived, order[0], order[1]))
        out = [
            self.head,
            b',"answers":',
            _encode(answers),
            b',"derived":',
            _encode(derived),
            b',"recommendation":',
            self._recommendation(self.ids[top]),
            numbers[0][1],
            b'},"margin":',
            _encode(margin),
            b',"close_call":',
            close,
            b',"ranking":[',
        ]
        opening = self.entry_first
        for i, (_, encoded) in zip(order, numbers, strict=True):
            out += (opening[i], encoded, b',"reasons":[', reasons[i], b"]}")
            opening = self.entry_next
        out.append(b"]")
        by_links, by_caveats, closing = self._tail(top, {**answers, **derived})
        if self.what_if:
            out += (by_links, by_caveats, closing[:-1], b',"what_if":', _encode(self.advisor.what_if(answers)), b"}\n")
        else:
            out += (by_links, by_caveats, closing, b"\n")
        return b"".join(out)
