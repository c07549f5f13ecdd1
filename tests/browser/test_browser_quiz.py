"""The concept quiz in a real browser (Voila with the workbook's serving policy + Debian Chromium):
a trainee answers an item, submits, and sees the feedback that teaches; the answer is in the store."""
from __future__ import annotations

import pytest
from servers import TRACEBACK, voila_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

playwright_api = pytest.importorskip("playwright.sync_api")
SLOW = 90_000  # ms: pages on a shared 2-core machine


def test_a_trainee_answers_a_quiz_item_and_sees_its_feedback(tmp_path, browser, artifacts):
    from workbook.auth.identity import Identity
    from workbook.content.catalogue import catalogue
    from workbook.render.quiz_html import letter
    from workbook.store import AccessCodeAuthenticator, Database, current_answers

    quiz = catalogue().quiz
    q = quiz.questions_of("a")[0]
    wrong = next(i for i in range(len(q.options)) if i != q.key)
    with voila_server(tmp_path, env={"WORKBOOK_POOLS": "00_home.ipynb=0,01_servuction.ipynb=0,quiz_before.ipynb=1"}) as srv:
        code, name = srv.codes("trainee")[-1], srv.names("trainee")[-1]  # the last demo trainee has not taken the quiz
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.set_default_timeout(SLOW)
        page.goto(srv.page_url("quiz_before.ipynb"))
        page.fill("input[type=password]", code)
        page.click("text=Sign in")
        page.wait_for_selector(f"text=Signed in as {name}")
        page.locator(f".wb-quiz-{q.id} label:has-text('{letter(q, wrong)}')").click()
        page.wait_for_selector("text=All answers saved")
        page.click("button:has-text('Submit my answers')")
        page.wait_for_selector("text=45 of 46 questions still open")
        page.click("button:has-text('Submit with open questions')")
        results = page.locator(".wb-quiz-results")
        results.locator("text=Feedback on each answer").wait_for()
        first = results.locator(".wb-quiz-answer").first
        text = " ".join(first.inner_text().split())
        assert "Not quite." in text
        assert " ".join(q.options[wrong].feedback.split())[:80] in text  # why the chosen answer is wrong
        assert " ".join(q.options[q.key].feedback.split())[:80] in text  # and what the keyed one teaches
        assert f"The keyed answer is {letter(q, q.key)}." in text
        assert page.locator(f".wb-quiz-{q.id} input:disabled").count() == len(q.options)
        assert not TRACEBACK.search(page.inner_text("body"))
        page.screenshot(path=str(artifacts / "quiz-feedback.png"), full_page=True)
        db = Database(srv.settings.database_url, srv.settings)
        who = AccessCodeAuthenticator(db).authenticate(code, source="test")
        saved = current_answers(db, Identity.admin(), who.person_id, "quiz_a")
        assert saved[q.id] == wrong and saved["_submitted"]
        db.dispose()
        page.close()
