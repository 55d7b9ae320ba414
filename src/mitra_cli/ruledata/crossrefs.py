"""References between the rule files, checked once each file has been read.

A goal choice's principles and benefits, a pattern's principles and
benefits, a rule's question and answer, a caveat's condition, and the
common caveats' patterns must all name something that exists; each unknown
one is a problem located in the file that names it.
"""

from __future__ import annotations

from mitra_cli.core.model import Condition, Rules
from mitra_cli.ruledata.reader import Reader
from mitra_cli.ruledata.yamlnodes import Node


def check_references(rules: Rules, q_reader: Reader, pat_reader: Reader, docs: dict[str, Node | None]) -> None:
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
            node = locate(q_doc, path)
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
            ref(pat_reader, locate(p_doc, path), path, "principle", link.id, principle_ids)
        for li, link in enumerate(pattern.benefits):
            path = f"{base}.benefits[{li}].id"
            ref(pat_reader, locate(p_doc, path), path, "benefit", link.id, benefit_ids)
        for ri, rule in enumerate(pattern.scoring):
            path = f"{base}.scoring[{ri}]"
            node = locate(p_doc, path)
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
            ref(pat_reader, locate(p_doc, path), f"{path}.patterns", "pattern", value, pattern_ids)
        _check_when(caveat.when, f"{path}.when", answerable, pat_reader, p_doc)
    _check_when(rules.smaller_asks, "smaller_asks", answerable, pat_reader, p_doc)


def _check_when(when: Condition, path: str, answerable: dict[str, tuple[str, ...]], reader: Reader, doc: Node) -> None:
    node = locate(doc, path)
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


def locate(doc: Node, path: str) -> Node | None:
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
