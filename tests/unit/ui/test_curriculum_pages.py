"""Modules 1 (servuction map), 2 (timeline) and 4 (classification, importance grid): every
exercise saves through the store as the person works and comes back when the page is built again."""
from __future__ import annotations

import html

import pytest
from widget_tools import html_text, one

from workbook.store import current_answers, progress


def text_of(page) -> str:
    return html.unescape(html_text(page))


def open_page(db, identity, module_id):
    from workbook.ui.pages.module import module_page

    page = module_page(module_id, db=db)
    page._signed_in(identity)
    assert page.body.children, page.status.value
    assert "wb-error" not in page.status.value, page.status.value
    return page


def test_servuction_map_saves_and_reloads(db, cohort):
    ann = cohort["ident"]["Ann"]
    page = open_page(db, ann, "m01")
    one(page, "wb-ex-servuction_map-service_name").value = "Lift maintenance, Tower A"
    one(page, "wb-ex-servuction_map-client").value = "Facility manager <opens> the plant rooms"
    one(page, "wb-ex-servuction_map-contact_staff").value = "Two technicians"
    saved = current_answers(db, ann, ann.person_id, "servuction_map")
    assert saved == {"service_name": "Lift maintenance, Tower A", "client": "Facility manager <opens> the plant rooms", "contact_staff": "Two technicians"}
    again = open_page(db, ann, "m01")
    assert one(again, "wb-ex-servuction_map-client").value == "Facility manager <opens> the plant rooms"
    assert one(again, "wb-ex-servuction_map-physical_support").value == ""
    text = html_text(again)
    assert "Your servuction system: Lift maintenance, Tower A" in text
    assert "&lt;opens&gt;" in text and "<opens>" not in text  # free text escaped
    assert "Still to describe: Physical support, Internal organisation, Other clients, The service." in text
    assert progress(db, ann, ann.person_id)["m01"] == "in_progress"


def test_servuction_map_is_private_to_its_author(db, cohort):
    ann, ben = cohort["ident"]["Ann"], cohort["ident"]["Ben"]
    one(open_page(db, ann, "m01"), "wb-ex-servuction_map-client").value = "Ann's client"
    assert one(open_page(db, ben, "m01"), "wb-ex-servuction_map-client").value == ""


def test_timeline_saves_reloads_and_summarises(db, cohort):
    ann = cohort["ident"]["Ann"]
    page = open_page(db, ann, "m02")
    assert "Give at least one phase a duration" in html_text(page)
    one(page, "wb-ex-timeline-first_contact-duration").value = 2
    one(page, "wb-ex-timeline-purchasing-duration").value = 4
    one(page, "wb-ex-timeline-delivery-duration").value = 36
    one(page, "wb-ex-timeline-maintenance-duration").value = 18
    one(page, "wb-ex-timeline-delivery-where").value = "client_site"
    one(page, "wb-ex-timeline-purchasing-where").value = "remote"
    one(page, "wb-ex-timeline-delivery-who").value = "Site team & the client's QA"
    saved = current_answers(db, ann, ann.person_id, "timeline")
    assert saved["delivery.duration"] == 36 and saved["delivery.where"] == "client_site"
    again = open_page(db, ann, "m02")
    assert one(again, "wb-ex-timeline-purchasing-duration").value == 4
    assert one(again, "wb-ex-timeline-delivery-where").value == "client_site"
    assert one(again, "wb-ex-timeline-delivery-who").value == "Site team & the client's QA"
    text = text_of(again)
    # 2 + 4 months before delivery, 18 after: 24 of 60 months outside delivery = 40%
    assert "starts 6 months before delivery and continues 18 months after it: 40% of the relationship" in text
    assert "Of the 2 phases you placed, 1 happen at the client's site, 1 remotely and 0 on your own site." in text
    assert "<svg" in text


def test_classification_saves_reloads_and_grades_against_the_key(db, cohort):
    from workbook.content.statements import load_statements
    from workbook.settings import get_settings

    data = load_statements(get_settings().datasets_dir / "client_statements.yaml")
    first, second, third = data.statements[:3]
    wrong = "process" if first.key == "outcome" else "outcome"
    ben = cohort["ident"]["Ben"]
    page = open_page(db, ben, "m04")
    one(page, f"wb-ex-statements-{first.id}").value = wrong
    one(page, f"wb-ex-statements-{second.id}").value = second.key
    one(page, f"wb-ex-statements-{third.id}").value = third.key
    assert current_answers(db, ben, ben.person_id, "statements") == {first.id: wrong, second.id: second.key, third.id: third.key}
    again = open_page(db, ben, "m04")
    assert one(again, f"wb-ex-statements-{first.id}").value == wrong
    assert one(again, f"wb-ex-statements-{data.statements[3].id}").value is None
    text = html_text(again)
    assert f"You classified 2 of 3 statements like the expert key ({len(data.statements)} statements in all)." in text
    assert first.explanation in html.unescape(text)
    assert second.explanation not in html.unescape(text)


def test_importance_grid_saves_reloads_and_names_the_gaps(db, cohort):
    cy = cohort["ident"]["Cy"]
    page = open_page(db, cy, "m04")
    one(page, "wb-ex-gaps-invest-0-element").value = "Predictive analytics"
    one(page, "wb-ex-gaps-invest-0-level").value = 5
    one(page, "wb-ex-gaps-invest-1-element").value = "Response time"
    one(page, "wb-ex-gaps-invest-1-level").value = 2
    cite0 = one(page, "wb-ex-gaps-cite-0-element")
    assert cite0.options == ("Predictive analytics", "Response time")  # offers the names typed above
    cite0.value = "response time"
    one(page, "wb-ex-gaps-cite-0-level").value = 5
    one(page, "wb-ex-gaps-cite-1-element").value = "Same technician every visit"
    one(page, "wb-ex-gaps-cite-1-level").value = 4
    saved = current_answers(db, cy, cy.person_id, "gaps")
    assert saved["invest"][0] == {"element": "Predictive analytics", "level": 5}
    assert saved["cite"][1] == {"element": "Same technician every visit", "importance": 4}
    again = open_page(db, cy, "m04")
    assert one(again, "wb-ex-gaps-invest-1-element").value == "Response time"
    assert one(again, "wb-ex-gaps-cite-1-level").value == 4
    text = html_text(again)
    never = text.split("Clients cite it, your company never listed it</h3>")[1].split("</ul>")[0]
    ignored = text.split("Your company invests in it, clients never cite it</h3>")[1].split("</ul>")[0]
    assert "Same technician every visit" in never and "Predictive" not in never
    assert "Predictive analytics" in ignored and "Response" not in ignored
    assert "<td>response time</td><td>5</td><td>2</td><td>Concentrate here</td>" in text


@pytest.mark.parametrize("module_id", ["m02", "m04"])
def test_new_modules_have_the_page_shape(db, cohort, module_id):
    page = open_page(db, cohort["ident"]["Ann"], module_id)
    text = html_text(page)
    for part in ("What you will be able to do", "Source: Valérie Mathieu", "Your turn", "Your results", "Takeaway"):
        assert part in text, part


def test_home_lists_new_modules_with_this_persons_progress(db, cohort):
    from workbook.ui.pages.home import modules_table

    ann = cohort["ident"]["Ann"]
    one(open_page(db, ann, "m02"), "wb-ex-timeline-delivery-duration").value = 12
    html = modules_table(progress(db, ann, ann.person_id))
    row2 = html.split('02_time_space.ipynb')[1].split("</tr>")[0]
    row4 = html.split('04_process_outcome.ipynb')[1].split("</tr>")[0]
    assert "in progress" in row2 and "C3, C4" in row2
    assert "not started" in row4 and "C6" in row4
