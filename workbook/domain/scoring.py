"""Instrument answers -> dimension scores. Pure functions, no I/O.

Rules: reverse-keyed items are scored ``points + 1 - x``; "don't know" and blanks count as
unanswered; a dimension is scored (mean of its answered items) only when at least two thirds
of its items are answered, otherwise it is "not enough answers". Scores are also given on
0–100: ``(mean - 1) / (points - 1) * 100``.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from workbook.content.catalogue import Instrument

MIN_ANSWERED = Fraction(2, 3)
NOT_ENOUGH = "not enough answers"


@dataclass(frozen=True)
class DimensionScore:
    dimension: str
    label: str
    mean: float | None
    score_100: float | None
    answered: int
    items: int

    @property
    def status(self) -> str:
        return "ok" if self.mean is not None else NOT_ENOUGH


def keyed_value(instrument: Instrument, item_id: str, value: object) -> int | None:
    """The item's answer with its reverse key applied, or None when unanswered / don't know."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    item = instrument.item(item_id)
    points = instrument.scale.points
    if not 1 <= value <= points:
        return None
    return points + 1 - value if item.reverse else value


def score(instrument: Instrument, answers: dict[str, object], category: str | None = None) -> list[DimensionScore]:
    """Score every dimension of ``instrument`` from ``{item id: answer}``; for a 360 rater
    ``category``, only the items that category judges count (answers to others are ignored).
    The items are those of the version the answers were given on (``Instrument.answered_version``),
    so an attempt answered before items were retired scores exactly as it did then."""
    points = instrument.scale.points
    asked = instrument.items_for(category, instrument.answered_version(answers))
    out = []
    for dim in instrument.dimensions:
        items = [i for i in asked if i.dimension == dim.id]
        values = [v for v in (keyed_value(instrument, i.id, answers.get(i.id)) for i in items) if v is not None]
        enough = items and Fraction(len(values), len(items)) >= MIN_ANSWERED
        mean = sum(values) / len(values) if enough else None
        s100 = (mean - 1) / (points - 1) * 100 if mean is not None else None
        out.append(DimensionScore(dim.id, dim.label, mean, s100, len(values), len(items)))
    return out


def overall(scores: list[DimensionScore]) -> float | None:
    """Mean of the scored dimensions on 0–100, or None when none is scored."""
    vals = [s.score_100 for s in scores if s.score_100 is not None]
    return sum(vals) / len(vals) if vals else None


def scores_frame(scores: list[DimensionScore]):
    """The scores as a pandas DataFrame (one row per dimension), for charts and tables."""
    import pandas as pd

    return pd.DataFrame(
        [
            {"dimension": s.label, "mean": s.mean, "score_100": s.score_100, "answered": s.answered, "items": s.items, "status": s.status}
            for s in scores
        ]
    )
