"""Worked examples computed from the fixed demo data in ``datasets/`` (no database).

Pages show them as teaching material; nbval checks their printed output.
"""
from __future__ import annotations

from ..content import catalogue
from ..demo import answers_by_trainee, read_demo
from ..scoring import score


def demo_scores_text(instrument_id: str) -> str:
    """The demo cohort's mean score per dimension of an instrument, as a small text table."""
    inst = catalogue().instrument(instrument_id)
    _cohort, answers = read_demo()
    per_person = answers_by_trainee(answers, instrument_id)
    lines = [f"Demo cohort, {inst.title!r}: {len(per_person)} trainees"]
    for dim in inst.dimensions:
        vals = [s.score_100 for a in per_person.values() for s in score(inst, a) if s.dimension == dim.id and s.score_100 is not None]
        mean = sum(vals) / len(vals) if vals else float("nan")
        lines.append(f"  {dim.label:<22} mean {mean:5.1f} / 100  (n = {len(vals)})")
    return "\n".join(lines)


def modules_text() -> str:
    """The curriculum as text: number, title and concepts of each module."""
    return "\n".join(f"Module {m.number}: {m.title} [{', '.join(m.concepts)}]" for m in catalogue().ordered_modules())


def demo_cohort_text() -> str:
    """Who is in the demo cohort, by role."""
    cohort, _answers = read_demo()
    return f"{cohort.name}: coach {cohort.coach}; HR {cohort.hr}; {len(cohort.trainees)} trainees"


def _exercise_spec(module_id: str, exercise_id: str):
    from ..exercise_specs import spec_of

    return spec_of(next(e for e in catalogue().module(module_id).exercises if e.id == exercise_id))


def demo_timeline_text() -> str:
    """Module 2 worked example: how far the demo cohort's relationships stretch in time and space."""
    from statistics import median

    from ..timeline import phases_from_answers, summarise

    cfg = _exercise_spec("m02", "timeline")
    _cohort, answers = read_demo()
    people = answers_by_trainee(answers, "timeline")
    sums = [summarise(phases_from_answers([(p.id, p.label) for p in cfg.phases], a), cfg.delivery_phase) for a in people.values()]
    placed = sum(sum(s.places.values()) for s in sums)
    at_client = sum(s.places.get(cfg.client_site, 0) for s in sums)
    remote = sum(s.places.get(cfg.remote, 0) for s in sums)
    return "\n".join([
        f"Demo cohort: {len(sums)} client relationships drawn as timelines",
        f"  median time before delivery: {median(s.before for s in sums):g} {cfg.unit}",
        f"  median time after delivery:  {median(s.after for s in sums):g} {cfg.unit}",
        f"  median share outside delivery: {median(s.share_outside for s in sums):.0%}",
        f"  phases at the client's site: {at_client} of {placed} ({at_client / placed:.0%}); remote: {remote}",
    ])


def demo_classification_text(top: int = 3) -> str:
    """Module 4 worked example: the demo cohort's outcome/process classification against the key."""
    from ..classification import grade, key_counts, load_statements
    from ..settings import get_settings

    cfg = _exercise_spec("m04", "statements")
    data = load_statements(get_settings().datasets_dir / cfg.dataset)
    _cohort, answers = read_demo()
    grades = [grade(data.statements, a) for a in answers_by_trainee(answers, "statements").values()]
    counts = key_counts(data.statements)
    missed: dict[str, int] = {}
    for g in grades:
        for m in g.missed:
            missed[m.statement.id] = missed.get(m.statement.id, 0) + 1
    by_id = {s.id: s for s in data.statements}
    mean = sum(g.correct for g in grades) / len(grades)
    lines = [
        f"Key: {counts['process']} process and {counts['outcome']} outcome statements of {len(data.statements)}",
        f"Demo cohort: {len(grades)} trainees, mean {mean:.1f} of {len(data.statements)} like the key",
        "Most often classified differently from the key:",
    ]
    for sid, n in sorted(missed.items(), key=lambda kv: (-kv[1], kv[0]))[:top]:
        lines.append(f"  {sid} ({n} of {len(grades)}, key {by_id[sid].key}): {by_id[sid].text}")
    return "\n".join(lines)


def demo_gaps_text() -> str:
    """Module 4 worked example: elements the demo trainees' companies never identified or clients ignore."""
    from ..ipa import by_category, ipa_frame

    cfg = _exercise_spec("m04", "gaps")
    _cohort, answers = read_demo()
    people = answers_by_trainee(answers, "gaps")
    tally: dict[str, dict[str, int]] = {"never_identified": {}, "ignored": {}, "concentrate": {}}
    for a in people.values():
        groups = by_category(ipa_frame(a.get("invest") or [], a.get("cite") or [], cfg.high))
        for cat, names in tally.items():
            for name in groups[cat]:
                names[name] = names.get(name, 0) + 1
    lines = [f"Demo cohort: {len(people)} importance–investment grids"]
    for cat, names in tally.items():
        listed = ", ".join(f"{n} ({c})" for n, c in sorted(names.items(), key=lambda kv: (-kv[1], kv[0]))) or "none"
        lines.append(f"  {cfg.categories[cat]}: {listed}")
    return "\n".join(lines)
