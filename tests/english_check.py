"""The check that a text shown in French or Chinese holds no English interface string, shared by the browser
language tests and the unit tests of worked examples and charts (#15): each msgid of the English catalogue that
the language translates differently is looked for in the text."""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[1] / "workbook" / "locale"
PLACEHOLDER = re.compile(r"\{\w*\}|%\(\w+\)s")


@cache
def _english_parts(language: str) -> tuple[str, ...]:
    """The English strings (or fixed parts between placeholders) looked for in ``language``'s texts: each msgid whose
    ``language`` translation differs from it (phrases, and single words of 9 letters or more); read once per process."""
    with (LOCALE / language / "LC_MESSAGES" / "workbook.po").open("rb") as f:
        catalogue = read_po(f)
    parts = []
    for msg in catalogue:
        if not msg.id:
            continue
        ids = msg.id if isinstance(msg.id, tuple) else (msg.id,)
        strings = msg.string if isinstance(msg.string, tuple) else (msg.string,)
        for english in ids:
            if english in strings:
                continue  # the same words in both languages (a name, "E-mail" …)
            for part in PLACEHOLDER.split(english):
                part = part.strip(" :;,.()·")
                if any(part in s for s in strings):
                    continue  # the translation keeps these words ("Source" in "Source : …")
                # a single short word may be French too ("Manager la contribution…") or a book's title: phrases and long words only
                if (" " in part or len(part) >= 9) and sum(ch.isalpha() for ch in part) >= 4:
                    parts.append(part)
    return tuple(dict.fromkeys(parts))


def english_left(text: str, language: str) -> list[str]:
    """The English interface strings (or their fixed parts between placeholders) found in ``text``, as whole words:
    each msgid whose ``language`` translation differs from it (phrases, and single words of 9 letters or more)."""
    return sorted({part for part in _english_parts(language)
                   if part in text and re.search(rf"(?<![\w]){re.escape(part)}(?![\w])", text)})
