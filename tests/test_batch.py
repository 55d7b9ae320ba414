"""`mitra recommend --batch`: JSON Lines in order, errors in place, equal to --json."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import EXAMPLES, Invoke
from mitra_cli.batch.scorer import LineScorer
from mitra_cli.core.recommendation import Advisor
from strategies import RULES, valid_answers

MITRA = str(Path(sys.executable).with_name("mitra"))
ADVISOR = Advisor(RULES)


def example(name: str) -> dict[str, Any]:
    import yaml

    text = (EXAMPLES / name).read_text()
    return json.loads(text) if name.endswith(".json") else yaml.safe_load(text)


def test_each_line_equals_what_json_gives(mitra: Invoke) -> None:
    names = ["sugar-mill.yaml", "state-enterprise.yaml", "sales-agent.json"]
    lines = "\n".join(json.dumps(example(name)) for name in names) + "\n"
    run = mitra("recommend", "--batch", input=lines)
    assert run.exit_code == 0, run.stderr
    outputs = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(outputs) == 3
    for name, output in zip(names, outputs, strict=True):
        single = mitra("recommend", "--answers", str(EXAMPLES / name), "--json", "--no-input").json()
        del single["what_if"]  # only with --what-if in a batch
        assert output == single
    assert run.stderr == ""


def test_bad_lines_are_reported_in_place_and_the_rest_scored(mitra: Invoke) -> None:
    good = json.dumps(example("sales-agent.json"))
    lines = [good, "not json", "[1, 2]", json.dumps({**example("sales-agent.json"), "size": "huge"}), "", good]
    run = mitra("recommend", "--batch", input="\n".join(lines) + "\n")
    assert run.exit_code == 1
    outputs = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(outputs) == 6
    assert outputs[0]["recommendation"]["pattern"] == "parallel"
    assert outputs[5]["recommendation"]["pattern"] == "parallel"
    for number in (2, 3, 4, 5):
        assert outputs[number - 1]["schema_version"] == 1
        assert outputs[number - 1]["line"] == number
        assert outputs[number - 1]["error"]
    assert "not valid JSON" in outputs[1]["error"]
    assert "JSON object" in outputs[2]["error"]
    assert "'huge' is not a valid answer" in outputs[3]["error"]


def test_what_if_only_on_request(mitra: Invoke) -> None:
    line = json.dumps(example("state-enterprise.yaml")) + "\n"
    plain = json.loads(mitra("recommend", "--batch", input=line).stdout)
    asked = json.loads(mitra("recommend", "--batch", "--what-if", input=line).stdout)
    assert "what_if" not in plain and "margin" in plain
    assert (
        asked["what_if"] == mitra("recommend", "--answers", str(EXAMPLES / "state-enterprise.yaml"), "--json").json()["what_if"]
    )


def test_batch_in_indonesian(mitra: Invoke) -> None:
    line = json.dumps(example("sugar-mill.yaml")) + "\n"
    output = json.loads(mitra("recommend", "--batch", "--lang", "id", input=line).stdout)
    assert output["recommendation"]["name"] == "Pola inti plasma"


def loose(answers: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    """The same answers as a person or a script might write them."""
    written: dict[str, Any] = {}
    for key in data.draw(st.permutations(list(answers))):
        value = answers[key]
        if isinstance(value, list):
            value = data.draw(st.permutations(value))
            if not value and data.draw(st.booleans()):
                continue  # an empty "many" answer may be left out
        elif data.draw(st.booleans()):
            value = value.upper().replace("-", " ")
        written[key] = value
    return written


@given(valid_answers, st.sampled_from(["en", "id"]), st.booleans(), st.data())
def test_batch_lines_are_byte_for_byte_the_json_object(
    answers: dict[str, Any], lang: str, what_if: bool, data: st.DataObject
) -> None:
    scorer = LineScorer(ADVISOR, lang, what_if=what_if)  # type: ignore[arg-type]
    expected = orjson.dumps(ADVISOR.result(ADVISOR.complete(answers, source="x"), lang, what_if=what_if)) + b"\n"  # type: ignore[arg-type]
    assert scorer.line(answers, 1) == expected
    assert scorer.line(answers, 2) == expected  # again, from the memos
    assert scorer.line(loose(answers, data), 3) == expected


def run_installed(args: list[str], stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([MITRA, *args], input=stdin, capture_output=True, check=False, timeout=120)


@pytest.mark.slow  # subprocesses or rule data built from YAML: run by `pytest -m slow`
def test_worker_processes_keep_order_and_match_one_process(tmp_path: Path) -> None:
    lines = [json.dumps(example(name)) for name in ("sugar-mill.yaml", "state-enterprise.yaml", "sales-agent.json")] * 700
    lines[1000] = "{broken"
    stdin = ("\n".join(lines) + "\n").encode()
    parallel = run_installed(["recommend", "--batch", "--jobs", "3"], stdin)
    single = run_installed(["recommend", "--batch", "--jobs", "1"], stdin)
    assert parallel.returncode == single.returncode == 1
    assert parallel.stdout == single.stdout
    outputs = parallel.stdout.splitlines()
    assert len(outputs) == 2100
    assert json.loads(outputs[1000])["line"] == 1001
    assert json.loads(outputs[2099])["recommendation"]["pattern"] == "parallel"
    assert (
        parallel.stderr
        == single.stderr
        == b'Some lines could not be scored; their output lines hold an "error" and the line number.\n'
    )


@pytest.mark.slow
def test_a_reader_that_goes_away_is_no_error_worth_a_traceback() -> None:
    line = (json.dumps(example("sales-agent.json")) + "\n").encode()
    script = f"{MITRA} recommend --batch | head -n 1"
    done = subprocess.run(["sh", "-c", script], input=line * 5000, capture_output=True, timeout=120, check=False)
    assert len(done.stdout.splitlines()) == 1
    assert b"Traceback" not in done.stderr


def test_batch_from_a_file_and_missing_file(mitra: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(example("sales-agent.json")) + "\n")
    assert mitra("recommend", "--batch", "--answers", str(path)).exit_code == 0
    missing = mitra("recommend", "--batch", "--answers", str(tmp_path / "nope.jsonl"))
    assert missing.exit_code == 1
    assert "does not exist" in missing.stderr


@pytest.mark.slow
def test_ctrl_c_stops_the_workers_too(tmp_path: Path) -> None:
    import signal
    import time

    path = tmp_path / "many-answer-sets.jsonl"
    line = json.dumps(example("sugar-mill.yaml")) + "\n"
    path.write_text(line * 40_000)
    # --what-if makes every line slow enough to interrupt the run midway. A shell
    # may start the tests with Ctrl-C ignored, which children inherit: restore it.
    child = subprocess.Popen(
        [MITRA, "recommend", "--batch", "--what-if", "--jobs", "2", "--answers", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    time.sleep(0.8)
    assert child.poll() is None, "the run ended before it could be interrupted"
    child.send_signal(signal.SIGINT)
    _, stderr = child.communicate(timeout=30)
    assert child.returncode == 130, stderr
    assert b"Cancelled." in stderr and b"Traceback" not in stderr
    for _ in range(20):  # the workers may need a moment to go
        survivors = subprocess.run(["pgrep", "-f", str(path)], capture_output=True, text=True, check=False)
        if not survivors.stdout.strip():
            break
        time.sleep(0.25)
    assert survivors.stdout.strip() == ""
