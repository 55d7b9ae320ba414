"""Build validated ``Rules`` from the YAML files of a data directory.

Three files make a rule set: questions.yaml, principles.yaml and
patterns.yaml.  Each is read through a ``Reader`` (every problem located by
file, line and field path); then references between them are checked: a
pattern's principles and benefits, a rule's question and answer, a caveat's
condition.  All problems of all files are raised together as a DataError.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from mitra_cli.core.errors import DataError, InputFileError, Problem
from mitra_cli.core.model import (
    Assessment,
    Band,
    Caveat,
    Choice,
    Condition,
    Dimension,
    Entry,
    Guide,
    Item,
    Linked,
    Pattern,
    Rule,
    Rules,
    ScaleChoice,
    Statement,
    Text,
    Trust,
    TrustElement,
)
from mitra_cli.ruledata.files import display_path, read_text
from mitra_cli.ruledata.location import DATA_FILES, OPTIONAL_FILES
from mitra_cli.ruledata.reader import SNAKE_ID, Reader
from mitra_cli.ruledata.schema_questions import read_condition, read_questions
from mitra_cli.ruledata.yamlnodes import Node, ParseFailure, parse


def read_document(path: Path) -> tuple[Reader, Node | None]:
    """Parse one data file; unreadable files become problems of its Reader."""
    reader = Reader(display_path(path))
    try:
        return reader, parse(read_text(path, regular_only=True), reader.file)
    except InputFileError as exc:
        params = dict(exc.params)
        line = params.get("line")
        params["file"] = reader.file  # the messages name the file (and line) themselves
        reader.add(line, "", exc.key, **params)
    except ParseFailure as failure:
        reader.problems.extend(failure.problems)
    return reader, None


def build_rules(data_dir: Path) -> Rules:
    """Load and validate every rule file in `data_dir`, or raise DataError."""
    if not data_dir.is_dir():
        raise DataError([Problem(display_path(data_dir), None, "", "data.not_a_dir", {})])
    readers: list[Reader] = []
    docs: dict[str, Node | None] = {}
    for name in DATA_FILES:
        reader, doc = read_document(data_dir / name)
        readers.append(reader)
        docs[name] = doc
    q_reader, p_reader, pat_reader = readers

    questions, derived, size_classes, units = read_questions(q_reader, docs["questions.yaml"])
    principles, benefits, guide = _principles(p_reader, docs["principles.yaml"])
    version, scale, statutory, patterns, common = _patterns(pat_reader, docs["patterns.yaml"])
    close_margin = _close_call_margin(pat_reader, docs["patterns.yaml"])
    pattern_doc = docs["patterns.yaml"]
    smaller_asks = (
        read_condition(pat_reader, pattern_doc.value.get("smaller_asks"), "smaller_asks")
        if pattern_doc is not None and isinstance(pattern_doc.value, dict)
        else ()
    )
    goal_reason = (
        pat_reader.text(pattern_doc.value["goal_reason"], "goal_reason")
        if pattern_doc is not None and isinstance(pattern_doc.value, dict) and "goal_reason" in pattern_doc.value
        else Text("", "")
    )

    rules = Rules(
        version=version,
        source=str(data_dir),
        score_scale=scale,
        close_call_margin=close_margin,
        smaller_asks=smaller_asks,
        goal_reason=goal_reason,
        statutory_source=statutory,
        patterns=patterns,
        principles=principles,
        benefits=benefits,
        guide=guide,
        questions=questions,
        derived=derived,
        common_caveats=common,
        size_classes=size_classes,
        amount_units=units,
    )
    if all(docs.values()):
        _check_references(rules, q_reader, pat_reader, docs)
    for name in OPTIONAL_FILES:
        if (data_dir / name).exists():
            reader, doc = read_document(data_dir / name)
            readers.append(reader)
            rules = rules._replace(assessment=_assessment(reader, doc, rules))
    problems = [problem for reader in readers for problem in reader.problems]
    if problems:
        raise DataError(problems)
    return rules


# -- principles.yaml ----------------------------------------------------------


def _items(r: Reader, node: Node | None, path: str, what: str) -> tuple[Item, ...]:
    items = []
    for item_path, item in r.items(node, path):
        f = r.fields(item, item_path, ("id", "name", "summary", "meaning"))
        items.append(
            (
                Item(
                    id=r.ident(f.get("id"), f"{item_path}.id"),
                    name=r.text(f.get("name"), f"{item_path}.name"),
                    summary=r.text(f.get("summary"), f"{item_path}.summary"),
                    meaning=r.text(f.get("meaning"), f"{item_path}.meaning"),
                ),
                f.get("id"),
                f"{item_path}.id",
            )
        )
    r.unique(((i.id, n, p) for i, n, p in items), what)
    return tuple(i for i, _, _ in items)


def _entries(r: Reader, node: Node | None, path: str, text_field: str, name_field: str | None) -> tuple[Entry, ...]:
    entries = []
    for item_path, item in r.items(node, path):
        required = ("id", text_field) + ((name_field,) if name_field else ())
        f = r.fields(item, item_path, required)
        entries.append(
            (
                Entry(
                    id=r.ident(f.get("id"), f"{item_path}.id"),
                    text=r.text(f.get(text_field), f"{item_path}.{text_field}"),
                    name=r.text(f.get(name_field), f"{item_path}.{name_field}") if name_field else None,
                ),
                f.get("id"),
                f"{item_path}.id",
            )
        )
    r.unique(((e.id, n, p) for e, n, p in entries), path)
    return tuple(e for e, _, _ in entries)


def _principles(r: Reader, doc: Node | None) -> tuple[tuple[Item, ...], tuple[Item, ...], Guide]:
    empty_trust = Trust(Text("", ""), "", ())
    if doc is None:
        return (), (), Guide((), (), empty_trust, (), ())
    top = r.fields(doc, "", ("principles", "benefits", "trust", "reasons", "concept", "examples", "process"))
    principles = _items(r, top.get("principles"), "principles", "principle")
    benefits = _items(r, top.get("benefits"), "benefits", "benefit")

    trust = empty_trust
    if "trust" in top:
        t = r.fields(top["trust"], "trust", ("essence", "diagram", "elements"))
        elements = []
        for path, node in r.items(t.get("elements"), "trust.elements"):
            f = r.fields(node, path, ("id", "role", "name", "meaning"))
            role = r.string(f.get("role"), f"{path}.role")
            if role and role not in ("triangle", "support"):
                r.add(f["role"].line, f"{path}.role", "data.bad_value", value=role, valid="triangle, support")
            elements.append(
                (
                    TrustElement(
                        id=r.ident(f.get("id"), f"{path}.id"),
                        role=role,
                        name=r.text(f.get("name"), f"{path}.name"),
                        meaning=r.text(f.get("meaning"), f"{path}.meaning"),
                    ),
                    f.get("id"),
                    f"{path}.id",
                )
            )
        r.unique(((e.id, n, p) for e, n, p in elements), "trust element")
        trust = Trust(
            essence=r.text(t.get("essence"), "trust.essence"),
            diagram=r.string(t.get("diagram"), "trust.diagram"),
            elements=tuple(e for e, _, _ in elements),
        )
    guide = Guide(
        reasons=_entries(r, top.get("reasons"), "reasons", "text", None),
        concept=_entries(r, top.get("concept"), "concept", "text", None),
        trust=trust,
        examples=_entries(r, top.get("examples"), "examples", "text", "who"),
        process=_entries(r, top.get("process"), "process", "text", "name"),
    )
    return principles, benefits, guide


# -- patterns.yaml ------------------------------------------------------------

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


def _patterns(r: Reader, doc: Node | None) -> tuple[str, float, Text, tuple[Pattern, ...], tuple[Caveat, ...]]:
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


# -- cross-file references ----------------------------------------------------


def _check_references(rules: Rules, q_reader: Reader, pat_reader: Reader, docs: dict[str, Node | None]) -> None:
    principle_ids = [p.id for p in rules.principles]
    benefit_ids = [b.id for b in rules.benefits]
    pattern_ids = [p.id for p in rules.patterns]
    answerable = {q.id: q.values for q in rules.questions}
    answerable.update({d.id: d.values for d in rules.derived})

    def ref(reader: Reader, node: Node | None, path: str, what: str, value: str, valid: list[str]) -> None:
        if value and value not in valid:
            reader.add(node.line if node else None, path, "data.unknown_ref", what=what, value=value, valid=", ".join(valid))

    # Goal choices link to principles and benefits.
    q_doc = docs["questions.yaml"]
    assert q_doc is not None
    for qi, question in enumerate(rules.questions):
        for ci, choice in enumerate(question.choices):
            path = f"questions[{qi}].choices[{ci}]"
            node = _locate(q_doc, path)
            for value in choice.benefits:
                ref(q_reader, node, f"{path}.benefits", "benefit", value, benefit_ids)
            for value in choice.principles:
                ref(q_reader, node, f"{path}.principles", "principle", value, principle_ids)

    p_doc = docs["patterns.yaml"]
    assert p_doc is not None
    for pi, pattern in enumerate(rules.patterns):
        base = f"patterns[{pi}]"
        for li, link in enumerate(pattern.principles):
            path = f"{base}.principles[{li}].id"
            ref(pat_reader, _locate(p_doc, path), path, "principle", link.id, principle_ids)
        for li, link in enumerate(pattern.benefits):
            path = f"{base}.benefits[{li}].id"
            ref(pat_reader, _locate(p_doc, path), path, "benefit", link.id, benefit_ids)
        for ri, rule in enumerate(pattern.scoring):
            path = f"{base}.scoring[{ri}]"
            node = _locate(p_doc, path)
            if rule.question and rule.question not in answerable:
                ref(pat_reader, node, f"{path}.question", "question", rule.question, list(answerable))
            elif rule.question:
                ref(
                    pat_reader, node, f"{path}.answer", f"answer to {rule.question}", rule.answer, list(answerable[rule.question])
                )
        for ci, caveat in enumerate(pattern.caveats):
            _check_when(caveat.when, f"{base}.caveats[{ci}].when", answerable, pat_reader, p_doc)
    for ci, caveat in enumerate(rules.common_caveats):
        path = f"common_caveats[{ci}]"
        for value in caveat.patterns:
            ref(pat_reader, _locate(p_doc, path), f"{path}.patterns", "pattern", value, pattern_ids)
        _check_when(caveat.when, f"{path}.when", answerable, pat_reader, p_doc)
    _check_when(rules.smaller_asks, "smaller_asks", answerable, pat_reader, p_doc)


def _check_when(when: Condition, path: str, answerable: dict[str, tuple[str, ...]], reader: Reader, doc: Node) -> None:
    node = _locate(doc, path)
    for question, values in when:
        if question not in answerable:
            reader.add(
                node.line if node else None,
                f"{path}.when.{question}",
                "data.unknown_ref",
                what="question",
                value=question,
                valid=", ".join(answerable),
            )
            continue
        for value in values:
            if value not in answerable[question]:
                reader.add(
                    node.line if node else None,
                    f"{path}.when.{question}",
                    "data.unknown_ref",
                    what=f"answer to {question}",
                    value=value,
                    valid=", ".join(answerable[question]),
                )


def _locate(doc: Node, path: str) -> Node | None:
    """The node at a field path such as ``patterns[2].scoring[4]``, if present."""
    node: Node | None = doc
    for part in path.replace("[", ".[").split("."):
        if node is None or not part:
            continue
        if part.startswith("["):
            index = int(part[1:-1])
            node = node.value[index] if isinstance(node.value, list) and index < len(node.value) else None
        else:
            node = node.value.get(part) if isinstance(node.value, dict) else None
    return node


# -- assessment.yaml ---------------------------------------------------------------


def _assessment(r: Reader, doc: Node | None, rules: Rules) -> Assessment | None:
    if doc is None:
        return None
    top = r.fields(doc, "", ("scale", "dont_know", "bands", "dispute_spread", "dimensions"))
    scale = []
    for path, node in r.items(top.get("scale"), "scale"):
        f = r.fields(node, path, ("value", "label"))
        value = r.number(f.get("value"), f"{path}.value")
        if "value" in f and not value.is_integer():
            r.add(f["value"].line, f"{path}.value", "data.wrong_type", expected="whole number", found="number")
        scale.append(ScaleChoice(int(value), r.text(f.get("label"), f"{path}.label")))
    values = [choice.value for choice in scale]
    if values and values != list(range(values[0], values[0] + len(values))):
        r.add(top["scale"].line, "scale", "data.scale_steps")
    dont_know = Choice("", Text("", ""))
    if "dont_know" in top:
        f = r.fields(top["dont_know"], "dont_know", ("value", "label"))
        dont_know = Choice(r.ident(f.get("value"), "dont_know.value"), r.text(f.get("label"), "dont_know.label"))
    bands = []
    for path, node in r.items(top.get("bands"), "bands"):
        f = r.fields(node, path, ("id", "from", "label"), ("weak",))
        weak = f.get("weak")
        if weak is not None and not isinstance(weak.value, bool):
            r.add(weak.line, f"{path}.weak", "data.wrong_type", expected="yes/no", found=weak.kind)
        bands.append(
            Band(
                r.ident(f.get("id"), f"{path}.id"),
                r.number(f.get("from"), f"{path}.from"),
                r.text(f.get("label"), f"{path}.label"),
                weak is not None and weak.value is True,
            )
        )
    if any(later.start >= earlier.start for earlier, later in itertools.pairwise(bands)):
        r.add(top["bands"].line, "bands", "data.bands_order")
    if bands and values and bands[-1].start > min(values):
        r.add(top["bands"].line, "bands", "data.bands_floor", low=min(values))
    spread = r.number(top.get("dispute_spread"), "dispute_spread")
    if "dispute_spread" in top and spread <= 0:
        r.add(top["dispute_spread"].line, "dispute_spread", "data.positive")
    known = {p.id: "principle" for p in rules.principles} | {e.id: "trust" for e in rules.guide.trust.elements}
    dimensions = []
    statement_ids: list[tuple[str, Node | None, str]] = []
    for path, node in r.items(top.get("dimensions"), "dimensions"):
        f = r.fields(node, path, ("id", "kind", "statements", "actions"))
        dimension_id = r.ident(f.get("id"), f"{path}.id")
        kind = r.string(f.get("kind"), f"{path}.kind")
        if dimension_id and dimension_id not in known:
            r.add(
                node.line,
                f"{path}.id",
                "data.unknown_ref",
                what="principle or trust element",
                value=dimension_id,
                valid=", ".join(known),
            )
        elif dimension_id and kind and known[dimension_id] != kind:
            r.add(f["kind"].line, f"{path}.kind", "data.bad_value", value=kind, valid=known[dimension_id])
        statements = []
        for statement_path, statement_node in r.items(f.get("statements"), f"{path}.statements"):
            g = r.fields(statement_node, statement_path, ("id", "text"), ("reversed",))
            reversed_node = g.get("reversed")
            if reversed_node is not None and not isinstance(reversed_node.value, bool):
                r.add(
                    reversed_node.line,
                    f"{statement_path}.reversed",
                    "data.wrong_type",
                    expected="yes/no",
                    found=reversed_node.kind,
                )
            statement_id = r.ident(g.get("id"), f"{statement_path}.id")
            statement_ids.append((statement_id, g.get("id"), f"{statement_path}.id"))
            statements.append(
                Statement(
                    statement_id,
                    dimension_id,
                    r.text(g.get("text"), f"{statement_path}.text"),
                    bool(reversed_node is not None and reversed_node.value is True),
                )
            )
        if "statements" in f and not statements:
            r.add(f["statements"].line, f"{path}.statements", "data.empty_list")
        dimensions.append(
            (Dimension(dimension_id, kind, tuple(statements), r.texts(f.get("actions"), f"{path}.actions")), node, path)
        )
    r.unique(statement_ids, "statement")
    r.unique(((d.id, n, f"{p}.id") for d, n, p in dimensions), "dimension")
    return Assessment(tuple(scale), dont_know, tuple(bands), spread, tuple(d for d, _, _ in dimensions))
