"""360 raters: nominated by the trainee, approved and sent by the coach (a real SMTP server, or the
coach's page without one), rounds whose results appear only once closed, reminders, pulse rounds.
A rater reaches only their own answers about their subject; the trainee never holds a rater code."""
from datetime import timedelta

import pytest

from workbook.errors import AccessDenied, InvalidAnswer, NotFound, WorkbookError
from workbook.store import (
    AccessCodeAuthenticator,
    approve_raters,
    attempts,
    close_round,
    current_answers,
    feedback_responses,
    feedback_rounds,
    invite_rater,
    list_raters,
    nominate_rater,
    progress,
    pulse_responses,
    rater_answers,
    rater_task,
    remind_raters,
    response_counts,
    revoke_rater,
    save_answer,
    save_rater_answer,
    send_rater_codes,
    set_round_closing,
    start_pulse_round,
)
from workbook.store.models import AccessCode, FeedbackRound, RaterContact, utcnow

INST = "manager_profile"
ITEMS = ("mp1", "mp2", "mp4", "mp5a", "mp5b", "mp6a", "mp7", "mp9", "mp10", "mp12", "mp13a", "mp14", "mp16")


def nominate(db, cohort, people):
    """Ann nominates ``people`` [(name, category)]; her coach approves and sends: {name: code-bearing dict}."""
    ann, coach = cohort["ident"]["Ann"], cohort["ident"]["Coach C"]
    ids = {name: nominate_rater(db, ann, ann.person_id, name, f"{name.lower()}@client.example", cat, INST) for name, cat in people}
    approve_raters(db, coach, ann.person_id)
    issued = send_rater_codes(db, coach, ann.person_id)
    auth = AccessCodeAuthenticator(db)
    out = {}
    for i in issued:
        name = next(n for n, rid in ids.items() if rid == i.rater_id)
        out[name] = {"id": i.rater_id, "code": i.code, "ident": auth.authenticate(i.code, source="t") if i.code else None, "issued": i}
    return out


@pytest.fixture
def raters(db, cohort):
    return nominate(db, cohort, [("Pat", "peer"), ("Quinn", "peer"), ("Mia", "manager")])


def answer_all(db, ident, value=3, comment=None):
    for item in ITEMS:
        save_rater_answer(db, ident, item, value)
    if comment is not None:
        save_rater_answer(db, ident, "_comment", comment)


# ---------------------------------------------------------------- nominations and codes

def test_the_trainee_nominates_and_never_receives_a_code(db, cohort):
    ann, coach = cohort["ident"]["Ann"], cohort["ident"]["Coach C"]
    rid = nominate_rater(db, ann, ann.person_id, "Pat Peer", "pat@client.example", "peer", INST)
    assert isinstance(rid, int)  # an id, no code
    with db.session() as s:
        assert s.query(AccessCode).filter_by(subject_kind="rater").count() == 0  # no code exists before the coach sends
    [inv] = list_raters(db, ann, ann.person_id, INST)
    assert (inv.label, inv.email, inv.category, inv.status) == ("Pat Peer", "pat@client.example", "peer", "nominated")
    # every way to a code is closed to the trainee, for herself too
    for call in (
        lambda: invite_rater(db, ann, ann.person_id, "peer", INST, "x"),
        lambda: approve_raters(db, ann, ann.person_id),
        lambda: send_rater_codes(db, ann, ann.person_id),
        lambda: remind_raters(db, ann, ann.person_id),
        lambda: close_round(db, ann, ann.person_id, INST),
        lambda: set_round_closing(db, ann, ann.person_id, INST, utcnow().date()),
        lambda: start_pulse_round(db, ann, ann.person_id, INST, ["mp1"]),
    ):
        with pytest.raises(AccessDenied):
            call()
    # HR reads but does not send; a coach does not nominate in the trainee's place
    with pytest.raises(AccessDenied):
        send_rater_codes(db, cohort["ident"]["HR H"], ann.person_id)
    with pytest.raises(AccessDenied):
        nominate_rater(db, coach, ann.person_id, "Zed", "zed@x.example", "peer", INST)
    assert approve_raters(db, coach, ann.person_id) == 1
    [issued] = send_rater_codes(db, coach, ann.person_id)
    assert issued.delivered == "coach" and issued.code and issued.email == "pat@client.example"
    assert AccessCodeAuthenticator(db).authenticate(issued.code, source="t").rater_id == rid
    assert send_rater_codes(db, coach, ann.person_id) == []  # sent once; a new code only with a reminder


def test_unapproved_nominations_get_no_code(db, cohort):
    ann, coach = cohort["ident"]["Ann"], cohort["ident"]["Coach C"]
    nominate_rater(db, ann, ann.person_id, "Pat", "pat@client.example", "peer", INST)
    assert send_rater_codes(db, coach, ann.person_id) == []


def test_nomination_input_is_checked_in_one_line(db, cohort):
    ann = cohort["ident"]["Ann"]
    from workbook.store import invite

    me_id, _code = invite(db, cohort["ident"]["Coach C"], cohort["id"], "Eve", "trainee", "eve@corp.example")
    eve = AccessCodeAuthenticator(db).authenticate(_code, source="t")
    with pytest.raises(WorkbookError, match="your own e-mail address"):
        nominate_rater(db, eve, me_id, "Me Again", "EVE@corp.example", "peer", INST)
    for name, mail, cat, msg in [
        ("Pat", "not-an-address", "peer", "is not an e-mail address"),
        ("", "pat@client.example", "peer", "name needs 1 to 200 characters"),
        ("Pat\x00", "pat@client.example", "peer", "control characters"),
        ("Pat", "pat@client.example", "friend", "not one of manager, peer, direct_report, client"),
    ]:
        with pytest.raises(WorkbookError, match=msg) as exc:
            nominate_rater(db, ann, ann.person_id, name, mail, cat, INST)
        assert "\n" not in str(exc.value)
    nominate_rater(db, ann, ann.person_id, "Pat", "pat@client.example", "peer", INST)
    with pytest.raises(WorkbookError, match="nominated already"):
        nominate_rater(db, ann, ann.person_id, "Pat again", "PAT@client.example", "client", INST)
    with pytest.raises(WorkbookError, match="text_360"):
        nominate_rater(db, ann, ann.person_id, "Cy", "cy@client.example", "peer", "coproduction")


def test_codes_go_by_email_through_a_real_smtp_server(smtp, db, cohort):
    ann, coach = cohort["ident"]["Ann"], cohort["ident"]["Coach C"]
    for name in ("Pat", "Quinn"):
        nominate_rater(db, ann, ann.person_id, name, f"{name.lower()}@client.example", "peer", INST)
    approve_raters(db, coach, ann.person_id)
    issued = send_rater_codes(db, coach, ann.person_id)
    assert [(i.delivered, i.code) for i in issued] == [("email", None), ("email", None)]  # nobody is handed the code
    assert len(smtp.messages) == 2
    body = smtp.bodies_to("pat@client.example")[0]
    assert "/voila/render/rater.ipynb" in body and "Ann asked you for 360-degree feedback" in body
    import re

    code = re.search(r"\b([0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5})\b", body).group(1)
    ident = AccessCodeAuthenticator(db).authenticate(code, source="t")
    assert ident.role == "rater" and rater_task(db, ident).subject_name == "Ann"
    assert {r.status for r in list_raters(db, ann, ann.person_id, INST)} == {"email"}
    assert smtp.messages[0]["From"] == "workbook@test.example"


def test_with_approval_off_the_code_goes_out_at_nomination(smtp, db, cohort, monkeypatch):
    from workbook.settings import load_settings

    db.settings = load_settings({**__import__("os").environ, "WORKBOOK_RATER_APPROVAL": "false"})
    ann = cohort["ident"]["Ann"]
    nominate_rater(db, ann, ann.person_id, "Pat", "pat@client.example", "peer", INST)
    assert len(smtp.bodies_to("pat@client.example")) == 1
    assert list_raters(db, ann, ann.person_id, INST)[0].status == "email"


def test_a_failed_email_voids_its_code(db, cohort, monkeypatch):
    from servers import free_port

    from workbook.settings import load_settings

    env = {**__import__("os").environ, "WORKBOOK_SMTP_HOST": "127.0.0.1", "WORKBOOK_SMTP_PORT": str(free_port()), "WORKBOOK_SMTP_TLS": "none"}
    db.settings = load_settings(env)  # nobody listens on that port
    ann, coach = cohort["ident"]["Ann"], cohort["ident"]["Coach C"]
    nominate_rater(db, ann, ann.person_id, "Pat", "pat@client.example", "peer", INST)
    approve_raters(db, coach, ann.person_id)
    [issued] = send_rater_codes(db, coach, ann.person_id)
    assert issued.delivered == "failed" and issued.code is None
    assert issued.error.startswith("SMTP server 127.0.0.1:") and "nothing was sent" in issued.error and "\n" not in issued.error
    with db.session() as s:
        assert s.query(AccessCode).filter_by(subject_kind="rater", revoked_at=None).count() == 0
    assert list_raters(db, ann, ann.person_id, INST)[0].status == "approved"  # it will be sent again


# ---------------------------------------------------------------- rounds: results only once closed

def test_results_appear_only_once_the_coach_closes_the_round(db, cohort, raters):
    ann, coach = cohort["ident"]["Ann"], cohort["ident"]["Coach C"]
    peers = [raters["Pat"], raters["Quinn"]]
    answer_all(db, peers[0]["ident"], 4)
    assert feedback_responses(db, ann, ann.person_id, INST) == []  # open round: nothing, not even one answer
    assert feedback_responses(db, coach, ann.person_id, INST) == []
    assert sum(a for _i, a in response_counts(db, ann, ann.person_id, INST).values()) == 0
    [rnd] = feedback_rounds(db, ann, ann.person_id, INST)
    assert not rnd.closed and rnd.invited["peer"] == 2 and rnd.answered["peer"] == 1 and rnd.total == (3, 1)  # counts only
    answer_all(db, peers[1]["ident"], 2)
    close_round(db, coach, ann.person_id, INST)
    got = feedback_responses(db, ann, ann.person_id, INST)
    assert sorted(r["answers"]["mp1"] for r in got if r["answers"]) == [2, 4]
    assert response_counts(db, ann, ann.person_id, INST)["peer"] == (2, 2)
    with pytest.raises(AccessDenied, match="round is closed"):
        save_rater_answer(db, raters["Mia"]["ident"], "mp1", 5)
    assert rater_task(db, raters["Mia"]["ident"]).closed
    # a new nomination opens a new round; the closed round's results stay what they were
    nominate_rater(db, ann, ann.person_id, "Nia", "nia@client.example", "client", INST)
    assert len(feedback_rounds(db, ann, ann.person_id, INST)) == 2
    assert len(feedback_responses(db, ann, ann.person_id, INST)) == 3


def test_a_round_closes_by_its_date(db, cohort, raters):
    ann, coach = cohort["ident"]["Ann"], cohort["ident"]["Coach C"]
    answer_all(db, raters["Pat"]["ident"], 4)
    today = utcnow().date()
    with pytest.raises(WorkbookError, match="in the past"):
        set_round_closing(db, coach, ann.person_id, INST, today - timedelta(days=1))
    set_round_closing(db, coach, ann.person_id, INST, today)
    assert feedback_responses(db, ann, ann.person_id, INST) == []  # open until the end of the day
    with db.session() as s:  # the day passes
        s.query(FeedbackRound).update({"closes_on": today - timedelta(days=1)})
    assert feedback_rounds(db, ann, ann.person_id, INST)[0].closed
    assert len([r for r in feedback_responses(db, ann, ann.person_id, INST) if r["answers"]]) == 1
    with pytest.raises(AccessDenied):
        save_rater_answer(db, raters["Quinn"]["ident"], "mp1", 1)


# ---------------------------------------------------------------- reminders

def test_reminders_go_only_to_raters_who_have_not_answered_with_a_fresh_code(smtp, db, cohort):
    ann, coach = cohort["ident"]["Ann"], cohort["ident"]["Coach C"]
    for name in ("Pat", "Quinn"):
        nominate_rater(db, ann, ann.person_id, name, f"{name.lower()}@client.example", "peer", INST)
    approve_raters(db, coach, ann.person_id)
    send_rater_codes(db, coach, ann.person_id)
    import re

    code = lambda body: re.search(r"\b([0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5})\b", body).group(1)
    auth = AccessCodeAuthenticator(db)
    pat = auth.authenticate(code(smtp.bodies_to("pat@client.example")[0]), source="t")
    save_rater_answer(db, pat, "mp1", 4)
    assert remind_raters(db, coach, ann.person_id, due_only=True) == []  # sent today: not due yet
    [rem] = remind_raters(db, coach, ann.person_id)
    assert rem.email == "quinn@client.example" and rem.delivered == "email"
    first, second = smtp.bodies_to("quinn@client.example")
    assert second.startswith("A reminder") and code(first) != code(second)
    with pytest.raises(AccessDenied):
        auth.authenticate(code(first), source="t2")  # the earlier code no longer works
    assert auth.authenticate(code(second), source="t3").role == "rater"
    assert [r.reminders for r in list_raters(db, ann, ann.person_id, INST)] == [0, 1]
    with db.session() as s:  # a week passes
        for c in s.query(RaterContact).all():
            c.sent_at, c.reminded_at = c.sent_at - timedelta(days=8), c.reminded_at and c.reminded_at - timedelta(days=8)
    assert [r.email for r in remind_raters(db, coach, ann.person_id, due_only=True)] == ["quinn@client.example"]
    close_round(db, coach, ann.person_id, INST)
    assert remind_raters(db, coach, ann.person_id) == []  # closed: nobody is reminded


def test_cli_remind_and_close(smtp, db, cohort, monkeypatch, capsys):
    from cli_run import run_cli

    ann, coach = cohort["ident"]["Ann"], cohort["ident"]["Coach C"]
    nominate_rater(db, ann, ann.person_id, "Pat", "pat@client.example", "peer", INST)
    approve_raters(db, coach, ann.person_id)
    send_rater_codes(db, coach, ann.person_id)
    with db.session() as s:
        for c in s.query(RaterContact).all():
            c.sent_at = c.sent_at - timedelta(days=8)
    assert run_cli(monkeypatch, db.settings.data_dir, "raters", "remind", "Cohort A") == 0
    assert "pat@client.example\treminded by e-mail" in capsys.readouterr().out
    assert len(smtp.bodies_to("pat@client.example")) == 2
    assert run_cli(monkeypatch, db.settings.data_dir, "round", "close", str(ann.person_id)) == 0
    assert feedback_rounds(db, ann, ann.person_id, INST)[0].closed
    assert run_cli(monkeypatch, db.settings.data_dir, "round", "close", str(ann.person_id)) == 1
    assert "no open main feedback round" in capsys.readouterr().err


# ---------------------------------------------------------------- pulse round

def test_pulse_round_asks_the_same_raters_about_the_targeted_behaviours(db, cohort):
    ann, coach = cohort["ident"]["Ann"], cohort["ident"]["Coach C"]
    first = nominate(db, cohort, [("Pat", "peer"), ("Quinn", "peer"), ("Rae", "peer")])
    for n, r in enumerate(first.values()):
        answer_all(db, r["ident"], 2 + (n == 0))  # mp1: 3, 2, 2
    with pytest.raises(WorkbookError, match="no closed 360 round"):
        start_pulse_round(db, coach, ann.person_id, INST, ["mp1"])
    close_round(db, coach, ann.person_id, INST)
    with pytest.raises(NotFound):
        start_pulse_round(db, coach, ann.person_id, INST, ["nope"])
    start_pulse_round(db, coach, ann.person_id, INST, ["mp1", "mp4"])
    issued = send_rater_codes(db, coach, ann.person_id)
    assert sorted(i.email for i in issued) == ["pat@client.example", "quinn@client.example", "rae@client.example"]
    auth = AccessCodeAuthenticator(db)
    again = [auth.authenticate(i.code, source=f"p{n}") for n, i in enumerate(issued)]
    assert rater_task(db, again[0]).items == ("mp1", "mp4")
    with pytest.raises(InvalidAnswer, match="asks only about mp1, mp4"):
        save_rater_answer(db, again[0], "mp2", 4)
    for ident in again:
        save_rater_answer(db, ident, "mp1", 4)
    assert pulse_responses(db, ann, ann.person_id, INST) is None  # open: nothing yet
    close_round(db, coach, ann.person_id, INST, kind="pulse")
    items, before, after = pulse_responses(db, ann, ann.person_id, INST)
    assert items == ["mp1", "mp4"]
    assert sorted(r["answers"]["mp1"] for r in before) == [2, 2, 3] and [r["answers"].get("mp1") for r in after] == [4, 4, 4]
    # the main results are still the main round's
    assert sorted(r["answers"]["mp1"] for r in feedback_responses(db, ann, ann.person_id, INST)) == [2, 2, 3]


# ---------------------------------------------------------------- what a rater reaches

def test_rater_answers_are_stored_about_the_subject_and_apart_from_self_answers(db, cohort, raters):
    ann, coach = cohort["ident"]["Ann"], cohort["ident"]["Coach C"]
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
    close_round(db, coach, ann.person_id, INST)
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
        lambda: feedback_rounds(db, quinn, ann_id, INST),
        lambda: list_raters(db, quinn, ann_id),
        lambda: current_answers(db, quinn, ann_id, INST),
        lambda: attempts(db, quinn, ann_id, INST),
        lambda: progress(db, quinn, ann_id),
        lambda: save_answer(db, quinn, ann_id, "m03", INST, "mp1", 1),
        lambda: nominate_rater(db, quinn, ann_id, "X", "x@y.example", "peer", INST),
        lambda: send_rater_codes(db, quinn, ann_id),
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
        nominate_rater(db, ben, ann.person_id, "X", "x@y.example", "peer", INST)


def test_bad_answers_are_refused_with_one_line(db, cohort, raters):
    pat = raters["Pat"]["ident"]
    with pytest.raises(InvalidAnswer, match="out of range"):
        save_rater_answer(db, pat, "mp1", 9)
    with pytest.raises(InvalidAnswer, match="limit"):
        save_rater_answer(db, pat, "_comment", "x" * 5000)
    assert rater_answers(db, pat) == {}


def test_withdrawn_rater_code_and_session_no_longer_sign_in(db, cohort, raters):
    ann = cohort["ident"]["Ann"]
    auth = AccessCodeAuthenticator(db)
    token = auth.start_session(raters["Mia"]["ident"])
    assert auth.resume(token).rater_id == raters["Mia"]["id"]
    revoke_rater(db, ann, ann.person_id, raters["Mia"]["id"])
    with pytest.raises(AccessDenied):
        auth.authenticate(raters["Mia"]["code"], source="t-revoke")
    with pytest.raises(AccessDenied):
        auth.resume(token)
    assert [r.status for r in list_raters(db, ann, ann.person_id, INST)][-1] == "withdrawn"
    assert remind_raters(db, cohort["ident"]["Coach C"], ann.person_id) and all(
        i.rater_id != raters["Mia"]["id"] for i in remind_raters(db, cohort["ident"]["Coach C"], ann.person_id))


def test_rater_code_cannot_open_trainee_pages(db, cohort, raters):
    from workbook.ui.pages.home import home_page
    from workbook.ui.pages.module import module_page

    for page in (home_page(db), module_page("m01", db)):
        page.signin.code.value = raters["Pat"]["code"]
        assert "this page is for the trainee or coach or hr; you are signed in as rater" in page.status.value
        assert page.body.children == ()


def test_a_rater_answer_outside_the_category_item_set_is_refused_and_not_stored(db, cohort):
    from workbook.auth.identity import Identity

    ann = cohort["ident"]["Ann"]
    rid, code = invite_rater(db, Identity.admin(), ann.person_id, "client", INST, "Client A")
    client = AccessCodeAuthenticator(db).authenticate(code)
    assert rater_task(db, client).category == "client"
    with pytest.raises(InvalidAnswer) as exc:
        save_rater_answer(db, client, "mp13a", 4)
    assert str(exc.value) == "manager_profile/mp13a: client raters do not rate this item (leadership); it is not on their page"
    save_rater_answer(db, client, "mp1", 4)
    assert rater_answers(db, client) == {"mp1": 4}
    # a peer rates the leadership items
    pid, _ = invite_rater(db, Identity.admin(), ann.person_id, "peer", INST, "Pat")

    save_rater_answer(db, Identity(role="rater", rater_id=pid), "mp13a", 4)


def test_raters_outside_any_round_show_nothing_until_a_coach_closes_them_into_one(db, cohort):
    """Raters an import brings (or made before rounds existed) belong to no round: never live."""
    from workbook.auth.identity import Identity
    from workbook.store.models import Rater
    from workbook.store.people import _issue_code

    ann, coach = cohort["ident"]["Ann"], cohort["ident"]["Coach C"]
    idents = []
    for _ in range(3):
        with db.session() as s:  # as `workbook import` leaves them: a rater row, no round
            r = Rater(subject_id=ann.person_id, category="peer", instrument=INST, label="imported")
            s.add(r)
            s.flush()
            _issue_code(s, "rater", r.id)
            idents.append(Identity(role="rater", rater_id=r.id))
    for who in idents:
        answer_all(db, who, 4)
    assert feedback_responses(db, ann, ann.person_id, INST) == []
    rid = close_round(db, coach, ann.person_id, INST)
    assert [r.id for r in feedback_rounds(db, ann, ann.person_id, INST)] == [rid]
    assert [r["answers"]["mp1"] for r in feedback_responses(db, ann, ann.person_id, INST)] == [4, 4, 4]
    with pytest.raises(AccessDenied, match="round is closed"):
        save_rater_answer(db, idents[0], "mp1", 1)
