"""The loader reports every kind of data problem with file, line and field path."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Invoke, edit
from mitra_cli.core.errors import DataError
from mitra_cli.ruledata.build import build_rules
from mitra_cli.ruledata.location import shipped_data_dir
from mitra_cli.ruledata.store import load_rules
from mitra_cli.views.i18n import describe_problem


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        build_rules(directory)
    return [describe_problem(problem, "en") for problem in caught.value.problems]


def test_shipped_data_is_valid_and_complete() -> None:
    rules = build_rules(shipped_data_dir())
    assert len(rules.patterns) == 6
    assert len(rules.principles) == 5
    assert len(rules.benefits) == 8
    assert len(rules.guide.trust.elements) == 6
    core = ["org_type", "size", "partner_size", "partner_count", "offer", "need", "goals", "relationship", "horizon"]
    core.append("partner_capability")
    required = [q.id for q in rules.questions if not q.optional]
    assert required == core  # the contract's core questionnaire; the rest may only be optional
    assert len(rules.questions) - len(required) <= 4  # the case for new questions must stay short
    for pattern in rules.patterns:
        assert pattern.scoring, pattern.id
        assert pattern.name.id and pattern.name.en


def test_rules_are_immutable() -> None:
    rules = load_rules()
    with pytest.raises(AttributeError):
        rules.patterns[0].id = "x"  # type: ignore[misc]


def test_yaml_syntax_error_is_located(data_copy: Path) -> None:
    edit(data_copy / "patterns.yaml", "  - id: futuristic\n", "  - id: futuristic\n   bad: [unclosed\n")
    found = problems_of(data_copy)
    assert len(found) == 1
    assert found[0].startswith("data/patterns.yaml:") or "patterns.yaml:" in found[0]
    assert "YAML syntax error" in found[0]


def test_missing_translation_names_file_line_and_field(data_copy: Path) -> None:
    edit(
        data_copy / "principles.yaml",
        '    name: {id: "Prinsip partisipasi", en: "Participation"}',
        '    name: {id: "Prinsip partisipasi"}',
    )
    (found,) = problems_of(data_copy)
    assert "principles.yaml:8: principles[0].name.en" in found
    assert "translation is missing" in found


def test_duplicate_id_is_reported(data_copy: Path) -> None:
    edit(data_copy / "principles.yaml", "  - id: transparency\n", "  - id: participation\n")
    found = problems_of(data_copy)
    assert any(
        "principles.yaml:" in f and "principles[2].id" in f and "'participation' appears more than once" in f for f in found
    )
    # the references to the id that is now gone are reported in the same run
    assert any("unknown principle 'transparency'" in f for f in found)


def test_unknown_references_are_reported_all_at_once(data_copy: Path) -> None:
    patterns = data_copy / "patterns.yaml"
    edit(
        patterns,
        '      - id: mutual-cooperation\n        why: {id: "Pengasuhan',
        '      - id: gotong-royong\n        why: {id: "Pengasuhan',
    )
    edit(patterns, "{question: members, answer: many, points: 6}", "{question: members, answer: lots, points: 6}")
    edit(patterns, "{question: aim, answer: trade, points: 14}", "{question: budget, answer: trade, points: 14}")
    edit(patterns, "    patterns: [nurturing, nucleus-plasma, subcontract]", "    patterns: [nurturing, franchise, subcontract]")
    found = "\n".join(problems_of(data_copy))
    assert "unknown principle 'gotong-royong'" in found
    assert "unknown answer to members 'lots'" in found
    assert "unknown question 'budget'" in found
    assert "unknown pattern 'franchise'" in found


def test_wrong_type_and_unknown_field(data_copy: Path) -> None:
    edit(
        data_copy / "patterns.yaml",
        "{question: horizon, answer: long, points: 6}",
        "{question: horizon, answer: long, points: lots}",
    )
    edit(
        data_copy / "questions.yaml",
        "    kind: one\n    default: business\n",
        "    kind: one\n    default: business\n    colour: red\n",
    )
    found = "\n".join(problems_of(data_copy))
    assert "points: should be number, but is text" in found
    assert "questions[0].colour: unknown field 'colour'" in found


def test_missing_field_and_missing_file(data_copy: Path) -> None:
    (data_copy / "principles.yaml").unlink()
    edit(data_copy / "patterns.yaml", "    aliases: [sejajar, pola-sejajar]\n", "")
    found = "\n".join(problems_of(data_copy))
    assert "principles.yaml" in found and "does not exist" in found
    assert "the required field 'aliases' is missing" in found


def test_python_tag_is_refused_and_never_runs(data_copy: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    edit(data_copy / "patterns.yaml", 'version: "2026.11"', f'version: !!python/object/apply:os.system ["touch {marker}"]')
    (found,) = problems_of(data_copy)
    assert "tag" in found and "python/object/apply" in found
    assert not marker.exists()


def test_alias_bomb_is_refused_quickly(data_copy: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        refs = ",".join(f"*a{level - 1}" for _ in range(9))
        lines.append(f"a{level}: &a{level} [{refs}]")
    (data_copy / "questions.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = "\n".join(problems_of(data_copy))
    assert "too many YAML aliases" in found


def test_not_a_directory(tmp_path: Path) -> None:
    found = problems_of(tmp_path / "nowhere")
    assert "not a rule-data folder" in found[0]


def test_validate_command_reports_and_exits_1(mitra: Invoke, data_copy: Path) -> None:
    edit(data_copy / "principles.yaml", "  - id: transparency\n", "  - id: participation\n")
    for args in (["validate", str(data_copy)], ["--data", str(data_copy), "patterns"]):
        run = mitra(*args)
        assert run.exit_code == 1, args
        assert "principles.yaml:" in run.stderr
        assert "Traceback" not in run.stderr
        assert run.stdout == ""


def test_mitra_data_environment_is_used(mitra: Invoke, data_copy: Path) -> None:
    edit(
        data_copy / "patterns.yaml",
        'name: {id: "Pola sejajar", en: "Parallel"}',
        'name: {id: "Pola sejajar", en: "Side by side"}',
    )
    names = [p["name"] for p in mitra("patterns", "--json", env={"MITRA_DATA": str(data_copy)}).json()]
    assert "Side by side" in names
    assert mitra("validate", "--json", env={"MITRA_DATA": str(data_copy)}).json()["valid"] is True


def test_cache_notices_a_changed_file(data_copy: Path) -> None:
    first = load_rules(data_copy)
    edit(data_copy / "patterns.yaml", 'en: "Parallel"}', 'en: "Side by side"}')
    second = load_rules(data_copy)
    assert first.patterns[4].name.en == "Parallel"
    assert second.patterns[4].name.en == "Side by side"
