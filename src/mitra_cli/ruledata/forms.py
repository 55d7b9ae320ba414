"""Forms for `mitra assess`: a blank (or partly filled) answers file as YAML or CSV, and CSV read back.

The YAML form is an answers file: the instructions and every statement as
comments, each statement's key with its answer (blank until filled in), and
a ``respondent:`` key.  The CSV form holds the same for a spreadsheet: UTF-8
with a byte-order mark (so spreadsheets take it as UTF-8), CRLF line ends,
columns ``id``, ``dimension``, ``statement``, ``answer``; rows without an id
are instructions.  The column names are the file format's own keys, the same
in every language, as the YAML keys are.

Every CSV cell mitra writes that a spreadsheet could take for a formula
(starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a
leading apostrophe, and reading a form takes such an apostrophe off again.
The sentences (instructions, headings) come from the caller, in the user's
language; this module only lays them out.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from mitra_cli.core.errors import AnswersError, InputFileError, Problem
from mitra_cli.core.respondents import RESPONDENT_KEY

COLUMNS = ("id", "dimension", "statement", "answer")
ID_COLUMN, ANSWER_COLUMN = "id", "answer"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class FormItem(NamedTuple):
    id: str
    heading: str  # the dimension's name
    text: str  # the statement


class Form(NamedTuple):
    """What a form says, in one language."""

    intro: Sequence[str]  # the lines of instructions at the top
    respondent_hint: str  # above the respondent's name
    items: Sequence[FormItem]


def escape_cell(text: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def unescape_cell(text: str) -> str:
    """A cell as mitra wrote it before escaping (an apostrophe mitra added is taken off)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def csv_bytes(rows: Sequence[Sequence[str]]) -> bytes:
    """Rows as CSV a spreadsheet opens as UTF-8, every cell formula-escaped."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([escape_cell(cell) for cell in row])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def _comment(text: str) -> list[str]:
    return [f"# {line}".rstrip() for line in text.splitlines() or [""]]


def yaml_form(form: Form, respondent: str | None, answers: Mapping[str, str]) -> bytes:
    """The form as a YAML answers file; `answers` (statement id -> the value as written) fills some keys in."""
    lines: list[str] = []
    for text in form.intro:
        lines += _comment(text)
    lines += ["", *_comment(form.respondent_hint)]
    # A JSON string is a YAML double-quoted scalar: any name stays one value.
    lines.append(f"{RESPONDENT_KEY}: {json.dumps(respondent, ensure_ascii=False)}" if respondent else f"{RESPONDENT_KEY}:")
    heading = None
    for item in form.items:
        if item.heading != heading:
            heading = item.heading
            lines += ["", *_comment(f"== {heading} ==")]
        lines += _comment(item.text)
        value = answers.get(item.id)
        lines.append(f"{item.id}: {value}" if value is not None else f"{item.id}:")
    return ("\n".join(lines) + "\n").encode("utf-8")


def csv_form(form: Form, respondent: str | None, answers: Mapping[str, str]) -> bytes:
    """The form as CSV for a spreadsheet: instructions, the respondent's row, one row per statement."""
    rows: list[list[str]] = [list(COLUMNS)]
    rows += [["", "", text.strip(), ""] for text in form.intro]
    rows.append([RESPONDENT_KEY, "", form.respondent_hint, respondent or ""])
    rows += [[item.id, item.heading, item.text, answers.get(item.id) or ""] for item in form.items]
    return csv_bytes(rows)


def _delimiter(text: str) -> str:
    """Comma as written; a semicolon or tab where a spreadsheet saved the form again in its own way."""
    first = text.split("\n", 1)[0]
    if "," in first:
        return ","
    return ";" if ";" in first else "\t" if "\t" in first else ","


def read_csv_form(text: str, source: str) -> tuple[dict[str, object], dict[str, int]]:
    """A filled-in CSV form as a raw answers mapping (id -> answer, blank as None), with the line of each row."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    mapping: dict[str, object] = {}
    lines: dict[str, int] = {}
    columns: tuple[int, int] | None = None
    try:
        for row in reader:
            cells = [unescape_cell(cell).strip() for cell in row]
            if not any(cells):
                continue
            if columns is None:
                names = [cell.lower() for cell in cells]
                if ID_COLUMN not in names or ANSWER_COLUMN not in names:
                    raise InputFileError("forms.csv_header", file=source, line=reader.line_num)
                columns = names.index(ID_COLUMN), names.index(ANSWER_COLUMN)
                continue
            key = cells[columns[0]] if columns[0] < len(cells) else ""
            if not key:
                continue  # instructions
            if key in mapping:
                raise AnswersError([Problem(source, reader.line_num, key, "yaml.duplicate_key", {"key": key})])
            answer = cells[columns[1]] if columns[1] < len(cells) else ""
            mapping[key] = answer or None
            lines[key] = reader.line_num
    except csv.Error as error:
        raise InputFileError("forms.csv_syntax", file=source, line=reader.line_num, detail=str(error)) from None
    if columns is None:
        raise InputFileError("forms.csv_header", file=source, line=1)
    return mapping, lines
