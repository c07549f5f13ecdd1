"""Paths through the workbook (issue #12): the YAML checked against the modules, minutes and time
left (pure), the coach's choice in the store (access policy, append-only), the CLI, and the pages
(coach's control, home page, module page marks) driven through their widgets on a real SQLite store."""
from __future__ import annotations

from pathlib import Path

import pytest
from cli_run import run_cli
from widget_tools import button, find, html_text

from workbook.content.catalogue import catalogue, load_directory
from workbook.content.yaml_text import load_yaml
from workbook.domain.paths import plan, time_left
from workbook.errors import AccessDenied, ContentError, NotFound
from workbook.store import answered_exercises, cohort_path, path_of, save_answer, set_cohort_path

ROOT = Path(__file__).resolve().parents[3]
PATHS_YAML = ROOT / "exercises" / "paths.yaml"


def raw_workshop() -> dict:
    """The workshop path as written in the YAML (read here, not through the code under test)."""
    doc = load_yaml(PATHS_YAML.read_text(encoding="utf-8"))
    return next(p for p in doc["paths"] if p["id"] == "workshop")


def test_workshop_fits_three_hours_and_its_minutes_are_the_yamls():
    raw = raw_workshop()
    by_module = {m["module"]: sum(s["minutes"] for s in m["steps"]) for m in raw["modules"]}
    plans = {mp.module.id: mp for mp in plan(catalogue(), "workshop")}
    assert {k: plans[k].session_minutes for k in by_module} == by_module
    assert sum(by_module.values()) <= 180 == raw["total_minutes"]
    assert set(plans) == set(catalogue().modules), "every module is on the workshop path"


def test_what_the_workshop_leaves_out_is_marked_for_afterwards_not_dropped():
    raw = {m["module"]: m["steps"] for m in raw_workshop()["modules"]}
    for mp in plan(catalogue(), "workshop"):
        m = mp.module
        everything = {("read", s.heading) for s in m.sections} | {("do", i) for i in ([m.instrument] if m.instrument else []) + [e.id for e in m.exercises]}
        listed = {("read", s["read"]) if "read" in s else ("do", s["do"]) for s in raw.get(m.id, []) if "group" not in s}
        after = {(s.kind, s.ref) for s in mp.steps if not s.in_session}
        assert after == everything - listed, m.id
        assert all(s.minutes >= 1 for s in mp.steps)


def test_the_full_path_holds_every_section_and_exercise_in_session():
    for mp in plan(catalogue(), "full"):
        m = mp.module
        assert [s.ref for s in mp.steps if s.kind == "read"] == [s.heading for s in m.sections]
        assert {s.ref for s in mp.steps if s.kind == "do"} == set(([m.instrument] if m.instrument else []) + [e.id for e in m.exercises])
        assert mp.after_minutes == 0


def test_reading_minutes_follow_the_words_per_minute():
    wpm = load_yaml(PATHS_YAML.read_text(encoding="utf-8"))["estimates"]["reading_words_per_minute"]
    m = catalogue().module("m05")
    mp = next(p for p in plan(catalogue(), "full") if p.module.id == "m05")
    for section, step in zip(m.sections, [s for s in mp.steps if s.kind == "read"]):
        words = len(section.text.split())
        assert (step.minutes - 1) * wpm < words <= step.minutes * wpm or (words <= wpm and step.minutes == 1)


def test_time_left_drops_what_is_answered_and_everything_of_a_done_module():
    raw = {m["module"]: m["steps"] for m in raw_workshop()["modules"]}
    plans = plan(catalogue(), "workshop")
    start = time_left(plans, {}, {})
    assert start.session_left == start.session_total == sum(s["minutes"] for steps in raw.values() for s in steps)
    # one questionnaire answered in m01: its minutes and m01's reading are done
    t = time_left(plans, {}, {"m01": {"coproduction"}})
    done_now = sum(s["minutes"] for s in raw["m01"] if s.get("do") == "coproduction" or "read" in s)
    assert start.session_left - t.session_left == done_now
    assert t.after_left < start.after_left  # m01's other sections (for afterwards) count as read too
    # m02 marked done: all of it, group steps included
    t2 = time_left(plans, {"m02": "done"}, {})
    assert start.session_left - t2.session_left == sum(s["minutes"] for s in raw["m02"])


@pytest.mark.parametrize("edit, expect", [
    (lambda t: t.replace("{do: servuction_map,", "{do: servuction_mapp,"), "has no exercise or questionnaire 'servuction_mapp'"),
    (lambda t: t.replace('{read: "Moments of truth"', '{read: "Moments of truths"'), "has no section headed 'Moments of truths'"),
    (lambda t: t.replace("- module: m07", "- module: m77"), "no module 'm77'"),
    (lambda t: t.replace("{do: ladder, minutes: 3}", "{do: ladder, minutes: 30}"), "more than its total_minutes 180"),
    (lambda t: t.replace("default: full", "default: half"), "default: 'half' is not one of workshop, full"),
    (lambda t: t.replace("page: quiz_before.ipynb", "page: quiz_first.ipynb"), "no page 'quiz_first.ipynb' in notebooks/"),
    (lambda t: t.replace("done_when: quiz_a", "done_when: quiz_z"), "no exercise, questionnaire or quiz form stored as 'quiz_z'"),
    (lambda t: t.replace("{do: ladder, minutes: 3}", "{do: ladder, read: x, minutes: 3}"), "exactly one of read, do, group"),
])
def test_a_wrong_reference_fails_the_content_check_in_one_line(edited_content, edit, expect):
    directory = edited_content("paths.yaml", edit)
    with pytest.raises(ContentError) as exc:
        load_directory(directory)
    msg = str(exc.value)
    assert expect in msg and "paths.yaml" in msg and "\n" not in msg


def test_only_staff_of_the_cohort_set_the_path_and_a_trainee_reads_their_own(db, cohort, admin):
    from workbook.store import AccessCodeAuthenticator, create_cohort, invite
    from workbook.store.models import CohortSetting

    ann, coach, hr = (cohort["ident"][n] for n in ("Ann", "Coach C", "HR H"))
    assert path_of(db, ann, ann.person_id) == "full"  # the YAML's default until a coach chooses
    with pytest.raises(AccessDenied):
        set_cohort_path(db, ann, cohort["id"], "workshop")
    other = create_cohort(db, admin, "Cohort B")
    _pid, code = invite(db, admin, other, "Coach B", "coach")
    coach_b = AccessCodeAuthenticator(db).authenticate(code)
    with pytest.raises(AccessDenied):
        set_cohort_path(db, coach_b, cohort["id"], "workshop")
    with pytest.raises(AccessDenied):
        path_of(db, coach_b, ann.person_id)
    with pytest.raises(AccessDenied):
        path_of(db, ann, cohort["ident"]["Ben"].person_id)
    with pytest.raises(NotFound) as exc:
        set_cohort_path(db, coach, cohort["id"], "weekend")
    assert "workshop, full" in str(exc.value)
    set_cohort_path(db, coach, cohort["id"], "workshop")
    assert path_of(db, ann, ann.person_id) == "workshop" == cohort_path(db, coach, cohort["id"])
    set_cohort_path(db, hr, cohort["id"], "full")
    assert path_of(db, ann, ann.person_id) == "full"
    assert cohort_path(db, coach_b, other) == "full"  # another cohort is untouched
    with db.session() as s:  # append-only: both choices kept
        assert [r.value for r in s.query(CohortSetting).order_by(CohortSetting.id)] == ["workshop", "full"]


def test_answered_exercises_per_module(db, cohort):
    ann = cohort["ident"]["Ann"]
    save_answer(db, ann, ann.person_id, "m01", "coproduction", "cp1", 4)
    save_answer(db, ann, ann.person_id, "m01", "reflection", "text", "We plan the visit with the client.")
    assert answered_exercises(db, ann, ann.person_id) == {"m01": {"coproduction", "reflection"}}
    with pytest.raises(AccessDenied):
        answered_exercises(db, ann, cohort["ident"]["Ben"].person_id)


def test_a_persons_path_state_is_the_three_reads_in_one(db, cohort):
    """``path_state`` (one transaction, one access check: a page's sign-in, #17) says what ``path_of``, ``progress``
    and ``answered_exercises`` say, for the person and for their coach, and refuses whom they refuse."""
    from workbook.store import path_state, progress, set_progress

    ann, ben, coach = (cohort["ident"][n] for n in ("Ann", "Ben", "Coach C"))
    save_answer(db, ann, ann.person_id, "m01", "coproduction", "cp1", 4)
    set_progress(db, ann, ann.person_id, "m02", "done")
    set_cohort_path(db, coach, cohort["id"], "workshop")
    for actor in (ann, coach):
        state = path_state(db, actor, ann.person_id)
        assert state == (path_of(db, actor, ann.person_id), progress(db, actor, ann.person_id), answered_exercises(db, actor, ann.person_id))
        assert state == ("workshop", {"m01": "in_progress", "m02": "done"}, {"m01": {"coproduction"}})
    with pytest.raises(AccessDenied):
        path_state(db, ann, ben.person_id)


def test_cli_sets_and_shows_the_cohort_path(settings_env, monkeypatch, capsys, admin):
    from workbook.store import create_cohort, open_database

    create_cohort(open_database(), admin, "Spring 2027")
    assert run_cli(monkeypatch, settings_env, "cohort", "path", "Spring 2027", "workshop") == 0
    assert capsys.readouterr().out.strip() == "Spring 2027\tworkshop\t3-hour workshop"
    assert run_cli(monkeypatch, settings_env, "cohort", "path", "Spring 2027") == 0
    assert "workshop" in capsys.readouterr().out
    assert run_cli(monkeypatch, settings_env, "cohort", "path", "Spring 2027", "weekend") == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("workbook: error: no path 'weekend'") and "\n" not in err
    assert run_cli(monkeypatch, settings_env, "cohort", "path", "Spring 2027") == 0
    assert "\tworkshop\t" in capsys.readouterr().out  # the refused call changed nothing


def test_coach_sets_the_workshop_path_and_the_trainee_pages_show_it(db, cohort):
    import ipywidgets as w

    from workbook.ui.pages.coach import coach_page
    from workbook.ui.pages.home import home_page
    from workbook.ui.pages.module import module_page

    raw = {m["module"]: m["steps"] for m in raw_workshop()["modules"]}
    coach = coach_page(db=db)
    coach.signin.code.value = cohort["people"]["Coach C"]["code"]
    [dropdown] = [d for d in find(coach, w.Dropdown) if d.description == "Path"]
    dropdown.value = "workshop"
    button(coach, "Use this path for the cohort").click()
    assert 'data-path="workshop"' in html_text(coach)

    home = home_page(db=db)
    home.signin.code.value = cohort["people"]["Ann"]["code"]
    text = html_text(home)
    assert "Your path: 3-hour workshop" in text
    total = sum(s["minutes"] for steps in raw.values() for s in steps)
    assert f"<b>{total} min</b>" in text  # the session's total, from the YAML
    assert f"{total} min left of {total} min" in text

    page = module_page("m04", db=db)
    page.signin.code.value = cohort["people"]["Ann"]["code"]
    text = html_text(page)
    box = text[text.index("wb-path-module"):]
    for step in raw["m04"]:
        assert f"in the workshop · {step['minutes']} min" in box
    assert "for afterwards" in box and "A grid for the gaps" in box  # not in the workshop: marked, still there
    teaching = page.children[4].value  # the intro, re-rendered with the marks
    assert teaching.count("wb-path-mark") == len(catalogue().module("m04").sections)
    assert 'data-step="gaps"' in text and "for afterwards" in text[text.index('data-step="gaps"'):][:300]
    # the IPA exercise (for afterwards) is still on the page
    assert "wb-path-later" in text


def test_the_quiz_steps_link_their_page_and_count_as_done_once_the_form_is_answered(db, cohort):
    from workbook.domain.quiz_scoring import MODULE
    from workbook.ui.pages.module import module_page

    raw = {m["module"]: m["steps"] for m in raw_workshop()["modules"]}
    quiz_steps = [(mid, s) for mid, steps in raw.items() for s in steps if s.get("page")]
    assert {s["page"] for _m, s in quiz_steps} == {"quiz_before.ipynb", "quiz_after.ipynb"}
    plans = plan(catalogue(), "workshop")
    before = next(s for _m, s in quiz_steps if s["page"] == "quiz_before.ipynb")
    start = time_left(plans, {}, {})
    assert start.session_left - time_left(plans, {}, {MODULE: {before["done_when"]}}).session_left == before["minutes"]

    ann = cohort["ident"]["Ann"]
    set_cohort_path(db, cohort["ident"]["Coach C"], cohort["id"], "workshop")
    quiz = catalogue().quiz
    form = next(f.id for f in quiz.forms if quiz.exercise(f.id) == before["done_when"])
    save_answer(db, ann, ann.person_id, MODULE, before["done_when"], quiz.questions_of(form)[0].id, 0)
    page = module_page("m01", db=db)
    page.signin.code.value = cohort["people"]["Ann"]["code"]
    box = html_text(page)
    box = box[box.index("wb-path-module"):]
    row = box[box.index("quiz_before.ipynb"):].split("</tr>")[0]
    assert "done" in row  # the form is answered: the step is ticked


def test_path_badges_are_rendered_once_per_language_and_stay_the_same(db, cohort, monkeypatch):
    """A module page's path marks (#17: ~15 badges a sign-in) are rendered once per kernel and language: a second
    person's marks, the same, render no badge again; in French they are French, not the English kept."""
    from workbook.i18n import using
    from workbook.render import fragments
    from workbook.ui.pages import path_view

    module = catalogue().module("m04")
    ann, ben = cohort["ident"]["Ann"], cohort["ident"]["Ben"]
    monkeypatch.setattr(path_view, "_RENDERED", {})
    rendered = []
    real = fragments.render_fragment
    monkeypatch.setattr(path_view, "render_fragment", lambda name, **kw: rendered.append(kw.get("part")) or real(name, **kw))
    first = path_view.module_marks(db, ann, module)
    badges = rendered.count("badge") + rendered.count("mark")
    assert badges >= len(module.sections)
    rendered.clear()
    assert path_view.module_marks(db, ben, module) == first  # the same path, nothing done: the same marks
    assert rendered == ["box"]  # the box (the person's steps) only
    with using("fr"):
        french = path_view.module_marks(db, ann, module)
    assert french[1] != first[1] and all("min" in mark for mark in french[1].values())
    assert path_view.module_marks(db, ann, module) == first
