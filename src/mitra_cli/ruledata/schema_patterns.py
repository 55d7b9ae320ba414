"""patterns.yaml: the partnership patterns with their scoring rules and
caveats, the score scale, the common caveats, and when the smaller party asks.

Read through a ``Reader`` like every rule file, so each problem is located
by line and field path.  A pattern's fields may say where their text comes
from (``sources``): the seed, an interpretation of it, or a regulation.
"""

from __future__ import annotations

from typing import NamedTuple

from mitra_cli.core.model import Caveat, Condition, Counted, Linked, Pattern, Rule, Text
from mitra_cli.ruledata.reader import SNAKE_ID, Reader
from mitra_cli.ruledata.schema_questions import read_condition
from mitra_cli.ruledata.yamlnodes import Node

_PATTERN_REQUIRED = (
    "id",
    "aliases",
    "name",
    "summary",
    "description",
    "relationship",
    "fits",
    "not_fits",
    "examples",
    "principles",
    "benefits",
    "caveats",
    "steps",
    "statutory_forms",
    "scoring",
)
_PATTERN_OPTIONAL = ("diagram", "capacity_building", "steps_smaller", "sources")
SOURCE_KINDS = ("seed", "interpretation", "regulation")


def _linked(r: Reader, node: Node | None, path: str) -> tuple[Linked, ...]:
    links = []
    for item_path, item in r.items(node, path):
        f = r.fields(item, item_path, ("id", "why"))
        links.append(Linked(r.ident(f.get("id"), f"{item_path}.id"), r.text(f.get("why"), f"{item_path}.why")))
    return tuple(links)


def _caveats(r: Reader, node: Node | None, path: str, common: bool) -> tuple[Caveat, ...]:
    caveats = []
    for item_path, item in r.items(node, path):
        required = ("id", "text") + (("patterns",) if common else ())
        f = r.fields(item, item_path, required, ("when", "items"))
        when = read_condition(r, f.get("when"), f"{item_path}.when")
        caveats.append(
            Caveat(
                id=r.ident(f.get("id"), f"{item_path}.id"),
                text=r.text(f.get("text"), f"{item_path}.text"),
                when=when,
                items=r.texts(f.get("items"), f"{item_path}.items"),
                patterns=r.idents(f.get("patterns"), f"{item_path}.patterns") if common else (),
            )
        )
    return tuple(caveats)


def _pattern(r: Reader, node: Node, path: str) -> Pattern:
    f = r.fields(node, path, _PATTERN_REQUIRED, _PATTERN_OPTIONAL)
    rel = r.fields(f["relationship"], f"{path}.relationship", ("gives", "leads", "subordination")) if "relationship" in f else {}
    rules = []
    seen: set[tuple[str, str]] = set()
    for rule_path, rule_node in r.items(f.get("scoring"), f"{path}.scoring"):
        rf = r.fields(rule_node, rule_path, ("question", "answer", "points"))
        rule = Rule(
            question=r.ident(rf.get("question"), f"{rule_path}.question", SNAKE_ID),
            answer=r.ident(rf.get("answer"), f"{rule_path}.answer"),
            points=r.number(rf.get("points"), f"{rule_path}.points"),
        )
        if (rule.question, rule.answer) in seen:
            # Two rules for one answer would add up silently and break "the reasons explain the score".
            r.add(rule_node.line, rule_path, "data.duplicate_rule", question=rule.question, answer=rule.answer)
            continue
        seen.add((rule.question, rule.answer))
        rules.append(rule)
    diagram = f.get("diagram")
    return Pattern(
        id=r.ident(f.get("id"), f"{path}.id"),
        aliases=r.idents(f.get("aliases"), f"{path}.aliases"),
        name=r.text(f.get("name"), f"{path}.name"),
        summary=r.text(f.get("summary"), f"{path}.summary"),
        description=r.text(f.get("description"), f"{path}.description"),
        gives=r.text(rel.get("gives"), f"{path}.relationship.gives"),
        leads=r.text(rel.get("leads"), f"{path}.relationship.leads"),
        subordination=r.text(rel.get("subordination"), f"{path}.relationship.subordination"),
        fits=r.texts(f.get("fits"), f"{path}.fits"),
        not_fits=r.texts(f.get("not_fits"), f"{path}.not_fits"),
        examples=r.texts(f.get("examples"), f"{path}.examples"),
        diagram=None if diagram is None or diagram.value is None else r.string(diagram, f"{path}.diagram"),
        principles=_linked(r, f.get("principles"), f"{path}.principles"),
        benefits=_linked(r, f.get("benefits"), f"{path}.benefits"),
        caveats=_caveats(r, f.get("caveats"), f"{path}.caveats", common=False),
        steps=r.texts(f.get("steps"), f"{path}.steps"),
        statutory_forms=r.texts(f.get("statutory_forms"), f"{path}.statutory_forms"),
        capacity_building=r.texts(f.get("capacity_building"), f"{path}.capacity_building"),
        scoring=tuple(rules),
        steps_smaller=r.texts(f.get("steps_smaller"), f"{path}.steps_smaller"),
        sources=_sources(r, f.get("sources"), f"{path}.sources", set(_PATTERN_REQUIRED) | set(_PATTERN_OPTIONAL)),
    )


def _sources(r: Reader, node: Node | None, path: str, fields: set[str]) -> tuple[tuple[str, str], ...]:
    """Where each field's text comes from: the seed, an interpretation of it, or a regulation."""
    if node is None or not r.expect(node, path, "mapping"):
        return ()
    found = []
    for name, value in node.value.items():
        kind = r.string(value, f"{path}.{name}")
        if name not in fields:
            r.add(value.line, f"{path}.{name}", "data.unknown_field", field=name, known=", ".join(sorted(fields)))
        if kind not in SOURCE_KINDS:
            r.add(value.line, f"{path}.{name}", "data.bad_value", value=kind, valid=", ".join(SOURCE_KINDS))
        found.append((name, kind))
    return tuple(found)


def _close_call_margin(r: Reader, doc: Node | None) -> float:
    node = doc.value.get("close_call_margin") if doc is not None and isinstance(doc.value, dict) else None
    if node is None:
        return 2.0
    margin = r.number(node, "close_call_margin")
    if margin < 0:
        r.add(node.line, "close_call_margin", "data.positive")
    return margin


def _patterns_and_caveats(r: Reader, doc: Node | None) -> tuple[str, float, Text, tuple[Pattern, ...], tuple[Caveat, ...]]:
    if doc is None:
        return "", 1.0, Text("", ""), (), ()
    top = r.fields(
        doc,
        "",
        ("version", "score_scale", "patterns"),
        ("statutory_source", "common_caveats", "close_call_margin", "smaller_asks", "goal_reason"),
    )
    scale = r.number(top.get("score_scale"), "score_scale")
    if "score_scale" in top and scale <= 0:
        r.add(top["score_scale"].line, "score_scale", "data.positive")
        scale = 1.0
    version_node = top.get("version")
    version = str(version_node.value) if version_node is not None and version_node.kind in ("text", "number") else ""
    if version_node is not None and not version:
        r.add(version_node.line, "version", "data.wrong_type", expected="text", found=version_node.kind)
    statutory = r.text(top.get("statutory_source"), "statutory_source") if "statutory_source" in top else Text("", "")
    patterns = [(_pattern(r, node, path), node, path) for path, node in r.items(top.get("patterns"), "patterns")]
    names = [(p.id, n, f"{path}.id") for p, n, path in patterns]
    names += [(alias, n, f"{path}.aliases") for p, n, path in patterns for alias in p.aliases]
    r.unique(names, "pattern id or alias")
    common = _caveats(r, top.get("common_caveats"), "common_caveats", common=True)
    if not patterns and "patterns" in top:
        r.add(top["patterns"].line, "patterns", "data.empty_list")
    return version, scale, statutory, tuple(p for p, _, _ in patterns), common


class PatternsFile(NamedTuple):
    """What patterns.yaml gives the rule set."""

    version: str
    score_scale: float
    statutory_source: Text
    patterns: tuple[Pattern, ...]
    common_caveats: tuple[Caveat, ...]
    close_call_margin: float
    smaller_asks: Condition
    goal_reason: Counted


def _goal_reason(r: Reader, node: Node | None) -> Counted:
    """`goal_reason`: {one: TEXT, many: TEXT}, chosen by the number of goals named.

    One text for both ({id, en}, as rule data written before the two) is still read, for either count.
    """
    if node is None:
        return Counted(Text("", ""), Text("", ""))
    if isinstance(node.value, dict) and not {"one", "many"} & set(node.value):
        text = r.text(node, "goal_reason")
        return Counted(text, text)
    f = r.fields(node, "goal_reason", ("one", "many"))
    return Counted(r.text(f.get("one"), "goal_reason.one"), r.text(f.get("many"), "goal_reason.many"))


def read_patterns(r: Reader, doc: Node | None) -> PatternsFile:
    """Every field of patterns.yaml, each problem recorded in `r`."""
    version, scale, statutory, patterns, common = _patterns_and_caveats(r, doc)
    close_margin = _close_call_margin(r, doc)
    top = doc.value if doc is not None and isinstance(doc.value, dict) else None
    smaller_asks = read_condition(r, top.get("smaller_asks"), "smaller_asks") if top is not None else ()
    goal_reason = _goal_reason(r, top.get("goal_reason") if top is not None else None)
    return PatternsFile(version, scale, statutory, patterns, common, close_margin, smaller_asks, goal_reason)
