"""The reports' 360 section and reliability: suppressed cells counted, comments under their
threshold withheld, Cronbach's alpha with Feldt's 95% interval (content built in-process)."""
from workbook.auth.identity import Identity
from workbook.content.catalogue import catalogue
from workbook.store import close_round, invite_rater, save_answer, save_rater_answer

INST = "manager_profile"
ADMIN = Identity.admin()


def _rater(db, person_id, category, values, comment):
    rid, _code = invite_rater(db, ADMIN, person_id, category, INST, category)
    me = Identity(role="rater", rater_id=rid)
    inst = catalogue().instrument(INST)
    for item in inst.items_for(category):
        save_rater_answer(db, me, item.id, values[item.id])
    save_rater_answer(db, me, "_comment", comment)


def test_individual_report_states_suppressed_cells_withheld_comments_and_alpha_with_its_interval(db, cohort):
    from workbook.reporting.report_content import feedback_html, individual_report

    ann = cohort["ident"]["Ann"]
    inst = catalogue().instrument(INST)
    for n, item in enumerate(inst.items):
        save_answer(db, ann, ann.person_id, "m03", INST, item.id, 1 + n % 5)
    # three peers (shown) answering differently item by item, one client (hidden: under 3)
    for k in range(3):
        _rater(db, ann.person_id, "peer", {i.id: 1 + (n + k) % 5 for n, i in enumerate(inst.items)}, f"peer comment {k}")
    _rater(db, ann.person_id, "client", {i.id: 3 for i in inst.items}, "client comment")
    assert "No rater has answered yet" in feedback_html(individual_report(db, ADMIN, ann.person_id))  # round open
    close_round(db, cohort["ident"]["Coach C"], ann.person_id, INST)
    html = feedback_html(individual_report(db, cohort["ident"]["Coach C"], ann.person_id))
    # cells: peers 4 dimensions (shown) + clients 3 (they rate no leadership item; hidden) + all raters 4 (shown)
    assert "3 of 11 cells suppressed" in html
    assert "Comments withheld: fewer than 5 raters" in html and "comment" not in html.replace("Comments", "")
    table = html.split('class="wb-table wb-reliability"')[1]
    assert "95% CI (Feldt)" in table
    for dim in inst.dimensions:  # n = the three peers (the hidden client stays out of every figure)
        assert f"<tr><td>{dim.label}</td>" in table
    assert table.count("</td><td>3</td></tr>") == len(inst.dimensions)


def test_cohort_report_gives_alpha_with_its_interval(db, cohort):
    from workbook.reporting.report_content import cohort_report, cohort_scores_html

    inst = catalogue().instrument("coproduction")
    for k, who in enumerate(["Ann", "Ben", "Cy"]):
        me = cohort["ident"][who]
        for n, item in enumerate(inst.items):
            save_answer(db, me, me.person_id, "m01", inst.id, item.id, 1 + (n * (k + 1)) % inst.scale.points)
    html = cohort_scores_html(cohort_report(db, cohort["ident"]["Coach C"], cohort["id"]))
    block = html.split(inst.title)[1].split("<h3>")[0]
    assert "Cronbach&#39;s alpha of each dimension in this cohort" in block and "95% CI (Feldt)" in block


def test_the_reports_360_table_is_self_against_all_raters_worked_by_hand(db, cohort):
    """Ann's keyed answers are 5, 2, 3, 4 on the four dimensions; three peers give 2, 4, 3, 4. The table's means,
    gaps (self minus all raters) and readings (a gap of at least 1 point: blind spot, or hidden strength when
    negative) are worked out here, not taken from feedback360.compare, which the report runs."""
    from workbook.reporting.report_content import feedback_html, individual_report

    ann = cohort["ident"]["Ann"]
    inst = catalogue().instrument(INST)
    dims = [d.id for d in inst.dimensions]
    mine, theirs = dict(zip(dims, (5, 2, 3, 4))), dict(zip(dims, (2, 4, 3, 4)))
    raw = lambda item, keyed: 6 - keyed if item.reverse else keyed  # what to tick for a keyed value
    for item in inst.items:
        save_answer(db, ann, ann.person_id, "m03", INST, item.id, raw(item, mine[item.dimension]))
    for k in range(3):
        _rater(db, ann.person_id, "peer", {i.id: raw(i, theirs[i.dimension]) for i in inst.items}, f"peer comment {k}")
    close_round(db, cohort["ident"]["Coach C"], ann.person_id, INST)
    html = feedback_html(individual_report(db, cohort["ident"]["HR H"], ann.person_id))
    expected = {0: ("5.00", "2.00", "+3.00", "blind spot"), 1: ("2.00", "4.00", "-2.00", "hidden strength"),
                2: ("3.00", "3.00", "0.00", "—"), 3: ("4.00", "4.00", "0.00", "—")}
    for n, dim in enumerate(inst.dimensions):
        row = html.split(f"<tr><td>{dim.label}</td>", 1)[1].split("</tr>", 1)[0]
        assert row == "".join(f"<td>{cell}</td>" for cell in expected[n]), (dim.label, row)
