"""`mitra recommend`: gather answers, score every pattern, show the recommendation."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mitra_cli.commands.common import (
    ClientOption,
    JsonOption,
    LangOption,
    PreparedByOption,
    ReportOption,
    check_report_path,
    chosen_lang,
    cover_names,
    guarded,
    human_view,
    rules,
    write_report,
)
from mitra_cli.commands.completion import complete_set
from mitra_cli.commands.helptext import HelpCommand
from mitra_cli.core.errors import EXIT_INVALID, UsageError
from mitra_cli.core.lang import Lang
from mitra_cli.views.i18n import message

if TYPE_CHECKING:  # for annotations only: imported lazily where used
    from mitra_cli.core.recommendation import Advisor

MAX_JOBS = 64  # --batch worker processes at most: each costs a process and four pipe ends


@guarded
def recommend(
    answers_files: Annotated[
        list[str] | None,
        typer.Option(
            "--answers",
            "-a",
            metavar="FILE",
            help="help.recommend.answers",
        ),
    ] = None,
    set_options: Annotated[
        list[str] | None,
        typer.Option("--set", "-s", metavar="ID=VALUE", help="help.recommend.set", autocompletion=complete_set),
    ] = None,
    no_input: Annotated[bool, typer.Option("--no-input", help="help.recommend.no_input")] = False,
    save_answers: Annotated[
        Path | None, typer.Option("--save-answers", metavar="FILE", help="help.recommend.save_answers")
    ] = None,
    batch: Annotated[bool, typer.Option("--batch", help="help.recommend.batch")] = False,
    what_if: Annotated[bool, typer.Option("--what-if", help="help.recommend.what_if")] = False,
    report: ReportOption = None,
    client: ClientOption = None,
    prepared_by: PreparedByOption = None,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            min=0,
            max=MAX_JOBS,
            metavar="N",
            help="help.recommend.jobs",  # the help shows the range, 0 to MAX_JOBS
        ),
    ] = 0,
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Answer the questionnaire and get a recommended partnership pattern, with reasons."""
    from mitra_cli.core.recommendation import Advisor

    chosen = chosen_lang(lang)
    files = answers_files or []
    if batch:
        check_batch_options(files, set_options, save_answers, report)
    cover = cover_names(client, prepared_by, report)
    loaded = rules()
    advisor = Advisor(loaded)
    if batch:
        # Deferred: only --batch needs them (orjson, the workers, the progress bar).
        from mitra_cli.batch.run import default_jobs, run_batch
        from mitra_cli.views.progress import for_stderr

        source = files[0] if files else None
        if run_batch(advisor, source, chosen, what_if=what_if, jobs=jobs or default_jobs(), progress=for_stderr()):
            sys.stderr.write(message("batch.some_failed", chosen) + "\n")
            raise typer.Exit(EXIT_INVALID)
        return
    check_report_path(report, save_answers=save_answers, as_json=as_json)
    answers, prompted = gather_answers(advisor, files, set_options or [], no_input, chosen)
    result = advisor.result(answers, chosen)
    if save_answers is not None:
        save_answers_file(save_answers, answers, chosen)
    if report is not None:
        write_report(report, "recommendation", result, loaded, chosen, cover)
    if as_json:
        from mitra_cli.views.output import print_json

        print_json(result)
        return
    if prompted:
        human_view(chosen, stderr=True).answers_summary(answers, loaded)
    human_view(chosen).result(result, loaded)


def check_batch_options(files: list[str], set_options: list[str] | None, save_answers: Path | None, report: Path | None) -> None:
    """Refuse, before any input is read, what --batch would otherwise silently ignore."""
    for option, given in (
        ("--set", bool(set_options)),
        ("--save-answers", save_answers is not None),
        ("--report", report is not None),
    ):
        if given:
            raise UsageError("batch.not_with", option=option)
    if len(files) > 1:
        raise UsageError("batch.one_input", count=len(files))


def gather_answers(
    advisor: "Advisor", answers_files: list[str], set_options: list[str], no_input: bool, lang: Lang
) -> tuple[dict[str, Any], bool]:
    """Answers from the files in order (a later file wins), then --set, then prompts for what is still missing."""
    from mitra_cli.core.answers import parse_set_options
    from mitra_cli.ruledata.answerfiles import read_answers_file

    checker = advisor.checker
    answers: dict[str, Any] = {}
    for answers_file in answers_files:
        raw, lines, source = read_answers_file(answers_file)
        answers.update(checker.check(raw, source=source, lines=lines, lang=lang))
    if set_options:
        answers.update(checker.check(parse_set_options(set_options), source="--set", lang=lang))
    missing = checker.missing(answers)
    prompted = False
    # Optional questions are asked only of a person at a terminal; piped input and
    # answers files without them are complete (they stay "not stated").
    to_ask = checker.unanswered(answers) if sys.stdin.isatty() else missing
    if to_ask and not no_input and "-" not in answers_files:
        from mitra_cli.views.questionnaire import ask_missing

        answers = ask_missing(advisor.rules, checker, answers, to_ask, lang)
        prompted = True
    return advisor.complete(answers, source=answers_files[-1] if answers_files else "--set"), prompted


def save_answers_file(target: Path, answers: dict[str, Any], lang: Lang) -> None:
    from mitra_cli.views.output import dumps, write_file_atomically

    if target.suffix.lower() == ".json":
        data = dumps(answers) + b"\n"
    else:
        import yaml

        data = yaml.safe_dump(answers, sort_keys=False, allow_unicode=True).encode("utf-8")
    write_file_atomically(target, data)
    if str(target) != "-":
        sys.stderr.write(message("answers.saved", lang, file=str(target)) + "\n")


def register(app: typer.Typer) -> None:
    app.command("recommend", cls=HelpCommand, help="help.recommend")(recommend)
