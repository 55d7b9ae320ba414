"""A recommendation as a document: the same blocks for the terminal and for a report.

`brief` is the terminal's reading: the strongest reasons instead of the full
table, the first three alternatives, trust in two lines, no answers table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mitra_cli.core.lang import Lang
from mitra_cli.core.model import Rules
from mitra_cli.views.document import (
    Bar,
    Bars,
    Block,
    Callout,
    Document,
    Entry,
    Heading,
    Headline,
    Items,
    Paragraph,
    Table,
    items,
    named,
)
from mitra_cli.views.i18n import message
from mitra_cli.views.numberformat import decimal, signed
from mitra_cli.views.wording import (
    answer_text,
    close_call_sentence,
    fact_lines,
    question_name,
    reason_text,
    result_title,
    strongest_reasons,
    what_if_sentence,
)

WHAT_IF_BRIEF = 3  # alternatives the terminal shows; reports show them all


def build(result: Mapping[str, Any], rules: Rules, lang: Lang, *, brief: bool, meta: tuple[str, ...] = ()) -> Document:
    def t(key: str, **params: Any) -> str:
        return message(key, lang, **params)

    top = result["recommendation"]
    ranking = result["ranking"]
    pattern = next(p for p in rules.patterns if p.id == top["pattern"])

    def heading(key: str, field: str | None = None) -> Heading:
        """A heading, marked where the text under it is not from the seed."""
        source = pattern.source_of(field) if field else "seed"
        return Heading(t(key), "" if source == "seed" else f"[{t('source.' + source)}]")

    headline: list[Block] = [Paragraph(top["summary"])]
    if brief:
        strongest = strongest_reasons(ranking[0]["reasons"])
        if strongest:
            headline.append(Paragraph(t("result.why"), "strong"))
            headline.append(named([(signed(r["points"], lang), reason_text(rules, r, lang)) for r in strongest], marker=""))
    close = close_call_sentence(rules, result, lang)
    if close is not None:
        headline.append(Callout(close))
    elif len(ranking) > 1:
        headline.append(Paragraph(t("result.margin", margin=decimal(result["margin"], lang), runner_up=ranking[1]["name"])))
    if top["statutory_forms"]:
        forms = t("result.statutory", forms="; ".join(top["statutory_forms"]))
        headline.append(Paragraph(f"{forms} [{t('source.regulation')}: {rules.statutory_source.get(lang)}]", "note"))
    title = result_title(result, lang)
    blocks: list[Block] = [Headline(title, tuple(headline))]

    if not brief:
        reasons = tuple((reason_text(rules, r, lang), signed(r["points"], lang)) for r in ranking[0]["reasons"])
        blocks.append(Heading(t("report.reasons")))
        blocks.append(
            Table(t("report.reasons_caption"), (t("report.col.reason"), t("result.col.points")), reasons, frozenset({1}))
        )
    blocks.append(Heading(t("result.ranking")))
    blocks.append(
        Bars(
            t("report.ranking_caption"),
            t("result.col.score"),
            t("result.col.points"),
            tuple(
                Bar(
                    f"{entry['name']}",
                    entry["score"] / 100,
                    decimal(entry["score"], lang),
                    signed(entry["points"], lang),
                    "top" if rank == 0 else "",
                )
                for rank, entry in enumerate(ranking)
            ),
        )
    )
    blocks.append(Paragraph(t("report.formula", scale=decimal(rules.score_scale, lang, 0)), "note"))
    if result.get("derived"):
        blocks += [Heading(t("result.facts")), items(fact_lines(rules, result["derived"], lang), marker="-")]
    if "what_if" in result:
        shown = result["what_if"][:WHAT_IF_BRIEF] if brief else result["what_if"]
        sentences = [what_if_sentence(rules, entry, lang) for entry in shown]
        blocks += [Heading(t("result.whatif.title")), items(sentences or [t("result.whatif.none")])]
    blocks += [
        heading("view.principles", "principles"),
        named([(p["name"], p["why"]) for p in result["principles"]]),
        heading("view.benefits", "benefits"),
        named([(b["name"], b["why"]) for b in result["benefits"]]),
        heading("view.caveats", "caveats"),
        Items(tuple(Entry(c["text"], sub=tuple(c["items"])) for c in result["caveats"]), marker="!"),
        heading("view.next_steps", "steps"),
        named([(s["name"], s["text"]) for s in result["next_steps"]], numbered=True),
        Heading(t("view.guide.trust")),
        Paragraph(result["trust"]["essence"]),
    ]
    elements = result["trust"]["elements"]
    if brief:
        triangle = [e["name"] for e in elements if e["role"] == "triangle"]
        support = [e["name"] for e in elements if e["role"] != "triangle"]
        blocks += [Paragraph("△ " + " · ".join(triangle), "strong"), Paragraph(" · ".join(support), "note")]
    else:
        blocks.append(named([(e["name"], e["meaning"]) for e in elements]))
        rows = tuple((question_name(rules, q, lang), answer_text(rules, q, a, lang)) for q, a in result["answers"].items())
        blocks += [
            Heading(t("result.answers")),
            Table(t("report.answers_caption"), (t("report.col.question"), t("report.col.answer")), rows),
        ]
    return Document(t("report.title"), meta, tuple(blocks), lang)
