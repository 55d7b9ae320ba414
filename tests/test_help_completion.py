"""--help in both languages, usage lines, shell completion, and `patterns compare` of one pattern twice."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml

from conftest import Invoke, edit
from mitra_cli.cli import app
from mitra_cli.commands.completion import complete_lang, complete_pattern, complete_set
from mitra_cli.commands.helptext import HELP_KEY, typed_lang
from mitra_cli.ruledata.location import shipped_data_dir

CATALOG: dict[str, dict[str, str]] = yaml.safe_load((shipped_data_dir() / "ui.yaml").read_text(encoding="utf-8"))
# Commands whose own help texts are still English sentences, not ui.yaml keys (shared options are keys already).
# Converting one: see commands/helptext.py, then take it off this list.
NOT_YET_CONVERTED: set[tuple[str, ...]] = set()
KEY_LEAK = re.compile(r"\bhelp\.[a-z_]+")


def command_tree(command: Any = None, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command of the app, as Typer builds it for a run (help texts still keys), with its path."""
    if command is None:
        command = typer.main.get_command(app)
        command.list_commands(typer.Context(command))  # the commands are built when listed (cli.RootGroup)
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from command_tree(sub, (*path, name))


COMMANDS = [path for path, _ in command_tree()]
CONVERTED = [path for path in COMMANDS if path not in NOT_YET_CONVERTED]


def help_texts(command: Any) -> list[str | None]:
    """The help of a command and of each of its parameters (Typer's own completion options aside)."""
    own = [p.help for p in command.params if p.name not in ("install_completion", "show_completion")]
    return [command.help, *own]


def flat(text: str) -> str:
    """Help as one line: table borders gone, wrapping undone."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def shown_help(mitra: Invoke, *args: str, env: dict[str, str] | None = None) -> str:
    run = mitra(*args, env={"COLUMNS": "200", **(env or {})})
    assert run.exit_code == 0, run.stderr
    return run.stdout


def test_the_tree_holds_every_command() -> None:
    assert {("recommend",), ("classify",), ("patterns", "show"), ("patterns", "compare"), ("validate",)} <= set(COMMANDS)
    assert set(COMMANDS) >= NOT_YET_CONVERTED  # a converted or removed command leaves the list


@pytest.mark.parametrize("path", CONVERTED, ids=lambda path: " ".join(path) or "mitra")
def test_every_help_text_is_a_key_with_both_languages(path: tuple[str, ...]) -> None:
    command = dict(command_tree())[path]
    texts = help_texts(command)
    assert texts and all(isinstance(text, str) and text.startswith(HELP_KEY) for text in texts), texts
    for key in texts:
        assert isinstance(key, str) and key in CATALOG, key
        # Typer reads help as Rich markup: a "[" would be taken for a style
        assert "[" not in CATALOG[key]["id"] and "[" not in CATALOG[key]["en"], key


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("path", CONVERTED, ids=lambda path: " ".join(path) or "mitra")
def test_help_of_every_command_in_both_languages(mitra: Invoke, path: tuple[str, ...], lang: str) -> None:
    keys = [text for text in help_texts(dict(command_tree())[path]) if text]
    shown = flat(shown_help(mitra, "--lang", lang, *path, "--help"))
    for key in keys:
        assert flat(CATALOG[key][lang]) in shown, key
    other = "en" if lang == "id" else "id"
    assert flat(CATALOG[keys[0]][other]) not in shown
    assert not KEY_LEAK.search(shown)
    assert flat(CATALOG["help.option.help"][lang]) in shown


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--lang", "id", "recommend", "--help"], {}),
        (["recommend", "--help", "--lang", "id"], {}),  # --lang after --help
        (["recommend", "-h", "-lid"], {}),
        (["recommend", "--lang=id", "--help"], {}),
        (["recommend", "--help"], {"MITRA_LANG": "id"}),
        (["recommend", "--help"], {"LANG": "id_ID.UTF-8"}),
        (["recommend", "--help"], {"LC_ALL": "id_ID.UTF-8"}),
    ],
)
def test_indonesian_help_however_the_language_is_chosen(mitra: Invoke, args: list[str], env: dict[str, str]) -> None:
    shown = flat(shown_help(mitra, *args, env=env))
    assert flat(CATALOG["help.recommend"]["id"]) in shown
    assert flat(CATALOG["help.recommend.set"]["id"]) in shown
    assert "Penggunaan: mitra recommend" in shown and "Opsi" in shown
    assert "Usage:" not in shown and "Options" not in shown


def test_help_words_of_typer_itself_follow_the_language(mitra: Invoke) -> None:
    indonesian = flat(shown_help(mitra, "--lang", "id", "patterns", "show", "--help"))
    assert "Argumen" in indonesian and "[wajib]" in indonesian and "Tampilkan bantuan ini lalu keluar." in indonesian
    assert "[bawaan: 0]" in flat(shown_help(mitra, "--lang", "id", "recommend", "--help"))
    english = flat(shown_help(mitra, "patterns", "show", "--help"))  # the same process: nothing left over
    assert "Arguments" in english and "[required]" in english and not re.search(r"\bArgumen\b", english)
    assert "[default: 0]" in flat(shown_help(mitra, "recommend", "--help"))


def test_no_arguments_shows_the_help_in_the_language(mitra: Invoke) -> None:
    run = mitra(env={"MITRA_LANG": "id", "COLUMNS": "200"})
    assert run.exit_code == 2  # as before: a usage "error" that shows the help
    assert flat(CATALOG["help.mitra"]["id"]) in flat(run.stdout + run.stderr)


def test_a_command_not_yet_converted_still_shows_no_key(mitra: Invoke) -> None:
    for path in NOT_YET_CONVERTED:
        shown = flat(shown_help(mitra, "--lang", "id", *path, "--help"))
        assert not KEY_LEAK.search(shown)
        assert flat(CATALOG["help.option.json"]["id"]) in shown  # its shared options are keys already


def test_the_list_of_commands_is_translated(mitra: Invoke) -> None:
    shown = flat(shown_help(mitra, "--lang", "id", "--help"))
    for key in ("help.recommend", "help.classify", "help.patterns", "help.validate"):
        assert flat(CATALOG[key]["id"]) in shown
    assert "Perintah" in shown


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["typed", "--lang", "id"], "id"),
        (["--lang=en", "x", "-l", "id"], "id"),
        (["-lid"], "id"),
        (["--", "--lang", "id"], None),
        (["--lang"], None),
        ([], None),
    ],
)
def test_the_language_is_read_from_the_command_line(args: list[str], expected: str | None) -> None:
    assert typed_lang(args) == expected


# -- usage lines ---------------------------------------------------------------------


@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(path) or "mitra")
def test_usage_lines_show_real_metavars(mitra: Invoke, path: tuple[str, ...]) -> None:
    usage = next(line for line in shown_help(mitra, *path, "--help").splitlines() if "Usage:" in line)
    assert "{" not in usage and "}" not in usage
    assert usage.strip().startswith("Usage: " + " ".join(["mitra", *path]))


def test_usage_of_the_pattern_commands(mitra: Invoke) -> None:
    show = next(line for line in shown_help(mitra, "patterns", "show", "-h").splitlines() if "Usage:" in line)
    assert show.strip() == "Usage: mitra patterns show [OPTIONS] PATTERN"
    compare = next(line for line in shown_help(mitra, "patterns", "compare", "-h").splitlines() if "Usage:" in line)
    assert compare.strip() == "Usage: mitra patterns compare [OPTIONS] PATTERN..."
    run = mitra("patterns", "compare")  # a usage error: one plain sentence naming the command and where its help is
    assert run.exit_code == 2
    assert (
        run.stderr.strip()
        == "mitra patterns compare: Missing argument 'PATTERN...'. Run 'mitra patterns compare -h' to see its options."
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["recommend", "--bogus"], "mitra recommend: No such option: --bogus"),
        (["--lang", "id", "patterns", "show"], "Jalankan 'mitra patterns show -h' untuk melihat pilihannya."),
        (["nosuch"], "mitra: No such command 'nosuch'. Run 'mitra -h' to see its options."),
    ],
)
def test_usage_errors_are_one_plain_sentence(mitra: Invoke, args: list[str], said: str) -> None:
    run = mitra(*args)
    assert run.exit_code == 2 and run.stdout == ""
    assert said in run.stderr and len(run.stderr.strip().splitlines()) == 1
    assert not re.search(r"[╭╮╰╯│]", run.stderr)  # no box


# -- patterns compare of one pattern twice ---------------------------------------------


@pytest.mark.parametrize("names", [["asuh", "asuh"], ["nurturing", "pola-asuh"], ["inti-plasma", "asuh", "NURTURING"]])
def test_compare_refuses_a_pattern_named_twice(mitra: Invoke, names: list[str]) -> None:
    run = mitra("patterns", "compare", *names, "--json")
    assert run.exit_code == 2 and run.stdout == ""
    assert "nurturing" in run.stderr and "twice" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    first, second = (name for name in names if name.lower() in ("asuh", "nurturing", "pola-asuh"))
    assert f"'{first}'" in run.stderr and f"'{second}'" in run.stderr


def test_compare_twice_in_indonesian(mitra: Invoke) -> None:
    run = mitra("--lang", "id", "patterns", "compare", "asuh", "asuh")
    assert run.exit_code == 2
    assert "disebut dua kali" in run.stderr


def test_compare_of_different_patterns_still_works(mitra: Invoke) -> None:
    run = mitra("patterns", "compare", "asuh", "inti-plasma", "--json")
    assert run.exit_code == 0, run.stderr
    assert [p["id"] for p in run.json()["patterns"]] == ["nurturing", "nucleus-plasma"]


# -- completion ---------------------------------------------------------------------


def context(lang: str | None = None, **params: Any) -> typer.Context:
    """A context as a shell completion gets it (what the root group parsed so far)."""
    ctx = typer.Context(typer.main.get_command(app), info_name="mitra", resilient_parsing=True)
    ctx.params.update(params)
    if lang is not None:
        ctx.meta["mitra.help_lang"] = lang
    return ctx


def values(items: list[tuple[str, str]]) -> list[str]:
    return [value for value, _ in items]


def test_complete_question_ids_for_set() -> None:
    every = values(complete_set(context(), ""))
    assert every[:3] == ["org_type=", "size=", "partner_size="]
    assert all(value.endswith("=") for value in every) and "horizon=" in every
    assert values(complete_set(context(), "partner_")) == [
        "partner_size=",
        "partner_type=",
        "partner_count=",
        "partner_capability=",
    ]


def test_complete_the_values_of_one_question() -> None:
    assert values(complete_set(context(), "size=")) == ["size=micro", "size=small", "size=medium", "size=large"]
    assert values(complete_set(context(), "size=m")) == ["size=micro", "size=medium"]
    # one id matches: straight to its values (a lone "horizon=" would get a space after it)
    assert values(complete_set(context(), "hor")) == ["horizon=short", "horizon=medium", "horizon=long"]
    assert complete_set(context(), "nosuch=") == []


def test_complete_several_values_after_a_comma() -> None:
    assert values(complete_set(context(), "goals=trade,qu")) == ["goals=trade,quality"]
    after = values(complete_set(context(), "goals=trade,"))
    assert "goals=trade,trade" not in after and "goals=trade,quality" in after


def test_completion_descriptions_in_the_language() -> None:
    assert dict(complete_set(context("id"), "size="))["size=micro"] == "Mikro"
    assert dict(complete_set(context("en"), "size="))["size=micro"] == "Micro"
    assert dict(complete_pattern(context("id"), "inti"))["inti-plasma"] == "Pola inti plasma"
    assert values(complete_lang(context("id"), "")) == ["id", "en"]
    assert dict(complete_lang(context("id"), "i"))["id"] == CATALOG["help.lang.id"]["id"]


def test_complete_patterns_by_id_and_alias() -> None:
    assert values(complete_pattern(context(), "in")) == ["inti-plasma"]
    assert set(values(complete_pattern(context(), "s"))) >= {"subcontract", "subkontrak", "sejajar", "sesuai-kebutuhan"}
    # compare: a pattern already named is not offered again, by id or alias
    assert not {"nurturing", "asuh"} & set(values(complete_pattern(context(names=["asuh"]), "")))


def test_completions_come_from_the_rule_data(data_copy: Path) -> None:
    edit(data_copy / "patterns.yaml", "aliases: [asuh, pola-asuh]", "aliases: [asuh, pola-asuh, mentoring]")
    assert values(complete_pattern(context(), "men")) == []
    assert values(complete_pattern(context(data=str(data_copy)), "men")) == ["mentoring"]
    assert complete_pattern(context(data=str(data_copy / "missing")), "") == []  # unreadable data: nothing, no error


def bash_complete(mitra: Invoke, words: str, cword: int, **env: str) -> list[str]:
    run = mitra(env={"_MITRA_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword), **env})
    assert run.exit_code == 0, run.stderr
    assert run.stderr == ""
    return run.stdout.splitlines()


def test_bash_completion_through_typers_environment_variables(mitra: Invoke) -> None:
    assert {"recommend", "patterns", "classify", "assess"} <= set(bash_complete(mitra, "mitra ", 1))
    assert "--set" in bash_complete(mitra, "mitra recommend --", 2)
    assert bash_complete(mitra, "mitra patterns show in", 3) == ["inti-plasma"]
    assert bash_complete(mitra, "mitra recommend --set si", 3) == ["size=micro", "size=small", "size=medium", "size=large"]
    # bash splits "size=mi" at "=" (COMP_WORDBREAKS) and replaces only what follows it
    assert bash_complete(mitra, "mitra recommend --set size =", 4) == ["micro", "small", "medium", "large"]
    assert bash_complete(mitra, "mitra recommend --set size = mi", 5) == ["micro"]
    assert bash_complete(mitra, "mitra recommend --set goals = trade,qu", 5) == ["trade,quality"]
    assert bash_complete(mitra, "mitra --lang = e", 3) == ["en"]
    assert bash_complete(mitra, "mitra --lang ", 2) == ["id", "en"]


def test_no_warning_while_completing(mitra: Invoke) -> None:
    assert bash_complete(mitra, "mitra patterns show in", 3, MITRA_LANG="fr") == ["inti-plasma"]


def test_zsh_completion_describes_in_the_language(mitra: Invoke) -> None:
    env = {"_MITRA_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "mitra --lang id recommend --set size="}
    run = mitra(env=env)
    assert run.exit_code == 0
    assert '"size=micro":"Mikro"' in run.stdout
    env["_TYPER_COMPLETE_ARGS"] = "mitra --lang id recommend --"
    options = mitra(env=env).stdout
    assert '"--no-input":"Jangan bertanya apa pun' in options and '"--help":"Tampilkan bantuan ini lalu keluar."' in options
    assert not KEY_LEAK.search(options)


def test_completion_can_be_shown_and_installed(mitra: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")  # read when the app is built
    run = mitra("--show-completion", "bash")
    assert run.exit_code == 0
    assert "_MITRA_COMPLETE=complete_bash" in run.stdout and "complete -o default -F _mitra_completion mitra" in run.stdout
    assert "--install-completion" in mitra("--help").stdout


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_itself_completes_with_the_shown_script(tmp_path: Path) -> None:
    """The script `mitra --show-completion bash` prints, sourced in a real bash, completing a real command line."""
    mitra_bin = Path(sys.executable).with_name("mitra")
    env = {
        **os.environ,
        "PATH": f"{mitra_bin.parent}{os.pathsep}{os.environ['PATH']}",
        "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1",
    }
    script = subprocess.run([str(mitra_bin), "--show-completion", "bash"], capture_output=True, text=True, env=env, check=True)
    (tmp_path / "mitra.bash").write_text(script.stdout, encoding="utf-8")
    probe = (
        f"source {tmp_path / 'mitra.bash'}\n"
        'complete_line() { COMP_WORDS=($1); COMP_CWORD=$2; COMPREPLY=(); _mitra_completion mitra; echo "${COMPREPLY[*]}"; }\n'
        "complete_line 'mitra patterns compare asuh s' 4\n"
        "complete_line 'mitra recommend --set horizon =' 4\n"
    )
    done = subprocess.run(["bash", "--norc", "-c", probe], capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["subcontract", "subkontrak", "sub-kontrak", "sejajar", "sesuai-kebutuhan"]
    assert lines[1].split() == ["short", "medium", "long"]


# -- start-up ---------------------------------------------------------------------------

PROBE = """
import sys
sys.argv = ["mitra", *sys.argv[1:]]
from mitra_cli.cli import app
from mitra_cli.views import i18n
try:
    app()
except SystemExit:
    pass
sys.stderr.write(f"SENTENCES:{i18n.shipped.cache_info().currsize} RICH_HELP:{'typer.rich_utils' in sys.modules}\\n")
"""


@pytest.mark.slow  # subprocesses or rule data built from YAML: run by `pytest -m slow`
def test_a_json_run_reads_no_help_sentence(tmp_path: Path) -> None:
    """Translating help costs a run that shows none nothing: the sentences are not even read."""
    env = {**os.environ, "MITRA_CACHE_DIR": str(tmp_path)}
    for _ in range(2):  # the first run may fill the rule cache
        done = subprocess.run(
            [sys.executable, "-c", PROBE, "patterns", "--json"], capture_output=True, text=True, env=env, timeout=60, check=False
        )
    assert "SENTENCES:0 RICH_HELP:False" in done.stderr
