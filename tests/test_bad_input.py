"""Every bad input a user or a script can give: one clear message, the right exit code, no traceback."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, Invoke, edit

GOOD = (EXAMPLES / "sugar-mill.yaml").read_text()


def write(text: str | bytes) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        path = tmp / "answers.yaml"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return make


def billion_laughs() -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{n}: &a{n} [" + ",".join(f"*a{n - 1}" for _ in range(9)) + "]" for n in range(1, 10)]
    return "\n".join(lines) + "\n"


# (name, how to make the input, words the message must contain)
BAD_ANSWERS: list[tuple[str, Callable[[Path], Path], list[str]]] = [
    ("missing path", lambda tmp: tmp / "nowhere.yaml", ["does not exist"]),
    ("a directory", lambda tmp: tmp, ["is a folder"]),
    ("empty file", write(""), ["is empty"]),
    ("only blanks", write("\n  \n"), ["is empty"]),
    ("binary", write(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), ["binary"]),
    ("UTF-16", write(codecs.BOM_UTF16_LE + "size: small\n".encode("utf-16-le")), ["UTF-16", "UTF-8"]),
    ("Latin-1", write("org_type: business\nsize: sm\xe4ll\n".encode("latin-1")), ["line 2", "UTF-8"]),
    ("control character", write("size: sm\x1ball\n"), ["line 1", "U+001B"]),
    ("too large", write("# " + "x" * (5 * 1024 * 1024) + "\n"), ["larger than", "MiB"]),
    ("YAML syntax", write("size: [small\n"), ["YAML syntax error"]),
    ("JSON syntax", write('{"size": "small"'), ["YAML syntax error"]),
    ("a list at the top", write("- size\n- small\n"), ["mapping", "not list"]),
    ("a number at the top", write("42\n"), ["mapping", "not number"]),
    ("number for size", write(GOOD.replace("size: large", "size: 3")), ["size", "expects one answer", "not number"]),
    ("mapping for goals", write(GOOD.replace("goals: [supply-security]", "goals: {a: 1}")), ["goals", "not mapping"]),
    ("list for a one question", write(GOOD.replace("horizon: long", "horizon: [long]")), ["horizon", "not list"]),
    ("unknown key", write(GOOD + "budget: big\n"), ["budget", "no such question"]),
    ("duplicate key", write(GOOD + "size: small\n"), ["'size' appears twice"]),
    ("duplicate JSON key", write('{"size": "small", "size": "large"}'), ["'size' appears twice"]),
    ("python tag", write("size: !!python/object/apply:os.system ['echo HACKED']\n"), ["python/object/apply", "not allowed"]),
    ("billion laughs", write(billion_laughs()), ["too many YAML aliases"]),
    ("deep nesting", write("[" * 5000 + "]" * 5000), ["nested too deeply"]),
    (
        "unknown value",
        write(GOOD.replace("relationship: lead", "relationship: boss")),
        ["'boss'", "lead, equal, follow, flexible"],
    ),
    ("no goals", write(GOOD.replace("goals: [supply-security]", "goals: []")), ["goals", "at least 1"]),
]


@pytest.mark.parametrize(("name", "make", "words"), BAD_ANSWERS, ids=[case[0] for case in BAD_ANSWERS])
def test_bad_answers_file(mitra: Invoke, tmp_path: Path, name: str, make: Callable[[Path], Path], words: list[str]) -> None:
    path = make(tmp_path)
    for extra in ([], ["--json"]):
        run = mitra("recommend", "--answers", str(path), "--no-input", *extra)
        assert run.exit_code == 1, (name, run.stderr)
        assert run.stdout == ""
        assert "Traceback" not in run.stderr
        for word in words:
            assert word in run.stderr, (name, word, run.stderr)
        assert len(run.stderr.strip().splitlines()) <= 3


def test_bad_answers_on_stdin(mitra: Invoke) -> None:
    run = mitra("recommend", "--answers", "-", "--no-input", input="size: [small\n")
    assert run.exit_code == 1
    assert "<stdin>:2: YAML syntax error" in run.stderr  # where the list should have ended


def test_the_python_tag_runs_nothing(mitra: Invoke, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = write(f"size: !!python/object/apply:os.system ['touch {marker}']\n")(tmp_path)
    assert mitra("recommend", "--answers", str(path), "--no-input").exit_code == 1
    assert not marker.exists()


BAD_DATA: list[tuple[str, Callable[[Path], None], list[str]]] = [
    ("missing folder", lambda d: None, []),
    ("binary file", lambda d: (d / "patterns.yaml").write_bytes(b"\x00\x01\x02"), ["patterns.yaml", "binary"]),
    ("empty file", lambda d: (d / "questions.yaml").write_text(""), ["questions.yaml", "empty"]),
    ("a directory for a file", lambda d: ((d / "principles.yaml").unlink(), (d / "principles.yaml").mkdir()), ["is a folder"]),
    ("wrong top-level type", lambda d: (d / "principles.yaml").write_text("- a\n- b\n"), ["should be mapping", "list"]),
    (
        "python tag",
        lambda d: edit(d / "patterns.yaml", 'version: "2026.11"', "version: !!python/name:os.system"),
        ["not allowed"],
    ),
    (
        "duplicate key",
        lambda d: edit(d / "patterns.yaml", "score_scale: 25", "score_scale: 25\nscore_scale: 30"),
        ["appears twice"],
    ),
    ("a zero scale", lambda d: edit(d / "patterns.yaml", "score_scale: 25", "score_scale: 0"), ["above zero"]),
    ("Latin-1", lambda d: (d / "principles.yaml").write_bytes("principles: [caf\xe9]".encode("latin-1")), ["UTF-8"]),
]


@pytest.mark.slow  # subprocesses or rule data built from YAML: run by `pytest -m slow`
@pytest.mark.parametrize(("name", "breaks", "words"), BAD_DATA, ids=[case[0] for case in BAD_DATA])
def test_bad_data_directory(mitra: Invoke, data_copy: Path, name: str, breaks: Callable[[Path], None], words: list[str]) -> None:
    target = data_copy.parent / "missing" if name == "missing folder" else data_copy
    breaks(data_copy)
    for args in (["validate", str(target)], ["--data", str(target), "patterns", "--json"], ["--data", str(target), "recommend"]):
        run = mitra(*args, input="")
        assert run.exit_code == 1, (name, args, run.stderr)
        assert run.stdout == ""
        assert "Traceback" not in run.stderr
        assert "The rule data has problems (" in run.stderr and "(s)" not in run.stderr
        for word in words:
            assert word in run.stderr, (name, word, run.stderr)


@pytest.mark.parametrize(
    "args",
    [
        ["recommend", "--bogus"],
        ["patterns", "show"],
        ["recommend", "--jobs", "-1"],
        ["nonsense"],
        ["patterns", "--lang", "xx"],
    ],
)
def test_wrong_usage_exits_2(mitra: Invoke, args: list[str]) -> None:
    run = mitra(*args)
    assert run.exit_code == 2
    assert "Traceback" not in run.stderr


def test_unexpected_errors_say_it_is_a_bug(mitra: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    from mitra_cli.core import recommendation as advisor

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(advisor.Advisor, "result", explode)
    run = mitra("recommend", "--answers", str(EXAMPLES / "sugar-mill.yaml"), "--no-input")
    assert run.exit_code == 1
    assert "bug in mitra" in run.stderr and "--debug" in run.stderr and "boom" in run.stderr
    assert "Traceback" not in run.stderr
    with pytest.raises(RuntimeError, match="boom"):  # --debug lets the traceback through
        mitra("--debug", "recommend", "--answers", str(EXAMPLES / "sugar-mill.yaml"), "--no-input")


def test_json_stays_valid_at_twenty_columns(mitra: Invoke) -> None:
    run = mitra("recommend", "--answers", str(EXAMPLES / "sugar-mill.yaml"), "--no-input", "--json", env={"COLUMNS": "20"})
    assert run.json()["recommendation"]["pattern"] == "nucleus-plasma"


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb", "NO_COLOR": ""}, {"NO_COLOR": ""}])
def test_no_control_codes_when_not_wanted(mitra: Invoke, env: dict[str, str]) -> None:
    run = mitra("recommend", "--answers", str(EXAMPLES / "sugar-mill.yaml"), "--no-input", env=env)
    assert run.exit_code == 0
    assert "\x1b" not in run.stdout + run.stderr


def test_save_answers_into_a_missing_folder(mitra: Invoke, tmp_path: Path) -> None:
    run = mitra(
        "recommend",
        "--answers",
        str(EXAMPLES / "sugar-mill.yaml"),
        "--no-input",
        "--save-answers",
        str(tmp_path / "no" / "a.yaml"),
    )
    assert run.exit_code == 1
    assert "does not exist" in run.stderr
    assert run.stdout == ""


def test_a_failed_write_leaves_the_previous_file_intact(mitra: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "saved.yaml"
    target.write_text("previous answers\n")
    real_fsync = os.fsync

    def failing_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    run = mitra("recommend", "--answers", str(EXAMPLES / "sugar-mill.yaml"), "--no-input", "--save-answers", str(target))
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert run.exit_code == 1
    assert "No space left on device" in run.stderr
    assert target.read_text() == "previous answers\n"
    assert [p.name for p in tmp_path.iterdir()] == ["saved.yaml"]  # no half-written temporary file left behind


MITRA = str(Path(sys.executable).with_name("mitra"))


@pytest.mark.parametrize(("name", "make", "words"), BAD_ANSWERS, ids=[case[0] for case in BAD_ANSWERS])
@pytest.mark.slow
def test_bad_answers_through_the_installed_command(
    tmp_path: Path, name: str, make: Callable[[Path], Path], words: list[str]
) -> None:
    path = make(tmp_path)
    done = subprocess.run(
        [MITRA, "recommend", "--answers", str(path), "--no-input", "--json"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 1, (name, done.stderr)
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    for word in words:
        assert word in done.stderr, (name, word)
