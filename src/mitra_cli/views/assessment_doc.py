"""A health check (``mitra assess``) as a document: the same blocks for the terminal and for a report.

Bands are shown as their name and their colour name (strength / green), never
by colour alone.  `brief` is the terminal's reading: actions as lists rather
than the action-plan table with owner and due-date columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mitra_cli.core.lang import Lang
from mitra_cli.core.model import Rules
from mitra_cli.views.bands import NO_SCORE, Bands, score_text
from mitra_cli.views.document import Bar, Bars, Block, Document, Heading, Paragraph, Table, items
from mitra_cli.views.i18n import message
from mitra_cli.views.numberformat import decimal
from mitra_cli.views.trend_doc import change_blocks


def build(result: Mapping[str, Any], rules: Rules, lang: Lang, *, brief: bool, meta: tuple[str, ...] = ()) -> Document:
    def t(key: str, **params: Any) -> str:
        return message(key, lang, **params)

    def score(value: float | None) -> str:
        return score_text(value, lang)

    assert rules.assessment is not None
    low, high = rules.assessment.scale[0].value, rules.assessment.scale[-1].value
    bands = Bands(rules, lang)
    band_text = bands.text

    respondents = result["respondents"]
    anonymous = bool(result.get("anonymous"))
    several = len(respondents) > 1 or (anonymous and result.get("respondent_count", 1) > 1)  # spread: only for a group
    blocks: list[Block] = [Paragraph(t("assess.respondents", names=", ".join(r["name"] for r in respondents)), "note")]
    blocks.append(Paragraph(t("assess.scale_read", low=low, high=high), "note"))
    for kind in dict.fromkeys(d["kind"] for d in result["dimensions"]):
        bars = []
        for d in (d for d in result["dimensions"] if d["kind"] == kind):
            if d["score"] is None:
                bars.append(Bar(d["name"], 0.0, NO_SCORE, t("assess.no_answers")))
                continue
            detail = band_text(d["band"])
            if several and d["disputed"]:
                detail += " · " + t("assess.disputed_spread", spread=decimal(d["spread"], lang, 2))
            bars.append(Bar(d["name"], (d["score"] - low) / (high - low), score(d["score"]), detail, bands.tone(d["band"])))
        blocks += [
            Heading(t(f"assess.kind.{kind}")),
            Bars(
                t("assess.kind_caption", kind=t(f"assess.kind.{kind}")),
                t("assess.col.score_of", low=low, high=high),
                t("assess.col.band"),
                tuple(bars),
            ),
        ]
    if len(respondents) > 1:  # never when anonymous: then the result names no one
        headers = (t("assess.col.dimension"), *(r["name"] for r in respondents), t("assess.col.spread"))
        rows = tuple(
            (d["name"], *(score(e["score"]) for e in d["by_respondent"]), score(d["spread"]) + (" !" if d["disputed"] else "  "))
            for d in result["dimensions"]
        )
        blocks += [
            Heading(t("assess.by_respondent")),
            Table(t("assess.by_respondent_caption"), headers, rows, frozenset(range(1, len(headers)))),
        ]
        if result["overall"]["disputed"]:
            blocks.append(
                Paragraph(t("assess.disputed_legend", spread=decimal(rules.assessment.dispute_spread, lang, 2)), "note")
            )
    overall = result["overall"]
    blocks.append(Heading(t("assess.summary")))
    if overall["score"] is not None:
        blocks.append(Paragraph(t("assess.overall", score=score(overall["score"]), band=band_text(overall["band"])), "strong"))
    triangle = overall["trust_triangle"]
    if triangle["score"] is not None:
        blocks.append(Paragraph(t("assess.triangle", score=score(triangle["score"]), band=band_text(triangle["band"]))))
    else:
        blocks.append(Paragraph(t("assess.triangle_unknown"), "note"))
    by_id = {d["id"]: d["name"] for d in result["dimensions"]}
    if overall["weakest"]:
        blocks.append(Paragraph(t("assess.weakest", names=", ".join(by_id[i] for i in overall["weakest"][:3])), "note"))
    if result.get("previous"):
        blocks += change_blocks(result, rules, lang)
    blocks.append(Heading(t("assess.actions")))
    if not result["actions"]:
        blocks.append(items([t("assess.no_actions")]))
    elif brief:
        for entry in result["actions"]:
            because = ", ".join(t(f"assess.because.{reason}") for reason in entry["because"])
            blocks += [Paragraph(f"{entry['name']} ({because})", "strong"), items(entry["actions"], marker="→")]
    else:
        rows = tuple(
            (entry["name"], ", ".join(t(f"assess.because.{reason}") for reason in entry["because"]), action, "", "")
            for entry in result["actions"]
            for action in entry["actions"]
        )
        headers = (
            t("assess.col.dimension"),
            t("assess.plan.reason"),
            t("assess.plan.action"),
            t("assess.plan.owner"),
            t("assess.plan.due"),
        )
        blocks.append(Table(t("assess.plan_caption"), headers, rows))
    if not brief:
        blocks += statement_blocks(result, lang)
    return Document(t("assess.title"), meta, tuple(blocks), lang)


def statement_blocks(result: Mapping[str, Any], lang: Lang) -> list[Block]:
    """Each dimension's statements: mean, spread and every respondent's answer (none when anonymous).

    A workshop reads here which statements drive a dispute.
    """

    def t(key: str, **params: Any) -> str:
        return message(key, lang, **params)

    names = [r["name"] for r in result["respondents"]] if not result.get("anonymous") else []
    blocks: list[Block] = [Heading(t("assess.detail"))]
    for dimension in result["dimensions"]:
        statements = dimension.get("statements") or []
        if not statements:
            continue
        headers = (t("assess.col.statement"), t("assess.col.mean"), t("assess.col.spread"), *names)
        rows = []
        for statement in statements:
            text = statement["text"] + (" " + t("assess.reversed_mark") if statement["reversed"] else "")
            answers = {a["respondent"]: a["answer"] for a in statement.get("answers", [])}
            shown = [str(answers[name]) if answers.get(name) is not None else NO_SCORE for name in names]
            spread = score_text(statement["spread"], lang)
            mean = score_text(statement["mean"], lang)
            rows.append((text, mean, spread + (" !" if statement["disputed"] else "  "), *shown))
        caption = t("assess.detail_caption", name=dimension["name"])
        blocks.append(Table(caption, headers, tuple(rows), frozenset(range(1, len(headers)))))
    return blocks
