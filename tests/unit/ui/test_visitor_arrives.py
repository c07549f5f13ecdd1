"""A preheated page runs every cell of its notebook before its visitor comes, and waits for the visitor (their
request, their sign-in cookie) in the notebook's last cell (#17): a visit then costs only what depends on them.

Voila hands a preheated kernel its request through ``voila.utils.wait_for_request`` (a websocket to the running
server); here the server's hand-off is played by a stand-in that sets the request's variables as Voila's does. The
served path is covered by the browser tests that resume a sign-in cookie (tests/browser/test_browser_session.py,
test_browser_languages.py)."""
from __future__ import annotations

import pytest

from workbook.serving.web_session import ENV


@pytest.fixture
def preheated(monkeypatch):
    """This process as a preheated Voila kernel; ``preheated.arrive(token)`` is what the visitor's request will carry;
    ``preheated.waits`` counts the waits for it."""
    import voila.utils

    class Kernel:
        waits = 0
        token = ""

        def arrive(self, token: str) -> None:
            self.token = token

    kernel = Kernel()

    def wait_for_request(url=None):
        kernel.waits += 1
        monkeypatch.setenv(ENV, kernel.token)  # the request's variables, as Voila writes them into the environment

    monkeypatch.setattr(voila.utils, "wait_for_request", wait_for_request)
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_KERNEL_ID", "preheated-test-kernel")
    monkeypatch.delenv(ENV, raising=False)
    return kernel


def test_the_cells_run_before_the_visitor_and_the_last_one_resumes_their_cookie_in_their_language(
        db, cohort, preheated, shipped):
    from workbook.i18n import using
    from workbook.store import AccessCodeAuthenticator
    from workbook.store.languages import set_language
    from workbook.ui.pages.examples import case_servuction_text
    from workbook.ui.pages.module import module_page
    from workbook.ui.pages.shell import visitor_arrives
    from workbook.ui.widgets.page_text import page_text, relocalize, worked_example

    ann = cohort["ident"]["Ann"]
    set_language(db, ann, ann.person_id, "fr")
    en, fr = (shipped(lang).page_text("01_servuction", "case").heading for lang in ("en", "fr"))
    with using("fr"):
        example_fr = case_servuction_text()
    try:
        page = module_page("m01", db=db)  # the notebook's cells, in a kernel no one has opened yet
        block = page_text("01_servuction", "case")
        example = worked_example(case_servuction_text)
        assert preheated.waits == 0 and page.identity is None
        assert en in block.value and example.text != example_fr

        preheated.arrive(AccessCodeAuthenticator(db).start_session(ann))  # Ann opens the page with her cookie
        visitor_arrives()
        assert preheated.waits == 1
        assert page.identity == ann and page.language == "fr"
        assert fr.replace("'", "&#39;") in block.value and en not in block.value and example.text == example_fr
        visitor_arrives()  # nothing left to wait for
        assert preheated.waits == 1
    finally:
        relocalize("en")


def test_a_visitor_without_a_cookie_gets_the_sign_in_box(db, cohort, preheated):
    from workbook.ui.pages.module import module_page
    from workbook.ui.pages.shell import visitor_arrives

    page = module_page("m01", db=db)
    visitor_arrives()
    assert preheated.waits == 1 and page.identity is None and page.body.children == ()
    page.signin.code.value = cohort["people"]["Ben"]["code"]  # the code typed: signed in as before
    assert page.identity is not None and page.identity.person_id == cohort["ident"]["Ben"].person_id


def test_a_resumed_page_has_its_charts_drawn_before_it_is_sent(db, cohort, preheated):
    """A reloaded journey page carries its map's chart in the state the browser first loads: the redraw runs inside
    the visitor's sign-in, in their language, not on a timer that could update the chart while the browser is still
    loading the page's widgets (its update then lost: the chart stayed empty, #17). The tests' redraw delay is a day."""
    from widget_tools import _tree  # not walk: it would run a waiting redraw itself

    from workbook.domain import journey as J
    from workbook.store import AccessCodeAuthenticator
    from workbook.store import journeys as JS
    from workbook.store.languages import set_language
    from workbook.ui.pages.module import module_page
    from workbook.ui.pages.shell import visitor_arrives
    from workbook.ui.widgets.journey_editor import JourneyEditor

    ann = cohort["ident"]["Ann"]
    m = J.new_map("Plant 7")
    JS.save_map(db, ann, ann.person_id, J.add_touchpoint(m, m.stages[0].id, name="Site walk with the plant manager"))
    set_language(db, ann, ann.person_id, "fr")
    page = module_page("m05", db=db)
    preheated.arrive(AccessCodeAuthenticator(db).start_session(ann))
    visitor_arrives()
    assert page.identity == ann
    editor = next(x for x in _tree(page) if isinstance(x, JourneyEditor))
    assert not editor.redraw.pending and editor.redraw.runs == 1
    assert "<svg" in editor.curve.value and "Site walk with the plant manager" in editor.curve.value
    assert "émotion du client" in editor.curve.value  # drawn in Ann's language
