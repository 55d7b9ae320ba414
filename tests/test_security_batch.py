"""Hostile input to `mitra recommend --batch` and the options of `recommend`.

Over-long and endless lines, stop signals, options a batch cannot honour,
duplicate keys and byte order marks, and several --answers files.
"""

from __future__ import annotations

import io
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, cast

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from conftest import EXAMPLES, Invoke
from mitra_cli.batch import reading
from mitra_cli.batch import run as batch

MITRA = str(Path(sys.executable).with_name("mitra"))
SALES = json.loads((EXAMPLES / "sales-agent.json").read_text())
GOOD = json.dumps(SALES, separators=(",", ":")).encode()
TOO_LONG = "longer than"  # in the English error line of an over-long line
ON_PROC = Path("/proc/self/stat").exists()


def outputs(stdout: bytes | str) -> list[dict[str, Any]]:
    text = stdout.decode() if isinstance(stdout, bytes) else stdout
    return [json.loads(line) for line in text.splitlines()]


def run_installed(args: list[str], stdin: bytes, **options: Any) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([MITRA, *args], input=stdin, capture_output=True, check=False, timeout=120, **options)


# -- 1. line length ---------------------------------------------------------------------


class Pieces(io.RawIOBase):
    """A stream that hands out `data` in reads of the given sizes (then of the last size)."""

    def __init__(self, data: bytes, sizes: list[int]) -> None:
        self.data, self.sizes, self.position = data, sizes or [1], 0

    def readable(self) -> bool:
        return True

    def read1(self, size: int = -1) -> bytes:
        step = min(self.sizes.pop(0) if len(self.sizes) > 1 else self.sizes[0], size)
        piece = self.data[self.position : self.position + step]
        self.position += len(piece)
        return piece


def lines_read(chunks: Iterator[reading.Chunk]) -> list[tuple[int, bytes | None]]:
    """Every line the reader gave, with its number (None: over the limit)."""
    found: list[tuple[int, bytes | None]] = []
    for first, text, count in chunks:
        if text is None:
            assert count == 1
            found.append((first, None))
            continue
        assert text.endswith(b"\n") and text.count(b"\n") == count
        found += [(first + offset, line) for offset, line in enumerate(text.split(b"\n")[:-1])]
    return found


@given(
    st.lists(st.sampled_from([b"", b"a", b"abcd", b"abcdefgh", b"x" * 30]), max_size=12),
    st.booleans(),
    st.integers(min_value=1, max_value=10),
    st.lists(st.integers(min_value=1, max_value=40), max_size=8),
    st.integers(min_value=1, max_value=50),
)
def test_the_reader_numbers_every_line_and_drops_only_those_over_the_limit(
    lines: list[bytes], last_newline: bool, max_line: int, sizes: list[int], block: int
) -> None:
    data = b"\n".join(lines) + (b"\n" if last_newline and lines else b"")
    expected = [(number, line if len(line) <= max_line else None) for number, line in enumerate(data.split(b"\n"), 1)]
    if data.endswith(b"\n") or not data:
        expected.pop()  # nothing follows the last newline
    assert lines_read(reading.chunks(cast("IO[bytes]", Pieces(data, sizes)), max_line, block)) == expected


class Zeros(io.RawIOBase):
    """Like /dev/zero, but of x: endless, or `size` bytes long."""

    def __init__(self, size: float = float("inf")) -> None:
        self.size, self.read_bytes = size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        assert self.read_bytes < 64 * 1024 * 1024, "read on and on without answering"
        count = int(min(len(buffer), self.size - self.read_bytes))
        buffer[:count] = b"x" * count
        self.read_bytes += count
        return count


def test_an_endless_line_is_answered_as_soon_as_it_is_too_long() -> None:
    limit = 1024 * 1024
    endless = Zeros()
    assert next(reading.chunks(io.BufferedReader(endless), limit)) == (1, None, 1)
    assert endless.read_bytes < limit + 2 * reading.CHUNK_BYTES


def test_input_without_a_newline_is_read_in_bounded_memory() -> None:
    limit = 1024 * 1024
    tracemalloc.start()
    try:
        found = list(reading.chunks(io.BufferedReader(Zeros(20 * limit)), limit))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found == [(1, None, 1)]
    assert peak < 3 * limit


def test_the_rest_of_an_over_long_line_is_read_without_keeping_it() -> None:
    limit = 1024 * 1024
    data = b"x" * (20 * limit) + b"\n" + GOOD + b"\n"
    tracemalloc.start()
    try:
        found = lines_read(reading.chunks(io.BytesIO(data), limit))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found == [(1, None), (2, GOOD)]
    assert peak < 3 * limit  # the 20 MiB line was never held


def test_a_long_line_costs_linear_time() -> None:
    limit = 64 * 1024 * 1024  # above the line: it is read whole, in 64 KiB pieces
    data = b" " * (48 * 1024 * 1024) + b"\n"
    start = time.perf_counter()
    found = lines_read(reading.chunks(io.BytesIO(data), max_line=limit, block=reading.CHUNK_BYTES))
    elapsed = time.perf_counter() - start
    assert found == [(1, data[:-1])]
    assert elapsed < 2.0  # joined once; adding piece to piece took about 15 s


@pytest.mark.slow
def test_a_50_mb_line_with_workers_takes_no_longer_than_with_one_process() -> None:
    stdin = GOOD + b"\n" + b"x" * (50 * 1000 * 1000) + b"\n" + GOOD + b"\n"
    start = time.perf_counter()
    done = run_installed(["recommend", "--batch", "--jobs", "2"], stdin)
    elapsed = time.perf_counter() - start
    assert [line.get("line") for line in outputs(done.stdout)] == [None, 2, None]
    assert elapsed < 5.0  # it took 16.7 s, the line copied again at every 64 KiB read


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.slow
def test_the_real_limit_at_its_edge(jobs: str) -> None:
    limit = batch.MAX_LINE_BYTES
    assert limit == 4 * 1024 * 1024
    at_limit = GOOD + b" " * (limit - len(GOOD))  # valid JSON, exactly the limit long
    stdin = b"\n".join([GOOD, at_limit, at_limit + b" ", GOOD, b"x" * (limit + 1), GOOD]) + b"\n"
    done = run_installed(["recommend", "--batch", "--jobs", jobs], stdin)
    assert done.returncode == 1, done.stderr
    lines = outputs(done.stdout)
    assert len(lines) == 6
    for number in (1, 2, 4, 6):
        assert lines[number - 1]["recommendation"]["pattern"] == "parallel"
    for number in (3, 5):
        assert lines[number - 1] == {
            "schema_version": 1,
            "line": number,
            "error": "this line is longer than 4 MiB, the limit for one line of answers; it was skipped.",
        }


@pytest.mark.parametrize("jobs", ["1", "3"])
@pytest.mark.slow
def test_input_without_a_newline_ends_in_one_error_line(jobs: str) -> None:
    done = run_installed(["recommend", "--batch", "--jobs", jobs], b"x" * (20 * 1024 * 1024))
    assert done.returncode == 1
    assert outputs(done.stdout) == [{"schema_version": 1, "line": 1, "error": outputs(done.stdout)[0]["error"]}]
    assert TOO_LONG in outputs(done.stdout)[0]["error"]


@pytest.mark.skipif(not ON_PROC, reason="measures memory in /proc")
@pytest.mark.slow
def test_an_endless_input_gets_its_error_line_while_memory_stays_flat() -> None:
    # /dev/zero never ends: the error line comes at once, and the run goes on reading in flat memory.
    child = subprocess.Popen(
        [MITRA, "recommend", "--batch", "--answers", "/dev/zero"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert child.stdout is not None
    drained = Drained(child.stdout)
    try:
        answered = wait_until(lambda: b"\n" in drained.data, 10)
        time.sleep(0.5)  # a few GB of zeros later
        rss = int(Path(f"/proc/{child.pid}/status").read_text().split("VmRSS:")[1].split()[0])
    finally:
        child.kill()
        child.wait(timeout=30)
        drained.done()
        child.stdout.close()
    assert answered, "no error line"
    line = json.loads(bytes(drained.data).split(b"\n")[0])
    assert line["line"] == 1 and TOO_LONG in line["error"]
    assert rss < 100 * 1024  # KiB


def test_a_lower_limit_in_process_and_in_indonesian(mitra: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "MAX_LINE_BYTES", 1024 * 1024)
    stdin = b"\n".join([GOOD, b'{"size": "' + b"s" * (1024 * 1024) + b'"}', GOOD, b"{broken"]) + b"\n"
    run = mitra("recommend", "--batch", "--lang", "id", input=stdin.decode())
    assert run.exit_code == 1
    lines = outputs(run.stdout)
    assert [line.get("line") for line in lines] == [None, 2, None, 4]  # numbering goes on after the skipped line
    assert lines[1]["error"] == "baris ini lebih panjang dari 1 MiB, batas untuk satu baris jawaban; baris ini dilewati."


# -- 2. signals ---------------------------------------------------------------------------


def children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its new parent to reap it has stopped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


class Drained:
    """A child's stdout, read as it comes, or slowly: `pace` seconds between reads of 16 KiB
    (then the writers wait on a full pipe, in the middle of their writes)."""

    def __init__(self, stream: IO[bytes], pace: float = 0.0) -> None:
        self.data = bytearray()
        self.pace = pace
        self.thread = threading.Thread(target=self._read, args=(stream.fileno(),), daemon=True)
        self.thread.start()

    def _read(self, fd: int) -> None:
        while piece := os.read(fd, 16384 if self.pace else 65536):
            self.data += piece
            time.sleep(self.pace)

    def done(self) -> bytes:
        self.thread.join(timeout=30)
        return bytes(self.data)


def many_answer_sets(tmp_path: Path) -> Path:
    path = tmp_path / "many-answer-sets.jsonl"
    path.write_bytes((GOOD + b"\n") * 40_000)
    return path


def start_batch(path: Path, jobs: str, pace: float = 0.0, **options: Any) -> tuple[subprocess.Popen[bytes], Drained]:
    child = subprocess.Popen(
        [MITRA, "recommend", "--batch", "--what-if", "--jobs", jobs, "--answers", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # A shell may start the tests with Ctrl-C ignored, which children inherit: restore it.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        **options,
    )
    assert child.stdout is not None
    drained = Drained(child.stdout, pace)
    assert wait_until(lambda: len(drained.data) > 0, 30), "no output"
    assert child.poll() is None, "the run ended before it could be stopped"
    return child, drained


def finish(child: subprocess.Popen[bytes], drained: Drained) -> tuple[bytes, bytes]:
    """The child's whole stdout and stderr, once it has ended."""
    child.wait(timeout=30)
    stdout = drained.done()
    assert child.stdout is not None and child.stderr is not None
    stderr = child.stderr.read()
    child.stdout.close()
    child.stderr.close()
    return stdout, stderr


def check_whole_lines(stdout: bytes) -> None:
    assert stdout.endswith(b"\n")
    lines = stdout.splitlines()
    assert len(lines) > 0
    for number, line in enumerate(lines, 1):
        assert json.loads(line)["answers"] == json.loads(GOOD), number


@pytest.mark.skipif(not ON_PROC, reason="looks for the workers in /proc")
@pytest.mark.parametrize(
    ("signum", "jobs", "pace"),
    [(signal.SIGTERM, "2", 0.0), (signal.SIGHUP, "2", 0.0), (signal.SIGTERM, "2", 0.005), (signal.SIGTERM, "1", 0.005)],
)
@pytest.mark.slow
def test_sigterm_and_sighup_stop_every_worker_and_leave_whole_lines(tmp_path: Path, signum: int, jobs: str, pace: float) -> None:
    child, drained = start_batch(many_answer_sets(tmp_path), jobs, pace)
    time.sleep(0.3)  # at a slow reader, the writers are now waiting in the middle of a write
    workers = children_of(child.pid)
    assert len(workers) == (2 if jobs == "2" else 0)
    child.send_signal(signum)
    stdout, stderr = finish(child, drained)
    assert child.returncode == 128 + signum, stderr
    assert f"Stopped by {signal.Signals(signum).name}".encode() in stderr and b"Traceback" not in stderr
    assert not any(alive(pid) for pid in workers)
    check_whole_lines(stdout)


@pytest.mark.skipif(not ON_PROC, reason="looks for the workers in /proc")
@pytest.mark.slow
def test_ctrl_c_at_a_terminal_reaches_every_process_and_leaves_whole_lines(tmp_path: Path) -> None:
    # A terminal's Ctrl-C goes to the whole process group: the workers get SIGINT too.
    child, drained = start_batch(many_answer_sets(tmp_path), "2", 0.005, start_new_session=True)
    time.sleep(0.3)  # the reader is slow: a worker is now waiting in the middle of its write
    workers = children_of(child.pid)
    os.killpg(child.pid, signal.SIGINT)
    stdout, stderr = finish(child, drained)
    assert child.returncode == 130, stderr
    assert b"Cancelled." in stderr and b"Traceback" not in stderr
    assert not any(alive(pid) for pid in workers)
    check_whole_lines(stdout)


WORKERS_OF_A_DYING_PARENT = """
import sys, time
from mitra_cli.batch import workers as parallel

def work(text, first):
    time.sleep(60)  # a long chunk
    return [], False

source = ((1 + 10 * index, b"{}\\n" * 10, 10) for index in range(1000))
parallel.run(work, source, 2, sys.stdout.fileno())
"""


@pytest.mark.skipif(not ON_PROC, reason="looks for the workers in /proc")
@pytest.mark.slow
def test_workers_die_with_their_parent() -> None:
    parent = subprocess.Popen([sys.executable, "-c", WORKERS_OF_A_DYING_PARENT], stdout=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        assert wait_until(lambda: len(children_of(parent.pid)) == 2, 30)
        workers = children_of(parent.pid)
        parent.kill()  # SIGKILL: nothing in the parent can clean up
        parent.wait(timeout=30)
        assert wait_until(lambda: not any(alive(pid) for pid in workers), 5), "a worker outlived its parent"
    finally:
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        if parent.poll() is None:
            parent.kill()
            parent.wait()


# -- 3. options a batch cannot honour ---------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "args"),
    [
        ("--report", ["--report", "out.md"]),
        ("--save-answers", ["--save-answers", "saved.yaml"]),
        ("--set", ["--set", "size=small"]),
    ],
)
def test_batch_refuses_the_options_it_would_ignore(mitra: Invoke, tmp_path: Path, option: str, args: list[str]) -> None:
    missing = str(tmp_path / "not-there.jsonl")  # were the input read first, this would be exit code 1
    run = mitra("recommend", "--batch", "--answers", missing, *args)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr == (
        f"{option} cannot be used with --batch, which only writes one result line per input line."
        f" Leave out {option}, or run without --batch.\n"
    )
    indonesian = mitra("recommend", "--batch", "--lang", "id", "--answers", missing, *args)
    assert indonesian.exit_code == 2 and f"{option} tidak dapat dipakai bersama --batch" in indonesian.stderr
    assert not (tmp_path / "out.md").exists() and not (tmp_path / "saved.yaml").exists()


def test_batch_takes_one_answers_input(mitra: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(GOOD + b"\n")
    run = mitra("recommend", "--batch", "--answers", str(path), "--answers", str(path))
    assert run.exit_code == 2 and run.stdout == ""
    assert "--answers was given 2 times" in run.stderr
    indonesian = mitra("recommend", "--batch", "-l", "id", "-a", str(path), "-a", str(path))
    assert indonesian.exit_code == 2 and "--answers diberikan 2 kali" in indonesian.stderr


def test_jobs_has_an_upper_bound(mitra: Invoke) -> None:
    run = mitra("recommend", "--batch", "--jobs", "300", input=GOOD.decode() + "\n")
    assert run.exit_code == 2 and run.stdout == ""
    assert "300" in run.stderr and "64" in run.stderr
    assert mitra("recommend", "--batch", "-j", "64", input=GOOD.decode() + "\n").exit_code == 0
    assert "at most 64" in " ".join(mitra("recommend", "--help").stdout.split())


@pytest.mark.slow
def test_too_few_file_descriptors_for_the_workers_is_said_plainly() -> None:
    def few_files() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (40, 40))

    done = run_installed(["recommend", "--batch", "--jobs", "64"], GOOD + b"\n", preexec_fn=few_files)
    assert done.returncode == 1
    assert done.stdout == b""
    assert done.stderr.startswith(b"Could not start 64 --batch worker processes (Too many open files).")
    assert b"bug" not in done.stderr and b"Traceback" not in done.stderr


# -- 4. duplicate keys and a byte order mark, as in answers files ------------------------------


def test_duplicate_key_finder() -> None:
    assert batch.duplicate_key(b'{"size": "small", "horizon": "long", "size": "micro"}') == "size"
    assert batch.duplicate_key(b'{"size": "small", "\\u0073ize": "micro"}') == "size"  # the same key, escaped
    assert batch.duplicate_key(b'{"a": {"b": 1, "b": 2}, "c": "x:y", "d": [{"e": 1, "e": 2}]}') is None  # not at the top
    assert batch.duplicate_key(b'{"a": 1, "b": "::::"}') is None


def test_a_line_with_a_key_twice_is_an_error_naming_the_key(mitra: Invoke, tmp_path: Path) -> None:
    twice = GOOD[:-1] + b',"size":"micro"}'
    colons = json.dumps({**SALES, "org_type": "business"}).replace('"business"', '"busi:ness"').encode()  # a colon in a value
    stdin = b"\n".join([GOOD, twice, GOOD.replace(b'"size"', b'"\\u0073ize"', 1) + b"", colons]) + b"\n"
    run = mitra("recommend", "--batch", input=stdin.decode())
    assert run.exit_code == 1
    lines = outputs(run.stdout)
    assert lines[0]["recommendation"]["pattern"] == "parallel"
    assert lines[1] == {
        "schema_version": 1,
        "line": 2,
        "error": "line 2: size: the key 'size' appears twice; remove one of them.",
    }
    assert lines[2]["recommendation"]["pattern"] == "parallel"  # an escape is no second key
    assert "'busi:ness' is not a valid answer" in lines[3]["error"]  # checked as ever
    # The same rule as an answers file:
    answers_file = tmp_path / "twice.json"
    answers_file.write_bytes(twice)
    single = mitra("recommend", "--answers", str(answers_file), "--no-input", "--json")
    assert single.exit_code == 1 and "the key 'size' appears twice; remove one of them." in single.stderr
    indonesian = outputs(mitra("recommend", "--batch", "--lang", "id", input=twice.decode() + "\n").stdout)
    assert indonesian[0]["error"] == "baris 1: size: kunci 'size' muncul dua kali; hapus salah satunya."


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.slow
def test_a_byte_order_mark_may_open_the_input_only(jobs: str, tmp_path: Path) -> None:
    bom = b"\xef\xbb\xbf"
    path = tmp_path / "from-a-spreadsheet.jsonl"
    path.write_bytes(bom + GOOD + b"\n" + GOOD + b"\n" + bom + GOOD + b"\n")
    done = run_installed(["recommend", "--batch", "--jobs", jobs, "--answers", str(path)], b"")
    assert done.returncode == 1
    lines = outputs(done.stdout)
    assert lines[0] == lines[1]
    assert lines[0]["recommendation"]["pattern"] == "parallel"
    assert lines[2]["line"] == 3 and "not valid JSON" in lines[2]["error"]  # only at the start, as in a file


# -- 5. several --answers files -------------------------------------------------------------


def test_answers_files_are_merged_in_order(mitra: Invoke, tmp_path: Path) -> None:
    keys = list(SALES)
    first, second = tmp_path / "first.json", tmp_path / "second.yaml"
    first.write_text(json.dumps({key: SALES[key] for key in keys[:5]}))
    second.write_text("".join(f"{key}: {json.dumps(SALES[key])}\n" for key in keys[5:]))
    whole = mitra("recommend", "--answers", str(EXAMPLES / "sales-agent.json"), "--no-input", "--json")
    merged = mitra("recommend", "--answers", str(first), "--answers", str(second), "--no-input", "--json")
    assert merged.exit_code == 0, merged.stderr
    assert merged.json() == whole.json()
    # A question in both files takes the later file's answer.
    later = tmp_path / "later.yaml"
    later.write_text("horizon: long\nsize: micro\n")
    run = mitra("recommend", "-a", str(EXAMPLES / "sales-agent.json"), "-a", str(later), "--no-input", "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["answers"]["horizon"] == "long" and run.json()["answers"]["size"] == "micro"
    earlier = mitra("recommend", "-a", str(later), "-a", str(EXAMPLES / "sales-agent.json"), "--no-input", "--json")
    assert earlier.json()["answers"]["horizon"] == "short" and earlier.json()["answers"]["size"] == "small"
    assert "merged in order" in " ".join(mitra("recommend", "--help").stdout.split())


def test_an_answer_missing_from_every_file_is_still_an_error(mitra: Invoke, tmp_path: Path) -> None:
    part = tmp_path / "part.json"
    part.write_text(json.dumps({"org_type": "business"}))
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"size": "small"}))
    run = mitra("recommend", "-a", str(part), "-a", str(other), "--no-input", "--json")
    assert run.exit_code == 1 and run.stdout == ""
    assert "no answer for: partner_size" in run.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.slow
def test_a_full_disk_is_said_plainly(jobs: str, tmp_path: Path) -> None:
    lines = tmp_path / "lines.jsonl"
    lines.write_text(json.dumps(yaml.safe_load((EXAMPLES / "sugar-mill.yaml").read_text())) + "\n" * 1)
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "mitra_cli", "recommend", "--batch", "-j", jobs, "--answers", str(lines)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert "Cannot write output" in done.stderr
    assert "bug" not in done.stderr.lower() and "Traceback" not in done.stderr
