"""Shared fixtures: an isolated environment and helpers to run the CLI.

Before any test module is imported (``pytest_configure``; tests/strategies.py
reads the rules at collection time), mitra's cache and XDG's cache folder are
pointed into one temporary folder for the whole run, so nothing the suite
runs, in process or in a subprocess, writes into the user's real cache
(tests/test_isolation.py holds it to that).

Hypothesis runs few examples by default, for a quick edit-test loop; the
"ci" profile (HYPOTHESIS_PROFILE=ci, or any CI variable, as .ci/run sets)
runs many.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from mitra_cli.cli import app
from mitra_cli.ruledata.location import shipped_data_dir

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"

settings.register_profile("dev", max_examples=25, deadline=None)
settings.register_profile("ci", max_examples=300, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

# The run's own temporary folder: mitra's cache and XDG_CACHE_HOME live in it.
SESSION_DIR = Path(tempfile.mkdtemp(prefix="mitra-tests-"))
CACHE_DIR = SESSION_DIR / "cache"
XDG_CACHE_DIR = SESSION_DIR / "xdg-cache"


def pytest_configure(config: pytest.Config) -> None:
    # Set before collection: every later load of the rules, here or in a subprocess, sees them.
    os.environ["MITRA_CACHE_DIR"] = str(CACHE_DIR)
    os.environ["XDG_CACHE_HOME"] = str(XDG_CACHE_DIR)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(SESSION_DIR, ignore_errors=True)


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test sees the same plain environment: no colour, fixed width, English."""
    for var in ("MITRA_LANG", "MITRA_DATA", "MITRA_DEBUG", "LC_ALL", "LC_MESSAGES", "TERM"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("MITRA_CACHE_DIR", str(CACHE_DIR))  # again, should a test have removed it
    monkeypatch.setenv("XDG_CACHE_HOME", str(XDG_CACHE_DIR))
    monkeypatch.setenv("MITRA_STRICT_MESSAGES", "1")  # a sentence missing from ui.yaml fails the test
    yield


class Run:
    """The outcome of one CLI invocation."""

    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr

    def json(self) -> Any:
        return json.loads(self.stdout)


Invoke = Callable[..., Run]


@pytest.fixture
def mitra() -> Invoke:
    """Run `mitra ARGS` in-process; stdout and stderr are kept apart."""

    def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Run:
        runner = CliRunner()
        result = runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    return invoke


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped rule data, to break on purpose."""
    target = tmp_path / "data"
    shutil.copytree(shipped_data_dir(), target)
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
