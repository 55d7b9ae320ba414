"""`mitra classify`: the UMKM size class of a business from its capital and sales in rupiah."""

from typing import TYPE_CHECKING, Annotated

import typer

from mitra_cli.commands.common import JsonOption, LangOption, chosen_lang, emit, guarded, rules
from mitra_cli.commands.helptext import HelpCommand
from mitra_cli.core.errors import MitraError, UsageError

if TYPE_CHECKING:  # the JSON contract's types, for annotations only (building them costs start-up)
    from mitra_cli.core import shapes


@guarded
def classify(
    capital: Annotated[str | None, typer.Option("--capital", "-c", metavar="AMOUNT", help="help.classify.capital")] = None,
    sales: Annotated[str | None, typer.Option("--sales", "-s", metavar="AMOUNT", help="help.classify.sales")] = None,
    as_json: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """The UMKM size class under PP 7/2021 from capital and/or annual sales, e.g. --capital '1,5 miliar'."""
    from mitra_cli.core.amounts import classify as classify_amounts
    from mitra_cli.core.amounts import parse_amount

    chosen = chosen_lang(lang)
    if capital is None and sales is None:
        raise UsageError("classify.need_amount")
    loaded = rules()
    if loaded.size_classes is None:
        raise MitraError("classify.no_classes")
    capital_amount = parse_amount(capital, loaded.amount_units) if capital is not None else None
    sales_amount = parse_amount(sales, loaded.amount_units) if sales is not None else None
    found = classify_amounts(capital_amount, sales_amount, loaded.size_classes.classes)
    result: shapes.Classification = {
        "size": found.size,
        "by_capital": found.by_capital,
        "by_sales": found.by_sales,
        "capital": capital_amount,
        "sales": sales_amount,
        "source": loaded.size_classes.source.get(chosen),
    }
    emit(result, as_json, chosen, lambda view, obj: view.classification(obj, loaded))


def register(app: typer.Typer) -> None:
    app.command("classify", cls=HelpCommand, help="help.classify")(classify)
