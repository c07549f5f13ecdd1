"""The HTML layer: Jinja2 templates (``workbook/templates/fragments/*.html.j2``) rendered with autoescaping.

Every value put into a template is escaped unless it is already ``Markup`` (another fragment, an SVG chart
marked with ``trusted``); a variable a template names but the caller did not pass raises (StrictUndefined).
"""
from __future__ import annotations

from functools import cache

import jinja2
import jinja2.ext
from markupsafe import Markup

from workbook.i18n import _l, format_day, format_number, format_percentage, gettext_, ngettext, pgettext

FOLDER = "templates/fragments"
SUFFIX = ".html.j2"


class OneLine(jinja2.ext.Extension):
    """Templates are written one tag a line for reading; their source is joined into one line before
    compiling (each line stripped), so the HTML has no stray whitespace. Values are never touched."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return "".join(line.strip() for line in source.splitlines())


# A module's progress for a person, as the pages and reports say it (store.progress gives the keys).
STATUS_TEXT = {"done": _l("done"), "in_progress": _l("in progress"), None: _l("not started")}


# The 360 comparison's reading of a dimension (workbook.domain.feedback360's flags), as the pages and reports say it.
FLAG_TEXT = {"blind spot": _l("blind spot"), "hidden strength": _l("hidden strength")}


def flag_text(flag: str) -> str:
    """A 360 flag (``blind spot``, ``hidden strength``) in the current language (an unknown flag as it is)."""
    return str(FLAG_TEXT.get(flag, flag))


def status_text(status: str | None) -> str:
    """The words for a module's progress status, in the current language (an unknown status is shown as it is)."""
    return str(STATUS_TEXT.get(status, status))


def badge(text: object, kind: str | None = "") -> Markup:
    """A small label (``kind`` is its CSS class: done, in_progress, overdue …), escaped."""
    return render_fragment("badge", text=text, kind=kind or "")


def status_badge(status: str | None) -> Markup:
    """A module's progress status as a badge."""
    return badge(status_text(status), status)


@cache
def environment() -> jinja2.Environment:
    """The one Jinja2 environment of the package: autoescaped, strict, templates from package data."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("workbook", FOLDER),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        extensions=[OneLine, "jinja2.ext.i18n"],
    )
    # {{ _("…") }}, {% trans %}: translated at each render in the language current then (workbook.i18n's
    # context variable), so one cached environment serves every language.
    env.install_gettext_callables(gettext=gettext_, ngettext=ngettext, pgettext=pgettext, newstyle=True)
    env.globals.update(badge=badge, status_badge=status_badge, status_text=status_text, flag_text=flag_text)
    env.filters.update(number=format_number, percent=format_percentage, day=format_day)
    return env


def render_fragment(name: str, **context: object) -> Markup:
    """Template ``name`` (without its suffix) filled with ``context``, every text escaped."""
    return Markup(environment().get_template(name + SUFFIX).render(**context))


def trusted(html: str) -> Markup:
    """Mark HTML that our own code built (an SVG chart, a rendered fragment) as safe to insert unescaped."""
    return Markup(html)


def fragment_names() -> list[str]:
    """Every template of the fragments folder (the hostile-input test renders each)."""
    return sorted(n[: -len(SUFFIX)] for n in environment().list_templates() if n.endswith(SUFFIX))
