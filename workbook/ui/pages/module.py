"""A curriculum module page: objectives, teaching text citing the seeds, exercises, results."""
from __future__ import annotations

import ipywidgets as w

from workbook.auth.identity import ROLES, Identity
from workbook.content.catalogue import Module, catalogue
from workbook.domain.scoring import overall, score
from workbook.i18n import _, current_language
from workbook.render.fragments import render_fragment, trusted
from workbook.render.html import markdown_html
from workbook.render.score_bars import score_bars_svg
from workbook.settings import get_settings
from workbook.store import Database, answers_of_exercises, set_progress

from ..widgets.common import HTML, StatusLine, safe, shared, warm_shared
from ..widgets.deferred import Coalesced
from ..widgets.exercises import ExerciseContext
from ..widgets.exercises import build as build_exercise
from ..widgets.exercises import prebuild as prebuild_exercises
from ..widgets.likert import LikertForm
from ..widgets.saver import AnswerSaver
from .shell import Page, page_link

# A deep link names a part of a module page after "#": an exercise by its id (``#routes``), the questionnaire by its id
# (``#manager_profile``), ``#results``, a teaching section by its number (``#section-3``), and a few parts by a short
# name (``#360``: the 360-degree feedback). The page's script scrolls there once it is drawn (workbook-states.js).
ANCHOR_ALIASES = {"feedback360": "360"}


def anchored(widgets: list[w.Widget], name: str, kind: str = "") -> list[w.Widget]:
    """Mark the first of an exercise's widgets as the target of ``#name`` (and of its type's short name)."""
    if widgets:
        for anchor in filter(None, (name, ANCHOR_ALIASES.get(kind))):
            widgets[0].add_class(f"wb-anchor-{anchor}")
    return widgets


def teaching_html(module: Module, marks: dict[str, str] | None = None) -> str:
    """Objectives and sections as HTML, each section with its citation; ``marks`` (heading -> HTML)
    puts the person's path badge under a section's heading (pages/path_view.py)."""
    cat = catalogue()
    sections = []
    for section in module.sections:
        own = section.source == "workbook"
        cite = ""
        if not own:
            src = cat.sources[section.source]
            cite = render_fragment("cite", lead=_("Source"), author=src.author, title=src.title, where=section.where or src.where)
        figure = ""
        if section.figure:
            from .figures import figure_html

            figure = trusted(figure_html(section.figure))
        mark = trusted(marks[section.heading]) if marks and section.heading in marks else ""
        sections.append({"heading": section.heading, "mark": mark, "text": trusted(markdown_html(section.text)), "figure": figure,
                         "own": own, "cite": cite})
    return str(render_fragment("module_teaching", objectives=module.objectives, sections=sections))


def results_html(module: Module, answers: dict[str, object], saved: dict[str, dict[str, object]] | None = None) -> str:
    """The person's scores as a table and an SVG chart (computed from their saved answers);
    ``saved`` (every exercise's answers) feeds charts that combine exercises, like the triangle's mixes."""
    inst = catalogue().instrument(module.instrument)
    scores = score(inst, answers)
    total = overall(scores)
    if module.results.chart == "triangle":
        return str(render_fragment("module_scores", head="", points=inst.scale.points, scores=scores,
                                   after=trusted(triangle_results_html(module, scores, saved or {}))))
    label = module.results.overall_label
    head = render_fragment("module_overall", label=label, total=total) if total is not None and (label is None or label) else ""
    chart = trusted(score_bars_svg([(s.label, s.score_100) for s in scores])) if total is not None else None  # drawn here: no Altair, no renderer
    return str(render_fragment("module_scores", head=head, points=inst.scale.points, scores=scores, after=chart))


def triangle_results_html(module: Module, scores, saved: dict[str, dict[str, object]]) -> str:
    """The servuction triangle of the person's link scores, the favoured link, and the fit of each mix."""
    import pandas as pd

    from workbook.domain.service_analysis import dominant_link, left_aside, mix_alignment
    from workbook.render.charts import servuction_triangle, to_svg

    from ..widgets.exercises.checklist import fit_of

    L = module.results.labels
    by_link = {s.dimension: s.score_100 for s in scores}
    favoured = dominant_link(by_link)
    frame = pd.DataFrame([{"link": s.dimension, "label": L.get(s.dimension, s.label), "score_100": s.score_100, "favoured": s.dimension == favoured} for s in scores])
    entities = {e: L.get(e, e) for e in ("client", "provider", "service")}
    chart = trusted(to_svg(servuction_triangle(frame, entities, L.get("title", ""))))
    incomplete = any(v is None for v in by_link.values())
    favoured_text = L.get("favoured", "{link}").format(link=L.get(favoured, favoured), entity=entities[left_aside(favoured)]) if favoured and not incomplete else ""
    fits, aligned, verdict = None, None, ""
    if module.results.mixes:
        specs = {e.id: e for e in module.exercises}
        fits = {link: fit_of(specs[ex], saved.get(ex, {})).percent for link, ex in module.results.mixes.items() if ex in specs}
        best, aligned = mix_alignment(favoured, fits)
        if aligned is True:
            verdict = L.get("aligned", "").format(link=L.get(best, best))
        elif aligned is False:
            verdict = L.get("misaligned", "").format(link=L.get(favoured, favoured), best=L.get(best, best))
    return str(render_fragment("module_triangle", chart=chart, labels=L, incomplete=incomplete, favoured=favoured,
                               favoured_text=favoured_text, fits=fits, aligned=aligned, verdict=verdict))


def module_results_html(module: Module, saved: dict[str, dict[str, object]]) -> str:
    """The whole "your results" block: the instrument's scores and every exercise's summary."""
    from ..widgets.exercises import summarize

    parts = []
    if module.instrument:
        parts.append(results_html(module, saved.get(module.instrument, {}), saved))
    for spec in module.exercises:
        part = summarize(spec, saved.get(spec.id, {}))
        if part:
            parts.append(render_fragment("module_page", part="summary", spec=spec, summary=trusted(part)))
    return "".join(parts)


def has_results(module: Module) -> bool:
    """Whether the module shows a "your results" section (an instrument or a summarised exercise)."""
    from ..widgets.exercises import SUMMARIES, _load_structured

    _load_structured()
    return bool(module.instrument) or any(spec.type in SUMMARIES for spec in module.exercises)


def _prebuild_form(module: Module) -> LikertForm | None:
    """The module's instrument form, built before anyone signs in (bound to them at sign-in)."""
    if not module.instrument:
        return None
    return LikertForm(catalogue().instrument(module.instrument), lambda _item, _value: None)


def anchored_late(late, widgets: list[w.Widget], module: Module, spec_id: str):
    """A prebuilt exercise's widgets marked as its ``#anchor`` now (a class set after its models opened would be one
    more message at sign-in)."""
    spec = next(e for e in module.exercises if e.id == spec_id)
    return late, anchored(widgets, spec.id, spec.type)


def warm_up(module: Module, prebuilt: dict | None = None, db: Database | None = None) -> None:
    """Do once, in a preheated kernel, what the visitor's sign-in and first save would start:
    import the exercise widgets, draw the results (vl-convert's first chart takes ~0.3 s),
    build the instrument's radio groups (their widget models then travel with the page's state
    instead of one message each at sign-in) and, given the page's ``db``, rehearse its statements."""
    warm_shared()
    if prebuilt is not None:
        form = _prebuild_form(module)
        if form is not None:
            prebuilt["form"] = form
        prebuilt["exercises"] = {spec_id: anchored_late(late, widgets, module, spec_id) for spec_id, (late, widgets) in prebuild_exercises(module).items()}
        prebuilt["language"] = current_language()
    has_results(module)
    saved: dict[str, dict[str, object]] = {}
    if module.instrument:
        inst = catalogue().instrument(module.instrument)
        middle = (inst.scale.points + 1) // 2
        saved[inst.id] = {item.id: middle for item in inst.items_for()}
    module_results_html(module, saved)
    if db is not None:  # last: a database busy now leaves the rest warmed
        rehearse_visit(db, module)


def rehearse_visit(db: Database, module: Module) -> None:
    """Run the statements of a visitor's sign-in, saves and results redraw on this page once, in a transaction
    that is rolled back (``Database.rehearsal``): a preheated kernel's engine has them compiled before its
    visitor comes (on a new engine SQLAlchemy's compiling was a third of a sign-in's CPU). The access code's
    check too: its three statements were the last ones a visit compiled."""
    from workbook.store import AccessCodeAuthenticator, language_of, rehearsal_code, rehearsal_trainee, save_answer
    from workbook.store.sessions import check_session, start_session_with_ticket

    from .path_view import module_marks

    inst = catalogue().instrument(module.instrument) if module.instrument else None
    ids = ([inst.id] if inst else []) + [e.id for e in module.exercises]
    with db.rehearsal():
        person = rehearsal_trainee(db)
        AccessCodeAuthenticator(db).authenticate(rehearsal_code(db, person), source=["rehearsal", "addr:rehearsal"])
        token, _ticket = start_session_with_ticket(db, person)
        language_of(db, person, person.person_id)
        module_marks(db, person, module)
        answers_of_exercises(db, person, person.person_id, ids)
        if inst is not None:
            items = [item.id for item in inst.items_for()]
            middle = (inst.scale.points + 1) // 2
            for item in (items[0], items[0], items[-1]):  # a first answer, the same again (nothing new), another
                check_session(db, token)
                save_answer(db, person, person.person_id, module.id, inst.id, item, middle)
        answers_of_exercises(db, person, person.person_id, ids)


def _exercises(db: Database, identity: Identity, module: Module, prebuilt: dict | None = None, intro: w.HTML | None = None) -> list[w.Widget]:
    from .path_view import module_marks

    status = StatusLine()
    path_box, section_marks, marks = module_marks(db, identity, module)
    if intro is not None and section_marks:
        intro.value = teaching_html(module, section_marks)
    results = HTML()
    inst = catalogue().instrument(module.instrument) if module.instrument else None
    person = identity.person_id
    show_results = has_results(module)
    results.add_class("wb-results")

    ids = ([inst.id] if inst else []) + [e.id for e in module.exercises]

    def refresh(saved: dict[str, dict[str, object]] | None = None) -> None:
        if show_results:
            results.value = module_results_html(module, saved if saved is not None else answers_of_exercises(db, identity, person, ids))
        for hook in ctx.on_change:
            hook()

    redraw = Coalesced(safe(status)(refresh), get_settings().results_refresh_seconds)
    saver = AnswerSaver(db, identity, module.id, status, on_saved=redraw.trigger)
    ctx = ExerciseContext(db, identity, module, saver, status)
    first = answers_of_exercises(db, identity, person, ids)  # every exercise's answers in one query
    ctx.prefetched = dict(first)
    out: list[w.Widget] = [HTML(render_fragment("module_page", part="turn"))] + ([HTML(path_box)] if path_box else [])
    same_language = (prebuilt or {}).get("language") == current_language()  # else the prebuilt labels would be wrong
    exercises_ready = (prebuilt or {}).pop("exercises", {}) if same_language else {}
    if inst:
        ready = (prebuilt or {}).pop("form", None)
        if not same_language:
            ready = None
        form = ready or _prebuild_form(module)
        form.restore(ctx.saved(inst.id))
        form.bind(lambda item, value: ctx.save(inst.id, item, value))
        ctx.instrument_form = form
        out += anchored([HTML(render_fragment("module_page", part="instrument", instrument=inst, mark=trusted(marks.get(inst.id, "")))), form], inst.id)
    for spec in module.exercises:
        widgets = None
        if spec.id in exercises_ready and not first.get(spec.id):  # built before sign-in; this person has no answers to it yet
            late, widgets = exercises_ready.pop(spec.id)
            late.bind(ctx)
            ctx.prefetched.pop(spec.id, None)
        out += ([HTML(marks[spec.id])] if marks.get(spec.id) else []) + anchored(widgets or build_exercise(ctx, spec), spec.id, spec.type)
    done = w.Button(description=_("Mark this module as done"), layout=shared("layout"), style=shared("button_style"))  # never restyled
    done.on_click(lambda _b: safe(status)(lambda: (set_progress(db, identity, person, module.id, "done"), status.ok(_("Module marked as done."))))())
    out += [status]
    if show_results:
        out += anchored([HTML(render_fragment("module_page", part="results")), results], "results")
    out += [done]
    safe(status)(refresh)(first)
    ctx.prefetched.clear()  # from now on answers are read from the store when needed
    results.redraw = redraw  # tests and pages that must read current results call .settle()
    return out


def module_page(module_id: str, db: Database | None = None) -> Page:
    """The whole page of one module, ready to display; its text in the page's language (re-rendered when
    the person picks another)."""
    catalogue().module(module_id)  # an unknown module: one line, before any page is built

    def local() -> Module:
        return catalogue().module(module_id)

    intro: list[w.HTML] = []

    def make_intro() -> list[w.Widget]:
        intro[:] = [HTML(teaching_html(local()))]  # re-rendered with the person's path marks at sign-in
        return list(intro)

    def tail() -> list[w.Widget]:
        module, cat = local(), catalogue()
        out = [HTML(render_fragment("module_page", part="takeaway", module=module))]
        if module.next and module.next in cat.modules:
            nxt = cat.module(module.next)
            out.append(HTML(render_fragment("module_page", part="next", module=nxt, href=page_link(nxt.notebook))))
        from .handout import handout_link  # the module's one-page handout (key ideas and a canvas)

        out.append(HTML(render_fragment("module_page", part="handout", href=handout_link(module))))
        out.append(HTML(render_fragment("module_page", part="home", href=page_link("00_home.ipynb"))))
        return out

    prebuilt: dict = {}  # filled while a preheated kernel waits for its visitor

    def warm(page_db: Database) -> None:
        prebuilt["tail"] = (current_language(), tail())  # the same for every visitor: its models go with the page's state
        warm_up(local(), prebuilt, page_db)

    def ready_tail() -> list[w.Widget]:
        language, widgets = prebuilt.pop("tail", (None, None))
        return widgets if language == current_language() else tail()

    page = Page(
        lambda: _("Module {number}").format(number=local().number), lambda: local().title,
        lambda d, i: _exercises(d, i, local(), prebuilt, intro[0]) + ready_tail(),
        intro=make_intro, roles=ROLES, db=db, warm=warm,
    )
    page.prebuilt = prebuilt
    return page
