"""A Document as one self-contained HTML page, made to be printed on A4 (or turned into PDF).

No external links, scripts or fonts.  Every table has a caption and header
cells with their scope; every bar carries its number as text beside it, so
colour and length are never the only carriers.  Print rules: tables wrap,
header rows repeat, headings stay with what follows, page numbers in the
footer.  ``for_pdf`` adds the page frames the PDF renderer (xhtml2pdf) reads.
"""

from __future__ import annotations

import html

from mitra_cli.views.document import (
    Bars,
    Block,
    Callout,
    Document,
    Heading,
    Headline,
    Items,
    Paragraph,
    Preformatted,
    Table,
    Tone,
    shown_blocks,
)

_COLOURS: dict[Tone, str] = {
    "": "#4f8fb0",
    "top": "#2f7d4f",
    "good": "#2f7d4f",
    "mid": "#c98a0b",
    "bad": "#b3362c",
    "warn": "#c98a0b",
}

_STYLE = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm;
        @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; color: #5b6673; } }
body { font-family: "DejaVu Sans", "Segoe UI", Roboto, Arial, sans-serif; color: #1d2530; max-width: 46em;
       margin: 2em auto; padding: 0 1em; line-height: 1.45; font-size: 10.5pt; }
h1 { font-size: 1.6em; border-bottom: 3px solid #2f7d4f; padding-bottom: .3em; margin-bottom: .4em; }
h2 { font-size: 1.15em; color: #2f7d4f; margin-top: 1.4em; margin-bottom: .4em; page-break-after: avoid; break-after: avoid; }
h2 .mark { color: #5b6673; font-size: .8em; font-weight: normal; }
.meta { color: #5b6673; font-size: .9em; margin: 0; }
.note { color: #5b6673; font-size: .85em; }
.strong { font-weight: bold; }
.callout { border-left: 4px solid #c98a0b; padding: .3em .7em; background: #fdf6e7; }
.headline { border: 2px solid #2f7d4f; padding: .2em 1em .6em 1em; margin: 1em 0; }
table { border-collapse: collapse; width: 100%; margin: .3em 0 .8em 0; }
caption { text-align: left; font-weight: bold; padding: .2em 0; caption-side: top; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
th, td { text-align: left; padding: .25em .5em; border-bottom: 1px solid #dde3e8; vertical-align: top;
         overflow-wrap: anywhere; word-wrap: break-word; }
th { font-weight: bold; background: #f2f5f4; }
th[scope="row"] { background: none; }
.num { text-align: right; white-space: nowrap; }
.bar { font-family: "Courier New", Courier, monospace; font-size: 9pt; white-space: pre; }
.fill { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.rest { background-color: #e6ece9; color: #e6ece9; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
li { margin: .2em 0; }
pre { font-family: "DejaVu Sans Mono", monospace; font-size: .85em; line-height: 1.2; white-space: pre; }
@media print { body { margin: 0; max-width: none; } }
"""

# xhtml2pdf places the footer (with the page number) through a frame of its own.
_PDF_STYLE = """
@page { size: a4 portrait; margin: 18mm 16mm 22mm 16mm;
        @frame footer { -pdf-frame-content: footer; bottom: 8mm; margin-left: 16mm; margin-right: 16mm; height: 10mm; } }
#footer { text-align: center; color: #5b6673; font-size: 9pt; }
body { margin: 0; max-width: none; padding: 0; }
h2 { -pdf-keep-with-next: true; }
"""


HEADING_ROOM = "4.5cm"  # a heading and the first lines (or rows) under it


def to_html(document: Document, *, for_pdf: bool = False) -> str:
    e = html.escape
    style = _STYLE + (_PDF_STYLE if for_pdf else "")
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{e(document.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(document.title)}</title>",
        f"<style>{style}</style>",
        "</head>",
        "<body>",
    ]
    if for_pdf:
        out.append(f'<div id="footer">{e(document.title)} · <pdf:pagenumber> / <pdf:pagecount></div>')
    out += [f"<h1>{e(document.title)}</h1>", *(f'<p class="meta">{e(line)}</p>' for line in document.meta)]
    for block in shown_blocks(document):
        # In a PDF no heading, nor a table's caption, stays alone at a page's foot: a new page unless this much room is left.
        if for_pdf and (isinstance(block, Heading) or (isinstance(block, (Table, Bars)) and block.caption)):
            out.append(f'<pdf:condpagebreak height="{HEADING_ROOM}"/>')
        out += _block(block)
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _block(block: Block) -> list[str]:
    e = html.escape
    if isinstance(block, Headline):
        inner = [line for part in block.blocks for line in _block(part)]
        return ['<div class="headline">', f"<h2>{e(block.title)}</h2>", *inner, "</div>"]
    if isinstance(block, Heading):
        mark = f' <span class="mark">{e(block.mark)}</span>' if block.mark else ""
        return [f"<h2>{e(block.text)}{mark}</h2>"]
    if isinstance(block, Paragraph):
        return [f'<p class="{block.style}">{e(block.text)}</p>' if block.style else f"<p>{e(block.text)}</p>"]
    if isinstance(block, Callout):
        return [f'<p class="callout">{e(block.text)}</p>']
    if isinstance(block, Items):
        tag = "ol" if block.numbered else "ul"
        entries = []
        for entry in block.entries:
            text = f"<strong>{e(entry.term)}</strong> — {e(entry.text)}" if entry.term else e(entry.text)
            if entry.sub:
                text += "<ul>" + "".join(f"<li>{e(sub)}</li>" for sub in entry.sub) + "</ul>"
            entries.append(f"<li>{text}</li>")
        return [f"<{tag}>" + "".join(entries) + f"</{tag}>"]
    if isinstance(block, Table):
        lines = ['<table repeat="1">', f"<caption>{e(block.caption)}</caption>" if block.caption else "", "<thead><tr>"]
        shares = _shares(block)
        lines += [_th(header, index in block.numeric, f"{shares[index]}%") for index, header in enumerate(block.headers)]
        lines.append("</tr></thead><tbody>")
        for row in block.rows:
            cells = [f'<th scope="row">{e(row[0])}</th>']
            cells += [
                f'<td class="num">{e(c)}</td>' if i + 1 in block.numeric else f"<td>{e(c)}</td>" for i, c in enumerate(row[1:])
            ]
            lines.append("<tr>" + "".join(cells) + "</tr>")
        return [*lines, "</tbody></table>"]
    if isinstance(block, Bars):
        lines = ['<table repeat="1">', f"<caption>{e(block.caption)}</caption>" if block.caption else "", "<thead><tr>"]
        lines += ['<th scope="col" style="width:32%"></th>', _th(block.value_header, True, "16%")]
        lines += ['<th scope="col" style="width:26%"></th>', _th(block.detail_header, False, "26%"), "</tr></thead><tbody>"]
        for bar in block.bars:
            lines.append(
                f'<tr><th scope="row">{e(bar.label)}</th><td class="num">{e(bar.value)}</td>'
                f'<td aria-hidden="true">{_bar(bar.share, bar.tone)}</td><td>{e(bar.detail)}</td></tr>'
            )
        return [*lines, "</tbody></table>"]
    assert isinstance(block, Preformatted)
    return [f'<pre role="img">{e(block.text.rstrip())}</pre>']


def _shares(table: Table) -> list[int]:
    """Each column's share of the page width (a percent holds about 0.8 of a character): every word fits, text shares the rest."""
    columns = range(len(table.headers))
    cells = [[table.headers[i], *(row[i] for row in table.rows)] for i in columns]
    natural = [max(len(cell) for cell in column) for column in cells]
    word = [max((len(w) for cell in column for w in cell.split()), default=1) for column in cells]
    shares = [
        max(7, min(22, round((natural[i] + 1) * 1.3))) if i in table.numeric else min(40, max(8, round((word[i] + 2) * 1.3)))
        for i in columns
    ]
    for i in columns:  # a column left empty to be filled in by hand (owner, due date) gets room to write
        if i not in table.numeric and table.rows and not any(row[i] for row in table.rows):
            shares[i] = max(shares[i], 16)
    text_columns = [i for i in columns if i not in table.numeric]
    over = sum(shares) - 75  # leave a quarter of the page for the text that needs it most
    if over > 0 and text_columns:
        for i in text_columns:
            shares[i] = max(8, shares[i] - over * shares[i] // sum(shares[j] for j in text_columns))
    wanting = {i: min(natural[i], 90) - shares[i] for i in text_columns if natural[i] > shares[i]}
    spare, total = 100 - sum(shares), sum(wanting.values())
    for i, want in wanting.items():
        shares[i] += max(0, spare) * want // total
    return shares


def _th(text: str, numeric: bool, width: str = "") -> str:
    style = f' style="width:{width}"' if width else ""
    kind = ' class="num"' if numeric else ""
    return f'<th scope="col"{kind}{style}>{html.escape(text)}</th>'


BAR_STEPS = 20


def _bar(share: float, tone: Tone) -> str:
    """A bar as two runs of fixed-width spaces on coloured ground (the number beside it says the same in text).

    Spans of characters rather than boxes: the PDF renderer draws a span's ground, never an empty box's.
    """
    filled = round(max(0.0, min(1.0, share)) * BAR_STEPS)
    colour = _COLOURS[tone]
    # Each step is a character in a fixed-width font, in the colour of its ground: a solid run, in print and PDF alike.
    fill = f'<span class="fill" style="background-color:{colour}; color:{colour}">{"_" * filled}</span>' if filled else ""
    rest = f'<span class="rest">{"_" * (BAR_STEPS - filled)}</span>' if filled < BAR_STEPS else ""
    return f'<span class="bar">{fill}{rest}</span>'
