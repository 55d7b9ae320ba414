"""What every command shares: global settings, common options, error handling, output choice.

`guarded` turns the project's errors, Ctrl-C and bugs into one or two
sentences on stderr and the documented exit code (0 ok, 1 invalid input or
an output or input that failed, 2 usage, 130 cancelled; a reader of stdout
that went away, as with `| head`, is 0); a traceback only with --debug.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, TypeVar

import typer

from mitra_cli.commands.completion import LangType
from mitra_cli.core.errors import EXIT_CANCELLED, EXIT_INVALID, EXIT_OK, MitraError, UsageError
from mitra_cli.core.lang import Lang
from mitra_cli.views.i18n import describe, message, resolve_lang

if TYPE_CHECKING:
    from mitra_cli.core.model import Rules
    from mitra_cli.views.human import View

F = TypeVar("F", bound=Callable[..., Any])


class Settings(NamedTuple):
    lang: str | None = None
    data: str | None = None
    debug: bool = False


# Help texts are keys of data/ui.yaml, said in the person's language (see "help in the person's language" below).
LangOption = Annotated[
    str | None,
    typer.Option("--lang", "-l", metavar="LANG", help="help.option.lang", click_type=LangType()),
]
JsonOption = Annotated[bool, typer.Option("--json", help="help.option.json")]
ReportOption = Annotated[Path | None, typer.Option("--report", metavar="FILE", help="help.option.report")]
ClientOption = Annotated[str | None, typer.Option("--client", metavar="NAME", help="help.option.client")]
PreparedByOption = Annotated[str | None, typer.Option("--prepared-by", metavar="NAME", help="help.option.prepared_by")]


def cover_names(client: str | None, prepared_by: str | None, report: Path | None) -> tuple[str, str]:
    """--client and --prepared-by, checked before any work: they go with --report, and follow the one rule for names.

    A blank one (`--client ""`) puts no name on the cover.
    """
    from mitra_cli.core.textsafety import NAME_LIMIT, name_fault

    names = (("--client", client), ("--prepared-by", prepared_by))
    for option, value in names:
        if value is None:
            continue
        if report is None:
            raise UsageError("report.cover_without_report", option=option)
        fault = name_fault(value.strip()) if value.strip() else None
        if fault is not None and fault.kind == "character":
            raise UsageError("report.bad_name", option=option, code=fault.code)
        if fault is not None:
            raise UsageError("report.long_name", option=option, limit=NAME_LIMIT)
    return (client or "").strip(), (prepared_by or "").strip()


REPORT_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".pdf")


def check_report_path(report: Path | None, *, save_answers: Path | None = None, as_json: bool = False) -> None:
    """Refuse an unknown report format or an unusable target before any work (or any question) is done.

    `-` writes to stdout; only one document may go there, so `-` with --json, or twice, is a usage error.
    A target that is not a regular file (a FIFO, a device) is refused now, not after the questions.
    """
    from mitra_cli.views.output import check_target, is_stdout

    if report is not None and not is_stdout(report) and report.suffix.lower() not in REPORT_SUFFIXES:
        raise UsageError("report.suffix", file=str(report))
    if report is not None and report.suffix.lower() == ".pdf":
        from mitra_cli.views.report import pdf_support  # only for a PDF: says how to install it, before any question

        pdf_support()
    to_stdout = ["--json"] if as_json else []
    to_stdout += [
        f"{name} -" for name, path in (("--report", report), ("--save-answers", save_answers)) if path and is_stdout(path)
    ]
    if len(to_stdout) > 1:
        raise UsageError("output.stdout_twice", first=to_stdout[0], second=to_stdout[1])
    for path in (report, save_answers):
        if path is not None and not is_stdout(path):
            check_target(path)


def write_report(report: Path, kind: str, result: Any, loaded: Rules, lang: Lang, cover: tuple[str, str]) -> None:
    """--report FILE: the document of `kind`, then a line on stderr saying where it went (on stdout it speaks for itself)."""
    from mitra_cli.views.report import Cover, write_document

    write_document(report, kind, result, loaded, lang, Cover(*cover))
    if str(report) != "-":
        say(message("report.written", lang, file=str(report)))


def emit(obj: Any, as_json: bool, lang: Lang, render: Callable[[View, Any], None]) -> None:
    """`obj` as JSON for scripts, or rendered by a View method for people."""
    if as_json:
        from mitra_cli.views.output import print_json

        print_json(obj)
    else:
        render(human_view(lang), obj)


# The global options of the running invocation (one per process, or per
# CliRunner.invoke in tests: the callback below resets it every time).
_current = Settings()


def settings() -> Settings:
    return _current


def use_settings(chosen: Settings) -> None:
    """The global options of this invocation (set by the app's callback)."""
    global _current
    _current = chosen


def chosen_lang(option: str | None) -> Lang:
    typed = option or settings().lang
    if typed and typed.strip().lower() not in ("id", "en"):
        raise typer.BadParameter(message("lang.unknown", resolve_lang(None), value=typed, valid="id, en"), param_hint="--lang")
    return resolve_lang(typed)


def rules() -> Rules:
    from mitra_cli.ruledata.store import load_rules

    return load_rules(settings().data)


def human_view(lang: Lang, *, stderr: bool = False) -> View:
    from mitra_cli.views.human import View
    from mitra_cli.views.terminal import console

    return View(console(stderr=stderr), lang)


def say(text: str) -> None:
    """One plain message on stderr (if stderr itself fails, the exit code still tells)."""
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(text.rstrip("\n") + "\n")
        sys.stderr.flush()


def guarded(command: F) -> F:
    """Turn the project's errors, Ctrl-C and bugs into messages and exit codes."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        lang = resolve_lang(kwargs.get("lang") if isinstance(kwargs.get("lang"), str) else settings().lang)
        try:
            return command(*args, **kwargs)
        except MitraError as error:
            say(describe(error, lang))
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            say(message("cancelled", lang))
            raise typer.Exit(EXIT_CANCELLED) from None
        except BrokenPipeError:
            # The reader went away (`mitra ... | head`): say nothing more to it, and as
            # other Unix tools, count it no failure (the reader took what it wanted).
            with contextlib.suppress(OSError, ValueError):
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(EXIT_OK) from None
        except (typer.Exit, typer.Abort, typer.BadParameter):
            raise
        except Exception as error:
            if settings().debug or os.environ.get("MITRA_DEBUG"):
                raise
            say(message("bug", lang, error=f"{type(error).__name__}: {error}"))
            raise typer.Exit(EXIT_INVALID) from None

    return wrapper  # type: ignore[return-value]


# -- help in the person's language ---------------------------------------------
#
# Help texts of commands, arguments and options are keys of data/ui.yaml
# ("help.recommend.set"), said in the person's language when help is shown or
# a shell completes a word. Typer builds the click commands afresh on every
# run, and the root group (HelpGroup) sees every argument first: when help is
# asked for (-h/--help anywhere, or no arguments at all) or a shell completes,
# it turns every key in the tree into a sentence, in the language of the last
# --lang/-l on the command line, else MITRA_LANG, else the locale. A run that
# shows no help reads no sentence, so start-up pays nothing for this.
# A help text that is not a key (a command not yet converted) is shown as is.
