"""Asking questions in a terminal: numbered choices, help, going back.

Used by the questionnaire of `recommend` and the statements of `assess`.
Everything is written to stderr, so stdout holds only the result.  A choice
is typed by its number or its value, several separated by commas; `?` shows
the help; `<` goes back; Enter takes the default.  Ctrl-C raises Cancelled,
end of input raises EndOfInput: the CLI turns both into one line.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from rich.console import Console
from rich.text import Text

from mitra_cli.core.answers import labelled
from mitra_cli.core.errors import Cancelled, EndOfInput
from mitra_cli.core.lang import Lang
from mitra_cli.views.i18n import message

BACK = "<"
HELP = "?"


@dataclass
class Ask:
    """One thing to ask: its id, wording, choices and how to read an answer."""

    id: str
    text: str
    help: str
    choices: Sequence[tuple[str, str]]  # (value, label)
    many: bool = False
    min_choices: int = 0
    default: Any = None  # a value, a list of values, or None for no default
    # Extra parsing before choices are matched (for example rupiah amounts):
    # returns (value, note to show) or None when it does not apply.
    convert: Callable[[str], tuple[str, str] | None] | None = None
    match: Callable[[str], str | None] = field(default=lambda typed: None)
    optional: bool = False  # Enter without a default leaves it unstated
    # Asked only if this says so, given the answers so far (conditions in questions.yaml).
    relevant: Callable[[dict[str, Any]], bool] = field(default=lambda answers: True)


class GoBack(Exception):
    """The user typed `<`."""


class Asker:
    def __init__(self, console: Console, lang: Lang, stdin: TextIO | None = None) -> None:
        self.console = console
        self.lang = lang
        self.stdin = stdin or sys.stdin

    def t(self, key: str, **params: Any) -> str:
        return message(key, self.lang, **params)

    def run(self, asks: Sequence[Ask], answers: dict[str, Any]) -> dict[str, Any]:
        """Ask each of `asks` in turn (with `<` going back); returns the answers."""
        index, step = 0, 1
        while 0 <= index < len(asks):
            ask = asks[index]
            if not ask.relevant(answers):  # its condition fails on the answers so far: skip it either way
                answers.pop(ask.id, None)
                index += step
                continue
            # Numbered among the questions that apply, given the answers so far.
            shown = [a for a in asks if a.relevant(answers)]
            try:
                answer = self.ask(ask, shown.index(ask) + 1, len(shown), answers.get(ask.id, ask.default))
                if answer is None:
                    answers.pop(ask.id, None)  # left unstated
                else:
                    answers[ask.id] = answer
                index, step = index + 1, 1
            except GoBack:
                earlier = [i for i in range(index) if asks[i].relevant(answers)]
                if not earlier:
                    self.console.print(Text(self.t("prompt.at_first"), style="yellow"))
                else:
                    index, step = earlier[-1], -1
        return answers

    def ask(self, ask: Ask, number: int, total: int, default: Any) -> Any:
        self.show(ask, number, total, default)
        while True:
            typed = self.read_line(ask.id)
            if typed == HELP:
                self.console.print(Text(ask.help, style="italic"))
                continue
            if typed == BACK:
                raise GoBack
            try:
                return self.parse(ask, typed, default)
            except ValueError as problem:
                self.console.print(Text(str(problem), style="red"))

    def show(self, ask: Ask, number: int, total: int, default: Any) -> None:
        self.console.print()
        head = Text(f"{number}/{total}  ", style="bold cyan")
        head.append(ask.text, style="bold")
        self.console.print(head)
        for position, (value, label) in enumerate(ask.choices, start=1):
            line = Text(f"  {position:>2}) ", style="cyan")
            line.append(label)
            line.append(f"  [{value}]", style="dim")
            self.console.print(line)
        hint = self.t("prompt.hint_many" if ask.many else "prompt.hint_one")
        self.console.print(Text(f"  {hint}  " + self.default_text(ask, default), style="dim"))

    def default_text(self, ask: Ask, default: Any) -> str:
        labels = dict(ask.choices)
        if ask.many:
            if default:
                return self.t("prompt.default", value=", ".join(labels.get(v, v) for v in default))
            if ask.min_choices == 0:
                return self.t("prompt.default_none")
            return ""
        if default is None:
            return self.t("prompt.default_unstated") if ask.optional else ""
        return self.t("prompt.default", value=labels.get(default, default))

    def read_line(self, ask_id: str) -> str:
        self.console.print(Text("> ", style="bold"), end="")
        self.console.file.flush()
        try:
            line = self.stdin.readline()
        except KeyboardInterrupt:
            raise Cancelled from None
        if not line:
            self.console.print()
            raise EndOfInput(ask_id)
        return line.strip()

    def parse(self, ask: Ask, typed: str, default: Any) -> Any:
        if not typed:
            if ask.optional and default is None:
                return None
            if ask.many and default is None and ask.min_choices == 0:
                return []
            if default is None or (ask.many and len(default) < ask.min_choices):
                raise ValueError(self.t("prompt.required"))
            return default
        parts = [part.strip() for part in typed.split(",")] if ask.many else [typed]
        chosen: list[str] = []
        for part in parts:
            if not part:
                continue
            value = self.pick(ask, part)
            if value not in chosen:
                chosen.append(value)
        if ask.many:
            if len(chosen) < ask.min_choices:
                raise ValueError(self.t("prompt.too_few", count=ask.min_choices))
            order = [value for value, _ in ask.choices]
            return sorted(chosen, key=order.index)
        return chosen[0]

    def pick(self, ask: Ask, part: str) -> str:
        values = [value for value, _ in ask.choices]
        if part.isascii() and part.isdigit() and 1 <= int(part) <= len(values):
            return values[int(part) - 1]
        if ask.convert is not None:
            converted = ask.convert(part)
            if converted is not None:
                value, note = converted
                self.console.print(Text(note, style="green"))
                return value
        matched = ask.match(part)
        if matched is not None:
            return matched
        valid = ", ".join(labelled(value, label) for value, label in ask.choices)
        raise ValueError(self.t("prompt.invalid", value=part, count=len(values), valid=valid))
