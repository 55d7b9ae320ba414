"""The JSON contract: real `--json` output has exactly the keys (and kinds of value) core/shapes.py declares,
and the README's key tables name the same keys."""

from __future__ import annotations

import re
import types
import typing
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import pytest

from conftest import Invoke
from mitra_cli.core import shapes

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def conforms(value: Any, kind: Any, where: str) -> list[str]:
    """Every way `value` differs from the type `kind` (a TypedDict, list, dict, union, literal or plain type)."""
    origin = get_origin(kind)
    if kind is Any:
        return []
    if origin in (Union, types.UnionType):
        found = [conforms(value, option, where) for option in get_args(kind)]
        return [] if any(not problems for problems in found) else [f"{where}: {value!r} is none of {kind}"]
    if origin is Literal:
        return [] if value in get_args(kind) else [f"{where}: {value!r} not in {get_args(kind)}"]
    if origin is list:
        if not isinstance(value, list):
            return [f"{where}: not a list"]
        return [problem for n, item in enumerate(value) for problem in conforms(item, get_args(kind)[0], f"{where}[{n}]")]
    if origin is dict:
        if not isinstance(value, dict):
            return [f"{where}: not an object"]
        return [problem for key, item in value.items() for problem in conforms(item, get_args(kind)[1], f"{where}.{key}")]
    if typing.is_typeddict(kind):
        if not isinstance(value, dict):
            return [f"{where}: not an object"]
        hints = get_type_hints(kind)
        extra = shapes.KEYWORD_KEYS.get(kind.__name__, frozenset())
        problems = [f"{where}: missing {key}" for key in kind.__required_keys__ if key not in value]
        problems += [f"{where}: undeclared key {key}" for key in value if key not in hints and key not in extra]
        for key, item in value.items():
            if key in hints:
                problems += conforms(item, hints[key], f"{where}.{key}")
        return problems
    if kind is float:
        return [] if isinstance(value, (int, float)) and not isinstance(value, bool) else [f"{where}: {value!r} is not a number"]
    if kind is type(None):
        return [] if value is None else [f"{where}: {value!r} is not null"]
    return (
        [] if isinstance(value, kind) and not (kind is int and isinstance(value, bool)) else [f"{where}: {value!r} is not {kind}"]
    )


def assert_conforms(value: Any, kind: Any) -> None:
    problems = conforms(value, kind, "$")
    assert not problems, problems[:10]


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("example", ["sugar-mill.yaml", "mill-few-partners.yaml", "sales-agent.json", "state-enterprise.yaml"])
def test_recommend_json_is_the_declared_shape(mitra: Invoke, example: str, lang: str) -> None:
    result = mitra("--lang", lang, "recommend", "--answers", str(EXAMPLES / example), "--json").json()
    assert_conforms(result, shapes.RecommendResult)
    assert "what_if" in result


def test_batch_lines_are_the_declared_shape(mitra: Invoke) -> None:
    line = (EXAMPLES / "sales-agent.json").read_text(encoding="utf-8").replace("\n", " ") + "\n"
    run = mitra("recommend", "--batch", input=line)
    assert run.exit_code == 0, run.stderr
    assert_conforms(run.json(), shapes.RecommendResult)


@pytest.mark.parametrize("extra", [[], ["--anonymous"], ["--previous", str(EXAMPLES / "assess" / "health-2025.json")]])
def test_assess_json_is_the_declared_shape(mitra: Invoke, extra: list[str]) -> None:
    files = [
        "--answers",
        str(EXAMPLES / "assess" / "2026" / "pt-gula.yaml"),
        "--answers",
        str(EXAMPLES / "assess" / "2026" / "koperasi-tani.yaml"),
    ]
    run = mitra("assess", *files, *extra, "--json")
    assert run.exit_code == 0, run.stderr
    assert_conforms(run.json(), shapes.AssessResult)


def test_catalogue_and_classify_json_are_the_declared_shapes(mitra: Invoke) -> None:
    for pattern in mitra("patterns", "--json").json():
        assert_conforms(pattern, shapes.PatternSummary)
    entries = mitra("questions", "--json").json()
    for entry in entries:
        assert_conforms(entry, shapes.DerivedEntry if entry["kind"] == "derived" else shapes.QuestionEntry)
    assert_conforms(mitra("classify", "--capital", "1,5 M", "--json").json(), shapes.Classification)


def test_the_checker_catches_a_wrong_shape() -> None:
    """The contract test itself can fail: a dropped key, an extra key and a wrong kind are each found."""
    good = {"id": "x", "text": "t", "items": []}
    assert conforms(good, shapes.Caveat, "$") == []
    assert conforms({"id": "x", "items": []}, shapes.Caveat, "$") == ["$: missing text"]
    assert conforms({**good, "new": 1}, shapes.Caveat, "$") == ["$: undeclared key new"]
    assert conforms({**good, "items": [1]}, shapes.Caveat, "$") == ["$.items[0]: 1 is not <class 'str'>"]


def readme_keys(heading: str) -> set[str]:
    """The keys named in the first column of the table that follows `heading` in the README."""
    start = README.index(heading)
    table = re.search(r"\n\| key \| what \|\n\| --- \| --- \|\n((?:\|.*\n)+)", README[start:])
    assert table, f"no key table after {heading!r}"
    keys: set[str] = set()
    for row in table.group(1).splitlines():
        keys.update(re.findall(r"`([a-z_]+)`", row.split("|")[1]))
    return keys


def test_readme_key_tables_match_the_contract() -> None:
    assert readme_keys("`mitra recommend --json` prints one object") == set(get_type_hints(shapes.RecommendResult))
    assert readme_keys("`mitra assess --json` prints one object") == set(get_type_hints(shapes.AssessResult))
