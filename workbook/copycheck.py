"""Find runs of words copied from the source texts (pure; the content test and `content check` use it).

Text is normalised before comparing: Unicode NFKC, lower case, apostrophes dropped, every other
punctuation mark a separator. A token is a word of letters, a number, or a single CJK character
(Chinese has no spaces, so a run of 12 identical characters counts like 12 identical words).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

RUN = 12
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W\d_{_CJK}]+|\d+")
_APOSTROPHES = re.compile(r"['’ʼ`´]")


def tokens(text: str) -> list[str]:
    """The comparable tokens of a text: words, numbers and single CJK characters, normalised."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _APOSTROPHES.sub("", text)
    return _TOKEN.findall(text)


def shingles(toks: list[str], n: int = RUN) -> set[tuple[str, ...]]:
    """Every run of ``n`` consecutive tokens."""
    return {tuple(toks[i : i + n]) for i in range(len(toks) - n + 1)}


def copied_runs(text: str, sources: Iterable[str], n: int = RUN) -> list[str]:
    """The runs of ``n`` or more tokens of ``text`` that also appear in any source, merged, as text."""
    seen: set[tuple[str, ...]] = set()
    for src in sources:
        seen |= shingles(tokens(src), n)
    toks = tokens(text)
    hits = [i for i in range(len(toks) - n + 1) if tuple(toks[i : i + n]) in seen]
    runs, start, end = [], None, None
    for i in hits:
        if start is not None and i <= end:
            end = i + n
        else:
            if start is not None:
                runs.append((start, end))
            start, end = i, i + n
    if start is not None:
        runs.append((start, end))
    return [" ".join(toks[a:b]) for a, b in runs]


def strings_of(node: object, where: str = "") -> list[tuple[str, str]]:
    """Every string inside a loaded YAML document, with its place (``sections[2].text``)."""
    out: list[tuple[str, str]] = []
    if isinstance(node, str):
        out.append((where or "(top)", node))
    elif isinstance(node, dict):
        for key, value in node.items():
            out += strings_of(value, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for n, value in enumerate(node):
            out += strings_of(value, f"{where}[{n}]")
    return out
