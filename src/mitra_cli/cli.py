"""The `mitra` command: a thin Typer layer over the library.

Commands parse options, call the loader and the engine, and pick a view.
Errors raised below are turned into one or two sentences on stderr and the
documented exit code (0 ok, 1 invalid input or an output or input that
failed, 2 usage, 130 cancelled; a reader of stdout that went away, as with
`| head`, is 0); a traceback is shown only with --debug.  Rich, YAML and the
engine are imported inside the commands that need them, so `--json` runs
start fast.
"""

import contextlib
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, TypeVar

import typer

from mitra_cli import __version__
from mitra_cli.core.errors import EXIT_CANCELLED, EXIT_INVALID, EXIT_OK, MitraError, UsageError
from mitra_cli.views.i18n import Lang, message, resolve_lang

if TYPE_CHECKING:
    from mitra_cli.core.model import Rules
    from mitra_cli.views.human import View

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="mitra",
    help="mitra: a partnership (kemitraan) advisor. Patterns, principles, benefits, and a recommendation for your organisation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Settings(NamedTuple):
    lang: str | None = None
    data: str | None = None
    debug: bool = False


LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang", "-l", help="Language: id (Indonesian) or en (English). Default: MITRA_LANG, else the locale, else en."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of text for people.")]
ReportOption = Annotated[
    Path | None,
    typer.Option(
        "--report",
        metavar="FILE",
        help="Also write the result as Markdown (.md) or a self-contained web page (.html); '-' writes Markdown to stdout.",
    ),
]
REPORT_SUFFIXES = (".md", ".markdown", ".html", ".htm")


def check_report_path(report: Path | None, *, save_answers: Path | None = None, as_json: bool = False) -> None:
    """Refuse an unknown report format or an unusable target before any work (or any question) is done.

    `-` writes to stdout; only one document may go there, so `-` with --json, or twice, is a usage error.
    A target that is not a regular file (a FIFO, a device) is refused now, not after the questions.
    """
    from mitra_cli.views.output import check_target, is_stdout

    if report is not None and not is_stdout(report) and report.suffix.lower() not in REPORT_SUFFIXES:
        raise UsageError("report.suffix", file=str(report))
    to_stdout = ["--json"] if as_json else []
    to_stdout += [
        f"{name} -" for name, path in (("--report", report), ("--save-answers", save_answers)) if path and is_stdout(path)
    ]
    if len(to_stdout) > 1:
        raise UsageError("output.stdout_twice", first=to_stdout[0], second=to_stdout[1])
    for path in (report, save_answers):
        if path is not None and not is_stdout(path):
            check_target(path)


def emit(obj: Any, as_json: bool, lang: Lang, render: "Callable[[View, Any], None]") -> None:
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


def chosen_lang(option: str | None) -> Lang:
    typed = option or settings().lang
    if typed and typed.strip().lower() not in ("id", "en"):
        raise typer.BadParameter(message("lang.unknown", resolve_lang(None), value=typed, valid="id, en"), param_hint="--lang")
    return resolve_lang(typed)


def rules() -> "Rules":
    from mitra_cli.ruledata.store import load_rules

    return load_rules(settings().data)


def human_view(lang: Lang, *, stderr: bool = False) -> "View":
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
            say(error.render(lang))
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


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mitra {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    lang: LangOption = None,
    data: Annotated[
        str | None,
        typer.Option("--data", metavar="DIR", help="Use the rule data in DIR instead of the shipped data (also MITRA_DATA)."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback of an error, for bug reports.")] = False,
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show mitra's version and exit.")
    ] = False,
) -> None:
    """mitra: a partnership (kemitraan) advisor, in Indonesian and English."""
    global _current
    _current = Settings(lang=lang, data=data, debug=debug)


def _register() -> None:
    from mitra_cli.commands import assess as cmd_assess
    from mitra_cli.commands import catalogue as cmd_catalogue
    from mitra_cli.commands import classify as cmd_classify
    from mitra_cli.commands import recommend as cmd_recommend

    cmd_catalogue.register(app)
    cmd_recommend.register(app)
    cmd_classify.register(app)
    cmd_assess.register(app)


_register()


def main() -> None:
    """The console entry point.

    Before anything runs, the standard streams are made safe (output.prepare_streams: a closed one, a full
    disk, an encoding that cannot carry the text) and unusable COLUMNS values are set aside.  A failure to
    write stdout or read stdin that happens outside a command (Typer's --help, --version) ends here as one
    message and exit code 1; a reader that went away (`| head`) is no failure, wherever it was noticed.
    """
    from mitra_cli.views.output import prepare_streams, reader_gone
    from mitra_cli.views.terminal import sanitize_width_variables

    prepare_streams()
    sanitize_width_variables()
    try:
        app()
        code = EXIT_OK
    except SystemExit as done:
        if isinstance(done.code, str):
            say(done.code)
        code = done.code if isinstance(done.code, int) else (1 if done.code else 0)
    except KeyboardInterrupt:
        say(message("cancelled", resolve_lang(None)))
        code = EXIT_CANCELLED
    except BrokenPipeError:  # the reader went away during Typer's own output
        code = EXIT_OK
    except MitraError as error:  # stdout or stdin failed outside a command (help, version)
        say(error.render(resolve_lang(settings().lang)))
        code = error.exit_code
    except OSError as error:  # Typer's own output to a stream that failed
        say(message("output.cannot_write", resolve_lang(settings().lang), reason=error.strerror or str(error)))
        code = EXIT_INVALID
    if reader_gone() and code == EXIT_INVALID:  # Rich and Typer turn a broken pipe into exit code 1
        code = EXIT_OK
    exit_now(code)


def exit_now(code: int) -> None:
    """Flush and leave without tearing the interpreter down.

    Everything mitra writes is flushed or closed by now, and it registers no
    exit handlers; skipping the teardown of thousands of objects saves a
    script that calls mitra once per record about ten milliseconds a call.
    """
    for stream in (sys.stdout, sys.stderr):
        # A closed pipe or a failed stream: nothing more can reach it, and a write that
        # failed was reported where it failed.
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)
