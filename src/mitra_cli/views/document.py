"""One document model for what people read: the terminal, Markdown, HTML and PDF draw the same blocks.

A builder (``views.recommendation_doc``, ``views.assessment_doc``) turns a
result object into a ``Document``: neutral blocks with every number already
written in the reader's language.  Each renderer (``render_rich``,
``render_markdown``, ``render_html``) only lays the blocks out, so a layout
fix is made once per medium and a wording fix once for all of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, NamedTuple, Union

Tone = Literal["", "top", "good", "mid", "bad", "warn"]


class Entry(NamedTuple):
    """A list item: an optional name in bold, its text, and sub-items."""

    text: str
    term: str = ""
    sub: tuple[str, ...] = ()


class Bar(NamedTuple):
    """One row of a bar chart; `value` is the number as text (the bar is never the only carrier)."""

    label: str
    share: float  # 0..1: how full the bar is
    value: str
    detail: str = ""
    tone: Tone = ""


class Bars(NamedTuple):
    caption: str
    value_header: str  # what the number is ("Score (0–100)")
    detail_header: str
    bars: tuple[Bar, ...]


class Table(NamedTuple):
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()  # columns of numbers: right-aligned, never wrapped or cut


class Heading(NamedTuple):
    text: str
    mark: str = ""  # "[interpretation]": where the text under it is not from the seed


class Callout(NamedTuple):
    text: str
    tone: Tone = "warn"


class Headline(NamedTuple):
    """The answer in one box: its title and the few blocks that explain it."""

    title: str
    blocks: tuple[Block, ...]


class Paragraph(NamedTuple):
    text: str
    style: Literal["", "strong", "note"] = ""


class Items(NamedTuple):
    entries: tuple[Entry, ...]
    numbered: bool = False
    marker: str = "•"  # the terminal's marker for an unnumbered list


class Preformatted(NamedTuple):
    text: str  # a diagram: kept line for line


Block = Union[Heading, Paragraph, Callout, Items, Table, Bars, Preformatted, Headline]


class Document(NamedTuple):
    title: str
    meta: tuple[str, ...]  # lines under the title: for whom, by whom, when, from which data
    blocks: tuple[Block, ...]
    lang: str


def shown_blocks(document: Document) -> Iterator[Block]:
    """The blocks as every renderer draws them: a table's caption left out where the heading above says it already."""
    heading = ""
    for block in document.blocks:
        if isinstance(block, Heading):
            heading = block.text
        elif isinstance(block, (Table, Bars)) and block.caption == heading:
            block = block._replace(caption="")
        yield block


def items(texts: list[str] | tuple[str, ...], *, numbered: bool = False, marker: str = "•") -> Items:
    return Items(tuple(Entry(text) for text in texts), numbered, marker)


def named(pairs: list[tuple[str, str]], *, numbered: bool = False, marker: str = "•") -> Items:
    """Items that each start with a name: "Honesty — why it matters here"."""
    return Items(tuple(Entry(text, term) for term, text in pairs), numbered, marker)
