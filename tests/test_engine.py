"""The scoring engine: unit tests and properties over random valid answers."""

from __future__ import annotations

import itertools
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mitra_cli import describe, recommend
from mitra_cli.core.engine import Engine, compare_on_scale, fit_score
from mitra_cli.core.errors import AnswersError
from mitra_cli.core.model import Rule
from mitra_cli.core.recommendation import Advisor
from strategies import RULES, valid_answers

SUGAR_MILL = {
    "org_type": "business",
    "size": "large",
    "partner_size": "micro",
    "partner_count": "many",
    "offer": ["capital", "technology", "market"],
    "need": ["raw-materials"],
    "goals": ["supply-security"],
    "relationship": "lead",
    "horizon": "long",
    "partner_capability": "low",
}
STATE_ENTERPRISE = {
    "org_type": "business",
    "size": "large",
    "partner_size": "small",
    "partner_count": "few",
    "offer": ["capital", "expertise"],
    "need": [],
    "goals": ["capacity-building"],
    "relationship": "lead",
    "horizon": "long",
    "partner_capability": "low",
}
SALES_AGENT = {
    "org_type": "business",
    "size": "small",
    "partner_size": "large",
    "partner_count": "one",
    "offer": ["distribution"],
    "need": [],
    "goals": ["trade", "market-access"],
    "relationship": "equal",
    "horizon": "short",
    "partner_capability": "medium",
}

# The same situations told from the other side of the table, and more cases a
# consultant meets (the same situation gets the same pattern, whoever asks).
CASES: list[tuple[str, dict[str, Any], str]] = [
    ("sugar mill", SUGAR_MILL, "nucleus-plasma"),
    ("state enterprise mentor", STATE_ENTERPRISE, "nurturing"),
    ("sales agent", SALES_AGENT, "parallel"),
    (
        "growers' cooperative wanting a mill",
        {
            **SUGAR_MILL,
            "org_type": "cooperative",
            "size": "micro",
            "partner_size": "large",
            "partner_count": "one",
            "offer": ["raw-materials", "land"],
            "need": ["capital", "technology", "market"],
            "goals": ["market-access", "capacity-building"],
            "relationship": "follow",
        },
        "nucleus-plasma",
    ),
    (
        "craft business wanting a mentor",
        {
            **STATE_ENTERPRISE,
            "size": "micro",
            "partner_size": "large",
            "partner_count": "one",
            "offer": [],
            "need": ["capital", "expertise"],
            "relationship": "follow",
        },
        "nurturing",
    ),
    (
        "producer wanting an agent",
        {
            **SALES_AGENT,
            "size": "large",
            "partner_size": "small",
            "offer": ["brand"],
            "need": ["distribution"],
            "partner_capability": "high",
        },
        "parallel",
    ),
    (
        "carmaker outsourcing components",
        {
            "org_type": "business",
            "size": "large",
            "partner_size": "small",
            "partner_count": "few",
            "offer": ["technology", "market"],
            "need": ["production"],
            "goals": ["outsourcing", "quality"],
            "relationship": "lead",
            "horizon": "medium",
            "partner_capability": "high",
        },
        "subcontract",
    ),
    (
        "workshop wanting orders",
        {
            "org_type": "business",
            "size": "small",
            "partner_size": "large",
            "partner_count": "one",
            "offer": ["production"],
            "need": ["market", "technology"],
            "goals": ["market-access"],
            "relationship": "follow",
            "horizon": "medium",
            "partner_capability": "medium",
        },
        "subcontract",
    ),
    (
        "sister cities",
        {
            "org_type": "government",
            "size": "large",
            "partner_size": "large",
            "partner_count": "few",
            "offer": ["expertise", "network"],
            "need": ["expertise"],
            "goals": ["shared-mission", "innovation"],
            "relationship": "equal",
            "horizon": "long",
            "partner_capability": "high",
        },
        "futuristic",
    ),
    (
        "water-user groups",
        {
            "org_type": "community",
            "size": "small",
            "partner_size": "mixed",
            "partner_count": "many",
            "offer": ["network"],
            "need": ["raw-materials"],
            "goals": ["supply-security", "efficiency"],
            "relationship": "flexible",
            "horizon": "medium",
            "partner_capability": "medium",
        },
        "needs-based",
    ),
]


CASES += [
    (
        "government nurturing many farmers",
        {
            "org_type": "government",
            "size": "large",
            "partner_size": "micro",
            "partner_count": "many",
            "offer": ["capital", "technology", "expertise"],
            "need": [],
            "goals": ["capacity-building"],
            "relationship": "lead",
            "horizon": "long",
            "partner_capability": "low",
        },
        "nurturing",
    ),
    (
        "garment maker outsourcing sewing to many workshops",
        {
            "org_type": "business",
            "size": "medium",
            "partner_size": "micro",
            "partner_count": "many",
            "offer": ["market", "technology"],
            "need": ["production"],
            "goals": ["outsourcing", "efficiency"],
            "relationship": "lead",
            "horizon": "medium",
            "partner_capability": "medium",
        },
        "subcontract",
    ),
    (
        "franchisee of a large brand",
        {
            "org_type": "business",
            "size": "micro",
            "partner_size": "large",
            "partner_count": "one",
            "offer": ["distribution"],
            "need": ["brand"],
            "goals": ["trade"],
            "relationship": "follow",
            "horizon": "medium",
            "partner_capability": "medium",
        },
        "parallel",
    ),
    (
        "joint research between equals",
        {
            "org_type": "business",
            "size": "medium",
            "partner_size": "medium",
            "partner_count": "one",
            "offer": ["technology", "expertise"],
            "need": ["technology"],
            "goals": ["innovation", "shared-mission"],
            "relationship": "equal",
            "horizon": "long",
            "partner_capability": "high",
        },
        "futuristic",
    ),
    (
        "mangrove partners at several levels",
        {
            "org_type": "community",
            "size": "small",
            "partner_size": "mixed",
            "partner_count": "many",
            "offer": ["land", "network"],
            "need": ["capital", "expertise"],
            "goals": ["shared-mission"],
            "relationship": "flexible",
            "horizon": "long",
            "partner_capability": "medium",
        },
        "needs-based",
    ),
]


@pytest.mark.parametrize(("name", "answers", "expected"), CASES, ids=[c[0] for c in CASES])
def test_ordinary_cases_get_the_right_pattern(name: str, answers: dict[str, Any], expected: str) -> None:
    assert recommend(answers)["recommendation"]["pattern"] == expected


def test_fit_score_formula() -> None:
    assert fit_score(0, 25) == 50.0
    assert fit_score(25, 25) == 73.1
    assert fit_score(-25, 25) == 26.9
    assert fit_score(-10_000, 25) == 0.0
    assert fit_score(10_000, 25) == 100.0


def test_compare_on_scale() -> None:
    scale = {"micro": 0, "small": 1, "medium": 2, "large": 3}
    assert compare_on_scale(scale, "large", "micro") == "larger"
    assert compare_on_scale(scale, "small", "small") == "similar"
    assert compare_on_scale(scale, "micro", "medium") == "smaller"
    assert compare_on_scale(scale, "micro", "mixed") == "mixed"


def test_reasons_name_question_answer_and_points() -> None:
    result = recommend(SUGAR_MILL)
    top = result["ranking"][0]
    assert {"question": "aim", "answer": "supply", "points": 12} in top["reasons"]
    assert {"question": "smaller_brings", "answer": "raw-materials", "points": 8} in top["reasons"]
    assert result["derived"]["scale_gap"] == "larger"
    assert result["derived"]["answerer"] == "larger"
    assert result["derived"]["smaller_brings"] == ["raw-materials"]
    # every reason names a question or a derived fact a script can resolve
    known = {q.id for q in RULES.questions} | {d.id for d in RULES.derived}
    assert all(reason["question"] in known for entry in result["ranking"] for reason in entry["reasons"])


def test_result_carries_the_contract_keys() -> None:
    result = recommend(SUGAR_MILL)
    assert {"schema_version", "answers", "recommendation", "ranking", "principles", "benefits", "caveats", "next_steps"} <= set(
        result
    )
    assert result["schema_version"] == 1
    assert set(result["recommendation"]) >= {"pattern", "name", "score"}
    assert [step["id"] for step in result["next_steps"]][-3:] == ["mission-statement", "agreed-goals", "partnership-workshop"]
    assert {e["id"] for e in result["trust"]["elements"]} >= {"honesty", "fairness", "wisdom"}


def test_subcontract_with_partners_below_high_capability_lists_the_five_areas() -> None:
    answers = dict(CASES[6][1], partner_capability="medium")
    result = recommend(answers)
    assert result["recommendation"]["pattern"] == "subcontract"
    capacity = next(c for c in result["caveats"] if c["id"] == "capacity-building")
    assert len(capacity["items"]) == 5
    high = recommend(dict(answers, partner_capability="high"))
    assert all(c["id"] != "capacity-building" for c in high["caveats"])


@pytest.mark.parametrize("answers", [SUGAR_MILL, STATE_ENTERPRISE])
def test_asymmetric_patterns_warn_against_owning_the_partner(answers: dict[str, Any]) -> None:
    assert any(c["id"] == "no-ownership-or-control" for c in recommend(answers)["caveats"])


def test_parallel_does_not_warn_about_ownership() -> None:
    assert all(c["id"] != "no-ownership-or-control" for c in recommend(SALES_AGENT)["caveats"])


def test_goals_bring_their_benefits_first_with_why() -> None:
    benefits = recommend(SALES_AGENT)["benefits"]
    wider = next(b for b in benefits if b["id"] == "wider-access")
    assert benefits[0]["id"] == "wider-access"
    assert wider["goals"] == ["trade", "market-access"]
    assert "Serves your goal" in wider["why"]


def test_indonesian_result() -> None:
    result = recommend(SUGAR_MILL, lang="id")
    assert result["recommendation"]["name"] == "Pola inti plasma"
    assert "Sesuai tujuan Anda" in " ".join(b["why"] for b in result["benefits"])


def test_invalid_answers_raise_with_every_problem() -> None:
    with pytest.raises(AnswersError) as caught:
        recommend({**SUGAR_MILL, "size": "huge", "goals": {"a": 1}, "budget": "big"})
    text = describe(caught.value)
    assert "'huge' is not a valid answer" in text
    assert "goals" in text and "mapping" in text
    assert "budget: no such question" in text


def test_missing_answer_is_named() -> None:
    answers = dict(SUGAR_MILL)
    del answers["horizon"]
    with pytest.raises(AnswersError, match="horizon"):
        recommend(answers)


def test_offer_and_need_may_be_left_out() -> None:
    answers = {k: v for k, v in SALES_AGENT.items() if k not in ("offer", "need")}
    result = recommend(answers)
    assert result["answers"]["offer"] == [] and result["answers"]["need"] == []


def test_answers_are_matched_forgivingly() -> None:
    loose = {**SUGAR_MILL, "size": "Large", "partner_size": "Mikro", "goals": "supply security", "need": ["Raw_Materials"]}
    assert recommend(loose)["answers"] == recommend(SUGAR_MILL)["answers"]


@given(valid_answers)
def test_scores_in_range_ranking_sorted_and_explained(answers: dict[str, Any]) -> None:
    result = recommend(answers, what_if=False)
    ranking = result["ranking"]
    assert sorted(e["pattern"] for e in ranking) == sorted(p.id for p in RULES.patterns)
    scores = [e["score"] for e in ranking]
    assert scores == sorted(scores, reverse=True)
    for entry in ranking:
        assert 0 <= entry["score"] <= 100
        points = sum(reason["points"] for reason in entry["reasons"])
        assert entry["points"] == points
        assert entry["score"] == round(100 / (1 + math.exp(-points / RULES.score_scale)), 1)
    assert result["recommendation"]["pattern"] == ranking[0]["pattern"]
    assert result["margin"] == round(ranking[0]["score"] - ranking[1]["score"], 1)


@given(valid_answers)
def test_ties_keep_the_data_order(answers: dict[str, Any]) -> None:
    ranking = Engine(RULES).score(answers)
    order = [p.id for p in RULES.patterns]
    for first, second in itertools.pairwise(ranking):
        if first.points == second.points:
            assert order.index(first.pattern.id) < order.index(second.pattern.id)


@given(valid_answers, st.data())
def test_adding_points_to_a_rule_never_lowers_its_pattern_score(answers: dict[str, Any], data: st.DataObject) -> None:
    pattern_index = data.draw(st.integers(0, len(RULES.patterns) - 1))
    pattern = RULES.patterns[pattern_index]
    question = data.draw(st.sampled_from([q for q in RULES.questions]))
    value = data.draw(st.sampled_from(question.values))
    extra = data.draw(st.integers(1, 30))
    boosted_rules = list(pattern.scoring)
    boosted_rules.append(Rule(question.id, value, extra))
    patterns = list(RULES.patterns)
    patterns[pattern_index] = pattern._replace(scoring=tuple(boosted_rules))
    boosted = RULES._replace(patterns=tuple(patterns))

    before = {s.pattern.id: s.score for s in Engine(RULES).score(answers)}
    after = {s.pattern.id: s.score for s in Engine(boosted).score(answers)}
    assert after[pattern.id] >= before[pattern.id]
    chosen = answers.get(question.id)  # an optional question may be unstated
    if value == chosen or (isinstance(chosen, list) and value in chosen):
        raw_before = next(s.points for s in Engine(RULES).score(answers) if s.pattern.id == pattern.id)
        raw_after = next(s.points for s in Engine(boosted).score(answers) if s.pattern.id == pattern.id)
        assert raw_after == raw_before + extra


@given(valid_answers)
def test_every_what_if_entry_is_true_and_none_nearer_is_missing(answers: dict[str, Any]) -> None:
    advisor = Advisor(RULES)
    result = advisor.result(advisor.complete(answers, source="test"), "en")
    current = result["recommendation"]["pattern"]
    for entry in result["what_if"]:
        changed = {**result["answers"], entry["question"]: entry["answer"]}
        top = advisor.engine.score(changed)[0]
        assert top.pattern.id == entry["pattern"] != current
        assert top.score == entry["score"]
    assert len(result["what_if"]) <= 5


def all_single_changes(answers: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """Every answer set one change away, with its distance, found independently."""
    changes = []
    for question in RULES.questions:
        if question.id not in answers:
            continue  # unstated: what_if only changes answers given
        current = answers[question.id]
        for value in question.values:
            if question.kind == "one":
                if value == current:
                    continue
                scale = question.scale
                distance = abs(scale.index(value) - scale.index(current)) if value in scale and current in scale else 1
                changes.append((distance, {**answers, question.id: value}))
            else:
                chosen = set(current) ^ {value}
                if len(chosen) < question.min_choices:
                    continue
                changes.append((1, {**answers, question.id: [v for v in question.values if v in chosen]}))
    return changes


@given(valid_answers)
def test_what_if_lists_the_nearest_changes_first(answers: dict[str, Any]) -> None:
    advisor = Advisor(RULES)
    complete = advisor.complete(answers, source="test")
    result = advisor.result(complete, "en")
    current = result["recommendation"]["pattern"]
    flips = []
    for distance, changed in all_single_changes(complete):
        top = advisor.engine.score(changed)[0]
        if top.pattern.id != current:
            flips.append((distance, -top.score))
    flips.sort()
    listed = result["what_if"]
    assert len(listed) == min(5, len(flips))
    if listed:
        # nothing strictly nearer than the last entry listed is left out
        last = flips[len(listed) - 1]
        assert all(flip >= last for flip in flips[len(listed) :])
