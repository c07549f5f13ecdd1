"""Pure analysis for modules 6–8: the servuction triangle, marketing-mix fit, row exercises.

No I/O: every function takes plain answers (``{item: value}``) or scores and returns plain data,
so pages, reports and tests share one computation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Seed 002: three entities, three links; each link joins two entities.
LINK_ENTITIES: dict[str, tuple[str, str]] = {
    "mastery": ("provider", "service"),
    "relationship": ("provider", "client"),
    "involvement": ("client", "service"),
}
ENTITIES = ("client", "provider", "service")
CLEAR_LEAD = 5.0  # points on 0–100 by which the strongest link must lead to count as favoured


def left_aside(link: str) -> str:
    """The entity a favoured link leaves aside: the one it does not join (seed 002's postulate)."""
    if link not in LINK_ENTITIES:
        raise ValueError(f"unknown link {link!r}; expected one of {', '.join(LINK_ENTITIES)}")
    (entity,) = set(ENTITIES) - set(LINK_ENTITIES[link])
    return entity


def dominant_link(scores: dict[str, float | None], lead: float = CLEAR_LEAD) -> str | None:
    """The favoured link: all three links scored and the strongest ahead of the next by ``lead``."""
    vals = {k: scores.get(k) for k in LINK_ENTITIES}
    if any(v is None for v in vals.values()):
        return None
    ranked = sorted(vals.items(), key=lambda kv: kv[1], reverse=True)
    return ranked[0][0] if ranked[0][1] - ranked[1][1] >= lead else None


@dataclass(frozen=True)
class Fit:
    """How far an offer fits a marketing mix: percent of the maximum over the rated levers."""

    percent: float | None
    rated: int
    total: int
    gaps: tuple[str, ...]  # levers rated 0 (does not fit)


def checklist_fit(answers: dict[str, object], items: list[str], max_value: int) -> Fit:
    """Score a rated checklist: sum of ratings / (rated levers × max) × 100; unrated levers are left out."""
    rated = {i: answers[i] for i in items if isinstance(answers.get(i), int) and not isinstance(answers.get(i), bool)}
    rated = {i: v for i, v in rated.items() if 0 <= v <= max_value}
    percent = sum(rated.values()) / (len(rated) * max_value) * 100 if rated and max_value > 0 else None
    gaps = tuple(i for i in items if rated.get(i) == 0)
    return Fit(percent, len(rated), len(items), gaps)


def mix_alignment(dominant: str | None, fits: dict[str, float | None]) -> tuple[str | None, bool | None]:
    """The mix the offer fits best and whether it is the mix of the favoured link (None: cannot tell)."""
    scored = {k: v for k, v in fits.items() if v is not None}
    if not scored:
        return None, None
    top = max(scored.values())
    best = [k for k, v in scored.items() if v == top]
    best_link = best[0] if len(best) == 1 else None
    if dominant is None or best_link is None:
        return best_link, None
    return best_link, best_link == dominant


_CELL = re.compile(r"^(\d+)\.([a-z0-9_]+)$")


def rows_from_answers(answers: dict[str, object], columns: list[str]) -> list[dict[str, object]]:
    """Row-list answers (items ``"<row>.<column>"``) as rows in row order; empty rows are dropped."""
    rows: dict[int, dict[str, object]] = {}
    for item, value in answers.items():
        m = _CELL.match(item)
        if not m or m.group(2) not in columns:
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        rows.setdefault(int(m.group(1)), {})[m.group(2)] = value
    return [{"row": n, **{c: rows[n].get(c) for c in columns}} for n in sorted(rows)]


def count_by(rows: list[dict[str, object]], column: str, values: list[object]) -> list[tuple[object, int]]:
    """How many rows hold each value of a choice column (every value listed, in the given order)."""
    return [(v, sum(1 for r in rows if r.get(column) == v)) for v in values]


def mean_rating(rows: list[dict[str, object]], column: str) -> tuple[float | None, int]:
    """Mean of a rating column over the rows that rated it, and how many did."""
    vals = [r[column] for r in rows if isinstance(r.get(column), int) and not isinstance(r.get(column), bool)]
    return (sum(vals) / len(vals) if vals else None), len(vals)


def layer_shares(counts: list[tuple[object, int]]) -> dict[object, float]:
    """Each category's share of the rows, in percent (empty when there are no rows)."""
    total = sum(n for _v, n in counts)
    return {v: n / total * 100 for v, n in counts} if total else {}
