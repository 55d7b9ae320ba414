"""For the consultant's desk: reports, what would change it, comparisons, UMKM size from rupiah."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import EXAMPLES, Invoke
from mitra_cli.core.amounts import classify, parse_amount
from strategies import RULES

UNITS = RULES.amount_units
assert RULES.size_classes is not None
CLASSES = RULES.size_classes.classes
BILLION = 1_000_000_000


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1500000000", 1_500_000_000),
        ("Rp1.500.000.000", 1_500_000_000),
        ("Rp 1.500.000.000", 1_500_000_000),
        ("IDR 1,500,000,000", 1_500_000_000),
        ("1,5 miliar", 1_500_000_000),
        ("1,5 milyar", 1_500_000_000),
        ("750 juta", 750_000_000),
        ("750juta", 750_000_000),
        ("2.5 billion", 2_500_000_000),
        ("2,5 Billion", 2_500_000_000),
        ("1.250,5 juta", 1_250_500_000),
        ("1 triliun", 1_000_000_000_000),
        ("300 ribu", 300_000),
        ("750 juta rupiah", 750_000_000),
        ("750000 rupiah", 750_000),
    ],
)
def test_amounts_as_people_write_them(typed: str, amount: int) -> None:
    assert parse_amount(typed, UNITS) == amount


@pytest.mark.parametrize("typed", ["", "abc", "1.5.0", "12 apples", "Rp", "1,5", "5 juta dollars", "-5 juta"])
def test_not_amounts(typed: str) -> None:
    from mitra_cli.core.errors import MitraError

    with pytest.raises(MitraError):
        parse_amount(typed, UNITS)


@pytest.mark.parametrize(
    ("capital", "expected"),
    [
        (1 * BILLION, "micro"),
        (1 * BILLION + 1, "small"),
        (5 * BILLION, "small"),
        (5 * BILLION + 1, "medium"),
        (10 * BILLION, "medium"),
        (10 * BILLION + 1, "large"),
        (0, "micro"),
    ],
)
def test_capital_bounds_are_up_to_and_including(capital: int, expected: str) -> None:
    assert classify(capital, None, CLASSES).by_capital == expected


@pytest.mark.parametrize(
    ("sales", "expected"),
    [
        (2 * BILLION, "micro"),
        (2 * BILLION + 1, "small"),
        (15 * BILLION, "small"),
        (15 * BILLION + 1, "medium"),
        (50 * BILLION, "medium"),
        (50 * BILLION + 1, "large"),
    ],
)
def test_sales_bounds_are_up_to_and_including(sales: int, expected: str) -> None:
    assert classify(None, sales, CLASSES).by_sales == expected


def test_classify_json(mitra: Invoke) -> None:
    run = mitra("classify", "--capital", "1,5 miliar", "--sales", "20 miliar", "--json")
    assert run.exit_code == 0
    result = run.json()
    assert (result["size"], result["by_capital"], result["by_sales"]) == ("medium", "small", "medium")
    only = mitra("classify", "--sales", "Rp2.000.000.000", "--json").json()
    assert (only["size"], only["by_capital"], only["by_sales"]) == ("micro", None, "micro")


def test_classify_for_people_in_both_languages(mitra: Invoke) -> None:
    english = mitra("classify", "--capital", "750 juta").stdout
    assert "Class: Micro." in english and "Rp750,000,000" in english and "up to Rp1,000,000,000" in english
    indonesian = mitra("classify", "--capital", "750 juta", "--lang", "id").stdout
    assert "Kelas: Mikro." in indonesian and "Rp750.000.000" in indonesian


def test_classify_errors(mitra: Invoke) -> None:
    assert mitra("classify").exit_code == 2
    bad = mitra("classify", "--capital", "lots")
    assert bad.exit_code == 1
    assert "'lots' is not an amount" in bad.stderr


def test_size_question_accepts_an_amount_of_capital(mitra: Invoke) -> None:
    typed = ["1", "750 juta", "4", "3", "1,2,4", "6", "2", "1", "3", "1"]
    run = mitra("recommend", "--json", input="\n".join(typed) + "\n")
    assert run.exit_code == 0, run.stderr
    assert run.json()["answers"]["size"] == "micro"
    assert "Rp750,000,000 capital → Micro" in run.stderr


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("meta", "br", "img", "link"):
            self.open.append(tag)
        self.links += [value or "" for name, value in attrs if name in ("href", "src")]

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, (self.open, tag)
        self.open.pop()


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_reports_are_complete_documents(mitra: Invoke, tmp_path: Path, lang: str, suffix: str) -> None:
    target = tmp_path / f"report{suffix}"
    json_run = mitra("recommend", "--answers", str(EXAMPLES / "sugar-mill.yaml"), "--no-input", "--lang", lang, "--json")
    run = mitra(
        "recommend",
        "--answers",
        str(EXAMPLES / "sugar-mill.yaml"),
        "--no-input",
        "--lang",
        lang,
        "--report",
        str(target),
        "--json",
    )
    assert run.exit_code == 0, run.stderr
    assert run.json() == json_run.json()  # stdout unchanged: only the JSON
    text = target.read_text(encoding="utf-8")
    result = run.json()
    from mitra_cli.views.i18n import message

    for key in (
        "result.ranking",
        "result.whatif.title",
        "view.principles",
        "view.benefits",
        "view.caveats",
        "view.next_steps",
        "view.guide.trust",
        "result.answers",
        "report.reasons",
    ):
        assert message(key, lang) in text, key
    for entry in result["ranking"]:
        assert entry["name"] in text
    for step in result["next_steps"]:
        assert step["text"] in text.replace("&#x27;", "'")
    assert "2026" in text or "20" in text  # the date
    assert "2026.11" in text  # the data version
    if suffix == ".html":
        parser = _Tags()
        parser.feed(text)
        assert parser.open == []
        assert parser.links == []  # self-contained: nothing to fetch
        assert "@page { size: A4" in text
        assert f'<html lang="{lang}">' in text


def test_report_interactively_and_human_output_unchanged(mitra: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    typed = ["1", "4", "micro", "3", "1,2,market", "6", "supply-security", "1", "3", "low"]
    with_report = mitra("recommend", "--report", str(target), input="\n".join(typed) + "\n")
    without = mitra("recommend", input="\n".join(typed) + "\n")
    assert with_report.exit_code == 0
    assert with_report.stdout == without.stdout
    assert "Nucleus–plasma" in target.read_text()


def test_report_needs_a_known_suffix_before_any_question(mitra: Invoke, tmp_path: Path) -> None:
    run = mitra("recommend", "--report", str(tmp_path / "r.docx"), input="")
    assert run.exit_code == 2
    assert ".md" in run.stderr and ".html" in run.stderr
    assert "1/10" not in run.stderr


def test_what_would_change_it_for_people(mitra: Invoke, tmp_path: Path) -> None:
    close = tmp_path / "close.yaml"
    close.write_text(
        (EXAMPLES / "sugar-mill.yaml")
        .read_text()
        .replace("partner_count: many", "partner_count: few")
        .replace("goals: [supply-security]", "goals: [capacity-building]")
    )
    result = mitra("recommend", "--answers", str(close), "--no-input", "--json").json()
    assert result["what_if"], "this close case should have alternatives"
    first = result["what_if"][0]
    assert set(first) >= {"question", "answer", "pattern", "score"}
    shown = mitra("recommend", "--answers", str(close), "--no-input").stdout
    assert "What would change this advice" in shown
    assert "would fit better" in shown


def test_compare_in_indonesian(mitra: Invoke) -> None:
    run = mitra("patterns", "compare", "asuh", "sejajar", "--lang", "id", env={"COLUMNS": "160"})
    assert run.exit_code == 0
    assert "Pola asuh" in run.stdout and "Pola sejajar" in run.stdout and "Siapa memberi apa" in run.stdout


def test_what_if_json_in_every_single_result(mitra: Invoke) -> None:
    result = mitra("recommend", "--answers", str(EXAMPLES / "sales-agent.json"), "--no-input", "--json").json()
    assert "margin" in result and "what_if" in result
    assert json.dumps(result)
