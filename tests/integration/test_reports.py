"""Reports through real papermill kernels, nbconvert and Debian's Chromium (pdftotext checks the PDF)."""
import re
import subprocess
from pathlib import Path

import pytest

from workbook.auth.identity import Identity
from workbook.content.catalogue import catalogue
from workbook.domain.scoring import score
from workbook.reporting.reports import cohort_tasks, person_task, run_reports
from workbook.store import cohort_by_name, current_answers, list_people, save_action, save_note
from workbook.store.demo import build_demo

pytestmark = pytest.mark.slow
ADMIN = Identity.admin()
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)> [click](http://evil.example)"


@pytest.fixture
def demo(db):
    build_demo(db)
    cid = cohort_by_name(db, "Demo cohort")
    people = list_people(db, ADMIN, cid, role="trainee")
    return {"db": db, "cid": cid, "people": people}


def ident(p) -> Identity:
    return Identity(role="trainee", person_id=p.id, cohort_id=p.cohort_id, name=p.name)


def plan_for(db, p, text):
    return save_action(db, ident(p), p.id, {"text": text, "owner": p.name, "measure": "done when signed", "due": "2001-02-03", "realistic": True})


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.browser  # the PDF is printed by Chromium
def test_individual_reports_hold_the_persons_real_scores_and_nobody_elses(demo, tmp_path):
    db, (ann, ben) = demo["db"], demo["people"][:2]
    plan_for(db, ann, f"{ann.name.split()[0]}-only action: map the client's purchasing committee " + HOSTILE)
    plan_for(db, ben, f"{ben.name.split()[0]}-only action: call the site manager every Monday")
    coach = next(p for p in list_people(db, ADMIN, demo["cid"]) if p.role == "coach")
    coach_id = Identity(role="coach", person_id=coach.id, cohort_id=demo["cid"], name=coach.name)
    save_note(db, coach_id, ann.id, {"goal": "Ann-shared-goal"}, shared=True)
    save_note(db, coach_id, ann.id, {"goal": "Ann-private-goal"}, shared=False)
    tasks = [person_task(db, ADMIN, ann.id), person_task(db, ADMIN, ben.id)]
    outcomes = run_reports(tasks, ADMIN, tmp_path, ("html", "pdf"), workers=1)  # one kernel runs both
    assert [o.error for o in outcomes] == [None, None]
    inst = catalogue().instrument("coproduction")
    for me, other, o in ((ann, ben, outcomes[0]), (ben, ann, outcomes[1])):
        html = Path(o.files[0]).read_text(encoding="utf-8")
        pdf = pdf_text(o.files[1])
        assert me.name in html and me.name in pdf
        assert other.name not in html and other.name not in pdf
        assert f"{other.name.split()[0]}-only" not in html and f"{me.name.split()[0]}-only" in html
        for s in score(inst, current_answers(db, ADMIN, me.id, "coproduction")):
            assert f"<td>{s.label}</td><td>{s.score_100:.0f}</td><td>{s.mean:.2f}</td>" in html
            assert re.search(rf"{s.label}\s+{s.score_100:.0f}\s+{s.mean:.2f}", pdf), s
        assert "overdue" in html
    ann_html = Path(outcomes[0].files[0]).read_text(encoding="utf-8")
    assert "Ann-shared-goal" in ann_html and "Ann-private-goal" not in ann_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in ann_html
    assert "<img src=x" not in ann_html and 'href="http://evil' not in ann_html
    assert "<script>alert(1)</script>" in " ".join(pdf_text(outcomes[0].files[1]).split())  # shown as inert text


@pytest.mark.browser
def test_html_is_self_contained_and_opens_without_network(demo, tmp_path):
    outcomes = run_reports(cohort_tasks(demo["db"], ADMIN, "Demo cohort", people=False), ADMIN, tmp_path, ("html",), workers=1)
    html = outcomes[0].files[0].read_text(encoding="utf-8")
    assert outcomes[0].error is None and "<svg" in html
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.I)
    assert not re.search(r"cdn|require\.js|mathjax|unpkg|jsdelivr", html, re.I)
    assert "def " not in html and "import " not in html and "open_database" not in html  # no code cells
    from playwright.sync_api import sync_playwright

    from workbook.reporting.reports import CHROMIUM, CHROMIUM_ARGS

    seen = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("request", lambda r: seen.append(r.url))
        page.goto(outcomes[0].files[0].resolve().as_uri(), wait_until="networkidle")
        assert page.locator("svg").count() >= 1
        browser.close()
    assert [u for u in seen if not u.startswith(("file:", "data:"))] == []


@pytest.mark.browser
def test_cohort_run_goes_past_a_broken_person_and_lists_the_failure(demo, tmp_path, capsys):
    from workbook.cli import main
    from workbook.store.models import Answer

    db, people = demo["db"], demo["people"]
    broken = people[3]
    with db.session() as s:  # a corrupted saved value, as a bad import or a manual edit could leave
        s.add(Answer(person_id=broken.id, module="m09", exercise="action_plan", item="a1", attempt=1, value=42))
    code = main(["report", "cohort", "Demo cohort", "--format", "html,pdf", "--output", str(tmp_path), "--workers", "2"])
    out = capsys.readouterr().out
    assert code == 1
    assert f"{len(people)} of {len(people) + 1} reports written" in out
    failures = [line for line in out.splitlines() if line.startswith("FAILED")]
    assert failures == [f"FAILED {broken.name} (person {broken.id}): InvalidAnswer: person {broken.id}: action a1 has a malformed saved value (int, expected an object)"]
    names = {p.name for p in tmp_path.iterdir()}
    for p in people:
        made = {n for n in names if n.startswith(f"person-{p.id}-")}
        assert made == (set() if p is broken else {made and next(iter(made)).rsplit(".", 1)[0] + ext for ext in (".html", ".pdf")})
    assert any(n.startswith("cohort-") and n.endswith(".pdf") for n in names)


def test_hr_page_produces_a_downloadable_report_of_its_own_cohort(demo):
    import base64

    from widget_tools import find

    from workbook.ui.pages.hr import ReportPanel, hr_page

    db, cid, person = demo["db"], demo["cid"], demo["people"][1]
    hr = next(p for p in list_people(db, ADMIN, cid) if p.role == "hr")
    page = hr_page(db=db)
    page._signed_in(Identity(role="hr", person_id=hr.id, cohort_id=cid, name=hr.name))
    [panel] = find(page, ReportPanel)
    assert {label for label, _v in panel.who.options} >= {p.name for p in demo["people"]}
    panel.who.value = person.id
    panel.pdf.value = False
    panel.go.click()
    assert "1 of 1 reports ready" in panel.status.value and panel.bar.value == 1
    href = re.search(r'href="data:text/html;base64,([^"]+)"', panel.links.value).group(1)
    html = base64.b64decode(href).decode("utf-8")
    inst = catalogue().instrument("coproduction")
    assert person.name in html
    for s in score(inst, current_answers(db, ADMIN, person.id, "coproduction")):
        assert f"<td>{s.label}</td><td>{s.score_100:.0f}</td>" in html


@pytest.mark.parametrize("notebook, given, missing", [
    ("individual.ipynb", {}, "reader_role"),                               # nothing: no admin default
    ("individual.ipynb", {"reader_role": "admin"}, "person_id"),           # no person 0 default either
    ("individual.ipynb", {"person_id": 1, "reader_role": "coach"}, "reader_id"),
    ("individual.ipynb", {"person_id": 1, "reader_role": "root"}, "reader_role"),
    ("cohort.ipynb", {"cohort": "Demo cohort"}, "reader_role"),
    ("cohort.ipynb", {"reader_role": "admin"}, "cohort"),
])
def test_report_notebooks_fail_closed_without_their_parameters(demo, notebook, given, missing):
    """The report notebooks hold no reader by default: run without one (as a visitor's page or a
    bare papermill call would), they stop in one line naming the parameter, and show nothing."""
    from workbook.errors import WorkbookError
    from workbook.reporting.reports import REPORT_NOTEBOOKS, Worker
    from workbook.settings import get_settings

    worker = Worker(get_settings())
    try:
        with pytest.raises(WorkbookError) as err:
            worker.execute(REPORT_NOTEBOOKS / notebook, given)
    finally:
        worker.close()
    message = str(err.value)
    assert f"report parameter {missing}:" in message and "\n" not in message
    assert REPORT_NOTEBOOKS.parent.name == "workbook" and not (get_settings().notebooks_dir / "reports").exists()
