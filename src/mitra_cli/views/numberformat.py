"""Numbers as people of each language write them: 86,8 and Rp500.000.000 in Indonesian, 86.8 in English.

Formatting goes through Babel (the CLDR locale data), never by hand; JSON keeps
plain numbers.  Babel is imported on first use, so --json runs never load it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

_LOCALES = {"id": "id_ID", "en": "en"}


@cache
def _babel() -> Any:
    import babel.numbers  # deferred: ~40 ms, needed only for people's output

    return babel.numbers


def decimal(value: float, lang: str, digits: int = 1) -> str:
    """`value` with exactly `digits` decimals, in `lang`'s convention (86,8 / 86.8)."""
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return str(_babel().format_decimal(value, format=pattern, locale=_LOCALES.get(lang, "en"), decimal_quantization=True))


def signed(value: float, lang: str) -> str:
    """Points with their sign: +6, −2,5 (a whole number shows no decimals)."""
    digits = 0 if float(value).is_integer() else 1
    text = decimal(abs(value), lang, digits)
    return ("+" if value > 0 else "-" if value < 0 else "") + text


def whole(value: int, lang: str) -> str:
    """A whole number with thousands grouped: 500.000.000 / 500,000,000."""
    return decimal(value, lang, 0)


def rupiah(amount: int, lang: str) -> str:
    return "Rp" + whole(amount, lang)
