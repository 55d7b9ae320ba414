"""From validated answers to the whole recommendation object.

This is the object ``mitra recommend --json`` prints and ``recommend()``
returns (README, "JSON for scripts").  Parts that depend on only a few answers (the
principles and benefits for a pattern and a set of goals, its caveats, its
next steps) are built once and reused, which keeps ``--batch`` fast.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from mitra_cli.core.answers import AnswerChecker, Answers
from mitra_cli.core.engine import Engine, PatternScore, plain_number
from mitra_cli.core.errors import AnswersError, Problem
from mitra_cli.core.lang import Lang
from mitra_cli.core.memo import Memo
from mitra_cli.core.model import Item, Linked, Pattern, Question, Rules, condition_holds
from mitra_cli.core.schema import SCHEMA_VERSION

if TYPE_CHECKING:  # the JSON contract's types, for annotations only (building them costs start-up)
    from mitra_cli.core import shapes

    Result = shapes.RecommendResult  # what `mitra recommend --json` prints

WHAT_IF_LIMIT = 5
_MEMO_LIMIT = 2_000  # bounded (emptied when full), so memory stays flat over any batch


class Advisor:
    """Rules, compiled once, that turn answer sets into recommendations."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.engine = Engine(rules)
        self.checker = AnswerChecker(rules)
        # Questions whose chosen answers call for principles or benefits (in the shipped data: goals).
        self._link_questions = tuple(q for q in rules.questions if any(c.benefits or c.principles for c in q.choices))
        self.caveat_questions = sorted(
            {question for pattern in rules.patterns for caveat in pattern.caveats for question, _ in caveat.when}
            | {question for caveat in rules.common_caveats for question, _ in caveat.when}
        )
        self._memo: Memo[tuple[Any, ...], Any] = Memo(_MEMO_LIMIT)
        kinds = {q.id: q.kind for q in rules.questions}
        self._caveats_on_one_answers = all(kinds.get(q) == "one" for q in self.caveat_questions)
        self._derived_ids = frozenset(d.id for d in rules.derived)
        self._patterns = {pattern.id: pattern for pattern in rules.patterns}

    # -- answers --------------------------------------------------------------

    def complete(self, answers: Answers, *, source: str) -> Answers:
        """Fill "many" questions that may be empty; raise if a required one is missing.

        An optional question left out stays out: "not stated", it changes no score.
        """
        filled = dict(answers)
        for question in self.rules.questions:
            if question.id not in filled and question.kind == "many" and question.min_choices == 0 and not question.optional:
                filled[question.id] = []
        missing = self.checker.missing(filled)
        if missing:
            raise AnswersError([Problem(source, None, "", "answers.missing", {"ids": ", ".join(missing)})])
        return {qid: filled[qid] for qid in self.checker.question_ids if qid in filled}

    # -- the result -----------------------------------------------------------

    def result(self, answers: Answers, lang: Lang, *, what_if: bool = True) -> Result:
        """The recommendation for complete, validated answers."""
        derived = self.engine.derive(answers)
        ranking = self.engine.score_facts(self.engine.facts(answers, derived))
        entries: list[shapes.Ranked] = [
            {
                "pattern": s.pattern.id,
                "name": s.pattern.name.get(lang),
                "score": s.score,
                "points": s.points,
                "reasons": list(s.reasons),
            }
            for s in ranking
        ]
        result = self.assemble(answers, derived, entries, lang)
        if what_if:
            result["what_if"] = self.what_if(answers, ranking)
        return result

    def assemble(self, answers: Answers, derived: dict[str, Any], ranking: list[shapes.Ranked], lang: Lang) -> Result:
        """The result object around a ranking (entries best first)."""
        top, runner_up = ranking[0], ranking[1] if len(ranking) > 1 else ranking[0]
        pattern = self._patterns[top["pattern"]]
        margin = round(top["score"] - runner_up["score"], 1)
        tail = self.tail(pattern.id, {**answers, **derived}, lang)
        return {
            "schema_version": SCHEMA_VERSION,
            "lang": lang,
            "data_version": self.rules.version,
            "answers": answers,
            "derived": derived,
            "recommendation": {**self.pattern_head(pattern.id, lang), "score": top["score"], "points": top["points"]},
            "margin": margin,
            "close_call": self.is_close(margin),
            "deciding": deciding_reasons(top, runner_up) if self.is_close(margin) else [],
            "ranking": ranking,
            "principles": tail["principles"],
            "benefits": tail["benefits"],
            "caveats": tail["caveats"],
            "next_steps": tail["next_steps"],
            "trust": tail["trust"],
        }

    def is_close(self, margin: float) -> bool:
        """Too close to call: the top two within the data's close_call_margin (a tie always is)."""
        return margin <= self.rules.close_call_margin

    def tail(self, pattern_id: str, answers: Mapping[str, Any], lang: Lang) -> shapes.Tail:
        """What follows the ranking: principles, benefits, caveats, next steps, trust.

        `answers` holds the derived facts too: caveats and steps look at them
        (who is answering, which party is larger and of what kind).
        """
        pattern = self._patterns[pattern_id]
        linked = self.link_key(answers)
        return {
            "principles": self._memoised(
                ("principles", pattern.id, linked, lang), lambda: self._principles(pattern, linked, lang)
            ),
            "benefits": self._memoised(("benefits", pattern.id, linked, lang), lambda: self._benefits(pattern, linked, lang)),
            "caveats": self._memoised(
                ("caveats", pattern.id, self.caveat_key(answers), lang), lambda: self._caveats(pattern, answers, lang)
            ),
            "next_steps": self._memoised(
                ("steps", pattern.id, self.asker(answers), lang), lambda: self._next_steps(pattern, self.asker(answers), lang)
            ),
            "trust": self._memoised(("trust", lang), lambda: self._trust(lang)),
        }

    def asker(self, answers: Mapping[str, Any]) -> str:
        """Which party asks: "smaller" (patterns.yaml's smaller_asks holds) gets steps it can take itself."""
        smaller = self.rules.smaller_asks and condition_holds(self.rules.smaller_asks, answers)
        return "smaller" if smaller else "larger"

    def link_key(self, answers: Mapping[str, Any]) -> tuple[tuple[str, ...], ...]:
        """The answers that call for principles and benefits (goals, in the shipped data)."""
        return tuple(_as_tuple(answers.get(question.id, [])) for question in self._link_questions)

    def caveat_key(self, answers: Mapping[str, Any]) -> tuple[Any, ...]:
        """The answers that decide which caveats apply."""
        if self._caveats_on_one_answers:
            return tuple(map(answers.get, self.caveat_questions))
        return tuple(_as_tuple(answers.get(q)) for q in self.caveat_questions)

    def _memoised(self, key: tuple[Any, ...], build: Any) -> Any:
        value = self._memo.get(key)
        if value is None:
            value = self._memo.keep(key, build())
        return value

    def pattern_head(self, pattern_id: str, lang: Lang) -> shapes.PatternHead:
        """The recommendation's description of a pattern (without its score)."""
        pattern = self._patterns[pattern_id]
        head: shapes.PatternHead = self._memoised(
            ("head", pattern.id, lang),
            lambda: {
                "pattern": pattern.id,
                "name": pattern.name.get(lang),
                "summary": pattern.summary.get(lang),
                "statutory_forms": [form.get(lang) for form in pattern.statutory_forms],
            },
        )
        return head

    def _ranked_items(
        self,
        items: tuple[Item, ...],
        links: tuple[Linked, ...],
        linked: tuple[tuple[str, ...], ...],
        kind: str,
        lang: Lang,
    ) -> list[shapes.RankedItem]:
        """Principles or benefits (`kind`): the pattern's own first, then those the answers call for."""
        relevance: dict[str, int] = {}
        whys: dict[str, list[str]] = {}
        matched_goals: dict[str, list[str]] = {}
        goal_labels: dict[str, list[str]] = {}
        for link in links:
            relevance[link.id] = relevance.get(link.id, 0) + 2
            whys.setdefault(link.id, []).append(link.why.get(lang))
        for question, chosen in zip(self._link_questions, linked, strict=True):
            for value in chosen:
                choice = question.choice(value)
                for item_id in getattr(choice, kind):
                    relevance[item_id] = relevance.get(item_id, 0) + 1
                    matched_goals.setdefault(item_id, []).append(value)
                    goal_labels.setdefault(item_id, []).append(choice.label.get(lang))
        for item_id, labels in goal_labels.items():  # one sentence naming every goal the item serves
            template = self.rules.goal_reason.get(len(labels), lang)  # worded for one goal or several
            if template:
                whys.setdefault(item_id, []).append(template.replace("{goals}", ", ".join(labels)))
        first_seen = list(relevance)
        ordered = sorted(first_seen, key=lambda item_id: (-relevance[item_id], first_seen.index(item_id)))
        by_id = {item.id: item for item in items}
        ranked: list[shapes.RankedItem] = [
            {
                "id": item_id,
                "name": by_id[item_id].name.get(lang),
                "summary": by_id[item_id].summary.get(lang),
                "why": " ".join(whys[item_id]),
                "goals": matched_goals.get(item_id, []),
            }
            for item_id in ordered
        ]
        return ranked

    def _principles(self, pattern: Pattern, linked: tuple[tuple[str, ...], ...], lang: Lang) -> list[shapes.RankedItem]:
        return self._ranked_items(self.rules.principles, pattern.principles, linked, "principles", lang)

    def _benefits(self, pattern: Pattern, linked: tuple[tuple[str, ...], ...], lang: Lang) -> list[shapes.RankedItem]:
        return self._ranked_items(self.rules.benefits, pattern.benefits, linked, "benefits", lang)

    def _caveats(self, pattern: Pattern, answers: Mapping[str, Any], lang: Lang) -> list[shapes.Caveat]:
        chosen = [c for c in pattern.caveats if condition_holds(c.when, answers)]
        chosen += [c for c in self.rules.common_caveats if pattern.id in c.patterns and condition_holds(c.when, answers)]
        return [{"id": c.id, "text": c.text.get(lang), "items": [item.get(lang) for item in c.items]} for c in chosen]

    def _next_steps(self, pattern: Pattern, asker: str, lang: Lang) -> list[shapes.Step]:
        own = pattern.steps_smaller if asker == "smaller" and pattern.steps_smaller else pattern.steps
        prefix = f"{pattern.id}-smaller" if own is not pattern.steps else pattern.id
        steps: list[shapes.Step] = [
            {"id": f"{prefix}-{number}", "name": pattern.name.get(lang), "text": step.get(lang)}
            for number, step in enumerate(own, start=1)
        ]
        steps += [
            {"id": e.id, "name": e.name.get(lang) if e.name else "", "text": e.text.get(lang)} for e in self.rules.guide.process
        ]
        return steps

    def _trust(self, lang: Lang) -> shapes.Trust:
        trust = self.rules.guide.trust
        return {
            "essence": trust.essence.get(lang),
            "elements": [
                {"id": e.id, "role": e.role, "name": e.name.get(lang), "meaning": e.meaning.get(lang)} for e in trust.elements
            ],
        }

    # -- what would change it -------------------------------------------------

    def what_if(self, answers: Answers, ranking: list[PatternScore] | None = None) -> list[shapes.WhatIf]:
        """Single-answer changes that put another pattern on top, nearest first.

        Nearness is the number of steps the answer moves on an ordered scale
        (1 for any other change); among equally near changes, the one whose new
        leader scores highest comes first, then questionnaire order.
        """
        ranking = ranking or self.engine.score(answers)
        current = ranking[0].pattern.id
        derived = self.engine.derive(answers)
        totals = self.engine.totals(self.engine.facts(answers, derived))
        found: list[tuple[int, float, int, shapes.WhatIf]] = []
        order = 0
        for question in self.rules.questions:
            for answer, distance, change in _alternatives(question, answers.get(question.id)):
                order += 1
                leader, score = self.engine.leader_after_change(answers, totals, question.id, answer, derived)
                if leader.id == current:
                    continue
                # `change` says what moved: "added"/"removed" for a many-question, "from" (a keyword key) for a one-question
                entry = cast(
                    "shapes.WhatIf", {"question": question.id, "answer": answer, "pattern": leader.id, "score": score, **change}
                )
                found.append((distance, -score, order, entry))
        found.sort(key=lambda item: item[:3])
        return [entry for _, _, _, entry in found[:WHAT_IF_LIMIT]]


def _alternatives(question: Question, current: object) -> list[tuple[Any, int, dict[str, Any]]]:
    """Every answer one change away from `current`, with its distance and what changed."""
    values = question.values
    if question.kind == "one":
        if not isinstance(current, str):
            return []
        scale = question.scale
        return [
            (
                value,
                abs(scale.index(value) - scale.index(current)) if value in scale and current in scale else 1,
                {"from": current},
            )
            for value in values
            if value != current
        ]
    chosen = list(current) if isinstance(current, list) else []
    options = []
    for value in values:
        if value in chosen:
            if len(chosen) - 1 < question.min_choices:
                continue
            options.append(([v for v in chosen if v != value], 1, {"removed": value}))
        else:
            options.append(([v for v in values if v in chosen or v == value], 1, {"added": value}))
    return options


def deciding_reasons(first: Mapping[str, Any], second: Mapping[str, Any], count: int = 2) -> list[shapes.Deciding]:
    """The answers (or facts) that tell the top two apart most: where their points differ the most."""
    points: dict[tuple[str, str], list[float]] = {}
    for index, entry in enumerate((first, second)):
        for reason in entry["reasons"]:
            points.setdefault((reason["question"], reason["answer"]), [0, 0])[index] += reason["points"]
    ranked = sorted(points.items(), key=lambda item: -abs(item[1][0] - item[1][1]))
    return [
        {
            "question": question,
            "answer": answer,
            "favours": first["pattern"] if a > b else second["pattern"],
            "difference": plain_number(abs(a - b)),
        }
        for (question, answer), (a, b) in ranked[:count]
        if a != b
    ]


def _as_tuple(value: object) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, list) else (value,)
