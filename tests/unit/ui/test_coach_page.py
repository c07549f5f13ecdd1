"""The coach's dashboard, driven through its widgets on a real SQLite store (no browser)."""
import threading
import time

import ipywidgets as w
import pytest
from widget_tools import button, find, html_text

from workbook.errors import AccessDenied
from workbook.store import AccessCodeAuthenticator, action_plan, notes_for, save_action, save_answer, set_progress
from workbook.ui.pages.coach import LiveResults, coach_page, live_results_html, progress_matrix_html

ANSWERS = {
    "Ann": {"cp1": 5, "cp2": 5, "cp3": 1, "cp4": 5, "cp5b": 4, "cp6": 4, "cp7": 2, "cp8": 4},
    "Ben": {"cp1": 2, "cp2": 1, "cp3": 4, "cp4": 2, "cp5b": 1, "cp6": 2, "cp7": 5, "cp8": 1},
    "Cy": {"cp1": 3, "cp2": 3, "cp3": 3, "cp4": 4, "cp5b": 3, "cp6": 3, "cp7": 3, "cp8": 3},
}


def answer(db, cohort, name):
    who = cohort["ident"][name]
    for item, value in ANSWERS[name].items():
        save_answer(db, who, who.person_id, "m01", "coproduction", item, value)


def sign_in(page, code):
    page.signin.code.value = code


@pytest.mark.parametrize("role", ["Ann", "HR H"])
def test_coach_page_refuses_trainee_and_hr_codes(db, cohort, role):
    page = coach_page(db=db)
    sign_in(page, cohort["people"][role]["code"])
    assert page.body.children == ()
    assert "this page is for the coach" in page.status.value


def test_coach_sees_progress_and_last_activity(db, cohort):
    answer(db, cohort, "Ann")
    set_progress(db, cohort["ident"]["Ann"], cohort["ident"]["Ann"].person_id, "m01", "done")
    answer(db, cohort, "Ben")
    html = progress_matrix_html(db, cohort["ident"]["Coach C"])
    rows = {r.split("</th>")[0].split(">")[-1]: r for r in html.split("<tr>")[2:]}  # the name heads its row
    assert set(rows) == {"Ann", "Ben", "Cy"}
    assert "done" in rows["Ann"] and "in progress" in rows["Ben"] and "in progress" not in rows["Cy"]
    assert "—</td></tr>" in rows["Cy"] and "not started" in rows["Cy"]  # never active
    assert time.strftime("%Y-%m-%d") in rows["Ann"]


def m01_section(html: str) -> str:
    """The part of the live results about Module 1 (other modules' instruments have no answers here)."""
    return next(part for part in html.split("<h3>") if part.startswith("Module 1 "))


def test_live_results_hide_small_groups_then_show_the_real_distribution(db, cohort):
    coach = cohort["ident"]["Coach C"]
    answer(db, cohort, "Ann")
    answer(db, cohort, "Ben")
    html = m01_section(live_results_html(db, coach))  # only Module 1's instrument is answered here
    assert html.count("not enough responses (fewer than 3)") == 2 and "<svg" not in html
    answer(db, cohort, "Cy")
    html = m01_section(live_results_html(db, coach))
    # by hand (cp3, cp7 reverse-keyed: 6 - answer; 0-100 = (mean - 1) / 4 * 100):
    # participation Ann 5,5,5,5 -> 100; Ben 2,1,2,2 -> 18.75; Cy 3,3,3,4 -> 56.25; mean 58.33
    # presence Ann 4,4,4,4 -> 75; Ben 1,2,1,1 -> 6.25; Cy 3,3,3,3 -> 50; mean 43.75
    for label, mean in (("Client participation", "58"), ("Client presence", "44")):
        assert f"<td>{label}</td><td>3</td><td>{mean}</td>" in html
    assert "<svg" in html and "not enough responses" not in html
    assert not any(name in html for name in ANSWERS)  # no one is named in an aggregate


def test_live_results_refresh_themselves(db, cohort):
    coach = cohort["ident"]["Coach C"]
    live = LiveResults(db, coach, seconds=0.2)
    # set when a redraw showing Module 1's chart (other modules stay below the threshold) is done: its stamp comes last
    drawn = threading.Event()
    live.stamp.observe(lambda _change: "<svg" in m01_section(live.html.value) and drawn.set(), names="value")
    try:
        before = live.html.value
        assert "not enough responses" in m01_section(before) and "<svg" not in before
        for name in ANSWERS:
            answer(db, cohort, name)
        assert drawn.wait(10), "the live results were not redrawn with the new answers"
        assert "<svg" in live.html.value
        live.auto.value = False
        save_answer(db, cohort["ident"]["Ann"], cohort["ident"]["Ann"].person_id, "m01", "coproduction", "cp1", 1)
        stamp = live.stamp.value
        time.sleep(0.8)
        assert live.stamp.value == stamp  # switched off: no redraw
        live.button.click()
        assert "25 answers" in live.stamp.value
    finally:
        live.stop()


def test_coaching_tab_notes_private_until_shared_and_follow_up(db, cohort):
    ann = cohort["ident"]["Ann"]
    aid = save_action(db, ann, ann.person_id, {"text": "Hold a quarterly review with the client", "owner": "Ann", "measure": "review held",
                                               "due": "2001-01-01", "realistic": True})
    page = coach_page(db=db)
    sign_in(page, cohort["people"]["Coach C"]["code"])
    [person] = [d for d in find(page, w.Dropdown) if d.description == "Person" and ("Ann", ann.person_id) in d.options and len(d.options) == 3]
    person.value = ann.person_id
    text = html_text(page)
    assert "Hold a quarterly review with the client" in text and "overdue" in text
    areas = [a for a in find(page, w.Textarea) if a.placeholder == "Goal"]
    areas[0].value = "Own the <b>client</b> review"
    button(page, "Save GROW note").click()
    assert notes_for(db, ann, ann.person_id) == []  # private
    assert "Own the &lt;b&gt;client&lt;/b&gt; review" in html_text(page)
    [pick] = [d for d in find(page, w.Dropdown) if d.description == "Note"]
    assert pick.value
    button(page, "Share").click()
    assert [n.fields["goal"] for n in notes_for(db, ann, ann.person_id)] == ["Own the <b>client</b> review"]
    [status] = [d for d in find(page, w.Dropdown) if d.description == "Status"]
    status.value = "done"
    [follow] = [t for t in find(page, w.Text) if t.description == "Follow-up"]
    follow.value = "confirmed on the call"
    button(page, "Save follow-up").click()
    [a] = action_plan(db, ann, ann.person_id)
    assert (a.id, a.status, a.follow_up, a.by) == (aid, "done", "confirmed on the call", "coach")


def test_cohort_tab_invites_reissues_and_closes(db, cohort):
    page = coach_page(db=db)
    sign_in(page, cohort["people"]["Coach C"]["code"])
    auth = AccessCodeAuthenticator(db)
    [name] = [t for t in find(page, w.Text) if t.description == "Name"]
    name.value = "Dee"
    button(page, "Invite").click()
    text = html_text(page)
    code = text.split('<code class="wb-code">')[1].split("<")[0]
    assert auth.authenticate(code).name == "Dee"
    [who] = [d for d in find(page, w.Dropdown) if d.description == "Person" and any("(trainee)" in o[0] for o in d.options)]
    who.value = [v for label, v in who.options if label == "Dee (trainee)"][0]
    button(page, "Re-issue code").click()
    new = html_text(page).split('<code class="wb-code">')[1].split("<")[0]
    assert new != code and auth.authenticate(new).name == "Dee"
    with pytest.raises(AccessDenied):
        auth.authenticate(code)
    button(page, "Close cohort").click()
    assert "Tick the box" in html_text(page)
    [confirm] = [c for c in find(page, w.Checkbox) if c.description.startswith("Yes, close")]
    confirm.value = True
    button(page, "Close cohort").click()
    name.value = "Eve"
    button(page, "Invite").click()
    assert "is closed; it takes no new people" in html_text(page)
