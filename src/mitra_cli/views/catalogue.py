"""The catalogue as plain data: patterns, principles, benefits, the guide, questions.

One language is picked here; both the JSON view and the Rich view render
these same objects, so the two never disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mitra_cli.core.engine import plain_number
from mitra_cli.core.lang import Lang
from mitra_cli.core.model import Derived, Item, Pattern, Question, Rules, Text

if TYPE_CHECKING:  # the JSON contract's types, for annotations only (building them costs start-up)
    from mitra_cli.core import shapes

Obj = dict[str, Any]


def _texts(texts: tuple[Text, ...], lang: Lang) -> list[str]:
    return [text.get(lang) for text in texts]


def pattern_brief(pattern: Pattern, lang: Lang) -> shapes.PatternSummary:
    return {
        "id": pattern.id,
        "aliases": list(pattern.aliases),
        "name": pattern.name.get(lang),
        "summary": pattern.summary.get(lang),
        "statutory_forms": _texts(pattern.statutory_forms, lang),
    }


def pattern_full(pattern: Pattern, rules: Rules, lang: Lang) -> Obj:
    principles = {p.id: p for p in rules.principles}
    benefits = {b.id: b for b in rules.benefits}
    common = [c for c in rules.common_caveats if pattern.id in c.patterns]
    return {
        **pattern_brief(pattern, lang),
        "description": pattern.description.get(lang),
        "relationship": {
            "gives": pattern.gives.get(lang),
            "leads": pattern.leads.get(lang),
            "subordination": pattern.subordination.get(lang),
        },
        "fits": _texts(pattern.fits, lang),
        "not_fits": _texts(pattern.not_fits, lang),
        "examples": _texts(pattern.examples, lang),
        "diagram": pattern.diagram,
        "principles": [
            {"id": link.id, "name": principles[link.id].name.get(lang), "why": link.why.get(lang)} for link in pattern.principles
        ],
        "benefits": [
            {"id": link.id, "name": benefits[link.id].name.get(lang), "why": link.why.get(lang)} for link in pattern.benefits
        ],
        "caveats": [
            {"id": c.id, "text": c.text.get(lang), "items": _texts(c.items, lang), "when": {q: list(v) for q, v in c.when}}
            for c in (*pattern.caveats, *common)
        ],
        "capacity_building": _texts(pattern.capacity_building, lang),
        "next_steps": _texts(pattern.steps, lang),
        "statutory_source": rules.statutory_source.get(lang) if pattern.statutory_forms else None,
        "scoring": [{"question": r.question, "answer": r.answer, "points": plain_number(r.points)} for r in pattern.scoring],
        # Where each text comes from: "seed", "interpretation" or "regulation" (README, "Rule data, and using your own").
        "sources": {field: pattern.source_of(field) for field in SHOWN_FIELDS},
    }


SHOWN_FIELDS = (
    "name",
    "summary",
    "description",
    "relationship",
    "fits",
    "not_fits",
    "examples",
    "diagram",
    "principles",
    "benefits",
    "caveats",
    "capacity_building",
    "steps",
    "steps_smaller",
    "statutory_forms",
)


def item(entry: Item, lang: Lang) -> Obj:
    return {"id": entry.id, "name": entry.name.get(lang), "summary": entry.summary.get(lang), "meaning": entry.meaning.get(lang)}


def guide(rules: Rules, lang: Lang) -> Obj:
    g = rules.guide
    return {
        "reasons": [{"id": e.id, "text": e.text.get(lang)} for e in g.reasons],
        "concept": [{"id": e.id, "text": e.text.get(lang)} for e in g.concept],
        "trust": [
            {"id": e.id, "role": e.role, "name": e.name.get(lang), "meaning": e.meaning.get(lang)} for e in g.trust.elements
        ],
        "trust_essence": g.trust.essence.get(lang),
        "trust_diagram": g.trust.diagram,
        "examples": [{"id": e.id, "who": e.name.get(lang) if e.name else "", "text": e.text.get(lang)} for e in g.examples],
        "process": [{"id": e.id, "name": e.name.get(lang) if e.name else "", "text": e.text.get(lang)} for e in g.process],
    }


def question(entry: Question, lang: Lang) -> shapes.QuestionEntry:
    return {
        "id": entry.id,
        "text": entry.text.get(lang),
        "kind": entry.kind,
        "choices": [{"value": c.value, "label": c.label.get(lang)} for c in entry.choices],
        "help": entry.help.get(lang),
        "default": entry.default,
        "min_choices": entry.min_choices,
        "optional": entry.optional,
        # Asked only when one of these holds ({question or fact: [values]}); empty: always.
        "when": [{name: list(values) for name, values in condition} for condition in entry.when],
    }


def derived_fact(entry: Derived, lang: Lang) -> shapes.DerivedEntry:
    """A fact worked out from the answers, listed after the questions (kind "derived")."""
    return {
        "id": entry.id,
        "text": entry.short.get(lang),
        "kind": "derived",
        "many": entry.kind == "many",
        "choices": [{"value": c.value, "label": c.label.get(lang)} for c in entry.choices],
        "derived_from": list(dict.fromkeys(name for name in (*entry.compare, *entry.inputs) if name)),
    }
