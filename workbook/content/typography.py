"""Typography of the workbook's French and Chinese texts: French no-break spaces, no gaps in Chinese.

The French rule (Imprimerie nationale's, as most French publishers apply it): a no-break space U+00A0 before
``:`` and inside guillemets (``«\u00a0…\u00a0»``), a narrow no-break space U+202F before ``;`` ``!``
``?``. Never a plain space there (a line could break before the mark) and never nothing. Code spans,
``{placeholders}``, ``%(name)s``, URLs, times (``18:35``) and HTML entities (``&amp;``) are not prose
and are left alone. :func:`problems` finds what breaks the rule; :func:`fix` applies it to a string,
:func:`fix_source` to the raw text of a YAML or .po file without touching its structure.
In Chinese, :func:`chinese_problems` finds white space between two Chinese characters or marks.
"""
from __future__ import annotations

import re

NBSP = "\u00a0"  # before ":" and inside « »
NNBSP = "\u202f"  # before ";", "!" and "?"
_SPACES = " \u00a0\u202f\t"
# Stretches that are not French prose: code spans, placeholders, URLs, HTML entities, times and ratios.
_NOT_PROSE = re.compile(
    r"`[^`]*`|\{[^{}]*\}|%\([A-Za-z_]\w*\)[sdfr]|\w+://\S+|&#?\w+;|\d:\d|\b(?:front|back):(?= )"
)
_BEFORE = {":": NBSP, ";": NNBSP, "!": NNBSP, "?": NNBSP}


def _masked(text: str) -> str:
    """``text`` with every non-prose stretch replaced by as many ``_`` (positions kept)."""
    return _NOT_PROSE.sub(lambda m: "_" * len(m.group()), text)


def problems(text: str) -> list[str]:
    """Each place of ``text`` that breaks the French rule, as ``…context…: what is wrong`` (none: [])."""
    masked = _masked(text)
    out = []
    for n, ch in enumerate(masked):
        want = None
        if ch in _BEFORE and n > 0 and masked[n - 1] not in "\n" and not (ch == "!" and masked[n + 1: n + 2] == "["):
            prev = masked[n - 1]
            if prev in ";!?" and ch != ":":  # "?!" and "!!": one space before the first mark only
                continue
            if prev != _BEFORE[ch]:
                want = f"{'no-break space U+00A0' if ch == ':' else 'narrow no-break space U+202F'} before {ch!r}"
        elif ch == "«" and masked[n + 1: n + 2] != NBSP:
            want = "no-break space U+00A0 after '«'"
        elif ch == "»" and n > 0 and masked[n - 1] != NBSP:
            want = "no-break space U+00A0 before '»'"
        if want:
            context = text[max(0, n - 20): n + 2].replace("\n", " ").replace(NBSP, "⍽").replace(NNBSP, "·")
            out.append(f"…{context}…: {want}")
    return out


def fix(text: str) -> str:
    """``text`` with the French rule applied (spaces before the marks and inside « » replaced or added)."""
    masked = _masked(text)
    out: list[str] = []
    n = 0
    while n < len(text):
        ch = masked[n]
        if ch in _BEFORE and n > 0 and not (ch == "!" and masked[n + 1: n + 2] == "["):
            while out and out[-1] in _SPACES and out[-1] != "\n":
                out.pop()
            if out and out[-1] not in "\n" and not (out[-1] in ";!?" and ch != ":"):
                out.append(_BEFORE[ch])
            out.append(text[n])
        elif ch == "«":
            out.append("«" + NBSP)
            n += 1
            while n < len(text) and text[n] in _SPACES:
                n += 1
            continue
        elif ch == "»":
            while out and out[-1] in _SPACES:
                out.pop()
            out.append(NBSP + "»")
        else:
            out.append(text[n])
        n += 1
    return "".join(out)


# A YAML line's structural head (indent, list dash, key and its colon): never prose.
_CITATION = re.compile(r"^\s+(?:-\s+)?(?:author|title|publisher|date):")  # a citation's fields in sources.yaml (not text)
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
_YAML_HEAD = re.compile(r"^(\s*(?:-\s+)?(?:[A-Za-z0-9_][\w-]*:(?=\s|$)\s*)?)")


def fix_source(source: str, kind: str = "yaml") -> str:
    """Apply :func:`fix` to the prose of a YAML file's text (``kind="yaml"``) or a .po file's
    ``msgstr`` lines (``kind="po"``); comments and structure are kept as they are."""
    if kind == "yaml":
        # a mark or a closing » that a folded line would put after a plain space: move it up a line
        source = re.sub(r"(\S)[ \t]*\n([ \t]+)([:;!?»][^\s]*)[ \t]+(?=\S)", r"\1 \3\n\2", source)
        source = re.sub(r" «[ \t]*\n([ \t]+)(?=\S)", r"\n\1«", source)
    lines = source.split("\n")
    citations = kind == "yaml" and re.search(r"^kind: sources$", source, re.M) is not None  # sources.yaml: citations stay as cited
    in_msgstr = False
    for i, line in enumerate(lines):
        if kind == "po":
            if line.startswith("msgstr"):
                in_msgstr = not (i > 0 and lines[i - 1] == 'msgid ""')  # the header entry is no prose
            elif not line.startswith('"'):
                in_msgstr = False
            if not in_msgstr:
                continue
            head_end = line.index('"') if '"' in line else len(line)
        else:
            if line.lstrip().startswith("#") or (citations and _CITATION.match(line)):
                continue
            head_end = _YAML_HEAD.match(line).end()
            if line[head_end:head_end + 1] in "{[":  # a flow mapping or list: only its quoted strings are prose
                lines[i] = line[:head_end] + _QUOTED.sub(lambda m: fix(m.group()), line[head_end:])
                continue
        lines[i] = line[:head_end] + fix(line[head_end:])
    return "\n".join(lines)


# Chinese: no space between two Chinese characters or marks (a YAML line folded inside a Chinese sentence
# leaves one, and a browser shows a gap there); a space beside Latin letters or digits is left to the writer.
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”‘’—"
_CJK_MARKS = "\u3000-\u303f\uff00-\uffef“”‘’—"
# Markdown emphasis marks beside the gap do not hide it ("的\n**服务**" shows as "的 服务"), except where
# CommonMark needs the space: a closing mark after a Chinese mark ("：* 冷冻"), an opening one before a mark.
_CJK_GAP = re.compile(rf"([{_CJK}])(\**)([ \t]+|[ \t]*\n[ \t]*)(\**)(?=([{_CJK}]))")  # a blank line (a paragraph) is no gap


# A full-width mark that carries its own space (，。：；！？、（) followed by a space or a folded line before Latin
# letters or digits ("之分： B2B" shows a double gap); after a closing emphasis mark CommonMark needs it.
_MARK_GAP = re.compile(r"(?<=[，。：；！？、（])(?:[ \t]+|[ \t]*\n[ \t]*)(?=[A-Za-z0-9{])")


def chinese_problems(text: str) -> list[str]:
    """Each space or single line break between two Chinese characters or marks in ``text`` (a paragraph
    break is none; Markdown emphasis marks beside it count as nothing), as ``…context…: what is wrong``."""
    gaps = [
        m for m in _CJK_GAP.finditer(text)
        if not (m[2] and re.match(f"[{_CJK_MARKS}]", m[1])) and not (m[4] and re.match(f"[{_CJK_MARKS}]", m[5]))
    ]
    found = [f"…{text[max(0, m.start() - 8): m.end() + 8]}…: white space between Chinese characters" for m in gaps]
    found += [f"…{text[max(0, m.start() - 8): m.end() + 8]}…: white space after a Chinese mark" for m in _MARK_GAP.finditer(text)]
    return found


def main(argv: list[str] | None = None) -> int:
    """``python -m workbook.content.typography FILE…``: rewrite French YAML/.po files to the rule."""
    import sys
    from pathlib import Path

    for name in argv if argv is not None else sys.argv[1:]:
        path = Path(name)
        text = path.read_text(encoding="utf-8")
        fixed = fix_source(text, "po" if path.suffix == ".po" else "yaml")
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")
            print(f"{path}: fixed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
