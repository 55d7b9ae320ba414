"""`mitra assess` as a workflow: named respondents, saved and resumed sessions, forms, anonymity, change over time, the action plan."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import Invoke, edit
from mitra_cli.ruledata.forms import escape_cell, unescape_cell
from strategies import RULES

assert RULES.assessment is not None
STATEMENTS = RULES.assessment.statements
IDS = [s.id for s in STATEMENTS]
REVERSED = {s.id: s.reversed for s in STATEMENTS}


def scored_as(value: int, statement_id: str) -> int:
    """The answer to give so that the statement scores `value` (reversed statements the other way round)."""
    return 6 - value if REVERSED[statement_id] else value


def answers(default: int = 5, **by_dimension: int) -> dict[str, Any]:
    """Answers scoring `default` everywhere, and the given score in the named dimensions (underscores for hyphens)."""
    wanted = {key.replace("_", "-"): value for key, value in by_dimension.items()}
    return {s.id: scored_as(wanted.get(s.dimension, default), s.id) for s in STATEMENTS}


def write_yaml(path: Path, content: dict[str, Any]) -> str:
    path.write_text(yaml.safe_dump(content, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return str(path)


def ok(run: Any) -> Any:
    assert run.exit_code == 0, run.stderr
    return run


def as_json(mitra: Invoke, *args: str) -> dict[str, Any]:
    return ok(mitra("assess", *args, "--no-input", "--json", "--lang", "en")).json()  # type: ignore[no-any-return]


def files(*paths: str) -> list[str]:
    return [arg for path in paths for arg in ("--answers", path)]


# -- respondents -----------------------------------------------------------------------------


def test_respondent_option_names_the_one_answering_in_the_terminal(mitra: Invoke) -> None:
    typed = "\n".join("4" for _ in IDS) + "\n"
    run = ok(mitra("assess", "--respondent", "Bu Sari", "--json", input=typed))
    assert [r["name"] for r in run.json()["respondents"]] == ["Bu Sari"]
    assert run.json()["dimensions"][0]["by_respondent"][0]["respondent"] == "Bu Sari"
    # Without --respondent and without a terminal to ask the name at: "you", in the language chosen.
    english = ok(mitra("assess", "--json", "--lang", "en", input=typed)).json()
    assert [r["name"] for r in english["respondents"]] == ["you"]
    indonesian = ok(mitra("assess", "--json", "--lang", "id", input=typed)).json()
    assert [r["name"] for r in indonesian["respondents"]] == ["Anda"]


def test_respondent_key_names_a_file_else_its_file_name(mitra: Invoke, tmp_path: Path) -> None:
    named = write_yaml(tmp_path / "form-1.yaml", {"respondent": "Koperasi Maju", **answers()})
    unnamed = write_yaml(tmp_path / "pt-gula.yaml", answers())
    blank = write_yaml(tmp_path / "blank-name.yaml", {"respondent": None, **answers()})
    result = as_json(mitra, *files(named, unnamed, blank))
    assert [r["name"] for r in result["respondents"]] == ["Koperasi Maju", "pt-gula", "blank-name"]


@pytest.mark.parametrize("name", ["Ayu\x1b[31m", "Budi\u202eevil", "x" * 81, True, ["a", "b"]])
def test_a_bad_respondent_name_in_a_file_is_refused_with_its_line(mitra: Invoke, tmp_path: Path, name: Any) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"participation-plans": 4, "respondent": name}), encoding="utf-8")
    run = mitra("assess", "--answers", str(path), "--no-input")
    assert run.exit_code == 1 and run.stdout == "" and "Traceback" not in run.stderr
    assert "bad.json:1: respondent: a respondent's name must be text of 1 to 80 characters" in run.stderr
    assert "\x1b" not in run.stderr and "\u202e" not in run.stderr


def test_a_bad_respondent_option_is_a_usage_error(mitra: Invoke) -> None:
    run = mitra("assess", "--respondent", "Ayu\x07", "--no-input")
    assert run.exit_code == 2
    assert "--respondent 'Ayu\\x07' cannot be used as a name" in run.stderr


# -- saving and resuming -------------------------------------------------------------------------


def test_answers_are_saved_after_every_answer_and_a_session_resumes(mitra: Invoke, tmp_path: Path) -> None:
    saved = tmp_path / "ayu.yaml"
    first = mitra("assess", "--respondent", "Ayu", "--save-answers", str(saved), input="5\n4\n2\n")  # input ends early
    assert first.exit_code == 1
    assert f"saved in {saved}" in first.stderr and "--resume" in first.stderr
    kept = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert kept["respondent"] == "Ayu"
    assert {key: kept[key] for key in IDS[:4]} == {IDS[0]: 5, IDS[1]: 4, IDS[2]: 2, IDS[3]: None}
    # Run again: only what is unanswered is asked, numbered among what is left; the name comes from the file.
    rest = len(IDS) - 3
    second = ok(mitra("assess", "--save-answers", str(saved), "--json", input="3\n" * rest))
    assert f"Resuming from {saved}: 3 of {len(IDS)} statements already answered." in second.stderr
    assert f"1/{rest}  " in second.stderr and f"1/{len(IDS)}  " not in second.stderr
    result = second.json()
    assert [r["name"] for r in result["respondents"]] == ["Ayu"]
    expected = {IDS[0]: 5, IDS[1]: 4, IDS[2]: 2} | {statement: 3 for statement in IDS[3:]}
    from_file = as_json(mitra, "--answers", write_yaml(tmp_path / "Ayu.yaml", expected))
    assert result["dimensions"] == from_file["dimensions"]
    assert yaml.safe_load(saved.read_text(encoding="utf-8")) == {"respondent": "Ayu", **expected}


def test_resume_asks_only_what_a_file_leaves_unanswered(mitra: Invoke, tmp_path: Path) -> None:
    partial = tmp_path / "partial.json"
    partial.write_text(json.dumps({"respondent": "Pak Wiryo", **{statement: 4 for statement in IDS[:-2]}}))
    run = ok(mitra("assess", "--resume", str(partial), "--json", input="1\ndont-know\n"))
    assert "1/2  " in run.stderr
    saved = json.loads(partial.read_text(encoding="utf-8"))  # --resume saves into the file it resumes
    assert saved[IDS[-2]] == 1 and saved[IDS[-1]] == "dont-know" and saved["respondent"] == "Pak Wiryo"
    assert run.json()["respondents"] == [{"name": "Pak Wiryo", "answered": len(IDS) - 1, "dont_know": 1}]


def test_an_interviewed_respondent_joins_the_answers_files(mitra: Invoke, tmp_path: Path) -> None:
    mill = write_yaml(tmp_path / "pt-gula.yaml", answers())
    run = ok(mitra("assess", "--answers", mill, "--respondent", "Koperasi", "--json", input="1\n" * len(IDS)))
    assert [r["name"] for r in run.json()["respondents"]] == ["pt-gula", "Koperasi"]
    assert "Respondent: Koperasi" in run.stderr


@pytest.mark.parametrize("suffix", [".json", ".csv", ".yml"])
def test_saved_answers_read_back_in_every_format(mitra: Invoke, tmp_path: Path, suffix: str) -> None:
    saved = tmp_path / f"saved{suffix}"
    typed = [str((index % 5) + 1) for index in range(len(IDS))]
    typed[4] = "6"  # don't know
    live = ok(
        mitra(
            "assess", "--respondent", "=cmd|' /C calc'!A0", "--save-answers", str(saved), "--json", input="\n".join(typed) + "\n"
        )
    )
    again = as_json(mitra, "--answers", str(saved))
    assert again["dimensions"] == live.json()["dimensions"]
    assert [r["name"] for r in again["respondents"]] == ["=cmd|' /C calc'!A0"]
    if suffix == ".csv":
        raw = saved.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
        assert [rows[-len(IDS) - 1][0], rows[-len(IDS) - 1][1]] == ["respondent", ""]
        assert rows[-len(IDS) - 1][3] == "'=cmd|' /C calc'!A0"  # a spreadsheet shows it, never runs it


@pytest.mark.slow
def test_an_interrupted_terminal_session_resumes_without_asking_again(tmp_path: Path) -> None:
    import pexpect

    mitra = str(Path(sys.executable).with_name("mitra"))
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "MITRA_LANG")}
    env.update({"MITRA_LANG": "en", "TERM": "xterm-256color", "COLUMNS": "100"})
    saved = tmp_path / "session.yaml"
    total = len(IDS)

    child = pexpect.spawn(mitra, ["assess", "--save-answers", str(saved)], env=env, encoding="utf-8", timeout=20)
    child.expect_exact("Who is answering?")
    child.sendline("Ayu Lestari")
    for number, typed in enumerate(["5", "4", "2"], start=1):
        child.expect_exact(f"{number}/{total}")
        child.expect_exact("> ")
        child.sendline(typed)
    child.expect_exact(f"4/{total}")
    child.expect_exact("> ")
    child.sendintr()  # Ctrl-C on the fourth statement
    child.expect_exact("saved in")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    kept = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert kept["respondent"] == "Ayu Lestari" and [kept[s] for s in IDS[:4]] == [5, 4, 2, None]

    child = pexpect.spawn(mitra, ["assess", "--save-answers", str(saved)], env=env, encoding="utf-8", timeout=20)
    child.expect_exact(f"Resuming from {saved}: 3 of {total}")
    for number in range(1, total - 2):
        child.expect_exact(f"{number}/{total - 3}")
        child.expect_exact("> ")
        child.sendline("3")
    child.expect_exact("Partnership health")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    final = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert final == {"respondent": "Ayu Lestari", **{s: v for s, v in zip(IDS, [5, 4, 2])}, **{s: 3 for s in IDS[3:]}}


# -- forms --------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_yaml_template_round_trips(mitra: Invoke, tmp_path: Path, lang: str) -> None:
    form = tmp_path / "form.yaml"
    run = ok(mitra("assess", "--template", str(form), "--lang", lang))
    assert str(form) in run.stderr and run.stdout == ""
    text = form.read_text(encoding="utf-8")
    scale = RULES.assessment.scale  # type: ignore[union-attr]
    for choice in scale:
        assert f"#   {choice.value} = {choice.label.get(lang)}" in text  # type: ignore[arg-type]
    assert RULES.assessment.dont_know.value in text.split("respondent:")[0]  # type: ignore[union-attr]
    for statement in STATEMENTS:  # every statement as a comment right above its key
        assert f"# {statement.text.get(lang)}\n{statement.id}:\n" in text  # type: ignore[arg-type]
    assert yaml.safe_load(text) == {"respondent": None, **{statement: None for statement in IDS}}
    # Filled in by a script, as a partner would by hand.
    wanted = {s: (index % 5) + 1 for index, s in enumerate(IDS)}
    wanted[IDS[7]] = "dont-know"
    filled = re.sub(r"^([a-z-]+):$", lambda m: f"{m.group(1)}: {wanted.get(m.group(1), 'Koperasi Tani')}", text, flags=re.M)
    form.write_text(filled, encoding="utf-8")
    plain = write_yaml(tmp_path / "Koperasi Tani.yaml", wanted)
    from_form, from_plain = as_json(mitra, "--answers", str(form)), as_json(mitra, "--answers", plain)
    assert from_form["dimensions"] == from_plain["dimensions"]
    assert from_form["respondents"] == from_plain["respondents"]  # the name from `respondent:`, the other from its file name


def fill_csv(form: Path, wanted: dict[str, Any], name: str, delimiter: str = ",") -> None:
    rows = list(csv.reader(io.StringIO(form.read_bytes().decode("utf-8-sig"), newline="")))
    header = rows[0]
    assert header == ["id", "dimension", "statement", "answer"]
    for row in rows[1:]:
        if row[0] == "respondent":
            row[3] = name
        elif row[0]:
            row[3] = str(wanted[row[0]])
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    form.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_csv_template_round_trips(mitra: Invoke, tmp_path: Path, delimiter: str) -> None:
    form = tmp_path / "form.csv"
    ok(mitra("assess", "--template", str(form), "--lang", "id"))
    raw = form.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # UTF-8 with a BOM, as spreadsheets want
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    by_id = {row[0]: row for row in rows if row[0]}
    assert set(IDS) <= set(by_id) and "respondent" in by_id
    assert by_id[IDS[0]][2] == STATEMENTS[0].text.id and by_id[IDS[0]][1] == "Prinsip partisipasi"
    wanted: dict[str, Any] = {s: ((index * 3) % 5) + 1 for index, s in enumerate(IDS)}
    wanted[IDS[2]] = "dont-know"
    fill_csv(form, wanted, "Koperasi Tani", delimiter)
    from_form = as_json(mitra, "--answers", str(form))
    from_plain = as_json(mitra, "--answers", write_yaml(tmp_path / "Koperasi Tani.yaml", wanted))
    assert from_form["dimensions"] == from_plain["dimensions"] and from_form["respondents"] == from_plain["respondents"]


def test_a_csv_form_with_a_bad_answer_or_no_header_says_where(mitra: Invoke, tmp_path: Path) -> None:
    form = tmp_path / "form.csv"
    ok(mitra("assess", "--template", str(form)))
    fill_csv(form, {s: 9 for s in IDS}, "x")
    line = next(n for n, text in enumerate(form.read_text(encoding="utf-8-sig").splitlines(), 1) if text.startswith(IDS[0]))
    run = mitra("assess", "--answers", str(form), "--no-input")
    assert run.exit_code == 1 and f"{form}:{line}: {IDS[0]}: '9' is not a valid answer" in run.stderr
    form.write_text("a,b\n1,2\n", encoding="utf-8")
    run = mitra("assess", "--answers", str(form), "--no-input")
    assert run.exit_code == 1 and "has no header row with the columns 'id' and 'answer'" in run.stderr


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_a_spreadsheet_would_run_are_escaped(start: str) -> None:
    text = f"{start}SUM(A1:A9)"
    assert escape_cell(text) == "'" + text and unescape_cell(escape_cell(text)) == text
    assert escape_cell("Koperasi") == "Koperasi" and unescape_cell("'quoted") == "'quoted"


def test_template_options(mitra: Invoke, tmp_path: Path) -> None:
    run = ok(mitra("assess", "--template", str(tmp_path / "f.yaml"), "--respondent", "PT Gula", "--json"))
    assert run.json()["statements"] == IDS and run.json()["format"] == "yaml" and run.json()["respondent"] == "PT Gula"
    assert yaml.safe_load((tmp_path / "f.yaml").read_text(encoding="utf-8"))["respondent"] == "PT Gula"
    assert ok(mitra("assess", "--template", "-")).stdout.startswith("# mitra assess")
    for args in (["--template", str(tmp_path / "f.txt")], ["--template", str(tmp_path / "f.yaml"), "--answers", "x.yaml"]):
        run = mitra("assess", *args)
        assert run.exit_code == 2 and "Traceback" not in run.stderr


# -- anonymity ----------------------------------------------------------------------------------

NAMES = ["Ayu-Lestari", "Koperasi-Sido-Makmur", "Wiryo-Atmojo"]


def test_anonymous_output_names_nobody_anywhere(mitra: Invoke, tmp_path: Path) -> None:
    paths = [
        write_yaml(tmp_path / f"{NAMES[0]}.yaml", answers(transparency=1)),
        write_yaml(tmp_path / "second.yaml", {"respondent": NAMES[1], **answers(transparency=5)}),
        write_yaml(tmp_path / f"{NAMES[2]}.yaml", answers(4)),
    ]
    named = as_json(mitra, *files(*paths))
    assert {r["name"] for r in named["respondents"]} == set(NAMES)
    outputs = []
    anonymous = ok(mitra("assess", *files(*paths), "--anonymous", "--no-input", "--json"))
    outputs.append(anonymous.stdout + anonymous.stderr)
    for suffix in (".md", ".html"):
        report = tmp_path / f"report{suffix}"
        run = ok(mitra("assess", *files(*paths), "--anonymous", "--no-input", "--report", str(report)))
        outputs += [report.read_text(encoding="utf-8"), run.stdout + run.stderr]
    actions = tmp_path / "plan.csv"
    ok(mitra("assess", *files(*paths), "--anonymous", "--no-input", "--actions-out", str(actions), "--lang", "id"))
    outputs.append(actions.read_text(encoding="utf-8-sig"))
    for output in outputs:
        for name in NAMES:
            assert name not in output and name.split("-")[0] not in output
    result = anonymous.json()
    assert result["anonymous"] is True and result["respondent_count"] == 3
    assert result["respondents"] == [{"name": "3 respondents (anonymous)", "answered": 3 * len(IDS), "dont_know": 0}]
    assert "Warning" not in anonymous.stderr  # three respondents: anonymity can hold
    for mine, theirs in zip(result["dimensions"], named["dimensions"]):
        assert mine["by_respondent"] == [] and all(s["answers"] == [] for s in mine["statements"])
        assert (mine["score"], mine["spread"], mine["disputed"]) == (theirs["score"], theirs["spread"], theirs["disputed"])
    transparency = next(d for d in result["dimensions"] if d["id"] == "transparency")
    assert transparency["disputed"] is True and transparency["spread"] == 4.0  # the dispute still shows, as spread


def test_anonymity_with_fewer_than_three_warns(mitra: Invoke, tmp_path: Path) -> None:
    paths = [write_yaml(tmp_path / "a.yaml", answers()), write_yaml(tmp_path / "b.yaml", answers(2))]
    run = ok(mitra("assess", *files(*paths), "--anonymous", "--no-input", "--json"))
    assert "anonymity cannot hold" in run.stderr and run.json()["respondents"][0]["name"] == "2 respondents (anonymous)"
    run = ok(mitra("assess", *files(*paths), "--anonymous", "--no-input", "--json", "--lang", "id"))
    assert "anonimitas tidak dapat dijaga" in run.stderr


# -- statement detail and the action plan -------------------------------------------------------------------------


def test_statement_detail(mitra: Invoke, tmp_path: Path) -> None:
    reversed_id = next(s.id for s in STATEMENTS if s.reversed)
    plain_id = next(s.id for s in STATEMENTS if not s.reversed)
    first = {plain_id: 5, reversed_id: 1}
    second = {plain_id: 2, reversed_id: "dont-know"}
    result = as_json(mitra, *files(write_yaml(tmp_path / "pt.yaml", first), write_yaml(tmp_path / "kop.yaml", second)))
    detail = {s["id"]: s for d in result["dimensions"] for s in d["statements"]}
    assert list(detail) == IDS
    assert detail[plain_id]["mean"] == 3.5 and detail[plain_id]["spread"] == 3.0 and detail[plain_id]["disputed"] is True
    assert detail[plain_id]["answers"] == [
        {"respondent": "pt", "answer": 5, "score": 5},
        {"respondent": "kop", "answer": 2, "score": 2},
    ]
    assert detail[reversed_id]["mean"] == 5.0 and detail[reversed_id]["answer_mean"] == 1.0  # scored in reverse
    assert detail[reversed_id]["spread"] is None and detail[reversed_id]["dont_know"] == 1
    assert detail[reversed_id]["counts"] == {"1": 1, "2": 0, "3": 0, "4": 0, "5": 0, "dont-know": 1}
    assert detail[IDS[-1]]["mean"] is None and detail[IDS[-1]]["answered"] == 0


@pytest.mark.parametrize("lang", ["en", "id"])
def test_actions_out_writes_the_plan_as_csv(mitra: Invoke, tmp_path: Path, lang: str) -> None:
    path = write_yaml(tmp_path / "a.yaml", answers(5, fairness=1, wisdom=2))
    target = tmp_path / "plan.csv"
    run = ok(mitra("assess", "--answers", path, "--no-input", "--json", "--lang", lang, "--actions-out", str(target)))
    result = run.json()
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(rows[0]) == 6
    planned = [action for entry in result["actions"] for action in entry["actions"]]
    assert [row[3] for row in rows[1:]] == planned and all(row[4] == row[5] == "" for row in rows[1:])
    fairness = next(entry for entry in result["actions"] if entry["dimension"] == "fairness")
    assert rows[1][0] == fairness["name"] and rows[1][1] == fairness["band_label"]
    assert fairness["band"] == "concern" and fairness["score"] == 1.0


def test_actions_out_escapes_formulas_from_the_data(mitra: Invoke, tmp_path: Path, data_copy: Path) -> None:
    edit(data_copy / "assessment.yaml", 'en: "Discuss openly one promise', 'en: "=HYPERLINK(1) Discuss openly one promise')
    edit(data_copy / "assessment.yaml", 'en: "Agree on shared data', 'en: "@SUM(1) Agree on shared data')
    path = write_yaml(tmp_path / "a.yaml", answers(5, honesty=1))
    target = tmp_path / "plan.csv"
    ok(mitra("--data", str(data_copy), "assess", "--answers", path, "--no-input", "--actions-out", str(target)))
    rows = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig"), newline="")))
    assert [row[3][:2] for row in rows[1:]] == ["'=", "'@"]


# -- change over time ----------------------------------------------------------------------------


def checkpoint(mitra: Invoke, tmp_path: Path, name: str, date: str, content: dict[str, Any], *extra: str) -> Path:
    """A real `mitra assess --json` output, saved as a file."""
    run = ok(mitra("assess", "--answers", write_yaml(tmp_path / f"{name}.yaml", content), "--no-input", "--json",
                   "--date", date, *extra))  # fmt: skip
    target = tmp_path / f"{name}.json"
    target.write_text(run.stdout, encoding="utf-8")
    return target


def test_date_and_label_are_in_the_json(mitra: Invoke, tmp_path: Path) -> None:
    earlier = checkpoint(mitra, tmp_path, "y1", "2024-05-10", answers(), "--label", "Annual review 2024")
    result = json.loads(earlier.read_text(encoding="utf-8"))
    assert result["date"] == "2024-05-10" and result["label"] == "Annual review 2024" and result["previous"] is None
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", as_json(mitra, "--answers", write_yaml(tmp_path / "now.yaml", answers()))["date"])


def test_previous_gives_each_dimension_its_change(mitra: Invoke, tmp_path: Path) -> None:
    earlier = checkpoint(mitra, tmp_path, "y2024", "2024-05-10", answers(transparency=1, fairness=3), "--label", "2024")
    now_answers = write_yaml(tmp_path / "y2025.yaml", answers(fairness=2))
    result = as_json(mitra, "--answers", now_answers, "--previous", str(earlier))
    by_id = {d["id"]: d for d in result["dimensions"]}
    assert by_id["transparency"]["previous"] == {
        "score": 1.0,
        "band": "concern",
        "change": 4.0,
        "direction": "up",
        "band_moved": True,
        "band_direction": "up",
    }
    assert by_id["fairness"]["previous"] == {
        "score": 3.0,
        "band": "borderline",
        "change": -1.0,
        "direction": "down",
        "band_moved": True,
        "band_direction": "down",
    }
    assert by_id["honesty"]["previous"]["change"] == 0.0 and by_id["honesty"]["previous"]["direction"] == "same"
    earlier_overall = json.loads(earlier.read_text(encoding="utf-8"))["overall"]["score"]
    assert result["overall"]["previous"]["score"] == earlier_overall
    assert result["overall"]["previous"]["change"] == round(result["overall"]["score"] - earlier_overall, 2)
    assert result["previous"]["label"] == "2024" and result["previous"]["date"] == "2024-05-10"
    assert [(m["dimension"], m["from"], m["to"]) for m in result["previous"]["moved_band"]] == [
        ("transparency", "concern", "strength"),
        ("fairness", "borderline", "concern"),
    ]
    shown = ok(mitra("assess", "--answers", now_answers, "--previous", str(earlier), "--no-input")).stdout
    assert "Change since 2024 (2024-05-10)" in shown
    assert re.search(r"Transparency +1\.00 +5\.00 +\+4\.00 up", shown)
    assert "Moved a band: Transparency (Concern → Strength), Fairness (Borderline → Concern)." in " ".join(shown.split())
    shown = ok(mitra("assess", "--answers", now_answers, "--previous", str(earlier), "--no-input", "--lang", "id")).stdout
    assert "Perubahan sejak 2024 (2024-05-10)" in shown
    assert re.search(r"Prinsip keterbukaan +1,00 +5,00 +\+4,00 naik", shown)


def test_history_gives_the_trend_of_three_checks(mitra: Invoke, tmp_path: Path) -> None:
    checks = [
        checkpoint(mitra, tmp_path, "2023", "2023-04-01", answers(transparency=1, fairness=5)),
        checkpoint(mitra, tmp_path, "2024", "2024-04-01", answers(transparency=3, fairness=4), "--label", "second"),
        checkpoint(mitra, tmp_path, "2025", "2025-04-01", answers(transparency=5, fairness=2)),
    ]
    trend = ok(mitra("assess", "--history", *map(str, checks), "--json")).json()
    assert [(p["label"], p["date"], p["respondent_count"]) for p in trend["points"]] == [
        ("2023", "2023-04-01", 1),
        ("second", "2024-04-01", 1),
        ("2025", "2025-04-01", 1),
    ]
    by_id = {d["id"]: d for d in trend["dimensions"]}
    transparency, fairness = by_id["transparency"], by_id["fairness"]
    assert transparency["scores"] == [1.0, 3.0, 5.0] and transparency["changes"] == [None, 2.0, 2.0]
    assert transparency["bands"] == ["concern", "borderline", "strength"]
    assert transparency["band_colours"] == ["red", "amber", "green"]
    assert (transparency["change"], transparency["direction"], transparency["band_direction"]) == (4.0, "up", "up")
    assert fairness["scores"] == [5.0, 4.0, 2.0] and fairness["changes"] == [None, -1.0, -2.0]
    assert (fairness["change"], fairness["direction"], fairness["band_direction"]) == (-3.0, "down", "down")
    assert by_id["honesty"]["scores"] == [5.0, 5.0, 5.0] and by_id["honesty"]["direction"] == "same"
    overall = [json.loads(check.read_text(encoding="utf-8"))["overall"]["score"] for check in checks]
    assert trend["overall"]["scores"] == overall
    assert [(m["dimension"], m["from"], m["to"]) for m in trend["moved_band"]] == [
        ("transparency", "concern", "strength"),
        ("fairness", "strength", "concern"),
    ]
    shown = ok(mitra("assess", "--history", *map(str, checks))).stdout
    assert "Trend over 3 checks: 2023 (2023-04-01), second (2024-04-01), 2025 (2025-04-01)" in shown
    assert re.search(r"Transparency +1\.00 +3\.00 +5\.00 +▁▅█ +\+4\.00 up", shown)  # the chart: bottom, middle, top


def test_history_with_two_checks_and_an_anonymous_one(mitra: Invoke, tmp_path: Path) -> None:
    first = checkpoint(mitra, tmp_path, "one", "2024-01-01", answers(3))
    second = checkpoint(mitra, tmp_path, "two", "2025-01-01", answers(4), "--anonymous")
    trend = ok(mitra("assess", "--history", str(first), str(second), "--json", "--lang", "id")).json()
    assert all(d["scores"] == [3.0, 4.0] and d["change"] == 1.0 for d in trend["dimensions"])
    assert trend["dimensions"][0]["name"] == "Prinsip partisipasi"
    assert trend["moved_band"][0]["from"] == "borderline" and trend["moved_band"][0]["to"] == "strength"


GOOD = {
    "schema_version": 1,
    "date": "2024-05-10",
    "dimensions": [{"id": "transparency", "score": 3.5}],
    "overall": {"score": 3.5},
}


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{not json", "is not valid JSON (line 1"),
        ("[1, 2]", "is not a result of 'mitra assess --json'"),
        (json.dumps({**GOOD, "schema_version": 7}), "schema_version should be 1"),
        (json.dumps({**GOOD, "dimensions": {}}), "dimensions should be a non-empty list"),
        (json.dumps({**GOOD, "dimensions": ["x"]}), "dimensions[0] should be a JSON object"),
        (
            json.dumps({**GOOD, "dimensions": [{"id": "Trans\u202eparency", "score": 3}]}),
            "dimensions[0].id should be a dimension id",
        ),
        (
            json.dumps({**GOOD, "dimensions": [{"id": "a", "score": 3}, {"id": "a", "score": 3}]}),
            "dimensions[1].id names a dimension",
        ),
        (json.dumps({**GOOD, "dimensions": [{"id": "a", "score": "3"}]}), "dimensions[0].score should be a number from 1 to 5"),
        (json.dumps({**GOOD, "dimensions": [{"id": "a", "score": 99}]}), "dimensions[0].score should be a number from 1 to 5"),
        (json.dumps({**GOOD, "dimensions": [{"id": "a", "score": True}]}), "dimensions[0].score should be a number"),
        ('{"schema_version": 1, "dimensions": [{"id": "a", "score": NaN}], "overall": {}}', "is not valid JSON (line 1: NaN)"),
        (json.dumps({**GOOD, "overall": 3}), "overall should be a JSON object"),
        (json.dumps({**GOOD, "date": "10/05/2024"}), "date should be a date YYYY-MM-DD"),
        (json.dumps({**GOOD, "label": "x\u001b[2J"}), "label should be text of 1 to 80 characters"),
        (json.dumps({**GOOD, "respondent_count": -1}), "respondent_count should be a whole number"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
)
def test_earlier_results_are_checked_as_hostile_input(mitra: Invoke, tmp_path: Path, content: str, words: str) -> None:
    bad = tmp_path / "earlier\x1b.json"
    bad.write_text(content, encoding="utf-8")
    good = tmp_path / "good.json"
    good.write_text(json.dumps(GOOD), encoding="utf-8")
    for args in (["--previous", str(bad), "--no-input"], ["--history", str(good), str(bad)]):
        run = mitra("assess", *args, "--json")
        assert run.exit_code == 1, (args, run.stderr)
        assert run.stdout == "" and "Traceback" not in run.stderr
        assert words in run.stderr and "earlier\\x1b.json" in run.stderr and "\x1b" not in run.stderr
        assert len(run.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--history", "a.json"], "needs at least two"),
        (["a.json", "b.json"], "'a.json' is not an option"),
        (["--history", "a.json", "b.json", "--anonymous"], "--anonymous cannot be used with --history"),
        (["--template", "f.yaml", "--previous", "a.json"], "--previous cannot be used with --template"),
        (["--actions-out", "plan.txt"], "plan.txt: the action plan is written as CSV"),
        (["--actions-out", "-", "--json"], "Only one document can go to standard output"),
        (["--date", "2025-02-30"], "--date '2025-02-30' is not a date"),
        (["--label", ""], "--label must be 1 to 80 characters"),
    ],
)
def test_usage_errors(mitra: Invoke, args: list[str], words: str) -> None:
    run = mitra("assess", *args, "--no-input")
    assert run.exit_code == 2 and words in run.stderr and "Traceback" not in run.stderr


# -- who is counted: no phantom respondent --------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value"),
    [("--respondent", "Ayu"), ("--save-answers", "saved.yaml"), ("--resume", "partial.yaml")],
)
def test_no_input_never_interviews_anyone(mitra: Invoke, tmp_path: Path, option: str, value: str) -> None:
    mill = write_yaml(tmp_path / "pt-gula.yaml", answers())
    (tmp_path / "partial.yaml").write_text("respondent: Ayu\n", encoding="utf-8")
    run = mitra("assess", "--answers", mill, option, str(tmp_path / value), "--no-input", "--json")
    assert run.exit_code == 2 and run.stdout == "" and "Traceback" not in run.stderr
    assert f"{option} is for the respondent who answers in the terminal, but --no-input asks no one" in run.stderr
    assert not (tmp_path / "saved.yaml").exists()
    # Answers read from standard input leave no one to ask either.
    run = mitra("assess", "--answers", "-", option, str(tmp_path / value), input=yaml.safe_dump(answers()))
    assert run.exit_code == 2 and f"{option} is for the respondent who answers in the terminal" in run.stderr


def test_no_input_without_answers_files_is_a_usage_error(mitra: Invoke) -> None:
    run = mitra("assess", "--no-input", "--json")
    assert run.exit_code == 2 and run.stdout == ""
    assert "--no-input asks no one and no --answers file was given" in run.stderr


def test_only_respondents_with_an_answer_count_toward_anonymity(mitra: Invoke, tmp_path: Path) -> None:
    paths = [
        write_yaml(tmp_path / "a.yaml", answers()),
        write_yaml(tmp_path / "b.yaml", answers(2)),
        write_yaml(tmp_path / "blank.yaml", {"respondent": "Nobody", **{s: "dont-know" for s in IDS}}),
    ]
    run = ok(mitra("assess", *files(*paths), "--anonymous", "--no-input", "--json"))
    assert "anonymity cannot hold with fewer than 3 respondents giving answers (here: 2)" in run.stderr
    assert run.json()["respondent_count"] == 3  # every file still counts as a respondent


def test_piped_answers_still_interview_one_respondent_besides_the_files(mitra: Invoke, tmp_path: Path) -> None:
    mill = write_yaml(tmp_path / "pt-gula.yaml", answers())
    saved = tmp_path / "koperasi.yaml"
    run = ok(mitra("assess", "--answers", mill, "--save-answers", str(saved), "--json", input="2\n" * len(IDS)))
    assert [r["name"] for r in run.json()["respondents"]] == ["pt-gula", "you"]
    assert yaml.safe_load(saved.read_text(encoding="utf-8")) == {"respondent": "you", **{s: 2 for s in IDS}}


def test_the_default_respondent_is_anda_in_indonesian(mitra: Invoke, tmp_path: Path) -> None:
    saved = tmp_path / "saved.yaml"
    run = ok(mitra("assess", "--save-answers", str(saved), "--json", "--lang", "id", input="3\n" * len(IDS)))
    assert [r["name"] for r in run.json()["respondents"]] == ["Anda"]
    assert yaml.safe_load(saved.read_text(encoding="utf-8"))["respondent"] == "Anda"


# -- --history in date order, --previous earlier --------------------------------------------------

HEALTH_2025 = str(Path(__file__).resolve().parent.parent / "examples" / "assess" / "health-2025.json")
HEALTH_2026 = str(Path(__file__).resolve().parent.parent / "examples" / "assess" / "health-2026.json")


def test_history_sorts_checks_by_date(mitra: Invoke) -> None:
    given = ok(mitra("assess", "--history", HEALTH_2026, HEALTH_2025, "--json")).json()
    ordered = ok(mitra("assess", "--history", HEALTH_2025, HEALTH_2026, "--json")).json()
    assert [p["date"] for p in given["points"]] == ["2025-06-12", "2026-06-10"]
    assert given == ordered
    transparency = next(d for d in given["dimensions"] if d["id"] == "transparency")
    assert transparency["scores"] == [3.5, 4.33] and transparency["direction"] == "up"
    shown = ok(mitra("assess", "--history", HEALTH_2026, HEALTH_2025)).stdout
    assert "Trend over 2 checks: 2025 check (2025-06-12), 2026 check (2026-06-10)" in shown


def test_history_keeps_the_given_order_when_a_check_has_no_date(mitra: Invoke, tmp_path: Path) -> None:
    undated = json.loads(Path(HEALTH_2025).read_text(encoding="utf-8")) | {"date": None, "label": "undated"}
    path = tmp_path / "undated.json"
    path.write_text(json.dumps(undated), encoding="utf-8")
    trend = ok(mitra("assess", "--history", HEALTH_2026, str(path), "--json")).json()
    assert [p["label"] for p in trend["points"]] == ["2026 check", "undated"]


def test_history_refuses_the_same_check_twice(mitra: Invoke, tmp_path: Path) -> None:
    copy = tmp_path / "copy.json"
    copy.write_text(Path(HEALTH_2025).read_text(encoding="utf-8"), encoding="utf-8")
    run = mitra("assess", "--history", HEALTH_2025, HEALTH_2026, str(copy), "--json")
    assert run.exit_code == 1 and run.stdout == "" and "Traceback" not in run.stderr
    assert "health-2025.json" in run.stderr and "copy.json" in run.stderr and "same check" in run.stderr


def test_previous_must_be_earlier_than_this_check(mitra: Invoke) -> None:
    pair = ["--answers", str(Path(HEALTH_2025).parent / "2026" / "pt-gula.yaml")]
    run = mitra("assess", *pair, "--previous", HEALTH_2026, "--date", "2026-01-31", "--no-input", "--json")
    assert run.exit_code == 2 and run.stdout == ""
    assert "is dated 2026-06-10, after this check (2026-01-31)" in run.stderr
    later = ok(mitra("assess", *pair, "--previous", HEALTH_2025, "--date", "2026-06-10", "--no-input", "--json")).json()
    assert later["previous"]["date"] == "2025-06-12"


# -- options a mode would ignore ---------------------------------------------------------------------


@pytest.mark.parametrize("command", ["assess", "recommend"])
@pytest.mark.parametrize("option", ["--client", "--prepared-by"])
def test_cover_names_go_with_report(mitra: Invoke, command: str, option: str) -> None:
    run = mitra(command, option, "PT Gula Manis", "--no-input")
    assert run.exit_code == 2 and "Traceback" not in run.stderr
    assert f"{option} names someone on a report's cover, so it goes with --report FILE" in run.stderr


@pytest.mark.parametrize("extra", [["--anonymous"], ["--answers", "a.yaml"], ["--date", "2025-01-01"], ["--client", "X"]])
def test_list_refuses_what_it_would_ignore(mitra: Invoke, extra: list[str]) -> None:
    run = mitra("assess", "--list", *extra)
    assert run.exit_code == 2 and f"{extra[0]} cannot be used with --list" in run.stderr


# -- assess speaks of its own options ------------------------------------------------------------------


def test_assess_errors_name_only_assess_options(mitra: Invoke, tmp_path: Path) -> None:
    bad = write_yaml(tmp_path / "bad.yaml", {IDS[0]: 9})
    for lang in ("en", "id"):
        run = mitra("assess", "--answers", bad, "--no-input", "--lang", lang)
        assert run.exit_code == 1 and "--set" not in run.stderr and "mitra assess --list" in run.stderr
        ended = mitra("assess", "--lang", lang, input="5\n")
        assert ended.exit_code == 1 and "--set" not in ended.stderr and "--answers" in ended.stderr
    run = mitra("assess", "--answers", bad, "--no-input")
    assert "The answers are invalid (problems: 1)." in run.stderr
    recommend = mitra("recommend", "--set", "size=huge", "--no-input")
    assert "The answers are invalid (problems: 1). Fix the answers file or the --set options." in recommend.stderr


# -- one rule for every name ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--client", "PT Gula\u2028Manis"], "--client contains the character U+2028"),
        (["--prepared-by", "Sari\u202e"], "--prepared-by contains the character U+202E"),
        (["--client", "x" * 81], "--client is too long: 80 characters at most"),
        (["--respondent", "Ayu\u2028Lestari"], "--respondent 'Ayu\\u2028Lestari' cannot be used as a name"),
        (["--label", "2025\u2029review"], "--label must be 1 to 80 characters"),
    ],
)
def test_every_name_option_follows_one_rule(mitra: Invoke, tmp_path: Path, args: list[str], words: str) -> None:
    mill = write_yaml(tmp_path / "pt-gula.yaml", answers())
    for command in (["assess", "--answers", mill], ["recommend", "--set", "size=small"]):
        if command[0] == "recommend" and args[0] in ("--respondent", "--label"):
            continue
        run = mitra(*command, *args, "--report", str(tmp_path / "r.md"), "--no-input")
        assert run.exit_code == 2 and words in run.stderr and "Traceback" not in run.stderr


def test_one_name_checker() -> None:
    from mitra_cli.core.textsafety import NAME_LIMIT, name_fault, name_from_file

    assert name_fault("PT Gula Manis") is None and name_fault("x" * NAME_LIMIT) is None
    assert name_fault("") == ("empty", "") and name_fault("x" * (NAME_LIMIT + 1)) == ("long", "")
    for bad in ("a\x1bb", "a\u202eb", "a\u2028b", "a\u2029b", "a\tb", "a\x85b"):
        assert name_fault(bad) is not None and name_fault(bad).kind == "character"  # type: ignore[union-attr]
    assert name_from_file("Koperasi\u202e Tani\x1b[31m") == "Koperasi Tani[31m"
    assert len(name_from_file("x" * 240)) == NAME_LIMIT and name_fault(name_from_file("y" * 240)) is None
    assert name_from_file("\u202e\u2028") == ""


def test_names_from_file_names_are_cleaned_not_refused(mitra: Invoke, tmp_path: Path) -> None:
    long = write_yaml(tmp_path / ("p" * 240 + ".yaml"), answers())
    marked = write_yaml(tmp_path / "Koperasi\u200fTani.yaml", answers(3))
    result = as_json(mitra, *files(long, marked))
    names = [r["name"] for r in result["respondents"]]
    assert len(names[0]) == 80 and names[0].startswith("ppp") and names[1] == "KoperasiTani"
    assert all(len(entry["respondent"]) <= 80 for entry in result["dimensions"][0]["by_respondent"])
    earlier = json.loads(Path(HEALTH_2025).read_text(encoding="utf-8")) | {"label": None}
    check = tmp_path / "check\u202e2025.json"
    check.write_text(json.dumps(earlier), encoding="utf-8")
    trend = ok(mitra("assess", "--history", str(check), HEALTH_2026, "--json")).json()
    assert trend["points"][0]["label"] == "check2025"


# -- English without "(s)" -----------------------------------------------------------------------------


def test_counts_are_worded_without_s_in_brackets(mitra: Invoke, tmp_path: Path) -> None:
    one = write_yaml(tmp_path / "a.yaml", answers())
    run = ok(mitra("assess", "--answers", one, "--anonymous", "--no-input", "--json"))
    assert "(s)" not in run.stderr and "(here: 1)" in run.stderr
    assert run.json()["respondents"][0]["name"] == "1 respondent (anonymous)"
    bad = mitra("assess", "--answers", write_yaml(tmp_path / "b.yaml", {IDS[0]: 9}), "--no-input")
    assert "(s)" not in bad.stderr


@pytest.mark.parametrize(("floor", "warned"), [(2, False), (4, True)])
def test_the_anonymity_minimum_is_the_rule_datas(
    mitra: Invoke, tmp_path: Path, data_copy: Path, floor: int, warned: bool
) -> None:
    edit(data_copy / "assessment.yaml", "anonymity_floor: 3", f"anonymity_floor: {floor}")
    paths = [write_yaml(tmp_path / f"{n}.yaml", answers(n)) for n in (2, 3, 4)]  # three respondents giving answers
    run = ok(mitra("--data", str(data_copy), "assess", *files(*paths), "--anonymous", "--no-input", "--json"))
    assert ("anonymity cannot hold" in run.stderr) is warned
    if warned:
        assert f"fewer than {floor} respondents giving answers (here: 3)" in run.stderr


def test_an_anonymity_minimum_below_one_is_refused(mitra: Invoke, data_copy: Path) -> None:
    edit(data_copy / "assessment.yaml", "anonymity_floor: 3", "anonymity_floor: 0")
    run = mitra("validate", str(data_copy))
    assert run.exit_code == 1
    assert "anonymity_floor" in run.stderr and "whole number above 0" in run.stderr
