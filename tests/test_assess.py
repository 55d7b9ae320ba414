"""`mitra assess`: a partnership's health by dimension, for each partner and all together."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import Invoke, edit
from mitra_cli.ruledata.build import build_rules
from mitra_cli.views.i18n import describe_problem
from strategies import RULES

assert RULES.assessment is not None
STATEMENTS = RULES.assessment.statements
DIMENSIONS = [d.id for d in RULES.assessment.dimensions]


def favourable(statement_reversed: bool) -> int:
    return 1 if statement_reversed else 5


def unfavourable(statement_reversed: bool) -> int:
    return 5 if statement_reversed else 1


def answers_file(tmp: Path, name: str, answers: dict[str, Any]) -> str:
    path = tmp / f"{name}.yaml"
    path.write_text(yaml.safe_dump(answers), encoding="utf-8")
    return str(path)


def run_assess(mitra: Invoke, *files: str, lang: str = "en") -> dict[str, Any]:
    args = [arg for file in files for arg in ("--answers", file)]
    run = mitra("assess", *args, "--no-input", "--json", "--lang", lang)
    assert run.exit_code == 0, run.stderr
    return run.json()  # type: ignore[no-any-return]


def test_list_json(mitra: Invoke) -> None:
    listed = mitra("assess", "--list", "--json").json()
    assert [s["id"] for s in listed] == [s.id for s in STATEMENTS]
    assert all(set(s) == {"id", "dimension", "text", "reversed"} for s in listed)
    counts = {d: sum(1 for s in listed if s["dimension"] == d) for d in DIMENSIONS}
    assert set(DIMENSIONS) == {
        "participation",
        "mutual-cooperation",
        "transparency",
        "rule-of-law",
        "sustainability",
        "honesty",
        "fairness",
        "wisdom",
        "accountability",
        "responsibility",
        "authority",
    }
    assert all(2 <= n <= 4 for n in counts.values())
    assert any(s["reversed"] for s in listed)


def test_the_favourable_end_is_strength_everywhere(mitra: Invoke, tmp_path: Path) -> None:
    result = run_assess(mitra, answers_file(tmp_path, "a", {s.id: favourable(s.reversed) for s in STATEMENTS}))
    assert {d["band"] for d in result["dimensions"]} == {"strength"}
    assert all(d["score"] == 5.0 for d in result["dimensions"])
    assert result["actions"] == []
    assert result["overall"]["trust_triangle"]["band"] == "strength"


def test_the_other_end_is_concern_everywhere(mitra: Invoke, tmp_path: Path) -> None:
    result = run_assess(mitra, answers_file(tmp_path, "a", {s.id: unfavourable(s.reversed) for s in STATEMENTS}))
    assert {d["band"] for d in result["dimensions"]} == {"concern"}
    assert all(d["score"] == 1.0 for d in result["dimensions"])
    assert {a["dimension"] for a in result["actions"]} == set(DIMENSIONS)
    assert all(2 <= len(a["actions"]) <= 3 for a in result["actions"])


def test_dont_know_is_left_out_and_an_unanswered_dimension_says_so(mitra: Invoke, tmp_path: Path) -> None:
    answers: dict[str, Any] = {s.id: favourable(s.reversed) for s in STATEMENTS}
    fairness = [s for s in STATEMENTS if s.dimension == "fairness"]
    honesty = [s for s in STATEMENTS if s.dimension == "honesty"]
    for statement in fairness:
        answers[statement.id] = "dont-know"
    answers[honesty[0].id] = "dont-know"
    answers[honesty[1].id] = 2 if not honesty[1].reversed else 4  # a 2 after reversing
    result = run_assess(mitra, answers_file(tmp_path, "a", answers))
    by_id = {d["id"]: d for d in result["dimensions"]}
    assert by_id["fairness"]["score"] is None and by_id["fairness"]["answered"] is False and by_id["fairness"]["band"] is None
    assert "fairness" in result["overall"]["unanswered"]
    assert by_id["honesty"]["score"] == round((2 + 5) / 2, 2)  # the "don't know" is not a 3
    shown = mitra("assess", "--answers", str(tmp_path / "a.yaml"), "--no-input").stdout
    assert "no answers" in shown


def test_two_respondents_at_opposite_ends_dispute_that_dimension(mitra: Invoke, tmp_path: Path) -> None:
    first = {s.id: favourable(s.reversed) for s in STATEMENTS}
    second = {s.id: (unfavourable(s.reversed) if s.dimension == "transparency" else favourable(s.reversed)) for s in STATEMENTS}
    result = run_assess(mitra, answers_file(tmp_path, "pt-gula", first), answers_file(tmp_path, "koperasi", second))
    by_id = {d["id"]: d for d in result["dimensions"]}
    transparency = by_id["transparency"]
    assert transparency["disputed"] is True and transparency["spread"] == 4.0
    assert transparency["by_respondent"] == [
        {"respondent": "pt-gula", "score": 5.0, "answers": 3},
        {"respondent": "koperasi", "score": 1.0, "answers": 3},
    ]
    assert [d for d in DIMENSIONS if by_id[d]["disputed"]] == ["transparency"]
    assert result["overall"]["disputed"] == ["transparency"]
    assert result["actions"][0]["dimension"] == "transparency" and "disputed" in result["actions"][0]["because"]
    assert [r["name"] for r in result["respondents"]] == ["pt-gula", "koperasi"]
    shown = mitra(
        "assess",
        "--answers",
        str(tmp_path / "pt-gula.yaml"),
        "--answers",
        str(tmp_path / "koperasi.yaml"),
        "--no-input",
        env={"COLUMNS": "100"},
    ).stdout
    assert "disputed" in shown and "pt-gula" in shown and "koperasi" in shown


def test_interactive_and_file_runs_agree(mitra: Invoke, tmp_path: Path) -> None:
    chosen = {s.id: (index % 5) + 1 for index, s in enumerate(STATEMENTS)}
    chosen[STATEMENTS[2].id] = "dont-know"
    typed = "\n".join("6" if value == "dont-know" else str(value) for value in chosen.values()) + "\n"
    interactive = mitra("assess", "--json", input=typed)
    assert interactive.exit_code == 0, interactive.stderr
    from_file = run_assess(mitra, answers_file(tmp_path, "you", chosen))
    assert interactive.json()["dimensions"] == from_file["dimensions"]
    assert f"1/{len(STATEMENTS)}" in interactive.stderr


def test_prompt_manners_back_help_and_invalid(mitra: Invoke) -> None:
    typed = ["5", "<", "?", "9", "4", *(["3"] * (len(STATEMENTS) - 1))]
    run = mitra("assess", "--json", "--lang", "id", input="\n".join(typed) + "\n")
    assert run.exit_code == 0, run.stderr
    assert "'9' bukan pilihan" in run.stderr
    assert "Setiap mitra ikut merencanakan" in run.stderr  # the help: the principle's meaning
    assert run.stderr.count(f"\n1/{len(STATEMENTS)}  ") == 2


def test_end_of_input_while_asking(mitra: Invoke) -> None:
    run = mitra("assess", input="5\n")
    assert run.exit_code == 1
    assert "--answers FILE" in run.stderr


def test_both_languages(mitra: Invoke, tmp_path: Path) -> None:
    file = answers_file(tmp_path, "a", {s.id: unfavourable(s.reversed) for s in STATEMENTS})
    english = run_assess(mitra, file, lang="en")
    indonesian = run_assess(mitra, file, lang="id")
    assert english["dimensions"][0]["name"] == "Participation"
    assert indonesian["dimensions"][0]["name"] == "Prinsip partisipasi"
    assert indonesian["dimensions"][0]["band_label"] == "Perlu perhatian"
    assert english["actions"][0]["actions"] != indonesian["actions"][0]["actions"]
    shown = mitra("assess", "--answers", file, "--no-input", "--lang", "id").stdout
    assert "Segitiga kepercayaan" in shown and "Tindakan" in shown


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ({"no-such-statement": 3}, ["no-such-statement", "no such statement", "--list"]),
        ({STATEMENTS[0].id: 7}, ["'7' is not a valid answer", "1, 2, 3, 4, 5, dont-know"]),
        ({STATEMENTS[0].id: [1, 2]}, ["is not a valid answer"]),
        ({STATEMENTS[0].id: True}, ["is not a valid answer"]),
        ([1, 2, 3], ["mapping", "not list"]),
    ],
)
def test_bad_answers_files_are_refused(mitra: Invoke, tmp_path: Path, content: Any, words: list[str]) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(content))
    run = mitra("assess", "--answers", str(path), "--no-input")
    assert run.exit_code == 1
    assert "Traceback" not in run.stderr and run.stdout == ""
    for word in words:
        assert word in run.stderr


def test_answers_by_label_and_number_words(mitra: Invoke, tmp_path: Path) -> None:
    statement = STATEMENTS[0]
    result = run_assess(mitra, answers_file(tmp_path, "a", {statement.id: "Strongly agree"}))
    assert result["dimensions"][0]["score"] == (1.0 if statement.reversed else 5.0)


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_assessment_report(mitra: Invoke, tmp_path: Path, suffix: str) -> None:
    first = answers_file(tmp_path, "pt-gula", {s.id: favourable(s.reversed) for s in STATEMENTS})
    second = answers_file(tmp_path, "koperasi", {s.id: unfavourable(s.reversed) for s in STATEMENTS})
    target = tmp_path / f"health{suffix}"
    run = mitra("assess", "--answers", first, "--answers", second, "--no-input", "--report", str(target), "--lang", "id")
    assert run.exit_code == 0, run.stderr
    text = target.read_text(encoding="utf-8")
    for words in ("Kesehatan kemitraan", "Segitiga kepercayaan", "Tindakan", "pt-gula", "koperasi", "Keadilan"):
        assert words in text


def test_assessment_data_is_validated(data_copy: Path) -> None:
    from mitra_cli.core.errors import DataError

    edit(data_copy / "assessment.yaml", "  - id: honesty\n    kind: trust", "  - id: candour\n    kind: trust")
    edit(data_copy / "assessment.yaml", "      - id: wisdom-long", "      - id: wisdom-weigh")
    with pytest.raises(DataError) as caught:
        build_rules(data_copy)
    text = "\n".join(describe_problem(p, "en") for p in caught.value.problems)
    assert "assessment.yaml:" in text
    assert "unknown principle or trust element 'candour'" in text
    assert "'wisdom-weigh' appears more than once" in text


def test_rules_without_assessment(mitra: Invoke, data_copy: Path) -> None:
    (data_copy / "assessment.yaml").unlink()
    assert mitra("--data", str(data_copy), "patterns", "--json").exit_code == 0
    run = mitra("--data", str(data_copy), "assess", "--no-input")
    assert run.exit_code == 1
    assert "no assessment statements" in run.stderr
