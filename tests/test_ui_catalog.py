"""Every interface sentence exists in both languages with the same placeholders, and every key the code uses exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import yaml

from mitra_cli.ruledata.location import shipped_data_dir

SOURCE = Path(__file__).resolve().parent.parent / "src" / "mitra_cli"
CATALOG: dict[str, dict[str, str]] = yaml.safe_load((shipped_data_dir() / "ui.yaml").read_text(encoding="utf-8"))
# message("key", ...), t("key"), MitraError("key", ...), Problem(..., "key", ...), self.t("key") and the like.
USED = re.compile(r"""(?:message|\bt|Error|Problem\([^()]*?|add\([^()]*?)\(?\s*["']([a-z_]+(?:\.[a-z_0-9]+)+)["']""")


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_sentence_has_both_languages_with_the_same_placeholders() -> None:
    for key, entry in CATALOG.items():
        assert set(entry) == {"id", "en"}, key
        assert entry["id"].strip() and entry["en"].strip(), key
        assert _placeholders(entry["id"]) == _placeholders(entry["en"]), key


def test_every_key_the_code_uses_exists() -> None:
    used = {key for path in SOURCE.rglob("*.py") for key in USED.findall(path.read_text(encoding="utf-8"))}
    used -= {"size_classes.question"}  # a field path in a data file, not a sentence
    assert len(used) > 50  # the pattern finds the keys (a pattern that found none would prove nothing)
    missing = sorted(key for key in used if key not in CATALOG)
    assert not missing, missing


def test_a_missing_sentence_fails_loudly_in_tests() -> None:
    import pytest

    from mitra_cli.views.i18n import message

    with pytest.raises(KeyError):
        message("no.such.sentence", "en")
