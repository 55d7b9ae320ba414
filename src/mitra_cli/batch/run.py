"""`mitra recommend --batch`: JSON Lines in, one result line out per input line.

The input is streamed in blocks of lines, so memory stays flat however long it
is.  A bad line (not JSON, not an object, a key given twice, invalid answers,
longer than MAX_LINE_BYTES) becomes an error line in place,
``{"schema_version": 1, "line": N, "error": "..."}``; every other line is
scored, and the caller exits 1 at the end if any line failed.  Lines follow
the rules of answers files: a key may not appear twice, and a UTF-8 byte order
mark may open the input.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson

from mitra_cli.batch import workers as parallel
from mitra_cli.core.answers import Answer, Answers
from mitra_cli.core.engine import answer_pairs, plain_number
from mitra_cli.core.errors import AnswersError, InputFileError, MitraError, Problem
from mitra_cli.core.lang import Lang
from mitra_cli.core.recommendation import SCHEMA_VERSION, Advisor, deciding_reasons
from mitra_cli.views.i18n import describe, message

_ABSENT = object()  # a question the line does not answer (unlike a null, which is an answer)
PROGRESS_EVERY = 500  # lines between progress-bar updates
# The longest input line read, its newline aside: an answers object is a few
# hundred bytes, and a longer line is answered with an error line and skipped.
MAX_LINE_BYTES = 4 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"  # UTF-8's byte order mark, allowed at the start of the input as in answers files
# Compiled answers and encoded parts kept at once, per memo; a full memo is
# emptied and refilled, so memory stays flat however long or varied the input.
_MEMO_LIMIT = 4_000
# At most this many "one" questions share a memo: more would give more combinations than it holds.
_RUN_LENGTH = 3
_FACT_LIMIT = 2_000  # what each derived fact's value gives every pattern
_TAIL_LIMIT = 2_000  # principles and benefits, about 2 KB each


def open_input(name: str | None) -> tuple[AbstractContextManager[IO[bytes]], int | None]:
    """The binary stream to read, and its size in bytes when known (for progress)."""
    if name is None or name == "-":
        return nullcontext(sys.stdin.buffer), None
    path = Path(name).expanduser()
    if path.is_dir():
        raise InputFileError("file.is_dir", file=name)
    try:
        return path.open("rb"), path.stat().st_size
    except FileNotFoundError:
        raise InputFileError("file.missing", file=name) from None
    except OSError as exc:
        raise InputFileError("file.unreadable", file=name, reason=exc.strerror or str(exc)) from None


@dataclass(frozen=True, slots=True, eq=False)  # compared and hashed by identity
class _Part:
    """What one answer to a "many" question gives every pattern, ready to be written."""

    answer: Answer
    points: tuple[int | float, ...]
    reasons: tuple[bytes, ...]  # per pattern: its encoded reasons, comma-separated (b"" for none)


@dataclass(frozen=True, slots=True, eq=False)  # compared and hashed by identity
class _Run:
    """Answers to a run of consecutive "one" questions (the last run also holds
    the derived facts), with what they give every pattern."""

    answers: dict[str, Any]
    derived: dict[str, Answer]
    points: tuple[int | float, ...]
    reasons: tuple[bytes, ...]


def _encode(value: Any) -> bytes:
    return orjson.dumps(value)


class LineScorer:
    """Scores JSON lines into result lines, byte for byte what --json prints.

    A result is several KB of JSON, mostly the same from one line to the
    next, so it is written from parts encoded once: each run of consecutive
    "one" questions answered alike (a _Run: points, reasons, derived facts),
    each distinct answer to a "many" question (a _Part), each pattern's
    ranking prefix, and the text after the ranking.  A line is then a few
    look-ups, a sum per pattern and joins.  The tests hold every line equal
    to ``orjson.dumps(advisor.result(...))``.  Anything unusual (an unknown
    question, a value never seen, a missing answer) goes through the ordinary
    checker, which gives the same answers or the error.
    """

    def __init__(self, advisor: Advisor, lang: Lang, *, what_if: bool) -> None:
        self.advisor = advisor
        self.engine = advisor.engine
        self.lang: Lang = lang
        self.what_if = what_if
        self.questions = advisor.checker.question_ids
        self.specs = advisor.checker.specs
        # The questionnaire as segments: a tuple of "one" question ids, or a "many" question id.
        self.layout: list[tuple[str, ...] | str] = [()]
        for question in self.questions:
            if self.specs[question].many:
                self.layout += [question, ()]
            elif len(self.layout[-1]) >= _RUN_LENGTH:
                self.layout.append((question,))
            else:
                self.layout[-1] += (question,)  # type: ignore[operator]
        # Each derived fact depends only on the questions it reads: remembered per fact
        # under those answers, then the facts' values together key their contribution.
        self.facts = advisor.rules.derived
        self.fact_parts: dict[tuple[str, Any], _Part] = {}
        # Facts some rule scores (the others only show in `derived`, or feed caveats and steps).
        self.scored = frozenset(rule.question for pattern in advisor.rules.patterns for rule in pattern.scoring)
        self.optional = frozenset(q.id for q in advisor.rules.questions if q.optional)
        self.derived_runs: dict[tuple[Any, ...], _Run] = {}

        patterns = self.engine.patterns
        self.ids = [pattern.id for pattern in patterns]
        first = [_encode({"pattern": p.id, "name": p.name.get(lang)})[:-1] + b',"score":' for p in patterns]
        self.entry_first, self.entry_next = first, [b"," + prefix for prefix in first]
        self.head = _encode({"schema_version": SCHEMA_VERSION, "lang": lang, "data_version": advisor.rules.version})[:-1]
        # One memo per segment of the layout: raw answer(s) -> compiled segment.
        self.memos: list[dict[Any, Any]] = [{} for _ in self.layout]

        self.tails: dict[tuple[Any, ...], bytes] = {}
        self.caveat_tails: dict[tuple[Any, ...], bytes] = {}
        self.closings: dict[tuple[int, str], bytes] = {}
        # Answers to "many" questions by their canonical form, whatever order they came in.
        self.canonical_parts: dict[tuple[str, Any], _Part] = {}
        self.heads: dict[str, bytes] = {}
        self.numbers: dict[int | float, tuple[float, bytes]] = {}
        self.encoded = {id(reason): _encode(reason) for reason in self.engine.reasons}
        self.failures = 0  # lines answered with an error line (counted by score_line)

    # -- compiling parts, once per distinct answer --------------------------------

    def _contribution(self, facts: list[tuple[str, str]]) -> tuple[tuple[int | float, ...], tuple[bytes, ...]]:
        columns = [self.engine.column(fact) for fact in facts]
        count = len(self.ids)
        points = tuple(sum(column[0][i] for column in columns) for i in range(count))
        reasons = tuple(
            b",".join(self.encoded[id(column[1][i])] for column in columns if column[1][i] is not None) for i in range(count)
        )
        return points, reasons

    def _part(self, question: str, answer: Answer) -> _Part:
        values = [answer] if isinstance(answer, str) else answer
        return _Part(answer, *self._contribution([(question, value) for value in values]))

    def _run(self, answers: dict[str, str], derived: dict[str, Answer] | None = None) -> _Run:
        derived = derived or {}
        pairs = [(fact, value) for fact, found in derived.items() for value in ([found] if isinstance(found, str) else found)]
        return _Run(answers, derived, *self._contribution([*answers.items(), *pairs]))

    def _remember(self, store: dict[Any, Any], key: Any, value: Any, limit: int = _MEMO_LIMIT) -> Any:
        if len(store) >= limit:
            store.clear()
        store[key] = value
        return value

    def _number(self, total: int | float) -> tuple[float, bytes]:
        """A total's score, and `SCORE,"points":POINTS` encoded."""
        known = self.numbers.get(total)
        if known is None:
            score = self.engine.fit(total)
            known = self._remember(self.numbers, total, (score, _encode(score) + b',"points":' + _encode(plain_number(total))))
        return known

    def _tail(self, top: int, answers: Mapping[str, Any]) -> tuple[bytes, bytes, bytes]:
        """`,"principles":...,"trust":...}` for this pattern and these answers.

        Encoded in three pieces, each remembered under only what it depends on:
        principles and benefits (the pattern and the answers that call for
        them, such as goals), caveats (the
        pattern and the answers caveats look at), next steps and trust (the
        pattern alone).
        """
        links_key = (top, self.advisor.link_key(answers))
        caveats_key = (top, self.advisor.caveat_key(answers))
        by_links = self.tails.get(links_key)
        by_caveats = self.caveat_tails.get(caveats_key)
        closing_key = (top, self.advisor.asker(answers))  # next steps differ for the smaller party
        closing = self.closings.get(closing_key)
        if by_links is None or by_caveats is None or closing is None:
            tail = self.advisor.tail(self.ids[top], answers, self.lang)
            by_links = b',"principles":' + _encode(tail["principles"]) + b',"benefits":' + _encode(tail["benefits"])
            by_caveats = b',"caveats":' + _encode(tail["caveats"])
            closing = b',"next_steps":' + _encode(tail["next_steps"]) + b',"trust":' + _encode(tail["trust"]) + b"}"
            self._remember(self.tails, links_key, by_links, _TAIL_LIMIT)
            self._remember(self.caveat_tails, caveats_key, by_caveats)
            self.closings[closing_key] = closing
        return by_links, by_caveats, closing

    def _recommendation(self, pattern_id: str) -> bytes:
        head = self.heads.get(pattern_id)
        if head is None:
            head = self.heads[pattern_id] = _encode(self.advisor.pattern_head(pattern_id, self.lang))[:-1] + b',"score":'
        return head

    # -- one line ------------------------------------------------------------------

    def _compiled(self, raw: dict[str, Any]) -> tuple[Answers, dict[str, Answer], list[tuple[Any, ...]], list[tuple[bytes, ...]]]:
        """Answers, derived facts, and the rows of points and of reasons to add up, for `raw`."""
        answers: Answers = {}
        segments: list[_Run | _Part] = []
        present = 0
        for segment, memo in zip(self.layout, self.memos):
            if segment.__class__ is str:
                question: str = segment
                if question in self.optional and question not in raw:
                    continue  # not stated (a null is an answer, and refused as in answers files)
                value = raw.get(question)
                present += question in raw
                hashable = tuple(value) if value.__class__ is list else value
                part = memo.get(hashable)
                if part is None:
                    answer = self.specs[question].canonical(value)
                    if answer is None:
                        raise LookupError(question)
                    canonical_key = (question, tuple(answer) if isinstance(answer, list) else answer)
                    part = self.canonical_parts.get(canonical_key)
                    if part is None:
                        part = self._remember(self.canonical_parts, canonical_key, self._part(question, answer))
                    self._remember(memo, hashable, part)
                answers[question] = part.answer
                segments.append(part)
            else:
                key = tuple(raw.get(question, _ABSENT) for question in segment)
                present += sum(question in raw for question in segment)
                run = memo.get(key)
                if run is None:
                    run = self._remember(memo, key, self._run(self._canonical_run(segment, key), []))  # type: ignore[arg-type]
                answers.update(run.answers)
                segments.append(run)
        if present != len(raw):
            raise LookupError("unknown question")
        derived = self._derived_run(answers)
        segments.append(derived)
        return answers, derived.derived, [s.points for s in segments], [s.reasons for s in segments]

    def _deciding(self, answers: Answers, derived: dict[str, Answer], first: int, second: int) -> list[dict[str, Any]]:
        """`deciding` for a close call between patterns `first` and `second`, from their reasons."""
        facts = answer_pairs({**answers, **derived})
        reasons = [
            [reason for fact in facts if (reason := self.engine.column(fact)[1][index]) is not None] for index in (first, second)
        ]
        return deciding_reasons(
            {"pattern": self.ids[first], "reasons": reasons[0]}, {"pattern": self.ids[second], "reasons": reasons[1]}
        )

    def _derived_run(self, answers: Answers) -> _Run:
        """The derived facts of `answers` and what they give every pattern.

        What a fact's value gives every pattern is remembered once; the facts'
        values together key the run that adds them up.
        """
        facts = self.engine.derive(answers)
        values: list[Any] = [facts.get(fact.id) for fact in self.facts]
        values = [tuple(value) if value.__class__ is list else value for value in values]
        run_key = tuple(values)
        run = self.derived_runs.get(run_key)
        if run is None:
            derived: dict[str, Answer] = {}
            parts = []
            for fact, value in zip(self.facts, values, strict=True):
                if value is not None:
                    derived[fact.id] = list(value) if isinstance(value, tuple) else value
                    if fact.id in self.scored:
                        parts.append(self._fact_part(fact.id, value))
            count = len(self.ids)
            points = tuple(sum(part.points[i] for part in parts) for i in range(count))
            reasons = tuple(b",".join(part.reasons[i] for part in parts if part.reasons[i]) for i in range(count))
            run = self._remember(self.derived_runs, run_key, _Run({}, derived, points, reasons))
        return run

    def _fact_part(self, fact_id: str, value: Any) -> _Part:
        """What one derived fact's value gives every pattern, worked out once."""
        key = (fact_id, value)
        part = self.canonical_parts.get(key)
        if part is None:
            part = self._remember(
                self.canonical_parts, key, self._part(fact_id, list(value) if isinstance(value, tuple) else value)
            )
        return part

    def _canonical_run(self, segment: tuple[str, ...], values: tuple[Any, ...]) -> dict[str, str]:
        answers = {}
        for question, value in zip(segment, values, strict=True):
            if value is _ABSENT and question in self.optional:
                continue  # not stated
            answer = self.specs[question].canonical(None if value is _ABSENT else value)
            if answer is None:
                raise LookupError(question)
            answers[question] = answer
        return answers  # type: ignore[return-value]

    def line(self, raw: dict[str, Any], number: int) -> bytes:
        """The result line (with its newline) for the answers `raw` of input line `number`."""
        try:
            answers, derived, point_rows, reason_rows = self._compiled(raw)
        except (LookupError, TypeError):
            # The ordinary path: it normalises what it can and names every problem.
            source = message("batch.line", self.lang, line=number)
            complete = self.advisor.complete(self.advisor.checker.check(raw, source=source), source=source)
            answers, derived, point_rows, reason_rows = self._compiled(complete)
        totals = [sum(column) for column in zip(*point_rows)]
        reasons = [b",".join(filter(None, column)) for column in zip(*reason_rows)]
        # sorted() is stable: equal points keep the data's order, as in the engine.
        negated = [-total for total in totals]
        order = sorted(range(len(totals)), key=negated.__getitem__)
        known = self.numbers.get
        numbers: list[tuple[float, bytes]] = [known(totals[i]) or self._number(totals[i]) for i in order]
        top = order[0]
        runner_up = numbers[1][0] if len(numbers) > 1 else numbers[0][0]
        margin = round(numbers[0][0] - runner_up, 1)
        close = b'false,"deciding":[]'
        if self.advisor.is_close(margin) and len(order) > 1:
            close = b'true,"deciding":' + _encode(self._deciding(answers, derived, order[0], order[1]))
        out = [
            self.head,
            b',"answers":',
            _encode(answers),
            b',"derived":',
            _encode(derived),
            b',"recommendation":',
            self._recommendation(self.ids[top]),
            numbers[0][1],
            b'},"margin":',
            _encode(margin),
            b',"close_call":',
            close,
            b',"ranking":[',
        ]
        opening = self.entry_first
        for i, (_, encoded) in zip(order, numbers, strict=True):
            out += (opening[i], encoded, b',"reasons":[', reasons[i], b"]}")
            opening = self.entry_next
        out.append(b"]")
        by_links, by_caveats, closing = self._tail(top, {**answers, **derived})
        if self.what_if:
            out += (by_links, by_caveats, closing[:-1], b',"what_if":', _encode(self.advisor.what_if(answers)), b"}\n")
        else:
            out += (by_links, by_caveats, closing, b"\n")
        return b"".join(out)


def score_line(scorer: LineScorer, line: bytes, number: int) -> bytes:
    """The output line for input line `number` (an error line adds one to scorer.failures)."""
    lang = scorer.lang
    try:
        try:
            raw: Any = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise MitraError("batch.not_json", detail=str(exc).split(":")[0]) from None
        if not isinstance(raw, dict):
            raise MitraError("batch.not_object")
        # orjson keeps the last of a key given twice.  Every key is followed by a
        # colon, so a line with no more colons than keys has none twice; only
        # other lines (a colon in a value, or a duplicate) are parsed again.
        if line.count(b":") > len(raw):
            key = duplicate_key(line)
            if key is not None:
                where = message("batch.line", lang, line=number)
                raise AnswersError([Problem(where, None, key, "yaml.duplicate_key", {"key": key})])
        return scorer.line(raw, number)
    except MitraError as error:
        scorer.failures += 1
        return error_line(error, number, lang)


def error_line(error: MitraError, number: int, lang: Lang) -> bytes:
    """The output line that says why input line `number` was not scored."""
    text = describe(error, lang, one_line=True)
    return orjson.dumps({"schema_version": SCHEMA_VERSION, "line": number, "error": text}) + b"\n"


def duplicate_key(line: bytes) -> str | None:
    """The first key given twice in the top-level object of the JSON text `line`, if any."""
    import json

    found: list[str | None] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: set[str] = set()
        twice = None
        for key, _ in items:
            if key in seen:
                twice = key
                break
            seen.add(key)
        found.append(twice)
        return {}  # the values are not needed

    try:
        json.loads(line, object_pairs_hook=pairs)
    except (ValueError, RecursionError):  # nested deeper than json goes: an invalid answer anyway
        return None
    return found[-1] if found else None  # objects close innermost first: the last is the top level


def too_long(limit: int) -> MitraError:
    return MitraError("batch.line_too_long", limit=f"{limit / (1024 * 1024):g} MiB")


class BatchStopped(MitraError):
    """SIGTERM or SIGHUP stopped the run: exit code 128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        super().__init__("batch.stopped", signal=signal.Signals(signum).name)
        self.exit_code = 128 + signum


def default_jobs() -> int:
    """One worker per available CPU, at most four (more only add overhead here)."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        available = os.cpu_count() or 1
    return max(1, min(available, 4))


def _output_fd() -> int | None:
    try:
        return sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return None  # an in-memory stdout (as in tests): no workers, write in-process


def run_batch(advisor: Advisor, answers_file: str | None, lang: Lang, *, what_if: bool, jobs: int) -> bool:
    """Score every line of the input in order; True if any line failed.

    SIGINT stops the run as Ctrl-C (KeyboardInterrupt, exit code 130); SIGTERM
    and SIGHUP stop it with BatchStopped (exit code 128 + the signal).  Either
    way every worker is stopped first, and every line written is whole.
    """
    stream_cm, total = open_input(answers_file)
    scorer = LineScorer(advisor, lang, what_if=what_if)
    out_fd = _output_fd()
    # Scoring makes no reference cycles, so the cyclic collector only costs
    # time here; frozen objects are also not touched (copied) in forked workers.
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        with parallel.stopping_on_signals():
            return _run(scorer, stream_cm, total, out_fd, jobs)
    except parallel.Stopped as stopped:
        if stopped.signum == signal.SIGINT:
            raise KeyboardInterrupt from None
        raise BatchStopped(stopped.signum) from None
    finally:
        gc.enable()
        gc.unfreeze()


def _run(
    scorer: LineScorer, stream_cm: AbstractContextManager[IO[bytes]], total: int | None, out_fd: int | None, jobs: int
) -> bool:
    limit = MAX_LINE_BYTES  # read here, so that tests may lower it

    def work(text: bytes | None, first: int) -> tuple[list[bytes], bool]:
        """The output lines for one chunk of input lines (None: line `first` was too long)."""
        if text is None:
            return [error_line(too_long(limit), first, scorer.lang)], True
        if first == 1 and text.startswith(_BOM):
            text = text[len(_BOM) :]
        failures = scorer.failures
        outputs = [score_line(scorer, line, number) for number, line in enumerate(text.split(b"\n")[:-1], first)]
        return outputs, scorer.failures != failures

    with stream_cm as stream, _Progress(total, stream) as progress:
        source = parallel.chunks(stream, limit)
        if jobs > 1 and out_fd is not None and hasattr(os, "fork"):
            try:
                return parallel.run(work, source, jobs, out_fd, progress.advance if progress else None)
            except parallel.OutputClosed:
                raise BrokenPipeError from None
            except parallel.OutputFailed as failure:
                raise MitraError("output.cannot_write", reason=str(failure)) from None
            except parallel.WorkerCrashed as crashed:
                raise MitraError("batch.worker_failed", statuses=str(crashed)) from None
            except parallel.CannotStart as failure:
                raise MitraError("batch.cannot_start", jobs=jobs, reason=str(failure)) from None
        failed = False
        if out_fd is not None:
            sys.stdout.flush()
        for first, text, count in source:
            outputs, chunk_failed = work(text, first)
            failed = failed or chunk_failed
            try:
                if out_fd is None:  # an in-memory stdout, as in tests
                    sys.stdout.buffer.writelines(outputs)
                else:
                    parallel.write_lines(out_fd, outputs)  # each line whole, even if a signal comes
            except BrokenPipeError:
                raise
            except OSError as error:  # a full disk: say so, not "bug"
                raise MitraError("output.cannot_write", reason=error.strerror or str(error)) from None
            if progress is not None:
                progress.advance(count)
        if out_fd is None:
            sys.stdout.buffer.flush()
        return failed


class _Progress(AbstractContextManager["_Progress | None"]):
    """A Rich progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, total: int | None, stream: IO[bytes]) -> None:
        self.total = total
        self.stream = stream
        self.lines = 0
        self.shown = 0
        self.bar: Any = None

    def __enter__(self) -> _Progress | None:
        if os.environ.get("TERM") == "dumb" or not sys.stderr.isatty():
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from mitra_cli.views.terminal import console

        columns: list[Any] = [TextColumn("mitra --batch"), BarColumn(), TimeElapsedColumn()]
        if self.total is None:
            columns.insert(2, MofNCompleteColumn())
        self.bar = Progress(*columns, console=console(stderr=True), transient=True)
        self.bar.start()
        self.task = self.bar.add_task("batch", total=self.total)
        return self

    def advance(self, lines: int) -> None:
        self.lines += lines
        if self.lines - self.shown < PROGRESS_EVERY:
            return
        self.shown = self.lines
        # With a file, progress is measured in bytes read; from a pipe, in lines.
        self.bar.update(self.task, completed=self.stream.tell() if self.total is not None else self.lines)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
