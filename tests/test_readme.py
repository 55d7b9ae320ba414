"""The README's console examples are real: each is run and its output compared.

Run `python tests/test_readme.py --update` to refresh them after a change.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mitra_cli.cli import app

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
BLOCK = re.compile(r"```console\n(.*?)```", re.S)
EXAMPLE_ENV = {"NO_COLOR": "1", "COLUMNS": "80", "LANG": "C.UTF-8", "MITRA_LANG": None, "MITRA_DATA": None, "LC_ALL": None}


def examples(text: str) -> list[tuple[str, str]]:
    """(command, shown output) for every `$ mitra ...` console block."""
    found = []
    for block in BLOCK.findall(text):
        lines = block.splitlines()
        if lines and lines[0].startswith("$ ") and "mitra " in lines[0] and "|" not in lines[0]:
            found.append((lines[0][2:], "\n".join(lines[1:])))
    return found


def run_example(command: str) -> str:
    words = shlex.split(command)
    env: dict[str, str | None] = dict(EXAMPLE_ENV)
    while "=" in words[0]:
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    assert words[0] == "mitra", command
    previous = os.getcwd()
    os.chdir(REPO)
    try:
        result = CliRunner().invoke(app, words[1:], env=env, catch_exceptions=False)
    finally:
        os.chdir(previous)
    output = result.stdout + result.stderr
    return "\n".join(line.rstrip() for line in output.splitlines()).rstrip("\n")


README_EXAMPLES = examples(README.read_text(encoding="utf-8"))


def test_readme_has_examples() -> None:
    assert len(README_EXAMPLES) >= 5


@pytest.mark.parametrize(("command", "shown"), README_EXAMPLES, ids=[c for c, _ in README_EXAMPLES])
def test_readme_example_output_is_real(command: str, shown: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_example(command) == shown.rstrip("\n")


def test_readme_gives_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert "pip install . && .venv/bin/mitra recommend" in text
    assert "pip install '.[test]'" in text and ".venv/bin/pytest" in text


def update() -> None:
    text = README.read_text(encoding="utf-8")

    def refresh(match: re.Match[str]) -> str:
        lines = match.group(1).splitlines()
        if not lines or not lines[0].startswith("$ ") or "mitra " not in lines[0] or "|" in lines[0]:
            return match.group(0)
        return f"```console\n{lines[0]}\n{run_example(lines[0][2:])}\n```"

    README.write_text(BLOCK.sub(refresh, text), encoding="utf-8")


if __name__ == "__main__" and "--update" in sys.argv:
    update()
