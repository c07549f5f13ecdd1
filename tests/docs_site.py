"""The documentation site (docs/, mkdocs.yml): its screenshots, its build and its link check.

``SCREENSHOTS`` names every image the guides show; ``tests/browser/test_docs_screenshots.py`` makes
each one from a real server in Chromium and writes it into ``docs/screenshots/`` (committed, so a
clean checkout builds the site and the README shows one; every run of the browser test rewrites
them, so ``git status`` shows when the pages changed). ``build_site`` runs MkDocs in this process
with ``strict`` (a link to a missing page, image or anchor fails it); ``check_built_links`` then
walks the built HTML: every relative link and image resolves to a file and every ``#anchor`` to an
id in it; external links are listed, never fetched.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SCREENSHOT_DIR = DOCS / "screenshots"
README = ROOT / "README.md"

# file name -> what it shows (the browser test makes exactly these)
SCREENSHOTS = {
    "trainee-signin.png": "the home page's sign-in box with its language selector, before sign-in",
    "trainee-home.png": "a trainee's home page after sign-in: their path and the modules",
    "trainee-module.png": "Module 1's questionnaire, an answer just saved",
    "trainee-360-results.png": "Module 3's 360 results of a closed round: self against each group, blind spots",
    "rater-page.png": "the rater page: the statements about the trainee, answered one by one",
    "coach-progress.png": "the coach page's Progress tab",
    "coach-live-results.png": "the coach page's Live results tab",
    "coach-path.png": "the coach page's Path tab",
    "coach-facilitator.png": "the facilitator guide, opened with a coach code",
    "hr-reports.png": "the HR page: reports, trainees, statistics",
}

MARKDOWN_LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def markdown_targets(text: str) -> list[str]:
    """The targets of the Markdown links and images in ``text`` (code blocks and spans left out)."""
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    text = re.sub(r"`[^`\n]*`", "", text)
    return MARKDOWN_LINK.findall(text)


def is_external(url: str) -> bool:
    return bool(urlsplit(url).scheme) or url.startswith("//")


class _Page(HTMLParser):
    """The ids of one HTML page, its links (a href) and the resources it loads (img, script, stylesheet)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.resources: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag in ("img", "script") and a.get("src"):
            self.resources.append(a["src"])
        if tag == "link" and a.get("href") and "stylesheet" in (a.get("rel") or ""):
            self.resources.append(a["href"])


def parse_html(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@dataclass
class LinkReport:
    """What ``check_built_links`` found: broken links (one line each), external links (listed)."""

    broken: list[str] = field(default_factory=list)
    external: set[str] = field(default_factory=set)
    offsite_resources: list[str] = field(default_factory=list)
    checked: int = 0


def build_site(site_dir: Path) -> list[str]:
    """Build the site into ``site_dir`` with MkDocs in strict mode; returns MkDocs' warnings
    (empty when the build passed)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    warnings: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            if record.levelno >= logging.WARNING:
                warnings.append(record.getMessage())

    log = logging.getLogger("mkdocs")
    handler = Keep()
    log.addHandler(handler)
    try:
        config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
        try:
            build(config)
        except Abort as exc:
            warnings.append(str(exc))
    finally:
        log.removeHandler(handler)
    return warnings


def check_built_links(site_dir: Path) -> LinkReport:
    """Every relative link and resource of every built page resolves, anchors included."""
    site_dir = site_dir.resolve()
    pages = {p: parse_html(p) for p in site_dir.rglob("*.html")}
    report = LinkReport()
    for path, page in pages.items():
        where = path.relative_to(site_dir)
        for url in page.resources:
            if is_external(url):
                report.offsite_resources.append(f"{where}: {url}")
        for url in page.links + page.resources:
            if is_external(url):
                if urlsplit(url).scheme in ("http", "https", "mailto"):
                    report.external.add(url)
                continue
            report.checked += 1
            parts = urlsplit(url)
            base = site_dir if parts.path.startswith("/") else path.parent  # root-absolute: 404.html, served from the top
            target = (base / unquote(parts.path.lstrip("/"))).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                report.broken.append(f"{where}: {url}: no file {target.relative_to(site_dir.resolve()) if target.is_relative_to(site_dir.resolve()) else target}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse_html(target).ids
                if unquote(parts.fragment) not in ids:
                    report.broken.append(f"{where}: {url}: no anchor #{parts.fragment} in {target.relative_to(site_dir.resolve())}")
    return report


UNRENDERED_FENCE = re.compile(r"<p><code>(?:bash|sh|cron|toml|json|python|text|console)?\s")


def unrendered_fences(site_dir: Path) -> list[str]:
    """Built pages where a fenced code block came out as inline text (Python-Markdown does not read a
    fence inside a list item: indent the code by 8 spaces there instead)."""
    return [str(p.relative_to(site_dir)) for p in site_dir.rglob("*.html") if UNRENDERED_FENCE.search(p.read_text(encoding="utf-8"))]


def check_readme_links(site_dir: Path) -> list[str]:
    """The README's relative links: each file exists; a link to a docs page with an anchor finds
    that anchor in the built page."""
    broken = []
    for url in markdown_targets(README.read_text(encoding="utf-8")):
        if is_external(url):
            continue
        parts = urlsplit(url)
        target = (ROOT / unquote(parts.path)).resolve()
        if not target.exists():
            broken.append(f"README.md: {url}: no file {parts.path}")
            continue
        if parts.fragment and target.suffix == ".md" and target.is_relative_to(DOCS):
            built = site_dir / target.relative_to(DOCS).with_suffix(".html")
            if unquote(parts.fragment) not in parse_html(built).ids:
                broken.append(f"README.md: {url}: no anchor #{parts.fragment} in {built.relative_to(site_dir)}")
    return broken


def referenced_images() -> dict[str, list[str]]:
    """Image file name -> the docs pages (and README) that show it, for images under docs/screenshots/."""
    out: dict[str, list[str]] = {}
    sources = [(p, p.parent) for p in DOCS.rglob("*.md")] + [(README, ROOT)]
    for md, base in sources:
        for url in markdown_targets(md.read_text(encoding="utf-8")):
            if is_external(url):
                continue
            target = (base / unquote(urlsplit(url).path)).resolve()
            if target.parent == SCREENSHOT_DIR:
                out.setdefault(target.name, []).append(str(md.relative_to(ROOT)))
    return out
