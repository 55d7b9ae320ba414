"""`mitra assess`: a health check of an existing partnership, per partner and for all together."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mitra_cli.commands.common import JsonOption, LangOption, ReportOption, check_report_path, chosen_lang, emit, guarded, rules
from mitra_cli.core.errors import MitraError
from mitra_cli.core.lang import Lang
from mitra_cli.core.textsafety import escape
from mitra_cli.views.i18n import message

if TYPE_CHECKING:  # for annotations only: imported lazily where used
    from mitra_cli.core.assessment import ResponseChecker
    from mitra_cli.core.model import Rules


@guarded
def assess(
    answers_files: Annotated[
        list[str] | None,
        typer.Option(
            "--answers", "-a", metavar="FILE", help="One respondent's answers, YAML or JSON (repeat: one file per partner)."
        ),
    ] = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never prompt: a statement not answered counts as don't know.")
    ] = False,
    list_statements: Annotated[
        bool, typer.Option("--list", help="List the statements (with --json: id, dimension, text, reversed).")
    ] = False,
    report: ReportOption = None,
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Check a partnership's health against the principles and trust, one respondent per partner."""
    chosen = chosen_lang(lang)
    loaded = rules()
    assessment = loaded.assessment
    if assessment is None:
        raise MitraError("assess.none")
    if list_statements:
        statements = [
            {"id": s.id, "dimension": s.dimension, "text": s.text.get(chosen), "reversed": s.reversed}
            for s in assessment.statements
        ]
        emit(statements, as_json, chosen, lambda view, obj: view.statements(obj, loaded))
        return
    check_report_path(report, as_json=as_json)

    from mitra_cli.core.assessment import ResponseChecker
    from mitra_cli.core.assessment import assess as score_health

    checker = ResponseChecker(assessment)
    respondents = gather_respondents(checker, answers_files or [], no_input, chosen, loaded)
    result = score_health(respondents, loaded, chosen)
    if report is not None:
        import sys

        from mitra_cli.views.report import write_document

        write_document(report, "assessment", result, loaded, chosen)
        if str(report) != "-":  # on stdout it speaks for itself
            sys.stderr.write(message("report.written", chosen, file=str(report)) + "\n")
    emit(result, as_json, chosen, lambda view, obj: view.health(obj, loaded))


def gather_respondents(
    checker: "ResponseChecker", files: list[str], no_input: bool, lang: Lang, loaded: "Rules"
) -> list[tuple[str, dict[str, Any]]]:
    """(name, responses) for each answers file, or one respondent asked in the terminal."""
    from mitra_cli.ruledata.answerfiles import read_answers_file

    respondents: list[tuple[str, dict[str, Any]]] = []
    names: set[str] = set()
    for file in files:
        raw, lines, source = read_answers_file(file)
        name = "stdin" if file == "-" else escape(Path(file).stem)  # a file name may hold escapes meant for a terminal
        while name in names:
            name += "'"
        names.add(name)
        respondents.append((name, checker.check(raw, source=source, lines=lines)))
    if not respondents:
        respondents.append((message("assess.you", lang), {}))
    completed = []
    can_ask = not no_input and "-" not in files
    for name, responses in respondents:
        missing = checker.missing(responses)
        if missing and can_ask:
            from mitra_cli.views.questionnaire import ask_statements

            responses = ask_statements(loaded, checker, responses, missing, lang, name if len(respondents) > 1 else None)
        completed.append((name, {statement: responses.get(statement) for statement in checker.order}))
    return completed


def register(app: typer.Typer) -> None:
    app.command("assess")(assess)
