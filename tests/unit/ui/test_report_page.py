"""One trainee's report on a page (pages/report.py): shown to the coach and HR of the cohort, refused to anyone else."""
from workbook.auth.identity import Identity
from workbook.store import AccessCodeAuthenticator, create_cohort, invite
from workbook.ui.pages.report import report_html, report_link

REFUSED = "This report opens only for the coaches and HR of the person's cohort."


def test_report_for_staff_of_the_cohort_only(db, cohort):
    ann = cohort["people"]["Ann"]["id"]
    for staff in ("Coach C", "HR H"):
        html = report_html(db, cohort["ident"][staff], ann)
        assert "Report of Ann" in html and "Module completion" in html
    assert report_html(db, cohort["ident"]["Ben"], ann).strip() == f'<p class="wb-warn">{REFUSED}</p>'
    other = create_cohort(db, Identity.admin(), "Cohort B")
    _pid, code = invite(db, Identity.admin(), other, "Coach D", "coach")
    assert REFUSED in report_html(db, AccessCodeAuthenticator(db).authenticate(code), ann)
    assert REFUSED in report_html(db, cohort["ident"]["Coach C"], None)  # no person in the link
    assert report_link(ann) == f"./report.ipynb?person={ann}"
