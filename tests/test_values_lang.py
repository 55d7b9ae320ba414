"""Values typed in either language, amounts as people abbreviate them, and an unknown MITRA_LANG."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLES, Invoke, edit
from mitra_cli.core.answers import AnswerChecker, QuestionSpec
from mitra_cli.core.errors import AnswersError
from mitra_cli.core.model import Choice, Question, Text
from strategies import RULES

SUGAR_MILL = EXAMPLES / "sugar-mill.yaml"
BILLION = 1_000_000_000

# (question, typed, canonical): values, labels and the short forms of labels, in both languages.
TYPED_VALUES = [
    ("horizon", "panjang", "long"),
    ("horizon", "Panjang (lebih dari 3 tahun)", "long"),
    ("horizon", "PENDEK", "short"),
    ("horizon", "Long", "long"),
    ("org_type", "koperasi", "cooperative"),
    ("org_type", "perusahaan", "business"),
    ("org_type", "lembaga pendidikan", "education"),
    ("org_type", "company", "business"),
    ("partner_count", "beberapa", "few"),
    ("structure", "berjenjang", "tiers"),  # "Berjenjang: mitra di beberapa tingkat ..."
    ("exchange", "belum ada", "support"),  # "Belum ada: pihak kecil sedang dibina"
    ("relationship", "setara", "equal"),
    ("partner_capability", "tinggi", "high"),
    ("size", "mikro", "micro"),
]


def recommend_json(mitra: Invoke, *args: str, lang: str = "en") -> dict[str, object]:
    run = mitra("--lang", lang, "recommend", "--answers", str(SUGAR_MILL), *args, "--no-input", "--json")
    assert run.exit_code == 0, run.stderr
    result: dict[str, object] = run.json()
    return result


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(("question", "typed", "value"), TYPED_VALUES)
def test_a_value_or_label_in_either_language_through_set(mitra: Invoke, lang: str, question: str, typed: str, value: str) -> None:
    answers = recommend_json(mitra, "--set", f"{question}={typed}", lang=lang)["answers"]
    assert isinstance(answers, dict) and answers[question] == value


@pytest.mark.parametrize("lang", ["id", "en"])
def test_labels_in_an_answers_file_and_for_many_choices(mitra: Invoke, tmp_path: Path, lang: str) -> None:
    answers = tmp_path / "answers.yaml"
    text = SUGAR_MILL.read_text(encoding="utf-8")
    for old, new in [
        ("horizon: long", "horizon: Panjang"),
        ("need: [raw-materials]", "need: [pasar, Bahan baku]"),
        ("goals: [supply-security]", "goals: akses pasar, mutu"),
    ]:
        assert old in text
        text = text.replace(old, new)
    answers.write_text(text, encoding="utf-8")
    run = mitra("--lang", lang, "recommend", "--answers", str(answers), "--no-input", "--json")
    assert run.exit_code == 0, run.stderr
    found = run.json()["answers"]
    assert found["horizon"] == "long"
    assert found["need"] == ["market", "raw-materials"]  # questionnaire order
    assert found["goals"] == ["market-access", "quality"]


def test_a_short_form_shared_by_two_choices_names_neither() -> None:
    question = Question(
        id="who",
        kind="one",
        short=Text("Siapa", "Who"),
        text=Text("Siapa?", "Who?"),
        help=Text("", ""),
        choices=(
            Choice("small-firm", Text("Usaha / kecil", "Firm / small")),
            Choice("large-firm", Text("Usaha / besar", "Firm / large")),
        ),
    )
    spec = QuestionSpec.of(question)
    assert spec.match("usaha") is None and spec.match("firm") is None  # both choices: ambiguous
    assert spec.match("kecil") == "small-firm" and spec.match("besar") == "large-firm"
    assert spec.match("Usaha / besar") == "large-firm"  # the whole label still names one


@pytest.mark.parametrize(
    ("lang", "expected", "not_expected"),
    [
        ("id", ["'lama' bukan pilihan yang sah", "short (Pendek)", "long (Panjang)"], ["(Long)"]),
        ("en", ["'lama' is not a valid answer", "short, medium, long"], ["(Panjang)"]),
    ],
)
def test_a_wrong_value_lists_the_choices_in_the_chosen_language(
    mitra: Invoke, lang: str, expected: list[str], not_expected: list[str]
) -> None:
    run = mitra("--lang", lang, "recommend", "--answers", str(SUGAR_MILL), "--set", "horizon=lama", "--no-input", "--json")
    assert run.exit_code == 1 and run.stdout == ""
    for text in expected:
        assert text in run.stderr
    for text in not_expected:
        assert text not in run.stderr


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        ("id", ["business (Usaha / perusahaan)", "cooperative (Koperasi)", "education (Lembaga pendidikan)"]),
        ("en", ["business (Business / company)", "cooperative, government (Government body), education, community"]),
    ],
)
def test_a_wrong_value_in_an_answers_file_names_values_and_labels(
    mitra: Invoke, tmp_path: Path, lang: str, labels: list[str]
) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(SUGAR_MILL.read_text(encoding="utf-8").replace("org_type: business", "org_type: pabrik"), encoding="utf-8")
    run = mitra("--lang", lang, "recommend", "--answers", str(answers), "--no-input", "--json")
    assert run.exit_code == 1
    line = next(line for line in run.stderr.splitlines() if "pabrik" in line)
    assert line.startswith(f"{answers}:") and "org_type" in line
    for label in labels:  # every choice, with its label where that says more than the value
        assert label in line


def test_the_prompt_takes_an_indonesian_label_and_lists_labels_when_it_cannot(mitra: Invoke, tmp_path: Path) -> None:
    answers = tmp_path / "no-horizon.yaml"
    text = "\n".join(line for line in SUGAR_MILL.read_text(encoding="utf-8").splitlines() if not line.startswith("horizon:"))
    answers.write_text(text + "\n", encoding="utf-8")
    run = mitra("--lang", "id", "recommend", "--answers", str(answers), "--json", input="lama\npanjang\n")
    assert run.exit_code == 0, run.stderr
    said = " ".join(run.stderr.split())  # as wrapped at the terminal's width
    assert "'lama' bukan pilihan" in said and "short (Pendek), medium (Menengah), long (Panjang)" in said
    assert run.json()["answers"]["horizon"] == "long"


def test_without_a_language_the_choices_are_the_values_alone() -> None:
    """As batch lines and the library check answers: their error texts (JSON a script reads) stay as they were."""
    with pytest.raises(AnswersError) as raised:
        AnswerChecker(RULES).check({"horizon": "lama"}, source="line 1")
    assert raised.value.problems[0].params["valid"] == "short, medium, long"
    with pytest.raises(AnswersError) as raised:
        AnswerChecker(RULES).check({"horizon": "lama"}, source="line 1", lang="id")
    assert raised.value.problems[0].params["valid"] == "short (Pendek), medium (Menengah), long (Panjang)"


# -- amounts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1,5 M", 1_500_000_000),
        ("1.5M", 1_500_000_000),
        ("1,5 m", 1_500_000_000),
        ("Rp 1,5 M", 1_500_000_000),
        ("1,5 T", 1_500_000_000_000),
        ("2.5bn", 2_500_000_000),
        ("2,5 BN", 2_500_000_000),
        ("500 jt", 500_000_000),
        ("500jt", 500_000_000),
        ("500 JT", 500_000_000),
        ("750 rb", 750_000),
        ("750 ribu", 750_000),
        ("3 mn", 3_000_000),
        ("IDR 2.5bn", 2_500_000_000),
    ],
)
def test_classify_reads_abbreviations(mitra: Invoke, typed: str, amount: int) -> None:
    run = mitra("classify", "--capital", typed, "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["capital"] == amount


@pytest.mark.parametrize(("lang", "word"), [("en", "whole number of rupiah"), ("id", "rupiah yang bulat")])
def test_a_fraction_of_a_rupiah_is_explained(mitra: Invoke, lang: str, word: str) -> None:
    run = mitra("--lang", lang, "classify", "--capital", "1,2345 rb")
    assert run.exit_code == 1
    assert word in run.stderr
    assert "give it to the rupiah" not in run.stderr and "sampai satuan rupiah" not in run.stderr


def test_an_unknown_abbreviation_names_the_units(mitra: Invoke) -> None:
    run = mitra("classify", "--capital", "5 zz")
    assert run.exit_code == 1
    assert "'5 zz'" in run.stderr and "jt" in run.stderr and "bn" in run.stderr


def test_the_size_question_takes_abbreviations_in_set_and_files(mitra: Invoke, tmp_path: Path) -> None:
    assert recommend_json(mitra, "--set", "size=1,5 M")["answers"]["size"] == "small"  # type: ignore[index]
    assert recommend_json(mitra, "--set", "size=25 M")["answers"]["size"] == "large"  # type: ignore[index]
    answers = tmp_path / "answers.yaml"
    answers.write_text(SUGAR_MILL.read_text(encoding="utf-8").replace("size: large", "size: 750 jt"), encoding="utf-8")
    run = mitra("recommend", "--answers", str(answers), "--no-input", "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["answers"]["size"] == "micro"


def test_unit_words_are_rule_data(mitra: Invoke, data_copy: Path) -> None:
    edit(data_copy / "questions.yaml", "  jt: 1000000\n", "  jt: 1000000\n  lakh: 100000\n")
    assert mitra("classify", "--capital", "15 lakh").exit_code == 1
    run = mitra("--data", str(data_copy), "classify", "--capital", "15 lakh", "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["capital"] == 1_500_000


# -- an unknown MITRA_LANG ---------------------------------------------------------


def test_an_unknown_mitra_lang_is_warned_about_once_then_english(mitra: Invoke) -> None:
    run = mitra("patterns", "--json", env={"MITRA_LANG": "fr"})
    assert run.exit_code == 0
    assert run.json()[0]["name"] == "Nurturing"
    lines = run.stderr.splitlines()
    assert len(lines) == 1
    assert "MITRA_LANG" in lines[0] and "'fr'" in lines[0] and "id, en" in lines[0]


def test_the_warning_comes_once_even_when_the_run_fails(mitra: Invoke) -> None:
    run = mitra("recommend", "--answers", str(SUGAR_MILL), "--set", "size=huge", "--no-input", env={"MITRA_LANG": "fr"})
    assert run.exit_code == 1
    assert run.stderr.count("MITRA_LANG") == 1
    assert "'huge' is not a valid answer" in run.stderr  # in English


def test_an_unknown_mitra_lang_gives_english_even_with_an_indonesian_locale(mitra: Invoke) -> None:
    run = mitra("patterns", "--json", env={"MITRA_LANG": "fr", "LANG": "id_ID.UTF-8"})
    assert run.exit_code == 0 and run.json()[0]["name"] == "Nurturing"
    assert "'fr'" in run.stderr


@pytest.mark.parametrize(
    ("env", "args"),
    [
        ({"MITRA_LANG": "fr"}, ["--lang", "id"]),  # MITRA_LANG is not consulted at all
        ({"MITRA_LANG": "id_ID.UTF-8"}, []),
        ({"MITRA_LANG": "id"}, []),
    ],
)
def test_no_warning_when_the_language_is_known(mitra: Invoke, env: dict[str, str], args: list[str]) -> None:
    run = mitra(*args, "patterns", "--json", env=env)
    assert run.exit_code == 0
    assert run.stderr == ""
    assert run.json()[0]["name"] == "Pola asuh"


def test_an_unknown_lang_option_stays_a_usage_error(mitra: Invoke) -> None:
    run = mitra("--lang", "fr", "patterns", "--json")
    assert run.exit_code == 2 and run.stdout == ""
    assert "'fr'" in run.stderr
    run = mitra("patterns", "--json", "--lang", "fr")
    assert run.exit_code == 2


def test_an_unknown_mitra_lang_warned_about_before_help(mitra: Invoke) -> None:
    run = mitra("--help", env={"MITRA_LANG": "fr"})
    assert run.exit_code == 0
    assert run.stderr.count("MITRA_LANG='fr'") == 1
    assert "Answer the questionnaire" in run.stdout
