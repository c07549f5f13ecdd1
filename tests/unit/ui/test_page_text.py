"""The notebooks' own words (exercises/page_texts.yaml) follow the page's language (#15)."""
from __future__ import annotations


def test_a_page_text_block_is_redrawn_in_the_page_language(shipped):
    from workbook.i18n import using
    from workbook.ui.widgets.page_text import page_text, relocalize

    block = page_text("01_servuction", "case")  # drawn before sign-in, in English
    en, fr = (shipped(lang).page_text("01_servuction", "case").heading for lang in ("en", "fr"))
    assert en in block.value and fr not in block.value
    relocalize("fr")  # the page shell, when the person's language is French
    assert fr.replace("'", "&#39;") in block.value and en not in block.value
    with using("fr"):
        assert fr.replace("'", "&#39;") in page_text("01_servuction", "case").value
    relocalize("en")
    assert en in block.value
