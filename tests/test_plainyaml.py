"""The plain-YAML reader means exactly what PyYAML means, or steps aside."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mitra_cli.ruledata import plainyaml
from mitra_cli.ruledata.answerfiles import _plain
from mitra_cli.ruledata.yamlnodes import ParseFailure, parse

# Mostly pieces that are plain, sometimes pieces that only look plain: YAML's
# booleans, nulls, numbers, anchors, tags, odd quoting and spacing.
PLAIN = ["capital", "raw-materials", "supply_security", "Business", "two words", "x", "'quoted'", '"dbl quoted"', "''"]
TRICKY = ["y", "n", "yes", "No", "TRUE", "off", "On", "null", "Null", "~", "1", "0x1f", "1.5", ".inf", "2026-11-28"]
TRICKY += ["&a", "*a", "!tag x", "a: b", "a #b", "'it''s'", '"esc\\n"', "#", "- x", "[x]", "{a: b}", "é", "a,b", "x  y", "-x"]
SPACES = ["", " ", "  "]
COMMENTS = ["", "", "", " # a note", "  #x", "#glued"]
KEYS = ["org_type", "offer", "goals", "a_b", "Size", "horizon", "need"]


def word(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(TRICKY)) if draw(st.integers(0, 9)) == 0 else draw(st.sampled_from(PLAIN))


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines = []
    for key in draw(st.lists(st.sampled_from(KEYS), max_size=6)):
        if draw(st.integers(0, 19)) == 0:
            key = draw(st.sampled_from(["yes", "1x", "on", "-k", "k k"]))
        kind = draw(st.sampled_from(["scalar", "scalar", "flow", "block", "block", "blank", "comment", "junk"]))
        gap, note = draw(st.sampled_from([" ", " ", "  ", ""])), draw(st.sampled_from(COMMENTS))
        if kind == "scalar":
            lines.append(f"{key}:{gap}{word(draw)}{note}")
        elif kind == "flow":
            items = [word(draw) for _ in range(draw(st.integers(0, 3)))]
            lines.append(f"{key}:{gap or ' '}[{', '.join(items)}]{note}")
        elif kind == "block":
            lines.append(f"{key}:{draw(st.sampled_from(COMMENTS))}")
            indent = draw(st.sampled_from(SPACES))
            for _ in range(draw(st.integers(0, 3))):
                shift = draw(st.sampled_from([indent] * 8 + [" ", "   "]))
                lines.append(f"{shift}-{draw(st.sampled_from([' ', ' ', '  ']))}{word(draw)}{draw(st.sampled_from(COMMENTS))}")
        elif kind == "blank":
            lines.append(draw(st.sampled_from(SPACES)))
        elif kind == "comment":
            lines.append(f"{draw(st.sampled_from(SPACES))}# note")
        elif draw(st.booleans()):
            lines.append(draw(st.sampled_from(["---", "...", "  indented: x", "key", "\tkey: x", "k:x", "%YAML 1.1"])))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))


def _pyyaml(text: str) -> tuple[object, dict[str, int]] | None:
    try:
        root = parse(text, "test")
    except ParseFailure:
        return None
    if not isinstance(root.value, dict):
        return None
    return {key: _plain(node.value) for key, node in root.value.items()}, {key: node.line for key, node in root.value.items()}


@settings(max_examples=10 * settings.default.max_examples)  # cheap examples: ten times the profile's
@given(documents())
def test_what_the_plain_reader_reads_pyyaml_reads_the_same(text: str) -> None:
    fast = plainyaml.read(text)
    if fast is not None:
        assert fast == _pyyaml(text), text


def test_the_examples_are_read_without_pyyaml() -> None:
    from pathlib import Path

    for path in (Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert plainyaml.read(text) == _pyyaml(text), path.name
