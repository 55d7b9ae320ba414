"""A Document as Markdown: inert text (nothing interpolated can become a link, HTML or a heading)."""

from __future__ import annotations

import re

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
)

BAR_WIDTH = 30

# Characters that Markdown (or the HTML it may carry) would act on.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}<>&!|~#])")
_MD_LINE_START = re.compile(r"^(\s*)(\d*)([-+=>.)])")
_HTML_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
# What renderers turn into a link by themselves (GitHub's autolinks): broken by an invisible space.
_AUTOLINK = re.compile(r"(?i)(:/)(/)|\b(www)(\.)")


def cell(text: object) -> str:
    """Interpolated text as inert Markdown inside a line: no links, images, HTML or emphasis it did not ask for."""
    flat = " ".join(str(text).split())
    escaped = _MD_SPECIAL.sub(lambda m: _HTML_ENTITIES.get(m.group(1), "\\" + m.group(1)), flat)
    return _AUTOLINK.sub(lambda m: "&#8203;".join(part for part in m.groups() if part), escaped)


def md(text: object) -> str:
    """Interpolated text as inert Markdown at the start of a line: no heading or list marker either."""
    # A list marker or heading underline at the start: escape its punctuation ("1\\." is not a list).
    return _MD_LINE_START.sub(lambda m: m.group(1) + m.group(2) + "\\" + m.group(3), cell(text))


def _fenced(text: object) -> str:
    """Text inside a ``` block: shown literally, so only a fence or a line break could escape it."""
    return " ".join(str(text).split()).replace("`", "'")


def to_markdown(document: Document) -> str:
    out = [f"# {md(document.title)}", "", *(f"*{md(line)}*  " for line in document.meta), ""]
    for block in document.blocks:
        out += _block(block)
    return "\n".join(out).rstrip("\n") + "\n"


def _block(block: Block) -> list[str]:
    if isinstance(block, Headline):
        return [f"## {md(block.title)}", "", *(line for part in block.blocks for line in _block(part))]
    if isinstance(block, Heading):
        return [f"## {md(block.text)}" + (f" {md(block.mark)}" if block.mark else ""), ""]
    if isinstance(block, Paragraph):
        text = md(block.text)
        return [f"**{text}**" if block.style == "strong" else f"*{text}*" if block.style == "note" else text, ""]
    if isinstance(block, Callout):
        return [f"> **{md(block.text)}**", ""]
    if isinstance(block, Items):
        lines = []
        for number, entry in enumerate(block.entries, start=1):
            marker = f"{number}." if block.numbered else "-"
            text = f"**{md(entry.term)}** — {md(entry.text)}" if entry.term else md(entry.text)
            lines.append(f"{marker} {text}")
            lines += [f"   - {md(sub)}" for sub in entry.sub]
        return [*lines, ""]
    if isinstance(block, Table):
        lines = [f"*{md(block.caption)}*", ""] if block.caption else []
        align = ["---:" if i in block.numeric else "---" for i in range(len(block.headers))]
        lines += ["| " + " | ".join(map(cell, block.headers)) + " |", "| " + " | ".join(align) + " |"]
        lines += ["| " + " | ".join(map(cell, row)) + " |" for row in block.rows]
        return [*lines, ""]
    if isinstance(block, Bars):
        labels = [_fenced(bar.label) for bar in block.bars]
        values = [_fenced(bar.value) for bar in block.bars]
        width, value_width = max(map(len, labels)), max(map(len, values))
        lines = ["```text"]
        for label, value, bar in zip(labels, values, block.bars):
            filled = round(max(0.0, min(1.0, bar.share)) * BAR_WIDTH)
            drawn = "█" * filled + "░" * (BAR_WIDTH - filled)
            lines.append(f"{label:<{width}}  {value:>{value_width}}  {drawn}  {_fenced(bar.detail)}".rstrip())
        return [*lines, "```", ""]
    assert isinstance(block, Preformatted)
    return ["```text", *(line.replace("`", "'") for line in block.text.rstrip("\n").splitlines()), "```", ""]
