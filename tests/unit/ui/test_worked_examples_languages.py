"""The worked examples under the page cells (``worked_example`` in the notebooks) in French and Chinese (#15):
every one the notebooks show has its fixed words through gettext (no English catalogue string left in French or
Chinese), and a block drawn before sign-in is drawn again in the person's language."""
from __future__ import annotations

import importlib
import re
from pathlib import Path

import nbformat
import pytest
from english_check import english_left

from workbook.i18n import using

NOTEBOOKS = Path(__file__).resolve().parents[3] / "notebooks"


def shown_examples() -> dict[str, object]:
    """Each function a notebook shows with ``worked_example(...)``, by ``module.name``, imported as the cell does."""
    found = {}
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        imports = {}
        for cell in nbformat.read(path, as_version=4).cells:
            for module, names in re.findall(r"^from ([\w.]+) import ([\w, ]+)$", cell.source, re.M):
                imports |= {n.strip(): module for n in names.split(",")}
            for name in re.findall(r"worked_example\((\w+)", cell.source):
                found[f"{imports[name]}.{name}"] = getattr(importlib.import_module(imports[name]), name)
    return found


EXAMPLES = shown_examples()


def test_the_notebooks_show_their_worked_examples_through_worked_example():
    """Every notebook's printed example goes through the redrawn widget (a print() could not be redrawn)."""
    printed = [p.name for p in NOTEBOOKS.glob("*.ipynb") for c in nbformat.read(p, as_version=4).cells if "print(" in c.source]
    assert printed == []
    assert len(EXAMPLES) >= 20  # modules 1–9, home, staff pages, quiz, reference pages


@pytest.mark.parametrize("language", ["fr", "zh"])
@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_a_worked_example_has_no_english_interface_string(name, language):
    build = EXAMPLES[name]
    with using("en"):
        english = build()
    with using(language):
        text = build()
    assert text != english
    left = english_left(text, language)
    assert not left, f"{name} in {language}: English left: {left}"


def test_the_english_check_sees_an_english_worked_example():
    """Not blind: the English text of an example fails the French check."""
    from workbook.ui.pages.examples import case_coaching_text

    with using("en"):
        assert english_left(case_coaching_text(), "fr")


def test_a_worked_example_is_redrawn_in_the_page_language():
    from workbook.ui.pages.examples import case_servuction_text
    from workbook.ui.widgets.page_text import relocalize, worked_example

    with using("en"):
        english = case_servuction_text()
    with using("zh"):
        chinese = case_servuction_text()
    block = worked_example(case_servuction_text)  # drawn before sign-in, in English
    assert block._repr_mimebundle_()["text/plain"] == english  # the whole text, as nbval compares it
    first = english.splitlines()[0]
    assert first in block.value
    relocalize("zh")  # the page shell, once the person's language is known
    assert chinese.splitlines()[0] in block.value and first not in block.value
    assert block._repr_mimebundle_()["text/plain"] == chinese
    relocalize("en")
    assert first in block.value


def test_a_block_drawn_after_the_page_chose_its_language_is_drawn_in_it():
    """A cell that runs after a sign-in by cookie (the page already in the person's language) draws its block in it."""
    from workbook.ui.pages.examples import case_servuction_text
    from workbook.ui.widgets.page_text import relocalize, worked_example

    with using("fr"):
        french = case_servuction_text()
    relocalize("fr")
    try:
        assert worked_example(case_servuction_text).text == french
    finally:
        relocalize("en")
