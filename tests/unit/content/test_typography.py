"""Typography (issue #15): every French text the workbook shows — content (exercises/fr), text data
(datasets/fr, YAML and CSV) and interface strings (the French .po) — has a no-break space U+00A0 before
":" and inside « », a narrow no-break space U+202F before ";", "!" and "?"; no Chinese text has a gap
between two Chinese characters (workbook/content/typography.py)."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from workbook.content.languages import CSV_TEXT_COLUMNS, is_text
from workbook.content.typography import NBSP, NNBSP, chinese_problems, fix, fix_source, problems
from workbook.content.yaml_text import load_yaml

ROOT = Path(__file__).resolve().parents[3]
LOCALE = ROOT / "workbook" / "locale"
PO = LOCALE / "fr" / "LC_MESSAGES" / "workbook.po"


def _texts(node: object, path: tuple[str, ...] = ()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _texts(v, (*path, str(k)))
    elif isinstance(node, list):
        for v in node:
            yield from _texts(v, path)
    elif isinstance(node, str) and is_text(path):
        yield ".".join(path), node


def _language_texts(language: str):
    for path in sorted([*(ROOT / "exercises" / language).glob("*.yaml"), *(ROOT / "datasets" / language).glob("*.yaml")]):
        if path.name != "MISSING.yaml":
            for where, text in _texts(load_yaml(path.read_text(encoding="utf-8"))):
                yield f"{path.parent.parent.name}/{language}/{path.name}: {where}", text
    for path in sorted((ROOT / "datasets" / language).glob("*.csv")):
        for n, row in enumerate(csv.DictReader(path.open(encoding="utf-8")), start=1):
            for column in sorted(CSV_TEXT_COLUMNS[path.name] - {"client_actors", "provider_actors"}):  # "; " separates actors there
                yield f"datasets/{language}/{path.name}: row {n}, {column}", row[column]
    with (LOCALE / language / "LC_MESSAGES" / "workbook.po").open("rb") as f:
        for msg in read_po(f):
            if msg.id:
                for text in msg.string if isinstance(msg.string, tuple) else (msg.string,):
                    yield f"{language} .po: {msg.id if isinstance(msg.id, str) else msg.id[0]!r}", text


def _french_texts():
    return _language_texts("fr")


def test_no_chinese_text_has_a_gap_between_chinese_characters():
    """A YAML line folded inside a Chinese sentence would show as a space between two characters."""
    found = [f"{where}: {p}" for where, text in _language_texts("zh") for p in chinese_problems(text)]
    assert not found, f"{len(found)} places:\n" + "\n".join(found[:30])
    assert chinese_problems("服务商\n  必须") and chinese_problems("客户， 服务") and not chinese_problems("Nordfrost 案例：Sam 的三角")
    assert chinese_problems("没有好坏之分：\nB2B 服务") and chinese_problems("（Shostack；\nBitner") and not chinese_problems("*本手册的解读：* Sam 的三角")
    assert chinese_problems("产生的\n**服务**本身") and chinese_problems("**过程**\n要素") and not chinese_problems("两件事：\n\n**目标**")


def test_every_french_text_follows_the_rule():
    found = [f"{where}: {p}" for where, text in _french_texts() for p in problems(text)]
    assert not found, f"{len(found)} places (fix with: python -m workbook.content.typography FILE…):\n" + "\n".join(found[:30])


def test_the_check_reads_every_kind_of_french_text():
    """Not blind: texts from the content, the case data, the CSVs and the .po are all read, and they hold the marks."""
    wheres = [w for w, _ in _french_texts()]
    for kind in ("exercises/fr/m01_servuction.yaml", "exercises/fr/quiz.yaml", "datasets/fr/case_nordfrost.yaml", "datasets/fr/journey_example.csv", "fr .po"):
        assert any(w.startswith(kind) for w in wheres), kind
    joined = "".join(t for _, t in _french_texts())
    assert joined.count(NBSP + ":") > 100 and joined.count(NNBSP + "?") > 20 and joined.count("«" + NBSP) > 20


@pytest.mark.parametrize(("text", "wrong"), [
    ("Source : Mathieu", "no-break space U+00A0 before ':'"),
    ("Source: Mathieu", "no-break space U+00A0 before ':'"),
    (f"Pourquoi{NBSP}?", "narrow no-break space U+202F before '?'"),
    ("le client ; le service", "narrow no-break space U+202F before ';'"),
    (f"Attention{NNBSP}! « servuction{NBSP}»", "no-break space U+00A0 after '«'"),
    (f"«{NBSP}servuction »", "no-break space U+00A0 before '»'"),
])
def test_a_plain_or_missing_space_is_found(text, wrong):
    assert [p.rsplit("…: ", 1)[1] for p in problems(text)] == [wrong]


def test_what_is_not_prose_is_left_alone():
    for text in ["Soumis {when}.", "{value:.1f} points", "à 18:35", "voir https://example.org/a?b=c", "`datasets/x.csv`",
                 "Tom &amp; Jerry", "%(name)s vous demande", "front: Technicien sur site", "![image](x.png)"]:
        assert problems(text) == [], text
        assert fix(text) == text, text


def test_fix_applies_the_rule():
    assert fix("Source : Mathieu ; voir « la servuction » ! Pourquoi?") == (
        f"Source{NBSP}: Mathieu{NNBSP}; voir «{NBSP}la servuction{NBSP}»{NNBSP}! Pourquoi{NNBSP}?")
    assert problems(fix("Le client: acteur ; « co-producteur »?")) == []


def test_fix_source_keeps_yaml_structure_and_po_headers():
    source = ('title: "Pourquoi ?"\nlabels:\n  1: Pas du tout\n  a: {id: x, label: "Le lieu : ici"}\ntext: >-\n'
              '  une phrase longue\n  : la suite\n')
    fixed = fix_source(source)
    doc = load_yaml(fixed)
    assert doc == {"title": f"Pourquoi{NNBSP}?", "labels": {1: "Pas du tout", "a": {"id": "x", "label": f"Le lieu{NBSP}: ici"}},
                   "text": f"une phrase longue{NBSP}: la suite"}
    sources = "kind: sources\nsources:\n  - key: x\n    title: 'Servuction : le marketing'\n    where: 'le mix : prix'\n"
    assert load_yaml(fix_source(sources))["sources"][0] == {"key": "x", "title": "Servuction : le marketing", "where": f"le mix{NBSP}: prix"}
    po = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\nmsgid "Saved: {x}"\nmsgstr "Enregistré : {x}"\n'
    assert fix_source(po, "po") == po.replace("Enregistré : ", f"Enregistré{NBSP}: ")


@pytest.mark.parametrize(("language", "lead", "expected"), [
    ("en", "Source", "Source: V. Mathieu, <i>A book</i>, §2.2."),
    ("fr", "Source", f"Source{NBSP}: V. Mathieu, <i>A book</i>, §2.2."),
    ("zh", "来源", "来源：V. Mathieu, <i>A book</i>, §2.2."),
])
def test_a_citation_lead_takes_its_languages_colon(language, lead, expected):
    """The interface's "Source: …" line (module sections, quiz feedback): a no-break space before the colon
    in French, the full-width colon in Chinese; the lead is still escaped."""
    from workbook.i18n import using
    from workbook.render.fragments import render_fragment

    with using(language):
        assert str(render_fragment("cite", lead=lead, author="V. Mathieu", title="A book", where="§2.2")) == expected
        assert "&lt;b&gt;" in str(render_fragment("cite", lead="<b>", author="a", title="t", where="w"))
