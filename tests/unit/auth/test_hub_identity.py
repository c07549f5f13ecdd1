"""JupyterHub mode (setting ``auth_mode = "jupyterhub"``, issue #17): a page's person is the hub user its server runs
for (``JUPYTERHUB_USER``), mapped by ``workbook invite --login``; no code box, and a code sent anyway is refused,
even a right one. The real hub in Chromium is tests/browser/test_hub.py."""
from __future__ import annotations

import pytest
from cli_run import run_cli
from widget_tools import html_text

from workbook.auth.identity import CODES_OFF, JupyterHubAuthenticator
from workbook.errors import AccessDenied, SettingsError, WorkbookError
from workbook.settings import load_settings, reset_settings
from workbook.store import AccessCodeAuthenticator, create_cohort, identity_for_login, invite, open_database, reset_default
from workbook.ui.pages.coach import coach_page
from workbook.ui.pages.home import home_page


def _open(monkeypatch, mode: str):
    monkeypatch.setenv("WORKBOOK_AUTH_MODE", mode)
    reset_settings()
    reset_default()
    return open_database()


@pytest.fixture
def hub(settings_env, monkeypatch, admin):
    """A hub-mode database with Ann and Ben (trainees) and Coach C, each with a hub login (and a code, from invite)."""
    db = _open(monkeypatch, "jupyterhub")
    cid = create_cohort(db, admin, "Hub cohort")
    people = {}
    for name, role, login in [("Ann", "trainee", "ann"), ("Ben", "trainee", "ben"), ("Coach C", "coach", "coach-c")]:
        pid, code = invite(db, admin, cid, name, role, login=login)
        people[name] = {"id": pid, "code": code, "login": login}
    yield {"db": db, "cohort": cid, "people": people}
    reset_default()
    reset_settings()


def test_the_page_signs_in_the_hub_user_of_the_server_and_shows_no_code_box(hub, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "ann")
    page = home_page(db=hub["db"])
    assert page.identity is not None and page.identity.person_id == hub["people"]["Ann"]["id"]
    assert page.signin.form.layout.display == "none" and page.signin.signout.layout.display == "none"
    assert "Ann" in page.signin.who.value and page.session_token is None  # no session, no ticket: nothing to steal
    assert page.body.children  # the signed-in home page was built


def test_a_code_typed_anyway_is_refused_even_the_persons_own(hub, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "ann")
    page = home_page(db=hub["db"])
    page.signin.identity = None  # as if the hidden box were reached before the hub identity: the code still does not count
    page.signin.code.value = hub["people"]["Ben"]["code"]  # a valid code of another person, sent as a widget update
    assert page.signin.identity is None and CODES_OFF in page.signin.status.value
    with pytest.raises(AccessDenied, match="access codes are off"):
        AccessCodeAuthenticator(hub["db"]).authenticate(hub["people"]["Ann"]["code"])
    with pytest.raises(AccessDenied, match="access codes are off"):
        AccessCodeAuthenticator(hub["db"]).resume("any-token")


def test_typed_text_never_names_the_hub_user(hub):
    auth = JupyterHubAuthenticator(lambda login: identity_for_login(hub["db"], login), environ={"JUPYTERHUB_USER": "ann"})
    assert auth.authenticate().name == "Ann"
    with pytest.raises(AccessDenied, match="access codes are off"):
        auth.authenticate("ben")  # a login typed as a credential is not a sign-in


def test_a_server_without_a_hub_user_or_an_uninvited_one_signs_nobody_in(hub, monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    page = home_page(db=hub["db"])
    assert page.identity is None and "JUPYTERHUB_USER is not set" in page.signin.status.value
    monkeypatch.setenv("JUPYTERHUB_USER", "mallory")
    page = home_page(db=hub["db"])
    assert page.identity is None and "mallory" in page.signin.status.value and "is not invited" in page.signin.status.value
    assert not page.body.children


def test_a_trainee_on_the_coach_page_is_told_it_is_not_theirs(hub, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "ben")
    page = coach_page(db=hub["db"])
    assert "this page is for the coach; you are signed in as trainee" in page.status.value
    assert "Ann" not in html_text(page.body)
    monkeypatch.setenv("JUPYTERHUB_USER", "coach-c")
    coach = coach_page(db=hub["db"])
    assert coach.identity.role == "coach" and "Ann" in html_text(coach) and "Ben" in html_text(coach)


def test_codes_mode_ignores_the_hub_user(settings_env, monkeypatch, admin):
    db = _open(monkeypatch, "codes")
    cid = create_cohort(db, admin, "Codes cohort")
    invite(db, admin, cid, "Ann", login="ann")
    monkeypatch.setenv("JUPYTERHUB_USER", "ann")
    page = home_page(db=db)
    assert page.identity is None and page.signin.form.layout.display != "none"


def test_one_hub_login_is_one_person(hub, admin):
    with pytest.raises(WorkbookError, match="'ann' belongs to 'Ann' already"):
        invite(hub["db"], admin, hub["cohort"], "Ann Two", login="ann")
    with pytest.raises(WorkbookError, match="without spaces"):
        invite(hub["db"], admin, hub["cohort"], "Dee", login="dee dee")


def test_auth_mode_is_checked():
    with pytest.raises(SettingsError, match="auth_mode: 'hub' is not one of codes, jupyterhub"):
        load_settings({"WORKBOOK_AUTH_MODE": "hub"})


def test_invite_login_on_the_command_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WORKBOOK_AUTH_MODE", "jupyterhub")
    assert run_cli(monkeypatch, tmp_path, "cohort", "create", "Hub") == 0
    assert run_cli(monkeypatch, tmp_path, "invite", "Hub", "Ann", "--login", "ann") == 0
    out = capsys.readouterr().out
    assert "signs in as JupyterHub user 'ann'" in out and "access code" not in out  # no code shown: codes are refused here
    assert run_cli(monkeypatch, tmp_path, "invite", "Hub", "Ann Again", "--login", "ann") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'ann' belongs to 'Ann' already" in err
    monkeypatch.setenv("WORKBOOK_DATA_DIR", str(tmp_path))
    reset_settings()
    reset_default()
    try:
        assert identity_for_login(open_database(), "ann").name == "Ann"
    finally:
        reset_default()
        reset_settings()


def test_a_roster_maps_hub_logins_all_or_nobody(hub, admin):
    from workbook.errors import ImportFormatError
    from workbook.store.roster import import_roster

    db = hub["db"]
    import_roster(db, admin, hub["cohort"], "name,role,login\nDee Trainee,trainee,dee\nEd Trainee,,ed\n")
    assert identity_for_login(db, "dee").name == "Dee Trainee" and identity_for_login(db, "ed").role == "trainee"
    with pytest.raises(ImportFormatError, match="row 3, column login: 'fay' is given twice"):
        import_roster(db, admin, hub["cohort"], "name,login\nFay,fay\nFay Two,fay\n")
    with pytest.raises(WorkbookError, match="'ann' belongs to 'Ann' already"):
        import_roster(db, admin, hub["cohort"], "name,login\nGus,gus\nAnn Again,ann\n")
    with pytest.raises(AccessDenied):  # the whole file refused: Gus was not invited either
        identity_for_login(db, "gus")
