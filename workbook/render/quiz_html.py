"""The concept quiz as HTML: a person's results and feedback per answer, "what you learned", and
the cohort's learning gain per concept (coach tab, cohort report). Every string comes from
``exercises/quiz.yaml`` or is escaped; scores come from ``workbook/domain/quiz_scoring.py``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

from workbook.auth.identity import Identity
from workbook.content.catalogue import catalogue
from workbook.content.quiz_spec import Quiz
from workbook.domain.quiz_scoring import CohortGain, ConceptGain, cohort_gain, concept_scores, display_order, is_right, total_score
from workbook.i18n import _
from workbook.render.fragments import render_fragment, trusted
from workbook.render.html import esc, fmt, section

if TYPE_CHECKING:  # pandas (and Altair) when the gain chart is drawn, not with the quiz page
    import pandas as pd

LETTERS = "ABCD"


def concept_modules() -> dict[str, str]:
    """Which module teaches each concept first (``C5`` -> ``Module 3``)."""
    out: dict[str, str] = {}
    for m in catalogue().ordered_modules():
        for c in m.concepts:
            out.setdefault(c, f"Module {m.number}")
    return out


def letter(question, index: object) -> str:
    """The letter an option index is shown under on the page (options are shuffled per question)."""
    order = display_order(question)
    return LETTERS[order.index(index)] if isinstance(index, int) and not isinstance(index, bool) and index in order else "—"


def citation(question) -> Markup:
    """Where the question's concept comes from, as the modules cite it."""
    L = catalogue().quiz.labels
    if question.source == "workbook":
        return trusted(esc(L.get("own", "")))
    src = catalogue().sources[question.source]
    return render_fragment("cite", lead=L.get("source", "Source"), author=src.author, title=src.title, where=question.where or src.where)


def scores_table_html(quiz: Quiz, form_id: str, answers: dict[str, object]) -> str:
    """Right answers per concept in one form, with the module that teaches each concept."""
    return str(render_fragment("quiz_scores", labels=quiz.labels, modules=concept_modules(),
                               scores=concept_scores(quiz, form_id, answers).values(), total=total_score(quiz, form_id, answers)))


def feedback_html(quiz: Quiz, form_id: str, answers: dict[str, object]) -> str:
    """Every question of the form with the person's answer, whether it is right, and the feedback
    of the option chosen (and of the keyed one when the choice was wrong)."""
    L = quiz.labels
    questions = []
    for n, q in enumerate(quiz.questions_of(form_id), 1):
        value = answers.get(q.id)
        chosen = q.options[value] if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(q.options) else None
        questions.append({
            "n": n, "stem": q.stem, "ok": is_right(q, value), "chosen": chosen, "key": q.options[q.key], "citation": citation(q),
            "concept_tag": trusted(fmt(L.get("concept_tag", "{concept}"), concept=q.concept)),
            "your_answer": trusted(fmt(L.get("your_answer", "{letter}"), letter=letter(q, value))),
            "keyed": trusted(fmt(L.get("keyed", "{letter}"), letter=letter(q, q.key))),
        })
    return str(render_fragment("quiz_feedback", labels=L, questions=questions))


def results_html(quiz: Quiz, form_id: str, answers: dict[str, object]) -> str:
    """A submitted form: the score per concept, then the feedback on each answer."""
    return str(render_fragment("quiz_sections", kind="results", labels=quiz.labels,
                               scores=trusted(scores_table_html(quiz, form_id, answers)), feedback=trusted(feedback_html(quiz, form_id, answers))))


def gain_frame(rows: list[ConceptGain], before: str, after: str) -> pd.DataFrame:
    """Long format for the chart: one row per concept and form (hidden values left out)."""
    import pandas as pd

    data = [{"concept": r.concept, "form": label, "percent": value}
            for r in rows for label, value in ((before, r.before), (after, r.after)) if value is not None]
    return pd.DataFrame(data, columns=["concept", "form", "percent"])


def gain_chart(frame: pd.DataFrame, title: str, order: list[str]):
    """Before and after per concept: a grey dot, a coloured dot and the line between them."""
    import altair as alt

    from .charts import PALETTE

    y = alt.Y("concept:N", sort=order, title=None)
    x = alt.X("percent:Q", scale=alt.Scale(domain=[0, 100]), title=_("% right"))
    lines = alt.Chart(frame).mark_line(color=PALETTE["muted"]).encode(y=y, x=x, detail="concept:N")
    forms = sorted(frame["form"].unique().tolist()) if len(frame) else []
    dots = alt.Chart(frame).mark_circle(size=70, opacity=1).encode(
        y=y, x=x, color=alt.Color("form:N", title=None, sort=forms[::-1],
                                  scale=alt.Scale(range=[PALETTE["muted"], PALETTE["primary"]])),
        tooltip=["concept", "form", alt.Tooltip("percent:Q", format=".0f")],
    )
    return (lines + dots).properties(title=title, width=380, height=alt.Step(16))


def gain_table_html(rows: list[ConceptGain], labels: dict[str, str], with_n: bool = False) -> str:
    """Concept, module, % right before and after, gain in points; a hidden row says why."""
    return str(render_fragment("quiz_gain", labels=labels, modules=concept_modules(), rows=rows))


def learned_html(quiz: Quiz, rows: list[ConceptGain]) -> str:
    """A person's "what you learned": the table and the before/after chart."""
    from .charts import to_svg

    L = quiz.labels
    frame = gain_frame(rows, L.get("before", "before"), L.get("after", "after"))
    chart = to_svg(gain_chart(frame, L.get("chart_title", ""), [r.concept for r in rows]))
    return str(render_fragment("quiz_sections", kind="learned", labels=L, table=trusted(gain_table_html(rows, L)), chart=trusted(chart)))


def cohort_quiz_gain(db, actor: Identity, cohort_id: int) -> CohortGain:
    """The cohort's learning gain per concept, read through the store (staff of that cohort only)."""
    from workbook.store import cohort_answers

    quiz = catalogue().quiz
    before = cohort_answers(db, actor, cohort_id, quiz.exercise(quiz.form("before").id))
    after = cohort_answers(db, actor, cohort_id, quiz.exercise(quiz.form("after").id))
    return cohort_gain(quiz, before, after, db.settings.anonymity_threshold)


def cohort_gain_html(res: CohortGain, heading: bool = True) -> str:
    """The cohort's gain per concept: counts, the table and (when shown) the chart; hidden values say why."""
    from .charts import to_svg

    quiz = catalogue().quiz
    L = quiz.labels
    counts = fmt(L.get("cohort_counts", ""), both=res.took_both, before=res.took_before, after=res.took_after)
    table = trusted(gain_table_html(res.concepts, L))
    if res.hidden:
        return str(render_fragment("quiz_sections", kind="cohort", labels=L, heading=heading, counts=trusted(counts), hidden=True,
                                   reason=res.concepts[0].reason, table=table))
    frame = gain_frame(res.concepts, L.get("before", "before"), L.get("after", "after"))
    chart = to_svg(gain_chart(frame, L.get("chart_title", ""), [r.concept for r in res.concepts]))
    return str(render_fragment("quiz_sections", kind="cohort", labels=L, heading=heading, counts=trusted(counts), hidden=False,
                               table=table, chart=trusted(chart)))


def cohort_report_section(db, actor: Identity, cohort_id: int, options: dict | None = None) -> str:
    """The cohort report's quiz section (left out when ``options["sections"]`` does not list ``quiz``)."""
    wanted = (options or {}).get("sections")
    if wanted is not None and "quiz" not in wanted:
        return ""
    L = catalogue().quiz.labels
    return section(L.get("cohort_heading", ""), cohort_gain_html(cohort_quiz_gain(db, actor, cohort_id), heading=False), "wb-keep")
