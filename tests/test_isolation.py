"""Nothing the test suite runs writes outside its temporary folders.

conftest.py points mitra's cache (and XDG_CACHE_HOME) into the run's own
temporary folder before any test module is imported.  These tests hold it to
that: in this process and its subprocesses, and in a run of the suite itself
(every module collected, the tests that load and cache rules run) with HOME
in a temporary folder, where the user's cache would otherwise be written.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CACHE_DIR, REPO, SESSION_DIR, XDG_CACHE_DIR
from mitra_cli.ruledata import cache as rulecache

MITRA = str(Path(sys.executable).with_name("mitra"))
# What the user's own environment may say about caches: none of it reaches a run of the suite.
CACHE_VARIABLES = ("MITRA_CACHE_DIR", "XDG_CACHE_HOME", "MITRA_NO_CACHE")


def changed(data: Path) -> Path:
    """A data folder unlike the shipped one (an installed wheel serves the shipped rules without any cache)."""
    patterns = data / "patterns.yaml"
    patterns.write_text(patterns.read_text(encoding="utf-8") + "\n# a copy, changed\n", encoding="utf-8")
    return data


def test_the_cache_is_the_runs_own(data_copy: Path, tmp_path: Path) -> None:
    assert rulecache.cache_dir() == CACHE_DIR
    assert SESSION_DIR in CACHE_DIR.parents and SESSION_DIR in XDG_CACHE_DIR.parents
    assert os.environ["XDG_CACHE_HOME"] == str(XDG_CACHE_DIR)
    home = tmp_path / "home"
    home.mkdir()
    done = subprocess.run(  # a subprocess inherits it: an entry for a data copy lands in the run's cache
        [MITRA, "--data", str(changed(data_copy)), "patterns", "--json"],
        env={**os.environ, "HOME": str(home)},
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert list(CACHE_DIR.glob("rules-*.json"))
    assert list(home.iterdir()) == []


@pytest.mark.slow  # a run of pytest inside the run
def test_a_run_of_the_suite_writes_no_cache_into_home(data_copy: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {name: value for name, value in os.environ.items() if name not in CACHE_VARIABLES}
    env["HOME"] = str(home)
    # Left to itself, mitra caches rules for other data under HOME: the check below can see a write.
    probe = subprocess.run(
        [MITRA, "--data", str(changed(data_copy)), "patterns", "--json"], env=env, capture_output=True, check=False
    )
    assert probe.returncode == 0, probe.stderr
    assert list((home / ".cache" / "mitra").glob("rules-*.json"))
    for path in sorted(home.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()

    chosen = "cache or tilde or examples_from_answers or each_line_equals or data_environment"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--basetemp={tmp_path / 'basetemp'}", "-k", chosen],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert " passed" in done.stdout
    assert list(home.iterdir()) == [], sorted(str(path.relative_to(home)) for path in home.rglob("*"))
