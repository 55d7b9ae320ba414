"""`mitra assess`: who answers, and how their answers are gathered, saved and resumed.

Respondents come from answers files (YAML, JSON or a CSV form; named by a
``respondent:`` key, else by the file name, cleaned) and, for an interview
in the terminal, from the session: with no answers file, or with
`--respondent`, `--save-answers` or `--resume`, one more respondent is asked
in the terminal (or on piped input).  That respondent's answers are saved
after every answer, so Ctrl-C or the end of input loses nothing; a later run
with `--resume FILE` (or the same `--save-answers FILE`) asks only what is
still unanswered.  With --no-input, or the answers on standard input, no one
is asked: the answers files are all the respondents (the command refuses the
interview options first, see ``commands.assess.check_interview``).
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from mitra_cli.commands.common import say
from mitra_cli.core.errors import AnswersError, Cancelled, EndOfInput, ResponsesError
from mitra_cli.core.lang import Lang
from mitra_cli.core.textsafety import name_from_file
from mitra_cli.views.i18n import message

if TYPE_CHECKING:
    from mitra_cli.core.assessment import ResponseChecker, Responses
    from mitra_cli.core.model import Rules


class Session(NamedTuple):
    """The options that shape who is asked and where their answers go."""

    files: list[str]
    respondent: str | None
    save: Path | None
    resume: Path | None
    no_input: bool
    anonymous: bool

    @property
    def can_ask(self) -> bool:
        """Whether anyone may be asked: not with --no-input, nor when standard input holds answers (--answers -)."""
        return not self.no_input and "-" not in self.files

    @property
    def interviews(self) -> bool:
        """Whether one respondent is interviewed in the terminal (besides any answers files); never when no one can be asked."""
        wanted = not self.files or any(option is not None for option in (self.respondent, self.save, self.resume))
        return wanted and self.can_ask

    @property
    def target(self) -> Path | None:
        """Where the interviewed respondent's answers are saved: --save-answers, else the file resumed."""
        return self.save if self.save is not None else self.resume

    def resume_from(self) -> Path | None:
        """The file to resume: --resume, else a --save-answers file that already holds something."""
        if self.resume is not None:
            return self.resume
        if self.save is None or str(self.save) == "-":
            return None
        try:
            info = os.stat(self.save)
        except OSError:
            return None
        return self.save if stat.S_ISREG(info.st_mode) and info.st_size > 0 else None


def read_respondent(checker: ResponseChecker, file: str) -> tuple[str | None, Responses]:
    """(the name the file gives, or None; its checked responses), blanks left unanswered."""
    from mitra_cli.core.respondents import split_form
    from mitra_cli.ruledata.answerfiles import read_answers_file

    try:
        raw, lines, source = read_answers_file(file)
        name, answers = split_form(raw, source=source, lines=lines)
        return name, checker.check(answers, source=source, lines=lines)
    except AnswersError as error:  # said with assess's own advice (it has no --set)
        raise ResponsesError(error.problems) from None


def gather(checker: ResponseChecker, loaded: Rules, session: Session, lang: Lang) -> list[tuple[str, Responses]]:
    """(name, responses) for each answers file, then the respondent interviewed in the terminal, every statement present."""
    try:
        return _gather(checker, loaded, session, lang)
    except EndOfInput as error:  # said with assess's own advice (it has no --set)
        raise EndOfInput(error.params["question"], key="assess.eof") from None


def _gather(checker: ResponseChecker, loaded: Rules, session: Session, lang: Lang) -> list[tuple[str, Responses]]:
    from mitra_cli.core.respondents import unique

    taken: set[str] = set()
    respondents: list[tuple[str, Responses]] = []
    for file in session.files:
        named, responses = read_respondent(checker, file)
        # A file name is not the person's typing: cleaned (cut short, what a name may not hold left out), never refused.
        fallback = "stdin" if file == "-" else name_from_file(Path(file).stem) or message("assess.unnamed", lang)
        respondents.append((unique(named or fallback, taken), responses))
    can_ask = session.can_ask
    completed = []
    for name, responses in respondents:
        missing = checker.missing(responses)
        if missing and can_ask:
            from mitra_cli.views.questionnaire import ask_statements

            shown = name if len(respondents) > 1 and not session.anonymous else None
            responses = ask_statements(loaded, checker, responses, missing, lang, shown)
        completed.append((name, {statement: responses.get(statement) for statement in checker.order}))
    if session.interviews:
        name, responses = interview(checker, loaded, session, lang, shown_name=bool(respondents))
        completed.append((unique(name, taken), {statement: responses.get(statement) for statement in checker.order}))
    return completed


def interview(
    checker: ResponseChecker, loaded: Rules, session: Session, lang: Lang, *, shown_name: bool
) -> tuple[str, Responses]:
    """The respondent asked in the terminal: resumed from a file, asked what is missing, saved as they answer."""
    can_ask = session.can_ask
    named: str | None = None
    responses: Responses = {}
    resumed = session.resume_from()
    if resumed is not None:
        named, responses = read_respondent(checker, str(resumed))
    name = session.respondent or named
    if name is None:
        default = message("assess.you", lang)
        if can_ask and sys.stdin.isatty():
            from mitra_cli.views.questionnaire import ask_respondent

            name = ask_respondent(lang, default)
        else:
            name = default
    target = session.target
    missing = checker.missing(responses)
    if missing and can_ask:
        from mitra_cli.views.questionnaire import ask_statements

        if resumed is not None and responses:
            say(message("assess.resuming", lang, file=str(resumed), answered=len(responses), total=len(checker.order)))
        saving = target is not None and str(target) != "-"

        def save_now(so_far: dict[str, Any]) -> None:
            if target is not None and saving:
                save_answers(target, name, so_far, checker, loaded, lang)

        shown = name if shown_name and not session.anonymous else None
        try:
            responses = ask_statements(loaded, checker, responses, missing, lang, shown, save_now if saving else None)
        except (Cancelled, EndOfInput, KeyboardInterrupt):
            if saving and target is not None and target.exists():
                say(message("assess.saved_so_far", lang, file=str(target)))
            raise
    if target is not None:
        save_answers(target, name, responses, checker, loaded, lang)
        if str(target) != "-":
            say(message("answers.saved", lang, file=str(target)))
    return name, responses


def save_answers(target: Path, name: str, responses: dict[str, Any], checker: ResponseChecker, loaded: Rules, lang: Lang) -> None:
    """One respondent's answers, as a form (YAML or CSV, by the file's ending) or as JSON, replaced atomically."""
    from mitra_cli.commands.assess_files import form_for
    from mitra_cli.views.output import dumps, write_file_atomically

    dont_know = checker.assessment.dont_know.value
    values = {
        statement: dont_know if value is None else str(value)
        for statement in checker.order
        if statement in responses
        for value in [responses[statement]]
    }
    suffix = target.suffix.lower()
    if suffix == ".json":
        from mitra_cli.core.respondents import RESPONDENT_KEY

        plain: dict[str, Any] = {RESPONDENT_KEY: name}
        plain.update({statement: int(value) if value != dont_know else value for statement, value in values.items()})
        data = dumps(plain) + b"\n"
    else:
        from mitra_cli.ruledata.forms import csv_form, yaml_form

        spreadsheet = suffix == ".csv"
        form = form_for(loaded, lang, str(target), spreadsheet=spreadsheet)
        data = (csv_form if spreadsheet else yaml_form)(form, name, values)
    write_file_atomically(target, data)
