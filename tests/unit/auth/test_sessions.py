"""Sign-in sessions: only hashes stored, sliding expiry under a cap, one-time cookie tickets, and
pages that end at their next action once their session ends (re-issued code, revoked rater,
sign-out). The browser side (cookie, no token in any URL) is tests/browser/test_browser_session.py."""
from datetime import timedelta

import pytest
from sqlalchemy import event, select, update
from widget_tools import button, html_text, walk

from workbook.errors import AccessDenied
from workbook.store import AccessCodeAuthenticator, current_answers, invite_rater, reissue_code, revoke_rater
from workbook.store.models import PageSession, SigninTicket, utcnow
from workbook.store.sessions import end_sessions, redeem_ticket, start_session_with_ticket


def test_session_resumes_the_same_identity_and_stores_only_a_hash(db, cohort):
    auth = AccessCodeAuthenticator(db)
    ann = cohort["ident"]["Ann"]
    token = auth.start_session(ann)
    assert auth.resume(token) == ann
    with db.session() as s:
        hashes = s.scalars(select(PageSession.token_hash)).all()
    assert token not in hashes and len(hashes) == 1


def test_unknown_and_expired_sessions_are_refused(db, cohort):
    auth = AccessCodeAuthenticator(db)
    token = auth.start_session(cohort["ident"]["Ben"])
    with pytest.raises(AccessDenied, match="expired"):
        auth.resume("not-a-token")
    with db.session() as s:
        s.execute(update(PageSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    with pytest.raises(AccessDenied, match="type your access code again"):
        auth.resume(token)


def test_reissuing_a_code_ends_the_persons_sessions(db, cohort, admin):
    auth = AccessCodeAuthenticator(db)
    ann, ben = cohort["ident"]["Ann"], cohort["ident"]["Ben"]
    t_ann, t_ben = auth.start_session(ann), auth.start_session(ben)
    reissue_code(db, admin, ann.person_id)
    with pytest.raises(AccessDenied):
        auth.resume(t_ann)
    assert auth.resume(t_ben) == ben


def _session_row(db):
    with db.session() as s:
        row = s.scalars(select(PageSession)).one()
        return row.created_at, row.expires_at


def test_expiry_slides_with_use_but_never_past_the_cap(db, cohort):
    """A session idle for ``session_idle_minutes`` ends; each use pushes that end forward, but
    never beyond ``session_hours`` after the sign-in."""
    st = db.settings
    auth = AccessCodeAuthenticator(db)
    token = auth.start_session(cohort["ident"]["Ann"])
    created, expires = _session_row(db)
    assert abs((expires - created) - timedelta(minutes=st.session_idle_minutes)) < timedelta(seconds=5)
    # 100 minutes later (simulated): the session is used, its end moves to "now + idle"
    with db.session() as s:
        s.execute(update(PageSession).values(created_at=created - timedelta(minutes=100), expires_at=expires - timedelta(minutes=100)))
    auth.resume(token)
    _created, slid = _session_row(db)
    assert abs(slid - (utcnow() + timedelta(minutes=st.session_idle_minutes))) < timedelta(seconds=5)
    # near the cap: the end stops at created + session_hours
    old_start = utcnow() - timedelta(hours=st.session_hours) + timedelta(minutes=10)
    with db.session() as s:
        s.execute(update(PageSession).values(created_at=old_start, expires_at=utcnow() + timedelta(minutes=1)))
    auth.resume(token)
    _c, capped = _session_row(db)
    assert abs(capped - (old_start + timedelta(hours=st.session_hours))) < timedelta(seconds=1)
    # idle too long: gone
    with db.session() as s:
        s.execute(update(PageSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    with pytest.raises(AccessDenied, match="expired"):
        auth.resume(token)


def test_a_ticket_buys_one_cookie_session_once_and_only_while_fresh(db, cohort):
    auth = AccessCodeAuthenticator(db)
    ann = cohort["ident"]["Ann"]
    _token, ticket = start_session_with_ticket(db, ann)
    with db.session() as s:
        assert ticket not in s.scalars(select(SigninTicket.ticket_hash)).all()
    previous = auth.start_session(ann)  # the browser's earlier cookie
    token = redeem_ticket(db, ticket, replacing=previous)
    assert auth.resume(token) == ann
    with pytest.raises(AccessDenied):
        auth.resume(previous)  # replaced by the new cookie
    with pytest.raises(AccessDenied, match="unknown or was used"):
        redeem_ticket(db, ticket)
    with pytest.raises(AccessDenied, match="expired"):
        auth.resume(ticket)  # a ticket is not a session
    _token, late = start_session_with_ticket(db, ann)
    with db.session() as s:
        s.execute(update(SigninTicket).values(expires_at=utcnow() - timedelta(seconds=1)))
    with pytest.raises(AccessDenied, match="expired"):
        redeem_ticket(db, late)


def test_reissue_and_sign_out_void_pending_tickets_and_sessions(db, cohort, admin):
    auth = AccessCodeAuthenticator(db)
    ann, ben = cohort["ident"]["Ann"], cohort["ident"]["Ben"]
    _token, ticket = start_session_with_ticket(db, ann)
    reissue_code(db, admin, ann.person_id)
    with pytest.raises(AccessDenied):
        redeem_ticket(db, ticket)
    t1, t2, other = auth.start_session(ben), auth.start_session(ben), auth.start_session(ann)
    end_sessions(db, ben)
    for t in (t1, t2):
        with pytest.raises(AccessDenied):
            auth.resume(t)
    assert auth.resume(other) == ann


# ---------------------------------------------------------------- pages (in process)

def _frontend_click(radio, index: int) -> None:
    """What the browser sends when a radio option is picked: a comm ``update`` of its index."""
    radio._handle_msg({"content": {"data": {"method": "update", "state": {"index": index}}}, "buffers": []})


def _signed_in_module_page(db, code):
    from workbook.ui.pages.module import module_page
    from workbook.ui.widgets.likert import LikertForm

    page = module_page("m01", db=db)
    page.signin.code.value = code
    form = next(x for x in walk(page) if isinstance(x, LikertForm))
    return page, form


def test_a_sign_in_by_code_on_a_page_writes_once(db, cohort):
    """A cohort signing in together queues on SQLite's one writer: a page's sign-in by code (the code checked, the
    session, the cookie's ticket, the person's page built) is one write transaction (#17); a wrong code before it is
    still counted and then cleared by the right one."""
    from workbook.ui.pages.module import module_page

    committed, pending = [], []

    def on_execute(_conn, _cursor, statement, *_args):
        if statement.lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            pending.append(statement.split()[0].upper() + " " + statement.split()[2])

    def on_commit(_conn):
        if pending:
            committed.append(list(pending))
            pending.clear()

    event.listen(db.engine, "before_cursor_execute", on_execute)
    event.listen(db.engine, "commit", on_commit)
    try:
        page, _form = _signed_in_module_page(db, cohort["people"]["Ann"]["code"])
        assert [sorted(x) for x in committed] == [
            ["DELETE page_sessions", "DELETE signin_tickets", "INSERT page_sessions", "INSERT signin_tickets"]]
        assert page.session_token and "data-wb-ticket" in page._ticket.value
        from workbook.ui.widgets import deferred

        assert any(c.delay == db.settings.signin_ticket_seconds for c in deferred._CLOCK._due), "no withdrawal pending"
        committed.clear()
        code = cohort["people"]["Ben"]["code"]
        wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
        other = module_page("m01", db=db)
        other.signin.code.value = wrong
        assert other.session_token is None and len(committed) == 1  # the wrong code recorded
        other.signin.code.value = code
        assert other.session_token and len(committed) == 3  # then cleared by the right one, and the session
        assert any("DELETE signin_failures" in x for x in committed[1])
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)
        event.remove(db.engine, "commit", on_commit)


def test_page_links_are_plain_and_the_page_holds_no_token_in_any_html(db, cohort):
    from workbook.ui.pages.home import home_page

    page = home_page(db)
    page.signin.code.value = cohort["people"]["Ann"]["code"]
    assert page.session_token
    html = "\n".join(x.value for x in walk(page) if hasattr(x, "value") and isinstance(x.value, str))
    assert 'href="./01_servuction.ipynb"' in html
    assert "?s=" not in html and page.session_token not in html


def test_a_reissued_code_ends_the_open_page_at_its_next_action(db, cohort, admin):
    ann = cohort["ident"]["Ann"]
    page, form = _signed_in_module_page(db, cohort["people"]["Ann"]["code"])
    first, second = list(form.radios.values())[:2]
    _frontend_click(first, 3)  # a live session: the answer is saved
    saved = current_answers(db, ann, ann.person_id, form.instrument.id)
    assert saved == {list(form.radios)[0]: first.value}
    reissue_code(db, admin, ann.person_id)  # the coach hands out a new code
    _frontend_click(second, 1)
    assert page.ended
    assert "Your session ended — sign in again" in html_text(page)
    assert not any(isinstance(x, type(form)) for x in walk(page))  # the page's content is gone
    assert current_answers(db, ann, ann.person_id, form.instrument.id) == saved  # the click saved nothing
    _frontend_click(first, 0)  # the old widgets take no more actions
    assert current_answers(db, ann, ann.person_id, form.instrument.id) == saved


def test_a_revoked_rater_page_ends_at_its_next_action(db, cohort, admin):
    from workbook.ui.pages.rater import rater_page
    from workbook.ui.widgets.likert import LikertForm

    ann = cohort["ident"]["Ann"]
    rid, code = invite_rater(db, admin, ann.person_id, "peer", "manager_profile", "Pat")
    page = rater_page(db)
    page.signin.code.value = code
    form = next(x for x in walk(page) if isinstance(x, LikertForm))
    revoke_rater(db, ann, ann.person_id, rid)
    _frontend_click(next(iter(form.radios.values())), 2)
    assert page.ended


def test_sign_out_ends_every_session_of_the_person_and_the_page(db, cohort):
    auth = AccessCodeAuthenticator(db)
    ann = cohort["ident"]["Ann"]
    elsewhere = auth.start_session(ann)  # another page or the browser's cookie
    page, form = _signed_in_module_page(db, cohort["people"]["Ann"]["code"])
    button(page, "Sign out")._handle_msg({"content": {"data": {"method": "custom", "content": {"event": "click"}}}, "buffers": []})
    assert page.ended
    html = html_text(page)
    assert "You are signed out" in html and "data-wb-signout" in html  # the template's script clears the cookie
    with pytest.raises(AccessDenied):
        auth.resume(elsewhere)
    with db.session() as s:
        assert s.scalars(select(PageSession)).all() == []


def test_a_sign_out_on_another_page_ends_this_one_at_its_next_answer(db, cohort):
    """The page's writer keeps what cannot change between two answers (#17), never the session: after answers saved
    through it, a sign-out elsewhere still refuses the next answer, which saves nothing."""
    ann = cohort["ident"]["Ann"]
    page, form = _signed_in_module_page(db, cohort["people"]["Ann"]["code"])
    radios = list(form.radios.values())
    for j, radio in enumerate(radios[:3]):
        _frontend_click(radio, j)
    saved = current_answers(db, ann, ann.person_id, form.instrument.id)
    assert len(saved) == 3
    end_sessions(db, ann)  # "Sign out" on another page of Ann's
    _frontend_click(radios[3], 4)
    assert page.ended
    assert current_answers(db, ann, ann.person_id, form.instrument.id) == saved
