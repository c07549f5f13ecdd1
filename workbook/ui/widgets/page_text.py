"""A notebook's own words outside its page cell (the heading and introduction of a worked example or a
demo print), shown in the page's language: a notebook holds no language-specific text, only
``page_text("01_servuction", "case")``; the words live in exercises/page_texts.yaml and its translations.

The cell runs before anyone signs in (preheated kernels), so a block is first drawn in the language
current then, and drawn again when the page changes language (``relocalize``, called by the page shell).
"""
from __future__ import annotations

import weakref

from workbook.content.catalogue import catalogue
from workbook.i18n import current_language, using
from workbook.render.fragments import render_fragment, trusted
from workbook.render.html import markdown_html

from .common import HTML

_BLOCKS: weakref.WeakSet[PageTextBlock] = weakref.WeakSet()


def page_text_html(notebook: str, block: str, language: str | None = None) -> str:
    """The block's heading and Markdown text as HTML, in ``language`` (default: the current one)."""
    words = catalogue(language).page_text(notebook, block)
    return str(render_fragment("widget", part="page_text", heading=words.heading, text=trusted(markdown_html(words.text))))


class PageTextBlock(HTML):
    """One block of a notebook's words; redrawn in another language by ``relocalize``."""

    def __init__(self, notebook: str, block: str):
        super().__init__(value=page_text_html(notebook, block))
        self.notebook, self.block, self.language = notebook, block, current_language()
        _BLOCKS.add(self)

    def show(self, language: str) -> None:
        if language != self.language:
            with using(language) as code:
                self.value = page_text_html(self.notebook, self.block, code)
                self.language = code


def page_text(notebook: str, block: str) -> PageTextBlock:
    """The widget a notebook cell displays for one block of its words."""
    return PageTextBlock(notebook, block)


def relocalize(language: str) -> None:
    """Draw every block of this kernel in ``language`` (the page's person chose or has it)."""
    for b in list(_BLOCKS):
        b.show(language)
