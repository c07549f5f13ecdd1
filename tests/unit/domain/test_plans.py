"""Module 9: SMART action plans and coaching notes in the store; the module page saves both."""
from datetime import date, timedelta

import ipywidgets as w
import pytest
from widget_tools import button, find, html_text

from workbook.domain.action_plan import SMART_VARIANT, from_rows, smart_problems
from workbook.errors import AccessDenied, InvalidAnswer, NotFound
from workbook.store import action_plan, cohort_action_plans, current_answers, notes_for, progress, save_action, save_note, set_shared
from workbook.store.models import Answer, CoachNote

GOOD = {"text": "Run a kick-off workshop with the client's site team", "owner": "Ann", "measure": "workshop held, minutes sent",
        "due": "2030-03-01", "realistic": True}


def rows(db, model) -> int:
    with db.session() as s:
        return s.query(model).count()


def test_smart_checks_each_of_doran_criteria():
    assert "Doran" in SMART_VARIANT and "Assignable" in SMART_VARIANT
    assert smart_problems(GOOD) == []
    for field, word in [("text", "Specific"), ("measure", "Measurable"), ("owner", "Assignable"), ("realistic", "Realistic"), ("due", "Time-related")]:
        broken = {**GOOD, field: "" if field != "realistic" else False}
        problems = smart_problems(broken)
        assert len(problems) == 1 and problems[0].startswith(word), (field, problems)


def test_plan_is_append_only_and_the_latest_change_wins(db, cohort):
    ann = cohort["ident"]["Ann"]
    pid = ann.person_id
    before = rows(db, Answer)
    aid = save_action(db, ann, pid, GOOD)
    save_action(db, ann, pid, {"status": "in_progress", "comment": "agenda drafted"}, action_id=aid)
    save_action(db, ann, pid, {"due": "2030-04-01"}, action_id=aid)
    assert rows(db, Answer) == before + 3
    [a] = action_plan(db, ann, pid)
    assert (a.text, a.status, a.comment, a.due) == (GOOD["text"], "in_progress", "agenda drafted", date(2030, 4, 1))
    assert [h.get("status") for h in a.history] == ["planned", "in_progress", None]
    assert progress(db, ann, pid)["m09"] == "in_progress"


def test_overdue_only_while_open(db, cohort):
    ann = cohort["ident"]["Ann"]
    past = (date.today() - timedelta(days=3)).isoformat()
    aid = save_action(db, ann, ann.person_id, {**GOOD, "due": past})
    [a] = action_plan(db, ann, ann.person_id)
    assert a.overdue(date.today()) and a.days_late(date.today()) == 3
    save_action(db, ann, ann.person_id, {"status": "done"}, action_id=aid)
    [a] = action_plan(db, ann, ann.person_id)
    assert not a.overdue(date.today())


def test_coach_follows_up_but_cannot_rewrite_and_others_are_refused(db, cohort, admin):
    ann, ben, coach, hr = (cohort["ident"][n] for n in ("Ann", "Ben", "Coach C", "HR H"))
    aid = save_action(db, ann, ann.person_id, GOOD)
    save_action(db, coach, ann.person_id, {"status": "in_progress", "follow_up": "checked on 12 May"}, action_id=aid)
    [a] = action_plan(db, hr, ann.person_id)  # HR reads
    assert (a.status, a.follow_up, a.by) == ("in_progress", "checked on 12 May", "coach")
    with pytest.raises(AccessDenied):
        save_action(db, coach, ann.person_id, {"text": "something else entirely here"}, action_id=aid)
    with pytest.raises(AccessDenied):
        save_action(db, hr, ann.person_id, {"status": "done"}, action_id=aid)
    with pytest.raises(AccessDenied):
        action_plan(db, ben, ann.person_id)
    with pytest.raises(AccessDenied):
        save_action(db, ben, ann.person_id, {"status": "done"}, action_id=aid)
    with pytest.raises(NotFound):
        save_action(db, coach, ann.person_id, {"status": "done"}, action_id="nope")
    assert list(cohort_action_plans(db, coach, cohort["id"])[ann.person_id]) == [a]


def test_bad_values_are_refused_with_the_field_named(db, cohort):
    ann = cohort["ident"]["Ann"]
    with pytest.raises(InvalidAnswer, match=r"\.due: '31/12/2030' is not a date"):
        save_action(db, ann, ann.person_id, {**GOOD, "due": "31/12/2030"})
    with pytest.raises(InvalidAnswer, match=r"\.status: 'finished'"):
        save_action(db, ann, ann.person_id, {**GOOD, "status": "finished"})
    with pytest.raises(InvalidAnswer, match="malformed"):
        from_rows("a1", [(42, "", None)], where="person 7")


def test_coach_notes_are_private_until_shared(db, cohort):
    ann, ben, coach, hr = (cohort["ident"][n] for n in ("Ann", "Ben", "Coach C", "HR H"))
    thread = save_note(db, coach, ann.person_id, {"goal": "lead the client review", "reality": "<script>x</script>"}, session="2030-01-10")
    assert [n.fields["goal"] for n in notes_for(db, coach, ann.person_id)] == ["lead the client review"]
    assert notes_for(db, ann, ann.person_id) == [] and notes_for(db, hr, ann.person_id) == []
    before = rows(db, CoachNote)
    set_shared(db, coach, ann.person_id, thread, True)
    assert rows(db, CoachNote) == before + 1  # a new version, the old row untouched
    [seen] = notes_for(db, ann, ann.person_id)
    assert seen.shared and seen.fields["reality"] == "<script>x</script>" and seen.versions == 2
    assert len(notes_for(db, hr, ann.person_id)) == 1
    set_shared(db, coach, ann.person_id, thread, False)
    assert notes_for(db, ann, ann.person_id) == []
    for actor in (ann, hr):
        with pytest.raises(AccessDenied):
            save_note(db, actor, ann.person_id, {"goal": "x"})
    with pytest.raises(AccessDenied):
        notes_for(db, ben, ann.person_id)
    with pytest.raises(InvalidAnswer, match="empty"):
        save_note(db, coach, ann.person_id, {"goal": "  "})


def test_module_9_page_saves_grow_and_a_smart_action(db, cohort):
    from workbook.store import save_answer
    from workbook.ui.pages.module import module_page

    ann = cohort["ident"]["Ann"]
    for item, value in {"cp1": 5, "cp2": 4, "cp4": 5, "cp5b": 2, "cp6": 1, "cp8": 2}.items():
        save_answer(db, ann, ann.person_id, "m01", "coproduction", item, value)
    page = module_page("m09", db=db)
    page._signed_in(ann)
    text = html_text(page)
    assert "Client participation 92/100" in text  # (5+4+5)/3 -> 4.67 -> 91.7, from scoring
    areas = [a for a in find(page, w.Textarea) if "Saved when you leave" in a.placeholder]
    assert len(areas) == 4
    areas[0].value = "Lead our next client business review myself"
    assert current_answers(db, ann, ann.person_id, "grow") == {"goal": "Lead our next client business review myself"}
    what = [a for a in find(page, w.Textarea) if a.placeholder.startswith("Specific")][0]
    what.value = "Call"
    button(page, "Add action").click()
    assert action_plan(db, ann, ann.person_id) == [] and "Not SMART yet" in html_text(page)
    what.value = GOOD["text"]
    [m] = [t for t in find(page, w.Text) if t.description == "Measure"]
    m.value = GOOD["measure"]
    find(page, w.DatePicker)[0].value = date(2030, 3, 1)
    find(page, w.Checkbox)[0].value = True
    button(page, "Add action").click()
    [a] = action_plan(db, ann, ann.person_id)
    assert (a.text, a.owner, a.due) == (GOOD["text"], "Ann", date(2030, 3, 1))
    assert "Run a kick-off workshop with the client&#39;s site team" in html_text(page)


def test_an_action_names_the_360_behaviours_it_works_on(db, cohort):
    """The behaviours are item ids of a 360 instrument: kept with the action, unknown or malformed
    ones refused in one line naming the field, and the pulse round's items derived from them."""
    from workbook.domain.action_plan import pulse_items

    ann = cohort["ident"]["Ann"]
    first = save_action(db, ann, ann.person_id, {**GOOD, "behaviours": ["mp5a", "mp13b"]})
    second = save_action(db, ann, ann.person_id, {**GOOD, "text": "Visit two client sites with the service lead", "behaviours": ["mp13b", "mp9"]})
    dropped = save_action(db, ann, ann.person_id, {**GOOD, "text": "Rewrite the whole onboarding handbook alone", "behaviours": ["mp2"]})
    save_action(db, ann, ann.person_id, {"status": "dropped"}, action_id=dropped)
    plan = {a.id: a for a in action_plan(db, ann, ann.person_id)}
    assert plan[first].behaviours == ("mp5a", "mp13b") and plan[second].behaviours == ("mp13b", "mp9")
    save_action(db, ann, ann.person_id, {"status": "in_progress"}, action_id=first)  # a later change keeps them
    plan = action_plan(db, ann, ann.person_id)
    assert [a.behaviours for a in plan if a.id == first] == [("mp5a", "mp13b")]
    # dropped actions and items of another instrument aside, in the instrument's order, once each
    assert pulse_items(plan, ["mp2", "mp5a", "mp9", "mp13b"]) == ["mp5a", "mp9", "mp13b"]
    assert pulse_items(plan, ["mp9"]) == ["mp9"]
    before = rows(db, Answer)
    with pytest.raises(InvalidAnswer, match=r"\.behaviours: nope is not an item of a 360 instrument"):
        save_action(db, ann, ann.person_id, {**GOOD, "behaviours": ["mp5a", "nope"]})
    with pytest.raises(InvalidAnswer, match=r"\.behaviours: expected a list of 360 item ids"):
        save_action(db, ann, ann.person_id, {**GOOD, "behaviours": "mp5a"})
    with pytest.raises(InvalidAnswer, match=r"\.behaviours: 11 behaviours; an action targets at most 10"):
        save_action(db, ann, ann.person_id, {**GOOD, "behaviours": [f"mp{n}" for n in range(1, 12)]})
    assert rows(db, Answer) == before


def test_module_9_action_picks_behaviours_and_the_coach_pulse_round_starts_from_them(db, cohort):
    from workbook.ui.pages.coach_raters import RaterAdmin
    from workbook.ui.pages.module import module_page

    ann, coach = cohort["ident"]["Ann"], cohort["ident"]["Coach C"]
    page = module_page("m09", db=db)
    page._signed_in(ann)
    [what] = [a for a in find(page, w.Textarea) if a.placeholder.startswith("Specific")]
    what.value = GOOD["text"]
    [m] = [t for t in find(page, w.Text) if t.description == "Measure"]
    m.value = GOOD["measure"]
    find(page, w.DatePicker)[0].value = date(2030, 3, 1)
    find(page, w.Checkbox)[0].value = True
    [pick] = find(page, "wb-plan-behaviours-pick")
    ticks = {box.description: box for box in find(pick, w.Checkbox)}
    ticks[next(d for d in ticks if d.endswith("(mp13b)"))].value = True  # ticked as a person does, one box each
    ticks[next(d for d in ticks if d.endswith("(mp5a)"))].value = True
    button(page, "Add action").click()
    [a] = action_plan(db, ann, ann.person_id)
    assert set(a.behaviours) == {"mp5a", "mp13b"} and pick.value == () and not any(b.value for b in ticks.values())
    assert "<ul class=\"wb-plan-behaviours\"" in html_text(page)
    admin = RaterAdmin(db, coach)
    admin.person.value = ann.person_id
    admin.refresh()
    assert admin.items.value == ("mp5a", "mp13b")  # the instrument's order
