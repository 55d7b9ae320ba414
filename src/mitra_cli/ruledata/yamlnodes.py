"""Safe YAML into a tree that remembers where every value came from.

Nothing here constructs Python objects from tags: documents are composed into
nodes (with the C parser when PyYAML has it) and only plain scalars, lists and
mappings are turned into values, so a ``!!python/...`` tag is a located
error, never code that runs.  Aliases are limited and expansion is budgeted,
so a "billion laughs" file is refused before it grows.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import yaml

from mitra_cli.core.errors import Problem, type_name
from mitra_cli.core.textsafety import code_point, forbidden_character

try:  # the C loader is several times faster; fall back where PyYAML lacks libyaml
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_ALIASES = 50
MAX_NODES = 100_000

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")}


class Node(NamedTuple):
    """A value read from YAML, with the 1-based line it started on."""

    value: Any  # dict[str, Node] | list[Node] | str | int | float | bool | None
    line: int

    @property
    def kind(self) -> str:
        return type_name(self.value)


class _Budget:
    def __init__(self) -> None:
        self.nodes = 0


class ParseFailure(Exception):
    """Raised with the problems that make a document unreadable."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


def parse(text: str, file: str) -> Node:
    """Parse one YAML document into a Node tree; ParseFailure lists what is wrong."""
    try:
        aliases = sum(1 for event in yaml.parse(text, Loader=_Loader) if isinstance(event, yaml.AliasEvent))
        if aliases > MAX_ALIASES:
            raise ParseFailure([Problem(file, None, "", "yaml.too_many_aliases", {"limit": MAX_ALIASES})])
        root = yaml.compose(text, Loader=_Loader)
    except RecursionError:
        raise ParseFailure([Problem(file, None, "", "yaml.too_deep", {})]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        detail = exc.problem or exc.context or "unreadable YAML"
        raise ParseFailure([Problem(file, line, "", "yaml.syntax", {"detail": detail})]) from None
    except yaml.YAMLError as exc:
        raise ParseFailure([Problem(file, None, "", "yaml.syntax", {"detail": str(exc)})]) from None
    if root is None:
        raise ParseFailure([Problem(file, 1, "", "file.empty_document", {})])
    problems: list[Problem] = []
    try:
        tree = _convert(root, file, "", problems, _Budget())
    except RecursionError:
        raise ParseFailure([Problem(file, None, "", "yaml.too_deep", {})]) from None
    if problems:
        raise ParseFailure(problems)
    return tree


def _convert(node: yaml.Node, file: str, path: str, problems: list[Problem], budget: _Budget) -> Node:
    budget.nodes += 1
    if budget.nodes > MAX_NODES:
        problems.append(Problem(file, None, "", "yaml.too_large", {"limit": MAX_NODES}))
        raise ParseFailure(problems)
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        if node.tag != _TAG + "map":
            problems.append(Problem(file, line, path, "yaml.tag", {"tag": node.tag}))
            return Node({}, line)
        mapping: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _TAG + "merge":
                problems.append(Problem(file, key_line, path, "yaml.key_type", {}))
                continue
            key = str(key_node.value)
            child_path = f"{path}.{key}" if path else key
            found = forbidden_character(key)
            if found:  # an escape such as "\e" or "\u001b" only appears once parsed
                problems.append(Problem(file, key_line, child_path, "text.control_char", {"code": code_point(found.group())}))
                continue
            if key in mapping:
                problems.append(Problem(file, key_line, child_path, "yaml.duplicate_key", {"key": key}))
                continue
            mapping[key] = _convert(value_node, file, child_path, problems, budget)
        return Node(mapping, line)
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _TAG + "seq":
            problems.append(Problem(file, line, path, "yaml.tag", {"tag": node.tag}))
            return Node([], line)
        return Node(
            [_convert(item, file, f"{path}[{i}]", problems, budget) for i, item in enumerate(node.value)],
            line,
        )
    if not isinstance(node, yaml.ScalarNode) or node.tag not in _SCALAR_TAGS:
        problems.append(Problem(file, line, path, "yaml.tag", {"tag": node.tag}))
        return Node(None, line)
    value = _scalar(node)
    if isinstance(value, str):
        found = forbidden_character(value, lines=True)
        if found:
            problems.append(Problem(file, line, path, "text.control_char", {"code": code_point(found.group())}))
            return Node("", line)
    return Node(value, line)


def _scalar(node: yaml.ScalarNode) -> Any:
    tag = node.tag[len(_TAG) :]
    if tag in ("str", "timestamp"):
        return str(node.value)
    # Safe constructors for plain scalars only: ints, floats, booleans, null.
    constructor = yaml.constructor.SafeConstructor()
    return constructor.construct_object(node)
