"""Score the case library: how often mitra's top pattern is the one the case expects.

    python tests/cases/score.py            # figures, then every miss
    python tests/cases/score.py --all      # every case, with its margin
    python tests/cases/score.py heldout    # the held-out cases (heldout.yaml)

Strict: the top pattern is the expected one.  Lenient: it is the expected
one or the case's one acceptable second.  Pairs: both sides of a mirrored
partnership get the same top pattern.  The cases (cases.yaml) were written
blind: see the comment at the top of that file.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from mitra_cli import load_rules, recommend

CASES = Path(__file__).with_name("cases.yaml")
HELDOUT = Path(__file__).with_name("heldout.yaml")  # written after the model was built, never tuned on


class Outcome(NamedTuple):
    case: dict[str, Any]
    top: str
    margin: float
    close_call: bool

    @property
    def strict(self) -> bool:
        return self.top == self.case["expected"]

    @property
    def lenient(self) -> bool:
        return self.strict or self.top == self.case.get("acceptable")


def load_cases(path: Path = CASES) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return cases


def score_cases(cases: list[dict[str, Any]], data: str | None = None) -> list[Outcome]:
    rules = load_rules(data)
    outcomes = []
    for case in cases:
        result = recommend(case["answers"], rules=rules)
        outcomes.append(Outcome(case, result["recommendation"]["pattern"], result["margin"], result["close_call"]))
    return outcomes


def pair_agreement(outcomes: list[Outcome]) -> tuple[int, int]:
    """(pairs whose two sides got the same top pattern, pairs)."""
    tops: dict[str, set[str]] = defaultdict(set)
    for outcome in outcomes:
        if "pair" in outcome.case:
            tops[outcome.case["pair"]].add(outcome.top)
    return sum(len(found) == 1 for found in tops.values()), len(tops)


def summary(outcomes: list[Outcome]) -> str:
    total = len(outcomes)
    strict = sum(o.strict for o in outcomes)
    lenient = sum(o.lenient for o in outcomes)
    agree, pairs = pair_agreement(outcomes)
    sides = Counter(o.case["side"] for o in outcomes)
    right = Counter(o.case["side"] for o in outcomes if o.strict)
    by_side = ", ".join(f"{side} {right[side]}/{count}" for side, count in sorted(sides.items()))
    return (
        f"{total} cases: strict {strict}/{total} ({100 * strict / total:.0f}%), lenient {lenient}/{total} "
        f"({100 * lenient / total:.0f}%); pairs agreeing {agree}/{pairs}; by side: {by_side}; "
        f"close calls {sum(o.close_call for o in outcomes)}"
    )


def main(argv: list[str]) -> None:
    outcomes = score_cases(load_cases(HELDOUT if "heldout" in argv else CASES))
    print(summary(outcomes))
    for outcome in outcomes:
        if "--all" in argv or not outcome.strict:
            mark = "ok  " if outcome.strict else ("ok~ " if outcome.lenient else "MISS")
            case = outcome.case
            print(
                f"{mark} {case['id']} ({case['side']}): expected {case['expected']}, got {outcome.top}, margin {outcome.margin}"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
