"""The project's own exceptions.

The rule-data reader, the answers checker and the engine raise these; only
the command layer turns them into messages and exit codes.  Each error
carries a message key and its parameters, never text: ``mitra_cli.views.i18n.describe``
says it in the user's language (the sentences live in data/ui.yaml).
"""

from __future__ import annotations

from typing import Any, NamedTuple


def type_name(value: object) -> str:
    """What kind of value this is, in the words error messages use."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__


EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_CANCELLED = 130


class Problem(NamedTuple):
    """One located problem in a file: where, and what (as a message key)."""

    file: str
    line: int | None
    path: str
    key: str
    params: dict[str, Any]


class MitraError(Exception):
    """Base of every error mitra reports to a person."""

    exit_code = EXIT_INVALID

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def __str__(self) -> str:
        # For library users and logs; people get `mitra_cli.views.i18n.describe(error, lang)`.
        return f"{self.key} {self.params}" if self.params else self.key


class ProblemsError(MitraError):
    """Several located problems, reported together, then one line of advice."""

    summary_key = "data.invalid"

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(self.summary_key, count=len(problems))
        self.problems = problems

    def __str__(self) -> str:
        located = (f"{p.file}:{p.line}" if p.line is not None else p.file for p in self.problems)
        return "; ".join(
            f"{where}: {p.path + ': ' if p.path else ''}{p.key}{' ' + str(p.params) if p.params else ''}"
            for where, p in zip(located, self.problems)
        )


class DataError(ProblemsError):
    """Rule data (a YAML file in a data directory) is broken; lists every problem."""

    summary_key = "data.invalid"


class AnswersError(ProblemsError):
    """Answers are invalid: a wrong value, a wrong type, an unknown question."""

    summary_key = "answers.invalid"


class ResponsesError(AnswersError):
    """A respondent's answers to `mitra assess` are invalid: the same problems, with assess's own advice."""

    summary_key = "assess.answers_invalid"


class InputFileError(MitraError):
    """A file the user gave cannot be read or parsed (answers, batch input)."""


class UsageError(MitraError):
    """Wrong command-line usage (exit code 2)."""

    exit_code = EXIT_USAGE


class Cancelled(MitraError):
    """The user pressed Ctrl-C."""

    exit_code = EXIT_CANCELLED

    def __init__(self) -> None:
        super().__init__("cancelled")


class EndOfInput(MitraError):
    """Standard input ended while a question was being asked (`key`: the advice, which a command may make its own)."""

    def __init__(self, question: str, *, key: str = "prompt.eof") -> None:
        super().__init__(key, question=question)
