"""Every string one language's content shows, with its place: the YAML of exercises/<lang> and datasets/<lang>,
the text of datasets/<lang>/*.csv and the translations of that language's .po. Read by the term tests
(tests/unit/content/test_french_terms.py, test_chinese_terms.py)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from babel.messages.pofile import read_po

from workbook.content.copycheck import strings_of
from workbook.content.yaml_text import load_yaml

ROOT = Path(__file__).resolve().parent.parent


def language_strings(language: str) -> Iterator[tuple[str, str]]:
    """(place, text) of every string of ``language``'s content files, data files and interface catalogue."""
    for path in sorted([*(ROOT / "exercises" / language).glob("*.yaml"), *(ROOT / "datasets" / language).glob("*.yaml")]):
        for where, text in strings_of(load_yaml(path.read_text(encoding="utf-8"))):
            yield f"{path.relative_to(ROOT)}: {where}", text
    for path in sorted((ROOT / "datasets" / language).glob("*.csv")):
        yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")
    with (ROOT / "workbook" / "locale" / language / "LC_MESSAGES" / "workbook.po").open("rb") as po:
        for message in read_po(po):
            for text in message.string if isinstance(message.string, tuple) else (message.string,):
                if text:
                    yield f"workbook.po: {message.id!r}", text
