"""Module 3 and the rater page, driven through their widgets against a real SQLite store."""
import ipywidgets as w
from widget_tools import find, one, walk

from workbook.content.catalogue import catalogue
from workbook.domain.profiles import BALANCED, GENERALIST, TECHNICAL, place
from workbook.domain.scoring import DimensionScore, score
from workbook.store import attempts, current_answers, save_answer

INST = "manager_profile"


def _signin(page, code):
    page.signin.code.value = code
    return page


def _likert(page):
    from workbook.ui.widgets.likert import LikertForm

    return next(x for x in walk(page) if isinstance(x, LikertForm))


def _answer_all(form, by_dimension):
    """Answer every item on the form so that each dimension's keyed value is ``by_dimension[dim]``."""
    for item in (form.instrument.item(i) for i in form.radios):
        v = by_dimension[item.dimension]
        form.radios[item.id].value = 6 - v if item.reverse else v


def _html(page, cls):
    return " ".join(x.value for x in find(page, cls, w.HTML))


def test_placement_by_hand():
    inst = catalogue().instrument(INST)
    poles = {"technical": ["technical", "operational"], "generalist": ["marketing", "leadership"]}
    # technical 5 -> 100, operational 4 -> 75, marketing 2 -> 25, leadership 3 -> 50
    answers = {i.id: {"technical": 5, "operational": 4, "marketing": 2, "leadership": 3}[i.dimension] for i in inst.items}
    answers = {k: (6 - v if inst.item(k).reverse else v) for k, v in answers.items()}
    p = place(score(inst, answers), poles)
    assert (p.technical, p.generalist, p.position) == (87.5, 37.5, -50.0)
    assert p.profile == TECHNICAL
    assert p.strengths == ("Technical expertise", "Operational excellence") and p.gaps == ("Marketing and client orientation",)
    # boundaries: exactly 15 points apart is a profile, just under is between the two
    mk = lambda t, g: [DimensionScore(d, d, None, s, 4, 4) for d, s in (("technical", t), ("operational", t), ("marketing", g), ("leadership", g))]
    assert place(mk(50, 65), poles).profile == GENERALIST
    assert place(mk(50, 64.9), poles).profile == BALANCED
    assert place(mk(70, 49.99), poles).gaps == ("marketing", "leadership") and place(mk(70, 50), poles).gaps == ()
    assert place(mk(70, 50), poles).strengths == ("technical", "operational")


def test_module3_self_assessment_places_person_and_routes_save(db, cohort):
    from workbook.ui.pages.module import module_page

    page = _signin(module_page("m03", db), cohort["people"]["Ann"]["code"])
    assert page.body.children, page.status.value
    assert "Answer at least two thirds" in _html(page, "wb-profile-result")
    _answer_all(_likert(page), {"technical": 5, "operational": 4, "marketing": 2, "leadership": 3})
    result = _html(page, "wb-profile-result")
    assert "closer to the technical and operational profile" in result
    assert "technical and operational 88/100, marketing and leadership 38/100" in result
    assert "Gaps to work on:</b> Marketing and client orientation" in result
    assert "<svg" in result
    one(page, "wb-choice-mentoring", w.Checkbox).value = True
    one(page, "wb-choice-training", w.Checkbox).value = True
    one(page, "wb-choice-training", w.Checkbox).value = False
    ann = cohort["ident"]["Ann"]
    assert current_answers(db, ann, ann.person_id, "routes") == {"mentoring": True, "training": False}
    again = _signin(module_page("m03", db), cohort["people"]["Ann"]["code"])
    assert one(again, "wb-choice-mentoring", w.Checkbox).value is True
    assert one(again, "wb-choice-coaching", w.Checkbox).value is False
    assert _likert(again).radios["mp1"].value == 5


def test_retake_keeps_attempts_and_compares_them(db, cohort):
    from workbook.ui.pages.module import module_page

    ann = cohort["ident"]["Ann"]
    page = _signin(module_page("m03", db), cohort["people"]["Ann"]["code"])
    form = _likert(page)
    _answer_all(form, {"technical": 2, "operational": 2, "marketing": 4, "leadership": 4})
    retake = next(x for x in walk(page) if isinstance(x, w.Button) and x.description == "Start a retake")
    retake.click()
    assert all(r.value is None for r in form.radios.values())  # the form is cleared for attempt 2
    assert "Answer at least two thirds" in _html(page, "wb-profile-result")
    _answer_all(form, {"technical": 3, "operational": 3, "marketing": 5, "leadership": 5})
    got = attempts(db, ann, ann.person_id, INST)
    assert sorted(got) == [1, 2] and got[1]["mp1"] == 2 and got[2]["mp1"] == 3
    table = _html(page, "wb-attempts")
    assert "<th>Attempt 1</th><th>Attempt 2</th>" in table
    assert "<tr><td>Technical expertise</td><td>25</td><td>50</td></tr>" in table
    assert "<svg" in table  # the line chart over attempts


def test_rater_page_shows_only_items_about_the_trainee_and_saves(db, cohort):
    from workbook.auth.identity import Identity
    from workbook.store import invite_rater, rater_answers
    from workbook.ui.pages.rater import rater_page

    ann = cohort["ident"]["Ann"]
    save_answer(db, ann, ann.person_id, "m03", INST, "mp1", 5)
    _rid, code = invite_rater(db, Identity.admin(), ann.person_id, "peer", INST, "Pat from ops")
    page = _signin(rater_page(db), code)
    assert page.body.children, page.status.value
    text = " ".join(x.value for x in walk(page) if isinstance(x, w.HTML))
    inst = catalogue().instrument(INST)

    assert all(_html_escape(i.text_360) in text for i in inst.items)
    assert not any(_html_escape(i.text) in text for i in inst.items)  # self phrasing never shown
    assert "Your feedback on Ann" in text
    labels = [label for label, _v in _likert(page).radios["mp1"].options]
    assert labels[0] == "1 Not at all like this person" and "Don't know" in labels
    assert "Pat from ops" not in text and "/100" not in text and "<svg" not in text  # no scores, no labels
    _likert(page).radios["mp2"].value = 4
    comment = one(page, "wb-rater-comment", w.Textarea)
    comment.value = "<b>steady</b>"
    assert rater_answers(db, page.identity) == {"mp2": 4, "_comment": "<b>steady</b>"}
    assert f"1 of {len(inst.items)} statements answered" in one(page, "wb-rater-status").value
    # the trainee's own answers are untouched
    assert current_answers(db, ann, ann.person_id, INST) == {"mp1": 5}


def test_client_rater_page_has_only_the_client_items(db, cohort):

    from workbook.auth.identity import Identity
    from workbook.store import invite_rater
    from workbook.ui.pages.rater import rater_page

    ann = cohort["ident"]["Ann"]
    _rid, code = invite_rater(db, Identity.admin(), ann.person_id, "client", INST, "Client A")
    page = _signin(rater_page(db), code)
    text = " ".join(x.value for x in walk(page) if isinstance(x, w.HTML))
    inst = catalogue().instrument(INST)
    leadership = [i for i in inst.items if i.dimension == "leadership"]
    assert leadership and not any(_html_escape(i.text_360) in text for i in leadership)
    shown = [i.id for i in inst.items_for("client")]
    assert list(_likert(page).radios) == shown
    assert all(_html_escape(inst.item(i).text_360) in text for i in shown)
    _likert(page).radios[shown[0]].value = 4
    assert f"1 of {len(shown)} statements answered" in one(page, "wb-rater-status").value


def test_trainee_code_cannot_open_rater_page(db, cohort):
    from workbook.ui.pages.rater import rater_page

    page = _signin(rater_page(db), cohort["people"]["Ann"]["code"])
    assert page.body.children == ()
    assert "this page is for the rater" in page.status.value


def _button(root, description):
    return next(x for x in walk(root) if isinstance(x, w.Button) and x.description == description)


def _widget_state(root) -> str:
    """Everything the page's widgets would send to the browser (their full synchronised state)."""
    import json

    return json.dumps([x.get_state() for x in walk(root)], default=str)


def test_360_round_from_nomination_to_results_after_closing(db, cohort):
    """Unit-level twin of the browser test: Ann nominates on Module 3, her coach approves and gets
    the codes (no SMTP), raters answer, results appear only once the coach closes the round."""
    import re

    from workbook.ui.pages.coach import coach_page
    from workbook.ui.pages.module import module_page
    from workbook.ui.pages.rater import rater_page

    page = _signin(module_page("m03", db), cohort["people"]["Ann"]["code"])
    _answer_all(_likert(page), {"technical": 5, "operational": 4, "marketing": 2, "leadership": 5})
    texts = {x.description: x for x in walk(page) if isinstance(x, w.Text)}
    category = next(x for x in walk(page) if isinstance(x, w.Dropdown) and x.description == "Rater is my")
    for n in range(5):
        category.value = "peer"
        texts["Name"].value, texts["E-mail"].value = f"Peer {n}", f"peer{n}@client.example"
        _button(page, "Nominate").click()
    assert "Peer 4" in _html(page, "wb-rater-list") and "waiting for the coach" in _html(page, "wb-rater-list")

    coach = _signin(coach_page(db), cohort["people"]["Coach C"]["code"])
    _button(coach, "Approve nominations").click()
    _button(coach, "Send codes").click()
    codes = re.findall(r'<code class="wb-coach-rater-code">([0-9A-Z-]+)</code>', _html(coach, "wb-coach-rater-codes"))
    assert len(codes) == 5  # the coach holds the codes (no SMTP server configured) ...
    _button(page, "Refresh results").click()
    state = _widget_state(page)
    assert not any(c in state or c.replace("-", "") in state for c in codes)  # ... the trainee's page never does
    assert "code given to the coach" in _html(page, "wb-rater-list")

    results = lambda: _html(page, "wb-360-results")
    for n, code in enumerate(codes):
        rp = _signin(rater_page(db), code)
        _answer_all(_likert(rp), {"technical": 4, "operational": 4, "marketing": 4, "leadership": 3})
        one(rp, "wb-rater-comment", w.Textarea).value = f"comment {n}"
        _button(page, "Refresh results").click()
        assert "No closed feedback round yet" in results() and "<svg" not in results()  # never live, answer by answer
        assert f"{n + 1} of 5 invited raters answered" in _html(page, "wb-360-round")
    coach_tab = next(x for x in walk(coach) if type(x).__name__ == "RaterAdmin")
    _button(coach_tab, "Close round").click()
    assert "Tick the box" in coach_tab.status.value
    coach_tab.confirm.value = True
    _button(coach_tab, "Close round").click()
    _button(page, "Refresh results").click()
    html = results()
    assert "Peers: 5 of 5 invited answered — shown" in html
    assert "<tr><td>Technical expertise</td><td>5.00</td><td" in html
    assert "Blind spots</b> (you rate yourself at least 1 point above your raters): Technical expertise, Leadership" in html
    assert "Hidden strengths</b> (at least 1 point below your raters): Marketing and client orientation" in html
    assert "<svg" in html and all(f"comment {n}" in html for n in range(5))  # 5 raters: comments shown
    assert "Peers: 5 of 5 invited answered" in _html(coach_tab, "wb-coach-360-results")


def test_pulse_round_before_and_after_per_behaviour_on_module_3_and_the_coach_tab(db, cohort):
    """After a closed round the coach starts a pulse on two behaviours; the same raters see only
    those on their page; once it closes, the trainee and the coach see before/after per behaviour."""
    import re

    from workbook.store import approve_raters, close_round, nominate_rater, send_rater_codes
    from workbook.ui.pages.coach import coach_page
    from workbook.ui.pages.module import module_page
    from workbook.ui.pages.rater import rater_page

    ann, coach_id = cohort["ident"]["Ann"], cohort["ident"]["Coach C"]
    for n in range(3):
        nominate_rater(db, ann, ann.person_id, f"Peer {n}", f"peer{n}@client.example", "peer", INST)
    nominate_rater(db, ann, ann.person_id, "Client", "client@client.example", "client", INST)
    approve_raters(db, coach_id, ann.person_id)
    first = send_rater_codes(db, coach_id, ann.person_id)
    for n, i in enumerate(first):  # mp1 before: peers 2, 2, 3; the lone client (5) stays out, as in every figure
        rp = _signin(rater_page(db), i.code)
        _likert(rp).radios["mp1"].value = 2 + (n == 2) if i.category == "peer" else 5
        if i.category == "peer":
            _likert(rp).radios["mp13a"].value = 4
    close_round(db, coach_id, ann.person_id, INST)

    coach = _signin(coach_page(db), cohort["people"]["Coach C"]["code"])
    tab = next(x for x in walk(coach) if type(x).__name__ == "RaterAdmin")
    tab.items.value = ("mp1", "mp13a")
    _button(tab, "Start pulse round").click()
    assert "Pulse round started" in tab.status.value, tab.status.value
    _button(tab, "Send codes").click()
    codes = re.findall(r'<code class="wb-coach-rater-code">([0-9A-Z-]+)</code>', _html(coach, "wb-coach-rater-codes"))
    assert len(codes) == 4  # the same four raters (the client judges mp1)
    for code in codes:
        rp = _signin(rater_page(db), code)
        form = _likert(rp)
        if "mp13a" in form.radios:  # a peer: both behaviours
            assert list(form.radios) == ["mp1", "mp13a"]
            form.radios["mp1"].value, form.radios["mp13a"].value = 4, 5
        else:  # the client does not judge leadership (mp13a)
            assert list(form.radios) == ["mp1"]
            form.radios["mp1"].value = 1
    page = _signin(module_page("m03", db), cohort["people"]["Ann"]["code"])
    assert _html(page, "wb-360-pulse") == ""  # pulse open: nothing yet
    tab.kind.value = "pulse"
    tab.confirm.value = True
    _button(tab, "Close round").click()
    _button(page, "Refresh results").click()
    pulse = _html(page, "wb-360-pulse")
    inst = catalogue().instrument(INST)
    # mp1: before (2 + 2 + 3) / 3 = 2.33, after (4 + 4 + 4) / 3 = 4.00 (the lone client left out); mp13: before 4, after 5
    mp1, mp13 = (_html_escape(inst.item(i).text_360) for i in ("mp1", "mp13a"))
    assert f"<tr><td>{mp1}</td><td>2.33</td><td>4.00</td><td>+1.67</td></tr>" in pulse
    key13 = (lambda v: 6 - v) if inst.item("mp13a").reverse else (lambda v: v)
    assert f"<tr><td>{mp13}</td><td>{key13(4):.2f}</td><td>{key13(5):.2f}</td><td>{key13(5) - key13(4):+.2f}</td></tr>" in pulse
    assert "before and after" in _html(tab, "wb-coach-360-results") or "before and after" in " ".join(
        x.value for x in walk(tab) if isinstance(x, w.HTML))


def _html_escape(text):
    from markupsafe import escape  # the escaping the workbook uses (workbook.render.html.esc)

    return str(escape(text))


def test_360_intro_asks_for_the_threshold_in_force_and_says_the_manager_is_not_shown_alone(db, cohort):
    """Module 3's 360 intro (issue #15): the number of raters per group is the anonymity threshold the
    results apply (workbook.domain.feedback360.category_visible), and the manager, a group of one, is
    not among the groups asked for that many raters, in every language."""
    import re

    from workbook.ui.pages.module import module_page
    from workbook.ui.widgets.exercises.feedback360 import intro_text

    for language, manager in (("en", "manager"), ("fr", "supérieur hiérarchique"), ("zh", "上级")):
        intro = next(e for e in catalogue(language).module("m03").exercises if e.id == "feedback").model_extra["intro"]
        text = intro_text(intro, 4)
        invite = re.split(r"[.。]", text)[0]  # the sentence asking for raters, with its list of groups
        assert "4" in invite and manager not in invite.lower() and "{" not in text
        assert manager in text.lower()  # the manager's rule is stated
    page = _signin(module_page("m03", db), cohort["people"]["Ann"]["code"])
    shown = " ".join(x.value for x in walk(page) if isinstance(x, w.HTML))
    assert f"Invite at least {db.settings.anonymity_threshold} raters" in shown and "{threshold}" not in shown
