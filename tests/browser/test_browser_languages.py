"""The interface in French and Chinese in a real browser (issue #15): a trainee picks the language at
sign-in, answers an item, reloads: the page comes back in that language (``<html lang>`` too) with the
answer restored, and Module 1 shows no English interface string (every msgid of the English catalogue
that the language translates differently is looked for in the page's visible text), its worked example included. A rater opens
the rater page and gets it in the language the trainee chose for them, with no English interface string."""
from __future__ import annotations

import pytest
from english_check import english_left
from servers import TRACEBACK, launch_chromium, voila_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SLOW = 120_000
SIGN_IN = {"fr": "Se connecter", "zh": "登录"}
SIGNED_IN = {"fr": "Connecté·e : ", "zh": "已登录："}


def visible_text(page) -> str:
    """What the page shows of the workbook's own interface: the page widget (``.wb-page``: banner, sign-in, teaching
    from the catalogue, exercises, results). The notebook's own Markdown cells (the worked example's prose) are
    teaching content of the notebook, not interface strings."""
    return page.evaluate("[...document.querySelectorAll('.wb-page')].map(e => e.innerText).join('\\n')")


def checked_index(page, n: int):
    return page.locator(".wb-likert").nth(n).evaluate(
        "el => { const all = [...el.querySelectorAll('input')]; const i = all.findIndex(x => x.checked); return i < 0 ? null : i; }")


def test_the_english_check_finds_english():
    """The check is not blind: an English page fails it, the same words translated pass it."""
    assert "Sign out" in english_left("Connecté·e : Ann (participant·e) Sign out", "fr")
    assert english_left("Connecté·e : Ann (participant·e) Se déconnecter", "fr") == []
    assert "Mark this module as done" in english_left("… Mark this module as done …", "zh")
    assert english_left("Manager la contribution du client", "fr") == []  # a French verb, not the English category


@pytest.mark.parametrize("language", ["fr", "zh"])
def test_a_trainee_and_a_rater_work_in_their_language(tmp_path, artifacts, language):
    from playwright.sync_api import sync_playwright

    from workbook.i18n import language_name
    from workbook.store import AccessCodeAuthenticator, Database, approve_raters, chosen_language, nominate_rater, send_rater_codes

    env = {"WORKBOOK_POOLS": "01_servuction.ipynb=1,rater.ipynb=1"}
    with voila_server(tmp_path, env=env) as srv, sync_playwright() as p:
        # a new trainee: the demo trainees' own English answers would be shown back to them
        setup = Database(srv.settings.database_url, srv.settings)
        try:
            from workbook.auth.identity import Identity
            from workbook.store import cohort_by_name, invite

            name = "Léa Martin"
            _pid, code = invite(setup, Identity.admin(), cohort_by_name(setup, srv.demo["cohort"]), name, "trainee")
        finally:
            setup.dispose()
        browser = launch_chromium(p)
        page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
        page.set_default_timeout(SLOW)
        page.goto(srv.page_url("01_servuction.ipynb"), wait_until="domcontentloaded")
        page.wait_for_selector("input[type=password]", state="visible")
        assert page.evaluate("document.documentElement.lang") == "en"

        # the language chosen at sign-in: the page is re-rendered in it before anyone signs in
        page.locator(".wb-language select").select_option(label=language_name(language))
        page.get_by_role("button", name=SIGN_IN[language], exact=True).wait_for()
        page.fill("input[type=password]", code)
        page.get_by_role("button", name=SIGN_IN[language], exact=True).click()
        page.wait_for_selector(f"text={SIGNED_IN[language]}{name}")
        page.wait_for_selector(".wb-likert")
        before = checked_index(page, 0)
        choice = 0 if before != 0 else 4
        page.locator(".wb-likert").nth(0).locator(".widget-radio-box label").nth(choice).click()
        page.wait_for_selector(".wb-ok")

        db = Database(srv.settings.database_url, srv.settings)
        try:
            trainee = AccessCodeAuthenticator(db).authenticate(code, source="test")
            assert chosen_language(db, trainee, trainee.person_id) == language  # saved with the person

            # reload: signed in again by the cookie, in the person's language, the answer restored
            page.reload(wait_until="domcontentloaded")
            page.wait_for_selector(".wb-likert")
            page.wait_for_function(f"document.documentElement.lang === '{language}'")
            assert checked_index(page, 0) == choice
            assert page.locator(f"text={SIGNED_IN[language]}{name}").count() == 1
            text = visible_text(page)
            page.screenshot(path=str(artifacts / f"module1_{language}.png"), full_page=True)
            assert not TRACEBACK.search(text)
            left = english_left(text, language)
            assert not left, f"English interface strings on Module 1 in {language}: {left}"
            # the worked example below the page cell, printed in English before sign-in, is redrawn in the person's language
            from workbook.i18n import using
            from workbook.ui.pages.examples import case_servuction_text

            with using(language):
                first_line = case_servuction_text().splitlines()[0]
            example = page.locator(".wb-example").first
            example.wait_for()
            assert first_line in example.inner_text()
            left = english_left(example.inner_text(), language)
            assert not left, f"English interface strings in Module 1's worked example in {language}: {left}"

            # a rater the trainee nominated in this language gets the rater page in it
            rid = nominate_rater(db, trainee, trainee.person_id, "Pat Client", "pat@client.example", "client", "manager_profile", language=language)
            coach = AccessCodeAuthenticator(db).authenticate(srv.codes("coach")[0], source="test")
            approve_raters(db, coach, trainee.person_id)
            rater_code = next(i.code for i in send_rater_codes(db, coach, trainee.person_id) if i.rater_id == rid)
        finally:
            db.dispose()
        rater = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
        rater.set_default_timeout(SLOW)
        rater.goto(srv.page_url("rater.ipynb"), wait_until="domcontentloaded")
        rater.fill("input[type=password]", rater_code)
        rater.click("button:has-text('Sign in')")
        rater.wait_for_selector(".wb-likert")
        rater.wait_for_function(f"document.documentElement.lang === '{language}'")
        rater.locator(".wb-likert").nth(0).locator(".widget-radio-box label").nth(1).click()
        rater.wait_for_selector(".wb-rater-status .wb-ok")
        text = visible_text(rater)
        rater.screenshot(path=str(artifacts / f"rater_{language}.png"), full_page=True)
        left = english_left(text, language)
        assert not left, f"English interface strings on the rater page in {language}: {left}"
        browser.close()


def all_tabs_text(page) -> str:
    """The page's visible text with each tab of its tab bars shown in turn (a hidden tab shows no text)."""
    texts = [visible_text(page)]
    for n in range(page.locator(".lm-TabBar-tab").count()):
        page.locator(".lm-TabBar-tab").nth(n).click()
        page.wait_for_timeout(400)
        for button in page.locator(".lm-TabPanel:visible button:visible").all():
            label = button.inner_text().strip()
            if label in STATISTICS_BUTTONS:  # tables drawn on demand
                button.click()
                page.wait_for_selector(".wb-table", state="attached")
                page.wait_for_timeout(1500)
        texts.append(visible_text(page))
    return "\n".join(texts)


STATISTICS_BUTTONS = {"Calculer les statistiques", "计算统计数据"}


@pytest.mark.parametrize("language", ["fr", "zh"])
def test_the_coach_and_hr_pages_have_no_english_interface_string(tmp_path, artifacts, language):
    """The coach (every tab) and HR pages signed in with the language chosen at sign-in show no English interface string."""
    from playwright.sync_api import sync_playwright

    from workbook.i18n import language_name

    env = {"WORKBOOK_POOLS": "coach.ipynb=1,hr.ipynb=1"}
    with voila_server(tmp_path, env=env) as srv, sync_playwright() as p:
        browser = launch_chromium(p)
        for role, notebook in (("coach", "coach.ipynb"), ("hr", "hr.ipynb")):
            page = browser.new_context(viewport={"width": 1300, "height": 900}).new_page()
            page.set_default_timeout(SLOW)
            page.goto(srv.page_url(notebook), wait_until="domcontentloaded")
            page.wait_for_selector("input[type=password]", state="visible")
            page.locator(".wb-language select").select_option(label=language_name(language))
            page.get_by_role("button", name=SIGN_IN[language], exact=True).wait_for()
            page.fill("input[type=password]", srv.codes(role)[0])
            page.get_by_role("button", name=SIGN_IN[language], exact=True).click()
            page.wait_for_selector(".wb-table")
            page.wait_for_function(f"document.documentElement.lang === '{language}'")
            text = all_tabs_text(page) if role == "coach" else visible_text(page)
            page.screenshot(path=str(artifacts / f"{role}_{language}.png"), full_page=True)
            assert not TRACEBACK.search(text)
            left = english_left(text, language)
            assert not left, f"English interface strings on the {role} page in {language}: {left}"
            page.context.close()
        browser.close()
