"""The interface's languages: gettext translators (domain ``workbook``, catalogues in ``workbook/locale``)
and Babel's locale formats for numbers, percentages and dates.

Which language is current is one context variable, set explicitly by whoever renders for a person: the
page around everything it builds and every browser action it handles (``ui.pages.shell``), a report
run, an e-mail to a rater (``using(language)``). Nothing sets it once for the whole process; a thread
started by a page carries the page's language itself. Teaching content is not here: it comes from
``content.catalogue`` per language.
"""
from __future__ import annotations

import gettext
import io
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_decimal, format_percent
from babel.support import LazyProxy

from .errors import WorkbookError

LANGUAGES = ("en", "fr", "zh")  # the interface's languages; English is the source of every message
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "zh": "中文"}  # each in its own language: the selector's labels
DEFAULT_LANGUAGE = "en"
DOMAIN = "workbook"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_BABEL_LOCALE = {"en": "en", "fr": "fr", "zh": "zh_Hans_CN"}

_current: ContextVar[str] = ContextVar("workbook_language", default=DEFAULT_LANGUAGE)


class LanguageError(WorkbookError):
    """A language code the workbook has no interface for."""


def check_language(code: object, where: str = "language") -> str:
    """``code`` when it is one of LANGUAGES, else LanguageError naming the place and the choices."""
    if code not in LANGUAGES:
        raise LanguageError(f"{where}: {code!r} is not a language of the workbook; choose one of {', '.join(LANGUAGES)}")
    return str(code)


def environment_language(environ: Mapping[str, str] | None = None) -> str:
    """The operator's language (the ``workbook`` command's messages) from the locale environment, read as gettext
    reads it: ``LANGUAGE`` (a list, ``fr:en``), then the first set of ``LC_ALL``, ``LC_MESSAGES``, ``LANG``
    (``fr_FR.UTF-8``, ``zh_CN.UTF-8``); English when none names French or Chinese (``C``, ``en_GB``…)."""
    env = os.environ if environ is None else environ
    codes = [part for part in env.get("LANGUAGE", "").split(":") if part]
    codes += [next((env[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(v)), "")]
    for value in codes:
        code = value.split(".")[0].split("@")[0].split("_")[0].lower()
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def request_language(accept_language: str | None) -> str:
    """The workbook language a browser asks for in its ``Accept-Language`` header (``fr-FR,fr;q=0.9,en;q=0.8``):
    the first of its languages by weight that the workbook has; English when none (or no header)."""
    wanted: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _sep, params = part.strip().partition(";")
        weight = 1.0
        for param in params.split(";"):
            key, _eq, value = param.strip().partition("=")
            if key == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        code = tag.strip().split("-")[0].split("_")[0].lower()
        if code in LANGUAGES and weight > 0:
            wanted.append((-weight, position, code))
    return min(wanted)[2] if wanted else DEFAULT_LANGUAGE


def current_language() -> str:
    """The language of what is being rendered now (English when nobody set one)."""
    return _current.get()


@contextmanager
def using(language: str | None) -> Iterator[str]:
    """Render everything inside in ``language`` (None or an unknown code: English); restores the one before."""
    code = language if language in LANGUAGES else DEFAULT_LANGUAGE
    token = _current.set(code)
    try:
        yield code
    finally:
        _current.reset(token)


def _mo_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def _po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_catalogue(language: str) -> bytes:
    """The ``.mo`` bytes of a language's ``.po`` (fuzzy entries left out, so they fall back to English)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with _po_path(language).open("rb") as f:
        cat = read_po(f, locale=_BABEL_LOCALE[language], domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, cat, use_fuzzy=False)
    return buf.getvalue()


def compile_all(target: Path | None = None) -> list[Path]:
    """Write every translated language's ``.mo`` beside its ``.po`` (or under ``target``); the install step
    (``make setup``, the wheel's build hook) runs it. Returns the files written."""
    written = []
    for language in LANGUAGES:
        if not _po_path(language).is_file():
            continue
        out = (target / language / "LC_MESSAGES" / f"{DOMAIN}.mo") if target else _mo_path(language)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(compile_catalogue(language))
        written.append(out)
    return written


@cache
def translator(language: str) -> gettext.NullTranslations:
    """The gettext translations of ``language``: its compiled ``.mo`` (built at install); in a checkout
    whose ``.po`` is newer, the ``.po`` compiled in memory. English (and a missing catalogue) translates nothing."""
    if language not in LANGUAGES or language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    mo, po = _mo_path(language), _po_path(language)
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as f:
            return gettext.GNUTranslations(f)
    if po.is_file():
        return gettext.GNUTranslations(io.BytesIO(compile_catalogue(language)))
    return gettext.NullTranslations()


def gettext_(message: str) -> str:
    """``message`` in the current language."""
    return translator(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the current language (``{n}`` stays to be formatted)."""
    return translator(current_language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language, told apart from the same English words by ``context``."""
    return translator(current_language()).pgettext(context, message)


def lazy_gettext(message: str) -> LazyProxy:
    """A module-level constant that is translated each time it is used, in the language current then."""
    return LazyProxy(gettext_, message, enable_cache=False)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it (a constant translated where it is shown)."""
    return message


_ = gettext_
_l = lazy_gettext


def locale(language: str | None = None) -> Locale:
    """Babel's locale for a workbook language (the current one by default)."""
    return Locale.parse(_BABEL_LOCALE[language or current_language()])


def format_number(value: float | int, digits: int | None = None, language: str | None = None) -> str:
    """A number as the language writes it (``1 234,5`` in French); ``digits``: exactly that many decimals."""
    fmt = None if digits is None else ("#,##0" + ("." + "0" * digits if digits else ""))
    return format_decimal(value, format=fmt, locale=locale(language))


def format_percentage(fraction: float, digits: int = 0, language: str | None = None) -> str:
    """A fraction as a percentage (0.82 → ``82%``, French ``82 %`` with a no-break space)."""
    return format_percent(fraction, format=_percent_format(digits, language), locale=locale(language))


def _percent_format(digits: int, language: str | None) -> str:
    """The locale's own percent pattern with ``digits`` decimals (French keeps its space before %)."""
    pattern = locale(language).percent_formats[None].pattern
    return pattern.replace("#,##0", "#,##0" + ("." + "0" * digits if digits else ""), 1)


def format_day(day: date | datetime, language: str | None = None) -> str:
    """A date in words (``2 décembre 2026``, ``2026年12月2日``, ``December 2, 2026``)."""
    return _babel_date(day.date() if isinstance(day, datetime) else day, format="long", locale=locale(language))


def format_moment(when: datetime, language: str | None = None) -> str:
    """A date and time, short (for "last activity" columns and saved-at lines)."""
    return _babel_datetime(when, format="short", locale=locale(language))


def language_name(code: str) -> str:
    """The language's own name (``Français``), for selectors."""
    return LANGUAGE_NAMES.get(code, code)


if __name__ == "__main__":  # `python -m workbook.i18n`: the install step of a checkout (make setup)
    for path in compile_all():
        print(f"compiled {path}")
