"""The facilitator guide rendered from ``exercises/facilitator.yaml`` (pure, apart from the two
functions that fetch answers: ``cohort_answers_for_guide`` from the store, ``demo_answers_for_guide``
from the demo data).

Per module: key messages with their citations, the workshop path's minutes (``paths.py``), debrief
questions each followed by the cohort's live result (through ``analysis.cohort_scores``; a result with fewer
people than the anonymity threshold says so and shows nothing), misconceptions with answers, and a
link to the module's handout; then the reasoning behind the debatable statement keys.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from workbook.content.catalogue import Catalogue, Module
from workbook.content.facilitator_models import FacilitatorDoc, GuideModule
from workbook.i18n import _
from workbook.render.fragments import render_fragment, trusted
from workbook.render.html import esc


@dataclass(frozen=True)
class Live:
    """A live cohort result under a debrief question: HTML for the page, one text line for checks."""

    html: str
    text: str


def _doc(cat: Catalogue) -> FacilitatorDoc:
    from workbook.errors import NotFound

    if cat.facilitator is None:
        raise NotFound("exercises/facilitator.yaml is missing: no facilitator guide to show")
    return cat.facilitator


def uses_of(cat: Catalogue) -> list[tuple[Module, str]]:
    """Every (module, questionnaire or exercise id) a debrief question shows live results of."""
    out = []
    for gm in _doc(cat).modules:
        for d in gm.debrief:
            if d.uses:
                out.append((cat.module(gm.module), d.uses))
    return out


def live_result(cat: Catalogue, module: Module, ex_id: str, answers: dict[int, dict[str, object]], threshold: int, statements=None) -> Live:
    """The cohort's result for one questionnaire or exercise, hidden below the anonymity threshold."""
    from workbook.analysis.cohort_scores import choice_tally, key_agreement, spreads

    L = _doc(cat).labels
    hidden = L.get("not_enough", _("not enough responses (fewer than {threshold})")).format(threshold=threshold)
    answered = L.get("answered", _("answered"))
    if ex_id == module.instrument:
        inst = cat.instrument(ex_id)
        items = spreads(inst, answers, threshold)
        text = "; ".join(f"{s.label} n={s.n} " + (_("mean {mean}").format(mean=f"{s.mean:.0f}") if s.shown else _("hidden")) for s in items)
        return Live(render_fragment("guide_live", kind="spreads", items=items, hidden=hidden), f"{ex_id}: {text}")
    spec = next(e for e in module.exercises if e.id == ex_id)
    if spec.type == "classify" and statements is not None:
        ka = key_agreement(spec, statements, answers, threshold)
        if not ka.shown:
            return Live(render_fragment("guide_live", kind="hidden", people=ka.people, answered=answered, hidden=hidden),
                        f"{ex_id}: " + _("{people} answered, hidden").format(people=ka.people))
        return Live(
            render_fragment("guide_live", kind="agreement", people=ka.people, answered=answered, share=ka.mean_share,
                            key=L.get("key", _("Key")), hardest=ka.hardest),
            f"{ex_id}: " + _("{people} answered, {share}% like the key; least agreed: {least}").format(
                people=ka.people, share=f"{ka.mean_share:.0f}", least=", ".join(f"{m}/{n}" for _t, _k, m, n in ka.hardest)),
        )
    tally = choice_tally(spec, answers, threshold)
    if tally is not None:
        if not tally.shown:
            return Live(render_fragment("guide_live", kind="hidden", people=tally.people, answered=answered, hidden=hidden),
                        f"{ex_id}: " + _("{people} answered, hidden").format(people=tally.people))
        return Live(render_fragment("guide_live", kind="tally", people=tally.people, answered=answered, counts=tally.counts),
                    f"{ex_id}: " + _("{people} answered; {counts}").format(people=tally.people, counts=", ".join(f"{label} {n}" for label, n in tally.counts)))
    people = sum(1 for a in answers.values() if any(v not in (None, "", [], {}) for v in a.values()))
    shown = people >= threshold
    return Live(render_fragment("guide_live", kind="people", people=people, answered=answered, shown=shown, hidden=hidden),
                f"{ex_id}: " + (_("{people} answered").format(people=people) if shown else _("{people} answered, hidden").format(people=people)))


def cite_text(cat: Catalogue, source: str, where: str) -> Markup:
    """A citation as the modules give it (HTML), or the workbook's own-reading note."""
    if source == "workbook":
        return Markup(esc(_doc(cat).labels.get("own", "The workbook's own reading.")))
    src = cat.sources[source]
    return render_fragment("cite", lead="", author=src.author, title=src.title, where=where or src.where)


def _timing_html(cat: Catalogue, module: Module) -> Markup | str:
    from workbook.domain.paths import plan

    if cat.paths is None or not any(p.id == "workshop" for p in cat.paths.paths):
        return ""
    L = _doc(cat).labels
    mp = next(p for p in plan(cat, "workshop") if p.module.id == module.id)
    return render_fragment("guide_timing", plan=mp, timing=L.get("timing", "Timing"), after=L.get("after", "Left for afterwards"))


def module_guide_html(cat: Catalogue, gm: GuideModule, live: dict[str, Live] | None, handout_link: str = "") -> str:
    """One module's part of the guide."""
    L = _doc(cat).labels
    m = cat.module(gm.module)
    return str(render_fragment("guide_module", module=m, guide=gm, labels=L, live=live, handout_link=handout_link,
                               timing=_timing_html(cat, m), cite=lambda x: cite_text(cat, x.source, x.where)))


def statements_html(cat: Catalogue, statements) -> str:
    """The reasoning behind the debatable statement keys, each with the statement as the dataset has it."""
    doc = _doc(cat)
    L = doc.labels
    by_id = {s.id: s for s in statements}
    rows = [(r, by_id[r.id]) for r in doc.statements.reasoning]
    return str(render_fragment("guide_statements", labels=L, intro=doc.statements.intro, rows=rows))


def guide_html(cat: Catalogue, statements, live: dict[str, Live] | None, handout_link: Callable[[Module], str] | None = None) -> str:
    """The whole guide: intro, every module, the statement reasoning."""
    return _guide(cat, statements, live, handout_link, None, "")


def _guide(cat: Catalogue, statements, live: dict[str, Live] | None, handout_link: Callable[[Module], str] | None,
           title: str | None, cohort: str) -> str:
    doc = _doc(cat)
    modules = [trusted(module_guide_html(cat, gm, live, handout_link(cat.module(gm.module)) if handout_link else "")) for gm in doc.modules]
    return str(render_fragment("guide", title=title, cohort=cohort, intro=doc.intro, modules=modules,
                               statements=trusted(statements_html(cat, statements))))


def statements_for(cat: Catalogue, datasets_dir) -> list:
    from workbook.content.statements import load_statements

    return load_statements(datasets_dir / _doc(cat).statements.dataset).statements


def live_results(cat: Catalogue, answers_by_ex: dict[str, dict[int, dict[str, object]]], threshold: int, statements) -> dict[str, Live]:
    """Every debrief's live result from the answers of each questionnaire or exercise."""
    return {ex_id: live_result(cat, module, ex_id, answers_by_ex.get(ex_id, {}), threshold, statements) for module, ex_id in uses_of(cat)}


def debrief_text(cat: Catalogue, live: dict[str, Live]) -> str:
    """The live results as text, one line per debrief that uses one (nbval checks it on the demo cohort)."""
    return "\n".join(_("Module {number}").format(number=module.number) + f" · {live[ex_id].text}" for module, ex_id in uses_of(cat))


# ---- I/O at the edges ------------------------------------------------------------------------------

def cohort_answers_for_guide(db, identity, cohort_id: int) -> dict[str, dict[int, dict[str, object]]]:
    """The cohort's answers to every questionnaire or exercise the guide's debriefs use (staff of the cohort)."""
    from workbook.content.catalogue import catalogue
    from workbook.store import cohort_answers

    return {ex_id: cohort_answers(db, identity, cohort_id, ex_id) for _m, ex_id in uses_of(catalogue())}


def demo_answers_for_guide() -> dict[str, dict[int, dict[str, object]]]:
    """The same answers from the demo cohort's data files (no database)."""
    from workbook.content.catalogue import catalogue
    from workbook.store.demo import answers_by_trainee, read_demo

    _cohort, answers = read_demo()
    return {ex_id: answers_by_trainee(answers, ex_id) for _m, ex_id in uses_of(catalogue())}


def demo_debrief_text() -> str:
    """The debrief figures of the demo cohort (anonymity threshold from the settings)."""
    from workbook.content.catalogue import catalogue
    from workbook.settings import get_settings

    cat, settings = catalogue(), get_settings()
    statements = statements_for(cat, settings.datasets_dir)
    return debrief_text(cat, live_results(cat, demo_answers_for_guide(), settings.anonymity_threshold, statements))


def report_html(db, identity, cohort: str = "", handout_files: bool = True) -> str:
    """The guide for the PDF (``workbook facilitator``): with a cohort's live results when ``cohort``
    is given, handouts linked as the PDF files written next to it."""
    from workbook.content.catalogue import catalogue
    from workbook.store import cohort_by_name

    cat = catalogue()
    statements = statements_for(cat, db.settings.datasets_dir)
    live = None
    if cohort:
        live = live_results(cat, cohort_answers_for_guide(db, identity, cohort_by_name(db, cohort)), db.settings.anonymity_threshold, statements)
    return _guide(cat, statements, live, handout_file if handout_files else None, _doc(cat).title, cohort)


def handout_file(module: Module) -> str:
    """The file name of a module's handout PDF."""
    return f"handout-{module.id}.pdf"
