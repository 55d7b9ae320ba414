"""Hostile output targets and streams: special files, COLUMNS, closed or full streams, ASCII-only encodings.

Whatever mitra is pointed at, it writes only regular files (never replacing a
device, a FIFO or a link), it never hangs on a FIFO, it lays text out for a
sane width, and a stream it cannot use gives one plain line and exit code 1.
Most of these run the installed command in a real process: the standard
streams, the locale and the exit path are what is being tested.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLES, Invoke

MITRA = str(Path(sys.executable).with_name("mitra"))
SUGAR_MILL = str(EXAMPLES / "sugar-mill.yaml")
RECOMMEND = ["recommend", "--answers", SUGAR_MILL, "--no-input"]
TIMEOUT = 60


def run(*args: str, env: dict[str, str] | None = None, **options: object) -> subprocess.CompletedProcess[bytes]:
    """The installed `mitra ARGS` in its own process (stdout and stderr captured unless given)."""
    if "stdout" not in options:
        options["stdout"] = subprocess.PIPE
    options.setdefault("stderr", subprocess.PIPE)
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [MITRA, *args], env={**os.environ, **(env or {})}, timeout=TIMEOUT, check=False, **options
    )


def shell(script: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """A bash script (for redirections such as >&- and pipes), with $MITRA and $MILL set."""
    full_env = {**os.environ, "MITRA": MITRA, "MILL": SUGAR_MILL, **(env or {})}
    return subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=full_env, timeout=TIMEOUT, check=False)


def plain_failure(stderr: str, words: str) -> None:
    """The last line says `words`, and nothing suggests a bug."""
    assert stderr.strip(), "no message at all"
    assert words in stderr.strip().splitlines()[-1].lower(), stderr
    assert "Traceback" not in stderr and "bug" not in stderr.lower(), stderr


# -- 1. special files are refused, never replaced -------------------------------------


@pytest.mark.parametrize("option, name", [("--report", "fifo.md"), ("--save-answers", "fifo.yaml")])
@pytest.mark.slow
def test_a_fifo_is_refused_at_once_and_left_alone(tmp_path: Path, option: str, name: str) -> None:
    fifo = tmp_path / name
    os.mkfifo(fifo)
    done = run(*RECOMMEND, option, str(fifo))  # the timeout fails the test if mitra waits for a reader
    assert done.returncode == 1
    assert b"not a regular file" in done.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert done.stdout == b""  # refused before any result


@pytest.mark.slow
def test_a_fifo_is_refused_before_any_question_is_asked(tmp_path: Path) -> None:
    fifo = tmp_path / "answers.yaml"
    os.mkfifo(fifo)
    done = run("recommend", "--save-answers", str(fifo), stdin=subprocess.DEVNULL)
    assert done.returncode == 1
    assert b"not a regular file" in done.stderr
    assert b"1/10" not in done.stderr  # no question was put


@pytest.mark.slow
def test_a_link_to_dev_null_is_refused_and_stays_a_link(tmp_path: Path) -> None:
    link = tmp_path / "answers.yaml"
    link.symlink_to(os.devnull)
    done = run(*RECOMMEND, "--save-answers", str(link))
    assert done.returncode == 1
    assert b"not a regular file" in done.stderr
    assert link.is_symlink() and os.readlink(link) == os.devnull


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="making a device node needs root")
@pytest.mark.slow
def test_a_character_device_is_refused_and_kept(tmp_path: Path) -> None:
    device = tmp_path / "null.yaml"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a private /dev/null
    done = run(*RECOMMEND, "--save-answers", str(device))
    assert done.returncode == 1
    assert b"not a regular file" in done.stderr
    assert stat.S_ISCHR(os.lstat(device).st_mode)


@pytest.mark.slow
def test_a_link_to_standard_output_is_refused(tmp_path: Path) -> None:
    # What /dev/stdout is, without touching /dev/stdout itself.
    link = tmp_path / "stdout.yaml"
    link.symlink_to("/proc/self/fd/1")
    into_pipe = run(*RECOMMEND, "--save-answers", str(link))
    assert into_pipe.returncode == 1
    assert b"not a regular file" in into_pipe.stderr
    output = tmp_path / "out.txt"
    with output.open("wb") as handle:
        into_file = run(*RECOMMEND, "--save-answers", str(link), stdout=handle)
    assert into_file.returncode == 1
    assert b"own output or messages already go" in into_file.stderr
    assert link.is_symlink()


@pytest.mark.slow
def test_the_file_stdout_goes_to_is_not_replaced(tmp_path: Path) -> None:
    report = tmp_path / "result.md"
    with report.open("wb") as handle:
        before = os.fstat(handle.fileno()).st_ino
        done = run(*RECOMMEND, "--report", str(report), stdout=handle)
    assert done.returncode == 1
    assert b"own output or messages already go" in done.stderr
    assert report.stat().st_ino == before


@pytest.mark.slow
def test_a_link_to_a_regular_file_is_written_through(tmp_path: Path) -> None:
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    real = real_dir / "answers.yaml"
    real.write_text("old\n")
    real.chmod(0o640)
    link = tmp_path / "answers.yaml"
    link.symlink_to(real)
    done = run(*RECOMMEND, "--save-answers", str(link))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and link.resolve() == real  # the link itself is untouched
    assert yaml.safe_load(real.read_text())["size"] == "large"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in real_dir.iterdir()) == ["answers.yaml"]  # no temporary file left


@pytest.mark.slow
def test_a_dangling_link_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "answers.yaml"
    link.symlink_to(tmp_path / "nowhere" / "answers.yaml")
    done = run(*RECOMMEND, "--save-answers", str(link))
    assert done.returncode == 1
    assert b"does not exist" in done.stderr
    assert link.is_symlink()


def test_a_private_file_stays_private(mitra: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "answers.yaml"
    target.write_text("old\n")
    target.chmod(0o600)
    assert mitra(*RECOMMEND, "--save-answers", str(target)).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "size: large" in target.read_text()


def test_a_new_file_follows_the_umask(mitra: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "answers.yaml"
    old = os.umask(0o027)
    try:
        assert mitra(*RECOMMEND, "--save-answers", str(target)).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file away needs root")
@pytest.mark.slow
def test_root_keeps_the_owner_and_group_of_a_file_it_replaces(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("old\n")
    os.chown(target, 65534, 65534)
    target.chmod(0o640)
    done = run(*RECOMMEND, "--report", str(target))
    assert done.returncode == 0, done.stderr
    info = target.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (65534, 65534, 0o640)
    assert target.read_text().startswith("# mitra")


def test_dash_writes_the_answers_to_stdout(mitra: Invoke, tmp_path: Path) -> None:
    done = mitra(*RECOMMEND, "--save-answers", "-")
    assert done.exit_code == 0
    document = done.stdout.split("\n╭", 1)[0]  # the answers come first, then the result for people
    assert yaml.safe_load(document)["size"] == "large"
    assert not (Path.cwd() / "-").exists()


def test_dash_writes_the_report_to_stdout_as_markdown(mitra: Invoke) -> None:
    done = mitra(*RECOMMEND, "--report", "-")
    assert done.exit_code == 0, done.stderr
    assert done.stdout.startswith("# mitra")
    assert not (Path.cwd() / "-").exists()


@pytest.mark.slow
def test_dash_bytes_really_reach_stdout() -> None:
    done = run(*RECOMMEND, "--report", "-")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"# mitra")
    assert "Nucleus–plasma".encode() in done.stdout


@pytest.mark.parametrize(
    "extra",
    [
        ["--json", "--save-answers", "-"],
        ["--json", "--report", "-"],
        ["--report", "-", "--save-answers", "-"],
    ],
)
def test_two_documents_on_stdout_is_a_usage_error(mitra: Invoke, extra: list[str]) -> None:
    done = mitra(*RECOMMEND, *extra)
    assert done.exit_code == 2
    assert done.stdout == ""
    assert "Only one document can go to standard output" in done.stderr


def test_assess_json_with_a_report_on_stdout_is_a_usage_error(mitra: Invoke) -> None:
    done = mitra("assess", "--no-input", "--json", "--report", "-")
    assert done.exit_code == 2
    assert done.stdout == ""


# -- 2. COLUMNS is never taken at face value --------------------------------------------

COMMANDS = [
    RECOMMEND,
    ["patterns"],
    ["principles"],
    ["classify", "--capital", "1,5 miliar", "--sales", "750 juta"],
    ["guide"],
]
LIMIT = 400_000  # bytes: at 1000 columns the longest output is about 20 KB


@pytest.mark.parametrize("columns", ["0", "-5", "abc", "10000000", "", "  ", "٣٠"])
@pytest.mark.parametrize("args", COMMANDS, ids=[args[0] for args in COMMANDS])
def test_unusable_columns_still_give_bounded_output(mitra: Invoke, args: list[str], columns: str) -> None:
    done = mitra(*args, env={"COLUMNS": columns})
    assert done.exit_code == 0, done.stderr
    assert done.stdout.strip()
    assert len(done.stdout) < LIMIT
    assert max(len(line) for line in done.stdout.splitlines()) <= 1000


def test_columns_are_kept_within_20_and_1000(mitra: Invoke) -> None:
    narrow = mitra("patterns", env={"COLUMNS": "3"})
    assert max(len(line) for line in narrow.stdout.splitlines()) == 20
    wide = mitra(*RECOMMEND, env={"COLUMNS": "5000"})
    assert max(len(line) for line in wide.stdout.splitlines()) == 1000


@pytest.mark.parametrize("columns", ["0", "10000000"])
@pytest.mark.parametrize("args", [["--help"], ["recommend", "--help"], ["guide"]])
@pytest.mark.slow
def test_unusable_columns_through_the_installed_command(args: list[str], columns: str) -> None:
    done = run(*args, env={"COLUMNS": columns, "TERMINAL_WIDTH": columns})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
    assert len(done.stdout) < LIMIT


# -- 3. closed, full or vanished streams ----------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["patterns"], ["patterns", "--json"], RECOMMEND, [*RECOMMEND, "--json"], ["--version"], ["--help"], ["guide"]],
    ids=["patterns", "patterns-json", "recommend", "recommend-json", "version", "help", "guide"],
)
@pytest.mark.slow
def test_a_full_stdout_is_one_plain_line(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        done = run(*args, stdout=full)
    assert done.returncode == 1
    stderr = done.stderr.decode()
    plain_failure(stderr, "cannot write output")
    assert len(stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_a_full_stdout_in_indonesian() -> None:
    with open("/dev/full", "wb") as full:
        done = run("--lang", "id", "patterns", stdout=full)
    assert done.returncode == 1
    assert "Tidak dapat menulis keluaran" in done.stderr.decode()


@pytest.mark.parametrize(
    "command", ["$MITRA patterns", "$MITRA patterns --json", "$MITRA recommend --answers $MILL --no-input", "$MITRA --version"]
)
@pytest.mark.slow
def test_a_closed_stdout_is_one_plain_line(command: str) -> None:
    done = shell(f"{command} >&-")
    assert done.returncode == 1
    plain_failure(done.stderr, "cannot write output")


@pytest.mark.parametrize(
    "command",
    ["$MITRA recommend --answers - --no-input", "$MITRA recommend", "$MITRA recommend --batch", "$MITRA assess"],
)
@pytest.mark.slow
def test_a_closed_stdin_is_one_plain_line(command: str) -> None:
    done = shell(f"{command} <&-")
    assert done.returncode == 1
    plain_failure(done.stderr, "cannot read input")


@pytest.mark.slow
def test_a_closed_stdin_in_indonesian() -> None:
    done = shell("$MITRA --lang id recommend --answers - --no-input <&-")
    assert done.returncode == 1
    assert "Tidak dapat membaca masukan" in done.stderr


@pytest.mark.slow
def test_a_closed_stderr_still_gives_the_exit_code() -> None:
    assert shell("$MITRA recommend --answers /nowhere.yaml --no-input 2>&-").returncode == 1
    assert shell("$MITRA patterns 2>&- >/dev/null").returncode == 0


@pytest.mark.parametrize(
    "command",
    [
        "$MITRA patterns",
        "$MITRA recommend --answers $MILL --no-input",
        "$MITRA recommend --answers $MILL --no-input --json",
        "$MITRA guide",
        "$MITRA --help",
    ],
)
@pytest.mark.slow
def test_a_reader_that_goes_away_is_no_failure(command: str) -> None:
    # Enough output to outlast the pipe's buffer, so the write after `head` left really fails.
    done = shell(f"set -o pipefail; {command} | head -c 1 >/dev/null", env={"COLUMNS": "1000"})
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


# -- 4. an output that cannot carry UTF-8 ---------------------------------------------

ASCII_ENVS = {
    "PYTHONIOENCODING=ascii": {"PYTHONIOENCODING": "ascii"},
    "C locale": {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
}


@pytest.mark.parametrize("env", list(ASCII_ENVS.values()), ids=list(ASCII_ENVS))
@pytest.mark.parametrize(
    "args", [["patterns"], ["--lang", "id", "patterns", "show", "asuh"], RECOMMEND, ["--lang", "id", *RECOMMEND], ["guide"]]
)
@pytest.mark.slow
def test_ascii_only_output_falls_back_to_ascii(args: list[str], env: dict[str, str]) -> None:
    done = run(*args, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
    done.stdout.decode("ascii")  # every byte is ASCII: no box drawing, dashes or bars left as they were
    assert b"bug" not in done.stderr


@pytest.mark.slow
def test_ascii_only_output_keeps_the_words() -> None:
    done = run(*RECOMMEND, env={"PYTHONIOENCODING": "ascii"})
    text = done.stdout.decode("ascii")
    assert "Recommended pattern: Nucleus-plasma -- fit " in text
    assert "####" in text  # the bars


@pytest.mark.parametrize("args", [[*RECOMMEND, "--json"], ["patterns", "show", "asuh", "--json"]])
@pytest.mark.slow
def test_json_stays_valid_utf8_whatever_the_encoding(args: list[str]) -> None:
    done = run(*args, env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0, done.stderr
    json.loads(done.stdout.decode("utf-8"))  # UTF-8 bytes, as JSON is exchanged


@pytest.mark.slow
def test_errors_on_an_ascii_stderr_are_plain(tmp_path: Path) -> None:
    bad = tmp_path / "answers.yaml"
    bad.write_text("relationship: “boss”\n", encoding="utf-8")
    done = run("recommend", "--answers", str(bad), "--no-input", env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 1
    done.stderr.decode("ascii")
    assert b"bug" not in done.stderr and b"Traceback" not in done.stderr
