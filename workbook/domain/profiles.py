"""Where a person stands between the two manager profiles (C5), from dimension scores. Pure.

Mathieu (§2.2.1.3) describes two profiles: managers grown through technical and operational
excellence, and managers with a generalist, marketing and leadership background. The
workbook's own derivation (source: workbook): each profile is the mean 0–100 score of its
dimensions; the position is generalist minus technical (−100 … +100); a dimension at or above
``strength_at`` is a strength, one under ``gap_below`` a gap.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .scoring import DimensionScore

TECHNICAL = "technical and operational profile"
GENERALIST = "marketing and leadership profile"
BALANCED = "between the two profiles"
NOT_ENOUGH = "not enough answers"


@dataclass(frozen=True)
class Placement:
    technical: float | None  # 0–100
    generalist: float | None  # 0–100
    position: float | None  # −100 fully technical … +100 fully generalist
    profile: str
    strengths: tuple[str, ...]  # dimension labels
    gaps: tuple[str, ...]


def _pole(scores: Mapping[str, DimensionScore], dims: Sequence[str]) -> float | None:
    vals = [scores[d].score_100 for d in dims if d in scores and scores[d].score_100 is not None]
    return sum(vals) / len(vals) if vals else None


def place(
    scores: Sequence[DimensionScore],
    poles: Mapping[str, Sequence[str]],
    strength_at: float = 70.0,
    gap_below: float = 50.0,
    balanced_within: float = 15.0,
) -> Placement:
    """Place a person between the ``technical`` and ``generalist`` poles (dimension ids of each)."""
    by_id = {s.dimension: s for s in scores}
    tech, gen = _pole(by_id, poles["technical"]), _pole(by_id, poles["generalist"])
    position = gen - tech if tech is not None and gen is not None else None
    if position is None:
        profile = NOT_ENOUGH
    elif position <= -balanced_within:
        profile = TECHNICAL
    elif position >= balanced_within:
        profile = GENERALIST
    else:
        profile = BALANCED
    strengths = tuple(s.label for s in scores if s.score_100 is not None and s.score_100 >= strength_at)
    gaps = tuple(s.label for s in scores if s.score_100 is not None and s.score_100 < gap_below)
    return Placement(tech, gen, position, profile, strengths, gaps)
