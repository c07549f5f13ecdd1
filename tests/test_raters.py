"""Rater invitations and codes: a rater reaches only their own answers about their subject."""
import pytest

from workbook.errors import AccessDenied, InvalidAnswer, WorkbookError
from workbook.store import (
    AccessCodeAuthenticator,
    attempts,
    current_answers,
    feedback_responses,
    invite_rater,
    list_raters,
    progress,
    rater_answers,
    rater_task,
    response_counts,
    revoke_rater,
    save_answer,
    save_rater_answer,
)

INST = "manager_profile"


@pytest.fixture
def raters(db, cohort):
    ann = cohort["ident"]["Ann"]
    auth = AccessCodeAuthenticator(db)
    out = {}
    for label, cat in [("Pat", "peer"), ("Quinn", "peer"), ("Mia", "manager")]:
        rid, code = invite_rater(db, ann, ann.person_id, cat, INST, label)
        out[label] = {"id": rid, "code": code, "ident": auth.authenticate(code)}
    return out


def test_invitation_yields_a_rater_code_signing_in_as_rater(db, cohort, raters):
    ident = raters["Pat"]["ident"]
    assert ident.role == "rater" and ident.rater_id == raters["Pat"]["id"] and ident.person_id is None
    task = rater_task(db, ident)
    assert (task.subject_name, task.instrument) == ("Ann", INST)
    assert [r.label for r in list_raters(db, cohort["ident"]["Ann"], cohort["people"]["Ann"]["id"])] == ["Pat", "Quinn", "Mia"]


def test_rater_answers_are_stored_about_the_subject_and_apart_from_self_answers(db, cohort, raters):
    ann = cohort["ident"]["Ann"]
    pat = raters["Pat"]["ident"]
    save_answer(db, ann, ann.person_id, "m03", INST, "mp1", 2)
    save_rater_answer(db, pat, "mp1", 5)
    save_rater_answer(db, pat, "mp1", 4)  # latest wins
    save_rater_answer(db, pat, "_comment", "Clear <b>goals</b>")
    assert rater_answers(db, pat) == {"mp1": 4, "_comment": "Clear <b>goals</b>"}
    # the trainee's own answers, attempts and progress do not include the rater's
    assert current_answers(db, ann, ann.person_id, INST) == {"mp1": 2}
    assert attempts(db, ann, ann.person_id, INST) == {1: {"mp1": 2}}
    assert progress(db, ann, ann.person_id) == {"m03": "in_progress"}
    resp = feedback_responses(db, ann, ann.person_id, INST)
    assert {"category": "peer", "answers": {"mp1": 4}, "comment": "Clear <b>goals</b>"} in resp
    assert all(set(r) == {"category", "answers", "comment"} for r in resp)  # no ids, no labels
    assert response_counts(db, ann, ann.person_id, INST)["peer"] == (2, 1)


def test_rater_reaches_only_own_answers(db, cohort, raters):
    pat, quinn = raters["Pat"]["ident"], raters["Quinn"]["ident"]
    save_rater_answer(db, pat, "mp2", 3)
    assert rater_answers(db, quinn) == {}
    ann_id = cohort["people"]["Ann"]["id"]
    for call in (
        lambda: feedback_responses(db, quinn, ann_id, INST),
        lambda: response_counts(db, quinn, ann_id, INST),
        lambda: list_raters(db, quinn, ann_id),
        lambda: current_answers(db, quinn, ann_id, INST),
        lambda: attempts(db, quinn, ann_id, INST),
        lambda: progress(db, quinn, ann_id),
        lambda: save_answer(db, quinn, ann_id, "m03", INST, "mp1", 1),
        lambda: invite_rater(db, quinn, ann_id, "peer", INST),
    ):
        with pytest.raises(AccessDenied):
            call()


def test_people_cannot_use_rater_functions_or_others_raters(db, cohort, raters):
    ann, ben = cohort["ident"]["Ann"], cohort["ident"]["Ben"]
    with pytest.raises(AccessDenied):
        rater_answers(db, ann)
    with pytest.raises(AccessDenied):
        save_rater_answer(db, ann, "mp1", 3)
    with pytest.raises(AccessDenied):
        feedback_responses(db, ben, ann.person_id, INST)
    with pytest.raises(AccessDenied):
        invite_rater(db, ben, ann.person_id, "peer", INST)
    with pytest.raises(AccessDenied):  # a coach reads, but never invites on a trainee's behalf
        invite_rater(db, cohort["ident"]["Coach C"], ann.person_id, "peer", INST)


def test_bad_answers_and_categories_are_refused_with_one_line(db, cohort, raters):
    pat = raters["Pat"]["ident"]
    ann = cohort["ident"]["Ann"]
    with pytest.raises(InvalidAnswer, match="out of range"):
        save_rater_answer(db, pat, "mp1", 9)
    with pytest.raises(InvalidAnswer, match="limit"):
        save_rater_answer(db, pat, "_comment", "x" * 5000)
    with pytest.raises(WorkbookError, match="not one of manager, peer, direct_report, client"):
        invite_rater(db, ann, ann.person_id, "friend", INST)
    with pytest.raises(WorkbookError, match="text_360"):
        invite_rater(db, ann, ann.person_id, "peer", "coproduction")
    assert rater_answers(db, pat) == {}


def test_revoked_rater_code_and_session_no_longer_sign_in(db, cohort, raters):
    ann = cohort["ident"]["Ann"]
    auth = AccessCodeAuthenticator(db)
    token = auth.start_session(raters["Mia"]["ident"])
    assert auth.resume(token).rater_id == raters["Mia"]["id"]
    revoke_rater(db, ann, ann.person_id, raters["Mia"]["id"])
    with pytest.raises(AccessDenied):
        auth.authenticate(raters["Mia"]["code"], source="t-revoke")
    with pytest.raises(AccessDenied):
        auth.resume(token)


def test_rater_code_cannot_open_trainee_pages(db, cohort, raters):
    from workbook.pages.home import home_page
    from workbook.pages.module import module_page

    for page in (home_page(db), module_page("m01", db)):
        page.signin.code.value = raters["Pat"]["code"]
        assert "this page is for the trainee or coach or hr; you are signed in as rater" in page.status.value
        assert page.body.children == ()


def test_a_rater_answer_outside_the_category_item_set_is_refused_and_not_stored(db, cohort):
    ann = cohort["ident"]["Ann"]
    rid, code = invite_rater(db, ann, ann.person_id, "client", INST, "Client A")
    client = AccessCodeAuthenticator(db).authenticate(code)
    assert rater_task(db, client).category == "client"
    with pytest.raises(InvalidAnswer) as exc:
        save_rater_answer(db, client, "mp13", 4)
    assert str(exc.value) == "manager_profile/mp13: client raters do not rate this item (leadership); it is not on their page"
    save_rater_answer(db, client, "mp1", 4)
    assert rater_answers(db, client) == {"mp1": 4}
    # a peer rates the leadership items
    pid, _ = invite_rater(db, ann, ann.person_id, "peer", INST, "Pat")
    from workbook.auth import Identity

    save_rater_answer(db, Identity(role="rater", rater_id=pid), "mp13", 4)
