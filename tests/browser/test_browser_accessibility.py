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
  return {tag: e.tagName, type: e.type || '', title: e.title || '', text: (e.textContent || '').trim().slice(0, 80),
          group: [...document.querySelectorAll('.wb-likert')].findIndex(g => g.contains(e)),
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
