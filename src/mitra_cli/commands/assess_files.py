"""`mitra assess`: the files around a check — forms to send out, the action plan, earlier results and their trend."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mitra_cli.commands.common import say
from mitra_cli.core.errors import UsageError
from mitra_cli.core.lang import Lang
from mitra_cli.views.i18n import message

if TYPE_CHECKING:
    from mitra_cli.core.model import Rules
    from mitra_cli.ruledata.forms import Form

FORM_SUFFIXES = (".yaml", ".yml", ".csv")


def form_for(rules: Rules, lang: Lang, file: str, *, spreadsheet: bool) -> Form:
    """What a form says in `lang`: instructions, the scale, "don't know", and every statement under its dimension."""
    from mitra_cli.ruledata.forms import Form, FormItem

    assessment = rules.assessment
    assert assessment is not None
    shown_file = file if file != "-" else message("assess.form.file", lang)
    intro = [
        message("assess.form.title", lang),
        message("assess.form.own_view", lang),
        message("assess.form.how_csv" if spreadsheet else "assess.form.how_yaml", lang),
        *(f"  {choice.value} = {choice.label.get(lang)}" for choice in assessment.scale),
        message("assess.form.dont_know", lang, value=assessment.dont_know.value, label=assessment.dont_know.label.get(lang)),
        message("assess.form.return", lang, file=shown_file),
    ]
    hint = message("assess.form.respondent_csv" if spreadsheet else "assess.form.respondent_yaml", lang)
    items = [FormItem(s.id, rules.dimension_name(s.dimension, lang), s.text.get(lang)) for s in assessment.statements]
    return Form(intro, hint, items)


def write_template(target: Path, respondent: str | None, rules: Rules, lang: Lang, as_json: bool) -> None:
    """A blank answers form (YAML, or CSV for a spreadsheet) to send to a respondent."""
    from mitra_cli.ruledata.forms import csv_form, yaml_form
    from mitra_cli.views.output import is_stdout, print_json, write_file_atomically

    spreadsheet = target.suffix.lower() == ".csv"
    if not is_stdout(target) and target.suffix.lower() not in FORM_SUFFIXES:
        raise UsageError("assess.template_suffix", file=str(target))
    form = form_for(rules, lang, str(target), spreadsheet=spreadsheet)
    write_file_atomically(target, (csv_form if spreadsheet else yaml_form)(form, respondent, {}))
    if as_json:
        print_json(
            {
                "template": str(target),
                "format": "csv" if spreadsheet else "yaml",
                "lang": lang,
                "respondent": respondent,
                "statements": [item.id for item in form.items],
            }
        )
    elif not is_stdout(target):
        say(message("assess.template_written", lang, file=str(target), count=len(form.items)))


def check_actions_target(target: Path) -> None:
    from mitra_cli.views.output import check_target, is_stdout

    if is_stdout(target):
        return
    if target.suffix.lower() != ".csv":
        raise UsageError("assess.actions_suffix", file=str(target))
    check_target(target)


def write_actions(target: Path, result: Mapping[str, Any], lang: Lang) -> None:
    """The action plan as CSV: one row per action, with empty owner and due-date columns to fill in."""
    from mitra_cli.ruledata.forms import csv_bytes
    from mitra_cli.views.output import is_stdout, write_file_atomically

    rows = [
        [
            message("assess.plan.dimension", lang),
            message("assess.plan.band", lang),
            message("assess.plan.reason", lang),
            message("assess.plan.action", lang),
            message("assess.plan.owner", lang),
            message("assess.plan.due", lang),
        ]
    ]
    for entry in result["actions"]:
        because = ", ".join(message(f"assess.because.{reason}", lang) for reason in entry["because"])
        band = entry.get("band_label") or message("assess.no_answers", lang)
        rows += [[entry["name"], band, because, action, "", ""] for action in entry["actions"]]
    write_file_atomically(target, csv_bytes(rows))
    if not is_stdout(target):
        say(message("assess.actions_written", lang, file=str(target), count=len(rows) - 1))


# -- earlier results ---------------------------------------------------------------


def read_earlier(files: list[str], rules: Rules) -> list[Any]:
    """The earlier results in `files`, checked (a wrong shape is an error naming the file and the field)."""
    from mitra_cli.ruledata.results import read_result

    assert rules.assessment is not None
    return [read_result(file, rules.assessment) for file in files]
