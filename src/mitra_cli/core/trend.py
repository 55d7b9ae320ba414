"""Change over time: an assessment compared with an earlier one, and the trend over several.

The earlier results are `mitra assess --json` outputs, read from files the
user names; they are hostile input until checked here (``snapshot``): the
shape, every id, score, date and label.  Bands are worked out again from the
scores with the current rules, so "moved a band" compares like with like.
Changes are taken between the scores as reported (two decimals).
"""

from __future__ import annotations

import datetime
import itertools
import math
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from mitra_cli.core.assessment import band_colour, band_of
from mitra_cli.core.errors import InputFileError
from mitra_cli.core.lang import Lang
from mitra_cli.core.model import Assessment, Rules
from mitra_cli.core.schema import SCHEMA_VERSION
from mitra_cli.core.textsafety import NAME_LIMIT, name_is_usable

if TYPE_CHECKING:  # the JSON contract's types, for annotations only (building them costs start-up)
    from mitra_cli.core import shapes

_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
MAX_DIMENSIONS = 200


class Snapshot(NamedTuple):
    """What a trend needs of one earlier assessment."""

    source: str  # the file it came from, as the user named it
    label: str
    date: str | None
    scores: dict[str, float | None]  # dimension id -> score, in the file's order
    overall: float | None
    respondent_count: int | None


def _fail(key: str, source: str, field: str) -> InputFileError:
    return InputFileError(key, file=source, field=field)


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _score(value: object, source: str, field: str, low: int, high: int) -> float | None:
    if value is None:
        return None
    if not _number(value) or not low <= float(value) <= high:  # type: ignore[arg-type]
        raise InputFileError("trend.shape.score", file=source, field=field, low=low, high=high)
    return round(float(value), 2)  # type: ignore[arg-type]


def snapshot(raw: object, *, source: str, fallback_label: str, assessment: Assessment) -> Snapshot:
    """The earlier assessment in `raw` (parsed JSON), or an InputFileError naming the file and field."""
    low, high = assessment.scale[0].value, assessment.scale[-1].value
    if not isinstance(raw, Mapping):
        raise InputFileError("trend.shape.not_result", file=source)
    version = raw.get("schema_version")
    if not (isinstance(version, int) and not isinstance(version, bool) and version == SCHEMA_VERSION):
        raise InputFileError("trend.shape.version", file=source, field="schema_version", version=SCHEMA_VERSION)
    dimensions = raw.get("dimensions")
    if not isinstance(dimensions, list) or not dimensions or len(dimensions) > MAX_DIMENSIONS:
        raise _fail("trend.shape.list", source, "dimensions")
    scores: dict[str, float | None] = {}
    for index, entry in enumerate(dimensions):
        where = f"dimensions[{index}]"
        if not isinstance(entry, Mapping):
            raise _fail("trend.shape.object", source, where)
        dimension_id = entry.get("id")
        if not isinstance(dimension_id, str) or not _ID.fullmatch(dimension_id):
            raise _fail("trend.shape.id", source, f"{where}.id")
        if dimension_id in scores:
            raise _fail("trend.shape.duplicate", source, f"{where}.id")
        scores[dimension_id] = _score(entry.get("score"), source, f"{where}.score", low, high)
    overall = raw.get("overall")
    if not isinstance(overall, Mapping):
        raise _fail("trend.shape.object", source, "overall")
    date = raw.get("date")
    if date is not None:
        try:
            valid = isinstance(date, str) and datetime.date.fromisoformat(date).isoformat() == date
        except ValueError:
            valid = False
        if not valid:
            raise _fail("trend.shape.date", source, "date")
    label = raw.get("label")
    if label is not None and not (isinstance(label, str) and name_is_usable(label.strip())):
        raise InputFileError("trend.shape.label", file=source, field="label", limit=NAME_LIMIT)
    count = raw.get("respondent_count")
    if count is None and isinstance(raw.get("respondents"), list):
        count = len(raw["respondents"])
    if count is not None and not (isinstance(count, int) and not isinstance(count, bool) and count >= 0):
        raise _fail("trend.shape.count", source, "respondent_count")
    return Snapshot(
        source=source,
        label=label.strip() if isinstance(label, str) else fallback_label or (date if isinstance(date, str) else source),
        date=date if isinstance(date, str) else None,
        scores=scores,
        overall=_score(overall.get("score"), source, "overall.score", low, high),
        respondent_count=count,
    )


def _direction(change: float | None) -> shapes.Direction | None:
    if change is None:
        return None
    return "up" if change > 0 else "down" if change < 0 else "same"


def _change(now: float | None, before: float | None) -> float | None:
    return round(now - before, 2) if now is not None and before is not None else None


class _Bands:
    def __init__(self, assessment: Assessment) -> None:
        self.bands = assessment.bands
        self.order = [band.id for band in assessment.bands]

    def of(self, score: float | None) -> str | None:
        return band_of(score, self.bands).id if score is not None else None

    def move(self, before: str | None, now: str | None) -> shapes.BandMove | None:
        """'up' to a better band, 'down' to a worse one, None when the band stayed (or is unknown)."""
        if before is None or now is None or before == now:
            return None
        return "up" if self.order.index(now) < self.order.index(before) else "down"


def _versus(now: float | None, before: float | None, bands: _Bands) -> shapes.Versus:
    change = _change(now, before)
    moved = bands.move(bands.of(before), bands.of(now))
    return {
        "score": before,
        "band": bands.of(before),
        "change": change,
        "direction": _direction(change),
        "band_moved": moved is not None,
        "band_direction": moved,
    }


def compare(result: shapes.AssessResult, earlier: Snapshot, rules: Rules) -> None:
    """Add to `result` (an `assess` result) the earlier scores, the changes and the dimensions that moved a band."""
    assert rules.assessment is not None
    bands = _Bands(rules.assessment)
    moved: list[shapes.MovedBand] = []
    for dimension in result["dimensions"]:
        versus = _versus(dimension["score"], earlier.scores.get(dimension["id"]), bands)
        dimension["previous"] = versus
        if versus["band_moved"]:
            entry = {
                "dimension": dimension["id"],
                "name": dimension["name"],
                "from": versus["band"],  # a keyword in Python: not declared in shapes.MovedBand
                "to": dimension["band"],
                "direction": versus["band_direction"],
            }
            moved.append(cast("shapes.MovedBand", entry))
    result["overall"]["previous"] = _versus(result["overall"]["score"], earlier.overall, bands)
    result["previous"] = {
        "source": earlier.source,
        "label": earlier.label,
        "date": earlier.date,
        "respondent_count": earlier.respondent_count,
        "moved_band": moved,
    }


def _series(scores: list[float | None], bands: _Bands) -> dict[str, Any]:
    """One dimension (or the overall score) across the checks, oldest first."""
    named = [bands.of(score) for score in scores]
    first = next((score for score in scores if score is not None), None)
    last = next((score for score in reversed(scores) if score is not None), None)
    change = _change(last, first) if sum(score is not None for score in scores) >= 2 else None
    first_band = next((band for band in named if band is not None), None)
    last_band = next((band for band in reversed(named) if band is not None), None)
    moved = bands.move(first_band, last_band)
    return {
        "scores": scores,
        "bands": named,
        "band_colours": [band_colour(band, bands.bands) for band in named],
        "changes": [None, *(_change(now, before) for before, now in itertools.pairwise(scores))],
        "change": change,
        "direction": _direction(change),
        "band_moved": moved is not None,
        "band_direction": moved,
    }


def in_order(snapshots: list[Snapshot]) -> list[Snapshot]:
    """The checks oldest first: by date when every one has a date (checks of one day as given), else as given.

    Two checks with the same date and label are one check given twice (or a copy): an InputFileError naming both files.
    """
    seen: dict[tuple[str | None, str], Snapshot] = {}
    for earlier in snapshots:
        first = seen.setdefault((earlier.date, earlier.label), earlier)
        if first is not earlier:
            raise InputFileError("trend.same_check", first=first.source, second=earlier.source, label=earlier.label)
    if all(earlier.date is not None for earlier in snapshots):
        return sorted(snapshots, key=lambda earlier: earlier.date or "")  # sorted() is stable
    return list(snapshots)


def history(snapshots: list[Snapshot], rules: Rules, lang: Lang) -> dict[str, Any]:
    """The trend per dimension over `snapshots`, oldest first (``in_order``)."""
    assert rules.assessment is not None
    snapshots = in_order(snapshots)
    bands = _Bands(rules.assessment)
    kinds = {d.id: d.kind for d in rules.assessment.dimensions}
    ids = list(kinds)
    for earlier in snapshots:  # dimensions the current rules no longer have still show their trend
        ids += [dimension for dimension in earlier.scores if dimension not in ids]
    dimensions = []
    moved = []
    for dimension in ids:
        name = rules.dimension_name(dimension, lang)
        series = _series([earlier.scores.get(dimension) for earlier in snapshots], bands)
        dimensions.append({"id": dimension, "kind": kinds.get(dimension), "name": name, **series})
        if series["band_moved"]:
            first = next(band for band in series["bands"] if band is not None)
            last = next(band for band in reversed(series["bands"]) if band is not None)
            moved.append({"dimension": dimension, "name": name, "from": first, "to": last, "direction": series["band_direction"]})
    return {
        "schema_version": SCHEMA_VERSION,
        "lang": lang,
        "data_version": rules.version,
        "points": [
            {
                "source": earlier.source,
                "label": earlier.label,
                "date": earlier.date,
                "respondent_count": earlier.respondent_count,
                "score": earlier.overall,
                "band": bands.of(earlier.overall),
            }
            for earlier in snapshots
        ],
        "dimensions": dimensions,
        "overall": _series([earlier.overall for earlier in snapshots], bands),
        "moved_band": moved,
    }
