"""Accessibility in a real browser (issue #16, WCAG 2.1 AA): axe-core (``axe-playwright-python``) on every
served page, signed in as each role that may open it (and as a visitor, before sign-in), after the widgets are
drawn; every tab of the coach page. No serious or critical violation is allowed anywhere; the counts by impact
of every page × role go to ``test-artifacts/axe_table.md`` (the README's table) and the rules found to
``test-artifacts/axe_violations.json``.

Also: a keyboard-only walk through Module 1 (sign in, every item by arrow keys, a reflection typed, "Next"
reached) with the answers read back from the database and a visible focus indicator on every stop; the
Likert item's radio group is named by the item's text and its options by their labels."""
from __future__ import annotations

import json
import time

import pytest
from servers import TRACEBACK, VoilaServer, sign_in_or_resume

pytestmark = [pytest.mark.browser, pytest.mark.slow]
playwright_api = pytest.importorskip("playwright.sync_api")
axe_api = pytest.importorskip("axe_playwright_python.sync_playwright")

SLOW = 120_000
IMPACTS = ("critical", "serious", "moderate", "minor")
MODULES = [f"0{n}_{name}.ipynb" for n, name in enumerate(
    ["servuction", "time_space", "manager_profiles", "process_outcome", "experience", "triangle", "culture", "essence", "coaching"], start=1)]
PEOPLE = ("trainee", "coach", "hr")
# every served notebook and the roles that may open it ("visitor": the page before sign-in, or a page without one)
PAGES: list[tuple[str, tuple[str, ...]]] = [
    ("00_home.ipynb", ("visitor", *PEOPLE)),
    *[(m, ("visitor", *PEOPLE)) for m in MODULES],
    ("quiz_before.ipynb", ("visitor", *PEOPLE)),
    ("quiz_after.ipynb", ("visitor", *PEOPLE)),
    ("coach.ipynb", ("visitor", "coach")),
    ("hr.ipynb", ("visitor", "hr")),
    ("facilitator.ipynb", ("visitor", "coach", "hr")),
    ("rater.ipynb", ("visitor", "rater")),
    ("handout.ipynb?module=m01", ("visitor",)),
    ("glossary.ipynb", ("visitor",)),
    ("sources.ipynb", ("visitor",)),
]
CASES = [(nb, role) for nb, roles in PAGES for role in roles]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = VoilaServer.start(tmp_path_factory.mktemp("voila-a11y"), env={"WORKBOOK_POOL_SIZE": "1"})
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def people(server, served_db) -> dict[str, tuple[str, str]]:
    """role -> (code, name): the demo's coach, HR and first trainee, and a rater of that trainee."""
    from workbook.auth.identity import Identity
    from workbook.store import AccessCodeAuthenticator, invite_rater

    out = {role: (server.codes(role)[0], server.names(role)[0]) for role in PEOPLE}
    trainee = AccessCodeAuthenticator(served_db).authenticate(out["trainee"][0], source="test")
    _rid, code = invite_rater(served_db, Identity.admin(), trainee.person_id, "peer", "manager_profile", "Pat from operations")
    out["rater"] = (code, "Pat from operations")
    return out


@pytest.fixture(scope="module")
def table(artifacts):
    """(page, role) -> {impact: count of violating nodes}; written out when the module ends."""
    counts: dict[tuple[str, str], dict[str, int]] = {}
    rules: dict[str, dict] = {}
    yield counts, rules
    lines = ["| page | role | critical | serious | moderate | minor |", "| --- | --- | --- | --- | --- | --- |"]
    lines += [f"| {p} | {r} | " + " | ".join(str(c.get(i, 0)) for i in IMPACTS) + " |" for (p, r), c in counts.items()]
    (artifacts / "axe_table.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (artifacts / "axe_violations.json").write_text(json.dumps(rules, indent=1, ensure_ascii=False), encoding="utf-8")


@pytest.fixture(scope="module")
def contexts(browser, server, people):
    """One browser context per role, signed in once on the home page (later pages resume from the cookie)."""
    made: dict[str, object] = {}

    def get(role: str):
        if role not in made:
            ctx = browser.new_context(viewport={"width": 1280, "height": 900})
            if role in PEOPLE:
                pg = ctx.new_page()
                pg.set_default_timeout(SLOW)
                code, name = people[role]
                sign_in_or_resume(pg, server.page_url("00_home.ipynb"), code, name, timeout=SLOW)
                pg.close()
            made[role] = ctx
        return made[role]

    yield get
    for ctx in made.values():
        ctx.close()


def settle(page, quiet_ms: int = 1500, timeout: float = 60.0) -> None:
    """Wait until the page stops changing (widgets drawn, results rendered): the DOM's size is the same for ``quiet_ms``."""
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        now = page.evaluate("[document.getElementsByTagName('*').length, document.body ? document.body.innerText.length : 0]")
        if now != last:
            last, since = now, time.monotonic()
        elif (time.monotonic() - since) * 1000 >= quiet_ms:
            return
        page.wait_for_timeout(250)


def audit(page) -> list[dict]:
    """axe-core's violations on the page as it is now (every rule axe runs by default)."""
    return axe_api.Axe().run(page).response["violations"]


def record(table, key: tuple[str, str], violations: list[dict]) -> dict[str, int]:
    counts, rules = table
    c = {i: 0 for i in IMPACTS}
    for v in violations:
        c[v["impact"]] = c.get(v["impact"], 0) + len(v["nodes"])
        r = rules.setdefault(v["id"], {"impact": v["impact"], "help": v["help"], "pages": {}, "examples": []})
        r["pages"][" × ".join(key)] = len(v["nodes"])
        for n in v["nodes"][:3]:
            if len(r["examples"]) < 6:
                r["examples"].append({"page": " × ".join(key), "target": n["target"], "html": n["html"][:300], "summary": n.get("failureSummary", "")[:400]})
    counts[key] = c
    return c


def serious(violations: list[dict]) -> list[str]:
    return [f"{v['id']} ({v['impact']}, {len(v['nodes'])}): {v['help']}; e.g. {v['nodes'][0]['html'][:200]}"
            for v in violations if v["impact"] in ("serious", "critical")]


def open_as(page, server, people, notebook: str, role: str) -> None:
    if role == "visitor":
        page.goto(server.page_url(notebook), wait_until="domcontentloaded", timeout=SLOW)
        page.wait_for_selector(".wb-page", timeout=SLOW)
        if not notebook.startswith(("handout", "glossary", "sources")):
            page.wait_for_selector("input[type=password]", state="visible", timeout=SLOW)
    elif role == "rater":  # a rater signs in on the rater page only
        page.goto(server.page_url(notebook), wait_until="domcontentloaded", timeout=SLOW)
        page.fill("input[type=password]", people[role][0])
        page.click("text=Sign in")
        page.wait_for_selector(".wb-likert", timeout=SLOW)
    else:
        code, name = people[role]
        sign_in_or_resume(page, server.page_url(notebook), code, name, timeout=SLOW)
    settle(page)
    text = page.inner_text("body")
    assert not TRACEBACK.search(text), f"{notebook} as {role} shows a traceback"


@pytest.mark.parametrize(("notebook", "role"), CASES, ids=[f"{nb.split('.')[0]}-{r}" for nb, r in CASES])
def test_axe_finds_no_serious_or_critical_violation(server, people, contexts, table, notebook, role):
    page = contexts(role).new_page()
    page.set_default_timeout(SLOW)
    try:
        open_as(page, server, people, notebook, role)
        found = audit(page)
        record(table, (notebook, role), found)
        bad = serious(found)
        if notebook == "coach.ipynb" and role == "coach":
            # every tab, each after it is drawn; the statistics tab after its figures are computed
            tabs = page.get_by_role("tab")
            for n in range(tabs.count()):
                tab = tabs.nth(n)
                title = tab.inner_text().strip()
                tab.click()
                settle(page, quiet_ms=1000)
                if page.locator("button:has-text('Compute statistics')").is_visible():
                    page.click("button:has-text('Compute statistics')")
                    settle(page, quiet_ms=1500)
                found = audit(page)
                record(table, (f"coach.ipynb, tab {title}", role), found)
                bad += [f"tab {title}: {b}" for b in serious(found)]
        assert not bad, f"{notebook} as {role}:\n" + "\n".join(bad)
    finally:
        # left as a visitor leaves it, so Voila frees its kernel: 60 pages from one address would reach the per-client cap
        page.close(run_before_unload=True)


# ---------------------------------------------------------------- keyboard only, radio groups
FOCUS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const field = e.closest('[class*="wb-j-f-"]');
  const wb = e.closest('[class*="wb-"]');
  return {tag: e.tagName, type: e.type || '', title: e.title || '', text: (e.textContent || '').trim().slice(0, 80),
          group: [...document.querySelectorAll('.wb-likert')].findIndex(g => g.contains(e)),
          role: e.getAttribute('role') || '', pressed: e.getAttribute('aria-pressed') || '', selected: e.getAttribute('aria-selected') || '',
          field: field ? (String(field.className).match(/wb-j-f-(\\w+)/) || [])[1] || '' : '',
          wb: wb ? String(wb.className).split(/\\s+/).filter(c => c.startsWith('wb-')) : [],
          ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2};
}"""


def tab_until(page, wanted, limit: int = 800) -> dict:
    """Press Tab until ``wanted(focused)`` holds; every element the focus stops on must show a focus ring."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS)
        if focused is None:
            continue
        assert focused["ring"], f"no visible focus indicator on {focused}"
        if wanted(focused):
            return focused
    raise AssertionError(f"not reached with {limit} presses of Tab")


def test_keyboard_only_module_1(server, served_db, browser, people):
    """Sign in, answer every Likert item, type the reflection and follow "Next" with the keyboard alone; the
    database holds what was chosen, and every focus stop on the way shows a focus ring."""
    from workbook.auth.identity import Identity
    from workbook.content.catalogue import catalogue
    from workbook.store import AccessCodeAuthenticator, current_answers, invite

    admin = Identity.admin()
    coach = AccessCodeAuthenticator(served_db).authenticate(people["coach"][0], source="test")
    pid, code = invite(served_db, admin, coach.cohort_id, "Kim Keyboard")
    module = catalogue().module("m01")
    inst = catalogue().instrument("coproduction")
    reflection = next(e for e in module.exercises if e.id == "reflection")

    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.set_default_timeout(SLOW)
    try:
        page.goto(server.page_url("01_servuction.ipynb"), wait_until="domcontentloaded", timeout=SLOW)
        page.wait_for_selector("input[type=password]", state="visible", timeout=SLOW)
        tab_until(page, lambda f: f["type"] == "password")
        page.keyboard.type(code)
        page.keyboard.press("Enter")
        page.wait_for_selector("text=Signed in as Kim Keyboard", timeout=SLOW)
        page.wait_for_selector(".wb-likert", timeout=SLOW)
        settle(page)
        assert page.locator(".wb-likert").count() == len(inst.items)

        expected = {}
        for n, item in enumerate(inst.items):
            focused = tab_until(page, lambda f, n=n: f["group"] == n)
            assert focused["type"] == "radio"
            page.keyboard.press("Space")  # the group's first option
            if n == 0:
                # one group per item: Left from the first option wraps to this item's last option, not into another item
                page.keyboard.press("ArrowLeft")
                assert page.evaluate(FOCUS)["group"] == 0
                assert page.locator(".wb-likert").nth(0).locator("input").last.is_checked()
                page.keyboard.press("ArrowRight")  # back to the first
                assert page.locator(".wb-likert").nth(0).locator("input").first.is_checked()
            steps = n % len(inst.scale.anchors)
            for _ in range(steps):
                page.keyboard.press("ArrowRight")  # the next option of the same group, chosen as the focus moves
            expected[item.id] = sorted(inst.scale.anchors)[steps]

        tab_until(page, lambda f: f["tag"] == "TEXTAREA" and f["title"] == reflection.prompt)
        page.keyboard.type("The client's plant engineer logged every alarm for us.")
        nxt = tab_until(page, lambda f: f["tag"] == "A" and "Module 2" in f["text"])  # leaving the box saves it
        assert nxt["text"].startswith("Next")

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            saved = current_answers(served_db, admin, pid, inst.id)
            text = current_answers(served_db, admin, pid, "reflection").get("text")
            if saved == expected and text:
                break
            time.sleep(0.5)
        assert saved == expected
        assert text == "The client's plant engineer logged every alarm for us."

        page.keyboard.press("Enter")
        page.wait_for_url("**/02_time_space.ipynb*", timeout=SLOW)
    finally:
        ctx.close()


def test_likert_items_are_radio_groups_named_by_their_text(server, contexts):
    """Each Likert item is a radio group whose accessible name is the item's text, with one labelled radio per option."""
    from workbook.content.catalogue import catalogue

    inst = catalogue().instrument("coproduction")
    page = contexts("trainee").new_page()
    try:
        page.goto(server.page_url("01_servuction.ipynb"), wait_until="domcontentloaded", timeout=SLOW)
        page.wait_for_selector(".wb-likert", timeout=SLOW)
        settle(page)
        labels = [f"{k} {v}" for k, v in sorted(inst.scale.anchors.items())]
        for item in inst.items:
            group = page.get_by_role("radiogroup", name=item.text, exact=True)
            assert group.count() == 1, f"no radio group named {item.text!r}"
            for label in labels:
                assert group.get_by_role("radio", name=label, exact=True).count() == 1
        snapshot = page.accessibility.snapshot() if hasattr(page, "accessibility") else None
        if snapshot is not None:
            names = set()

            def walk(node):
                if node.get("role") == "radiogroup":
                    names.add(node.get("name"))
                for child in node.get("children", []):
                    walk(child)

            walk(snapshot)
            assert {i.text for i in inst.items} <= names
    finally:
        page.close()


# ---------------------------------------------------------------- keyboard only: the journey editor, tab sets, confirmations
def sign_in_by_keyboard(page, server, notebook: str, code: str, name: str) -> None:
    """Open ``notebook``, Tab to the code box, type ``code``, Enter; wait until the whole page is drawn."""
    page.goto(server.page_url(notebook), wait_until="domcontentloaded", timeout=SLOW)
    page.wait_for_selector("input[type=password]", state="visible", timeout=SLOW)
    tab_until(page, lambda f: f["type"] == "password")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.wait_for_selector(f"text=Signed in as {name}", timeout=SLOW)
    page.wait_for_function("() => !document.body.innerText.includes('Loading your page…')", timeout=SLOW)
    settle(page)


def wait_for(check, what: str, timeout: float = 60.0):
    """Poll ``check()`` until it returns something true (what a page saved reaches the database a moment later)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = check()
        if got:
            return got
        time.sleep(0.5)
    raise AssertionError(f"{what}: not seen within {timeout:.0f} s")


def test_keyboard_only_journey_editor(server, served_db, browser, people):
    """Module 5's experience map by keyboard alone: a new map, a stage chosen with the arrow keys, a touchpoint added
    and every field of it reached with Tab and set (typing, arrow keys on drop-downs and the emotion slider, Space on
    the element's toggle and the moment-of-truth box), then the views' tabs switched with the arrow keys and Enter.
    Every stop shows a focus ring; the map in the database holds exactly what was typed and chosen."""
    from workbook.auth.identity import Identity
    from workbook.domain import journey as J
    from workbook.store import AccessCodeAuthenticator, invite, list_maps

    admin = Identity.admin()
    coach = AccessCodeAuthenticator(served_db).authenticate(people["coach"][0], source="test")
    pid, code = invite(served_db, admin, coach.cohort_id, "Jo Journey")
    defaults = {k: f.default for k, f in J.Touchpoint.model_fields.items()}
    fields = [k for k in J.Touchpoint.model_fields if k != "id"]  # every field a touchpoint records

    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.set_default_timeout(SLOW)
    try:
        sign_in_by_keyboard(page, server, "05_experience.ipynb", code, "Jo Journey")
        tab_until(page, lambda f: "wb-j-new-map" in f["wb"])
        page.keyboard.press("Enter")
        page.wait_for_function("n => document.querySelectorAll('.wb-j-stages option').length === n", arg=len(J.DEFAULT_STAGES), timeout=SLOW)
        tab_until(page, lambda f: "wb-j-stages" in f["wb"] and f["tag"] == "SELECT")
        page.keyboard.press("ArrowDown")  # the second stage
        page.wait_for_function("() => document.querySelector('.wb-j-stages select').selectedIndex === 1", timeout=SLOW)
        tab_until(page, lambda f: "wb-j-new-tp" in f["wb"] and f["tag"] == "INPUT")
        page.keyboard.type("Night call")
        tab_until(page, lambda f: "wb-j-add-tp" in f["wb"])
        page.keyboard.press("Enter")
        page.wait_for_selector(".wb-j-f-name input", state="visible", timeout=SLOW)
        settle(page)

        reached = []
        typed = {"client_actors": "Night shift supervisor", "provider_actors": "front: On-call technician",
                 "client_action": "calls the hotline at 2 a.m.", "frontstage": "the on-call technician diagnoses by phone",
                 "pain_point": "waited 40 minutes for a call back"}
        arrows = {"channel": ("ArrowDown", 1), "location": ("ArrowDown", 2), "emotion": ("ArrowLeft", 2), "control": ("ArrowDown", 1)}
        while set(fields) - set(reached):
            f = tab_until(page, lambda f: bool(f["field"]), limit=20)
            name = f["field"]
            reached.append(name)
            if name == "name" and f["tag"] == "INPUT":
                page.keyboard.press("End")
                page.keyboard.type("-out")  # edit the step's name
            elif name in typed and f["tag"] in ("INPUT", "TEXTAREA"):
                page.keyboard.type(typed[name])
            elif name in arrows and (f["tag"] == "SELECT" or f["role"] == "slider"):
                key, times = arrows[name]
                for _ in range(times):
                    page.keyboard.press(key)
            elif name == "element" and f["text"] == "outcome":
                page.keyboard.press("Space")
                page.wait_for_function("() => document.activeElement.getAttribute('aria-pressed') === 'true'", timeout=SLOW)
            elif name == "moment_of_truth":
                page.keyboard.press("Space")
        assert set(reached) == set(fields), f"not reached by Tab: {set(fields) - set(reached)}"

        # the views: a tab set moved through with the arrow keys, a tab opened with Enter
        tab = tab_until(page, lambda f: f["role"] == "tab")
        assert tab["text"] == "Emotion curve" and tab["selected"] == "true"
        page.keyboard.press("ArrowRight")
        assert page.evaluate(FOCUS)["text"] == "Service blueprint"
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.activeElement.getAttribute('aria-selected') === 'true'", timeout=SLOW)
        said = page.locator(".wb-j-blueprint svg[role=img]").get_attribute("aria-label", timeout=SLOW)
        assert "moments of truth: 1. Night call-out" in said, said

        stage = J.DEFAULT_STAGES[1]
        expected = {
            "name": "Night call-out", "client_actors": ("Night shift supervisor",), "provider_actors": [("On-call technician", "front_line")],
            "channel": J.CHANNELS[J.CHANNELS.index(defaults["channel"]) + 1], "location": J.LOCATIONS[J.LOCATIONS.index(defaults["location"]) + 2],
            "client_action": typed["client_action"], "frontstage": typed["frontstage"], "element": "outcome", "emotion": defaults["emotion"] - 2,
            "pain_point": typed["pain_point"], "moment_of_truth": True, "control": J.CONTROLS[J.CONTROLS.index(defaults["control"]) + 1],
        }

        def saved():
            maps = list_maps(served_db, admin, pid)
            if len(maps) != 1:
                return None
            found = [(s.name, t) for s, t in maps[0].touchpoints()]
            if len(found) != 1:
                return None
            where, t = found[0]
            got = {k: getattr(t, k) for k in expected} | {"provider_actors": [(a.role, a.side) for a in t.provider_actors]}
            return (where, got) if got == expected else None

        where, _got = wait_for(saved, f"the map saved as {expected}")
        assert where == stage
    finally:
        ctx.close()


def test_keyboard_only_tabs_and_confirmations(server, served_db, browser, people):
    """The coach page's tab set by keyboard (arrow keys and Enter, then a button in the opened tab), the close-cohort
    confirmation (Enter on "Close cohort" without the box ticked only warns; the box takes Space) and the quiz's
    two-press confirmation (Enter on Submit warns of the open questions, Enter again submits). Focus rings on every
    stop; the database says the cohort is still open and the quiz is submitted."""
    from workbook.auth.identity import Identity
    from workbook.content.catalogue import catalogue
    from workbook.content.quiz_spec import SUBMITTED
    from workbook.store import AccessCodeAuthenticator, current_answers, invite, list_cohorts

    admin = Identity.admin()
    coach_code, coach_name = people["coach"]
    coach = AccessCodeAuthenticator(served_db).authenticate(coach_code, source="test")

    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.set_default_timeout(SLOW)
    try:
        sign_in_by_keyboard(page, server, "coach.ipynb", coach_code, coach_name)
        tab = tab_until(page, lambda f: f["role"] == "tab")
        assert tab["text"] == "Progress" and tab["selected"] == "true"
        while page.evaluate(FOCUS)["text"] != "Statistics":
            page.keyboard.press("ArrowRight")
            assert page.evaluate(FOCUS)["role"] == "tab"
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.activeElement.getAttribute('aria-selected') === 'true'", timeout=SLOW)
        tab_until(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Compute statistics", limit=10)
        page.keyboard.press("Enter")
        page.wait_for_selector(".lm-TabBar-tab.lm-mod-current:has-text('Statistics')")
        page.wait_for_function("() => [...document.querySelectorAll('.widget-tab-contents table')].some(t => t.offsetParent)", timeout=SLOW)

        # back to the tab bar (Shift+Tab), on to "Cohort": its close-cohort confirmation
        for _ in range(20):
            page.keyboard.press("Shift+Tab")
            if page.evaluate(FOCUS)["role"] == "tab":
                break
        while page.evaluate(FOCUS)["text"] != "Cohort":
            page.keyboard.press("ArrowLeft")
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.activeElement.getAttribute('aria-selected') === 'true'", timeout=SLOW)
        tab_until(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Close cohort", limit=40)
        page.keyboard.press("Enter")
        page.wait_for_selector("text=Tick the box to confirm closing the cohort.", timeout=SLOW)
        for _ in range(5):  # the box just before the button
            page.keyboard.press("Shift+Tab")
            if page.evaluate(FOCUS)["type"] == "checkbox":
                break
        assert page.evaluate(FOCUS)["type"] == "checkbox"
        page.keyboard.press("Space")
        assert page.evaluate("document.activeElement.checked")
        page.keyboard.press("Space")  # untick: the demo cohort stays open for the other tests
        assert not page.evaluate("document.activeElement.checked")
        [cohort] = [c for c in list_cohorts(served_db, admin) if c["id"] == coach.cohort_id]
        assert not cohort.get("closed"), cohort
    finally:
        ctx.close()

    pid, code = invite(served_db, admin, coach.cohort_id, "Quinn Quiz")
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.set_default_timeout(SLOW)
    try:
        quiz = catalogue().quiz
        exercise, labels = quiz.exercise(quiz.form("before").id), quiz.labels
        sign_in_by_keyboard(page, server, "quiz_before.ipynb", code, "Quinn Quiz")
        tab_until(page, lambda f: f["type"] == "radio")
        page.keyboard.press("Space")  # one answer; the rest stay open
        tab_until(page, lambda f: f["tag"] == "BUTTON" and f["text"] == labels["submit"])
        page.keyboard.press("Enter")
        page.wait_for_selector("text=questions still open", timeout=SLOW)
        assert page.evaluate(FOCUS)["text"] == labels["confirm_submit"]  # the focus stays on the button, now the confirmation
        page.keyboard.press("Enter")
        page.wait_for_selector("text=your answers are final", timeout=SLOW)
        answers = wait_for(lambda: (a := current_answers(served_db, admin, pid, exercise)) and SUBMITTED in a and a, "the quiz submitted")
        assert len([k for k in answers if k != SUBMITTED]) == 1
    finally:
        ctx.close()
