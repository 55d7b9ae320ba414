"""A Document in the terminal, at any width from 40 columns up.

Numbers are never cut: every number column is as wide as its widest number,
and when the text beside it would get too narrow the row becomes a small
block instead (name on one line, numbers on the next).  Text wraps; nothing
is truncated with "…".
"""

from __future__ import annotations

import textwrap

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table as RichTable
from rich.text import Text

from mitra_cli.views.document import (
    Bars,
    Block,
    Callout,
    Document,
    Heading,
    Items,
    Paragraph,
    Preformatted,
    Table,
    Tone,
    shown_blocks,
)

BAR_MAX = 24
BAR_MIN = 8
TEXT_MIN = 16  # narrower than this, a text column turns the table into a list
_TONE_STYLE: dict[Tone, str] = {"": "cyan", "top": "green", "good": "green", "mid": "yellow", "bad": "red", "warn": "bold yellow"}


def print_document(console: Console, document: Document) -> None:
    for number, block in enumerate(shown_blocks(document)):
        if isinstance(block, Heading) and number:
            console.print()
        console.print(renderable(block, console.width))


def renderable(block: Block, width: int) -> RenderableType:
    if isinstance(block, Heading):
        text = Text(block.text, style="bold cyan")
        if block.mark:
            text.append(f"  {block.mark}", style="dim italic")
        return text
    if isinstance(block, Paragraph):
        return Text(block.text, style={"strong": "bold", "note": "dim"}.get(block.style, ""))
    if isinstance(block, Callout):
        return Text(block.text, style=_TONE_STYLE[block.tone])
    if isinstance(block, Items):
        return _items(block)
    if isinstance(block, Preformatted):
        return Text(block.text.rstrip("\n"), no_wrap=True, overflow="ignore")
    if isinstance(block, Table):
        return _table(block, width)
    if isinstance(block, Bars):
        return _bars(block, width)
    spaced: list[RenderableType] = []
    for number, part in enumerate(block.blocks):
        previous = block.blocks[number - 1] if number else None
        after_lead_in = isinstance(previous, Paragraph) and previous.style == "strong"
        if number and not after_lead_in:
            spaced.append(Text(""))
        spaced.append(renderable(part, width - 4))
    # The title inside the box, not on its border: a border title is cut short on a narrow terminal.
    return Panel(Group(Text(block.title, style="bold green"), Text(""), *spaced), border_style="green")


def _items(block: Items) -> RichTable:
    """A list whose wrapped lines stay indented under their own text."""
    grid = RichTable.grid(padding=(0, 1))
    markers = [f"{n}." if block.numbered else block.marker for n in range(1, len(block.entries) + 1)]
    named_numbers = all(entry.term[:1] in "+-0123456789" and entry.term for entry in block.entries) and not block.marker
    if named_numbers:  # "+6  Number of partners: many": points in their own right-aligned column
        grid.add_column(justify="right", style="green", no_wrap=True)
        grid.add_column()
        for entry in block.entries:
            grid.add_row(entry.term, Text(entry.text))
        return grid
    grid.add_column(width=max((len(m) for m in markers), default=1) + 1, justify="right", style="cyan", no_wrap=True)
    grid.add_column()
    for marker, entry in zip(markers, block.entries):
        text = Text()
        if entry.term:
            text.append(entry.term, style="bold")
            text.append(" — ")
        text.append(entry.text)
        for sub in entry.sub:
            text.append(f"\n- {sub}", style="dim")
        grid.add_row(marker, text)
    return grid


def _cell_widths(table: Table) -> list[int]:
    return [max([len(h) for h in (table.headers[i],)] + [len(row[i]) for row in table.rows]) for i in range(len(table.headers))]


WORD_MAX = 32  # a text column is at least as wide as its longest word, up to this
GAP = "  "


def _column_widths(table: Table, width: int) -> list[int] | None:
    """Each column's width within `width`: numbers as wide as the widest, text sharing the rest; None if it cannot fit."""
    natural = _cell_widths(table)
    longest_word = [
        min(
            WORD_MAX,
            max([len(word) for cell in (table.headers[i], *(row[i] for row in table.rows)) for word in cell.split()] or [1]),
        )
        for i in range(len(table.headers))
    ]
    least = [natural[i] if i in table.numeric else min(natural[i], max(TEXT_MIN, longest_word[i])) for i in range(len(natural))]
    room = width - 1 - len(GAP) * (len(natural) - 1)
    if sum(least) > room:
        return None
    widths = list(least)
    spare = room - sum(widths)
    wanting = sorted((natural[i] - widths[i], i) for i in range(len(widths)) if i not in table.numeric and natural[i] > widths[i])
    for place, (want, i) in enumerate(wanting):  # shared out evenly; what a short text leaves over goes to the longer
        given = min(want, spare // (len(wanting) - place))
        widths[i] += given
        spare -= given
    return widths


def _table(table: Table, width: int) -> RenderableType:
    """A table laid out here: numbers never cut, words never split, nothing cropped; a list when it cannot fit."""
    widths = _column_widths(table, width)
    if widths is None:
        return _table_as_list(table)

    def line(cells: tuple[str, ...], style: str = "") -> list[Text]:
        wrapped = [[cell.rjust(widths[i])] if i in table.numeric else _wrapped(cell, widths[i]) for i, cell in enumerate(cells)]
        return [
            Text(
                " " + GAP.join((column[row] if row < len(column) else "").ljust(widths[i]) for i, column in enumerate(wrapped)),
                style=style,
            )
            for row in range(max(map(len, wrapped)))
        ]

    lines = [Text(table.caption, style="bold")] if table.caption else []
    lines += [*line(table.headers, "bold"), Text(" " + "─" * (sum(widths) + len(GAP) * (len(widths) - 1)), style="dim")]
    for row in table.rows:
        lines += line(row)
    return Group(*lines)


def _table_as_list(table: Table) -> RenderableType:
    """Each row as a small block: its first cell in bold, then "header: value" lines."""
    lines: list[RenderableType] = [Text(table.caption, style="bold")] if table.caption else []
    for row in table.rows:
        lines.append(Text(row[0], style="bold"))
        for header, cell in zip(table.headers[1:], row[1:]):
            lines.append(Text(f"  {header}: {cell}"))
    return Group(*lines)


def _bar_text(share: float, width: int, tone: Tone) -> Text:
    filled = round(max(0.0, min(1.0, share)) * width)
    text = Text("█" * filled, style=_TONE_STYLE[tone])
    text.append("░" * (width - filled), style="dim")
    return text


def _wrapped(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` columns, broken between words (a word longer than a line is split)."""
    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def _bars(block: Bars, width: int) -> RenderableType:
    """A bar chart laid out here, column by column, so that no number or word is ever cropped by the table."""
    gap = "  "
    value_width = max([len(block.value_header)] + [len(bar.value) for bar in block.bars])
    label_width = min(max(len(bar.label) for bar in block.bars), max(12, width // 3))  # longer names wrap
    detail_width = max([len(block.detail_header)] + [len(bar.detail) for bar in block.bars])
    detail_room = min(detail_width, 24)  # a longer detail wraps in its column, between words
    bar_width = min(BAR_MAX, width - 1 - label_width - value_width - detail_room - 3 * len(gap))
    if bar_width >= BAR_MIN:
        detail_room = width - 1 - label_width - value_width - bar_width - 3 * len(gap)
        lines = [
            Text(
                " "
                + " " * label_width
                + gap
                + block.value_header.rjust(value_width)
                + gap
                + " " * bar_width
                + gap
                + block.detail_header,
                style="bold",
            ),
            Text(" " + "─" * (width - 2), style="dim"),
        ]
        for bar in block.bars:
            labels = _wrapped(bar.label, label_width)
            details = _wrapped(bar.detail, detail_room)
            for row in range(max(len(labels), len(details))):
                line = Text(" ")
                label = labels[row] if row < len(labels) else ""
                line.append(label.ljust(label_width), style="bold" if bar.tone == "top" else "")
                line.append(gap + (bar.value.rjust(value_width) if row == 0 else " " * value_width) + gap)
                line.append_text(_bar_text(bar.share, bar_width, bar.tone) if row == 0 else Text(" " * bar_width))
                line.append(gap + (details[row] if row < len(details) else ""))
                lines.append(line)
        return Group(*lines)
    # Narrow: the name on its own line, then the bar with its number (and detail below if it does not fit).
    bar_width = max(4, min(BAR_MAX, width - value_width - 4))
    rows: list[RenderableType] = [Text(f"{block.value_header}, {block.detail_header}".strip(", "), style="dim")]
    for bar in block.bars:
        line = _bar_text(bar.share, bar_width, bar.tone)
        line.append(f" {bar.value}")
        fits = bool(bar.detail) and len(line) + 3 + len(bar.detail) <= width
        if fits:
            line.append(f" {bar.detail}", style="dim")
        rows += [Text(bar.label, style="bold" if bar.tone == "top" else ""), Padding(line, (0, 0, 0, 2))]
        if bar.detail and not fits:
            rows.append(Padding(Text(bar.detail, style="dim"), (0, 0, 0, 2)))
    return Group(*rows)
