"""The catalogue commands, as data (JSON) and as text, in both languages."""

from __future__ import annotations

import re

import pytest

from conftest import Invoke

PATTERN_IDS = ["nurturing", "nucleus-plasma", "subcontract", "futuristic", "parallel", "needs-based"]
PRINCIPLE_IDS = ["participation", "mutual-cooperation", "transparency", "rule-of-law", "sustainability"]
BENEFIT_IDS = [
    "efficiency",
    "innovation",
    "continuous-improvement",
    "performance",
    "complementarity",
    "wider-access",
    "mutual-evaluation",
    "agreed-standards",
]
TRUST_IDS = {"honesty", "fairness", "wisdom", "accountability", "responsibility", "authority"}
ANSI = re.compile(r"\x1b\[")


def test_patterns_json_lists_the_six_contract_ids(mitra: Invoke) -> None:
    run = mitra("patterns", "--json")
    assert run.exit_code == 0
    items = run.json()
    assert [p["id"] for p in items] == PATTERN_IDS
    assert all(p["name"] and p["summary"] for p in items)


def test_principles_and_benefits_json(mitra: Invoke) -> None:
    principles = mitra("principles", "--json").json()
    benefits = mitra("benefits", "--json").json()
    assert [p["id"] for p in principles] == PRINCIPLE_IDS
    assert [b["id"] for b in benefits] == BENEFIT_IDS
    assert all(item["name"] and item["summary"] and item["meaning"] for item in principles + benefits)


def test_guide_json_has_its_parts_and_the_six_trust_ids(mitra: Invoke) -> None:
    guide = mitra("guide", "--json").json()
    assert {"reasons", "concept", "trust", "examples", "process"} <= set(guide)
    assert {t["id"] for t in guide["trust"]} == TRUST_IDS
    assert len(guide["reasons"]) == 4
    assert len(guide["concept"]) == 4
    assert [p["id"] for p in guide["process"]] == ["mission-statement", "agreed-goals", "partnership-workshop"]


@pytest.mark.parametrize("typed", ["inti-plasma", "nucleus-plasma", "INTI_PLASMA", "pola inti plasma"])
def test_show_accepts_ids_and_aliases(mitra: Invoke, typed: str) -> None:
    run = mitra("patterns", "show", typed, "--json")
    assert run.exit_code == 0
    shown = run.json()
    assert shown["id"] == "nucleus-plasma"
    assert "Plasma" in shown["diagram"]
    assert shown["statutory_forms"]
    assert shown["scoring"]


def test_subcontract_carries_the_five_capacity_building_areas(mitra: Invoke) -> None:
    shown = mitra("patterns", "show", "subkontrak", "--json").json()
    assert len(shown["capacity_building"]) == 5


def test_futuristic_and_needs_based_draw_the_seed_diagrams(mitra: Invoke) -> None:
    assert "Utama" in mitra("patterns", "show", "futuristik", "--json").json()["diagram"]
    levels = mitra("patterns", "show", "sesuai-kebutuhan", "--json").json()["diagram"]
    assert all(level in levels for level in ("I", "II", "III"))


def test_unknown_pattern_lists_the_valid_ones(mitra: Invoke) -> None:
    run = mitra("patterns", "show", "franchise")
    assert run.exit_code == 2
    assert "franchise" in run.stderr
    assert all(pid in run.stderr for pid in PATTERN_IDS)
    assert "Traceback" not in run.stderr
    assert run.stdout == ""


def test_every_pattern_has_different_names_in_each_language(mitra: Invoke) -> None:
    english = mitra("patterns", "--json", env={"MITRA_LANG": "en"}).json()
    indonesian = mitra("patterns", "--json", env={"MITRA_LANG": "id"}).json()
    for en, id_ in zip(english, indonesian, strict=False):
        assert en["id"] == id_["id"]
        assert en["name"] != id_["name"]
        assert en["summary"] != id_["summary"]


def test_lang_option_beats_environment(mitra: Invoke) -> None:
    names = [p["name"] for p in mitra("patterns", "--json", "--lang", "id", env={"MITRA_LANG": "en"}).json()]
    assert "Pola asuh" in names


def test_locale_picks_indonesian(mitra: Invoke) -> None:
    names = [p["name"] for p in mitra("patterns", "--json", env={"LANG": "id_ID.UTF-8"}).json()]
    assert "Pola asuh" in names


def test_bad_lang_is_a_usage_error(mitra: Invoke) -> None:
    run = mitra("patterns", "--lang", "fr")
    assert run.exit_code == 2


SEED_TERMS = [
    "gotong royong",
    "sambat sinambat",
    "mitra cai",
    "mangrove",
    "SMK",
    "ITB",
    "Bandung",
    "keagenan",
    "Toyota",
    "Pertamina",
    "desa hutan",
    "e-learning",
    "lokakarya kemitraan",
    "reward and punishment",
    "Utama",
    "Plasma",
]


def test_seed_terms_are_found_in_the_indonesian_output(mitra: Invoke) -> None:
    env = {"MITRA_LANG": "id"}
    text = "".join(
        mitra(*args, env=env).stdout
        for args in (["guide"], ["principles"], ["benefits"], ["patterns"], *(["patterns", "show", pid] for pid in PATTERN_IDS))
    )
    missing = [term for term in SEED_TERMS if term.lower() not in text.lower()]
    assert missing == []


def test_human_output_is_translated(mitra: Invoke) -> None:
    assert "Lima prinsip kemitraan" in mitra("principles", "--lang", "id").stdout
    assert "The five principles of partnership" in mitra("principles", "--lang", "en").stdout


def test_piped_output_has_no_colour_codes_even_without_no_color(mitra: Invoke) -> None:
    run = mitra("patterns", "show", "asuh", env={"NO_COLOR": ""})
    assert run.exit_code == 0
    assert not ANSI.search(run.stdout)


@pytest.mark.parametrize("args", [["patterns"], ["guide"], ["patterns", "show", "futuristic"], ["questions"]])
def test_json_is_valid_at_any_width(mitra: Invoke, args: list[str]) -> None:
    narrow = mitra(*args, "--json", env={"COLUMNS": "20"}).json()
    wide = mitra(*args, "--json", env={"COLUMNS": "300"}).json()
    assert narrow == wide


def test_compare_json_gives_each_full_pattern(mitra: Invoke) -> None:
    run = mitra("patterns", "compare", "asuh", "inti-plasma", "sejajar", "--json")
    assert run.exit_code == 0
    patterns = run.json()["patterns"]
    assert [p["id"] for p in patterns] == ["nurturing", "nucleus-plasma", "parallel"]
    assert all({"relationship", "principles", "benefits", "caveats", "statutory_forms"} <= set(p) for p in patterns)


def test_compare_shows_columns_for_people(mitra: Invoke) -> None:
    run = mitra("patterns", "compare", "subcontract", "parallel", env={"COLUMNS": "160"})
    assert run.exit_code == 0
    assert "Subcontract" in run.stdout and "Parallel" in run.stdout
    assert "Who brings what" in run.stdout


def test_compare_needs_two(mitra: Invoke) -> None:
    run = mitra("patterns", "compare", "asuh")
    assert run.exit_code == 2
    assert "at least two" in run.stderr


def test_version(mitra: Invoke) -> None:
    run = mitra("--version")
    assert run.exit_code == 0
    assert run.stdout.startswith("mitra ")


def test_every_command_has_help(mitra: Invoke) -> None:
    top = mitra("--help")
    assert top.exit_code == 0
    for command in ("patterns", "principles", "benefits", "guide", "questions", "validate", "recommend"):
        run = mitra(command, "--help")
        assert run.exit_code == 0, command
        assert len(run.stdout.strip().splitlines()) > 3, command
