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

from workbook.i18n import _, format_number, ngettext

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
    def ci95(self) -> tuple[float, float] | None:
        """Feldt's 95% confidence interval of alpha (None when alpha is not computable)."""
        return feldt_ci(self.alpha, self.n, self.k) if self.alpha is not None else None

    @property
    def ci_label(self) -> str:
        """The interval as text for a table: "0.45 to 0.94", or "—"."""
        ci = self.ci95
        return _("{low} to {high}").format(low=format_number(ci[0], 2), high=format_number(ci[1], 2)) if ci else "—"

    @property
    def label(self) -> str:
        """Alpha as text for a table: "0.82", "0.61 (under 0.7)" or the reason it is not computable."""
        if self.alpha is None:
            return self.status
        alpha = format_number(self.alpha, 2)
        return _("{alpha} (under 0.7)").format(alpha=alpha) if self.low else alpha


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
        return None, _("not computable: a scale needs at least 2 items (it has {k})").format(k=k)
    n = len(columns[0])
    if n < MIN_CASES:
        return None, ngettext("not computable: {n} complete case, at least {needed} needed",
                              "not computable: {n} complete cases, at least {needed} needed", n).format(n=n, needed=MIN_CASES)
    totals = [sum(row, Fraction(0)) for row in zip(*columns)]
    var_total = _var(totals)
    if var_total == 0:
        return None, _("not computable: everyone gave the same total (no variance)")
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
    alpha, status = _alpha(columns) if items else (None, _("not computable: the scale has no items"))
    stats = []
    for j, item in enumerate(items):
        answered = [r[item] for r in given if r.get(item) is not None]
        mean = sum(answered) / len(answered) if answered else None
        r_it: float | None = None
        a_del: float | None = None
        note = ""
        if len(items) < 2:
            note = _("not computable: no other items")
        elif len(complete) < MIN_CASES:
            note = _("not computable: too few complete cases")
        else:
            rest = [sum(vals, Fraction(0)) for vals in zip(*(c for n, c in enumerate(columns) if n != j))]
            r_it = _corr(columns[j], rest)
            if r_it is None:
                note = (_("not computable: everyone gave this item the same answer") if _var(columns[j]) == 0
                        else _("not computable: the other items do not vary"))
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


# ---------------------------------------------------------------- Feldt's confidence interval

def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz's method)."""
    tiny, eps = 1e-300, 1e-15
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < eps:
            break
    return h


def beta_inc(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def f_cdf(f: float, df1: float, df2: float) -> float:
    """P(F ≤ f) for Snedecor's F distribution with (df1, df2) degrees of freedom."""
    if f <= 0:
        return 0.0
    return beta_inc(df1 / 2.0, df2 / 2.0, df1 * f / (df1 * f + df2))


def f_quantile(p: float, df1: float, df2: float) -> float:
    """The p-quantile of the F distribution (bisection on ``f_cdf``, to 1e-12 relative)."""
    if not 0.0 < p < 1.0:
        raise ValueError(f"p={p} must lie strictly between 0 and 1")
    lo, hi = 0.0, 1.0
    while f_cdf(hi, df1, df2) < p:
        lo, hi = hi, hi * 2.0
    for _step in range(200):
        mid = (lo + hi) / 2.0
        if f_cdf(mid, df1, df2) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-12 * max(hi, 1e-12):
            break
    return (lo + hi) / 2.0


def feldt_ci(alpha: float, n: int, k: int, level: float = 0.95) -> tuple[float, float] | None:
    """Feldt's confidence interval for Cronbach's alpha from ``n`` complete cases and ``k`` items
    (Feldt, Woodruff & Salih 1987, formulas 6 and 7): lower = 1 − (1 − alpha)·F(1 − c/2; n−1, (n−1)(k−1)),
    upper = 1 − (1 − alpha)·F(c/2; …), c = 1 − level. None when n < 2 or k < 2."""
    if n < 2 or k < 2 or not 0.0 < level < 1.0:
        return None
    tail = (1.0 - level) / 2.0
    df1, df2 = n - 1, (n - 1) * (k - 1)
    return 1.0 - (1.0 - alpha) * f_quantile(1.0 - tail, df1, df2), 1.0 - (1.0 - alpha) * f_quantile(tail, df1, df2)
