"""Reference pages open to everyone (no sign-in, no personal data): the glossary and the sources."""
from __future__ import annotations

import ipywidgets as w

from workbook.content.catalogue import Source, catalogue
from workbook.i18n import _
from workbook.render.fragments import render_fragment, trusted
from workbook.render.html import markdown_html

from ..widgets.common import HTML, style
from .shell import banner


def _concept_modules() -> dict[str, list]:
    out: dict[str, list] = {}
    for m in catalogue().ordered_modules():
        for c in m.concepts:
            out.setdefault(c, []).append(m)
    return out


def _labels(kind: str, defaults: dict[str, str]) -> dict[str, str]:
    doc = catalogue().reference.get(kind)
    return {**defaults, **(doc.labels if doc else {})}


def glossary_html() -> str:
    """Every glossary term with its definition, concepts and the modules that teach them."""
    L = _labels("glossary", {"term": "Term", "meaning": "Meaning", "concepts": "Concepts", "module": "Module"})
    by_concept = _concept_modules()
    rows = []
    for e in sorted(catalogue().glossary, key=lambda e: e.term.casefold()):
        modules = {m.id: m for c in e.concepts for m in by_concept.get(c, [])}
        rows.append((e, sorted(modules.values(), key=lambda m: m.number)))
    return str(render_fragment("reference", part="glossary", labels=L, rows=rows))


SOURCE_LABELS = {"used_for": "Used for:", "seed": "seed text {file}, language: {language}", "cited_in": "Cited in:", "module": "Module {number}"}


def citation(s: Source, labels: dict[str, str] = SOURCE_LABELS) -> str:
    """One source as a full citation (HTML, escaped)."""
    seed = labels["seed"].format(file=s.seed_file, language=s.language) if s.seed_file else ""
    return str(render_fragment("reference", part="citation", s=s, labels=labels, seed=seed))


def sources_html() -> str:
    """Every source with its full citation and the modules that cite it."""
    cat = catalogue()
    L = _labels("sources", SOURCE_LABELS)
    cited: dict[str, list] = {}
    for m in cat.ordered_modules():
        keys = {s.source for s in m.sections} | {str((e.model_extra or {}).get("source", "")) for e in m.exercises}
        for k in keys:
            cited.setdefault(k, []).append(m)
    items = [(key, trusted(citation(s, L)), cited.get(key, [])) for key, s in cat.sources.items()]
    return str(render_fragment("reference", part="sources", labels=L, items=items))


def _page(kind: str, default_title: str, body: str) -> w.VBox:
    doc = catalogue().reference.get(kind)
    title = doc.title if doc and doc.title else default_title
    intro = trusted(markdown_html(doc.intro)) if doc and doc.intro else ""
    page = w.VBox([style(), banner(_("Servuction Workbook"), title), HTML(render_fragment("reference", part="page", intro=intro, body=trusted(body))),
                   HTML(render_fragment("back_home"))])
    page.add_class("wb-page")
    return page


def glossary_page() -> w.VBox:
    """The glossary page (no sign-in needed: it holds no personal data)."""
    return _page("glossary", "Glossary", glossary_html())


def sources_page() -> w.VBox:
    """The sources page (no sign-in needed: it holds no personal data)."""
    return _page("sources", "Sources", sources_html())
