"""Hypothesis strategies for valid answer sets, built from the shipped questions."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from mitra_cli.core.model import Question
from mitra_cli.ruledata.build import build_rules
from mitra_cli.ruledata.location import shipped_data_dir

# Read at collection time, straight from the YAML (not through the rule cache):
# it writes nothing anywhere (and conftest.py has pointed the cache into the
# run's temporary folder before collection in any case).
RULES = build_rules(shipped_data_dir())


def answer_for(question: Question) -> st.SearchStrategy[Any]:
    values = list(question.values)
    if question.kind == "one":
        return st.sampled_from(values)
    return st.lists(st.sampled_from(values), unique=True, min_size=question.min_choices, max_size=len(values)).map(
        lambda chosen: [v for v in values if v in chosen]
    )


# Optional questions are sometimes left out ("not stated"), as old answers files do.
valid_answers: st.SearchStrategy[dict[str, Any]] = st.fixed_dictionaries(
    {q.id: answer_for(q) for q in RULES.questions if not q.optional},
    optional={q.id: answer_for(q) for q in RULES.questions if q.optional},
)
