"""Answers files: a raw mapping from YAML or JSON text (or stdin), or a CSV form, with the line of each key.

The values are checked afterwards by ``mitra_cli.core.answers.AnswerChecker``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mitra_cli.core.errors import AnswersError, Problem
from mitra_cli.ruledata import plainyaml
from mitra_cli.ruledata.files import display_path, read_stdin_text, read_text


def parse_answers_text(text: str, source: str) -> tuple[object, dict[str, int]]:
    """A raw mapping from YAML or JSON text, with the line of each top-level key."""
    stripped = text.lstrip()
    if stripped.startswith("{") or stripped.startswith("["):
        try:
            return _json_with_lines(text, source)
        except ValueError:  # json.JSONDecodeError
            pass
        except RecursionError:
            raise AnswersError(
                [Problem(source, None, "", "yaml.too_deep", {})]
            ) from None  # flow-style YAML is also allowed; YAML reports the error if it is neither
    plain = plainyaml.read(text)  # the common, plain file: no need to import PyYAML
    if plain is not None:
        return plain
    # PyYAML only for files the plain reader does not take: most never need it.
    from mitra_cli.ruledata.yamlnodes import ParseFailure, parse

    try:
        root = parse(text, source)
    except ParseFailure as failure:
        raise AnswersError(failure.problems) from None
    if isinstance(root.value, dict):
        lines = {key: node.line for key, node in root.value.items()}
        return {key: _plain(node.value) for key, node in root.value.items()}, lines
    return _plain(root.value), {}


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(node.value) for key, node in value.items()}
    if isinstance(value, list):
        return [_plain(node.value) for node in value]
    return value


def _json_with_lines(text: str, source: str) -> tuple[object, dict[str, int]]:
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, object]]) -> dict[str, object]:
        result: dict[str, object] = {}
        for key, value in items:
            if key in result:
                duplicates.append(key)
            result[key] = value
        return result

    raw = json.loads(text, object_pairs_hook=pairs)
    if duplicates:
        raise AnswersError([Problem(source, None, duplicates[0], "yaml.duplicate_key", {"key": duplicates[0]})])
    lines: dict[str, int] = {}
    if isinstance(raw, dict):
        for key in raw:
            position = text.find(json.dumps(key))
            if position >= 0:
                lines[key] = text.count("\n", 0, position) + 1
    return raw, lines


def read_answers_file(name: str) -> tuple[object, dict[str, int], str]:
    """Raw answers from a file, or from stdin for '-': (mapping, line of each key, source name)."""
    if name == "-":
        source, text = "<stdin>", read_stdin_text()
    else:
        path = Path(name).expanduser()
        source, text = display_path(path), read_text(path)
        if path.suffix.lower() == ".csv":  # a form filled in with a spreadsheet (`mitra assess --template FILE.csv`)
            from mitra_cli.ruledata.forms import read_csv_form

            csv_raw, csv_lines = read_csv_form(text, source)
            return csv_raw, csv_lines, source
    raw, lines = parse_answers_text(text, source)
    return raw, lines, source
