"""`mitra assess`: a health check of an existing partnership, per partner and for all together.

Around the check itself: named respondents, answers saved as they are given
(and resumed), blank forms to send out (`--template`), anonymous group
results, a comparison with an earlier check (`--previous`), the trend over
several (`--history`) and the action plan as CSV (`--actions-out`).
"""

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
    emit,
    guarded,
    rules,
    say,
    write_report,
)
from mitra_cli.commands.helptext import HelpCommand
from mitra_cli.core.errors import MitraError, UsageError
from mitra_cli.views.i18n import message

if TYPE_CHECKING:  # for annotations only: the command is registered on every run, used on few
    pass


@guarded
def assess(
    answers_files: Annotated[
        list[str] | None,
        typer.Option(
            "--answers",
            "-a",
            metavar="FILE",
            help="help.assess.answers",
        ),
    ] = None,
    no_input: Annotated[bool, typer.Option("--no-input", help="help.assess.no_input")] = False,
    list_statements: Annotated[bool, typer.Option("--list", help="help.assess.list")] = False,
    respondent: Annotated[
        str | None,
        typer.Option("--respondent", metavar="NAME", help="help.assess.respondent"),
    ] = None,
    save_answers: Annotated[
        Path | None,
        typer.Option(
            "--save-answers",
            metavar="FILE",
            help="help.assess.save_answers",
        ),
    ] = None,
    resume: Annotated[
        Path | None,
        typer.Option("--resume", metavar="FILE", help="help.assess.resume"),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option("--template", metavar="FILE", help="help.assess.template"),
    ] = None,
    anonymous: Annotated[
        bool,
        typer.Option("--anonymous", help="help.assess.anonymous"),
    ] = False,
    previous: Annotated[
        Path | None,
        typer.Option("--previous", metavar="EARLIER.json", help="help.assess.previous"),
    ] = None,
    history: Annotated[
        bool,
        typer.Option("--history", help="help.assess.history"),
    ] = False,
    earlier: Annotated[list[str] | None, typer.Argument(metavar="[FILE]...", help="help.assess.earlier")] = None,
    actions_out: Annotated[
        Path | None,
        typer.Option("--actions-out", metavar="FILE.csv", help="help.assess.actions_out"),
    ] = None,
    date: Annotated[str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="help.assess.date")] = None,
    label: Annotated[str | None, typer.Option("--label", metavar="TEXT", help="help.assess.label")] = None,
    report: ReportOption = None,
    client: ClientOption = None,
    prepared_by: PreparedByOption = None,
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Check a partnership's health against the principles and trust, one respondent per partner."""
    chosen = chosen_lang(lang)
    given = _given(locals())
    check_options(given, earlier or [], respondent, date, label)
    cover = cover_names(client, prepared_by, report)
    check_interview(given, answers_files or [], no_input)
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
    from mitra_cli.commands import assess_files

    if template is not None:
        if as_json and str(template) == "-":
            raise UsageError("output.stdout_twice", first="--json", second="--template -")
        assess_files.write_template(template, respondent and respondent.strip(), loaded, chosen, as_json)
        return
    if history:
        from mitra_cli.core.trend import history as trend

        check_outputs(report, None, None, as_json)
        found = trend(assess_files.read_earlier(earlier or [], loaded), loaded, chosen)
        if report is not None:
            write_report(report, "history", found, loaded, chosen, cover)
        emit(found, as_json, chosen, lambda view, obj: view.trend(obj, loaded))
        return
    check_outputs(report, save_answers, actions_out, as_json)
    this_date = date or today()
    snapshot = assess_files.read_earlier([str(previous)], loaded)[0] if previous is not None else None
    if snapshot is not None and snapshot.date is not None and snapshot.date > this_date:
        raise UsageError("assess.previous_later", file=snapshot.source, date=snapshot.date, now=this_date)

    from mitra_cli.commands.assess_session import Session, gather
    from mitra_cli.core.assessment import ResponseChecker
    from mitra_cli.core.assessment import assess as score_health

    if no_input and not answers_files:
        raise UsageError("assess.nothing_to_assess")
    session = Session(answers_files or [], respondent and respondent.strip(), save_answers, resume, no_input, anonymous)
    respondents = gather(ResponseChecker(assessment), loaded, session, chosen)
    # Only those who gave an answer can tell the others' answers apart in the group figures, or hide among them.
    answering = sum(1 for _, responses in respondents if any(value is not None for value in responses.values()))
    if anonymous and answering < assessment.anonymity_floor:
        say(message("assess.anonymity_weak", chosen, count=answering, floor=assessment.anonymity_floor))
    group = "assess.anonymous_group_one" if len(respondents) == 1 else "assess.anonymous_group"
    result = score_health(
        respondents,
        loaded,
        chosen,
        anonymous=anonymous,
        group_name=message(group, chosen, count=len(respondents)) if anonymous else "",
        date=this_date,
        label=label.strip() if label else None,
    )
    if snapshot is not None:
        from mitra_cli.core.trend import compare

        compare(result, snapshot, loaded)
    if actions_out is not None:
        assess_files.write_actions(actions_out, result, chosen)
    if report is not None:
        write_report(report, "assessment", result, loaded, chosen, cover)
    emit(result, as_json, chosen, lambda view, obj: view.health(obj, loaded))


# The options that choose a mode, and those each mode cannot take (it would ignore them).
_MODES = {
    "--list": ("--answers", "--respondent", "--save-answers", "--resume", "--template", "--anonymous", "--previous",
               "--history", "--actions-out", "--report", "--client", "--prepared-by", "--date", "--label"),
    "--template": ("--answers", "--save-answers", "--resume", "--anonymous", "--previous", "--history", "--actions-out",
                   "--report", "--list", "--date", "--label"),
    "--history": ("--answers", "--respondent", "--save-answers", "--resume", "--anonymous", "--previous", "--actions-out",
                  "--list", "--date", "--label"),
}  # fmt: skip
# The options that need a respondent interviewed in the terminal.
_INTERVIEW = ("--respondent", "--save-answers", "--resume")


def _given(options: dict[str, Any]) -> set[str]:
    """The options given on this command line, by their names."""
    flags = {
        "--answers": options["answers_files"],
        "--respondent": options["respondent"],
        "--save-answers": options["save_answers"],
        "--resume": options["resume"],
        "--template": options["template"],
        "--anonymous": options["anonymous"] or None,
        "--previous": options["previous"],
        "--history": options["history"] or None,
        "--actions-out": options["actions_out"],
        "--report": options["report"],
        "--list": options["list_statements"] or None,
        "--date": options["date"],
        "--label": options["label"],
        "--client": options["client"],
        "--prepared-by": options["prepared_by"],
    }
    return {name for name, value in flags.items() if value is not None}


def check_options(given: set[str], earlier: list[str], respondent: str | None, date: str | None, label: str | None) -> None:
    """Refuse, before anything is read or asked, options that do not go together or values that cannot be used."""
    from mitra_cli.core.textsafety import NAME_LIMIT, name_is_usable

    for mode, refused in _MODES.items():
        if mode in given:
            for option in refused:
                if option in given:
                    raise UsageError("assess.not_with", option=option, mode=mode)
    if earlier and "--history" not in given:
        raise UsageError("assess.files_without_history", file=earlier[0])
    if "--history" in given and len(earlier) < 2:
        raise UsageError("assess.history_files", count=len(earlier))
    if respondent is not None and not name_is_usable(respondent.strip()):
        raise UsageError("assess.bad_respondent", name=respondent, limit=NAME_LIMIT)
    if label is not None and not name_is_usable(label.strip()):
        raise UsageError("assess.bad_label", limit=NAME_LIMIT)
    if date is not None:
        try:
            import datetime  # deferred: only when a --date is given

            valid = datetime.date.fromisoformat(date).isoformat() == date
        except ValueError:
            valid = False
        if not valid:
            raise UsageError("assess.bad_date", value=date)


def check_interview(given: set[str], files: list[str], no_input: bool) -> None:
    """Refuse a check that would need a respondent interviewed in the terminal when no one can be asked.

    With --no-input (or the answers on standard input, `--answers -`) the respondents are the answers files and
    no one else: --respondent, --save-answers and --resume, which are about the one answering in the terminal,
    are usage errors (and --no-input with no answers file at all, once the other options are checked).
    """
    if any(mode in given for mode in _MODES):
        return  # --list, --template and --history ask no one (and refuse what they do not use)
    if no_input or "-" in files:
        why = "assess.interview_no_input" if no_input else "assess.interview_stdin"
        for option in _INTERVIEW:
            if option in given:
                raise UsageError(why, option=option)


def check_outputs(report: Path | None, save_answers: Path | None, actions_out: Path | None, as_json: bool) -> None:
    """Refuse an unusable output target, or two documents for stdout, before any question is asked."""
    from mitra_cli.commands.assess_files import check_actions_target

    check_report_path(report, save_answers=save_answers, as_json=as_json)
    if actions_out is not None:
        check_actions_target(actions_out)
        others = [name for name, used in (("--json", as_json), ("--report -", str(report) == "-")) if used]
        others += ["--save-answers -"] if str(save_answers) == "-" else []
        if str(actions_out) == "-" and others:
            raise UsageError("output.stdout_twice", first=others[0], second="--actions-out -")


def register(app: typer.Typer) -> None:
    app.command("assess", cls=HelpCommand, help="help.assess")(assess)


def today() -> str:
    import datetime  # deferred: the command is registered on every run, and only a check needs the date

    return datetime.date.today().isoformat()
