"""Rich rendering for people: the catalogue and the recommendation.

Every function takes the same plain objects the JSON view prints, so the two
views never disagree.  Rich is imported here (and in terminal/prompting)
only; a --json run never loads this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from mitra_cli.core.lang import Lang
from mitra_cli.core.model import Rules
from mitra_cli.views.i18n import message
from mitra_cli.views.wording import (
    answer_text,
    close_call_sentence,
    fact_lines,
    question_name,
    reason_text,
    result_title,
    signed,
    strongest_reasons,
    what_if_sentence,
)

BAR_WIDTH = 24
HEALTH_BAR = 8


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
        table = Table(title=self.t("view.patterns.title"), box=box.SIMPLE_HEAVY, show_lines=False)
        table.add_column(self.t("view.col.id"), style="bold", no_wrap=True)
        table.add_column(self.t("view.col.name"))
        table.add_column(self.t("view.col.summary"), ratio=1)
        for pattern in patterns:
            name = Text(pattern["name"])
            name.append("\n" + ", ".join(pattern["aliases"]), style="dim")
            table.add_row(pattern["id"], name, pattern["summary"])
        self.console.print(table)

    def pattern(self, pattern: dict[str, Any]) -> None:
        sources = pattern["sources"]
        title = Text(f"{pattern['name']}  ", style="bold")
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

    def compare(self, patterns: list[dict[str, Any]]) -> None:
        table = Table(box=box.SIMPLE_HEAVY, show_lines=True, title=self.t("view.compare.title"))
        table.add_column("", style="bold cyan")
        for pattern in patterns:
            table.add_column(f"{pattern['name']}\n({pattern['id']})", ratio=1)

        def row(key: str, cells: Iterable[str]) -> None:
            table.add_row(self.t(key), *cells)

        row("view.col.summary", (p["summary"] for p in patterns))
        row("view.gives", (p["relationship"]["gives"] for p in patterns))
        row("view.leads", (p["relationship"]["leads"] for p in patterns))
        row("view.subordination", (p["relationship"]["subordination"] for p in patterns))
        row("view.principles", ("\n".join(f"• {x['name']}" for x in p["principles"]) for p in patterns))
        row("view.benefits", ("\n".join(f"• {x['name']}" for x in p["benefits"]) for p in patterns))
        row("view.caveats", ("\n".join(f"• {x['text']}" for x in p["caveats"]) for p in patterns))
        row(
            "view.statutory_forms",
            ("\n".join(p["statutory_forms"]) if p["statutory_forms"] else self.t("view.no_statutory_form") for p in patterns),
        )
        self.console.print(table)

    def items(self, title_key: str, items: list[dict[str, Any]]) -> None:
        self.console.print(self.heading(title_key))
        for number, entry in enumerate(items, start=1):
            line = Text(f"{number}. ", style="cyan")
            line.append(entry["name"], style="bold")
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
        self.console.print(self.bullets(f"{e['name']} ({e['id']}): {e['meaning']}" for e in guide["trust"]))
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

    def result(self, result: dict[str, Any], rules: Rules) -> None:
        lang = self.lang
        top = result["recommendation"]
        ranking = result["ranking"]
        body = Text()
        body.append(f"{top['summary']}\n\n")
        body.append(self.t("result.why") + "\n", style="bold")
        for reason in strongest_reasons(ranking[0]["reasons"]):
            body.append(f"  {signed(reason['points']):>4}  ", style="green")
            body.append(reason_text(rules, reason, lang) + "\n")
        close = close_call_sentence(rules, result, lang)
        if close is not None:
            body.append("\n" + close, style="bold yellow")
        elif len(ranking) > 1:
            body.append("\n" + self.t("result.margin", margin=result["margin"], runner_up=ranking[1]["name"]))
        if top["statutory_forms"]:
            body.append("\n" + self.t("result.statutory", forms="; ".join(top["statutory_forms"])), style="dim")
        title = Text(result_title(result, lang), style="bold")
        self.console.print(Panel(body, title=title, title_align="left", border_style="green"))

        table = Table(title=self.t("result.ranking"), box=box.SIMPLE, title_justify="left")
        table.add_column("#", justify="right")
        table.add_column(self.t("view.col.name"))
        table.add_column(self.t("result.col.score"), justify="right")
        table.add_column("", no_wrap=True)
        table.add_column(self.t("result.col.points"), justify="right", style="dim")
        for rank, entry in enumerate(ranking, start=1):
            filled = round(entry["score"] / 100 * BAR_WIDTH)
            bar = Text("█" * filled, style="green" if rank == 1 else "cyan")
            bar.append("░" * (BAR_WIDTH - filled), style="dim")
            table.add_row(
                str(rank), f"{entry['name']} ({entry['pattern']})", f"{entry['score']:.1f}", bar, signed(entry["points"])
            )
        self.console.print(table)

        if result.get("derived"):
            self.section("result.facts", self.bullets(fact_lines(rules, result["derived"], lang), "-"))
        what_if = result.get("what_if")
        if what_if is not None:
            lines = [what_if_sentence(rules, entry, lang) for entry in what_if[:3]]
            self.section("result.whatif.title", self.bullets(lines or [self.t("result.whatif.none")]))
        self.section("view.principles", self.bullets(f"{p['name']}: {p['why']}" for p in result["principles"]))
        self.section("view.benefits", self.bullets(f"{b['name']}: {b['why']}" for b in result["benefits"]))
        caveats = Table.grid(padding=(0, 1))
        caveats.add_column(width=3, justify="right", style="yellow")
        caveats.add_column()
        for caveat in result["caveats"]:
            caveats.add_row("!", Text(caveat["text"]))
            if caveat["items"]:
                caveats.add_row("", self.bullets((item for item in caveat["items"]), "-", "dim"))
        self.section("view.caveats", caveats)
        self.section("view.next_steps", self.bullets((f"{s['name']}: {s['text']}" for s in result["next_steps"]), "→"))
        trust = result["trust"]
        triangle = [e for e in trust["elements"] if e["role"] == "triangle"]
        support = [e for e in trust["elements"] if e["role"] != "triangle"]
        self.section(
            "view.guide.trust",
            Group(
                Text(trust["essence"]),
                Text("  △ " + " · ".join(e["name"] for e in triangle), style="bold"),
                Text("    " + " · ".join(e["name"] for e in support), style="dim"),
            ),
        )

    def classification(self, result: dict[str, Any], rules: Rules) -> None:
        from mitra_cli.core.amounts import format_rupiah

        assert rules.size_classes is not None
        question = next(q for q in rules.questions if q.id == rules.size_classes.question)
        labels = {c.value: c.label.get(self.lang) for c in question.choices}
        classes = rules.size_classes.classes
        table = Table(title=self.t("classify.title"), box=box.SIMPLE, title_justify="left")
        for key in ("classify.col.criterion", "classify.col.amount", "classify.col.class", "classify.col.bound"):
            table.add_column(self.t(key))
        for criterion in ("capital", "sales"):
            amount = result[criterion]
            if amount is None:
                continue
            value = result[f"by_{criterion}"]
            index = [c.value for c in classes].index(value)
            bound = getattr(classes[index], criterion)
            if bound is not None:
                limit = self.t("classify.up_to", amount=format_rupiah(bound, self.lang))
            else:
                limit = self.t("classify.above", amount=format_rupiah(getattr(classes[index - 1], criterion), self.lang))
            table.add_row(self.t(f"classify.{criterion}"), format_rupiah(amount, self.lang), labels.get(value, value), limit)
        self.console.print(table)
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
        table = Table(box=box.SIMPLE, show_header=True)
        table.add_column(self.t("view.col.id"), style="bold", no_wrap=True)
        table.add_column(self.t("assess.col.dimension"))
        table.add_column(self.t("view.col.summary"))
        for statement in statements:
            text = Text(statement["text"])
            if statement["reversed"]:
                text.append(f" ({self.t('assess.reversed')})", style="dim")
            table.add_row(statement["id"], statement["dimension"], text)
        self.console.print(table)

    def health(self, result: dict[str, Any], rules: Rules) -> None:
        assert rules.assessment is not None
        bands = [band.id for band in rules.assessment.bands]
        low, high = rules.assessment.scale[0].value, rules.assessment.scale[-1].value
        several = len(result["respondents"]) > 1

        def band_style(band: str | None) -> str:
            if band is None:
                return "dim"
            position = bands.index(band)
            return "green" if position == 0 else "red" if position == len(bands) - 1 else "yellow"

        self.console.print(self.heading("assess.title"))
        names = ", ".join(r["name"] for r in result["respondents"])
        self.console.print(Text(self.t("assess.respondents", names=names), style="dim"))
        table = Table(box=box.SIMPLE, title_justify="left", padding=(0, 1))
        table.add_column(self.t("assess.col.dimension"), ratio=1, min_width=18)
        table.add_column(self.t("assess.col.score"), justify="right", no_wrap=True)
        table.add_column("", no_wrap=True)
        table.add_column(self.t("assess.col.band"), no_wrap=True)
        if several:
            table.add_column(self.t("assess.col.spread"), justify="right", no_wrap=True)
        kind = None
        for dimension in result["dimensions"]:
            if dimension["kind"] != kind:
                kind = dimension["kind"]
                table.add_row(Text(self.t(f"assess.kind.{kind}"), style="bold cyan"))
            score = dimension["score"]
            style = band_style(dimension["band"])
            if score is None:
                row: list[Any] = [dimension["name"], "–", Text(""), Text(self.t("assess.no_answers"), style="dim")]
            else:
                filled = round((score - low) / (high - low) * HEALTH_BAR)
                bar = Text("█" * filled, style=style)
                bar.append("░" * (HEALTH_BAR - filled), style="dim")
                row = [dimension["name"], f"{score:.2f}", bar, Text(dimension["band_label"], style=style)]
            if several:
                spread = Text(f"{dimension['spread']:.2f}" if dimension["spread"] is not None else "–")
                spread.append(" !" if dimension["disputed"] else "  ", style="bold red")
                row.append(spread)
            table.add_row(*row)
        self.console.print(table)
        if several:
            by_respondent = Table(title=self.t("assess.by_respondent"), box=box.SIMPLE, title_justify="left", padding=(0, 1))
            by_respondent.add_column(self.t("assess.col.dimension"), ratio=1, min_width=18)
            for respondent in result["respondents"]:
                by_respondent.add_column(respondent["name"], justify="right")
            for dimension in result["dimensions"]:
                means = [f"{e['score']:.2f}" if e["score"] is not None else "–" for e in dimension["by_respondent"]]
                by_respondent.add_row(dimension["name"], *means)
            self.console.print(by_respondent)
        if several and result["overall"]["disputed"]:
            legend = self.t("assess.disputed_legend", spread=f"{rules.assessment.dispute_spread:g}")
            self.console.print(Text(legend, style="dim"))
        overall = result["overall"]
        labels = {band.id: band.label.get(self.lang) for band in rules.assessment.bands}
        if overall["score"] is not None:
            self.console.print(
                Text(self.t("assess.overall", score=f"{overall['score']:.2f}", band=labels[overall["band"]]), style="bold")
            )
        triangle = overall["trust_triangle"]
        if triangle["score"] is not None:
            line = self.t("assess.triangle", score=f"{triangle['score']:.2f}", band=labels[triangle["band"]])
            self.console.print(Text(line, style=band_style(triangle["band"])))
        else:
            self.console.print(Text(self.t("assess.triangle_unknown"), style="dim"))
        by_id = {d["id"]: d["name"] for d in result["dimensions"]}
        if overall["weakest"]:
            self.console.print(
                Text(self.t("assess.weakest", names=", ".join(by_id[i] for i in overall["weakest"][:3])), style="dim")
            )
        if not result["actions"]:
            self.section("assess.actions", self.bullets([self.t("assess.no_actions")]))
            return
        self.console.print()
        self.console.print(self.heading("assess.actions"))
        for entry in result["actions"]:
            because = ", ".join(self.t(f"assess.because.{reason}") for reason in entry["because"])
            self.console.print(Text(f"{entry['name']} ({because})", style="bold"))
            self.console.print(self.bullets(entry["actions"], "→"))

    def answers_summary(self, answers: dict[str, Any], rules: Rules) -> None:
        table = Table(title=self.t("result.answers"), box=box.SIMPLE, title_justify="left", show_header=False)
        table.add_column(style="bold")
        table.add_column()
        for question_id, answer in answers.items():
            table.add_row(question_name(rules, question_id, self.lang), answer_text(rules, question_id, answer, self.lang))
        self.console.print(table)
