"""The `mitra` command: a thin Typer layer over the library.

The app, its global options and the entry point; each command lives in
``mitra_cli.commands`` (one module each, sharing ``commands.common``), and a
command's module is loaded only when that command runs (or when help or a
shell completion lists them all), so `--json` runs start fast.
"""

import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer import _click

from mitra_cli import __version__
from mitra_cli.commands.common import LangOption, Settings, say, settings, use_settings
from mitra_cli.commands.completion import LANG_META
from mitra_cli.commands.helptext import HelpGroup, asks_for_help
from mitra_cli.core.errors import EXIT_CANCELLED, EXIT_INVALID, EXIT_OK, MitraError
from mitra_cli.views.i18n import describe, message, resolve_lang

# Which module of mitra_cli.commands registers each command, in the order help lists them.
COMMAND_MODULES = {
    "patterns": "catalogue",
    "principles": "catalogue",
    "benefits": "catalogue",
    "guide": "catalogue",
    "questions": "catalogue",
    "validate": "catalogue",
    "recommend": "recommend",
    "classify": "classify",
    "assess": "assess",
}


class RootGroup(HelpGroup):
    """The `mitra` group, whose commands are built from their modules only when asked for."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """As Click's, but a usage error is one plain sentence on stderr in the person's language (exit 2), not a box."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except _click.exceptions.ClickException as error:
            context = getattr(error, "ctx", None)
            command = context.command_path if context is not None else "mitra"
            lang = (context.find_root().meta.get(LANG_META) if context is not None else None) or resolve_lang(None)
            text = error.format_message().rstrip(".")
            say(message("usage.error", lang, command=command, error=text))
            sys.exit(error.exit_code)
        except typer.Abort:
            say(message("cancelled", resolve_lang(settings().lang)))
            sys.exit(EXIT_INVALID)
        sys.exit(code if isinstance(code, int) else EXIT_OK)

    def parse_args(self, ctx: _click.Context, args: list[str]) -> list[str]:
        if ctx.parent is None and (ctx.resilient_parsing or asks_for_help(args)):
            self.list_commands(ctx)  # help and completion show every command, in the person's language
        return super().parse_args(ctx, args)

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            self.load(COMMAND_MODULES[cmd_name])
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: _click.Context) -> list[str]:
        for module in dict.fromkeys(COMMAND_MODULES.values()):
            self.load(module)
        return [name for name in COMMAND_MODULES if name in self.commands]

    def load(self, module_name: str) -> None:
        """Build the commands one module registers (on an app of their own) and add them here."""
        module = importlib.import_module(f"mitra_cli.commands.{module_name}")
        holder = typer.Typer()
        module.register(holder)
        for name, command in typer.main.get_group(holder).commands.items():
            if name not in self.commands:
                self.add_command(command, name)


# Help texts are keys of data/ui.yaml, said in the person's language (commands.helptext).
app = typer.Typer(
    name="mitra",
    cls=RootGroup,
    help="help.mitra",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion; completions from the rule data
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mitra {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    lang: LangOption = None,
    data: Annotated[str | None, typer.Option("--data", metavar="DIR", help="help.option.data")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="help.option.debug")] = False,
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="help.option.version")
    ] = False,
) -> None:
    """mitra: a partnership (kemitraan) advisor, in Indonesian and English."""
    use_settings(Settings(lang=lang, data=data, debug=debug))


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
        say(describe(error, resolve_lang(settings().lang)))
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
