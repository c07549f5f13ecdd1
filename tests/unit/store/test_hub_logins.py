"""JupyterHub logins (#17) after the invitation: they travel with `workbook export` / `workbook import` (document version
3), an import never gives a login that belongs to someone in the database already, and `workbook login set|clear`
adds, changes or removes a person's login, refusing in one line an unknown person or a login someone else has.
Real SQLite databases throughout."""
from __future__ import annotations

import json

import pytest
from cli_run import run_cli
from test_hostile import snapshot

from workbook.auth.identity import Identity
from workbook.errors import AccessDenied, ImportFormatError
from workbook.settings import reset_settings
from workbook.store import Database, create_cohort, identity_for_login, invite, open_database, reset_default
from workbook.store.transfer import export_cohort, import_cohort

ADMIN = Identity.admin()


def _cohort(db: Database, name: str = "Hub A") -> dict[str, int]:
    cid = create_cohort(db, ADMIN, name)
    return {person: invite(db, ADMIN, cid, person, role, login=login)[0]
            for person, role, login in (("Ann", "trainee", "ann"), ("Ben", "trainee", None), ("Cora", "coach", "cora.c"))}


def test_hub_logins_travel_with_export_and_import(db, tmp_path):
    _cohort(db)
    doc = export_cohort(db, ADMIN, "Hub A")
    assert doc["version"] == 3 and [p["login"] for p in doc["people"]] == ["ann", None, "cora.c"]
    other = Database(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        import_cohort(other, ADMIN, json.dumps(doc), where="hub.json")
        assert identity_for_login(other, "ann").name == "Ann" and identity_for_login(other, "cora.c").role == "coach"
        assert export_cohort(other, ADMIN, "Hub A") == doc  # the same document again
    finally:
        other.dispose()


def _renamed(doc: dict, logins: dict[int, str] | None = None, **top) -> None:
    """The document as another cohort's (``top``: more top-level fields), with some people's logins replaced."""
    doc.update(cohort="Hub B", **top)
    for n, login in (logins or {}).items():
        doc["people"][n]["login"] = login


@pytest.mark.parametrize(("change", "expect"), [
    (lambda d: _renamed(d), "people[0].login: 'ann' belongs to 'Ann' in this database already"),
    (lambda d: _renamed(d, {0: "new-ann", 1: "new-ann", 2: "new-cora"}), "people[1].login: 'new-ann' is people[0]'s login too"),
    (lambda d: _renamed(d, {0: "new-ann", 1: "ben smith", 2: None}), "people[1].login: the JupyterHub login 'ben smith' has a space"),
    (lambda d: _renamed(d, {0: "new-ann", 2: None}, version=2) or [p.update(language=None) for p in d["people"]],
     "people[0].login: a version 2 document has no JupyterHub logins; set version to 3"),
])
def test_an_import_refuses_a_login_taken_or_twice_whole(db, change, expect):
    _cohort(db)
    doc = export_cohort(db, ADMIN, "Hub A")
    change(doc)
    before = snapshot(db)
    with pytest.raises(ImportFormatError) as exc:
        import_cohort(db, ADMIN, json.dumps(doc), where="hub.json")
    assert "\n" not in str(exc.value) and str(exc.value).startswith("hub.json: ") and expect in str(exc.value), str(exc.value)
    assert snapshot(db) == before  # nothing imported


def _identity(data_dir, login: str):
    reset_settings()
    reset_default()
    try:
        return identity_for_login(open_database(), login)
    finally:
        reset_default()
        reset_settings()


def test_login_set_change_and_clear_on_the_command_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WORKBOOK_AUTH_MODE", "jupyterhub")
    assert run_cli(monkeypatch, tmp_path, "cohort", "create", "Hub") == 0
    for name in ("Ann", "Ben"):
        assert run_cli(monkeypatch, tmp_path, "invite", "Hub", name) == 0  # invited without a login
    capsys.readouterr()
    assert run_cli(monkeypatch, tmp_path, "login", "set", "Hub", "Ann", "ann") == 0
    assert capsys.readouterr().out.strip() == "'Ann' signs in through JupyterHub as 'ann'"
    assert _identity(tmp_path, "ann").name == "Ann"
    assert run_cli(monkeypatch, tmp_path, "login", "set", "Hub", "Ann", "ann.smith") == 0  # changed: the old one signs nobody in
    assert capsys.readouterr().out.strip() == "'Ann' signs in through JupyterHub as 'ann.smith' (was 'ann')"
    assert _identity(tmp_path, "ann.smith").name == "Ann"
    with pytest.raises(AccessDenied):
        _identity(tmp_path, "ann")
    assert run_cli(monkeypatch, tmp_path, "login", "set", "Hub", "Ann", "ann.smith") == 0  # the same again: no error
    capsys.readouterr()

    # a login someone else has, an unknown person, a malformed login: one line each, nothing changed
    for argv, message in ((("login", "set", "Hub", "Ben", "ann.smith"), "JupyterHub login 'ann.smith' belongs to 'Ann' already"),
                          (("login", "set", "Hub", "Zed", "zed"), "no single person named 'Zed' in this cohort (0 found); its people: Ann, Ben"),
                          (("login", "clear", "Nowhere", "Ann"), "no cohort named 'Nowhere'"),
                          (("login", "set", "Hub", "Ben", "ben smith"), "JupyterHub login 'ben smith': give the hub user name")):
        assert run_cli(monkeypatch, tmp_path, *argv) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and message in err, err
    assert _identity(tmp_path, "ann.smith").name == "Ann"

    assert run_cli(monkeypatch, tmp_path, "login", "clear", "Hub", "Ann") == 0
    assert "'Ann' has no JupyterHub login now (was 'ann.smith')" in capsys.readouterr().out
    with pytest.raises(AccessDenied):
        _identity(tmp_path, "ann.smith")
    assert run_cli(monkeypatch, tmp_path, "login", "set", "Hub", "Ben", "ann.smith") == 0  # free again
    assert _identity(tmp_path, "ann.smith").name == "Ben"
