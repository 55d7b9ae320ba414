"""Typed, located access to a Node tree, collecting every problem at once.

The loader reads each YAML file through a ``Reader``: asking for a field that
is missing or of the wrong type records a Problem (file, line, field path)
and returns a harmless stand-in, so one pass reports everything wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from mitra_cli.core.errors import Problem
from mitra_cli.core.lang import LANGS
from mitra_cli.core.model import Text
from mitra_cli.ruledata.yamlnodes import Node

# Matched with fullmatch: "$" would also accept a trailing newline.
KEBAB_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SNAKE_ID = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*")
# Every number in rule data is far inside this; beyond it (or inf, nan) is a mistake.
NUMBER_LIMIT = 10**15

_EMPTY_TEXT = Text("", "")


class Reader:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(self, line: int | None, path: str, key: str, /, **params: Any) -> None:
        self.problems.append(Problem(self.file, line, path, key, params))

    def expect(self, node: Node, path: str, kind: str) -> bool:
        if node.kind != kind:
            self.add(node.line, path, "data.wrong_type", expected=kind, found=node.kind)
            return False
        return True

    def fields(
        self,
        node: Node,
        path: str,
        required: Iterable[str],
        optional: Iterable[str] = (),
    ) -> dict[str, Node]:
        """The mapping at `node`; missing required and unknown fields are problems."""
        if not self.expect(node, path, "mapping"):
            return {}
        mapping: dict[str, Node] = node.value
        required = tuple(required)
        known = set(required) | set(optional)
        for name in required:
            if name not in mapping:
                self.add(node.line, _join(path, name), "data.missing_field", field=name)
        for name, child in mapping.items():
            if name not in known:
                self.add(child.line, _join(path, name), "data.unknown_field", field=name, known=", ".join(sorted(known)))
        return {name: child for name, child in mapping.items() if name in known}

    def items(self, node: Node | None, path: str) -> list[tuple[str, Node]]:
        """The elements of a list, each with its field path."""
        if node is None:
            return []
        if not self.expect(node, path, "list"):
            return []
        return [(f"{path}[{index}]", item) for index, item in enumerate(node.value)]

    def flag(self, node: Node | None, path: str) -> bool:
        """A yes/no field (absent: no)."""
        if node is None:
            return False
        if node.kind != "yes/no":
            self.add(node.line, path, "data.wrong_type", expected="yes/no", found=node.kind)
            return False
        return bool(node.value)

    def string(self, node: Node | None, path: str) -> str:
        if node is None:
            return ""
        if node.kind != "text" or not str(node.value).strip():
            self.add(node.line, path, "data.wrong_type", expected="text", found=node.kind)
            return ""
        return str(node.value)

    def ident(self, node: Node | None, path: str, pattern: re.Pattern[str] = KEBAB_ID) -> str:
        value = self.string(node, path)
        if value and not pattern.fullmatch(value) and node is not None:
            self.add(node.line, path, "data.bad_id", value=value)
        return value

    def number(self, node: Node | None, path: str) -> float:
        if node is None:
            return 0.0
        if node.kind != "number":
            self.add(node.line, path, "data.wrong_type", expected="number", found=node.kind)
            return 0.0
        value = node.value
        # Compared before float(): an int like 10**400 cannot become a float.
        if value != value or not -NUMBER_LIMIT <= value <= NUMBER_LIMIT:
            self.add(node.line, path, "data.number_range", value=str(value)[:40], limit=f"{NUMBER_LIMIT:,}")
            return 0.0
        return float(value)

    def whole(self, node: Node | None, path: str, low: int, high: int) -> int:
        """A whole number from `low` to `high` (inclusive)."""
        value = self.number(node, path)
        if node is not None and (value != int(value) or not low <= value <= high):
            self.add(node.line, path, "data.whole_range", low=low, high=high)
            return low
        return int(value)

    def text(self, node: Node | None, path: str) -> Text:
        """A bilingual sentence: a mapping with a non-empty `id` and `en`."""
        if node is None:
            return _EMPTY_TEXT
        if not self.expect(node, path, "mapping"):
            return _EMPTY_TEXT
        mapping: dict[str, Node] = node.value
        found: dict[str, str] = {}
        for lang in LANGS:
            child = mapping.get(lang)
            if child is None:
                self.add(node.line, _join(path, lang), "data.missing_translation", lang=lang)
                continue
            found[lang] = self.string(child, _join(path, lang))
        for name, child in mapping.items():
            if name not in LANGS:
                self.add(child.line, _join(path, name), "data.unknown_field", field=name, known="id, en")
        return Text(found.get("id", ""), found.get("en", ""))

    def texts(self, node: Node | None, path: str) -> tuple[Text, ...]:
        return tuple(self.text(item, item_path) for item_path, item in self.items(node, path))

    def idents(self, node: Node | None, path: str, pattern: re.Pattern[str] = KEBAB_ID) -> tuple[str, ...]:
        return tuple(self.ident(item, item_path, pattern) for item_path, item in self.items(node, path))

    def unique(self, entries: Iterable[tuple[str, Node | None, str]], what: str) -> None:
        """Report every id seen twice; entries are (id, node, path)."""
        seen: set[str] = set()
        for value, node, path in entries:
            if value and value in seen:
                self.add(node.line if node else None, path, "data.duplicate_id", what=what, value=value)
            seen.add(value)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
