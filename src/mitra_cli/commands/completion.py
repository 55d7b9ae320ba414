"""Shell completion: commands and options (Typer), pattern ids and aliases, --lang, and --set ID=VALUE.

Everything offered comes from the rule data (--data respected), described in
the person's language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from typer import _click
from typer import _completion_classes as typer_completion
from typer._click.shell_completion import CompletionItem

from mitra_cli.core.errors import MitraError
from mitra_cli.core.lang import Lang
from mitra_cli.views.i18n import message, resolve_lang

if TYPE_CHECKING:
    from mitra_cli.core.model import Rules

LANG_META = "mitra.help_lang"  # where the root group leaves the person's language for help and completion


class LangType(_click.types.StringParamType):
    """The value of --lang: text (checked by chosen_lang), completed with the languages mitra speaks.

    Completion lives on the type rather than in an `autocompletion` function, which Typer would
    inspect for every command on every run.
    """

    name = "lang"

    def shell_complete(self, ctx: _click.Context, param: _click.Parameter, incomplete: str) -> list[CompletionItem]:
        return [CompletionItem(code, help=text) for code, text in complete_lang(ctx, incomplete)]


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
    lang: Lang | None = ctx.meta.get(LANG_META)
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
