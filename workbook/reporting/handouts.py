"""One-page handouts, one per module (pure): the module's key ideas (the facilitator guide's key
messages, with their sources), one or two canvases to fill in by hand, and the takeaway.

Canvases are drawn as SVG from the modules' own content (the servuction map's elements, the
timeline's phases, the POSSIBLE levers, the layers, the ladder's rungs...), so a handout never
holds a second copy of a module's words. The PDF comes from the report pipeline
(``report_notebooks/handout.ipynb``, A4, one page).
"""
from __future__ import annotations

import math
from collections.abc import Callable

from workbook.content.catalogue import Catalogue, Module
from workbook.i18n import _
from workbook.render.fragments import render_fragment, trusted
from workbook.render.html import esc

W, H = 640, 300  # a canvas's drawing size (scaled to the page width)
INK, SOFT, ACCENT = "#1f5f8b", "#e8f0f6", "#e07a1f"


def _spec(cat: Catalogue, module_id: str, exercise_id: str) -> dict:
    m = cat.module(module_id)
    return dict(next(e for e in m.exercises if e.id == exercise_id).model_extra or {})


def _title(cat: Catalogue, canvas: str, default: str) -> str:
    """A canvas's caption: ``canvas_<name>`` of facilitator.yaml's labels, else ``default``."""
    doc = cat.facilitator
    return (doc.labels.get(f"canvas_{canvas}") if doc else None) or default


def _svg(body: str, title: str, height: int = H) -> str:
    return str(render_fragment("handout", part="canvas", title=title, width=W, height=height, body=trusted(body)))


def _wrap(label: str, width: float, size: int, max_lines: int) -> list[str]:
    """The label in lines that fit ``width`` (at about 0.6 em a character), at most ``max_lines``."""
    room = max(4, int((width - 12) / (size * 0.6)))
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: room - 1].rstrip() + "…"
    return [ln if len(ln) <= room else ln[: room - 1] + "…" for ln in lines]


def _box(x: float, y: float, w: float, h: float, label: str, fill: str = "#fff", size: int = 12) -> str:
    lines = _wrap(label, w, size, max(1, min(3, int((h - 6) / (size + 3)))))
    text = "".join(f'<text x="{x + 8:.0f}" y="{y + 16 + n * (size + 3):.0f}" font-size="{size}" font-weight="600" fill="{INK}">{esc(ln)}</text>'
                   for n, ln in enumerate(lines))
    return f'<rect x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{h:.0f}" rx="6" fill="{fill}" stroke="{INK}" stroke-width="1.2"/>' + text


def _row_of_boxes(labels: list[str], y: float = 20, h: float = 250) -> str:
    n = len(labels)
    gap = 8
    w = (W - gap * (n + 1)) / n
    return "".join(_box(gap + i * (w + gap), y, w, h, label, size=11 if w < 110 else 12) for i, label in enumerate(labels))


def servuction_system(cat: Catalogue) -> str:
    """The servuction system: the service in the middle, the other elements around it."""
    elements = _spec(cat, "m01", "servuction_map")["elements"]
    centre = next(e for e in elements if e["id"] == "service")
    others = [e for e in elements if e["id"] != "service"]
    cx, cy = W / 2, H / 2
    parts = [_box(cx - 90, cy - 32, 180, 64, centre["label"], SOFT)]
    for i, e in enumerate(others):
        angle = -math.pi / 2 + i * 2 * math.pi / len(others)
        x, y = cx + 230 * math.cos(angle), cy + 105 * math.sin(angle)
        parts.append(f'<line x1="{cx:.0f}" y1="{cy:.0f}" x2="{x:.0f}" y2="{y:.0f}" stroke="{INK}" stroke-dasharray="4 3"/>')
        parts.append(_box(x - 80, y - 26, 160, 52, e["label"]))
    return _svg("".join(parts[1:]) + parts[0], _title(cat, "servuction_system", cat.module("m01").title))  # the service drawn last, on top


def timeline(cat: Catalogue) -> str:
    phases = [p["label"] for p in _spec(cat, "m02", "timeline")["phases"]]
    arrow = f'<line x1="8" y1="286" x2="{W - 10}" y2="286" stroke="{ACCENT}" stroke-width="2"/><polygon points="{W - 10},281 {W},286 {W - 10},291" fill="{ACCENT}"/>'
    return _svg(_row_of_boxes(phases, 10, 260) + arrow, _title(cat, "timeline", cat.module("m02").title))


def profiles(cat: Catalogue) -> str:
    inst = cat.instrument(cat.module("m03").instrument)
    labels = {d.id: d.label for d in inst.dimensions}
    poles = _spec(cat, "m03", "profile")["poles"]
    left = " + ".join(labels[d] for d in poles["technical"])
    right = " + ".join(labels[d] for d in poles["generalist"])
    body = (_box(10, 20, 300, 200, left) + _box(330, 20, 300, 200, right)
            + f'<line x1="20" y1="260" x2="{W - 20}" y2="260" stroke="{INK}" stroke-width="2"/>'
            + "".join(f'<line x1="{x}" y1="252" x2="{x}" y2="268" stroke="{INK}"/><text x="{x}" y="288" text-anchor="middle">{v}</text>'
                      for x, v in ((20, "−100"), (W / 2, "0"), (W - 20, "+100"))))
    return _svg(body, _title(cat, "profiles", cat.module("m03").title))


def ipa(cat: Catalogue) -> str:
    c = _spec(cat, "m04", "gaps")["categories"]
    body = (_box(60, 10, 280, 130, c["concentrate"]) + _box(350, 10, 280, 130, c["keep_up"])
            + _box(60, 150, 280, 130, c["low_priority"]) + _box(350, 150, 280, 130, c["overkill"])
            + f'<text x="14" y="150" transform="rotate(-90 14 150)" text-anchor="middle" fill="{INK}">↑</text>'
            + f'<text x="345" y="296" text-anchor="middle" fill="{INK}">→</text>')
    return _svg(body, _title(cat, "ipa", cat.module("m04").title))


def journey(cat: Catalogue) -> str:
    from workbook.domain.journey import DEFAULT_STAGES

    stages = list(DEFAULT_STAGES)
    per_row = math.ceil(len(stages) / 2)
    w = (W - 10 * (per_row + 1)) / per_row
    body = "".join(_box(10 + (i % per_row) * (w + 10), 10 + (i // per_row) * 145, w, 135, f"{i + 1}. {stage}") for i, stage in enumerate(stages))
    return _svg(body, _title(cat, "journey", cat.module("m05").title))


def triangle(cat: Catalogue) -> str:
    L = cat.module("m06").results.labels
    pts = {"client": (110, 270), "provider": (530, 270), "service": (320, 40)}
    links = {"mastery": ("provider", "service"), "relationship": ("provider", "client"), "involvement": ("client", "service")}
    body = ""
    for link, (a, b) in links.items():
        (x1, y1), (x2, y2) = pts[a], pts[b]
        body += f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{INK}" stroke-width="2"/>'
        body += f'<text x="{(x1 + x2) / 2:.0f}" y="{(y1 + y2) / 2 - 6:.0f}" text-anchor="middle" fill="{ACCENT}" font-weight="600">{esc(L.get(link, link))}</text>'
    for entity, (x, y) in pts.items():
        body += f'<circle cx="{x}" cy="{y}" r="26" fill="{SOFT}" stroke="{INK}"/><text x="{x}" y="{y + 4}" text-anchor="middle" font-weight="600" fill="{INK}">{esc(L.get(entity, entity))}</text>'
    return _svg(body, L.get("title", cat.module("m06").title))


def possible(cat: Catalogue) -> str:
    spec = _spec(cat, "m06", "possible_mastery")
    labels = list(dict.fromkeys(i["label"] for i in spec["items"]))  # a lever split into two items is drawn once
    per_col = math.ceil(len(labels) / 2)
    h = (H - 10) / per_col - 6
    rows = "".join(_box(10 + (i // per_col) * 315, 8 + (i % per_col) * (h + 6), 305, h, label) for i, label in enumerate(labels))
    return _svg(rows, spec.get("title", "POSSIBLE"))


def traits(cat: Catalogue) -> str:
    inst = cat.instrument(cat.module("m07").instrument)
    labels = [d.label for d in inst.dimensions]
    cells = "".join(_box(10 + (i % 3) * 210, 10 + (i // 3) * 145, 200, 135, labels[i]) for i in range(len(labels)))
    return _svg(cells, inst.title)


def layers(cat: Catalogue) -> str:
    col = next(c for c in _spec(cat, "m08", "layer_sort")["columns"] if c["id"] == "layer")
    labels = [o["label"] for o in col["options"]]  # lowest first
    n = len(labels)
    body = "".join(_box(40 + i * 50, 10 + (n - 1 - i) * 95, W - 80 - i * 100, 88, label, SOFT if i == n - 1 else "#fff") for i, label in enumerate(labels))
    return _svg(body, _spec(cat, "m08", "layer_sort").get("chart_title", "Layers"))


def ladder(cat: Catalogue) -> str:
    options = [o["label"] for o in _spec(cat, "m08", "ladder")["options"]]
    n = len(options)
    step_h = (H - 20) / n
    body = "".join(_box(10 + (n - 1 - i) * 40, 10 + i * step_h, W - 20 - (n - 1 - i) * 40, step_h - 6, label) for i, label in enumerate(options))
    return _svg(body, _spec(cat, "m08", "ladder").get("summary", "").split(":")[0] or "Ladder")


def grow(cat: Catalogue) -> str:
    steps = [s["label"] for s in _spec(cat, "m09", "grow")["steps"]]
    cells = "".join(_box(10 + (i % 2) * 315, 10 + (i // 2) * 145, 305, 135, label) for i, label in enumerate(steps))
    return _svg(cells, _title(cat, "grow", cat.module("m09").title))


CANVASES: dict[str, Callable[[Catalogue], str]] = {
    "servuction_system": servuction_system, "timeline": timeline, "profiles": profiles, "ipa": ipa, "journey": journey,
    "triangle": triangle, "possible": possible, "traits": traits, "layers": layers, "ladder": ladder, "grow": grow,
}

STYLE = """
.wb-handout { font-size: 12.5px; line-height: 1.35; }
.wb-handout h1 { font-size: 20px; margin: 0 0 2px; color: #1f5f8b; }
.wb-handout h2 { font-size: 15px; margin: 16px 0 4px; border: 0; padding: 0; color: inherit; }
.wb-handout .wb-kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 10px; color: #5b6773; }
.wb-handout ul { margin: 6px 0; padding-left: 18px; } .wb-handout li { margin: 3px 0; }
.wb-handout .wb-cite { color: #5b6773; font-size: 10.5px; font-style: italic; }
.wb-handout figure { margin: 6px 0; } .wb-handout figcaption { font-weight: 600; color: #1f5f8b; font-size: 12px; }
.wb-handout svg { width: 100%; height: auto; max-height: 88mm; }
.wb-handout .wb-takeaway { background: #fff7ec; border-left: 4px solid #e07a1f; padding: 6px 10px; }
@media print { .wb-handout { break-inside: avoid; } .wb-handout svg { max-height: 80mm; } }
"""


def handout_html(cat: Catalogue, module: Module) -> str:
    """One module's handout: title, key ideas with sources, the canvas(es), the takeaway."""
    from .facilitator import cite_text

    doc = cat.facilitator
    gm = next((g for g in doc.modules if g.module == module.id), None) if doc else None
    if gm is None:
        from workbook.errors import NotFound

        raise NotFound(f"module {module.id} has no entry in exercises/facilitator.yaml, so no handout")
    L = doc.labels
    ideas = [(k.text, cite_text(cat, k.source, k.where)) for k in gm.key_messages]
    canvases = trusted("".join(CANVASES[c](cat) for c in gm.canvas))
    return str(render_fragment("handout", part="page", css=trusted(STYLE), module=module, labels=L, ideas=ideas, canvases=canvases))


# ---- the PDF for the handout page (I/O: writes into the data directory) ----------------------------

def handout_pdf(cat: Catalogue, module: Module, settings) -> bytes:
    """The module's handout as a one-page A4 PDF: the report pipeline's HTML template around
    ``handout_html``, printed by Chromium; kept in ``<data dir>/handouts/`` by content hash."""
    import hashlib

    import nbformat

    from workbook.files import private_dir

    from .reports import Worker, _chromium_print

    body = handout_html(cat, module)
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
    folder = settings.data_dir / "handouts"
    if not folder.exists():
        private_dir(folder)
    pdf = folder / f"handout-{module.id}-{digest}.pdf"
    if not pdf.exists():
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("", outputs=[nbformat.v4.new_output("display_data", data={"text/html": body})])]
        html = folder / f"handout-{module.id}-{digest}.html"
        html.write_text(Worker(settings).html(nb, title=_("Module {number} handout").format(number=module.number)), encoding="utf-8")
        _chromium_print(html, pdf)
        html.unlink()
    return pdf.read_bytes()


def canvases_text() -> str:
    """Each module's handout canvases and the labels drawn on them, as text (nbval checks it)."""
    import html
    import re

    from workbook.content.catalogue import catalogue

    cat = catalogue()
    lines = []
    for gm in cat.facilitator.modules:
        m = cat.module(gm.module)
        for c in gm.canvas:
            svg = CANVASES[c](cat)
            labels = [html.unescape(t) for t in re.findall(r">([^<>]+)</text>", svg)]
            lines.append(_("Module {number}").format(number=m.number) + " · " + _("{label}: {text}").format(label=c, text=" | ".join(labels)))
    return "\n".join(lines)
