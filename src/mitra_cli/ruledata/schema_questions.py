"""questions.yaml: the questionnaire, the derived facts, size classes and amount units.

Read through a ``Reader`` like every rule file, so each problem is located
by line and field path.  Derived facts are checked here too: each may only
look at questions and at the facts above it, with values those can have.
"""

from __future__ import annotations

from mitra_cli.core.engine import COMPARE_VALUES
from mitra_cli.core.model import Choice, Condition, Derived, DerivedCase, Question, SizeClass, SizeClasses
from mitra_cli.ruledata.reader import SNAKE_ID, Reader
from mitra_cli.ruledata.yamlnodes import Node


def _choices(r: Reader, node: Node | None, path: str) -> tuple[Choice, ...]:
    choices = []
    for item_path, item in r.items(node, path):
        f = r.fields(item, item_path, ("value", "label"), ("benefits", "principles"))
        choices.append(
            Choice(
                value=r.ident(f.get("value"), f"{item_path}.value"),
                label=r.text(f.get("label"), f"{item_path}.label"),
                benefits=r.idents(f.get("benefits"), f"{item_path}.benefits"),
                principles=r.idents(f.get("principles"), f"{item_path}.principles"),
            )
        )
    r.unique(((c.value, node, path) for c in choices), "choice")
    if node is not None and node.kind == "list" and not choices:
        r.add(node.line, path, "data.empty_list")
    return tuple(choices)


def _size_classes(r: Reader, node: Node | None, questions: dict[str, Question]) -> SizeClasses | None:
    if node is None:
        return None
    f = r.fields(node, "size_classes", ("question", "source", "classes"))
    question_id = r.ident(f.get("question"), "size_classes.question", SNAKE_ID)
    question = questions.get(question_id)
    if question_id and question is None and "question" in f:
        r.add(
            f["question"].line,
            "size_classes.question",
            "data.unknown_ref",
            what="question",
            value=question_id,
            valid=", ".join(questions),
        )
    classes = []
    previous = {"capital": 0, "sales": 0}
    items = r.items(f.get("classes"), "size_classes.classes")
    for index, (path, item) in enumerate(items):
        g = r.fields(item, path, ("value",), ("capital", "sales"))
        value = r.ident(g.get("value"), f"{path}.value")
        if question is not None and value and value not in question.values:
            r.add(item.line, f"{path}.value", "data.bad_value", value=value, valid=", ".join(question.values))
        bounds: dict[str, int | None] = {}
        for criterion in ("capital", "sales"):
            if criterion not in g:
                bounds[criterion] = None
                if index < len(items) - 1:
                    r.add(item.line, f"{path}.{criterion}", "data.missing_field", field=criterion)
                continue
            amount = r.number(g[criterion], f"{path}.{criterion}")
            if amount <= previous[criterion] or not amount.is_integer():
                r.add(g[criterion].line, f"{path}.{criterion}", "data.rising_bound")
            bounds[criterion] = int(amount)
            previous[criterion] = int(amount)
        classes.append(SizeClass(value, bounds["capital"], bounds["sales"]))
    return SizeClasses(question_id, r.text(f.get("source"), "size_classes.source"), tuple(classes))


def _units(r: Reader, node: Node | None) -> tuple[tuple[str, int], ...]:
    if node is None or not r.expect(node, "amount_units", "mapping"):
        return ()
    units = []
    for word, value in node.value.items():
        amount = r.number(value, f"amount_units.{word}")
        if amount <= 0 or not amount.is_integer():
            r.add(value.line, f"amount_units.{word}", "data.positive")
        units.append((word.lower(), int(amount)))
    return tuple(units)


def _count(node: Node | None) -> int:
    """How many items a list node holds (0 if it is not a list)."""
    return len(node.value) if node is not None and isinstance(node.value, list) else 0


def read_questions(
    r: Reader, doc: Node | None
) -> tuple[tuple[Question, ...], tuple[Derived, ...], SizeClasses | None, tuple[tuple[str, int], ...]]:
    if doc is None:
        return (), (), None, ()
    top = r.fields(doc, "", ("questions",), ("derived", "size_classes", "amount_units"))
    questions = []
    for path, node in r.items(top.get("questions"), "questions"):
        f = r.fields(
            node,
            path,
            ("id", "kind", "short", "text", "help", "choices"),
            ("default", "min_choices", "amount", "scale", "optional", "when"),
        )
        kind = r.string(f.get("kind"), f"{path}.kind")
        if kind and kind not in ("one", "many") and "kind" in f:
            r.add(f["kind"].line, f"{path}.kind", "data.bad_value", value=kind, valid="one, many")
        question = Question(
            id=r.ident(f.get("id"), f"{path}.id", SNAKE_ID),
            kind="many" if kind == "many" else "one",  # a wrong kind was reported just above
            short=r.text(f.get("short"), f"{path}.short"),
            text=r.text(f.get("text"), f"{path}.text"),
            help=r.text(f.get("help"), f"{path}.help"),
            choices=_choices(r, f.get("choices"), f"{path}.choices"),
            default=r.string(f["default"], f"{path}.default") if "default" in f else None,
            min_choices=r.whole(f["min_choices"], f"{path}.min_choices", 0, _count(f.get("choices")))
            if "min_choices" in f
            else 0,
            amount=r.string(f["amount"], f"{path}.amount") if "amount" in f else None,
            scale=r.idents(f.get("scale"), f"{path}.scale"),
            optional=r.flag(f.get("optional"), f"{path}.optional"),
            when=_alternatives(r, f.get("when"), f"{path}.when"),
        )
        for value in question.scale:
            if value and question.choices and value not in question.values:
                r.add(f["scale"].line, f"{path}.scale", "data.bad_value", value=value, valid=", ".join(question.values))
        if question.default is not None and question.default not in question.values and question.choices:
            r.add(
                f["default"].line, f"{path}.default", "data.bad_value", value=question.default, valid=", ".join(question.values)
            )
        questions.append((question, node, path))
    r.unique(((q.id, node, f"{path}.id") for q, node, path in questions), "question")
    by_id = {q.id: q for q, _, _ in questions}

    derived = _derived(r, top.get("derived"), by_id)
    all_ids = [(q.id, n, f"{p}.id") for q, n, p in questions] + [(d.id, n, f"{p}.id") for d, n, p in derived]
    r.unique(all_ids, "question")
    # What each name can be: a question's values or a fact's, for conditions on either.
    known = {q.id: q.values for q in by_id.values()} | {d.id: d.values for d, _, _ in derived}
    for question, node, path in questions:
        _check_condition_refs(r, node, f"{path}.when", [c for alt in question.when for c in alt], known)
    return (
        tuple(by_id.values()),
        tuple(d for d, _, _ in derived),
        _size_classes(r, top.get("size_classes"), by_id),
        _units(r, top.get("amount_units")),
    )


def read_condition(r: Reader, node: Node | None, path: str) -> Condition:
    """A mapping {question or fact: [values]}, all of which must hold."""
    if node is None or not r.expect(node, path, "mapping"):
        return ()
    return tuple((name, r.idents(values, f"{path}.{name}")) for name, values in node.value.items())


def _alternatives(r: Reader, node: Node | None, path: str) -> tuple[Condition, ...]:
    """A condition, or a list of conditions of which one must hold."""
    if node is None:
        return ()
    if node.kind == "list":
        return tuple(read_condition(r, item, item_path) for item_path, item in r.items(node, path))
    return (read_condition(r, node, path),)


def _check_condition_refs(
    r: Reader, node: Node, path: str, condition: list[tuple[str, tuple[str, ...]]], known: dict[str, tuple[str, ...]]
) -> None:
    for name, values in condition:
        if name not in known:
            r.add(node.line, f"{path}.{name}", "data.unknown_ref", what="question", value=name, valid=", ".join(known))
            continue
        for value in values:
            if value not in known[name]:
                r.add(
                    node.line,
                    f"{path}.{name}",
                    "data.unknown_ref",
                    what=f"answer to {name}",
                    value=value,
                    valid=", ".join(known[name]),
                )


def _derived(r: Reader, node: Node | None, questions: dict[str, Question]) -> list[tuple[Derived, Node, str]]:
    """The derived facts, in order; each may look at questions and the facts above it."""
    derived: list[tuple[Derived, Node, str]] = []
    # Names visible so far, with their values and the questions behind them.
    values: dict[str, tuple[str, ...]] = {q.id: q.values for q in questions.values()}
    inputs: dict[str, tuple[str, ...]] = {q.id: (q.id,) for q in questions.values()}
    for path, item in r.items(node, "derived"):
        f = r.fields(item, path, ("id", "short"), ("compare", "values", "values_from", "kind", "cases"))
        fact_id = r.ident(f.get("id"), f"{path}.id", SNAKE_ID)
        kind = r.string(f["kind"], f"{path}.kind") if "kind" in f else "one"
        if kind not in ("one", "many"):
            r.add(f["kind"].line, f"{path}.kind", "data.bad_value", value=kind, valid="one, many")
        choices = _fact_choices(r, f, path, questions)
        if ("compare" in f) == ("cases" in f):
            r.add(item.line, path, "data.derived_how")
        compare: tuple[str, ...] = ()
        cases: list[DerivedCase] = []
        if "compare" in f:
            compare = r.idents(f.get("compare"), f"{path}.compare", SNAKE_ID)
            if len(compare) != 2:
                r.add(f["compare"].line, f"{path}.compare", "data.compare_pair")
            for name in compare:
                if name and name not in questions:
                    r.add(
                        f["compare"].line,
                        f"{path}.compare",
                        "data.unknown_ref",
                        what="question",
                        value=name,
                        valid=", ".join(questions),
                    )
            if choices and set(values_of(choices)) != set(COMPARE_VALUES):
                r.add(item.line, f"{path}.values", "data.compare_values", valid=", ".join(COMPARE_VALUES))
        own_values = values_of(choices)
        for case_path, case_node in r.items(f.get("cases"), f"{path}.cases"):
            cases.append(_case(r, case_node, case_path, values, questions, own_values))
        depends: list[str] = [name for name in compare if name in inputs]
        for case in cases:
            for name, _ in case.when:
                depends += inputs.get(name, ())
            depends += [name for name in case.sources if name in questions]
        fact = Derived(
            id=fact_id,
            compare=(compare[0], compare[1]) if len(compare) == 2 else ("", ""),
            short=r.text(f.get("short"), f"{path}.short"),
            choices=choices,
            kind=kind,
            cases=tuple(cases),
            inputs=tuple(dict.fromkeys(depends)),
        )
        derived.append((fact, item, path))
        values[fact.id] = own_values
        inputs[fact.id] = fact.inputs
    return derived


def values_of(choices: tuple[Choice, ...]) -> tuple[str, ...]:
    return tuple(choice.value for choice in choices)


def _fact_choices(r: Reader, f: dict[str, Node], path: str, questions: dict[str, Question]) -> tuple[Choice, ...]:
    """A fact's own values, or those of the question named by `values_from`."""
    if ("values" in f) == ("values_from" in f):
        r.add(None, path, "data.derived_values")
        return ()
    if "values" in f:
        return _choices(r, f.get("values"), f"{path}.values")
    source = r.ident(f.get("values_from"), f"{path}.values_from", SNAKE_ID)
    if source not in questions:
        r.add(
            f["values_from"].line,
            f"{path}.values_from",
            "data.unknown_ref",
            what="question",
            value=source,
            valid=", ".join(questions),
        )
        return ()
    return tuple(Choice(c.value, c.label) for c in questions[source].choices)


def _case(
    r: Reader,
    node: Node,
    path: str,
    visible: dict[str, tuple[str, ...]],
    questions: dict[str, Question],
    own_values: tuple[str, ...],
) -> DerivedCase:
    f = r.fields(node, path, (), ("when", "value", "from", "map"))
    when = read_condition(r, f.get("when"), f"{path}.when")
    _check_condition_refs(r, node, f"{path}.when", list(when), visible)
    # `value: ~` (null) is a case that gives no fact: "when this holds, say nothing".
    no_fact = "value" in f and f["value"].value is None
    value = r.ident(f["value"], f"{path}.value") if "value" in f and not no_fact else None
    sources = r.idents(f.get("from"), f"{path}.from", SNAKE_ID)
    if ("value" in f) == ("from" in f):
        r.add(node.line, path, "data.derived_case")
    if value is not None and value not in own_values and own_values:
        r.add(f["value"].line, f"{path}.value", "data.bad_value", value=value, valid=", ".join(own_values))
    for name in sources:
        if name not in questions:
            r.add(f["from"].line, f"{path}.from", "data.unknown_ref", what="question", value=name, valid=", ".join(questions))
    mapping: list[tuple[str, str]] = []
    if "map" in f and r.expect(f["map"], f"{path}.map", "mapping"):
        answerable = {v for name in sources if name in questions for v in questions[name].values}
        for answer, target in f["map"].value.items():
            to = r.ident(target, f"{path}.map.{answer}")
            if answer not in answerable:
                r.add(target.line, f"{path}.map.{answer}", "data.bad_value", value=answer, valid=", ".join(sorted(answerable)))
            if to not in own_values:
                r.add(target.line, f"{path}.map.{answer}", "data.bad_value", value=to, valid=", ".join(own_values))
            mapping.append((answer, to))
    return DerivedCase(when=when, value=value, sources=sources, mapping=tuple(mapping))
