"""Hostile input: the rule cache, control characters, numbers, rule-data mistakes, reports.

Each test here failed on the code before issue 10: a planted pickle ran,
stale rules were served, escapes reached the terminal, non-finite numbers
validated.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import EXAMPLES, Invoke, edit
from mitra_cli.ruledata import cache as rulecache
from mitra_cli.ruledata.store import load_rules
from mitra_cli.views.render_markdown import to_markdown

SUGAR_MILL = str(EXAMPLES / "sugar-mill.yaml")


def _marker_pickle(marker: Path) -> bytes:
    class Plant:
        def __reduce__(self) -> tuple[object, tuple[str, ...]]:
            return (os.system, (f"touch {marker}",))

    return pickle.dumps(Plant())


def _recommend_in_subprocess(cache: Path, cwd: Path, **extra_env: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MITRA_CACHE_DIR": str(cache), **extra_env}
    return subprocess.run(
        [sys.executable, "-m", "mitra_cli", "recommend", "--answers", SUGAR_MILL, "--json", "--no-input"],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
    )


# -- the cache never runs code ------------------------------------------------------


@pytest.mark.slow  # mitra in a subprocess
def test_a_planted_pickle_runs_nothing(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    marker = tmp_path / "owned"
    payload = _marker_pickle(marker)
    # Every name a cache entry has ever had, and the ones it has now.
    for name in ("rules-00000000.pickle", "ui-00000000.pickle", "rules.json", "ui.json"):
        (cache / name).write_bytes(payload)
    result = _recommend_in_subprocess(cache, tmp_path)
    assert result.returncode == 0, result.stderr
    for entry in list(cache.iterdir()):
        if entry.suffix == ".json" and entry.name.startswith(("rules-", "ui-")):
            entry.write_bytes(payload)  # now at the very names mitra reads
    result = _recommend_in_subprocess(cache, tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["recommendation"]["pattern"] == "nucleus-plasma"
    assert not marker.exists()


def test_no_module_reads_pickle_or_marshal() -> None:
    source = Path(rulecache.__file__).parent
    for path in source.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "pickle" not in text and "marshal" not in text, path


def test_an_entry_naming_a_class_outside_the_model_is_refused() -> None:
    with pytest.raises(rulecache.CacheEntryError):
        rulecache.loads(b'{"Popen": [["touch", "/tmp/x"]]}')
    rules = load_rules()
    assert rulecache.loads(rulecache.dumps(rules)) == rules


def _tampered_entries(cache: Path) -> None:
    """Rewrite every rules entry so that a served entry would show 'TAMPERED'."""
    for entry in cache.glob("rules-*.json"):
        entry.chmod(0o600)
        entry.write_text(entry.read_text(encoding="utf-8").replace('"Parallel"', '"TAMPERED"'), encoding="utf-8")


@pytest.fixture
def own_data(data_copy: Path) -> Path:
    """A data folder of one's own: different bytes from the shipped data, which an
    installed mitra reads from its compiled file and never caches."""
    edit(data_copy / "patterns.yaml", 'en: "Futuristic"}', 'en: "Futuristic (own data)"}')
    return data_copy


def _names(mitra: Invoke, data: Path) -> list[str]:
    run = mitra("--data", str(data), "patterns", "--json")
    assert run.exit_code == 0, run.stderr
    return [p["name"] for p in run.json()]


def test_the_cache_is_used_and_trusted_only_when_it_is_ours(
    mitra: Invoke, own_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "private-cache"
    monkeypatch.setenv("MITRA_CACHE_DIR", str(cache))
    assert "Parallel" in _names(mitra, own_data)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    entries = list(cache.glob("rules-*.json"))
    assert entries and all(stat.S_IMODE(e.stat().st_mode) == 0o600 for e in entries)
    _tampered_entries(cache)
    assert "TAMPERED" in _names(mitra, own_data)  # proof that the entry is read when trusted
    cache.chmod(0o777)  # writable by others: never read
    assert "TAMPERED" not in _names(mitra, own_data)
    cache.chmod(0o700)
    _tampered_entries(cache)
    for entry in cache.glob("rules-*.json"):
        entry.chmod(0o666)  # a group/other-writable entry: never read
    assert "TAMPERED" not in _names(mitra, own_data)


def test_a_symlinked_entry_is_not_followed(
    mitra: Invoke, own_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("MITRA_CACHE_DIR", str(cache))
    _names(mitra, own_data)
    (entry,) = cache.glob("rules-*.json")
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text(entry.read_text(encoding="utf-8").replace('"Parallel"', '"TAMPERED"'), encoding="utf-8")
    elsewhere.chmod(0o600)
    entry.unlink()
    entry.symlink_to(elsewhere)
    assert "TAMPERED" not in _names(mitra, own_data)


@pytest.mark.slow  # subprocesses or rule data built from YAML: run by `pytest -m slow`
def test_a_fifo_or_a_folder_at_the_entry_name_neither_hangs_nor_leaks(
    mitra: Invoke, own_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("MITRA_CACHE_DIR", str(cache))
    _names(mitra, own_data)
    (entry,) = cache.glob("rules-*.json")
    entry.unlink()
    os.mkfifo(entry)
    finished = threading.Event()

    def run() -> None:
        _names(mitra, own_data)
        finished.set()

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert finished.is_set(), "a FIFO in the cache hung the run"
    entry.unlink()
    entry.mkdir()
    for _ in range(3):
        assert "Parallel" in _names(mitra, own_data)
    assert not [p for p in cache.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.slow  # subprocesses or rule data built from YAML: run by `pytest -m slow`
def test_old_entries_are_pruned(mitra: Invoke, own_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("MITRA_CACHE_DIR", str(cache))
    for n in range(rulecache.KEEP_ENTRIES + 4):
        edit(own_data / "patterns.yaml", 'en: "Parallel"}' if n == 0 else f'en: "Parallel {n - 1}"}}', f'en: "Parallel {n}"}}')
        _names(mitra, own_data)
    assert len(list(cache.glob("rules-*.json"))) == rulecache.KEEP_ENTRIES


@pytest.mark.parametrize(
    "env",
    [
        {"MITRA_CACHE_DIR": "relative-cache"},
        {"XDG_CACHE_HOME": "relative-xdg"},
        {"HOME": "~"},
    ],
    ids=["relative MITRA_CACHE_DIR", "relative XDG_CACHE_HOME", "unexpanded home"],
)
def test_no_cache_relative_to_the_current_directory(tmp_path: Path, env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MITRA_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert rulecache.cache_dir() is None or rulecache.cache_dir().is_absolute()  # type: ignore[union-attr]
    if "HOME" in env:
        monkeypatch.delenv("HOME")
        monkeypatch.setattr(os.path, "expanduser", lambda path: path)  # no HOME, no passwd entry
        assert rulecache.cache_dir() is None
    else:
        assert rulecache.cache_dir() is None


@pytest.mark.slow  # mitra in a subprocess
def test_a_cloned_folder_named_tilde_is_never_read(tmp_path: Path) -> None:
    planted = tmp_path / "~" / ".cache" / "mitra"
    planted.mkdir(parents=True)
    marker = tmp_path / "owned"
    (planted / "rules.json").write_bytes(_marker_pickle(marker))
    env = {k: v for k, v in os.environ.items() if k not in ("HOME", "MITRA_CACHE_DIR", "XDG_CACHE_HOME")}
    # No HOME and no passwd entry either (expanduser gives "~" back, as then), so the
    # real home's cache is neither the answer nor written.
    no_home = "import os.path, runpy; os.path.expanduser = lambda path: path; runpy.run_module('mitra_cli', run_name='__main__')"
    result = subprocess.run(
        [sys.executable, "-c", no_home, "recommend", "--answers", SUGAR_MILL, "--json", "--no-input"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert not marker.exists()
    assert sorted(p.name for p in planted.iterdir()) == ["rules.json"]  # nothing written there either


# -- no stale rules -----------------------------------------------------------------


def test_an_edit_that_keeps_size_and_time_is_seen(mitra: Invoke, data_copy: Path) -> None:
    patterns = data_copy / "patterns.yaml"
    before = patterns.stat()
    assert "Parallel" in _names(mitra, data_copy)
    edit(patterns, 'en: "Parallel"}', 'en: "Sideways"}')  # same length
    os.utime(patterns, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert patterns.stat().st_size == before.st_size and patterns.stat().st_mtime_ns == before.st_mtime_ns
    names = _names(mitra, data_copy)
    assert "Sideways" in names and "Parallel" not in names


def test_changed_code_misses_the_cache(mitra: Invoke, own_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _names(mitra, own_data)
    calls = []
    import mitra_cli.ruledata.store as datafiles

    real_build = datafiles.build_rules

    def counting(directory: Path) -> object:
        calls.append(directory)
        return real_build(directory)

    monkeypatch.setattr(datafiles, "build_rules", counting)
    _names(mitra, own_data)
    assert calls == []  # same bytes, same code: from the cache
    monkeypatch.setattr(rulecache, "code_digest", lambda: "another-version-of-the-code")
    _names(mitra, own_data)
    assert len(calls) == 1


# -- control characters: refused when parsed, escaped when echoed ---------------------

ESCAPES = {
    "json \\u001b": ('{{"org_type": "business\\u001b]0;owned\\u0007", "size": "{extra}"}}', "answers.json"),
    "yaml \\e": ('org_type: "\\e[2J\\e[HRecommended: parallel"\nsize: "{extra}"\n', "answers.yaml"),
    "bidi override": ('org_type: "business\\u202e"\nsize: "{extra}"\n', "answers.yaml"),
    "C1 control": ('org_type: "business\\x9b2J"\nsize: "{extra}"\n', "answers.yaml"),
    "escape in a key": ('"\\e]0;owned\\a": business\nsize: "{extra}"\n', "answers.yaml"),
}


@pytest.mark.parametrize("text,name", ESCAPES.values(), ids=ESCAPES.keys())
@pytest.mark.parametrize("as_json", [False, True], ids=["people", "json"])
def test_escapes_in_answers_are_refused_and_never_echoed(
    mitra: Invoke, tmp_path: Path, text: str, name: str, as_json: bool
) -> None:
    path = tmp_path / name
    path.write_text(text.format(extra="small"), encoding="utf-8")
    run = mitra("recommend", "--answers", str(path), "--no-input", *(["--json"] if as_json else []))
    assert run.exit_code == 1
    assert run.stdout == ""
    for bad in ("\x1b", "\x07", "\u202e", "\x9b"):
        assert bad not in run.stderr
    assert "U+" in run.stderr  # names the character


def test_escapes_in_set_and_batch_lines(mitra: Invoke) -> None:
    run = mitra("recommend", "--answers", SUGAR_MILL, "--set", "horizon=long\x1b[2J", "--no-input")
    assert run.exit_code == 1 and "\x1b" not in run.stderr and "U+001B" in run.stderr
    line = json.dumps({**json.loads(json.dumps({"org_type": "business\u001b[31m"}))})
    run = mitra("recommend", "--batch", input=line + "\n")
    assert run.exit_code == 1
    (error,) = [json.loads(text) for text in run.stdout.splitlines()]
    assert "U+001B" in error["error"] and "\x1b" not in error["error"]


def test_a_file_name_with_escapes_is_shown_escaped(mitra: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "evil\x1b]0;owned\x07.yaml"
    path.write_text("org_type: nonsense\n", encoding="utf-8")
    run = mitra("recommend", "--answers", str(path), "--no-input")
    assert run.exit_code == 1
    assert "\x1b" not in run.stderr and "\x07" not in run.stderr
    assert "\\x1b" in run.stderr
    run = mitra("recommend", "--answers", str(tmp_path / "missing\x1b[2J.yaml"), "--no-input")
    assert run.exit_code == 1 and "\x1b" not in run.stderr


def test_respondent_names_from_file_names_are_escaped(mitra: Invoke, tmp_path: Path) -> None:
    source = EXAMPLES / "assess" / "koperasi-tani.yaml"
    path = tmp_path / "koperasi\x1b[2J.yaml"
    path.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    run = mitra("assess", "--answers", str(path), "--no-input")
    assert run.exit_code == 0, run.stderr
    assert "\x1b" not in run.stdout and "\x1b" not in run.stderr


def test_escapes_in_rule_data_are_refused_with_their_place(mitra: Invoke, data_copy: Path) -> None:
    edit(data_copy / "patterns.yaml", 'en: "Parallel"}', 'en: "Parallel\\e[2J"}')
    run = mitra("validate", str(data_copy))
    assert run.exit_code == 1
    assert "patterns.yaml:" in run.stderr and "U+001B" in run.stderr and "\x1b" not in run.stderr
    run = mitra("--data", str(data_copy), "patterns")
    assert run.exit_code == 1 and "\x1b" not in run.stdout + run.stderr


# -- numbers, ids, rules --------------------------------------------------------------

BROKEN_NUMBERS = {
    "points .inf": ("patterns.yaml", "points: 5}", "points: .inf}", "points"),
    "points .nan": ("patterns.yaml", "points: 5}", "points: .nan}", "points"),
    "score_scale .nan": ("patterns.yaml", "score_scale: ", "score_scale: .nan #", "score_scale"),
    "points 10^400": ("patterns.yaml", "points: 5}", "points: 1" + "0" * 400 + "}", "points"),
    "min_choices 10^400": ("questions.yaml", "min_choices: 1", "min_choices: 1" + "0" * 400, "min_choices"),
    "min_choices 99": ("questions.yaml", "min_choices: 1", "min_choices: 99", "min_choices"),
    "min_choices -5": ("questions.yaml", "min_choices: 1", "min_choices: -5", "min_choices"),
    "amount unit .inf": ("questions.yaml", "juta: 1000000", "juta: .inf", "amount_units"),
    "size bound 10^400": ("questions.yaml", "capital: 1000000000", "capital: 1" + "0" * 400, "capital"),
    "assessment scale .inf": ("assessment.yaml", "value: 1", "value: .inf", "value"),
}


@pytest.mark.slow  # subprocesses or rule data built from YAML: run by `pytest -m slow`
@pytest.mark.parametrize("file,old,new,field", BROKEN_NUMBERS.values(), ids=BROKEN_NUMBERS.keys())
def test_unusable_numbers_are_refused_with_their_place(
    mitra: Invoke, data_copy: Path, file: str, old: str, new: str, field: str
) -> None:
    edit(data_copy / file, old, new)
    run = mitra("validate", str(data_copy))
    assert run.exit_code == 1, run.stdout
    assert f"{file}:" in run.stderr and field in run.stderr
    assert "bug" not in run.stderr.lower() and "Traceback" not in run.stderr
    run = mitra("--data", str(data_copy), "recommend", "--answers", SUGAR_MILL, "--json", "--no-input")
    assert run.exit_code == 1 and run.stdout == ""


def test_duplicate_scoring_rules_are_refused(mitra: Invoke, data_copy: Path) -> None:
    text = (data_copy / "patterns.yaml").read_text(encoding="utf-8")
    start = text.index("- {question:", text.index("scoring:"))
    rule = text[start : text.index("\n", start)]
    indent = text[text.rindex("\n", 0, start) + 1 : start]
    edit(data_copy / "patterns.yaml", rule, rule + "\n" + indent + rule)
    run = mitra("validate", str(data_copy))
    assert run.exit_code == 1 and "scoring" in run.stderr and "already" in run.stderr


def test_an_id_with_a_trailing_newline_is_refused(mitra: Invoke, data_copy: Path) -> None:
    edit(data_copy / "patterns.yaml", "id: parallel", 'id: "parallel\\n"')
    run = mitra("validate", str(data_copy))
    assert run.exit_code == 1 and "patterns.yaml:" in run.stderr


def test_file_errors_in_rule_data_name_the_file(mitra: Invoke, data_copy: Path) -> None:
    (data_copy / "patterns.yaml").write_bytes(b"\x00\x01binary")
    run = mitra("validate", str(data_copy))
    assert run.exit_code == 1 and "{file}" not in run.stderr and "patterns.yaml" in run.stderr
    (data_copy / "patterns.yaml").write_text("version: 1\n\x1b[2J\n", encoding="utf-8")
    run = mitra("validate", str(data_copy))
    assert run.exit_code == 1 and "{file}" not in run.stderr and "{line}" not in run.stderr and "U+001B" in run.stderr


def test_a_fifo_in_a_data_directory_does_not_hang(mitra: Invoke, data_copy: Path) -> None:
    (data_copy / "patterns.yaml").unlink()
    os.mkfifo(data_copy / "patterns.yaml")
    finished: list[int] = []

    def run() -> None:
        finished.append(mitra("validate", str(data_copy)).exit_code)
        finished.append(mitra("--data", str(data_copy), "patterns", "--json").exit_code)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert finished == [1, 1]


def test_a_superscript_digit_at_a_prompt_is_an_ordinary_wrong_answer(mitra: Invoke, tmp_path: Path) -> None:
    partial = tmp_path / "partial.yaml"
    partial.write_text("\n".join(line for line in Path(SUGAR_MILL).read_text().splitlines() if not line.startswith("horizon")))
    run = mitra("recommend", "--answers", str(partial), "--json", input="²\n3\n")
    assert run.exit_code == 0, run.stderr
    assert "invalid literal" not in run.stderr and "'²' is not a choice" in run.stderr
    assert run.json()["answers"]["horizon"] == "long"


# -- reports ------------------------------------------------------------------------------


def test_markdown_reports_escape_what_they_interpolate() -> None:
    from mitra_cli.views.document import Bar, Bars, Document, Entry, Heading, Items, Paragraph, Table

    hostile = "<script>alert(1)</script> [x](javascript:alert(1)) ![i](http://evil/x.png)\n# Fake heading"
    blocks = (
        Heading(hostile, hostile),
        Paragraph(hostile),
        Items((Entry(hostile, hostile, (hostile,)),)),
        Table(hostile, (hostile,), ((hostile,),)),
        Bars(hostile, hostile, hostile, (Bar(hostile + "```", 0.5, hostile, hostile),)),
    )
    text = to_markdown(Document(hostile, (hostile,), blocks, "en"))
    fence = text.index("```")
    outside = text[:fence] + text[text.index("```", fence + 3) :]
    assert "<script>" not in outside  # inside the fenced block it is shown literally
    assert not re.search(r"(?<!\\)\]\(", outside) and not re.search(r"(?<!\\)!(?<!\\)\[", outside)  # no live link or image
    assert "\n# Fake" not in text
    assert text.count("```") == 2  # the bars' own fence, unbroken


# -- found by a hostile review after the first fixes ---------------------------------

SUGAR_LINE = {
    "org_type": "business",
    "size": "large",
    "partner_size": "micro",
    "partner_count": "many",
    "offer": ["capital"],
    "need": ["raw-materials"],
    "goals": ["supply-security"],
    "relationship": "lead",
    "horizon": "long",
    "partner_capability": "low",
}


@pytest.mark.parametrize(
    "change",
    [{"horizon": "long\r"}, {"need": ["raw\u001cmaterials"]}, {"horizon": "\tlong"}, {"partner_type": None}],
    ids=["trailing CR", "control inside a label", "leading tab", "null for an optional question"],
)
def test_batch_lines_are_checked_like_answers_files(mitra: Invoke, change: dict[str, object]) -> None:
    line = json.dumps({**SUGAR_LINE, **change})
    batch = mitra("recommend", "--batch", input=line + "\n")
    assert batch.exit_code == 1
    (result,) = [json.loads(text) for text in batch.stdout.splitlines()]
    assert "error" in result
    single = mitra("recommend", "--answers", "-", "--no-input", "--json", input=line)
    assert single.exit_code == 1


@pytest.mark.parametrize("mark", ["\u200f", "\u200e", "\u061c"], ids=["RLM", "LRM", "ALM"])
def test_direction_marks_are_refused_too(mitra: Invoke, tmp_path: Path, mark: str) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(f'horizon: "{mark}long"\n', encoding="utf-8")
    run = mitra("recommend", "--answers", str(path), "--no-input")
    assert run.exit_code == 1 and mark not in run.stderr and "U+" in run.stderr


def test_an_absurdly_long_amount_is_an_ordinary_error(mitra: Invoke) -> None:
    for typed in ("9" * 4400, "99999999999999999999999 triliun"):
        run = mitra("classify", "--capital", typed)
        assert run.exit_code in (1, 2), run.stdout
        assert "bug" not in run.stderr.lower() and "Traceback" not in run.stderr
        assert len(run.stderr) < 1000  # the value is not echoed whole


def test_a_cache_entry_edited_behind_mitras_back_is_not_served(
    mitra: Invoke, own_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("MITRA_CACHE_DIR", str(cache))
    _names(mitra, own_data)
    (entry,) = cache.glob("rules-*.json")
    text = entry.read_text(encoding="utf-8")
    for planted in (text.replace('"Parallel"', '"PLANTED\\u001b[31m"'), text.replace("25.0", "NaN", 1)):
        assert planted != text
        entry.write_text(planted, encoding="utf-8")
        entry.chmod(0o600)
        run = mitra("--data", str(own_data), "patterns", "--json")
        assert run.exit_code == 0, run.stderr
        assert "PLANTED" not in run.stdout and "NaN" not in run.stdout
