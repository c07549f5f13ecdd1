"""360-degree feedback: self against each rater category, blind spots, hidden strengths. Pure.

Anonymity rules (``settings.anonymity_threshold``, ``manager_shown_alone``):
- a category is shown only when at least *threshold* of its raters answered; the manager
  category may be shown with fewer only when ``manager_shown_alone`` is on;
- inside a shown category, a dimension is shown only when enough of its raters scored it;
- "all raters" pools only the cells that are shown, so a hidden category can never be worked
  out by subtracting the shown ones from the total;
- comments come only from raters of shown categories, unattributed, in random order, and only
  when those raters number at least ``comment_threshold`` (a higher bar than scores: a sentence
  gives its writer away more easily than a number; never lower than the threshold).
- a category judges only its own items (``rater_items`` of the instrument): its answers to any
  other item are ignored, and a dimension it has no item of gets no cell at all (not a hidden
  one): ``Feedback.not_rated`` lists those dimensions per category, for the note saying why.
Blind spot: self minus all raters ≥ ``blind_spot_gap`` (points of the item scale); hidden
strength: all raters minus self ≥ the gap.
"""
from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from workbook.content.catalogue import RATER_CATEGORIES as CATEGORIES
from workbook.content.catalogue import Instrument
from workbook.i18n import _

from .scoring import score

CATEGORY_LABELS = {"self": "Self", "manager": "Manager", "peer": "Peers", "direct_report": "Direct reports", "client": "Clients", "all": "All raters"}
NOT_ENOUGH_RATERS = "not enough raters"
BLIND_SPOT = "blind spot"
HIDDEN_STRENGTH = "hidden strength"
_EPS = 1e-9


@dataclass(frozen=True)
class RaterResponse:
    """One rater's answers (no identity: the category is all that is kept)."""

    category: str
    answers: dict[str, object]
    comment: str = ""


@dataclass(frozen=True)
class Cell:
    """One category × dimension: a mean on the item scale, or hidden with a reason."""

    category: str
    dimension: str
    mean: float | None
    raters: int  # raters whose answers gave this dimension a score (shown only when the cell is)
    reason: str = ""  # why it is hidden

    @property
    def shown(self) -> bool:
        return self.mean is not None


@dataclass(frozen=True)
class DimensionResult:
    dimension: str
    label: str
    self_mean: float | None
    cells: dict[str, Cell]  # category -> cell, plus "all"; no key for a category that does not rate the dimension
    gap: float | None  # self minus all raters
    flag: str  # "", BLIND_SPOT or HIDDEN_STRENGTH


@dataclass(frozen=True)
class Feedback:
    instrument: str
    points: int
    dimensions: list[DimensionResult]
    categories: dict[str, dict]  # category -> {"answered": n, "shown": bool, "reason": str}
    comments: list[str]
    threshold: int
    not_rated: dict[str, list[str]] = field(default_factory=dict)  # category -> dimension ids it has no item of
    comment_threshold: int = 0  # raters of shown groups needed before any comment is shown
    comments_withheld: bool = False  # comments were written but too few raters to show them

    def suppressed(self) -> tuple[int, int]:
        """(cells hidden by the anonymity rules, cells with any answer): category × dimension cells of
        categories someone answered in, plus "all raters"; categories nobody answered in do not count."""
        hidden = total = 0
        for d in self.dimensions:
            for cat, cell in d.cells.items():
                if cat != "all" and not self.categories.get(cat, {}).get("answered"):
                    continue
                total += 1
                hidden += not cell.shown
        return hidden, total

    def frame(self):
        """Long table for the dot plot: dimension, who, mean (shown cells and self only)."""
        import pandas as pd

        rows = []
        for d in self.dimensions:
            if d.self_mean is not None:
                rows.append({"dimension": d.label, "who": CATEGORY_LABELS["self"], "mean": d.self_mean})
            for cat, cell in d.cells.items():
                if cell.shown:
                    rows.append({"dimension": d.label, "who": CATEGORY_LABELS.get(cat, cat), "mean": cell.mean})
        return pd.DataFrame(rows, columns=["dimension", "who", "mean"])


def _answered(resp: RaterResponse, asked: frozenset[str]) -> bool:
    return any(v is not None for k, v in resp.answers.items() if k in asked)


def category_visible(category: str, answered: int, threshold: int, manager_shown_alone: bool) -> tuple[bool, str]:
    """Whether a category with ``answered`` raters may be shown, and if not, why."""
    if answered == 0:
        return False, _("no answers yet")
    if answered >= threshold:
        return True, ""
    if category == "manager" and manager_shown_alone:
        return True, ""
    if category == "manager":
        return False, _("not enough raters (the manager is not shown alone)")
    return False, _("not enough raters ({answered} answered, {threshold} needed)").format(answered=answered, threshold=threshold)


def compare(
    instrument: Instrument,
    self_answers: dict[str, object],
    responses: Sequence[RaterResponse],
    threshold: int,
    blind_spot_gap: float,
    manager_shown_alone: bool = False,
    seed: int | None = None,
    comment_threshold: int | None = None,
) -> Feedback:
    """Self against each rater category per dimension, under the anonymity rules above."""
    by_cat: dict[str, list[RaterResponse]] = {c: [] for c in CATEGORIES}
    for r in responses:
        if _answered(r, instrument.rated_ids(r.category)):
            by_cat.setdefault(r.category, []).append(r)
    not_rated = {cat: [d.id for d in instrument.unrated_dimensions(cat)] for cat in by_cat}
    categories: dict[str, dict] = {}
    for cat, rs in by_cat.items():
        shown, reason = category_visible(cat, len(rs), threshold, manager_shown_alone)
        categories[cat] = {"answered": len(rs), "shown": shown, "reason": reason}
    self_scores = {s.dimension: s.mean for s in score(instrument, self_answers)}
    rater_scores = {cat: [{s.dimension: s.mean for s in score(instrument, r.answers, cat)} for r in rs] for cat, rs in by_cat.items()}
    dims = []
    for dim in instrument.dimensions:
        cells: dict[str, Cell] = {}
        pooled: list[float] = []
        for cat in by_cat:
            if dim.id in not_rated[cat]:
                continue  # this category cannot judge the dimension: no cell, not a hidden one
            vals = [sc[dim.id] for sc in rater_scores[cat] if sc[dim.id] is not None]
            info = categories[cat]
            if not info["shown"]:
                cells[cat] = Cell(cat, dim.id, None, 0, info["reason"])
                continue
            ok, why = category_visible(cat, len(vals), threshold, manager_shown_alone)
            if not ok:
                cells[cat] = Cell(cat, dim.id, None, 0, why if vals else "not enough answers on this dimension")
                continue
            cells[cat] = Cell(cat, dim.id, sum(vals) / len(vals), len(vals))
            pooled += vals
        # pooled from shown cells only: it reveals nothing the shown cells do not
        cells["all"] = Cell("all", dim.id, sum(pooled) / len(pooled), len(pooled)) if pooled else Cell("all", dim.id, None, 0, _("not enough raters"))
        own = self_scores[dim.id]
        gap = own - cells["all"].mean if own is not None and cells["all"].shown else None
        flag = ""
        if gap is not None and gap >= blind_spot_gap - _EPS:
            flag = BLIND_SPOT
        elif gap is not None and -gap >= blind_spot_gap - _EPS:
            flag = HIDDEN_STRENGTH
        dims.append(DimensionResult(dim.id, dim.label, own, cells, gap, flag))
    shown_raters = [r for cat, rs in by_cat.items() if categories[cat]["shown"] for r in rs]
    needed = max(threshold, comment_threshold or threshold)
    comments = [r.comment.strip() for r in shown_raters if r.comment and r.comment.strip()] if len(shown_raters) >= needed else []
    random.Random(seed).shuffle(comments)
    written = any(r.comment and r.comment.strip() for r in shown_raters)
    return Feedback(instrument.id, instrument.scale.points, dims, categories, comments, threshold,
                    {cat: ids for cat, ids in not_rated.items() if ids}, needed, written and not comments)


@dataclass(frozen=True)
class PulseItem:
    """One behaviour (item) before and after the action plan: keyed means of the raters, or hidden."""

    item: str
    text: str
    before: float | None
    after: float | None
    n_before: int
    n_after: int
    reason: str = ""  # why a mean is hidden

    @property
    def change(self) -> float | None:
        return self.after - self.before if self.before is not None and self.after is not None else None


def pulse_compare(instrument: Instrument, items: Sequence[str], before: Sequence[RaterResponse], after: Sequence[RaterResponse], threshold: int) -> list[PulseItem]:
    """Per targeted item: the raters' keyed mean in the main round and in the pulse round (higher is
    better, reverse keys applied). As in ``compare``, a category counts on a side only when at least
    ``threshold`` of its raters answered the item there; a side with no such category is hidden."""
    points = instrument.scale.points
    out = []
    for item_id in items:
        item = instrument.item(item_id)

        def keyed(rs: Sequence[RaterResponse]) -> list[int]:
            by_cat: dict[str, list[int]] = {}
            for r in rs:
                v = r.answers.get(item_id)  # noqa: B023 - keyed() is called in this same iteration
                if isinstance(v, int) and not isinstance(v, bool):
                    by_cat.setdefault(r.category, []).append(points + 1 - v if item.reverse else v)  # noqa: B023 - called in this iteration
            return [v for vals in by_cat.values() if len(vals) >= threshold for v in vals]

        b, a = keyed(before), keyed(after)
        hidden = [what for what, v in ((_("before"), b), (_("after"), a)) if not v]
        reason = _("not enough raters ({when}: no group of at least {threshold} raters answered it)").format(
            when=_(" and ").join(hidden), threshold=threshold) if hidden else ""
        out.append(PulseItem(item_id, item.text_360 or item.text,
                             sum(b) / len(b) if not hidden else None, sum(a) / len(a) if not hidden else None,
                             len(b), len(a), reason))
    return out
