"""The handout page (no sign-in: a handout holds no personal data): one module's handout, chosen by
the page link's ``module`` parameter, and its one-page PDF as a download built in the kernel (a
``data:`` link; no file route is opened on the server)."""
from __future__ import annotations

import base64
import os
import threading
from urllib.parse import parse_qs, quote

import ipywidgets as w

from workbook.content.catalogue import catalogue
from workbook.errors import WorkbookError
from workbook.i18n import _
from workbook.render.fragments import render_fragment
from workbook.reporting.handouts import handout_html, handout_pdf
from workbook.settings import get_settings

from ..widgets.common import HTML, StatusLine, safe, style
from .shell import banner, page_link, preheating


def _module_param() -> str:
    """The ``module`` parameter of the page's URL (waits for Voila to hand a preheated kernel its request)."""
    if preheating():
        from voila.utils import wait_for_request

        wait_for_request()
    values = parse_qs(os.environ.get("QUERY_STRING", "")).get("module", [])
    return values[0] if values else ""


class HandoutPage(w.VBox):
    """The handout of the module named in the URL, with a button that prepares its PDF."""

    def __init__(self, module_id: str | None = None):
        self.status = StatusLine()
        self.body = HTML()
        self.link = HTML()
        self.button = w.Button(description=_("Prepare the PDF"), icon="file-pdf-o", disabled=True)
        self.module = None
        self.button.on_click(lambda _b: safe(self.status)(self.prepare)())
        super().__init__([style(), banner(_("Servuction Workbook"), _("Handout")), self.status, self.body, w.HBox([self.button]), self.link,
                          HTML(render_fragment("handout_page", part="home"))])
        self.add_class("wb-page")
        if module_id is not None:
            safe(self.status)(self.show)(module_id)
        else:
            threading.Thread(target=lambda: safe(self.status)(self.show)(_module_param()), daemon=True, name="workbook-handout").start()

    def show(self, module_id: str) -> None:
        cat = catalogue()
        if module_id not in cat.modules:
            raise WorkbookError(f"no module {module_id!r}: open a handout from a module page or the facilitator guide")
        self.module = cat.module(module_id)
        self.body.value = handout_html(cat, self.module)
        self.button.disabled = False

    def prepare(self) -> None:
        """Print the PDF (Chromium) and offer it as a download link."""
        self.status.warn(_("Preparing the PDF…"))
        data = handout_pdf(catalogue(), self.module, get_settings())
        label = (catalogue().facilitator.labels if catalogue().facilitator else {}).get("download_pdf", _("Download the handout (PDF)"))
        href = "data:application/pdf;base64," + base64.b64encode(data).decode("ascii")
        self.link.value = render_fragment("handout_page", part="pdf", module=self.module, href=href, label=label)
        self.status.clear()


def handout_link(module) -> str:
    """A link to a module's handout page (carrying the sign-in along, which the page does not need)."""
    base = page_link("handout.ipynb")
    return base + ("&" if "?" in base else "?") + f"module={quote(module.id)}"


def handout_page(module_id: str | None = None) -> HandoutPage:
    """The handout page; ``module_id`` None: taken from the URL (``?module=m01``)."""
    return HandoutPage(module_id)
