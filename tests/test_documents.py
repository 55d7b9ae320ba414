"""What people read: the terminal at any width, numbers in each language's convention, and the reports
(Markdown, HTML, PDF) built from the same document."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import Invoke
from mitra_cli import recommend
from mitra_cli.core.lang import Lang
from mitra_cli.ruledata.store import load_rules
from mitra_cli.views.numberformat import decimal, signed

ROOT = Path(__file__).resolve().parent.parent
SUGAR_MILL = str(ROOT / "examples" / "sugar-mill.yaml")
ASSESS = [str(ROOT / "examples" / "assess" / name) for name in ("pt-gula.yaml", "koperasi-tani.yaml")]
WIDTHS = (40, 60, 73, 80, 90, 120)
LANGS: tuple[Lang, ...] = ("en", "id")


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def assert_laid_out(text: str, width: int) -> None:
    for line in text.splitlines():
        assert len(line) <= width, f"line wider than {width}: {line!r}"
        assert line == line.rstrip(" "), f"trailing spaces: {line!r}"
    assert "…" not in text  # nothing cut short


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
def test_recommendation_at_any_width_keeps_every_number_and_name(mitra: Invoke, width: int, lang: Lang) -> None:
    data = mitra("--lang", lang, "recommend", "--answers", SUGAR_MILL, "--json").json()
    run = mitra("--lang", lang, "recommend", "--answers", SUGAR_MILL, "--no-input", env={"COLUMNS": str(width)})
    assert run.exit_code == 0, run.stderr
    assert_laid_out(run.stdout, width)
    flat = " ".join(run.stdout.split())
    for entry in data["ranking"]:
        assert re.search(rf"(?<![\d.,]){re.escape(decimal(entry['score'], lang))}(?![\d])", run.stdout), entry
        assert signed(entry["points"], lang) in run.stdout
        for word in words(entry["name"]):  # a long name may wrap inside its cell, but no word is lost
            assert word in flat
    assert decimal(data["margin"], lang) in flat


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGS)
def test_assessment_at_any_width_keeps_every_number(mitra: Invoke, width: int, lang: Lang) -> None:
    files = [arg for path in ASSESS for arg in ("--answers", path)]
    data = mitra("--lang", lang, "assess", *files, "--json").json()
    run = mitra("--lang", lang, "assess", *files, "--no-input", env={"COLUMNS": str(width)})
    assert run.exit_code == 0, run.stderr
    assert_laid_out(run.stdout, width)
    flat = " ".join(run.stdout.split())
    for dimension in data["dimensions"]:
        assert decimal(dimension["score"], lang, 2) in run.stdout
        assert decimal(dimension["spread"], lang, 2) in run.stdout
        for respondent in dimension["by_respondent"]:
            assert decimal(respondent["score"], lang, 2) in run.stdout
        for word in words(dimension["name"]):
            assert word in flat
    disputed = [d for d in data["dimensions"] if d["disputed"]]
    assert flat.count("!") >= len(disputed) > 0  # the dispute mark survives every width
    for dimension in disputed:  # the bar's own detail, number and closing bracket whole (never cropped at the edge)
        assert decimal(dimension["spread"], lang, 2) + ")" in run.stdout


def test_numbers_follow_the_language_and_json_keeps_plain_numbers(mitra: Invoke) -> None:
    indonesian = mitra("--lang", "id", "recommend", "--answers", SUGAR_MILL, "--no-input").stdout
    english = mitra("--lang", "en", "recommend", "--answers", SUGAR_MILL, "--no-input").stdout
    top = mitra("--lang", "id", "recommend", "--answers", SUGAR_MILL, "--json").json()["recommendation"]["score"]
    assert isinstance(top, float)
    whole, fraction = f"{top:.1f}".split(".")
    assert f"{whole},{fraction}/100" in indonesian and f"{whole}.{fraction}/100" not in indonesian
    assert f"{whole}.{fraction}/100" in english
    assert decimal(1234567.5, "id") == "1.234.567,5" and decimal(1234567.5, "en") == "1,234,567.5"


def test_goals_are_named_once_per_item(mitra: Invoke) -> None:
    answers = {**_sugar_mill(), "goals": ["supply-security", "quality"]}
    result = recommend(answers)
    for item in result["principles"] + result["benefits"]:
        assert item["why"].count("Serves your goal") <= 1, item
        if len(item["goals"]) == 1:  # one goal: said in the singular
            assert "Serves your goal: " in item["why"] and "Serves your goals" not in item["why"], item
    served = [item for item in result["benefits"] if len(item["goals"]) > 1]
    assert served, "one item serves both goals in this example"
    assert "Serves your goals: Security of supply, Quality." in served[0]["why"]
    single = recommend({**_sugar_mill(), "goals": ["supply-security"]})
    assert any("Serves your goal: Security of supply." in item["why"] for item in single["benefits"])


def _sugar_mill() -> dict[str, Any]:
    import yaml

    loaded = yaml.safe_load(Path(SUGAR_MILL).read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


# -- reports --------------------------------------------------------------------------------------


def every_answer_chosen() -> dict[str, Any]:
    """The sugar mill, with every choice of every many-question chosen: the longest answers a report holds."""
    rules = load_rules()
    answers = _sugar_mill()
    for question in rules.questions:
        if question.kind == "many":
            answers[question.id] = list(question.values)
    return answers


@pytest.mark.parametrize("lang", LANGS)
def test_html_report_is_labelled_and_accessible(mitra: Invoke, tmp_path: Path, lang: Lang) -> None:
    report = tmp_path / "client.html"
    run = mitra(
        "--lang", lang, "recommend", "--answers", SUGAR_MILL, "--no-input", "--report", str(report),
        "--client", "Koperasi <Maju> & Co", "--prepared-by", "Sari Wulandari",
    )  # fmt: skip
    assert run.exit_code == 0, run.stderr
    page = report.read_text(encoding="utf-8")
    assert "Koperasi &lt;Maju&gt; &amp; Co" in page and "Sari Wulandari" in page
    assert page.count("<caption>") >= 3 and 'scope="col"' in page and 'scope="row"' in page
    assert "counter(page)" in page  # page numbers when printed
    assert 'aria-hidden="true"' in page  # bars are drawn beside their number, never instead of it
    scores = [entry["score"] for entry in mitra("--lang", lang, "recommend", "--answers", SUGAR_MILL, "--json").json()["ranking"]]
    for score in scores:
        assert f'<td class="num">{decimal(score, lang)}</td>' in page


def test_pdf_without_the_extra_says_how_to_install_it(mitra: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "xhtml2pdf", None)  # as if `mitra-cli[pdf]` were not installed
    run = mitra("recommend", "--report", str(tmp_path / "r.pdf"), input="")
    assert run.exit_code == 2
    assert "pip install 'mitra-cli[pdf]'" in run.stderr
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.slow  # subprocesses or rule data built from YAML: run by `pytest -m slow`
@pytest.mark.parametrize("lang", LANGS)
def test_pdf_report_holds_every_answer_and_score(mitra: Invoke, tmp_path: Path, lang: Lang) -> None:
    from pypdf import PdfReader

    from mitra_cli.views.wording import answer_text

    answers = every_answer_chosen()
    source = tmp_path / "answers.json"
    import json

    source.write_text(json.dumps(answers), encoding="utf-8")
    report = tmp_path / "client.pdf"
    run = mitra(
        "--lang", lang, "recommend", "--answers", str(source), "--no-input", "--report", str(report),
        "--client", "PT Gula Manis", "--prepared-by", "Sari",
    )  # fmt: skip
    assert run.exit_code == 0, run.stderr
    pdf = PdfReader(str(report))
    assert len(pdf.pages) >= 2
    text = "".join("".join(page.extract_text().split()) for page in pdf.pages)  # wrapping does not matter
    result = recommend(answers, lang=lang)
    rules = load_rules()
    for question, answer in result["answers"].items():
        for label in answer_text(rules, question, answer, lang).split(", "):
            assert "".join(label.split()) in text, (question, label)
    for entry in result["ranking"]:
        assert decimal(entry["score"], lang) in text
    assert "PTGulaManis" in text and f"1/{len(pdf.pages)}" in text  # the client, and page numbers


def test_markdown_cells_read_plainly_and_bare_links_stay_text() -> None:
    from mitra_cli.views.document import Document, Paragraph, Table
    from mitra_cli.views.render_markdown import to_markdown

    table = Table("", ("Check", "Score", "Change"), (("2025-06-12", "3.17", "+0.33 up"),), frozenset({1, 2}))
    text = to_markdown(Document("t", (), (table, Paragraph("see https://evil.example/x or www.evil.example")), "en"))
    assert "| 2025-06-12 | 3.17 | +0.33 up |" in text  # no backslashes a client would see
    assert "https://" not in text and "www.evil" not in text  # a renderer's autolinks cannot pick them up
