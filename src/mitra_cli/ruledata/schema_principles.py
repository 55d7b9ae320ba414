"""principles.yaml: the principles, the benefits, and the guide (reasons,
concept, trust, examples, process).

Read through a ``Reader`` like every rule file, so each problem is located
by line and field path.
"""

from __future__ import annotations

from mitra_cli.core.model import Entry, Guide, Item, Text, Trust, TrustElement
from mitra_cli.ruledata.reader import Reader
from mitra_cli.ruledata.yamlnodes import Node


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


def read_principles(r: Reader, doc: Node | None) -> tuple[tuple[Item, ...], tuple[Item, ...], Guide]:
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
