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
