"""The "your results" redraw runs once, shortly after a burst of answers, and never loses the last one."""
from __future__ import annotations

import threading
import time

import ipywidgets as w
from widget_tools import find, one

from workbook.ui.widgets.deferred import Coalesced


def test_a_burst_of_triggers_runs_once_after_the_last():
    calls: list[float] = []
    c = Coalesced(lambda: calls.append(time.monotonic()), delay=0.3)
    start = time.monotonic()
    for _ in range(5):
        c.trigger()
        time.sleep(0.05)
    assert calls == [] and c.pending
    c.settle()
    assert len(calls) == 1 and not c.pending
    time.sleep(0.5)
    assert len(calls) == 1, "a settled request must not run again when its timer would have fired"
    c.trigger()
    time.sleep(0.6)
    assert len(calls) == 2 and calls[1] - start > 0.3


def test_every_redraw_of_the_process_runs_on_one_thread_started_once():
    """A timer thread per trigger cost ~80 µs of CPU to start, five a visit (#17): one clock thread runs them all,
    each when due, in the order they fall due."""
    order: list[str] = []
    threads: set[threading.Thread] = set()

    def draw(name):
        def fn():
            order.append(name)
            threads.add(threading.current_thread())
        return fn

    late, early = Coalesced(draw("late"), delay=0.4), Coalesced(draw("early"), delay=0.1)
    for _ in range(5):
        late.trigger()
        early.trigger()
    time.sleep(0.8)
    assert order == ["early", "late"], order
    for _ in range(3):
        early.trigger()
        time.sleep(0.2)
    assert order == ["early", "late", "early", "early", "early"] and len(threads) == 1, (order, threads)
    assert sum(t.name == "workbook-coalesced" for t in threading.enumerate()) == 1


def test_a_failing_run_does_not_stop_the_clock():
    ran = threading.Event()

    def fail():
        raise RuntimeError("a redraw that fails")

    later = Coalesced(ran.set, delay=0.3)
    Coalesced(fail, delay=0.01).trigger()
    later.trigger()  # due after the failing one, asked before it fails: nothing else will wake the clock
    assert ran.wait(5), "a run due after a failing one never ran"
    assert sum(t.name == "workbook-coalesced" for t in threading.enumerate()) == 1


def test_settle_waits_for_a_run_the_clock_has_begun():
    started, done = threading.Event(), []

    def draw():
        started.set()
        time.sleep(0.3)
        done.append(1)

    c = Coalesced(draw, delay=0.01)
    c.trigger()
    assert started.wait(5)
    c.settle()  # the run is under way on the clock's thread: settle returns once it has drawn
    assert done == [1] and c.runs == 1 and not c.pending


def test_delay_zero_runs_in_the_callers_thread():
    seen = []
    c = Coalesced(lambda: seen.append(threading.current_thread()), delay=0)
    c.trigger()
    assert seen == [threading.current_thread()]


def test_runs_never_overlap_and_the_newest_data_is_drawn_last():
    data = {"v": 0}
    drawn: list[int] = []
    active = []

    def draw():
        active.append(1)
        assert len(active) == 1, "two redraws at once"
        snapshot = data["v"]
        time.sleep(0.15)
        drawn.append(snapshot)
        active.pop()

    c = Coalesced(draw, delay=0.05)
    for v in range(1, 6):
        data["v"] = v
        c.trigger()
        time.sleep(0.1)  # some triggers land while a redraw runs
    time.sleep(0.5)
    c.settle()
    assert drawn[-1] == 5


def test_module_page_acknowledges_answers_before_the_redraw(cohort, db, monkeypatch):
    """Served pages defer the redraw: five quick answers are all saved at once and the results
    are drawn once, showing all five."""
    from workbook.settings import reset_settings
    from workbook.store import current_answers
    from workbook.ui.pages.module import module_page

    monkeypatch.setenv("WORKBOOK_RESULTS_REFRESH_SECONDS", "5")
    reset_settings()
    ann = cohort["ident"]["Ann"]
    page = module_page("m01", db)
    page._signed_in(ann)
    results = one(page, "wb-results", w.HTML)
    before, runs = results.value, results.redraw.runs
    radios = find(page, "wb-likert", w.RadioButtons)
    statuses = find(page, "wb-status")  # found before the answers: a walk of the page would run the redraw
    for radio in radios:
        radio.value = 4
    # every answer is in the store already; the redraw is still waiting
    saved = current_answers(db, ann, ann.person_id, "coproduction")
    assert len(saved) == len(radios) and set(saved.values()) == {4}
    assert any("All answers saved" in x.value for x in statuses)
    assert results.value == before and results.redraw.pending
    results.redraw.settle()
    assert results.redraw.runs == runs + 1
    # by hand: every answer 4; cp3 and cp7 are reverse-keyed (2): each dimension (4+4+2+4)/4 = 3.5 -> 62.5 of 100
    assert "Overall co-production score: 62 / 100" in results.value and "<svg" in results.value  # 62.5 shown as 62
    assert results.value.count("<td>4/4</td>") == 2  # each dimension: 4 of its 4 items answered


def test_instrument_form_built_before_sign_in_serves_the_person_who_signs_in(cohort, db):
    """A preheated kernel builds Module 1's radio groups before its visitor comes; the visitor's
    page uses those very widgets, shows their saved answers and saves their new ones."""
    from workbook.content.catalogue import catalogue
    from workbook.store import current_answers, save_answer
    from workbook.ui.pages.module import module_page, warm_up
    from workbook.ui.widgets.likert import LikertForm

    ann = cohort["ident"]["Ann"]
    save_answer(db, ann, ann.person_id, "m01", "coproduction", "cp2", 5)
    page = module_page("m01", db)
    warm_up(catalogue().module("m01"), page.prebuilt)
    early = page.prebuilt["form"]
    assert all(r.value is None for r in early.radios.values())  # nobody's answers before sign-in
    page._signed_in(ann)
    forms = [x for x in find(page, "wb-likert", w.RadioButtons)]
    assert "form" not in page.prebuilt and forms == list(early.radios.values())
    assert early.radios["cp2"].value == 5
    early.radios["cp1"].value = 2
    assert current_answers(db, ann, ann.person_id, "coproduction") == {"cp1": 2, "cp2": 5}
    assert isinstance(early, LikertForm)


def test_inside_drawn_before_sent_a_redraw_runs_once_at_the_end_in_the_askers_context():
    """A page built before it is sent (a resumed visit) draws in its own thread when the build ends, once however
    often it was asked, in the context of the last ask (the page's language); no timer is left behind."""
    import contextvars

    from workbook.ui.widgets.deferred import drawn_before_sent

    lang = contextvars.ContextVar("lang", default="en")
    seen: list[tuple[str, threading.Thread]] = []
    c = Coalesced(lambda: seen.append((lang.get(), threading.current_thread())), delay=86400)
    other = Coalesced(lambda: seen.append(("other", threading.current_thread())), delay=86400)
    with drawn_before_sent():
        c.trigger()
        with drawn_before_sent():  # a nested block joins the outer one
            lang.set("fr")
            c.trigger()
            other.trigger()
        assert seen == [] and not c.pending
    assert seen == [("fr", threading.current_thread()), ("other", threading.current_thread())]
    assert c.runs == 1 and not c.pending
    c.trigger()  # after the block: the timer again
    assert c.pending and len(seen) == 2
    c.settle()
    assert c.runs == 2 and not c.pending


def test_a_sign_in_ticket_is_withdrawn_once_expired(db, cohort, monkeypatch):
    """The page's one-time cookie ticket leaves the page after ``signin_ticket_seconds``, on the clock's thread."""
    import dataclasses

    from workbook.ui.pages.module import module_page

    monkeypatch.setattr(db, "settings", dataclasses.replace(db.settings, signin_ticket_seconds=1))
    page = module_page("m01", db)
    page.signin.code.value = cohort["people"]["Ann"]["code"]
    assert "data-wb-ticket" in page._ticket.value
    time.sleep(1.6)
    assert page._ticket.value == ""
