"""Cohort aggregates of instrument scores (pure): distributions per dimension, hidden below the
anonymity threshold. Input is ``{person id: {item: answer}}``; nothing here reads the store."""
from __future__ import annotations

from dataclasses import dataclass
from statistics import mean, median

from workbook.content.catalogue import Instrument
from workbook.domain.scoring import score


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


@dataclass(frozen=True)
class ChoiceTally:
    """How a cohort answered one choice exercise (a pick-one, or a row list sorted into categories)."""

    exercise: str
    title: str
    unit: str  # "people" (pick one) or "rows" (row list)
    people: int  # how many people answered
    shown: bool  # False: fewer people than the anonymity threshold
    counts: tuple[tuple[str, int], ...]  # (option label, count), every option in order; empty when hidden


def choice_tally(exercise, answers_by_person: dict[int, dict[str, object]], threshold: int) -> ChoiceTally | None:
    """Cohort counts for a ``pick_one`` or a ``row_list`` with ``count_by``; None for other exercises."""
    from workbook.content.exercise_specs import parse_spec
    from workbook.domain.service_analysis import rows_from_answers

    spec = parse_spec(exercise.type, dict(exercise.model_extra or {}))
    if exercise.type == "pick_one":
        options = [(str(o.value), o.label) for o in spec.options]
        picked = [str(a.get("choice")) for a in answers_by_person.values() if a.get("choice") is not None]
        counts = [(label, sum(1 for p in picked if p == value)) for value, label in options]
        people, unit = len(picked), "people"
    elif exercise.type == "row_list" and getattr(spec, "count_by", ""):
        col = next(c for c in spec.columns if c.id == spec.count_by)
        options = [(o.value, o.label) for o in col.options]
        per_person = [rows_from_answers(a, [c.id for c in spec.columns]) for a in answers_by_person.values()]
        per_person = [rows for rows in per_person if any(r.get(spec.count_by) is not None for r in rows)]
        counts = [(label, sum(1 for rows in per_person for r in rows if r.get(spec.count_by) == value)) for value, label in options]
        people, unit = len(per_person), "rows"
    else:
        return None
    shown = people >= threshold
    return ChoiceTally(exercise.id, exercise.prompt, unit, people, shown, tuple(counts) if shown else ())


def tally_frame(tally: ChoiceTally):
    """A shown tally as a (label, count) DataFrame for ``charts.category_counts``."""
    import pandas as pd

    return pd.DataFrame([{"label": label, "count": n} for label, n in tally.counts], columns=["label", "count"])


@dataclass(frozen=True)
class KeyAgreement:
    """How a cohort's classification (e.g. outcome/process) agrees with the expert key."""

    exercise: str
    title: str
    people: int  # people who classified at least one statement
    shown: bool  # False: fewer people than the anonymity threshold
    mean_share: float | None  # mean % of each person's answered statements classified like the key
    hardest: tuple[tuple[str, str, int, int], ...]  # (statement, key, matched, answered): least agreement first


def key_agreement(exercise, statements, answers_by_person: dict[int, dict[str, object]], threshold: int, top: int = 5) -> KeyAgreement:
    """The cohort against the key: mean agreement and the statements most often classified otherwise
    (each statement only when at least ``threshold`` people classified it)."""
    from workbook.content.statements import KEYS
    from workbook.domain.classification import grade

    graded = [(a, grade(statements, a)) for a in answers_by_person.values()]
    graded = [(a, g) for a, g in graded if g.answered]
    if len(graded) < threshold:
        return KeyAgreement(exercise.id, exercise.prompt, len(graded), False, None, ())
    per = []
    for st in statements:
        given = [a.get(st.id) for a, _g in graded if a.get(st.id) in KEYS]
        if len(given) >= threshold:
            per.append((st.text, st.key, sum(1 for v in given if v == st.key), len(given)))
    per.sort(key=lambda r: (r[2] / r[3], r[0]))
    return KeyAgreement(exercise.id, exercise.prompt, len(graded), True, mean(g.share for _a, g in graded) * 100, tuple(per[:top]))
