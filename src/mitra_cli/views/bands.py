"""Health-check figures in words: a score (or a dash for none), a band named with its colour, never colour alone."""

from __future__ import annotations

from mitra_cli.core.assessment import band_colour
from mitra_cli.core.lang import Lang
from mitra_cli.core.model import Rules
from mitra_cli.views.document import Tone
from mitra_cli.views.i18n import message
from mitra_cli.views.numberformat import decimal

NO_SCORE = "–"
_TONES: dict[str, Tone] = {"green": "good", "amber": "mid", "red": "bad"}


def score_text(value: float | None, lang: Lang) -> str:
    """A 1–5 score with two decimals in the reader's convention, or a dash when there is none."""
    return NO_SCORE if value is None else decimal(value, lang, 2)


class Bands:
    """The bands of a rule set, said in one language: "Borderline · amber", and the tone that draws it."""

    def __init__(self, rules: Rules, lang: Lang) -> None:
        assert rules.assessment is not None
        self.bands = rules.assessment.bands
        self.labels = {band.id: band.label.get(lang) for band in self.bands}
        self.lang = lang

    def tone(self, band: str | None) -> Tone:
        colour = band_colour(band, self.bands)
        return _TONES[colour] if colour else ""

    def text(self, band: str | None) -> str:
        colour = band_colour(band, self.bands)
        if band is None or colour is None:
            return ""
        return f"{self.labels[band]} · {message('assess.colour.' + colour, self.lang)}"

    def label(self, band: str) -> str:
        return self.labels.get(band, band)
