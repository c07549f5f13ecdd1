"""The sign-in box: an access code in, an Identity out (through the Authenticator seam)."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as w

from workbook.auth.identity import Authenticator, Identity
from workbook.errors import AccessDenied
from workbook.i18n import _
from workbook.render.fragments import render_fragment

from .common import HTML, StatusLine, safe
from .language import LanguageChoice


class SignIn(w.VBox):
    """Asks for the personal access code once; calls ``on_identity`` when it is right."""

    def __init__(self, authenticator: Authenticator, on_identity: Callable[[Identity], None],
                 source: str | Callable[[], Sequence[str]] = "", on_signout: Callable[[], None] | None = None,
                 on_language: Callable[[str], None] | None = None, codes: bool = True):
        """``source``: where attempts come from, or a function giving it when a code is typed;
        ``on_signout``: called by the "Sign out" button shown once signed in; ``on_language``: called with
        the language the person picks in the selector shown beside the code (and beside "Sign out" later).
        ``codes`` False (signed in by JupyterHub): no code box and no "Sign out"; a code sent anyway
        still goes to ``authenticator``, which refuses it."""
        self._codes = codes
        self._auth = authenticator
        self._on_identity = on_identity
        self._source = source
        self.code = w.Password(placeholder="ABCDE-FGHJK-MNPQR", layout=w.Layout(width="340px"))
        self.button = w.Button(button_style="primary")
        self.status = StatusLine()
        self.who = HTML()
        self.signout = w.Button(layout=w.Layout(display="none"))
        self.signout.add_class("wb-signout")
        self.language = LanguageChoice(on_language or (lambda _code: None))
        self.language.layout.display = "" if on_language else "none"
        self.form = w.HBox([self.code, self.button])
        if not codes:
            self.form.layout.display = "none"
        self.identity: Identity | None = None
        self.relabel()
        super().__init__([w.HBox([self.form, self.language]), self.status, w.HBox([self.who, self.signout])])
        if on_signout is not None:
            self.signout.on_click(lambda _b: safe(self.status)(on_signout)())
        self.add_class("wb-box")
        handler = safe(self.status)(self._submit)
        self.button.on_click(lambda _b: handler())
        self.code.continuous_update = False
        self.code.observe(lambda ch: handler() if ch["new"] else None, names="value")

    def relabel(self) -> None:
        """Its words in the current language (after the person chose another)."""
        self.code.description = _("Access code")
        self.button.description = _("Sign in")
        self.signout.description = _("Sign out")
        self.language.tooltip = _("Language")  # the selector's accessible name (it has no visible label)
        if self.identity is not None:
            self._show_who()

    def _show_who(self) -> None:
        role = {"trainee": _("trainee"), "coach": _("coach"), "hr": _("HR"), "rater": _("rater"), "admin": _("operator")}.get(
            self.identity.role, self.identity.role)
        self.who.value = render_fragment("widget", part="signed_in", person=self.identity.name, role=role)

    def _submit(self) -> None:
        typed = self.code.value
        if not typed or self.identity is not None:
            return
        self.code.value = ""  # never keep the code in the widget state
        self.status.warn(_("Checking…"))
        try:
            source = self._source() if callable(self._source) else self._source
            identity = self._auth.authenticate(typed, source=source)
        except AccessDenied as exc:
            self.status.error(str(exc))
            return
        self.accept(identity)

    def accept(self, identity: Identity) -> None:
        """Show the person as signed in (by code, or by the session of the browser's sign-in cookie)."""
        if self.identity is not None:
            return
        self.identity = identity
        self.form.layout.display = "none"
        self.remove_class("wb-box")
        self._show_who()
        self.signout.layout.display = "" if self._codes else "none"
        self._on_identity(identity)  # builds the page: "Checking…" stays meanwhile (no second line, no two more messages)
        self.status.clear()
