"""Scripts pay start-up on every call: --json paths must not import what they do not use."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES
from mitra_cli.ruledata.store import load_rules, load_ui_catalog

PROBE = """
import sys
sys.argv = ["mitra", *sys.argv[1:]]
from mitra_cli.cli import app  # what the `mitra` command runs (main() also skips the teardown)
try:
    app()
except SystemExit:
    pass
heavy = sorted({name.split(".")[0] for name in sys.modules} & {"rich", "yaml", "pydantic", "pygments", "markdown_it", "babel"})
commands = sorted(name for name in sys.modules if name.startswith("mitra_cli.commands.") and name.count(".") == 2)
sys.stderr.write("IMPORTED:" + ",".join(heavy) + "\\n")
sys.stderr.write("COMMANDS:" + ",".join(commands) + "\\n")
"""


def probe(*args: str, cache: Path, marker: str = "IMPORTED:") -> set[str]:
    env = {**os.environ, "MITRA_CACHE_DIR": str(cache)}
    env.pop("NO_COLOR", None)
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, check=False, timeout=60)
    line = next(line for line in done.stderr.splitlines() if line.startswith(marker))
    return set(filter(None, line.removeprefix(marker).split(",")))


def imported(*args: str, cache: Path) -> set[str]:
    """The heavy libraries a run imported."""
    return probe(*args, cache=cache)


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A rule cache filled as a first run fills it (that run may parse YAML): here, in this process."""
    cache = tmp_path_factory.mktemp("warm-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MITRA_CACHE_DIR", str(cache))
        load_rules()
        load_ui_catalog()
    return cache


@pytest.mark.parametrize(
    "args",
    [
        ["patterns", "--json"],
        ["principles", "--json"],
        ["guide", "--json"],
        ["patterns", "show", "asuh", "--json"],
        ["recommend", "--answers", str(EXAMPLES / "sales-agent.json"), "--json", "--no-input"],
    ],
)
@pytest.mark.slow  # subprocesses or rule data built from YAML: run by `pytest -m slow`
def test_json_paths_import_neither_rich_nor_yaml(args: list[str], warm_cache: Path) -> None:
    assert imported(*args, cache=warm_cache) == set()


@pytest.mark.slow  # subprocesses or rule data built from YAML: run by `pytest -m slow`
def test_people_paths_do_use_rich(warm_cache: Path) -> None:
    assert "rich" in imported("patterns", cache=warm_cache)


@pytest.mark.slow  # subprocesses: run by `pytest -m slow`
def test_a_run_loads_only_its_own_command_module(warm_cache: Path) -> None:
    run = ["recommend", "--answers", str(EXAMPLES / "sales-agent.json"), "--json", "--no-input"]
    assert probe(*run, cache=warm_cache, marker="COMMANDS:") == {
        "mitra_cli.commands.common",
        "mitra_cli.commands.completion",
        "mitra_cli.commands.helptext",
        "mitra_cli.commands.recommend",
    }
    every = probe("--help", cache=warm_cache, marker="COMMANDS:")  # help lists every command
    assert {"mitra_cli.commands.assess", "mitra_cli.commands.catalogue", "mitra_cli.commands.classify"} <= every
