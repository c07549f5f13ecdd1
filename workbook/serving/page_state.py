"""``GET /workbook/page-state/<kernel id>``: whether a page still has its kernel, for the page's own script
(template ``workbook-states.js``), which shows "connection lost" while the server cannot be reached and
"this page was closed" once the answer is ``closed``.

``open``: the kernel runs the page. ``closed``: the kernel is gone (culled after inactivity, shut down)
or was restarted empty by Jupyter's restarter (``WorkbookKernelManager.kernel_lost``). The answer
says nothing else, touches no kernel (it is not activity: an idle page is still culled) and needs
no sign-in: a kernel id is a random 128-bit name only its page knows.
"""
from __future__ import annotations

from .voila_routes import add_voila_routes

PATH = r"workbook/page-state/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"


def page_state(manager, kernel_id: str) -> str:
    """``"open"`` or ``"closed"`` for a page's kernel in ``manager`` (any Jupyter kernel manager)."""
    lost = getattr(manager, "kernel_lost", None)
    if lost is not None:
        return "closed" if lost(kernel_id) else "open"
    return "open" if manager is not None and kernel_id in manager else "closed"


def _handlers(base_url: str) -> list:
    from jupyter_server.utils import url_path_join
    from tornado import web

    class PageStateHandler(web.RequestHandler):
        def get(self, kernel_id: str) -> None:
            self.set_header("Cache-Control", "no-store")
            self.finish({"state": page_state(self.settings.get("kernel_manager"), kernel_id)})

    return [(url_path_join(base_url, PATH), PageStateHandler)]


def install() -> None:
    """In Voila's server process: add the handler (idempotent; nothing outside Voila)."""
    add_voila_routes(__name__, _handlers)


def state_texts(_value: object = None) -> str:
    """The words of the page states in every interface language, as JSON for the page's script (a Jinja
    filter of the Voila template: the state shows before the page knows the person's language)."""
    import json

    from workbook.i18n import LANGUAGES, _, using

    texts = {}
    for language in LANGUAGES:
        with using(language):
            texts[language] = {
                "preparing": _("Preparing your page…"),
                "running": _("Running the page: step {step} of {steps}"),
                "drawing": _("Drawing the exercises…"),
                "lost": _("Connection lost — reconnecting; your saved answers are safe."),
                "closed": _("This page was closed after inactivity — reload to continue."),
                "reload": _("Reload the page"),
            }
    return json.dumps(texts, ensure_ascii=False).replace("</", "<\\/")
