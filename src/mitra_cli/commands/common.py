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
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, TypeVar

import typer
from typer import _click
from typer import _completion_classes as typer_completion
from typer._click.shell_completion import CompletionItem
from typer.core import TyperCommand, TyperGroup

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


class LangType(_click.types.StringParamType):
    """The value of --lang: text (checked by chosen_lang), completed with the languages mitra speaks.

    Completion lives on the type rather than in an `autocompletion` function, which Typer would
    inspect for every command on every run.
    """

    name = "lang"

    def shell_complete(self, ctx: _click.Context, param: _click.Parameter, incomplete: str) -> list[CompletionItem]:
        return [CompletionItem(code, help=text) for code, text in complete_lang(ctx, incomplete)]


# Help texts are keys of data/ui.yaml, said in the person's language (see "help in the person's language" below).
LangOption = Annotated[
    str | None,
    typer.Option("--lang", "-l", metavar="LANG", help="help.option.lang", click_type=LangType()),
]
JsonOption = Annotated[bool, typer.Option("--json", help="help.option.json")]
ReportOption = Annotated[Path | None, typer.Option("--report", metavar="FILE", help="help.option.report")]
ClientOption = Annotated[str, typer.Option("--client", metavar="NAME", help="help.option.client")]
PreparedByOption = Annotated[str, typer.Option("--prepared-by", metavar="NAME", help="help.option.prepared_by")]
COVER_NAME_LIMIT = 200


def cover_names(client: str, prepared_by: str) -> tuple[str, str]:
    """--client and --prepared-by, checked: text a report can carry (no control characters, not too long)."""
    from mitra_cli.core.textsafety import code_point, forbidden_character

    for option, value in (("--client", client), ("--prepared-by", prepared_by)):
        found = forbidden_character(value)
        if found:
            raise UsageError("report.bad_name", option=option, code=code_point(found.group()))
        if len(value) > COVER_NAME_LIMIT:
            raise UsageError("report.long_name", option=option, limit=COVER_NAME_LIMIT)
    return client.strip(), prepared_by.strip()


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

HELP_KEY = "help."
HELP_ARGS = ("-h", "--help")
_LANG_META = "mitra.help_lang"
_USAGE_META = "mitra.usage_prefix"
# Options Typer adds itself, and the ui.yaml key of each one's help.
_TYPER_OPTIONS = {
    "install_completion": "help.option.install_completion",
    "show_completion": "help.option.show_completion",
}


def typed_lang(args: list[str]) -> str | None:
    """The value of the last --lang/-l on a command line (before any `--`), if one is given."""
    typed = None
    for index, word in enumerate(args):
        if word == "--":
            break
        if word in ("--lang", "-l"):
            typed = args[index + 1] if index + 1 < len(args) else typed
        elif word.startswith("--lang="):
            typed = word.partition("=")[2]
        elif word.startswith("-l") and not word.startswith("--") and len(word) > 2:
            typed = word[2:]
    return typed


def asks_for_help(args: list[str]) -> bool:
    """-h or --help anywhere before `--`, or nothing at all (the root then shows its help)."""
    words = args[: args.index("--")] if "--" in args else args
    return not words or any(word in HELP_ARGS for word in words)


def said(text: str | None, lang: Lang) -> str | None:
    """A help text: a ui.yaml key said in `lang`, anything else as it is."""
    return message(text, lang) if text and text.startswith(HELP_KEY) else text


def translate_help(command: _click.Command, ctx: _click.Context, lang: Lang) -> None:
    """Say every help text of `command` and of the commands under it in `lang` (sentences stay as they are)."""
    command.help = said(command.help, lang)
    command.short_help = said(command.short_help, lang)
    help_option = command.get_help_option(ctx)
    if help_option is not None:
        help_option.help = message("help.option.help", lang)
    for param in command.params:
        key = _TYPER_OPTIONS.get(param.name or "")
        if key is not None:
            param.help = message(key, lang)  # type: ignore[attr-defined]
        elif getattr(param, "help", None):
            param.help = said(param.help, lang)  # type: ignore[attr-defined]
    for sub in getattr(command, "commands", {}).values():
        translate_help(sub, ctx, lang)


def prepare_help(command: _click.Command, ctx: _click.Context, lang: Lang) -> None:
    """Everything a help screen says, in `lang`: the texts, Typer's panel titles and words, the usage line."""
    from typer import rich_utils

    translate_help(command, ctx, lang)
    rich_utils.OPTIONS_PANEL_TITLE = message("help.panel.options", lang)
    rich_utils.ARGUMENTS_PANEL_TITLE = message("help.panel.arguments", lang)
    rich_utils.COMMANDS_PANEL_TITLE = message("help.panel.commands", lang)
    rich_utils.DEFAULT_STRING = "[" + message("help.default", lang, value="{}") + "]"
    rich_utils.REQUIRED_LONG_STRING = "[" + message("help.required", lang) + "]"
    ctx.meta[_USAGE_META] = message("help.usage", lang) + " "


def warn_unknown_env_lang() -> None:
    """MITRA_LANG set to a language mitra does not speak: said once, in English (the language then used)."""
    from mitra_cli.views.i18n import unknown_env_lang

    value = unknown_env_lang()
    if value is not None:
        say(message("lang.env_unknown", "en", value=value, valid="id, en"))


class _Helpful(_click.Command):
    """Help in the person's language, and usage lines with the real metavar ("PATTERN...", not "{PATTERN...}")."""

    def collect_usage_pieces(self, ctx: _click.Context) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)
        return [piece[1:-1] if piece.startswith("{") and piece.endswith("}") else piece for piece in pieces]

    def format_usage(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix=ctx.meta.get(_USAGE_META))

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        # Done already when the root group saw -h/--help; again here for help shown any other way.
        prepare_help(self, ctx, ctx.meta.get(_LANG_META) or resolve_lang(None))
        super().format_help(ctx, formatter)


class HelpCommand(_Helpful, TyperCommand):
    """A command whose help texts are ui.yaml keys: app.command(NAME, cls=HelpCommand, help="help.NAME")."""


class HelpGroup(_Helpful, TyperGroup):
    """A group whose help texts are ui.yaml keys; as the root, it prepares each run (see above)."""

    def parse_args(self, ctx: _click.Context, args: list[str]) -> list[str]:
        if ctx.parent is None:
            typed = typed_lang(args)
            lang = resolve_lang(typed)
            ctx.meta[_LANG_META] = lang
            if ctx.resilient_parsing:  # a shell completing a word: descriptions in the person's language
                translate_help(self, ctx, lang)
            else:
                if typed is None:
                    warn_unknown_env_lang()
                if asks_for_help(args):
                    prepare_help(self, ctx, lang)
        return super().parse_args(ctx, args)

    def _main_shell_completion(self, ctx_args: MutableMapping[str, Any], prog_name: str, complete_var: str | None = None) -> None:
        from typer._click.shell_completion import add_completion_class

        add_completion_class(BashComplete, "bash")  # after Typer registered its own (it does on every run)
        super()._main_shell_completion(ctx_args, prog_name, complete_var)


# -- shell completion -----------------------------------------------------------


class BashComplete(typer_completion.BashComplete):
    """Typer's bash completion, for words bash splits at "=" (one of its COMP_WORDBREAKS): `--set size=mi`.

    Bash hands over `size`, `=`, `mi`: the words are joined again before completing, and since bash
    replaces only what follows the "=", each completion is given from there.
    """

    replaced_from = ""  # what precedes the part of the word bash replaces

    def get_completion_args(self) -> tuple[list[str], str]:
        args, incomplete = super().get_completion_args()
        words: list[str] = []
        glue = False
        for word in [*args, incomplete]:
            if word == "=" and words:
                words[-1] += "="
                glue = True
            elif glue:
                words[-1] += word
                glue = False
            else:
                words.append(word)
        if len(words) == len(args) + 1:  # nothing was joined
            return args, incomplete
        joined = words[-1]
        self.replaced_from = joined if incomplete == "=" else joined[: len(joined) - len(incomplete)]
        return words[:-1], joined

    def format_completion(self, item: CompletionItem) -> str:
        value = str(item.value)
        return value[len(self.replaced_from) :] if self.replaced_from and value.startswith(self.replaced_from) else value


def _completion_lang(ctx: _click.Context) -> Lang:
    lang: Lang | None = ctx.meta.get(_LANG_META)
    return lang or resolve_lang(None)


def _completion_rules(ctx: _click.Context) -> Rules | None:
    """The rules a completion draws on (--data if typed, else the usual); None when they cannot be read."""
    from mitra_cli.ruledata.store import load_rules

    data = ctx.find_root().params.get("data")
    try:
        return load_rules(data if isinstance(data, str) else None)
    except (MitraError, OSError):
        return None


_LANG_NAMES = {"id": "help.lang.id", "en": "help.lang.en"}


def complete_lang(ctx: _click.Context, incomplete: str) -> list[tuple[str, str]]:
    """--lang: the languages mitra speaks."""
    lang = _completion_lang(ctx)
    return [(code, message(key, lang)) for code, key in _LANG_NAMES.items() if code.startswith(incomplete)]


def complete_pattern(ctx: _click.Context, incomplete: str) -> list[tuple[str, str]]:
    """A pattern id or alias, with the pattern's name; a pattern already named on the line is not offered again."""
    loaded = _completion_rules(ctx)
    if loaded is None:
        return []
    lang = _completion_lang(ctx)
    typed = [word for value in ctx.params.values() for word in (value if isinstance(value, (list, tuple)) else [value])]
    named = {found.id for word in typed if isinstance(word, str) and (found := loaded.find_pattern(word)) is not None}
    return [
        (word, pattern.name.get(lang))
        for pattern in loaded.patterns
        if pattern.id not in named
        for word in (pattern.id, *pattern.aliases)
        if word.startswith(incomplete)
    ]


def complete_set(ctx: _click.Context, incomplete: str) -> list[tuple[str, str]]:
    """--set ID=VALUE: a question id ("size="), then that question's values ("size=micro", "goals=trade,quality")."""
    loaded = _completion_rules(ctx)
    if loaded is None:
        return []
    lang = _completion_lang(ctx)
    if "=" not in incomplete:
        matching = [q for q in loaded.questions if q.id.startswith(incomplete)]
        if len(matching) != 1:  # several ids: each as "id=" (a shell shows them all, and fills in what they share)
            return [(f"{q.id}=", q.short.get(lang)) for q in matching]
        incomplete = f"{matching[0].id}="  # one id: straight to its values, so no space follows a lone "id="
    question_id, _, typed = incomplete.partition("=")
    question = next((q for q in loaded.questions if q.id == question_id), None)
    if question is None:
        return []
    done, comma, last = typed.rpartition(",") if question.kind == "many" else ("", "", typed)
    chosen = set(done.split(",")) if comma else set()
    head = f"{question_id}={done}{comma}"
    return [
        (head + choice.value, choice.label.get(lang))
        for choice in question.choices
        if choice.value.startswith(last) and choice.value not in chosen
    ]
