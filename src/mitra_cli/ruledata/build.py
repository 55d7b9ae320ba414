"""Build validated ``Rules`` from the YAML files of a data directory.

Three files make a rule set: questions.yaml, principles.yaml and
patterns.yaml (one ``schema_*`` module reads each, and assessment.yaml when
it is there).  Each is read through a ``Reader`` (every problem located by
file, line and field path); then references between them are checked
(``crossrefs``): a pattern's principles and benefits, a rule's question and
answer, a caveat's condition.  All problems of all files are raised together
as a DataError.
"""

from __future__ import annotations

from pathlib import Path

from mitra_cli.core.errors import DataError, InputFileError, Problem
from mitra_cli.core.model import Rules
from mitra_cli.ruledata.crossrefs import check_references
from mitra_cli.ruledata.files import display_path, read_text
from mitra_cli.ruledata.location import DATA_FILES, OPTIONAL_FILES
from mitra_cli.ruledata.reader import Reader
from mitra_cli.ruledata.schema_assessment import read_assessment
from mitra_cli.ruledata.schema_patterns import read_patterns
from mitra_cli.ruledata.schema_principles import read_principles
from mitra_cli.ruledata.schema_questions import read_questions
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
    principles, benefits, guide = read_principles(p_reader, docs["principles.yaml"])
    found = read_patterns(pat_reader, docs["patterns.yaml"])

    rules = Rules(
        version=found.version,
        source=str(data_dir),
        score_scale=found.score_scale,
        close_call_margin=found.close_call_margin,
        smaller_asks=found.smaller_asks,
        goal_reason=found.goal_reason,
        statutory_source=found.statutory_source,
        patterns=found.patterns,
        principles=principles,
        benefits=benefits,
        guide=guide,
        questions=questions,
        derived=derived,
        common_caveats=found.common_caveats,
        size_classes=size_classes,
        amount_units=units,
    )
    if all(docs.values()):
        check_references(rules, q_reader, pat_reader, docs)
    for name in OPTIONAL_FILES:
        if (data_dir / name).exists():
            reader, doc = read_document(data_dir / name)
            readers.append(reader)
            rules = rules._replace(assessment=read_assessment(reader, doc, rules))
    problems = [problem for reader in readers for problem in reader.problems]
    if problems:
        raise DataError(problems)
    return rules
