"""The interface's translations (workbook/locale, issue #15): every string of the English catalogue is
translated in French and Chinese (none missing, empty or fuzzy), with the same placeholders; the
committed template holds every string the code and the templates use; locale formats; the current
language is the context's, never a global."""
from __future__ import annotations

import re
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from workbook import i18n
from workbook.i18n import LANGUAGES, _, _l, format_day, format_number, format_percentage, ngettext, using

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "workbook" / "locale"
TRANSLATED = [code for code in LANGUAGES if code != "en"]
PLACEHOLDER = re.compile(r"\{(\w*)\}|%\((\w+)\)s")


def read(path: Path):
    with path.open("rb") as f:
        return read_po(f)


def placeholders(text: str) -> list[str]:
    return sorted(a or b for a, b in PLACEHOLDER.findall(text))


def problems(template, catalogue) -> list[str]:
    """Every msgid of ``template`` missing, empty, fuzzy or with other placeholders in ``catalogue``."""
    out = []
    for msg in template:
        if not msg.id:
            continue
        ids = msg.id if isinstance(msg.id, tuple) else (msg.id,)
        got = catalogue.get(msg.id)
        if got is None:
            out.append(f"missing: {ids[0]!r}")
            continue
        strings = got.string if isinstance(got.string, tuple) else (got.string,)
        if not all(s.strip() for s in strings):
            out.append(f"empty: {ids[0]!r}")
        if got.fuzzy:
            out.append(f"fuzzy: {ids[0]!r}")
        for s in strings:
            if placeholders(s) != placeholders(ids[0]) and placeholders(s) != placeholders(ids[-1]):
                out.append(f"placeholders {placeholders(ids[0])} vs {placeholders(s)}: {ids[0]!r}")
    return out


def test_the_template_holds_every_string_of_the_code(tmp_path):
    """`make messages` was run after the last string was added: extracting now gives the committed template."""
    fresh = tmp_path / "fresh.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l", "-k", "pgettext:1c,2",
                    "--no-location", "--sort-output", "-o", str(fresh), str(ROOT / "workbook")], check=True, capture_output=True, cwd=ROOT)
    now = {m.id for m in read(fresh) if m.id}
    committed = {m.id for m in read(LOCALE / "workbook.pot") if m.id}
    assert sorted(map(str, now - committed)) == [], "strings in the code but not in workbook/locale/workbook.pot: run `make messages`"
    assert sorted(map(str, committed - now)) == [], "strings in the template the code no longer uses: run `make messages`"
    assert len(now) > 20


def test_no_message_is_hidden_in_an_f_string():
    """Python 3.11's tokenizer gives Babel an f-string as one string: a ``_()`` inside it is never extracted
    (so never translated). Messages are concatenated or formatted outside f-strings."""
    import tokenize

    hidden = []
    for path in sorted((ROOT / "workbook").rglob("*.py")):
        with path.open("rb") as f:
            for tok in tokenize.tokenize(f.readline):
                prefix = tok.string[: tok.string.find(tok.string.lstrip("rRbBuUfF")[:1])].lower() if tok.type == tokenize.STRING else ""
                if "f" in prefix and re.search(r"\b(_|_l|ngettext|pgettext)\(", tok.string):
                    hidden.append(f"{path.relative_to(ROOT)}:{tok.start[0]}")
    assert hidden == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_is_translated_with_the_same_placeholders(language):
    template = read(LOCALE / "workbook.pot")
    assert problems(template, read(LOCALE / language / "LC_MESSAGES" / "workbook.po")) == []


def test_the_check_finds_a_missing_an_empty_a_fuzzy_and_a_mismatched_translation(tmp_path):
    """The check above is not blind: a catalogue with each fault is caught."""
    po = tmp_path / "bad.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                  'msgid "Sign in"\nmsgstr ""\n\n#, fuzzy\nmsgid "Sign out"\nmsgstr "Se déconnecter"\n\n'
                  'msgid "Signed in as {name} ({role})"\nmsgstr "Connecté : {nom} ({role})"\n', encoding="utf-8")
    pot = tmp_path / "t.pot"
    pot.write_text('msgid ""\nmsgstr ""\n\nmsgid "Sign in"\nmsgstr ""\n\nmsgid "Sign out"\nmsgstr ""\n\n'
                   'msgid "Signed in as {name} ({role})"\nmsgstr ""\n\nmsgid "Access code"\nmsgstr ""\n', encoding="utf-8")
    found = problems(read(pot), read(po))
    assert [f.split(":")[0] for f in found] == ["empty", "fuzzy", "placeholders ['name', 'role'] vs ['nom', 'role']", "missing"]


def test_strings_follow_the_current_language_and_only_inside_it():
    assert _("Sign in") == "Sign in"
    with using("fr"):
        assert _("Sign in") == "Se connecter" and str(_l("Don't know")) == "Je ne sais pas"
        with using("zh"):
            assert _("Sign in") == "登录"
        assert _("Sign in") == "Se connecter"
        seen = []
        thread = threading.Thread(target=lambda: seen.append(_("Sign in")))  # a new thread does not inherit it
        thread.start()
        thread.join()
        assert seen == ["Sign in"]
    assert _("Sign in") == "Sign in" and i18n.current_language() == "en"
    one = "Not saved yet ({n} answer kept on this page, retrying): {reason}"
    many = "Not saved yet ({n} answers kept on this page, retrying): {reason}"
    with using("fr"):
        assert ngettext(one, many, 1).startswith("Pas encore enregistré ({n} réponse gardée")
        assert ngettext(one, many, 3).startswith("Pas encore enregistré ({n} réponses gardées")


def test_locale_formats():
    nbsp = "\u00a0"
    assert [format_percentage(0.82, language=c) for c in LANGUAGES] == ["82%", f"82{nbsp}%", "82%"]
    assert [format_day(date(2026, 12, 2), language=c) for c in LANGUAGES] == ["December 2, 2026", "2 décembre 2026", "2026年12月2日"]
    assert [format_number(1234.5, 1, language=c) for c in LANGUAGES] == ["1,234.5", "1\u202f234,5", "1,234.5"]
    assert format_percentage(0.825, 1, language="fr") == f"82,5{nbsp}%"
    with using("fr"):
        assert format_number(3.14159, 2) == "3,14"  # the current language when none is given


def test_compiled_catalogues_are_what_the_translator_reads(tmp_path):
    written = i18n.compile_all(tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [f"{c}/LC_MESSAGES/workbook.mo" for c in TRANSLATED]
    import gettext

    with (tmp_path / "zh" / "LC_MESSAGES" / "workbook.mo").open("rb") as f:
        assert gettext.GNUTranslations(f).gettext("Sign out") == "退出登录"


@pytest.mark.parametrize(("header", "expected"), [
    ("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7", "fr"),
    ("de-DE, zh-CN;q=0.5, fr;q=0.4", "zh"),      # German is not a workbook language: the next by weight
    ("en;q=0.2, fr;q=0.9", "fr"),                # weights, not order, decide
    ("zh_TW", "zh"),
    ("fr;q=0, en;q=0.1", "en"),                  # q=0 means "not this one"
    ("de, it", "en"), ("", "en"), (None, "en"), ("fr;q=oops", "en"),
])
def test_request_language_follows_the_browsers_weights(header, expected):
    assert i18n.request_language(header) == expected


def test_the_busy_page_speaks_the_language_it_is_rendered_in():
    from workbook.render.fragments import render_fragment

    with i18n.using("zh") as language:
        page = str(render_fragment("busy_page", language=language))
    assert '<html lang="zh">' in page and "工作手册正忙" in page and "busy" not in page.lower()
