"""A notebook's own words outside its page cell, shown in the page's language: the heading and introduction
of a worked example or a demo print (``page_text("01_servuction", "case")``; the words live in
exercises/page_texts.yaml and its translations) and the worked example's figures themselves
(``worked_example(case_servuction_text)``: the function's text, its fixed words through gettext).

The cells run before anyone signs in (preheated kernels), so a block is first drawn in the language
current then, and drawn again when the page changes language (``relocalize``, called by the page shell).
"""
from __future__ import annotations

import weakref
from collections.abc import Callable

from workbook.content.catalogue import catalogue
from workbook.i18n import DEFAULT_LANGUAGE, current_language, using
from workbook.render.fragments import render_fragment, trusted
from workbook.render.html import markdown_html

from .common import HTML

_BLOCKS: weakref.WeakSet[PageTextBlock | WorkedExample] = weakref.WeakSet()
_PAGE: dict[str, str] = {}  # "language": the language this kernel's page was last drawn in (one page per kernel)


def _page_language() -> str:
    """The language a new block is drawn in: the current one when something set it (a report, a test), else the
    page's once ``relocalize`` told it (a cell that runs after a sign-in by cookie), else English."""
    current = current_language()
    return _PAGE.get("language", current) if current == DEFAULT_LANGUAGE else current


def page_text_html(notebook: str, block: str, language: str | None = None) -> str:
    """The block's heading and Markdown text as HTML, in ``language`` (default: the current one)."""
    words = catalogue(language).page_text(notebook, block)
    return str(render_fragment("widget", part="page_text", heading=words.heading, text=trusted(markdown_html(words.text))))


class PageTextBlock(HTML):
    """One block of a notebook's words; redrawn in another language by ``relocalize``."""

    def __init__(self, notebook: str, block: str):
        with using(_page_language()) as code:
            super().__init__(value=page_text_html(notebook, block))
        self.notebook, self.block, self.language = notebook, block, code
        _BLOCKS.add(self)

    def show(self, language: str) -> None:
        if language != self.language:
            with using(language) as code:
                self.value = page_text_html(self.notebook, self.block, code)
                self.language = code


def page_text(notebook: str, block: str) -> PageTextBlock:
    """The widget a notebook cell displays for one block of its words."""
    return PageTextBlock(notebook, block)


class WorkedExample(HTML):
    """A worked example's printed figures (``build()``: text, or HTML when ``html``); redrawn by ``relocalize``.

    Its plain-text form is the whole text (what nbval compares), not ipywidgets' 110-character repr."""

    def __init__(self, build: Callable[[], str], html: bool = False):
        with using(_page_language()) as code:
            self.build, self.html, self.language = build, html, code
            self.text = build()
            super().__init__(value=self._markup())
        _BLOCKS.add(self)

    def _markup(self) -> str:
        return self.text if self.html else str(render_fragment("widget", part="example", text=self.text))

    def show(self, language: str) -> None:
        if language != self.language:
            with using(language) as code:
                self.text = self.build()
                self.value = self._markup()
                self.language = code

    def _repr_mimebundle_(self, **kwargs):
        data = super()._repr_mimebundle_(**kwargs)
        if data is not None and not self.html:
            data["text/plain"] = self.text
        return data


def worked_example(build: Callable[[], str], html: bool = False) -> WorkedExample:
    """The widget a notebook cell displays for a worked example: ``build`` called now and again in each new language."""
    return WorkedExample(build, html)


def relocalize(language: str) -> None:
    """Draw every block of this kernel in ``language`` (the page's person chose or has it), and the blocks of cells
    that run later too."""
    _PAGE["language"] = language
    for b in list(_BLOCKS):
        b.show(language)
