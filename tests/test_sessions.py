"""Sign in once: a session token carried in page links resumes the same identity on the next page."""
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from workbook.errors import AccessDenied
from workbook.store import AccessCodeAuthenticator, reissue_code
from workbook.store.models import PageSession, utcnow


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


def test_page_links_carry_the_session(db, cohort):
    from workbook.pages import shell
    from workbook.pages.home import modules_table

    shell._SESSION.clear()
    assert 'href="./01_servuction.ipynb"' in modules_table({})
    shell._SESSION["token"] = "tok&<x>"
    try:
        html = modules_table({})
        assert 'href="./01_servuction.ipynb?s=tok%26%3Cx%3E"' in html
    finally:
        shell._SESSION.clear()
