"""Reasons and alternatives in words, for people (terminal and reports).

Pure functions from the result object and the rules to sentences in the
chosen language; the sentence templates live in data/ui.yaml.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mitra_cli.core.lang import Lang
from mitra_cli.core.model import Rules
from mitra_cli.views.i18n import message
from mitra_cli.views.numberformat import decimal


def answer_label(rules: Rules, question_id: str, value: str, lang: Lang) -> str:
    for question in rules.questions:
        if question.id == question_id:
            return question.choice(value).label.get(lang) if value in question.values else value
    for derived in rules.derived:
        if derived.id == question_id:
            return derived.choice(value).label.get(lang) if value in derived.values else value
    return value


def question_name(rules: Rules, question_id: str, lang: Lang) -> str:
    for question in rules.questions:
        if question.id == question_id:
            return question.short.get(lang)
    for derived in rules.derived:
        if derived.id == question_id:
            return derived.short.get(lang)
    return question_id


def reason_text(rules: Rules, reason: dict[str, Any], lang: Lang) -> str:
    """ "Number of partners: Many (6 or more)" for one reason."""
    return f"{question_name(rules, reason['question'], lang)}: {answer_label(rules, reason['question'], reason['answer'], lang)}"


def strongest_reasons(reasons: list[dict[str, Any]], count: int = 3) -> list[dict[str, Any]]:
    """The reasons that pushed the score up the most (ties keep questionnaire order)."""
    positive = [r for r in reasons if r["points"] > 0]
    return sorted(positive, key=lambda r: -r["points"])[:count]


def answer_text(rules: Rules, question_id: str, answer: Any, lang: Lang) -> str:
    if isinstance(answer, list):
        if not answer:
            return message("view.none", lang)
        return ", ".join(answer_label(rules, question_id, value, lang) for value in answer)
    return answer_label(rules, question_id, str(answer), lang)


def what_if_sentence(rules: Rules, entry: dict[str, Any], lang: Lang) -> str:
    pattern = next((p.name.get(lang) for p in rules.patterns if p.id == entry["pattern"]), entry["pattern"])
    question = question_name(rules, entry["question"], lang)
    question = question[:1].lower() + question[1:]  # it stands inside a sentence
    params = {"question": question, "pattern": pattern, "score": decimal(entry["score"], lang)}
    if "added" in entry:
        return message("whatif.added", lang, value=answer_label(rules, entry["question"], entry["added"], lang), **params)
    if "removed" in entry:
        return message("whatif.removed", lang, value=answer_label(rules, entry["question"], entry["removed"], lang), **params)
    return message(
        "whatif.changed",
        lang,
        value=answer_label(rules, entry["question"], str(entry["answer"]), lang),
        old=answer_label(rules, entry["question"], str(entry.get("from", "")), lang),
        **params,
    )


def close_call_sentence(rules: Rules, result: Mapping[str, Any], lang: Lang) -> str | None:
    """ "Too close to call between A and B ..." when the result is a close call, else None."""
    if not result.get("close_call") or len(result["ranking"]) < 2:
        return None
    first, second = result["ranking"][0], result["ranking"][1]
    deciding = [
        message(
            "result.deciding",
            lang,
            reason=reason_text(rules, entry, lang),
            pattern=next((e["name"] for e in result["ranking"] if e["pattern"] == entry["favours"]), entry["favours"]),
        )
        for entry in result.get("deciding", [])
    ]
    return message(
        "result.close_call",
        lang,
        first=first["name"],
        second=second["name"],
        margin=decimal(result["margin"], lang),
        deciding="; ".join(deciding) or message("view.none", lang),
    )


def fact_lines(rules: Rules, derived: dict[str, Any], lang: Lang) -> list[str]:
    """Each derived fact of a result as "name: value" (how mitra reads the partnership)."""
    return [f"{question_name(rules, fact, lang)}: {answer_text(rules, fact, value, lang)}" for fact, value in derived.items()]


def result_title(result: Mapping[str, Any], lang: Lang) -> str:
    """The headline: the recommended pattern, or both when the call is too close (never a tie as a win)."""
    top = result["recommendation"]
    if result.get("close_call") and len(result["ranking"]) > 1:
        second = result["ranking"][1]["name"]
        return message("result.title_close", lang, first=top["name"], second=second, score=decimal(top["score"], lang))
    return message("result.title", lang, name=top["name"], score=decimal(top["score"], lang))
