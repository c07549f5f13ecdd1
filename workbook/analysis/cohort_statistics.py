"""Instrument statistics for coaches and HR: reliability per dimension and cohort aggregates,
never for a group smaller than ``settings.anonymity_threshold``.

Pure functions take ``{person: {item: answer}}``; :func:`cohort_instrument_stats` fetches that
from the store for the signed-in coach or HR person (their cohort) or the operator (all cohorts).
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from workbook.content.catalogue import Instrument
from workbook.domain.psychometrics import Reliability, cronbach_alpha
from workbook.domain.scoring import keyed_value, score
from workbook.i18n import _, format_number, ngettext

NOT_ENOUGH_PEOPLE = "not enough people"


@dataclass(frozen=True)
class DimensionAggregate:
    """One dimension across a group: hidden (``mean`` None, ``reason`` set) under the threshold."""

    dimension: str
    label: str
    n: int  # people with a score on this dimension
    mean: float | None  # 0–100
    sd: float | None
    distribution: dict[int, int]  # rounded mean on the item scale -> people
    reason: str = ""


@dataclass(frozen=True)
class InstrumentStats:
    instrument: str
    people: int  # people who answered at least one item
    threshold: int
    reliability: list[Reliability]  # one per dimension; empty when hidden
    aggregates: list[DimensionAggregate]
    reason: str = ""  # why everything is hidden
    earlier_version: int = 0  # people who answered an earlier version of the items (scores counted, item statistics not)


def keyed_rows(instrument: Instrument, answers: Mapping[object, Mapping[str, object]]) -> list[dict[str, int | None]]:
    """Each person's answers to the current items with reverse keys applied; don't-know and blanks become None."""
    return [{i.id: keyed_value(instrument, i.id, a.get(i.id)) for i in instrument.items_for()} for a in answers.values()]


def on_current_version(instrument: Instrument, answers: Mapping[object, Mapping[str, object]]) -> dict:
    """The answer sets given on the instrument's current version of its items."""
    return {k: a for k, a in answers.items() if instrument.answered_version(a) == instrument.version}


def reliability(instrument: Instrument, answers: Mapping[object, Mapping[str, object]]) -> list[Reliability]:
    """Cronbach's alpha and item statistics of every dimension, on pooled keyed answers to the
    current items, from people who answered the current version only: retired and current items
    are never mixed in one scale."""
    rows = keyed_rows(instrument, on_current_version(instrument, answers))
    return [cronbach_alpha(rows, [i.id for i in instrument.items_for() if i.dimension == d.id], scale=d.label) for d in instrument.dimensions]


def aggregates(instrument: Instrument, answers: Mapping[object, Mapping[str, object]], threshold: int) -> list[DimensionAggregate]:
    """Mean, spread and distribution per dimension; a dimension scored by fewer than ``threshold`` people is hidden."""
    points = instrument.scale.points
    per_person = [score(instrument, a) for a in answers.values()]
    out = []
    for n_dim, dim in enumerate(instrument.dimensions):
        s100 = [p[n_dim].score_100 for p in per_person if p[n_dim].score_100 is not None]
        means = [p[n_dim].mean for p in per_person if p[n_dim].mean is not None]
        if len(s100) < threshold:
            out.append(DimensionAggregate(dim.id, dim.label, len(s100), None, None, {}, _("not enough people ({n} scored, {threshold} needed)").format(n=len(s100), threshold=threshold)))
            continue
        mean = sum(s100) / len(s100)
        sd = math.sqrt(sum((x - mean) ** 2 for x in s100) / (len(s100) - 1)) if len(s100) > 1 else None
        dist = {p: 0 for p in range(1, points + 1)}
        for m in means:
            dist[min(points, max(1, int(m + 0.5)))] += 1
        out.append(DimensionAggregate(dim.id, dim.label, len(s100), mean, sd, dist))
    return out


def instrument_stats(instrument: Instrument, answers: Mapping[object, Mapping[str, object]], threshold: int) -> InstrumentStats:
    """Reliability and aggregates of a group, or nothing but a reason when the group is too small."""
    given = {k: a for k, a in answers.items() if any(keyed_value(instrument, i.id, a.get(i.id)) is not None for i in instrument.items)}
    if len(given) < threshold:
        return InstrumentStats(instrument.id, len(given), threshold, [], [], _("not enough people ({n} answered, {threshold} needed)").format(n=len(given), threshold=threshold))
    earlier = len(given) - len(on_current_version(instrument, given))
    return InstrumentStats(instrument.id, len(given), threshold, reliability(instrument, given), aggregates(instrument, given, threshold), earlier_version=earlier)


def earlier_version_note(stats: InstrumentStats) -> str:
    """Why the item statistics count fewer people than the scores, when some answered retired items."""
    if not stats.earlier_version:
        return ""
    n = stats.earlier_version
    return ngettext("{n} person answered an earlier version of the statements: their dimension scores are included, "
                    "the item statistics (alpha, item-total r) use the current statements only",
                    "{n} people answered an earlier version of the statements: their dimension scores are included, "
                    "the item statistics (alpha, item-total r) use the current statements only", n).format(n=n)


def stats_text(stats: InstrumentStats, instrument: Instrument) -> str:
    """A plain-text report of the statistics (CLI, notebooks)."""
    lines = [f"{instrument.title}", "  " + _("people who answered: {people} (groups under {threshold} are not shown)").format(people=stats.people, threshold=stats.threshold)]
    if stats.reason:
        return "\n".join(lines + [f"  {stats.reason}"])
    if stats.earlier_version:
        lines.append(f"  {earlier_version_note(stats)}")
    for rel, agg in zip(stats.reliability, stats.aggregates):
        mean = (_("mean {mean}/100, sd {sd}").format(mean=f"{format_number(agg.mean, 1):>5}", sd=f"{format_number(agg.sd, 1):>4}") if agg.mean is not None and agg.sd is not None
                else agg.reason or _("mean —"))
        lines.append(f"  {rel.scale:<34} " + _("alpha {alpha} 95% CI {ci} n={n} missing answers {missing} {mean}").format(
            alpha=f"{rel.label:<18}", ci=f"{rel.ci_label:<13}", n=f"{rel.n:<3}", missing=f"{rel.missing_answers:<3}", mean=mean))
        for it in rel.items:
            r = ("+" if it.item_total_r >= 0 else "") + format_number(it.item_total_r, 2) if it.item_total_r is not None else "  — "
            a = format_number(it.alpha_if_deleted, 2) if it.alpha_if_deleted is not None else " — "
            lines.append(f"      {it.item:<6} " + _("item-total r {r}  alpha if deleted {alpha}  answered {n}, missing {missing}").format(
                r=r, alpha=a, n=it.n, missing=it.missing))
    return "\n".join(lines)


def cohort_instrument_stats(db, actor, instrument_id: str, cohort_id: int | None = None) -> InstrumentStats:
    """Statistics of one instrument for a cohort (coach/HR of it), or for all cohorts (operator, ``cohort_id`` None)."""
    from workbook.content.catalogue import catalogue
    from workbook.errors import AccessDenied
    from workbook.store import cohort_answers, list_cohorts

    inst = catalogue().instrument(instrument_id)
    if cohort_id is None:
        if actor.role != "admin":
            raise AccessDenied("statistics across all cohorts are for the operator; pick your cohort")
        ids = [c["id"] for c in list_cohorts(db, actor)]
    else:
        ids = [cohort_id]
    answers: dict[tuple[int, int], dict] = {}
    for cid in ids:
        for pid, a in cohort_answers(db, actor, cid, instrument_id).items():
            answers[(cid, pid)] = a
    return instrument_stats(inst, answers, db.settings.anonymity_threshold)
