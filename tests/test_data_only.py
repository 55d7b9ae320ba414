"""A question added in data/ alone reaches questions --json, the questionnaire, the score and the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLES, Invoke, edit

NEW_QUESTION = """
  - id: funding
    kind: one
    optional: true
    when: {partner_count: [few, many]}
    short: {id: "Pendanaan", en: "Funding"}
    text:
      id: "Dari mana dana kemitraan ini?"
      en: "Where does the partnership's money come from?"
    help:
      id: "Pilih sumber utama."
      en: "Pick the main source."
    choices:
      - value: grant
        label: {id: "Hibah", en: "A grant"}
      - value: own
        label: {id: "Dana sendiri", en: "Own funds"}

"""


def test_a_question_added_in_data_only_is_asked_scored_and_reported(mitra: Invoke, data_copy: Path, tmp_path: Path) -> None:
    edit(data_copy / "questions.yaml", "  - id: horizon\n", NEW_QUESTION.lstrip("\n") + "  - id: horizon\n")
    edit(
        data_copy / "patterns.yaml",
        "      - {question: exchange, answer: support, points: 20}",
        "      - {question: exchange, answer: support, points: 20}\n      - {question: funding, answer: grant, points: 7}",
    )
    data = ["--data", str(data_copy)]
    assert mitra(*data, "validate").exit_code == 0

    questions = {q["id"]: q for q in mitra(*data, "questions", "--json").json()}
    assert questions["funding"]["optional"] is True
    assert questions["funding"]["when"] == [{"partner_count": ["few", "many"]}]

    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({**json.loads(json.dumps(_yaml(EXAMPLES / "state-enterprise.yaml"))), "funding": "grant"}))
    run = mitra(*data, "recommend", "--answers", str(answers), "--no-input", "--json")
    assert run.exit_code == 0, run.stderr
    result = run.json()
    assert result["answers"]["funding"] == "grant"
    nurturing = next(entry for entry in result["ranking"] if entry["pattern"] == "nurturing")
    assert {"question": "funding", "answer": "grant", "points": 7} in nurturing["reasons"]

    report = tmp_path / "report.md"
    run = mitra(*data, "recommend", "--answers", str(answers), "--no-input", "--report", str(report))
    assert run.exit_code == 0, run.stderr
    assert "Funding" in report.read_text(encoding="utf-8") and "A grant" in report.read_text(encoding="utf-8")

    # Asked at a prompt (piped input asks only required questions, so leave one of those out too).
    partial = {k: v for k, v in _yaml(EXAMPLES / "state-enterprise.yaml").items() if k != "horizon"}
    partial_file = tmp_path / "partial.json"
    partial_file.write_text(json.dumps(partial))
    run = mitra(*data, "recommend", "--answers", str(partial_file), "--json", input="3\n")
    assert run.exit_code == 0, run.stderr
    assert "Where does the partnership's money come from?" not in run.stderr  # optional: only a terminal asks it


def _yaml(path: Path) -> dict[str, object]:
    import yaml

    loaded: dict[str, object] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


@pytest.mark.slow
def test_the_added_question_is_asked_in_a_terminal(data_copy: Path) -> None:
    import os
    import sys

    import pexpect

    edit(data_copy / "questions.yaml", "  - id: horizon\n", NEW_QUESTION.lstrip("\n") + "  - id: horizon\n")
    mitra = str(Path(sys.executable).with_name("mitra"))
    env = {**os.environ, "TERM": "dumb", "MITRA_LANG": "en", "COLUMNS": "100"}
    child = pexpect.spawn(
        mitra,
        ["--data", str(data_copy), "recommend", "--answers", str(EXAMPLES / "state-enterprise.yaml")],
        env=env,
        encoding="utf-8",
        timeout=20,
    )
    asked = False
    while child.expect_exact(["> ", pexpect.EOF]) == 0:
        if "Where does the partnership's money come from?" in (child.before or ""):
            asked = True
            child.sendline("1")
        else:
            child.sendline("")  # leave the other optional questions unstated
    child.close()
    assert asked and child.exitstatus == 0
    assert "A grant" in (child.before or "")  # in the summary of the answers
