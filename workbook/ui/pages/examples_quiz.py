"""Worked examples of the concept quiz from the fixed demo answers in ``datasets/`` (no database):
the quiz notebooks print them and nbval checks the output."""
from __future__ import annotations

from workbook.content.catalogue import catalogue
from workbook.domain.quiz_scoring import cohort_gain, concept_scores, submitted
from workbook.i18n import _, format_number
from workbook.settings import get_settings
from workbook.store.demo import answers_by_trainee, read_demo


def _demo_forms() -> tuple[dict[int, dict], dict[int, dict]]:
    quiz = catalogue().quiz
    _cohort, answers = read_demo()
    return (answers_by_trainee(answers, quiz.exercise(quiz.form("before").id)),
            answers_by_trainee(answers, quiz.exercise(quiz.form("after").id)))


def demo_before_text() -> str:
    """The demo cohort's share of right answers per concept in the before form (mean over people)."""
    quiz = catalogue().quiz
    before, _after = _demo_forms()
    people = [a for a in before.values() if submitted(a)]
    form = quiz.form("before").id
    lines = [_("Form A, submitted by {people} people of the demo cohort: mean % right per concept").format(people=len(people))]
    per = [concept_scores(quiz, form, a) for a in people]
    for c in per[0]:
        lines.append(f"{c:<4} {format_number(sum(p[c].percent for p in per) / len(per), 1):>5}%")
    return "\n".join(lines)


def demo_gain_text() -> str:
    """The demo cohort's learning gain per concept (people who submitted both forms)."""
    quiz = catalogue().quiz
    before, after = _demo_forms()
    res = cohort_gain(quiz, before, after, get_settings().anonymity_threshold)
    lines = [_("{both} people submitted both forms ({before} form A, {after} form B)").format(both=res.took_both, before=res.took_before, after=res.took_after),
             _("concept  before   after    gain")]
    for r in res.concepts:
        gain = ("+" if r.gain is not None and r.gain >= 0 else "") + format_number(r.gain, 1) if r.gain is not None else ""
        lines.append(f"{r.concept:<6} {format_number(r.before, 1):>6}% {format_number(r.after, 1):>6}% {gain:>6}" if r.gain is not None else f"{r.concept:<6} {r.reason}")
    return "\n".join(lines)
