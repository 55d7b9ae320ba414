"""A Document in the terminal, at any width from 40 columns up.

Numbers are never cut: every number column is as wide as its widest number,
and when the text beside it would get too narrow the row becomes a small
block instead (name on one line, numbers on the next).  Text wraps; nothing
is truncated with "…".
"""

from __future__ import annotations

from rich import box
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
)

BAR_MAX = 24
BAR_MIN = 8
TEXT_MIN = 16  # narrower than this, a text column turns the table into a list
_TONE_STYLE: dict[Tone, str] = {"": "cyan", "top": "green", "good": "green", "mid": "yellow", "bad": "red", "warn": "bold yellow"}


def print_document(console: Console, document: Document) -> None:
    heading = ""
    for number, block in enumerate(document.blocks):
        if isinstance(block, Heading):
            if number:
                console.print()
            heading = block.text
        elif isinstance(block, (Table, Bars)) and block.caption == heading:
            block = block._replace(caption="")  # the heading just above says it already
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


def _table(table: Table, width: int) -> RenderableType:
    widths = _cell_widths(table)
    numbers = sum(widths[i] for i in table.numeric)
    texts = len(table.headers) - len(table.numeric)
    if numbers + texts * TEXT_MIN + 2 * len(table.headers) > width:
        return _table_as_list(table)
    shown = RichTable(box=box.SIMPLE, title=table.caption or None, title_justify="left", padding=(0, 1), pad_edge=False)
    for index, header in enumerate(table.headers):
        if index in table.numeric:
            shown.add_column(header, justify="right", no_wrap=True, min_width=widths[index])
        else:
            shown.add_column(header, ratio=1, overflow="fold")
    for row in table.rows:
        shown.add_row(*row)
    return shown


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


def _bars(block: Bars, width: int) -> RenderableType:
    value_width = max([len(block.value_header)] + [len(bar.value) for bar in block.bars])
    detail_width = max([len(block.detail_header)] + [len(bar.detail) for bar in block.bars])
    label_width = max(len(bar.label) for bar in block.bars)
    gaps = 2 * 3 + 4  # between the four columns, and the table's edges (with room to spare)
    label_min, detail_min = min(label_width, 24), min(detail_width, 20)  # longer ones wrap in their column
    bar_width = min(BAR_MAX, width - gaps - label_min - value_width - detail_min)
    if bar_width >= BAR_MIN:
        table = RichTable(box=box.SIMPLE, padding=(0, 1), pad_edge=False, title=None)
        table.add_column("", overflow="fold", min_width=label_min)
        table.add_column(block.value_header, justify="right", no_wrap=True, min_width=value_width)
        table.add_column("", no_wrap=True, width=bar_width)
        table.add_column(block.detail_header, no_wrap=detail_width <= 12, overflow="fold", min_width=detail_min)
        for bar in block.bars:
            table.add_row(
                Text(bar.label, style="bold" if bar.tone == "top" else ""),
                bar.value,
                _bar_text(bar.share, bar_width, bar.tone),
                bar.detail,
            )
        return table
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
