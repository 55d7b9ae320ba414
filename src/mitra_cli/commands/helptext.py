"""Help in the person's language: help texts are ui.yaml keys, said when help is shown.

The root group reads --lang/-l from the command line (else MITRA_LANG, else
the locale) and says every help text, Typer's panel titles and the usage
line in that language; a run that shows no help reads no sentence.  A
command opts in with ``app.command(NAME, cls=HelpCommand, help="help.NAME")``
and keys for its options' help.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from typer import _click
from typer.core import TyperCommand, TyperGroup

from mitra_cli.commands.common import say
from mitra_cli.commands.completion import LANG_META, BashComplete
from mitra_cli.core.lang import Lang
from mitra_cli.views.i18n import message, resolve_lang

HELP_KEY = "help."
HELP_ARGS = ("-h", "--help")
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
        prepare_help(self, ctx, ctx.meta.get(LANG_META) or resolve_lang(None))
        super().format_help(ctx, formatter)


class HelpCommand(_Helpful, TyperCommand):
    """A command whose help texts are ui.yaml keys: app.command(NAME, cls=HelpCommand, help="help.NAME")."""


class HelpGroup(_Helpful, TyperGroup):
    """A group whose help texts are ui.yaml keys; as the root, it prepares each run (see above)."""

    def parse_args(self, ctx: _click.Context, args: list[str]) -> list[str]:
        if ctx.parent is None:
            typed = typed_lang(args)
            lang = resolve_lang(typed)
            ctx.meta[LANG_META] = lang
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
