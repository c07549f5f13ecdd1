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

from workbook.content.catalogue import Catalogue, Module
from workbook.content.facilitator_models import FacilitatorDoc, GuideModule
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
    hidden = L.get("not_enough", "not enough responses (fewer than {threshold})").format(threshold=threshold)
    if ex_id == module.instrument:
        inst = cat.instrument(ex_id)
        items = spreads(inst, answers, threshold)
        rows = "".join(
            f"<tr><td>{esc(s.label)}</td><td>{s.n}</td><td>{f'{s.mean:.0f}' if s.shown else esc(hidden)}</td></tr>" for s in items
        )
        text = "; ".join(f"{s.label} n={s.n} " + (f"mean {s.mean:.0f}" if s.shown else "hidden") for s in items)
        return Live(f'<table class="wb-table"><tr><th></th><th>n</th><th>mean 0–100</th></tr>{rows}</table>', f"{ex_id}: {text}")
    spec = next(e for e in module.exercises if e.id == ex_id)
    if spec.type == "classify" and statements is not None:
        ka = key_agreement(spec, statements, answers, threshold)
        if not ka.shown:
            return Live(f'<p class="wb-muted">{ka.people} {esc(L.get("answered", "answered"))}: {esc(hidden)}</p>', f"{ex_id}: {ka.people} answered, hidden")
        rows = "".join(f"<tr><td>{esc(t)}</td><td>{esc(k)}</td><td>{m} / {n}</td></tr>" for t, k, m, n in ka.hardest)
        return Live(
            f"<p>{ka.people} {esc(L.get('answered', 'answered'))}; {ka.mean_share:.0f}% like the key on average.</p>"
            f'<table class="wb-table"><tr><th></th><th>{esc(L.get("key", "Key"))}</th><th></th></tr>{rows}</table>',
            f"{ex_id}: {ka.people} answered, {ka.mean_share:.0f}% like the key; least agreed: " + ", ".join(f"{m}/{n}" for _t, _k, m, n in ka.hardest),
        )
    tally = choice_tally(spec, answers, threshold)
    if tally is not None:
        if not tally.shown:
            return Live(f'<p class="wb-muted">{tally.people} {esc(L.get("answered", "answered"))}: {esc(hidden)}</p>', f"{ex_id}: {tally.people} answered, hidden")
        rows = "".join(f"<tr><td>{esc(label)}</td><td>{n}</td></tr>" for label, n in tally.counts)
        return Live(f'<p>{tally.people} {esc(L.get("answered", "answered"))}</p><table class="wb-table">{rows}</table>',
                    f"{ex_id}: {tally.people} answered; " + ", ".join(f"{label} {n}" for label, n in tally.counts))
    people = sum(1 for a in answers.values() if any(v not in (None, "", [], {}) for v in a.values()))
    shown = people >= threshold
    return Live(f'<p>{people} {esc(L.get("answered", "answered"))}' + ("" if shown else f": {esc(hidden)}") + "</p>",
                f"{ex_id}: {people} answered" + ("" if shown else ", hidden"))


def cite_text(cat: Catalogue, source: str, where: str) -> str:
    """A citation as the modules give it (HTML), or the workbook's own-reading note."""
    if source == "workbook":
        return esc(_doc(cat).labels.get("own", "The workbook's own reading."))
    src = cat.sources[source]
    return f"{esc(src.author)}, <i>{esc(src.title)}</i>, {esc(where or src.where)}."


def _timing_html(cat: Catalogue, module: Module) -> str:
    from workbook.domain.paths import plan

    if cat.paths is None or not any(p.id == "workshop" for p in cat.paths.paths):
        return ""
    L = _doc(cat).labels
    mp = next(p for p in plan(cat, "workshop") if p.module.id == module.id)
    now = "".join(f"<tr><td>{esc(s.label)}</td><td>{s.minutes} min</td></tr>" for s in mp.steps if s.in_session)
    later = ", ".join(f"{esc(s.label)} ({s.minutes} min)" for s in mp.steps if not s.in_session) or "—"
    return (f"<h3>{esc(L.get('timing', 'Timing'))}: {mp.session_minutes} min</h3><table class=\"wb-table\">{now}</table>"
            f"<p class=\"wb-muted\">{esc(L.get('after', 'Left for afterwards'))} ({mp.after_minutes} min): {later}</p>")


def module_guide_html(cat: Catalogue, gm: GuideModule, live: dict[str, Live] | None, handout_link: str = "") -> str:
    """One module's part of the guide."""
    L = _doc(cat).labels
    m = cat.module(gm.module)
    parts = [f'<section class="wb-report-section wb-guide-module" data-module="{esc(m.id)}"><h2>Module {m.number} · {esc(m.title)}</h2>']
    parts.append(f"<h3>{esc(L.get('key_messages', 'Key messages'))}</h3><ul>")
    parts += [f'<li>{esc(k.text)} <span class="wb-cite">{cite_text(cat, k.source, k.where)}</span></li>' for k in gm.key_messages]
    parts.append("</ul>")
    parts.append(_timing_html(cat, m))
    parts.append(f"<h3>{esc(L.get('debrief', 'Debrief questions'))}</h3><ol>")
    for d in gm.debrief:
        parts.append(f"<li><p>{esc(d.question)}</p>")
        if d.uses:
            if live is None:
                parts.append(f'<p class="wb-muted">{esc(L.get("no_cohort", ""))}</p>')
            else:
                parts.append(f'<div class="wb-box wb-live" data-uses="{esc(d.uses)}"><b>{esc(L.get("live", "Live result"))}</b>{live[d.uses].html}</div>')
        parts.append("</li>")
    parts.append(f"</ol><h3>{esc(L.get('misconceptions', 'Misconceptions'))}</h3><dl class=\"wb-grow\">")
    for mc in gm.misconceptions:
        parts.append(f"<dt>“{esc(mc.claim)}”</dt><dd>{esc(mc.answer)}" + (f' <span class="wb-cite">{cite_text(cat, mc.source, mc.where)}</span>' if mc.source != "workbook" else "") + "</dd>")
    parts.append("</dl>")
    if handout_link:
        parts.append(f'<p><a class="wb-handout-link" href="{esc(handout_link)}">{esc(L.get("handout", "Handout"))}: Module {m.number} →</a></p>')
    parts.append("</section>")
    return "".join(parts)


def statements_html(cat: Catalogue, statements) -> str:
    """The reasoning behind the debatable statement keys, each with the statement as the dataset has it."""
    doc = _doc(cat)
    L = doc.labels
    by_id = {s.id: s for s in statements}
    rows = []
    for r in doc.statements.reasoning:
        st = by_id[r.id]
        rows.append(
            f'<div class="wb-box" data-statement="{esc(r.id)}"><p><b>{esc(r.id)}</b> “{esc(st.text)}” · {esc(L.get("key", "Key"))}: <b>{esc(st.key)}</b></p>'
            f"<p><i>{esc(L.get('why', 'Why'))}:</i> {esc(r.why)}</p><p><i>{esc(L.get('other_side', 'The other side'))}:</i> {esc(r.other_side)}</p></div>"
        )
    return (f'<section class="wb-report-section"><h2>{esc(L.get("statements", "Statements"))}</h2>'
            f"<p>{esc(doc.statements.intro)}</p>{''.join(rows)}</section>")


def guide_html(cat: Catalogue, statements, live: dict[str, Live] | None, handout_link: Callable[[Module], str] | None = None) -> str:
    """The whole guide: intro, every module, the statement reasoning."""
    doc = _doc(cat)
    parts = [f'<div class="wb-guide"><p>{esc(doc.intro)}</p>']
    for gm in doc.modules:
        link = handout_link(cat.module(gm.module)) if handout_link else ""
        parts.append(module_guide_html(cat, gm, live, link))
    parts.append(statements_html(cat, statements))
    parts.append("</div>")
    return "".join(parts)


def statements_for(cat: Catalogue, datasets_dir) -> list:
    from workbook.content.statements import load_statements

    return load_statements(datasets_dir / _doc(cat).statements.dataset).statements


def live_results(cat: Catalogue, answers_by_ex: dict[str, dict[int, dict[str, object]]], threshold: int, statements) -> dict[str, Live]:
    """Every debrief's live result from the answers of each questionnaire or exercise."""
    return {ex_id: live_result(cat, module, ex_id, answers_by_ex.get(ex_id, {}), threshold, statements) for module, ex_id in uses_of(cat)}


def debrief_text(cat: Catalogue, live: dict[str, Live]) -> str:
    """The live results as text, one line per debrief that uses one (nbval checks it on the demo cohort)."""
    return "\n".join(f"Module {module.number} · {live[ex_id].text}" for module, ex_id in uses_of(cat))


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
    head = f'<div class="wb-report-head"><div class="wb-kicker">Servuction Workbook</div><h1>{esc(_doc(cat).title)}</h1>' + (
        f"<p>{esc(cohort)}</p>" if cohort else "") + "</div>"
    return head + guide_html(cat, statements, live, handout_link=(lambda m: handout_file(m)) if handout_files else None)


def handout_file(module: Module) -> str:
    """The file name of a module's handout PDF."""
    return f"handout-{module.id}.pdf"
