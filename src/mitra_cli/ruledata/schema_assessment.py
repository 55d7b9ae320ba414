"""assessment.yaml (optional): the scale, the bands and the dimensions of the
partnership assessment.

Read after the other files, since each dimension names a principle or a
trust element of principles.yaml.
"""

from __future__ import annotations

import itertools

from mitra_cli.core.model import Assessment, Band, Choice, Dimension, Rules, ScaleChoice, Statement, Text
from mitra_cli.ruledata.reader import Reader
from mitra_cli.ruledata.yamlnodes import Node


def read_assessment(r: Reader, doc: Node | None, rules: Rules) -> Assessment | None:
    if doc is None:
        return None
    top = r.fields(doc, "", ("scale", "dont_know", "bands", "dispute_spread", "dimensions"), ("anonymity_floor",))
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
    floor = r.number(top.get("anonymity_floor"), "anonymity_floor")  # absent: the rule set states no minimum
    if "anonymity_floor" in top and (floor < 1 or not floor.is_integer()):
        r.add(
            top["anonymity_floor"].line, "anonymity_floor", "data.wrong_type", expected="whole number above 0", found=str(floor)
        )
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
    return Assessment(tuple(scale), dont_know, tuple(bands), spread, tuple(d for d, _, _ in dimensions), int(floor))
