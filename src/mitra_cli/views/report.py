"""A recommendation as a document to hand over: Markdown or self-contained HTML.

The content is built once as a list of neutral blocks (headings, paragraphs,
lists, tables, score bars) from the result object; two small renderers turn
the blocks into Markdown or into one HTML page with inline styles, no
external links, and print rules for A4.
"""

from __future__ import annotations

import datetime
import html
import re
from pathlib import Path
from typing import Any, NamedTuple

from mitra_cli import __version__
from mitra_cli.core.errors import UsageError
from mitra_cli.core.lang import Lang
from mitra_cli.core.model import Rules
from mitra_cli.views.i18n import message
from mitra_cli.views.wording import (
    answer_text,
    close_call_sentence,
    fact_lines,
    question_name,
    reason_text,
    result_title,
    signed,
    what_if_sentence,
)

BAR_WIDTH = 30


class Block(NamedTuple):
    kind: str  # "h2", "p", "note", "ul", "ol", "table", "bars" (label, percent of the bar, note)
    content: Any


class Document(NamedTuple):
    title: str
    meta: list[str]
    blocks: list[Block]


def build_assessment(result: dict[str, Any], rules: Rules, lang: Lang, today: datetime.date) -> Document:
    """The health check as a document: bars per dimension, overall, actions."""

    def t(key: str, **params: Any) -> str:
        return message(key, lang, **params)

    assert rules.assessment is not None
    low, high = rules.assessment.scale[0].value, rules.assessment.scale[-1].value
    names = ", ".join(r["name"] for r in result["respondents"])
    blocks: list[Block] = [Block("p", t("assess.respondents", names=names)), Block("h2", t("assess.col.dimension"))]
    bars = []
    for d in result["dimensions"]:
        label = f"{d['name']} ({t('assess.kind.' + d['kind'])})"
        if d["score"] is None:
            bars.append((label, 0.0, t("assess.no_answers")))
        else:
            percent = (d["score"] - low) / (high - low) * 100
            note = f"{d['score']:.2f} {d['band_label']}" + (
                f", {t('assess.disputed')} ({d['spread']:.2f})" if d["disputed"] else ""
            )
            bars.append((label, percent, note))
    blocks.append(Block("bars", bars))
    if len(result["respondents"]) > 1:
        headers = [t("assess.col.dimension"), *(r["name"] for r in result["respondents"]), t("assess.col.spread")]
        rows = [
            [
                d["name"],
                *(f"{e['score']:.2f}" if e["score"] is not None else "–" for e in d["by_respondent"]),
                f"{d['spread']:.2f}" if d["spread"] is not None else "–",
            ]
            for d in result["dimensions"]
        ]
        blocks.append(Block("table", (headers, rows)))
    overall = result["overall"]
    labels = {band.id: band.label.get(lang) for band in rules.assessment.bands}
    if overall["score"] is not None:
        blocks.append(Block("p", t("assess.overall", score=f"{overall['score']:.2f}", band=labels[overall["band"]])))
    triangle = overall["trust_triangle"]
    if triangle["score"] is not None:
        blocks.append(Block("p", t("assess.triangle", score=f"{triangle['score']:.2f}", band=labels[triangle["band"]])))
    else:
        blocks.append(Block("p", t("assess.triangle_unknown")))
    blocks.append(Block("h2", t("assess.actions")))
    if not result["actions"]:
        blocks.append(Block("p", t("assess.no_actions")))
    for entry in result["actions"]:
        because = ", ".join(t(f"assess.because.{reason}") for reason in entry["because"])
        blocks += [Block("p", f"{entry['name']} ({because})"), Block("ul", entry["actions"])]
    return Document(t("assess.title"), _meta(result, lang, today), blocks)


def build(result: dict[str, Any], rules: Rules, lang: Lang, today: datetime.date) -> Document:
    def t(key: str, **params: Any) -> str:
        return message(key, lang, **params)

    top = result["recommendation"]
    ranking = result["ranking"]
    pattern = next(p for p in rules.patterns if p.id == top["pattern"])

    def marked(key: str, field: str) -> str:
        """A heading, marked where its text is not from the seed (DESIGN.md, Fidelity)."""
        source = pattern.source_of(field)
        return t(key) if source == "seed" else f"{t(key)} [{t('source.' + source)}]"

    blocks: list[Block] = [
        Block("h2", result_title(result, lang)),
        Block("p", top["summary"]),
    ]
    close = close_call_sentence(rules, result, lang)
    if close is not None:
        blocks.append(Block("p", close))
    elif len(ranking) > 1:
        blocks.append(Block("p", t("result.margin", margin=result["margin"], runner_up=ranking[1]["name"])))
    if top["statutory_forms"]:
        forms = t("result.statutory", forms="; ".join(top["statutory_forms"]))
        blocks.append(Block("p", f"{forms} [{t('source.regulation')}: {rules.statutory_source.get(lang)}]"))
    blocks += [
        Block("h2", t("report.reasons")),
        Block(
            "table",
            (
                [t("report.col.reason"), t("result.col.points")],
                [[reason_text(rules, reason, lang), signed(reason["points"])] for reason in ranking[0]["reasons"]],
            ),
        ),
        Block("h2", t("result.ranking")),
        Block(
            "bars",
            [
                (f"{entry['name']} ({entry['pattern']})", entry["score"], f"{entry['score']:.1f} ({signed(entry['points'])})")
                for entry in ranking
            ],
        ),
        Block("note", t("report.formula", scale=f"{rules.score_scale:g}")),
    ]
    if result.get("derived"):
        blocks += [Block("h2", t("result.facts")), Block("ul", fact_lines(rules, result["derived"], lang))]
    if "what_if" in result:
        sentences = [what_if_sentence(rules, entry, lang) for entry in result["what_if"]]
        blocks += [Block("h2", t("result.whatif.title")), Block("ul", sentences or [t("result.whatif.none")])]
    blocks += [
        Block("h2", marked("view.principles", "principles")),
        Block("ul", [f"{p['name']}: {p['why']}" for p in result["principles"]]),
        Block("h2", marked("view.benefits", "benefits")),
        Block("ul", [f"{b['name']}: {b['why']}" for b in result["benefits"]]),
        Block("h2", marked("view.caveats", "caveats")),
    ]
    for caveat in result["caveats"]:
        blocks.append(Block("p", caveat["text"]))
        if caveat["items"]:
            blocks.append(Block("ol", caveat["items"]))
    blocks += [
        Block("h2", marked("view.next_steps", "steps")),
        Block("ol", [f"{step['name']}: {step['text']}" for step in result["next_steps"]]),
        Block("h2", t("view.guide.trust")),
        Block("p", result["trust"]["essence"]),
        Block("ul", [f"{e['name']}: {e['meaning']}" for e in result["trust"]["elements"]]),
        Block("h2", t("result.answers")),
        Block(
            "table",
            (
                [t("report.col.question"), t("report.col.answer")],
                [[question_name(rules, q, lang), answer_text(rules, q, a, lang)] for q, a in result["answers"].items()],
            ),
        ),
    ]
    return Document(t("report.title"), _meta(result, lang, today), blocks)


def _meta(result: dict[str, Any], lang: Lang, today: datetime.date) -> list[str]:
    """The lines under a report's title: its date and what produced it."""
    return [
        message("report.date", lang, date=today.isoformat()),
        message("report.data_version", lang, version=result["data_version"], mitra=__version__),
    ]


# -- Markdown -------------------------------------------------------------------


# Characters that Markdown (or the HTML it may carry) would act on.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}<>&!|~#])")
_MD_LINE_START = re.compile(r"^(\s*)(\d*)([-+=>.)])")
_HTML_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def _md(text: object) -> str:
    """Interpolated text as inert Markdown: no links, images, HTML, emphasis or headings it did not ask for."""
    flat = " ".join(str(text).split())
    escaped = _MD_SPECIAL.sub(lambda m: _HTML_ENTITIES.get(m.group(1), "\\" + m.group(1)), flat)
    # A list marker or heading underline at the start: escape its punctuation ("1\\." is not a list).
    return _MD_LINE_START.sub(lambda m: m.group(1) + m.group(2) + "\\" + m.group(3), escaped)


def _fenced(text: object) -> str:
    """Text inside a ``` block: shown literally, so only a fence or a line break could escape it."""
    return " ".join(str(text).split()).replace("`", "'")


def to_markdown(document: Document) -> str:
    out = [f"# {_md(document.title)}", "", *(f"*{_md(line)}*  " for line in document.meta), ""]
    for block in document.blocks:
        if block.kind == "h2":
            out += [f"## {_md(block.content)}", ""]
        elif block.kind in ("p", "note"):
            out += [f"*{_md(block.content)}*" if block.kind == "note" else _md(block.content), ""]
        elif block.kind == "ul":
            out += [*(f"- {_md(item)}" for item in block.content), ""]
        elif block.kind == "ol":
            out += [*(f"{n}. {_md(item)}" for n, item in enumerate(block.content, start=1)), ""]
        elif block.kind == "table":
            headers, rows = block.content
            out += ["| " + " | ".join(map(_md, headers)) + " |", "|" + " --- |" * len(headers)]
            out += ["| " + " | ".join(map(_md, row)) + " |" for row in rows]
            out.append("")
        elif block.kind == "bars":
            out.append("```text")
            labels = [_fenced(label) for label, _, _ in block.content]
            width = max(map(len, labels))
            for label, (_, percent, note) in zip(labels, block.content):
                filled = round(percent / 100 * BAR_WIDTH)
                out.append(f"{label:<{width}}  {'█' * filled}{'░' * (BAR_WIDTH - filled)}  {_fenced(note)}")
            out += ["```", ""]
    return "\n".join(out).rstrip("\n") + "\n"


# -- HTML -------------------------------------------------------------------------

_STYLE = """
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1d2530; max-width: 46em;
       margin: 2em auto; padding: 0 1em; line-height: 1.45; }
h1 { font-size: 1.6em; border-bottom: 3px solid #2f7d4f; padding-bottom: .3em; }
h2 { font-size: 1.15em; color: #2f7d4f; margin-top: 1.6em; page-break-after: avoid; }
.meta { color: #5b6673; font-size: .9em; margin: 0; }
.note { color: #5b6673; font-size: .85em; }
table { border-collapse: collapse; width: 100%; font-size: .95em; page-break-inside: avoid; }
th, td { text-align: left; padding: .3em .5em; border-bottom: 1px solid #dde3e8; vertical-align: top; }
td.num { text-align: right; white-space: nowrap; }
.bar { background: #e6ece9; height: .9em; width: 100%; min-width: 8em; }
.fill { background: #2f7d4f; height: 100%; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
li { margin: .2em 0; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; } }
"""


def to_html(document: Document, lang: Lang) -> str:
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{e(document.title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{e(document.title)}</h1>",
        *(f'<p class="meta">{e(line)}</p>' for line in document.meta),
    ]
    for block in document.blocks:
        if block.kind == "h2":
            out.append(f"<h2>{e(block.content)}</h2>")
        elif block.kind == "p":
            out.append(f"<p>{e(block.content)}</p>")
        elif block.kind == "note":
            out.append(f'<p class="note">{e(block.content)}</p>')
        elif block.kind in ("ul", "ol"):
            out.append(f"<{block.kind}>" + "".join(f"<li>{e(item)}</li>" for item in block.content) + f"</{block.kind}>")
        elif block.kind == "table":
            headers, rows = block.content
            out.append("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in headers) + "</tr></thead><tbody>")
            for row in rows:
                cells = [f"<td>{e(row[0])}</td>", *(f'<td class="num">{e(cell)}</td>' for cell in row[1:])]
                out.append("<tr>" + "".join(cells) + "</tr>")
            out.append("</tbody></table>")
        elif block.kind == "bars":
            out.append("<table><tbody>")
            for label, score, points in block.content:
                bar = f'<div class="bar"><div class="fill" style="width:{score:.1f}%"></div></div>'
                out.append(
                    f'<tr><td>{e(label)}</td><td class="num">{score:.1f}</td><td style="width:45%">{bar}</td><td class="num">{e(points)}</td></tr>'
                )
            out.append("</tbody></table>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


BUILDERS = {"recommendation": build, "assessment": build_assessment}


def render(path: Path, kind: str, result: dict[str, Any], rules: Rules, lang: Lang, today: datetime.date | None = None) -> bytes:
    """The report of `kind` for `path`'s suffix (.md or .html)."""
    document = BUILDERS[kind](result, rules, lang, today or datetime.date.today())
    suffix = ".md" if str(path) == "-" else path.suffix.lower()  # "-": stdout, as Markdown
    if suffix in (".md", ".markdown"):
        return to_markdown(document).encode("utf-8")
    if suffix in (".html", ".htm"):
        return to_html(document, lang).encode("utf-8")
    raise UsageError("report.suffix", file=str(path))


def write_document(path: Path, kind: str, result: dict[str, Any], rules: Rules, lang: Lang) -> None:
    from mitra_cli.views.output import write_file_atomically

    write_file_atomically(path, render(path, kind, result, rules, lang))
