"""The library API: recommend() and load_rules() give what the CLI prints."""

from __future__ import annotations

from pathlib import Path

import pytest

import mitra_cli
from conftest import EXAMPLES, Invoke, edit
from mitra_cli import describe, load_rules, recommend
from mitra_cli.core.errors import AnswersError, DataError, UsageError
from test_batch import example


@pytest.mark.parametrize("name", ["sugar-mill.yaml", "state-enterprise.yaml", "sales-agent.json"])
@pytest.mark.parametrize("lang", ["en", "id"])
def test_recommend_returns_exactly_the_cli_json(mitra: Invoke, name: str, lang: str) -> None:
    cli = mitra("recommend", "--answers", str(EXAMPLES / name), "--json", "--no-input", "--lang", lang).json()
    assert recommend(example(name), lang=lang) == cli


def test_rules_are_loaded_once_and_reused() -> None:
    rules = load_rules()
    first = recommend(example("sugar-mill.yaml"), rules=rules)
    second = recommend(example("sales-agent.json"), rules=rules)
    assert first["recommendation"]["pattern"] == "nucleus-plasma"
    assert second["recommendation"]["pattern"] == "parallel"


def test_custom_rules_directory(data_copy: Path) -> None:
    edit(data_copy / "patterns.yaml", 'en: "Parallel"}', 'en: "Side by side"}')
    result = recommend(example("sales-agent.json"), rules=load_rules(data_copy))
    assert result["recommendation"]["name"] == "Side by side"


def test_errors_are_the_projects_own(data_copy: Path) -> None:
    with pytest.raises(AnswersError):
        recommend({"size": "enormous"})
    with pytest.raises(UsageError):
        recommend(example("sales-agent.json"), lang="fr")
    (data_copy / "patterns.yaml").write_text("patterns: [", encoding="utf-8")
    with pytest.raises(DataError, match=r"patterns\.yaml") as caught:
        load_rules(data_copy)
    assert "patterns.yaml:" in describe(caught.value).splitlines()[0]
    assert describe(caught.value, "id").splitlines()[-1] != describe(caught.value).splitlines()[-1]  # advice in Indonesian


def test_public_names() -> None:
    assert set(mitra_cli.__all__) == {"__version__", "describe", "load_rules", "recommend"}
    with pytest.raises(AttributeError):
        mitra_cli.nothing_here  # noqa: B018
