"""Fuzzing: generated answers files and mutated rule data never crash mitra.

Whatever goes in, mitra exits 0 or 1, prints no traceback, and says something
on stderr when it fails.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from mitra_cli.cli import app
from mitra_cli.ruledata.location import shipped_data_dir
from strategies import RULES

# Thousands of generated inputs: run by .ci/run and `pytest -m slow`, not by a plain `pytest`.
pytestmark = pytest.mark.slow

QUESTION_IDS = [q.id for q in RULES.questions]
VALUES = sorted({value for q in RULES.questions for value in q.values})

scalars = st.one_of(
    st.sampled_from(VALUES),
    st.text(max_size=12),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
)
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8
)
keys = st.one_of(st.sampled_from(QUESTION_IDS), st.text(max_size=10))
answer_maps = st.dictionaries(keys, values, max_size=12)


@st.composite
def answers_files(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["yaml", "json", "text", "bytes"]))
    if kind == "yaml":
        return yaml.safe_dump(draw(answer_maps), allow_unicode=draw(st.booleans())).encode("utf-8")
    if kind == "json":
        return json.dumps(draw(answer_maps)).encode("utf-8")
    if kind == "text":
        return draw(st.text(max_size=200)).encode("utf-8", "surrogatepass")
    return draw(st.binary(max_size=200))


def check(args: list[str], stdin: str | None = None) -> None:
    result = CliRunner().invoke(app, args, input=stdin, catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1), (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr
    if result.exit_code == 1:
        assert result.stderr.strip()


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers_files())
def test_generated_answers_files(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "answers.yaml"
        path.write_bytes(content)
        check(["recommend", "--answers", str(path), "--json", "--no-input"])
        check(["assess", "--answers", str(path), "--json", "--no-input"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=40).map(lambda line: line.replace("\n", " ")), max_size=6))
def test_generated_batch_lines(lines: list[str]) -> None:
    check(["recommend", "--batch"], stdin="\n".join(lines) + "\n")


DATA = {
    name: (shipped_data_dir() / name).read_text(encoding="utf-8")
    for name in ("questions.yaml", "principles.yaml", "patterns.yaml")
}


@st.composite
def mutated_data(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(sorted(DATA)))
    lines = DATA[name].splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "replace", "truncate", "swap", "insert", "indent"]))
        if action == "delete":
            del lines[at]
        elif action == "duplicate":
            lines.insert(at, lines[at])
        elif action == "replace":
            line = lines[at]
            start = draw(st.integers(0, len(line)))
            lines[at] = line[:start] + draw(st.text(max_size=8)) + line[start + draw(st.integers(0, 8)) :]
        elif action == "truncate":
            lines = lines[:at]
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif action == "insert":
            lines.insert(
                at,
                draw(
                    st.sampled_from(
                        ["- id: x\n", "  bogus: 1\n", "&a [*a]\n", "!!python/object:os.system\n", "{\n", "    - {id: z}\n"]
                    )
                ),
            )
        else:
            lines[at] = "  " + lines[at]
    return name, "".join(lines)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_data())
def test_mutated_rule_data(mutation: tuple[str, str]) -> None:
    name, text = mutation
    with tempfile.TemporaryDirectory() as directory:
        target = Path(directory) / "data"
        shutil.copytree(shipped_data_dir(), target)
        (target / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        check(["validate", str(target)])
        check(["--data", str(target), "recommend", "--answers", "-", "--json", "--no-input"], stdin=_sugar_mill())


def _sugar_mill() -> str:
    here = Path(__file__).resolve().parent.parent / "examples" / "sugar-mill.yaml"
    return here.read_text()
