"""Reliability statistics of a scale: Cronbach's alpha, corrected item–total correlations,
alpha if an item is deleted. Pure functions on a respondents × items matrix of keyed answers.

Computed exactly with fractions (answers are whole numbers), then given as floats, so a constant
column is detected exactly and nothing ever returns NaN: an undefined statistic is ``None`` with
a plain reason ("not computable: …"). Cases with a missing answer in the scale are left out of
alpha (listwise deletion); the number left out is reported.

Formulas: alpha = k/(k-1) · (1 - Σ var(item) / var(sum)); the corrected item–total correlation
of item j is the Pearson correlation of item j with the sum of the *other* items.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

ALPHA_MIN = 0.7  # Nunnally's usual minimum
MIN_CASES = 3  # fewer complete cases than this: alpha is not computable
NOT_COMPUTABLE = "not computable"


@dataclass(frozen=True)
class ItemStats:
    """One item of a scale: answers, missing answers and its fit with the rest of the scale."""

    item: str
    n: int  # respondents who answered it
    missing: int
    mean: float | None
    item_total_r: float | None  # corrected: item against the sum of the other items
    alpha_if_deleted: float | None
    note: str = ""  # why a statistic is None


@dataclass(frozen=True)
class Reliability:
    """Cronbach's alpha of one scale (dimension) with item statistics; ``alpha`` None means not computable."""

    scale: str
    k: int  # items
    respondents: int  # rows given (anyone who answered at least one item)
    n: int  # complete cases used
    missing_answers: int  # blank cells among the respondents
    alpha: float | None
    status: str  # "ok" or "not computable: <reason>"
    items: tuple[ItemStats, ...]

    @property
    def low(self) -> bool:
        """True when alpha is computable and under 0.7 (flag for coaches and HR)."""
        return self.alpha is not None and self.alpha < ALPHA_MIN

    @property
    def label(self) -> str:
        """Alpha as text for a table: "0.82", "0.61 (under 0.7)" or the reason it is not computable."""
        if self.alpha is None:
            return self.status
        return f"{self.alpha:.2f}" + (" (under 0.7)" if self.low else "")


def _var(xs: Sequence[Fraction]) -> Fraction:
    """Sample variance (n-1), exact."""
    n = len(xs)
    m = sum(xs, Fraction(0)) / n
    return sum(((x - m) ** 2 for x in xs), Fraction(0)) / (n - 1)


def _cov(xs: Sequence[Fraction], ys: Sequence[Fraction]) -> Fraction:
    n = len(xs)
    mx, my = sum(xs, Fraction(0)) / n, sum(ys, Fraction(0)) / n
    return sum(((x - mx) * (y - my) for x, y in zip(xs, ys)), Fraction(0)) / (n - 1)


def _alpha(columns: Sequence[Sequence[Fraction]]) -> tuple[Fraction | None, str]:
    k = len(columns)
    if k < 2:
        return None, f"{NOT_COMPUTABLE}: a scale needs at least 2 items (it has {k})"
    n = len(columns[0])
    if n < MIN_CASES:
        return None, f"{NOT_COMPUTABLE}: {n} complete case{'s' if n != 1 else ''}, at least {MIN_CASES} needed"
    totals = [sum(row, Fraction(0)) for row in zip(*columns)]
    var_total = _var(totals)
    if var_total == 0:
        return None, f"{NOT_COMPUTABLE}: everyone gave the same total (no variance)"
    item_vars = sum((_var(c) for c in columns), Fraction(0))
    return Fraction(k, k - 1) * (1 - item_vars / var_total), "ok"


def _corr(xs: Sequence[Fraction], ys: Sequence[Fraction]) -> float | None:
    vx, vy = _var(xs), _var(ys)
    if vx == 0 or vy == 0:
        return None
    c = _cov(xs, ys)
    r = math.sqrt(float(c * c / (vx * vy)))
    return math.copysign(min(r, 1.0), float(c))


def cronbach_alpha(rows: Sequence[Mapping[str, int | None]], items: Sequence[str], scale: str = "") -> Reliability:
    """Alpha and item statistics of ``items`` from respondents' keyed answers (None = missing).

    Rows where every item is missing are ignored; rows with some missing are counted but left
    out of alpha (listwise). Never raises on degenerate data and never returns NaN.
    """
    items = list(items)
    given = [r for r in rows if any(r.get(i) is not None for i in items)]
    missing_answers = sum(1 for r in given for i in items if r.get(i) is None)
    complete = [r for r in given if all(r.get(i) is not None for i in items)]
    columns = [[Fraction(int(r[i])) for r in complete] for i in items]
    alpha, status = _alpha(columns) if items else (None, f"{NOT_COMPUTABLE}: the scale has no items")
    stats = []
    for j, item in enumerate(items):
        answered = [r[item] for r in given if r.get(item) is not None]
        mean = sum(answered) / len(answered) if answered else None
        r_it: float | None = None
        a_del: float | None = None
        note = ""
        if len(items) < 2:
            note = f"{NOT_COMPUTABLE}: no other items"
        elif len(complete) < MIN_CASES:
            note = f"{NOT_COMPUTABLE}: too few complete cases"
        else:
            rest = [sum(vals, Fraction(0)) for vals in zip(*(c for n, c in enumerate(columns) if n != j))]
            r_it = _corr(columns[j], rest)
            if r_it is None:
                note = f"{NOT_COMPUTABLE}: " + ("everyone gave this item the same answer" if _var(columns[j]) == 0 else "the other items do not vary")
            if len(items) >= 3:
                ad, why = _alpha([c for n, c in enumerate(columns) if n != j])
                a_del = float(ad) if ad is not None else None
                if ad is None and not note:
                    note = why
        stats.append(ItemStats(item, len(answered), len(given) - len(answered), float(mean) if mean is not None else None, r_it, a_del, note))
    return Reliability(
        scale=scale,
        k=len(items),
        respondents=len(given),
        n=len(complete),
        missing_answers=missing_answers,
        alpha=float(alpha) if alpha is not None else None,
        status=status,
        items=tuple(stats),
    )
