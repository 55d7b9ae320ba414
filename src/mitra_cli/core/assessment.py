"""`mitra assess`: checking responses and scoring a partnership's health.

Pure functions: responses (statement id -> 1..5, or None for "don't know")
of one or more respondents, and the rules, give the result object that
`mitra assess --json` prints.  Reversed statements are scored in reverse;
"don't know" is left out of every mean.  Each dimension also carries its
statements' detail (mean, spread, counts, and each respondent's answer
unless the result is anonymous); an anonymous result names nobody.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

from mitra_cli.core.answers import normalise
from mitra_cli.core.errors import AnswersError, Problem, type_name
from mitra_cli.core.lang import Lang
from mitra_cli.core.model import Assessment, Band, Rules, Statement
from mitra_cli.core.schema import SCHEMA_VERSION

if TYPE_CHECKING:  # the JSON contract's types, for annotations only (building them costs start-up)
    from mitra_cli.core import shapes

Responses = dict[str, int | None]  # statement id -> scale value, None for "don't know"


class ResponseChecker:
    """Reads one respondent's answers: statement id -> a scale value or "don't know"."""

    def __init__(self, assessment: Assessment) -> None:
        self.assessment = assessment
        self.order = [statement.id for statement in assessment.statements]
        self.lookup: dict[str, int | None] = {}
        for choice in assessment.scale:
            for text in (str(choice.value), choice.label.en, choice.label.id):
                self.lookup[normalise(text)] = choice.value
        for text in (assessment.dont_know.value, assessment.dont_know.label.en, assessment.dont_know.label.id, "dont_know", "?"):
            self.lookup[normalise(text)] = None
        self.valid = ", ".join([*(str(c.value) for c in assessment.scale), assessment.dont_know.value])

    def value(self, raw: object) -> tuple[bool, int | None]:
        """(understood, value) for one answer."""
        if raw is None:
            return True, None
        if isinstance(raw, bool):
            return False, None
        if isinstance(raw, (int, float)) and float(raw).is_integer():
            raw = str(int(raw))
        if isinstance(raw, str):
            key = normalise(raw)
            if key in self.lookup:
                return True, self.lookup[key]
        return False, None

    def check(self, raw: object, *, source: str, lines: Mapping[str, int] | None = None) -> Responses:
        if not isinstance(raw, Mapping):
            raise AnswersError(
                [Problem(source, 1 if lines is not None else None, "", "answers.not_mapping", {"found": type_name(raw)})]
            )
        problems: list[Problem] = []
        responses: Responses = {}
        known = set(self.order)
        for key, value in raw.items():
            line = lines.get(str(key)) if lines else None
            if key not in known:
                problems.append(Problem(source, line, str(key), "assess.unknown_statement", {"hint": "mitra assess --list"}))
                continue
            understood, answer = self.value(value)
            if not understood:
                problems.append(Problem(source, line, str(key), "assess.bad_value", {"value": value, "valid": self.valid}))
                continue
            responses[key] = answer
        if problems:
            raise AnswersError(problems)
        return {statement: responses[statement] for statement in self.order if statement in responses}

    def missing(self, responses: Responses) -> list[str]:
        return [statement for statement in self.order if statement not in responses]


def band_of(score: float, bands: tuple[Band, ...]) -> Band:
    for band in bands:
        if score >= band.start:
            return band
    return bands[-1]


def band_colour(band_id: str | None, bands: tuple[Band, ...]) -> shapes.BandColour | None:
    """How people read a band: the best green, the worst red, any between amber (always shown with its name too)."""
    ids = [band.id for band in bands]
    if band_id is None or band_id not in ids:
        return None
    position = ids.index(band_id)
    return "green" if position == 0 else "red" if position == len(ids) - 1 else "amber"


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _shown(value: float | None) -> float | None:
    """Scores are reported, and banded, to two decimals."""
    return round(value, 2) if value is not None else None


def _spread(values: list[float]) -> float | None:
    return _shown(max(values) - min(values)) if len(values) >= 2 else None


class _Scorer:
    """Scores a rule set's statements: reversing, bands, and each statement's detail."""

    def __init__(self, assessment: Assessment, lang: Lang) -> None:
        self.assessment = assessment
        self.lang = lang
        self.low, self.high = assessment.scale[0].value, assessment.scale[-1].value

    def scored(self, statement: Statement, value: int) -> int:
        return self.low + self.high - value if statement.reversed else value

    def band(self, score: float | None) -> tuple[str | None, str | None]:
        """The band's id and label for a score (none for no score)."""
        if score is None:
            return None, None
        found = band_of(score, self.assessment.bands)
        return found.id, found.label.get(self.lang)

    def statement(
        self, statement: Statement, respondents: list[tuple[str, Responses]], anonymous: bool
    ) -> shapes.StatementDetail:
        """One statement across respondents: its mean (after reversing), spread, counts and answers."""
        given = [(name, responses.get(statement.id)) for name, responses in respondents]
        raw = [value for _, value in given if value is not None]
        scores = [float(self.scored(statement, value)) for value in raw]
        spread = _spread(scores)
        counts = {str(choice.value): raw.count(choice.value) for choice in self.assessment.scale}
        counts[self.assessment.dont_know.value] = len(given) - len(raw)
        return {
            "id": statement.id,
            "text": statement.text.get(self.lang),
            "reversed": statement.reversed,
            "mean": _shown(_mean(scores)),
            "answer_mean": _shown(_mean([float(value) for value in raw])),
            "spread": spread,
            "disputed": spread is not None and spread >= self.assessment.dispute_spread,
            "answered": len(raw),
            "dont_know": len(given) - len(raw),
            "counts": counts,
            "answers": []
            if anonymous
            else [
                {"respondent": name, "answer": value, "score": None if value is None else self.scored(statement, value)}
                for name, value in given
            ],
        }


def assess(
    respondents: list[tuple[str, Responses]],
    rules: Rules,
    lang: Lang,
    *,
    anonymous: bool = False,
    group_name: str = "",
    date: str | None = None,
    label: str | None = None,
) -> shapes.AssessResult:
    """The health of the partnership by dimension, by respondent, and overall.

    `anonymous`: every answer still counts, but the result names nobody and
    holds nothing per respondent (one group entry, called `group_name`, in
    `respondents`; `by_respondent` and each statement's `answers` empty).
    """
    assessment = rules.assessment
    assert assessment is not None
    scorer = _Scorer(assessment, lang)

    dimensions: list[shapes.Dimension] = []
    for dimension in assessment.dimensions:
        by_respondent: list[shapes.RespondentScore] = []
        means: list[float] = []
        for name, responses in respondents:
            values = [
                scorer.scored(statement, answer)
                for statement in dimension.statements
                if (answer := responses.get(statement.id)) is not None
            ]
            mean = _mean([float(v) for v in values])
            if mean is not None:
                means.append(mean)
            by_respondent.append({"respondent": name, "score": _shown(mean), "answers": len(values)})
        score = _shown(_mean(means))  # each respondent counts once, however many statements they answered
        spread = _spread(means)
        band_id, band_label = scorer.band(score)
        dimensions.append(
            {
                "id": dimension.id,
                "kind": dimension.kind,
                "name": rules.dimension_name(dimension.id, lang),
                "score": score,
                "band": band_id,
                "band_label": band_label,
                "band_colour": band_colour(band_id, assessment.bands),
                "answered": score is not None,
                "spread": spread,
                "disputed": spread is not None and spread >= assessment.dispute_spread,
                "by_respondent": [] if anonymous else by_respondent,
                "statements": [scorer.statement(s, respondents, anonymous) for s in dimension.statements],
                "previous": None,
            }
        )

    weak_bands = {band.id for band in assessment.bands if band.weak}
    scored = [(d, score) for d in dimensions if (score := d["score"]) is not None]
    weakest = [d for d, _ in sorted(scored, key=lambda pair: pair[1])]
    triangle_ids = [e.id for e in rules.guide.trust.elements if e.role == "triangle"]
    triangle = _shown(_mean([score for d, score in scored if d["id"] in triangle_ids]))
    overall_score = _shown(_mean([score for _, score in scored]))
    actions: list[shapes.Action] = []
    by_id = {d.id: d for d in assessment.dimensions}
    for entry in [*weakest, *[d for d in dimensions if d["score"] is None]]:
        because: list[Literal["weak", "disputed"]] = []
        if entry["band"] in weak_bands:
            because.append("weak")
        if entry["disputed"]:
            because.append("disputed")
        if because:
            actions.append(
                {
                    "dimension": entry["id"],
                    "name": entry["name"],
                    "because": because,
                    "actions": [text.get(lang) for text in by_id[entry["id"]].actions],
                    "band": entry["band"],
                    "band_label": entry["band_label"],
                    "score": entry["score"],
                    "spread": entry["spread"],
                }
            )
    counted: list[shapes.RespondentEntry] = [
        {
            "name": name,
            "answered": sum(1 for value in responses.values() if value is not None),
            "dont_know": len(assessment.statements) - sum(1 for value in responses.values() if value is not None),
        }
        for name, responses in respondents
    ]
    if anonymous:
        counted = [
            {
                "name": group_name,
                "answered": sum(entry["answered"] for entry in counted),
                "dont_know": sum(entry["dont_know"] for entry in counted),
            }
        ]
    return {
        "schema_version": SCHEMA_VERSION,
        "lang": lang,
        "data_version": rules.version,
        "date": date,
        "label": label,
        "anonymous": anonymous,
        "respondent_count": len(respondents),
        "respondents": counted,
        "dimensions": dimensions,
        "overall": {
            "score": overall_score,
            "band": scorer.band(overall_score)[0],
            "band_colour": band_colour(scorer.band(overall_score)[0], assessment.bands),
            "trust_triangle": {
                "dimensions": triangle_ids,
                "score": triangle,
                "band": scorer.band(triangle)[0],
            },
            "weakest": [d["id"] for d in weakest],
            "disputed": [d["id"] for d in dimensions if d["disputed"]],
            "unanswered": [d["id"] for d in dimensions if d["score"] is None],
            "previous": None,
        },
        "actions": actions,
        "previous": None,
    }
