"""`mitra recommend`: gather answers, score every pattern, show the recommendation."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mitra_cli.cli import JsonOption, LangOption, ReportOption, check_report_path, chosen_lang, guarded, human_view, rules
from mitra_cli.errors import EXIT_INVALID
from mitra_cli.i18n import Lang, message

if TYPE_CHECKING:  # for annotations only: imported lazily where used
    from mitra_cli.advisor import Advisor


@guarded
def recommend(
    answers_file: Annotated[
        str | None,
        typer.Option(
            "--answers", "-a", metavar="FILE", help="Answers as YAML or JSON ('-' reads stdin). With --batch: JSON Lines."
        ),
    ] = None,
    set_options: Annotated[
        list[str] | None,
        typer.Option("--set", "-s", metavar="ID=VALUE", help="Answer one question (repeatable; commas for several values)."),
    ] = None,
    no_input: Annotated[bool, typer.Option("--no-input", help="Never prompt: a missing answer is an error.")] = False,
    save_answers: Annotated[
        Path | None, typer.Option("--save-answers", metavar="FILE", help="Write the answers used, to replay the session.")
    ] = None,
    batch: Annotated[
        bool,
        typer.Option("--batch", help="Read JSON Lines (one answers object per line) and write one result line per input line."),
    ] = False,
    what_if: Annotated[
        bool, typer.Option("--what-if", help="With --batch: add what_if to every line (more work per line).")
    ] = False,
    report: ReportOption = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=0, help="With --batch: worker processes (0 = one per CPU, at most 4).")
    ] = 0,
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Answer the questionnaire and get a recommended partnership pattern, with reasons."""
    from mitra_cli.advisor import Advisor

    chosen = chosen_lang(lang)
    loaded = rules()
    advisor = Advisor(loaded)
    if batch:
        from mitra_cli.batch import default_jobs, run_batch

        if run_batch(advisor, answers_file, chosen, what_if=what_if, jobs=jobs or default_jobs()):
            sys.stderr.write(message("batch.some_failed", chosen) + "\n")
            raise typer.Exit(EXIT_INVALID)
        return
    check_report_path(report)
    answers, prompted = gather_answers(advisor, answers_file, set_options or [], no_input, chosen)
    result = advisor.result(answers, chosen)
    if save_answers is not None:
        save_answers_file(save_answers, answers, chosen)
    if report is not None:
        from mitra_cli.report import write_document

        write_document(report, "recommendation", result, loaded, chosen)
        sys.stderr.write(message("report.written", chosen, file=str(report)) + "\n")
    if as_json:
        from mitra_cli.output import print_json

        print_json(result)
        return
    if prompted:
        human_view(chosen, stderr=True).answers_summary(answers, loaded)
    human_view(chosen).result(result, loaded)


def gather_answers(
    advisor: "Advisor", answers_file: str | None, set_options: list[str], no_input: bool, lang: Lang
) -> tuple[dict[str, Any], bool]:
    """Answers from the file, then --set, then prompts for what is still missing."""
    from mitra_cli.answers import parse_set_options, read_answers_file

    checker = advisor.checker
    answers: dict[str, Any] = {}
    if answers_file is not None:
        raw, lines, source = read_answers_file(answers_file)
        answers.update(checker.check(raw, source=source, lines=lines))
    if set_options:
        answers.update(checker.check(parse_set_options(set_options), source="--set"))
    missing = checker.missing(answers)
    prompted = False
    if missing and not no_input and answers_file != "-":
        from mitra_cli.questionnaire import ask_missing

        answers = ask_missing(advisor.rules, checker, answers, missing, lang)
        prompted = True
    return advisor.complete(answers, source=answers_file or "--set"), prompted


def save_answers_file(target: Path, answers: dict[str, Any], lang: Lang) -> None:
    from mitra_cli.output import dumps, write_file_atomically

    if target.suffix.lower() == ".json":
        data = dumps(answers) + b"\n"
    else:
        import yaml

        data = yaml.safe_dump(answers, sort_keys=False, allow_unicode=True).encode("utf-8")
    write_file_atomically(target, data)
    sys.stderr.write(message("answers.saved", lang, file=str(target)) + "\n")


def register(app: typer.Typer) -> None:
    app.command("recommend")(recommend)
