"""Cohort aggregates of instrument scores (pure): distributions per dimension, hidden below the
anonymity threshold. Input is ``{person id: {item: answer}}``; nothing here reads the store."""
from __future__ import annotations

from dataclasses import dataclass
from statistics import mean, median

from .content import Instrument
from .scoring import score


@dataclass(frozen=True)
class DimensionSpread:
    dimension: str
    label: str
    n: int
    shown: bool  # False: fewer scored people than the anonymity threshold
    values: tuple[float, ...]  # 0–100 scores, sorted (empty when not shown)
    mean: float | None
    median: float | None
    low: float | None
    high: float | None


def person_scores(instrument: Instrument, answers_by_person: dict[int, dict[str, object]]) -> dict[int, dict[str, float]]:
    """Each person's scored dimensions on 0–100 (unscored dimensions left out)."""
    out: dict[int, dict[str, float]] = {}
    for pid, answers in answers_by_person.items():
        dims = {s.dimension: s.score_100 for s in score(instrument, answers) if s.score_100 is not None}
        if dims:
            out[pid] = dims
    return out


def spreads(instrument: Instrument, answers_by_person: dict[int, dict[str, object]], threshold: int) -> list[DimensionSpread]:
    """Per dimension: how many people are scored and, when at least ``threshold``, their distribution."""
    scores = person_scores(instrument, answers_by_person)
    out = []
    for dim in instrument.dimensions:
        vals = sorted(s[dim.id] for s in scores.values() if dim.id in s)
        shown = len(vals) >= threshold
        out.append(
            DimensionSpread(
                dim.id, dim.label, len(vals), shown, tuple(vals) if shown else (),
                mean(vals) if shown else None, median(vals) if shown else None,
                vals[0] if shown else None, vals[-1] if shown else None,
            )
        )
    return out


def cohort_means(instrument: Instrument, answers_by_person: dict[int, dict[str, object]], threshold: int) -> dict[str, float]:
    """The cohort's mean 0–100 score per dimension, only for dimensions with at least ``threshold`` people."""
    return {s.dimension: s.mean for s in spreads(instrument, answers_by_person, threshold) if s.shown and s.mean is not None}


def spread_frame(items: list[DimensionSpread]):
    """Shown dimensions as a long DataFrame (dimension, score), for a distribution chart."""
    import pandas as pd

    rows = [{"dimension": s.label, "score_100": v} for s in items if s.shown for v in s.values]
    return pd.DataFrame(rows, columns=["dimension", "score_100"])
