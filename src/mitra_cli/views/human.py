"""Rich rendering for people: the catalogue and the recommendation.

Every function takes the same plain objects the JSON view prints, so the two
views never disagree.  Rich is imported here (and in terminal/prompting)
only; a --json run never loads this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rich import box
from rich.console import Console, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from mitra_cli.core.lang import Lang
from mitra_cli.core.model import Rules
from mitra_cli.views import assessment_doc, recommendation_doc, trend_doc
from mitra_cli.views.document import Table as DocTable
from mitra_cli.views.i18n import message
from mitra_cli.views.numberformat import rupiah
from mitra_cli.views.render_rich import print_document, renderable
from mitra_cli.views.wording import (
    answer_text,
    question_name,
)

BAR_WIDTH = 24
HEALTH_BAR = 8


def same_name(name: str, item_id: str) -> bool:
    """Whether an id only repeats its name ("Honesty" and "honesty"): then it is not shown beside it."""
    return "-".join(name.lower().split()) == item_id


class View:
    """Renders objects to one console in one language."""

    def __init__(self, console: Console, lang: Lang) -> None:
        self.console = console
        self.lang = lang

    def t(self, key: str, **params: Any) -> str:
        return message(key, self.lang, **params)

    def heading(self, key: str) -> Text:
        return Text(self.t(key), style="bold cyan")

    def bullets(self, lines: Iterable[str], marker: str = "•", style: str = "cyan") -> Table:
        """A list whose wrapped lines stay indented under their own text."""
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=3, justify="right", style=style)
        grid.add_column()
        for line in lines:
            grid.add_row(marker, Text(line))
        return grid

    def section(self, key: str, body: RenderableType | str, source: str | None = None) -> None:
        """A headed block; `source` marks text that is not from the seed (interpretation, regulation)."""
        self.console.print()
        heading = self.heading(key)
        if source and source != "seed":
            heading.append(f"  [{self.t('source.' + source)}]", style="dim italic")
        self.console.print(heading)
        self.console.print(body)

    # -- catalogue ------------------------------------------------------------

    def patterns_table(self, patterns: list[dict[str, Any]]) -> None:
        rows = tuple((p["id"], f"{p['name']} ({', '.join(p['aliases'])})", p["summary"]) for p in patterns)
        headers = (self.t("view.col.id"), self.t("view.col.name"), self.t("view.col.summary"))
        self.console.print(renderable(DocTable(self.t("view.patterns.title"), headers, rows), self.console.width))

    def pattern(self, pattern: dict[str, Any]) -> None:
        sources = pattern["sources"]
        title = Text(f"{pattern['name']}  ", style="bold")
        if not same_name(pattern["name"], pattern["id"]):
            title.append(f"({pattern['id']})", style="dim")
        body = Text(pattern["description"])
        if sources["description"] != "seed":
            body.append(f"\n[{self.t('source.' + sources['description'])}]", style="dim italic")
        self.console.print(Panel(body, title=title, title_align="left", subtitle=pattern["summary"]))
        rel = pattern["relationship"]
        self.section(
            "view.relationship",
            self.bullets(
                [
                    f"{self.t('view.gives')}: {rel['gives']}",
                    f"{self.t('view.leads')}: {rel['leads']}",
                    f"{self.t('view.subordination')}: {rel['subordination']}",
                ]
            ),
            sources["relationship"],
        )
        self.section("view.fits", self.bullets(pattern["fits"]), sources["fits"])
        self.section("view.not_fits", self.bullets(pattern["not_fits"]), sources["not_fits"])
        self.section("view.examples", self.bullets(pattern["examples"]), sources["examples"])
        if pattern["diagram"]:
            self.section("view.diagram", Text(pattern["diagram"].rstrip("\n")), sources["diagram"])
        self.section(
            "view.principles", self.bullets(f"{p['name']}: {p['why']}" for p in pattern["principles"]), sources["principles"]
        )
        self.section("view.benefits", self.bullets(f"{b['name']}: {b['why']}" for b in pattern["benefits"]), sources["benefits"])
        if pattern["capacity_building"]:
            self.section("view.capacity_building", self.bullets(pattern["capacity_building"], "-"), sources["capacity_building"])
        self.section("view.caveats", self.bullets(c["text"] for c in pattern["caveats"]), sources["caveats"])
        forms = pattern["statutory_forms"]
        self.section(
            "view.statutory_forms",
            self.bullets(forms) if forms else self.bullets([self.t("view.no_statutory_form")]),
            sources["statutory_forms"],
        )
        if pattern["statutory_source"]:
            self.console.print(Text(f"  ({pattern['statutory_source']})", style="dim"))

    COMPARE_COLUMN = 24  # narrower than this a side-by-side column breaks words: compare row by row instead

    def compare(self, patterns: list[dict[str, Any]]) -> None:
        rows = [
            ("view.col.summary", [p["summary"] for p in patterns]),
            ("view.gives", [p["relationship"]["gives"] for p in patterns]),
            ("view.leads", [p["relationship"]["leads"] for p in patterns]),
            ("view.subordination", [p["relationship"]["subordination"] for p in patterns]),
            ("view.principles", ["\n".join(f"• {x['name']}" for x in p["principles"]) for p in patterns]),
            ("view.benefits", ["\n".join(f"• {x['name']}" for x in p["benefits"]) for p in patterns]),
            ("view.caveats", ["\n".join(f"• {x['text']}" for x in p["caveats"]) for p in patterns]),
            (
                "view.statutory_forms",
                ["\n".join(p["statutory_forms"]) or self.t("view.no_statutory_form") for p in patterns],
            ),
        ]
        if self.console.width < self.COMPARE_COLUMN * len(patterns) + 16:
            self.console.print(self.heading("view.compare.title"))
            for key, cells in rows:
                self.section(key, self.bullets((f"{p['name']}: {cell}" for p, cell in zip(patterns, cells)), "-"))
            return
        table = Table(box=box.SIMPLE_HEAVY, show_lines=True, title=self.t("view.compare.title"))
        table.add_column("", style="bold cyan")
        for pattern in patterns:
            table.add_column(f"{pattern['name']}\n({pattern['id']})", ratio=1, overflow="fold")
        for key, cells in rows:
            table.add_row(self.t(key), *cells)
        self.console.print(table)

    def items(self, title_key: str, items: list[dict[str, Any]]) -> None:
        self.console.print(self.heading(title_key))
        for number, entry in enumerate(items, start=1):
            line = Text(f"{number}. ", style="cyan")
            line.append(entry["name"], style="bold")
            if not same_name(entry["name"], entry["id"]):
                line.append(f"  ({entry['id']})", style="dim")
            self.console.print(line)
            body = Table.grid(padding=(0, 1))
            body.add_column(width=2)
            body.add_column()
            body.add_row("", Text(entry["summary"]))
            body.add_row("", Text(entry["meaning"], style="dim"))
            self.console.print(body)

    def guide(self, guide: dict[str, Any]) -> None:
        self.console.print(self.heading("view.guide.reasons"))
        self.console.print(self.bullets(e["text"] for e in guide["reasons"]))
        self.section("view.guide.concept", self.bullets(e["text"] for e in guide["concept"]))
        self.section("view.guide.trust", Text(guide["trust_essence"]))
        self.console.print(Text(guide["trust_diagram"].rstrip("\n"), style="dim"))
        self.console.print(
            self.bullets(
                f"{e['name'] if same_name(e['name'], e['id']) else e['name'] + ' (' + e['id'] + ')'}: {e['meaning']}"
                for e in guide["trust"]
            )
        )
        self.section("view.guide.examples", self.bullets(f"{e['who']}: {e['text']}" for e in guide["examples"]))
        self.section("view.guide.process", self.bullets(f"{e['name']}: {e['text']}" for e in guide["process"]))

    def questions(self, questions: list[dict[str, Any]]) -> None:
        self.console.print(self.heading("view.questions.title"))
        asked = [q for q in questions if q["kind"] != "derived"]
        for number, q in enumerate(asked, start=1):
            line = Text(f"{number}. ", style="cyan")
            line.append(q["text"], style="bold")
            kind = self.t("view.kind.one") if q["kind"] == "one" else self.t("view.kind.many")
            if q.get("optional"):
                kind += ", " + self.t("view.kind.optional")
            line.append(f"  [{q['id']}, {kind}]", style="dim")
            self.console.print(line)
            for condition in q.get("when", []):
                shown = "; ".join(f"{name} = {' / '.join(values)}" for name, values in condition.items())
                self.console.print(Text("   " + self.t("view.asked_when", condition=shown), style="dim italic"))
            self.console.print(self.bullets((f"{c['value']}: {c['label']}" for c in q["choices"]), "-", "dim"))
        facts = [q for q in questions if q["kind"] == "derived"]
        if facts:
            self.console.print()
            self.console.print(self.heading("view.derived.title"))
            self.console.print(Text(self.t("view.derived.intro"), style="dim"))
            for fact in facts:
                line = Text(f"- {fact['text']}", style="bold")
                line.append(
                    f"  [{fact['id']}; {self.t('view.derived.from', names=', '.join(fact['derived_from']))}]", style="dim"
                )
                self.console.print(line)

    # -- recommendation -------------------------------------------------------

    def result(self, result: Mapping[str, Any], rules: Rules) -> None:
        print_document(self.console, recommendation_doc.build(result, rules, self.lang, brief=True))

    def classification(self, result: Mapping[str, Any], rules: Rules) -> None:
        assert rules.size_classes is not None
        question = next(q for q in rules.questions if q.id == rules.size_classes.question)
        labels = {c.value: c.label.get(self.lang) for c in question.choices}
        classes = rules.size_classes.classes
        rows = []
        for criterion in ("capital", "sales"):
            amount = result[criterion]
            if amount is None:
                continue
            value = result[f"by_{criterion}"]
            index = [c.value for c in classes].index(value)
            bound = getattr(classes[index], criterion)
            if bound is not None:
                limit = self.t("classify.up_to", amount=rupiah(bound, self.lang))
            else:
                limit = self.t("classify.above", amount=rupiah(getattr(classes[index - 1], criterion), self.lang))
            rows.append((self.t(f"classify.{criterion}"), rupiah(amount, self.lang), labels.get(value, value), limit))
        headers = tuple(
            self.t(key) for key in ("classify.col.criterion", "classify.col.amount", "classify.col.class", "classify.col.bound")
        )
        self.console.print(
            renderable(DocTable(self.t("classify.title"), headers, tuple(rows), frozenset({1})), self.console.width)
        )
        self.console.print(Text(self.t("classify.result", size=labels.get(result["size"], result["size"])), style="bold green"))
        if result["capital"] is not None and result["sales"] is not None and result["by_capital"] != result["by_sales"]:
            self.console.print(Text(self.t("classify.rule"), style="dim"))
        self.console.print(Text(result["source"], style="dim"))

    # -- assessment ---------------------------------------------------------------

    def statements(self, statements: list[dict[str, Any]], rules: Rules) -> None:
        assert rules.assessment is not None
        scale = rules.assessment.scale
        self.console.print(self.heading("assess.statements"))
        labels = ", ".join(f"{c.value} {c.label.get(self.lang)}" for c in scale)
        note = self.t(
            "assess.scale_note",
            low=scale[0].value,
            high=scale[-1].value,
            labels=labels,
            dont_know=rules.assessment.dont_know.value,
        )
        self.console.print(Text(note, style="dim"))
        rows = tuple(
            (s["id"], s["dimension"], s["text"] + (f" ({self.t('assess.reversed')})" if s["reversed"] else ""))
            for s in statements
        )
        headers = (self.t("view.col.id"), self.t("assess.col.dimension"), self.t("view.col.summary"))
        self.console.print(renderable(DocTable("", headers, rows), self.console.width))

    def health(self, result: Mapping[str, Any], rules: Rules) -> None:
        document = assessment_doc.build(result, rules, self.lang, brief=True)
        self.console.print(Text(document.title, style="bold cyan"))
        print_document(self.console, document)

    def trend(self, trend: Mapping[str, Any], rules: Rules) -> None:
        document = trend_doc.build(trend, rules, self.lang, brief=True)
        self.console.print(Text(document.title, style="bold cyan"))
        print_document(self.console, document)

    def answers_summary(self, answers: dict[str, Any], rules: Rules) -> None:
        table = Table(title=self.t("result.answers"), box=box.SIMPLE, title_justify="left", show_header=False)
        table.add_column(style="bold")
        table.add_column()
        for question_id, answer in answers.items():
            table.add_row(question_name(rules, question_id, self.lang), answer_text(rules, question_id, answer, self.lang))
        self.console.print(table)
