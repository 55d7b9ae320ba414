"""Reading the plain YAML people write as answers files, without importing PyYAML.

An answers file is usually a flat mapping of question ids to words or lists
of words.  Importing PyYAML costs a script calling ``mitra recommend
--answers F.yaml --json`` once per record about a quarter of its start-up, so
such files are read here.  Only a narrow subset is accepted, and only where it
means exactly what PyYAML makes of it: plain words (not the ones YAML 1.1
turns into booleans or null), simple quoted strings, flow lists ``[a, b]``
and block lists ``- a``, comments and blank lines.  Anything else — another
indentation, a number, an anchor, a second key, a tab — returns None, and the
file is read by PyYAML as before (tests/test_plainyaml.py holds the two equal
on generated documents).
"""

from __future__ import annotations

import re

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +(.*))?")
_ITEM = re.compile(r"( *)- +(.*)")
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*(?: [A-Za-z0-9_-]+)*")
_SINGLE = re.compile(r"'([^'\n]*)'")
_DOUBLE = re.compile(r'"([^"\\\n]*)"')
_COMMENT = re.compile(r"(.*?)(?: +#.*)?")  # a comment after a value needs a space before "#"
# YAML 1.1 (PyYAML) reads these as booleans or null, not as words.
_NOT_WORDS = frozenset(["y", "yes", "n", "no", "true", "false", "on", "off", "null"])

Value = str | list[str]


def _scalar(text: str) -> str | None:
    """A word, a few words, or a simple quoted string; None for anything YAML might read otherwise."""
    for quoted in (_SINGLE, _DOUBLE):
        found = quoted.fullmatch(text)
        if found:
            return found.group(1)
    words = _uncommented(text)
    if _PLAIN.fullmatch(words) and words.lower() not in _NOT_WORDS:
        return words
    return None


def _uncommented(text: str) -> str:
    found = _COMMENT.fullmatch(text)
    return found.group(1) if found else text


def _flow_list(text: str) -> list[str] | None:
    body = _uncommented(text)
    if not (body.startswith("[") and body.endswith("]")) or "#" in body:
        return None
    inner = body[1:-1].strip(" ")
    if not inner:
        return []
    items = []
    for part in inner.split(","):
        value = _scalar(part.strip(" "))
        if value is None:
            return None
        items.append(value)
    return items


def read(text: str) -> tuple[dict[str, Value], dict[str, int]] | None:
    """(mapping, line of each key) if `text` is plain enough to read exactly here, else None."""
    if "\t" in text or "\r" in text:
        return None
    lines = text.split("\n")
    mapping: dict[str, Value] = {}
    where: dict[str, int] = {}
    index = 0
    while index < len(lines):
        line = lines[index].rstrip(" ")
        index += 1  # now the 1-based number of `line`
        if not line or line.lstrip(" ").startswith("#"):
            continue
        found = _KEY.fullmatch(line)
        if found is None:
            return None
        key, rest, number = found.group(1), found.group(2), index
        if key in mapping or key.lower() in _NOT_WORDS:
            return None
        value: Value | None
        if rest is None or rest.startswith("#"):
            value, number, index = _block_list(lines, index)  # a list is placed where its first item is
        elif rest.startswith("["):
            value = _flow_list(rest)
        else:
            value = _scalar(rest)
        if value is None:
            return None
        mapping[key] = value
        where[key] = number
    return (mapping, where) if mapping else None


def _block_list(lines: list[str], index: int) -> tuple[list[str] | None, int, int]:
    """The items "- value" that follow a bare "key:", all at one indentation; their first line; where reading stopped."""
    items: list[str] = []
    first = index + 1
    indent: str | None = None
    while index < len(lines):
        line = lines[index].rstrip(" ")
        if not line or line.lstrip(" ").startswith("#"):
            index += 1
            continue
        found = _ITEM.fullmatch(line)
        if found is None:
            break
        if indent is None:
            indent, first = found.group(1), index + 1
        elif found.group(1) != indent:
            return None, first, index
        value = _scalar(found.group(2))
        if value is None:
            return None, first, index
        items.append(value)
        index += 1
    return (items or None), first, index  # a bare "key:" with no items is null to YAML: not ours to read
