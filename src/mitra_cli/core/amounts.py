"""Amounts of rupiah as people write them, and UMKM size classes from them.

Accepted: plain numbers (1500000000), grouped numbers in either convention
(Rp1.500.000.000, 1,500,000,000), decimals in either convention with a unit
word or abbreviation from the rule data, in any case, with or without a space
(1,5 miliar, 2.5 billion, 750 juta, 1,5 M, 500jt, 2.5bn).  A single
separator followed by exactly three digits groups thousands; otherwise it
marks decimals.  Arithmetic is decimal, so 1,5 miliar is exactly 1500000000.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from mitra_cli.core.errors import MitraError
from mitra_cli.core.model import SizeClass

MAX_AMOUNT = Decimal(10) ** 30

# An optional currency sign, the number, an optional unit word (from the data),
# and optionally the currency's name after it ("750 juta rupiah").
_AMOUNT = re.compile(r"^(?:rp\.?|idr)?\s*(?P<number>\d[\d.,]*)\s*(?P<unit>[^\d\s.,]*)\.?(?:\s*rupiah)?$")


def parse_amount(text: str, units: Iterable[tuple[str, int]]) -> int:
    """Whole rupiah from `text`; MitraError (amount.invalid) when it is not an amount."""
    typed = " ".join(text.strip().lower().split())
    # No business holds more than 10^30 rupiah; longer input is not an amount (and would not fit in JSON).
    match = _AMOUNT.match(typed) if len(typed) <= 60 else None
    multipliers = dict(units)
    if not match or (match["unit"] and match["unit"] not in multipliers):
        raise MitraError("amount.invalid", value=text, units=", ".join(multipliers))
    number = _number(match["number"])
    if number is None:
        raise MitraError("amount.invalid", value=text, units=", ".join(multipliers))
    amount = number * multipliers.get(match["unit"], 1)
    if amount >= MAX_AMOUNT:
        raise MitraError("amount.invalid", value=text, units=", ".join(multipliers))
    if amount != amount.to_integral_value():
        raise MitraError("amount.fraction", value=text)
    return int(amount)


def _number(digits: str) -> Decimal | None:
    separators = [char for char in digits if char in ".,"]
    if not separators:
        whole, fraction = digits, ""
    elif len(set(separators)) == 2:
        decimal_mark = digits[max(digits.rfind("."), digits.rfind(","))]
        grouping = "," if decimal_mark == "." else "."
        whole, _, fraction = digits.replace(grouping, "").partition(decimal_mark)
    elif len(separators) > 1:
        whole, fraction = digits.replace(separators[0], ""), ""
        if not _grouped(digits, separators[0]):
            return None
    else:
        head, _, tail = digits.partition(separators[0])
        whole, fraction = (head + tail, "") if len(tail) == 3 else (head, tail)
    if not whole.isdigit() or (fraction and not fraction.isdigit()):
        return None
    try:
        return Decimal(f"{whole}.{fraction or 0}")
    except InvalidOperation:  # pragma: no cover - the checks above leave only digits
        return None


def _grouped(digits: str, separator: str) -> bool:
    """1.500.000 style: every group after the first has exactly three digits."""
    groups = digits.split(separator)
    return all(group.isdigit() for group in groups) and all(len(group) == 3 for group in groups[1:])


class Classification(NamedTuple):
    size: str
    by_capital: str | None
    by_sales: str | None


def class_of(amount: int, classes: tuple[SizeClass, ...], criterion: str) -> str:
    """The first class whose bound (up to and including) holds `amount`."""
    for size_class in classes:
        bound = getattr(size_class, criterion)
        if bound is None or amount <= bound:
            return size_class.value
    return classes[-1].value


def classify(capital: int | None, sales: int | None, classes: tuple[SizeClass, ...]) -> Classification:
    """The class by each criterion given; overall, the larger of the two.

    A business that exceeds either bound of a class is not in that class.
    """
    by_capital = class_of(capital, classes, "capital") if capital is not None else None
    by_sales = class_of(sales, classes, "sales") if sales is not None else None
    order = [c.value for c in classes]
    found = [value for value in (by_capital, by_sales) if value is not None]
    return Classification(max(found, key=order.index), by_capital, by_sales)
