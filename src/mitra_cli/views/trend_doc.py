"""Change over time as document blocks: one check against an earlier one (--previous), or a series (--history).

Every change is a signed number with its direction in words (up, down,
unchanged); the terminal adds a small chart of each series (▁▃▆█), which the
reports leave out in favour of the numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mitra_cli.core.lang import Lang
from mitra_cli.core.model import Rules
from mitra_cli.views.bands import NO_SCORE, Bands, score_text
from mitra_cli.views.document import Bar, Bars, Block, Document, Heading, Paragraph, Table
from mitra_cli.views.i18n import message
from mitra_cli.views.numberformat import decimal

SPARKS = "▁▂▃▄▅▆▇█"


def _change(change: float | None, direction: str | None, lang: Lang) -> str:
    if change is None or direction is None:
        return NO_SCORE
    sign = "+" if change > 0 else "-" if change < 0 else "±"
    return f"{sign}{decimal(abs(change), lang, 2)} {message('assess.change.' + direction, lang)}"


def _moved(moved: list[dict[str, Any]], rules: Rules, lang: Lang, key: str) -> Paragraph:
    if not moved:
        return Paragraph(message("assess.change.none_moved", lang), "note")
    bands = Bands(rules, lang)
    names = ", ".join(f"{m['name']} ({bands.label(m['from'])} → {bands.label(m['to'])})" for m in moved)
    return Paragraph(message(key, lang, names=names), "strong")


def _check_name(point: Mapping[str, Any]) -> str:
    """An earlier check as people name it: its label and date, or whichever it has."""
    return f"{point['label']} ({point['date']})" if point["date"] and point["label"] else point["date"] or point["label"] or ""


def spark(scores: list[float | None], low: float, high: float) -> str:
    """A series as one character per check, from ▁ (the scale's bottom) to █ (its top); a gap where unanswered."""
    marks = []
    for score in scores:
        if score is None:
            marks.append(" ")
        else:
            step = round((score - low) / (high - low) * (len(SPARKS) - 1))
            marks.append(SPARKS[max(0, min(len(SPARKS) - 1, step))])
    return "".join(marks)


def change_blocks(result: Mapping[str, Any], rules: Rules, lang: Lang) -> list[Block]:
    """A check against the earlier one it was given with --previous: each dimension then, now, and the change."""
    earlier = result["previous"]
    if earlier["date"]:
        title = message("assess.change.title", lang, label=earlier["label"], date=earlier["date"]).rstrip(":")
    else:
        title = message("assess.change.title_undated", lang, label=earlier["label"]).rstrip(":")
    then = earlier["date"] or earlier["label"]
    headers = (
        message("assess.col.dimension", lang),
        then,
        result["date"],
        message("assess.col.change", lang),
    )
    rows = [
        (
            d["name"],
            score_text(d["previous"]["score"], lang),
            score_text(d["score"], lang),
            _change(d["previous"]["change"], d["previous"]["direction"], lang),
        )
        for d in result["dimensions"]
        if d.get("previous")
    ]
    overall = result["overall"]
    if overall.get("previous"):
        versus = overall["previous"]
        rows.append(
            (
                message("assess.trend.overall", lang),
                score_text(versus["score"], lang),
                score_text(overall["score"], lang),
                _change(versus["change"], versus["direction"], lang),
            )
        )
    return [
        Heading(title),
        Table(message("assess.change.caption", lang), headers, tuple(rows), frozenset({1, 2, 3})),
        _moved(earlier["moved_band"], rules, lang, "assess.change.moved"),
    ]


def build(trend: Mapping[str, Any], rules: Rules, lang: Lang, *, brief: bool, meta: tuple[str, ...] = ()) -> Document:
    """`mitra assess --history`: every dimension's score at each check, oldest first, and the change first to last."""
    assert rules.assessment is not None
    low, high = rules.assessment.scale[0].value, rules.assessment.scale[-1].value
    points = trend["points"]
    headers = [message("assess.col.dimension", lang), *(p["date"] or p["label"] for p in points)]
    if brief:
        headers.append(message("assess.col.trend", lang))
    headers.append(message("assess.col.change", lang))
    series = [(d["name"], d) for d in trend["dimensions"]]
    series.append((message("assess.trend.overall", lang), trend["overall"]))
    rows = []
    for name, entry in series:
        row = [name, *(score_text(score, lang) for score in entry["scores"])]
        if brief:
            row.append(spark(entry["scores"], low, high))
        row.append(_change(entry["change"], entry["direction"], lang))
        rows.append(tuple(row))
    labels = ", ".join(map(_check_name, points))
    blocks: list[Block] = [
        Paragraph(message("assess.trend.title", lang, count=len(points), points=labels), "note"),
        Table(message("assess.trend.caption", lang), tuple(headers), tuple(rows), frozenset(range(1, len(headers)))),
        _moved(trend["moved_band"], rules, lang, "assess.trend.moved"),
    ]
    if not brief:  # the terminal's small chart is a column of the table; a report draws the overall score at each check
        bands = Bands(rules, lang)
        bars = tuple(
            Bar(
                _check_name(p),
                0.0 if p["score"] is None else (p["score"] - low) / (high - low),
                score_text(p["score"], lang),
                bands.text(p["band"]),
                bands.tone(p["band"]),
            )
            for p in points
        )
        title = message("assess.trend.chart", lang)
        blocks += [
            Heading(title),
            Bars(title, message("assess.col.score_of", lang, low=low, high=high), message("assess.col.band", lang), bars),
        ]
    return Document(message("assess.trend.document", lang), meta, tuple(blocks), lang)
