"""Reports to hand over: a result as Markdown, one self-contained HTML page, or an A4 PDF.

The content is the same Document the terminal shows in full detail (see
``views.document``); the file's suffix picks the renderer.  PDF is made from
the print-ready HTML by xhtml2pdf, an optional extra (``mitra-cli[pdf]``):
pure Python, so it installs anywhere pip does.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from mitra_cli.core.errors import MitraError, UsageError
from mitra_cli.core.lang import Lang
from mitra_cli.core.model import Rules
from mitra_cli.core.version import __version__
from mitra_cli.views import assessment_doc, recommendation_doc, trend_doc
from mitra_cli.views.document import Document
from mitra_cli.views.i18n import message
from mitra_cli.views.render_html import to_html
from mitra_cli.views.render_markdown import to_markdown

MARKDOWN = (".md", ".markdown")
HTML = (".html", ".htm")
PDF = (".pdf",)
SUFFIXES = (*MARKDOWN, *HTML, *PDF)


class Cover(NamedTuple):
    """Who the report is for and who prepared it (--client, --prepared-by); empty: not shown."""

    client: str = ""
    prepared_by: str = ""


NO_COVER = Cover()


def meta_lines(result: Mapping[str, Any], lang: Lang, today: datetime.date, cover: Cover) -> tuple[str, ...]:
    lines = []
    if cover.client:
        lines.append(message("report.prepared_for", lang, name=cover.client))
    if cover.prepared_by:
        lines.append(message("report.prepared_by", lang, name=cover.prepared_by))
    lines.append(message("report.date", lang, date=today.isoformat()))
    lines.append(message("report.data_version", lang, version=result["data_version"], mitra=__version__))
    return tuple(lines)


def build(kind: str, result: Mapping[str, Any], rules: Rules, lang: Lang, today: datetime.date, cover: Cover) -> Document:
    meta = meta_lines(result, lang, today, cover)
    builder = {"assessment": assessment_doc.build, "history": trend_doc.build}.get(kind, recommendation_doc.build)
    return builder(result, rules, lang, brief=False, meta=meta)


def render(
    path: Path,
    kind: str,
    result: Mapping[str, Any],
    rules: Rules,
    lang: Lang,
    today: datetime.date | None = None,
    cover: Cover = NO_COVER,
) -> bytes:
    """The report of `kind` for `path`'s suffix (.md, .html or .pdf; "-" is Markdown on stdout)."""
    suffix = ".md" if str(path) == "-" else path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError("report.suffix", file=str(path))
    if suffix in PDF:
        pdf_support()  # before any work: a missing extra is a usage error
    document = build(kind, result, rules, lang, today or datetime.date.today(), cover)
    if suffix in MARKDOWN:
        return to_markdown(document).encode("utf-8")
    if suffix in HTML:
        return to_html(document).encode("utf-8")
    return to_pdf(document)


def pdf_support() -> Any:
    """xhtml2pdf's `pisa`, or a usage error naming the command that installs it."""
    try:
        from xhtml2pdf import pisa  # type: ignore[import-untyped]  # deferred: the optional extra, heavy, only for .pdf
    except ImportError:
        raise UsageError("report.pdf_missing") from None
    return pisa


def to_pdf(document: Document) -> bytes:
    import logging

    logging.getLogger("xhtml2pdf").setLevel(logging.CRITICAL)  # its warnings about CSS it skips are not the user's concern
    out = io.BytesIO()
    status = pdf_support().CreatePDF(to_html(document, for_pdf=True), dest=out, encoding="utf-8")
    if status.err:
        raise MitraError("report.pdf_failed", reason=f"{status.err} error(s) in the layout")
    return out.getvalue()


def write_document(path: Path, kind: str, result: Mapping[str, Any], rules: Rules, lang: Lang, cover: Cover = NO_COVER) -> None:
    from mitra_cli.views.output import write_file_atomically

    write_file_atomically(path, render(path, kind, result, rules, lang, cover=cover))
