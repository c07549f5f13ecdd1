"""Reference pages open to everyone (no sign-in, no personal data): the glossary and the sources."""
from __future__ import annotations

import ipywidgets as w

from workbook.content.catalogue import Source, catalogue
from workbook.render.html import esc, markdown_html

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
        links = ", ".join(f'<a href="./{esc(m.notebook)}">{m.number}</a>' for m in sorted(modules.values(), key=lambda m: m.number))
        rows.append(
            f'<tr><td><b>{esc(e.term)}</b></td><td>{esc(e.definition)}</td>'
            f'<td class="wb-muted">{esc(", ".join(e.concepts))}</td><td>{links}</td></tr>'
        )
    head = "".join(f"<th>{esc(L[k])}</th>" for k in ("term", "meaning", "concepts", "module"))
    return f'<table class="wb-table wb-glossary"><tr>{head}</tr>' + "".join(rows) + "</table>"


SOURCE_LABELS = {"used_for": "Used for:", "seed": "seed text {file}, language: {language}", "cited_in": "Cited in:", "module": "Module {number}"}


def citation(s: Source, labels: dict[str, str] = SOURCE_LABELS) -> str:
    """One source as a full citation (HTML, escaped)."""
    parts = [esc(s.author), f"<i>{esc(s.title)}</i>"]
    parts += [esc(x) for x in (s.publisher, s.date) if x]
    text = ", ".join(parts) + "."
    if s.where:
        text += f" {esc(labels['used_for'])} {esc(s.where)}."
    if s.note:
        text += f" {esc(s.note)}"
    if s.seed_file:
        text += f' <span class="wb-muted">({esc(labels["seed"].format(file=s.seed_file, language=s.language))})</span>'
    return text


def sources_html() -> str:
    """Every source with its full citation and the modules that cite it."""
    cat = catalogue()
    L = _labels("sources", SOURCE_LABELS)
    cited: dict[str, list] = {}
    for m in cat.ordered_modules():
        keys = {s.source for s in m.sections} | {str((e.model_extra or {}).get("source", "")) for e in m.exercises}
        for k in keys:
            cited.setdefault(k, []).append(m)
    items = []
    for key, s in cat.sources.items():
        mods = ", ".join(f'<a href="./{esc(m.notebook)}">{esc(L["module"].format(number=m.number))}</a>' for m in cited.get(key, []))
        items.append(f'<li id="src-{esc(key)}">{citation(s, L)}' + (f"<br><span class='wb-muted'>{esc(L['cited_in'])} {mods}</span>" if mods else "") + "</li>")
    return f'<ol class="wb-sources">{"".join(items)}</ol>'


def _page(kind: str, default_title: str, body: str) -> w.VBox:
    doc = catalogue().reference.get(kind)
    title = doc.title if doc and doc.title else default_title
    intro = f"<div>{markdown_html(doc.intro)}</div>" if doc and doc.intro else ""
    page = w.VBox([style(), banner("Servuction Workbook", title), HTML(intro + body), HTML('<p><a class="wb-next" href="./00_home.ipynb">← Home</a></p>')])
    page.add_class("wb-page")
    return page


def glossary_page() -> w.VBox:
    """The glossary page (no sign-in needed: it holds no personal data)."""
    return _page("glossary", "Glossary", glossary_html())


def sources_page() -> w.VBox:
    """The sources page (no sign-in needed: it holds no personal data)."""
    return _page("sources", "Sources", sources_html())
