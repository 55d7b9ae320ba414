"""Commands that read the catalogue: patterns, principles, benefits, guide, questions, validate."""

from typing import TYPE_CHECKING, Annotated

import typer

from mitra_cli.commands.common import JsonOption, LangOption, chosen_lang, emit, guarded, rules
from mitra_cli.commands.completion import complete_pattern
from mitra_cli.commands.helptext import HelpCommand, HelpGroup
from mitra_cli.core.errors import UsageError
from mitra_cli.core.model import Pattern, Rules
from mitra_cli.views.i18n import message
from mitra_cli.views.output import print_json

if TYPE_CHECKING:  # the JSON contract's types, for annotations only (building them costs start-up)
    from mitra_cli.core import shapes

# Help texts are keys of data/ui.yaml, said in the person's language (commands.helptext).
patterns_app = typer.Typer(cls=HelpGroup, help="help.patterns", invoke_without_command=True, no_args_is_help=False)


def find_patterns(loaded: Rules, typed: list[str], lang: str) -> list[Pattern]:
    found = []
    for name in typed:
        pattern = loaded.find_pattern(name)
        if pattern is None:
            valid = ", ".join(f"{p.id} ({', '.join(p.aliases)})" for p in loaded.patterns)
            raise UsageError("pattern.unknown", value=name, valid=valid)
        found.append(pattern)
    return found


@patterns_app.callback()
@guarded
def patterns(ctx: typer.Context, as_json: JsonOption = False, lang: LangOption = None) -> None:
    """List the six partnership patterns (pola kemitraan)."""
    if ctx.invoked_subcommand is not None:
        return
    from mitra_cli.views import catalogue

    chosen = chosen_lang(lang)
    loaded = rules()
    items = [catalogue.pattern_brief(p, chosen) for p in loaded.patterns]
    emit(items, as_json, chosen, lambda view, obj: view.patterns_table(obj))


@patterns_app.command("show", cls=HelpCommand, help="help.patterns.show")
@guarded
def show(
    pattern: Annotated[
        str, typer.Argument(metavar="PATTERN", help="help.patterns.show.pattern", autocompletion=complete_pattern)
    ],
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Everything about one pattern, with its diagram."""
    from mitra_cli.views import catalogue

    chosen = chosen_lang(lang)
    loaded = rules()
    (found,) = find_patterns(loaded, [pattern], chosen)
    obj = catalogue.pattern_full(found, loaded, chosen)
    emit(obj, as_json, chosen, lambda view, obj: view.pattern(obj))


@patterns_app.command("compare", cls=HelpCommand, help="help.patterns.compare")
@guarded
def compare(
    names: Annotated[
        list[str], typer.Argument(metavar="PATTERN...", help="help.patterns.compare.patterns", autocompletion=complete_pattern)
    ],
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Patterns side by side: relationship, who brings what, principles, benefits, caveats, statutory form."""
    from mitra_cli.views import catalogue

    chosen = chosen_lang(lang)
    if len(names) < 2:
        raise UsageError("pattern.compare_two")
    loaded = rules()
    found = find_patterns(loaded, names, chosen)
    first_named: dict[str, str] = {}
    for typed, pattern in zip(names, found):
        if pattern.id in first_named:  # the same pattern twice, by id or alias: nothing to compare it with
            raise UsageError("pattern.compare_twice", first=first_named[pattern.id], second=typed, pattern=pattern.id)
        first_named[pattern.id] = typed
    objs = [catalogue.pattern_full(p, loaded, chosen) for p in found]
    emit({"patterns": objs}, as_json, chosen, lambda view, obj: view.compare(obj["patterns"]))


@guarded
def principles(as_json: JsonOption = False, lang: LangOption = None) -> None:
    """The five principles of partnership, each with its meaning."""
    from mitra_cli.views import catalogue

    chosen = chosen_lang(lang)
    items = [catalogue.item(p, chosen) for p in rules().principles]
    emit(items, as_json, chosen, lambda view, obj: view.items("view.principles.title", obj))


@guarded
def benefits(as_json: JsonOption = False, lang: LangOption = None) -> None:
    """The eight benefits of partnership, each with its meaning."""
    from mitra_cli.views import catalogue

    chosen = chosen_lang(lang)
    items = [catalogue.item(b, chosen) for b in rules().benefits]
    emit(items, as_json, chosen, lambda view, obj: view.items("view.benefits.title", obj))


@guarded
def guide(as_json: JsonOption = False, lang: LangOption = None) -> None:
    """Why partnership matters, the concept, trust, who partners, and the process."""
    from mitra_cli.views import catalogue

    chosen = chosen_lang(lang)
    obj = catalogue.guide(rules(), chosen)
    emit(obj, as_json, chosen, lambda view, obj: view.guide(obj))


@guarded
def questions(as_json: JsonOption = False, lang: LangOption = None) -> None:
    """The questionnaire of `mitra recommend`: ids, kinds and choices."""
    from mitra_cli.views import catalogue

    chosen = chosen_lang(lang)
    loaded = rules()
    items: list[shapes.QuestionEntry | shapes.DerivedEntry] = [catalogue.question(q, chosen) for q in loaded.questions]
    items += [catalogue.derived_fact(d, chosen) for d in loaded.derived]
    emit(items, as_json, chosen, lambda view, obj: view.questions(obj))


@guarded
def validate(
    directory: Annotated[
        str | None,
        typer.Argument(metavar="[DIR]", help="help.validate.dir"),
    ] = None,
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Check a rule-data directory and report every problem with file, line and field."""
    from mitra_cli.commands.common import settings
    from mitra_cli.ruledata.build import build_rules
    from mitra_cli.ruledata.location import resolve_data_dir

    chosen = chosen_lang(lang)
    target = resolve_data_dir(directory or settings().data)
    loaded = build_rules(target)  # always validated afresh, never from the cache
    counts = {
        "patterns": len(loaded.patterns),
        "principles": len(loaded.principles),
        "benefits": len(loaded.benefits),
        "questions": len(loaded.questions),
    }
    if as_json:
        print_json({"valid": True, "dir": str(target), "version": loaded.version, **counts})
    else:
        typer.echo(message("data.valid", chosen, dir=str(target), **counts))


def register(app: typer.Typer) -> None:
    app.add_typer(patterns_app, name="patterns")
    for command, help_key in (
        (principles, "help.principles"),
        (benefits, "help.benefits"),
        (guide, "help.guide"),
        (questions, "help.questions"),
        (validate, "help.validate"),
    ):
        app.command(command.__name__, cls=HelpCommand, help=help_key)(command)
