"""What only the operator may do: re-issue staff codes, load the public demo (issue #13)."""
from __future__ import annotations

import pytest
from cli_run import run_cli

from workbook.errors import AccessDenied
from workbook.store import AccessCodeAuthenticator, reissue_code


def test_a_coach_cannot_reissue_a_fellow_coachs_or_hrs_code(db, cohort):
    coach = cohort["ident"]["Coach C"]
    for staff in ("HR H", "Coach C"):
        with pytest.raises(AccessDenied) as exc:
            reissue_code(db, coach, cohort["people"][staff]["id"])
        msg = str(exc.value)
        assert "\n" not in msg and "operator only" in msg and "workbook reissue" in msg
        # the staff member's own code still works: nothing was re-issued
        assert AccessCodeAuthenticator(db).authenticate(cohort["people"][staff]["code"]).name == staff
    # a trainee's lost code: the coach re-issues it, the old one stops working
    new = reissue_code(db, coach, cohort["people"]["Ann"]["id"])
    assert AccessCodeAuthenticator(db).authenticate(new).name == "Ann"
    with pytest.raises(AccessDenied):
        AccessCodeAuthenticator(db).authenticate(cohort["people"]["Ann"]["code"])


def test_the_coach_page_offers_trainees_only_for_a_new_code(db, cohort):
    from workbook.ui.pages.coach import CohortAdmin

    admin_tab = CohortAdmin(db, cohort["ident"]["Coach C"])
    assert sorted(label for label, _ in admin_tab.who.options) == ["Ann (trainee)", "Ben (trainee)", "Cy (trainee)"]


def test_the_operator_reissues_a_staff_code_from_the_cli(tmp_path, monkeypatch, capsys):
    assert run_cli(monkeypatch, tmp_path, "cohort", "create", "Spring") == 0
    assert run_cli(monkeypatch, tmp_path, "invite", "Spring", "Claire Coach", "--role", "coach") == 0
    old = capsys.readouterr().out.strip().split()[-1]
    assert run_cli(monkeypatch, tmp_path, "reissue", "Spring", "Claire Coach") == 0
    out = capsys.readouterr().out
    assert "new access code for 'Claire Coach' (coach)" in out and old not in out
    assert run_cli(monkeypatch, tmp_path, "reissue", "Spring", "Nobody") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Nobody" in err and "Claire Coach" in err


def test_the_demo_is_refused_beside_real_cohorts_in_one_line(tmp_path, monkeypatch, capsys):
    assert run_cli(monkeypatch, tmp_path, "demo") == 0  # an empty database: the demo loads
    assert run_cli(monkeypatch, tmp_path, "demo") == 0  # and refreshes its own codes
    capsys.readouterr()
    assert run_cli(monkeypatch, tmp_path, "cohort", "create", "Spring 2027") == 0
    assert run_cli(monkeypatch, tmp_path, "demo") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'Spring 2027'" in err and "codes are public" in err and "WORKBOOK_DATA_DIR" in err
