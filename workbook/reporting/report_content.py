"""What the individual and cohort reports say: data gathered through the store (scoped to the
reader's Identity) and rendered as escaped HTML sections with inline SVG charts.

The report notebooks (``workbook/report_notebooks/``, never served by Voila) only call these functions. Every piece of text that
came from a person goes through ``esc()``; nothing here renders Markdown from user input.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from workbook.analysis.cohort_scores import choice_tally, cohort_means, key_agreement, spreads
from workbook.analysis.completion import module_statuses
from workbook.analysis.person_results import InstrumentResult, person_results, scored_modules
from workbook.auth.identity import STAFF_ROLES, Identity
from workbook.content.catalogue import catalogue
from workbook.domain.action_plan import SMART_VARIANT, Action, summary
from workbook.domain.journey import summary_text
from workbook.errors import InvalidAnswer, WorkbookError
from workbook.i18n import _, check_language, format_day, format_percentage, language_name, ngettext, using
from workbook.render.charts import scores_with_cohort, to_svg
from workbook.render.cohort_html import choices_html, notes_html, reliability_html, spread_table_html
from workbook.render.fragments import render_fragment, trusted
from workbook.render.html import section
from workbook.render.plan_html import plan_table_html
from workbook.store import (
    Database,
    PersonInfo,
    action_plan,
    answer_languages,
    cohort_answer_languages,
    cohort_answers,
    cohort_by_name,
    cohort_language,
    get_person,
    language_of,
    last_activity,
    list_cohorts,
    list_people,
    notes_for,
)
from workbook.store.journeys import list_maps
from workbook.store.notes import Note


def localized(render: Callable[..., str]) -> Callable[..., str]:
    """A report part rendered in its report's language (``report.language``): its words, formats and content.
    Each notebook cell calls one part, so the language is set around each, not once for the kernel."""

    @functools.wraps(render)
    def in_language(report, *args, **kwargs) -> str:
        with using(report.language):
            return render(report, *args, **kwargs)

    return in_language


def languages_text(counts: dict[str | None, int]) -> str:
    """Which languages answers were given in, by count (``Français: 8``; None: given before languages were recorded)."""
    unknown = _("not recorded")
    order = sorted(counts.items(), key=lambda kv: (kv[0] is None, -kv[1], kv[0] or ""))
    return " · ".join(_("{language} ({count})").format(language=language_name(code) if code else unknown, count=n) for code, n in order)


def as_of_date(raw: str | date | None) -> date:
    """The report's as-of date (today when empty)."""
    if not raw:
        return date.today()
    return raw if isinstance(raw, date) else date.fromisoformat(str(raw))


READER_ROLES = ("admin", *STAFF_ROLES)


def reader(role: str | None, person_id: int | None = None, cohort_id: int | None = None, name: str = "") -> Identity:
    """The identity a report is produced for (the HR or coach who asked, or the operator); a missing
    or unknown role is refused (the report notebooks have no default reader, so none fails open)."""
    if role not in READER_ROLES:
        raise WorkbookError(f"report parameter reader_role: {role!r} is not one of {', '.join(READER_ROLES)}; "
                            "pass who asks for the report (papermill -p reader_role ROLE)")
    if role == "admin":
        return Identity.admin()
    if not isinstance(person_id, int) or isinstance(person_id, bool):
        raise WorkbookError(f"report parameter reader_id: {person_id!r} is not a person id; a {role} report needs the reader's id")
    return Identity(role=role, person_id=person_id, cohort_id=cohort_id, name=name)


def required_int(name: str, value: object) -> int:
    """A report notebook's required whole-number parameter, refused in one line when missing or not a number."""
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().isdigit():
        raise WorkbookError(f"report parameter {name}: {value!r} is not a whole number; pass it (papermill -p {name} N)")
    return int(value)


def required_text(name: str, value: object) -> str:
    """A report notebook's required text parameter, refused in one line when missing or empty."""
    if not isinstance(value, str) or not value.strip():
        raise WorkbookError(f"report parameter {name}: {value!r} is missing or empty; pass it (papermill -p {name} TEXT)")
    return value


@dataclass
class IndividualReport:
    person: PersonInfo
    as_of: date
    threshold: int
    status: dict[str, str]
    last_active: datetime | None
    results: list[InstrumentResult]
    cohort: dict[str, dict[str, float]]  # instrument -> dimension -> cohort mean (shown groups only)
    cohort_sizes: dict[str, int]
    actions: list[Action]
    notes: list[Note]
    feedback: list = field(default_factory=list)
    feedback_available: bool = False
    feedback_reliability: dict = field(default_factory=dict)  # instrument -> [Reliability] of the shown raters' answers
    journey: list = field(default_factory=list)
    journey_available: bool = False
    language: str = "en"  # the report's language (chrome, formats, content)
    answer_languages: dict = field(default_factory=dict)  # instrument id -> {language: answers} of the current attempt


def _feedback(db: Database, actor: Identity, person_id: int, results: list[InstrumentResult]) -> tuple[bool, list, dict]:
    """360-degree comparisons from the latest closed round, and the reliability of the shown raters' answers per instrument."""
    from workbook.analysis.cohort_statistics import reliability
    from workbook.domain.feedback360 import RaterResponse, compare
    from workbook.store.raters import feedback_responses

    out, rel = [], {}
    s = db.settings
    for r in results:
        responses = [RaterResponse(x["category"], x["answers"], x.get("comment", "")) for x in feedback_responses(db, actor, person_id, r.instrument.id)]
        if responses:
            from workbook.store import current_answers

            own = current_answers(db, actor, person_id, r.instrument.id)
            fb = compare(r.instrument, own, responses, s.anonymity_threshold, s.blind_spot_gap, s.manager_shown_alone, seed=person_id,
                         comment_threshold=s.comment_threshold)
            out.append((r, fb))
            shown = [x for x in responses if fb.categories.get(x.category, {}).get("shown")]  # hidden groups stay out of every figure
            rel[r.instrument.id] = reliability(r.instrument, {n: x.answers for n, x in enumerate(shown)})
    return True, out, rel


def has_experience_map() -> bool:
    """Whether this installation's curriculum has an experience-map exercise (without one, the report says the part is not available)."""
    return any(e.type == "journey_map" for m in catalogue().ordered_modules() for e in m.exercises)


def individual_report(db: Database, actor: Identity, person_id: int, as_of: str | date | None = None, language: str = "") -> IndividualReport:
    """Everything the individual report shows about one person, read with the reader's rights, with its content
    in ``language`` (empty: the person's own language, else their cohort's default)."""
    language = check_language(language or language_of(db, actor, person_id), "report language")
    with using(language):
        return _individual_report(db, actor, person_id, as_of, language)


def _individual_report(db: Database, actor: Identity, person_id: int, as_of: str | date | None, language: str) -> IndividualReport:
    person = get_person(db, actor, person_id)
    threshold = db.settings.anonymity_threshold
    results = person_results(db, actor, person_id)
    cohort: dict[str, dict[str, float]] = {}
    sizes: dict[str, int] = {}
    if actor.role != "trainee":
        for r in results:
            answers = cohort_answers(db, actor, person.cohort_id, r.instrument.id)
            cohort[r.instrument.id] = cohort_means(r.instrument, answers, threshold)
            sizes[r.instrument.id] = len(answers)
    fb_ok, fb, fb_rel = _feedback(db, actor, person_id, results)
    journey = [line for m in list_maps(db, actor, person_id) for line in summary_text(m).splitlines()]
    return IndividualReport(
        person=person, as_of=as_of_date(as_of), threshold=threshold,
        status=module_statuses(db, actor, person_id), last_active=last_activity(db, actor, person_id),
        results=results, cohort=cohort, cohort_sizes=sizes,
        actions=action_plan(db, actor, person_id),
        notes=[n for n in notes_for(db, actor, person_id) if n.shared],
        feedback=fb, feedback_available=fb_ok, feedback_reliability=fb_rel,
        journey=journey, journey_available=has_experience_map(), language=language,
        answer_languages={r.instrument.id: answer_languages(db, actor, person_id, r.instrument.id) for r in results},
    )




@localized
def profile_html(rep: IndividualReport) -> str:
    """The individual report's title block: whose report, cohort, date, modules done, last activity."""
    p = rep.person
    done, total = sum(1 for v in rep.status.values() if v == "done"), len(catalogue().modules)
    last = format_day(rep.last_active) if rep.last_active else _("no activity yet")
    facts = [_("report as of {day}").format(day=format_day(rep.as_of)),
             _("{done} of {total} modules done ({share})").format(done=done, total=total, share=format_percentage(done / total if total else 0)),
             _("last activity: {day}").format(day=last)]
    return str(render_fragment("report_head", kind=_("individual report"), title=p.name, cohort=p.cohort, facts=facts))


@localized
def completion_html(rep: IndividualReport) -> str:
    table = render_fragment("module_completion", modules=catalogue().ordered_modules(), status=rep.status)
    return section(_("Module completion"), table, "wb-keep")


@localized
def scores_html(rep: IndividualReport) -> str:
    import pandas as pd

    if not rep.results:
        return section(_("Scores"), render_fragment("report_texts", part="no_scores"))
    parts = []
    for r in rep.results:
        means = rep.cohort.get(r.instrument.id, {})
        data = [{"dimension": s.label, "score_100": s.score_100, "cohort_mean": means.get(s.dimension)} for s in r.scores]
        n = rep.cohort_sizes.get(r.instrument.id, 0)
        note = (ngettext("Cohort mean over {n} person.", "Cohort mean over {n} people.", n).format(n=n) if means else
                _("No cohort comparison: fewer than {threshold} people of the cohort have a score (anonymity threshold).").format(threshold=rep.threshold))
        frame = pd.DataFrame(data)
        chart = to_svg(scores_with_cohort(frame, title=_("Bars: this person · orange tick: cohort mean"))) if frame["score_100"].notna().any() else ""
        parts.append(render_fragment("person_scores", result=r, means=means, note=note, chart=trusted(chart),
                                     languages=languages_text(rep.answer_languages.get(r.instrument.id, {}))))
    return section(_("Scores"), "".join(parts))


@localized
def feedback_html(rep: IndividualReport) -> str:
    if not rep.feedback_available:
        return section(_("360-degree feedback"), render_fragment("report_texts", part="feedback_not_yet"), "wb-keep")
    if not rep.feedback:
        return section(_("360-degree feedback"), render_fragment("report_texts", part="no_raters"), "wb-keep")
    parts = []
    for r, fb in rep.feedback:
        hidden, total = fb.suppressed()
        rel = reliability_html(rep.feedback_reliability.get(r.instrument.id, []))
        parts.append(render_fragment("feedback_summary", title=r.instrument.title, fb=fb, hidden=hidden, total=total, reliability=trusted(rel)))
    return section(_("360-degree feedback: blind spots and hidden strengths"), "".join(parts))


@localized
def journey_html(rep: IndividualReport) -> str:
    if not rep.journey_available:
        return section(_("Experience map"), render_fragment("report_texts", part="journey_not_yet"), "wb-keep")
    if not rep.journey:
        return section(_("Experience map"), render_fragment("report_texts", part="no_journey"), "wb-keep")
    return section(_("Experience map"), render_fragment("report_texts", part="journey", lines=rep.journey))


@localized
def plan_html(rep: IndividualReport) -> str:
    if not rep.actions:
        return section(_("Action plan"), render_fragment("report_texts", part="no_plan"))
    c = summary(rep.actions, rep.as_of)
    head = render_fragment("report_texts", part="plan_head", c=c, as_of=rep.as_of, smart=SMART_VARIANT)
    return section(_("Action plan"), str(head) + plan_table_html(rep.actions, rep.as_of, report=True))


@localized
def notes_section(rep: IndividualReport) -> str:
    """The coaching notes the coach has shared with the person."""
    if not rep.notes:
        return section(_("Coaching notes"), render_fragment("report_texts", part="no_notes"), "wb-keep")
    return section(_("Coaching notes (shared with the person)"), notes_html(rep.notes, sharing=False, empty=""))


def cohort_choices(db: Database, identity: Identity, cohort_id: int) -> list[tuple]:
    """(module, ChoiceTally) for every choice exercise of the curriculum (pick one, sorted row lists)."""
    out = []
    for module in catalogue().ordered_modules():
        for ex in module.exercises:
            if ex.type == "classify":
                out.append((module, _key_agreement(db, identity, cohort_id, ex)))
            elif ex.type in ("pick_one", "row_list"):
                tally = choice_tally(ex, cohort_answers(db, identity, cohort_id, ex.id), db.settings.anonymity_threshold)
                if tally is not None:
                    out.append((module, tally))
    return out


def _key_agreement(db: Database, identity: Identity, cohort_id: int, ex):
    from workbook.content.exercise_specs import spec_of
    from workbook.content.statements import load_statements

    statements = load_statements(db.settings.datasets_dir / spec_of(ex).dataset).statements
    return key_agreement(ex, statements, cohort_answers(db, identity, cohort_id, ex.id), db.settings.anonymity_threshold)


# ---- cohort report ----------------------------------------------------------------------------

@dataclass
class CohortReport:
    name: str
    cohort_id: int
    as_of: date
    threshold: int
    people: list[PersonInfo]
    status: dict[int, dict[str, str]]
    last_active: dict[int, datetime | None]
    spreads: list[tuple]  # (module, instrument, [DimensionSpread], answered)
    plans: dict[int, list[Action]]
    closed: bool
    choices: list = field(default_factory=list)  # (module, ChoiceTally)
    unreadable: int = 0  # plans that could not be read (a malformed saved value): left out, counted
    reliability: dict = field(default_factory=dict)  # instrument id -> cohort_statistics.InstrumentStats (alpha, Feldt CI)
    language: str = "en"  # the report's language (chrome, formats, content)
    answer_languages: dict = field(default_factory=dict)  # instrument id -> {language: people who answered in it}


def cohort_report(db: Database, actor: Identity, cohort: str | int, as_of: str | date | None = None, language: str = "") -> CohortReport:
    """Everything the cohort report shows, with every aggregate under the anonymity threshold hidden, in
    ``language`` (empty: the cohort's default). Scores pool every language's answers by item id."""
    cid = cohort if isinstance(cohort, int) else cohort_by_name(db, cohort)
    language = check_language(language or cohort_language(db, actor, cid), "report language")
    with using(language):
        return _cohort_report(db, actor, cohort, cid, as_of, language)


def _cohort_report(db: Database, actor: Identity, cohort: str | int, cid: int, as_of: str | date | None, language: str) -> CohortReport:
    [info] = [c for c in list_cohorts(db, actor) if c["id"] == cid] or [None]
    if info is None:
        from workbook.errors import AccessDenied

        raise AccessDenied(f"{actor.role} may not see cohort {cohort}")
    people = list_people(db, actor, cid, role="trainee")
    threshold = db.settings.anonymity_threshold
    from workbook.analysis.cohort_statistics import instrument_stats

    out_spreads, reliability = [], {}
    for module, inst in scored_modules():
        answers = cohort_answers(db, actor, cid, inst.id)
        out_spreads.append((module, inst, spreads(inst, answers, threshold), len(answers)))
        reliability[inst.id] = instrument_stats(inst, answers, threshold)
    plans, unreadable = {}, 0
    for p in people:  # one person's broken record must not sink the cohort's report
        try:
            plans[p.id] = action_plan(db, actor, p.id)
        except InvalidAnswer:
            unreadable += 1
    return CohortReport(
        name=info["name"], cohort_id=cid, as_of=as_of_date(as_of), threshold=threshold, people=people,
        status={p.id: module_statuses(db, actor, p.id) for p in people}, last_active={p.id: last_activity(db, actor, p.id) for p in people},
        spreads=out_spreads, plans=plans, closed=info["closed"], unreadable=unreadable,
        choices=cohort_choices(db, actor, cid), reliability=reliability, language=language,
        answer_languages={inst.id: cohort_answer_languages(db, actor, cid, inst.id) for _m, inst in scored_modules()},
    )


@localized
def cohort_head_html(rep: CohortReport) -> str:
    """The cohort report's title block."""
    n = len(rep.people)
    facts = [ngettext("{n} trainee", "{n} trainees", n).format(n=n), _("cohort closed") if rep.closed else _("cohort open"),
             _("report as of {day}").format(day=format_day(rep.as_of)),
             _("groups smaller than {threshold} are not shown").format(threshold=rep.threshold)]
    return str(render_fragment("report_head", kind=_("cohort report"), title=rep.name, cohort="", facts=facts))


@localized
def cohort_completion_html(rep: CohortReport) -> str:
    n = len(rep.people)
    modules = []
    for m in catalogue().ordered_modules():
        done = sum(1 for p in rep.people if rep.status[p.id].get(m.id) == "done")
        going = sum(1 for p in rep.people if rep.status[p.id].get(m.id) == "in_progress")
        modules.append((m, done, going, n - done - going))
    people = [(p.name, sum(1 for v in rep.status[p.id].values() if v == "done"), rep.last_active[p.id]) for p in rep.people]
    return section(_("Module completion"), render_fragment("cohort_completion", modules=modules, people=people), "wb-keep")


@localized
def cohort_scores_html(rep: CohortReport) -> str:
    parts = []
    for module, inst, items, answered in rep.spreads:
        stats = rep.reliability.get(inst.id)
        rel = (reliability_html(stats.reliability, _("Cronbach's alpha of each dimension in this cohort")) if stats and not stats.reason
               else render_fragment("report_texts", part="alpha_reason", reason=stats.reason) if stats else "")
        langs = rep.answer_languages.get(inst.id, {})
        if langs:
            rel = str(render_fragment("report_texts", part="answer_languages", languages=languages_text(langs))) + str(rel)
        parts.append(spread_table_html(module, inst, items, rep.threshold, answered=answered, after=rel))
    return section(_("Scores across the cohort (0–100)"), "".join(parts) or render_fragment("report_texts", part="no_spreads"))


@localized
def cohort_choices_html(rep: CohortReport) -> str:
    if not rep.choices:
        return ""
    return section(_("Choices across the cohort"), "".join(choices_html(m, t, rep.threshold) for m, t in rep.choices))


@localized
def cohort_plans_html(rep: CohortReport) -> str:
    with_plan = [acts for acts in rep.plans.values() if acts]
    bad = render_fragment("report_texts", part="unreadable", count=rep.unreadable) if rep.unreadable else ""
    if len(with_plan) < rep.threshold:
        return section(_("Action plans"), bad + render_fragment("report_texts", part="plans_hidden", people=len(with_plan), threshold=rep.threshold), "wb-keep")
    total = summary([a for acts in with_plan for a in acts], rep.as_of)
    return section(_("Action plans"), bad + render_fragment("report_texts", part="plans_summary", people=len(with_plan), total_people=len(rep.people),
                                                            c=total, as_of=rep.as_of))


@localized
def cohort_quiz_html(rep: CohortReport, db: Database, actor: Identity, options: dict | None = None) -> str:
    """The concept quiz's learning gain per concept, in the report's language."""
    from workbook.render.quiz_html import cohort_report_section

    return cohort_report_section(db, actor, rep.cohort_id, options)


INDIVIDUAL_SECTIONS = {
    "completion": completion_html, "scores": scores_html, "feedback360": feedback_html,
    "journey": journey_html, "plan": plan_html, "notes": notes_section,
}
COHORT_SECTIONS = {"completion": cohort_completion_html, "scores": cohort_scores_html, "choices": cohort_choices_html, "plans": cohort_plans_html}


def show(report: IndividualReport | CohortReport, name: str, options: dict | None = None) -> str:
    """One section's HTML, or "" when ``options["sections"]`` leaves it out."""
    wanted = (options or {}).get("sections")
    if wanted is not None and name not in wanted:
        return ""
    table = INDIVIDUAL_SECTIONS if isinstance(report, IndividualReport) else COHORT_SECTIONS
    return table[name](report)
