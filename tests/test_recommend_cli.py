"""`mitra recommend` through the CLI: files, --set, prompts, saving, languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLES, Invoke

EXAMPLE_FILES = [
    ("sugar-mill.yaml", "nucleus-plasma"),
    ("state-enterprise.yaml", "nurturing"),
    ("sales-agent.json", "parallel"),
]


@pytest.mark.parametrize(("name", "expected"), EXAMPLE_FILES)
def test_examples_from_answers_files(mitra: Invoke, name: str, expected: str) -> None:
    run = mitra("recommend", "--answers", str(EXAMPLES / name), "--json", "--no-input")
    assert run.exit_code == 0, run.stderr
    result = run.json()
    assert result["recommendation"]["pattern"] == expected
    assert next(e["pattern"] for e in result["ranking"]) == expected
    assert len(result["ranking"]) == 6
    assert run.stderr == ""


def test_answers_from_stdin(mitra: Invoke) -> None:
    text = (EXAMPLES / "sales-agent.json").read_text()
    run = mitra("recommend", "--answers", "-", "--json", "--no-input", input=text)
    assert run.exit_code == 0, run.stderr
    assert run.json()["recommendation"]["pattern"] == "parallel"


def test_save_answers_then_replay_gives_the_same_json(mitra: Invoke, tmp_path: Path) -> None:
    saved = tmp_path / "saved.yaml"
    first = mitra(
        "recommend",
        "--answers",
        str(EXAMPLES / "sugar-mill.yaml"),
        "--set",
        "horizon=medium",
        "--save-answers",
        str(saved),
        "--json",
        "--no-input",
    )
    assert first.exit_code == 0, first.stderr
    replay = mitra("recommend", "--answers", str(saved), "--json", "--no-input")
    assert replay.json() == first.json()
    assert "saved.yaml" in first.stderr


def test_save_answers_as_json(mitra: Invoke, tmp_path: Path) -> None:
    saved = tmp_path / "saved.json"
    run = mitra("recommend", "--answers", str(EXAMPLES / "sales-agent.json"), "--save-answers", str(saved), "--no-input")
    assert run.exit_code == 0
    assert json.loads(saved.read_text())["goals"] == ["trade", "market-access"]


def test_set_overrides_the_file(mitra: Invoke) -> None:
    run = mitra(
        "recommend",
        "--answers",
        str(EXAMPLES / "sugar-mill.yaml"),
        "--set",
        "goals=capacity-building,quality",
        "--set",
        "partner_count=few",
        "--json",
        "--no-input",
    )
    answers = run.json()["answers"]
    assert answers["goals"] == ["capacity-building", "quality"]
    assert answers["partner_count"] == "few"


def test_set_alone_with_every_answer(mitra: Invoke) -> None:
    sets = [
        "org_type=business",
        "size=small",
        "partner_size=large",
        "partner_count=one",
        "offer=distribution",
        "need=",
        "goals=trade,market-access",
        "relationship=equal",
        "horizon=short",
        "partner_capability=medium",
    ]
    args = [arg for item in sets for arg in ("--set", item)]
    run = mitra("recommend", *args, "--json", "--no-input")
    assert run.exit_code == 0, run.stderr
    assert run.json()["recommendation"]["pattern"] == "parallel"


def test_wrong_value_names_the_valid_ones(mitra: Invoke) -> None:
    run = mitra("recommend", "--answers", str(EXAMPLES / "sugar-mill.yaml"), "--set", "size=huge", "--no-input", "--json")
    assert run.exit_code == 1
    assert "'huge' is not a valid answer" in run.stderr
    assert "micro, small, medium, large" in run.stderr
    assert run.stdout == ""


def test_bad_set_syntax_is_usage(mitra: Invoke) -> None:
    run = mitra("recommend", "--set", "size", "--no-input")
    assert run.exit_code == 2
    assert "ID=VALUE" in run.stderr


def test_missing_answer_under_no_input_names_the_question(mitra: Invoke, tmp_path: Path) -> None:
    partial = tmp_path / "partial.yaml"
    partial.write_text(
        "\n".join(
            line for line in (EXAMPLES / "sugar-mill.yaml").read_text().splitlines() if not line.startswith(("horizon", "goals"))
        )
    )
    run = mitra("recommend", "--answers", str(partial), "--no-input", "--json")
    assert run.exit_code == 1
    assert "goals" in run.stderr and "horizon" in run.stderr
    assert "--set" in run.stderr
    assert run.stdout == ""


def test_wrong_line_is_named_in_a_yaml_file(mitra: Invoke, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text((EXAMPLES / "sugar-mill.yaml").read_text().replace("horizon: long", "horizon: forever"))
    run = mitra("recommend", "--answers", str(bad), "--no-input")
    assert run.exit_code == 1
    assert "bad.yaml:10: horizon" in run.stderr


def test_missing_answers_are_asked_and_the_rest_taken_from_the_file(mitra: Invoke, tmp_path: Path) -> None:
    partial = tmp_path / "partial.yaml"
    partial.write_text(
        "\n".join(line for line in (EXAMPLES / "sugar-mill.yaml").read_text().splitlines() if not line.startswith("horizon"))
    )
    run = mitra("recommend", "--answers", str(partial), "--json", input="3\n")
    assert run.exit_code == 0, run.stderr
    assert run.json()["answers"]["horizon"] == "long"
    assert "1/1" in run.stderr


def full_session(*lines: str) -> str:
    return "\n".join(lines) + "\n"


# business, large, micro, many, offer capital+technology+market, need raw-materials,
# goals supply-security, lead, long, low
SUGAR_MILL_TYPED = ["1", "4", "micro", "3", "1,2,market", "6", "supply-security", "1", "3", "low"]


def test_interactive_transcript_reaches_the_recommendation(mitra: Invoke) -> None:
    run = mitra("recommend", "--json", input=full_session(*SUGAR_MILL_TYPED))
    assert run.exit_code == 0, run.stderr
    result = run.json()
    assert result["recommendation"]["pattern"] == "nucleus-plasma"
    assert "1/10" in run.stderr and "10/10" in run.stderr
    assert "Your answers" not in run.stdout  # prompts and summary stay on stderr


def test_interactive_help_invalid_and_back(mitra: Invoke) -> None:
    typed = ["1", "4", "?", "micro", "lots", "3", "<", "3", *SUGAR_MILL_TYPED[4:]]
    run = mitra("recommend", "--json", input=full_session(*typed))
    assert run.exit_code == 0, run.stderr
    assert "Use the same classes" in run.stderr  # help of partner_size
    assert "'lots' is not a choice" in run.stderr
    assert run.stderr.count("4/10") == 2  # went back from question 5 to question 4 once
    assert run.json()["answers"]["partner_count"] == "many"


def test_interactive_defaults_with_enter(mitra: Invoke) -> None:
    typed = ["", "", "", "", "", "", "trade", "", "", ""]
    run = mitra("recommend", "--json", input=full_session(*typed))
    assert run.exit_code == 0, run.stderr
    answers = run.json()["answers"]
    assert answers["org_type"] == "business" and answers["size"] == "small" and answers["offer"] == []


def test_goals_need_at_least_one(mitra: Invoke) -> None:
    typed = ["", "", "", "", "", "", "", "trade", "", "", ""]
    run = mitra("recommend", "--json", input=full_session(*typed))
    assert run.exit_code == 0
    assert "This question needs an answer" in run.stderr


def test_end_of_input_explains_how_to_answer_without_a_terminal(mitra: Invoke) -> None:
    run = mitra("recommend", input="1\n2\n")
    assert run.exit_code == 1
    assert "--answers FILE" in run.stderr
    assert "Traceback" not in run.stderr
    assert run.stdout == ""


def test_human_result_in_indonesian(mitra: Invoke) -> None:
    run = mitra("recommend", "--answers", str(EXAMPLES / "sugar-mill.yaml"), "--no-input", env={"MITRA_LANG": "id"})
    assert run.exit_code == 0
    for heading in ("Pola yang disarankan", "Peringkat semua pola", "Langkah berikutnya", "Kepercayaan", "Yang perlu diwaspadai"):
        assert heading in run.stdout


def test_whole_interactive_session_in_indonesian(mitra: Invoke) -> None:
    run = mitra("recommend", "--lang", "id", input=full_session(*SUGAR_MILL_TYPED))
    assert run.exit_code == 0
    assert "Organisasi Anda termasuk jenis apa?" in run.stderr
    assert "Jawaban Anda" in run.stderr
    assert "Pola inti plasma" in run.stdout


def test_human_result_shows_ranking_reasons_and_trust(mitra: Invoke) -> None:
    run = mitra("recommend", "--answers", str(EXAMPLES / "state-enterprise.yaml"), "--no-input")
    out = run.stdout
    assert "Recommended pattern: Nurturing" in out
    assert "The partnership's aim: building the smaller party's capacity" in out
    assert out.count("█") > 6
    assert "Honesty · Fairness · Wisdom" in out


def test_questions_json(mitra: Invoke) -> None:
    everything = mitra("questions", "--json").json()
    questions = [q for q in everything if q["kind"] != "derived"]
    core = ["org_type", "size", "partner_size", "partner_count", "offer", "need", "goals", "relationship", "horizon"]
    assert [q["id"] for q in questions if not q["optional"]] == [*core, "partner_capability"]
    assert {q["id"] for q in questions if q["optional"]} == {"partner_type", "structure", "exchange"}
    structure = next(q for q in questions if q["id"] == "structure")
    assert {"partner_count": ["few", "many"]} in structure["when"]
    facts = {q["id"]: q for q in everything if q["kind"] == "derived"}
    assert facts["scale_gap"]["derived_from"] == ["size", "partner_size"]
    assert set(facts["leader"]["derived_from"]) == {"size", "partner_size", "relationship"}
    assert {c["value"] for c in facts["leader"]["choices"]} >= {"larger", "smaller", "coordinator", "nobody", "varies"}
    for q in questions:
        assert q["kind"] in ("one", "many")
        assert q["text"].endswith("?")
        assert all(set(c) >= {"value", "label"} for c in q["choices"])
    size = next(q for q in questions if q["id"] == "size")
    assert [c["value"] for c in size["choices"]] == ["micro", "small", "medium", "large"]
    assert "Rp1 billion" in size["help"]
    indonesian = mitra("questions", "--json", "--lang", "id").json()
    assert indonesian[0]["text"] != questions[0]["text"]


def test_the_size_question_takes_an_amount_in_files_set_and_batch(mitra: Invoke, tmp_path: Path) -> None:
    run = mitra("recommend", "--answers", str(EXAMPLES / "sugar-mill.yaml"), "--set", "size=1,5 miliar", "--no-input", "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["answers"]["size"] == "small"
    answers = tmp_path / "answers.yaml"
    text = (EXAMPLES / "sugar-mill.yaml").read_text(encoding="utf-8").replace("size: large", "size: 750 juta")
    answers.write_text(text, encoding="utf-8")
    run = mitra("recommend", "--answers", str(answers), "--no-input", "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["answers"]["size"] == "micro"
    line = json.dumps({**run.json()["answers"], "size": "Rp20.000.000.000"})
    batch = mitra("recommend", "--batch", input=line + "\n")
    assert batch.exit_code == 0 and json.loads(batch.stdout)["answers"]["size"] == "large"
    run = mitra("recommend", "--answers", str(answers), "--set", "size=banyak sekali", "--no-input")
    assert run.exit_code == 1 and "banyak sekali" in run.stderr


def test_answers_in_indonesian_words_as_people_type_them(mitra: Invoke, tmp_path: Path) -> None:
    answers = tmp_path / "koperasi.yaml"
    answers.write_text(
        "org_type: koperasi\nsize: mikro\npartner_size: besar\npartner_type: usaha\npartner_count: satu\n"
        "structure: hub\noffer: [bahan baku, lahan]\nneed: [pasar, modal]\nexchange: commodity\n"
        "goals: [secure-buyer, get-support]\nrelationship: mengikuti\nhorizon: panjang\npartner_capability: rendah\n",
        encoding="utf-8",
    )
    run = mitra("--lang", "id", "recommend", "--answers", str(answers), "--no-input", "--json")
    assert run.exit_code == 0, run.stderr
    result = run.json()
    assert result["answers"]["partner_type"] == "business"
    assert result["answers"]["need"] == ["capital", "market"]  # in questionnaire order
    assert result["answers"]["horizon"] == "long" and result["answers"]["relationship"] == "follow"
    # the cooperative asks as the smaller party: nucleus-plasma, with steps it can take itself
    assert result["recommendation"]["pattern"] == "nucleus-plasma"
    assert result["next_steps"][0]["id"] == "nucleus-plasma-smaller-1"
    # a large business partners a micro cooperative: it may not own or control it
    assert any(caveat["id"] == "no-ownership-or-control" for caveat in result["caveats"])
