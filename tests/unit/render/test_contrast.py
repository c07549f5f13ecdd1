"""Every text colour of the workbook's stylesheets has a contrast of at least 4.5:1 (WCAG 2.1 AA, 1.4.3) against the
background it is drawn on: its own rule's background, the banner's for the banner's text, else each of the light
surfaces text sits on (page card, box, takeaway), all read from the stylesheets themselves."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SHEETS = [ROOT / "workbook" / "static" / "workbook.css", ROOT / "workbook" / "templates" / "voila" / "templates" / "workbook" / "workbook-page.css"]
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
HEX = r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b"


def luminance(colour: str) -> float:
    h = colour.lstrip("#")
    h = "".join(c * 2 for c in h) if len(h) == 3 else h
    channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def rules(css: str) -> list[tuple[str, dict[str, str]]]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out = []
    for selector, body in RULE.findall(css):
        decls = {}
        for decl in body.split(";"):
            if ":" in decl:
                k, v = decl.split(":", 1)
                decls[k.strip()] = v.strip()
        out.append((" ".join(selector.split()), decls))
    return out


def colour(value: str | None) -> str | None:
    m = re.search(HEX, value or "")
    return m.group(0) if m else None


def pairs(css: str) -> list[tuple[str, str, str]]:
    """(selector, text colour, background) for every rule that sets a text colour."""
    found = rules(css)
    surface = {sel: colour(d.get("background") or d.get("background-color")) for sel, d in found}
    banner = surface.get(".wb-banner")
    light = sorted({c for sel, c in surface.items() if c and sel in (".wb-page", ".wb-box", ".wb-takeaway")} | {"#fff"})
    out = []
    for sel, d in found:
        fg = colour(d.get("color"))
        if not fg:
            continue
        own = colour(d.get("background") or d.get("background-color"))
        backgrounds = [own] if own else [banner] if ".wb-banner" in sel and banner else light
        out += [(sel, fg, bg) for bg in backgrounds]
    return out


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda p: p.name)
def test_every_text_colour_has_a_contrast_of_at_least_4_5(sheet):
    found = pairs(sheet.read_text(encoding="utf-8"))
    assert found, f"no text colour found in {sheet.name}: the parser is blind"
    low = [f"{sel}: {fg} on {bg} = {contrast(fg, bg):.2f}" for sel, fg, bg in found if contrast(fg, bg) < 4.5]
    assert not low, "text colours under 4.5:1:\n" + "\n".join(low)


def test_the_check_sees_a_pale_colour():
    """The checker is not blind: a grey that was in the stylesheet before (3.95:1 on its badge) fails it."""
    css = ".wb-page { background: #fff; } .wb-badge.dropped { background: #eceff1; color: #6b7785; } .wb-muted { color: #999; }"
    low = {sel for sel, fg, bg in pairs(css) if contrast(fg, bg) < 4.5}
    assert low == {".wb-badge.dropped", ".wb-muted"}
    assert round(contrast("#000", "#fff"), 1) == 21.0
