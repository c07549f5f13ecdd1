"""Each person's, rater's and cohort's interface language in the store (issue #15): saved, read back
with the cohort's default behind it, carried by export → import (document version 3; version 2 still
imports), (the 0002 → 0003 revision: tests/integration/test_migrations.py) and used for a rater's e-mail."""
from __future__ import annotations

import json

import pytest

from workbook.auth.identity import Identity
from workbook.errors import AccessDenied, WorkbookError
from workbook.store import (
    Database,
    approve_raters,
    chosen_language,
    cohort_language,
    language_of,
    nominate_rater,
    rater_language,
    send_rater_codes,
    set_cohort_language,
    set_language,
    set_rater_language,
)
from workbook.store.transfer import export_cohort, import_cohort

ADMIN = Identity.admin()


def test_a_persons_language_falls_back_to_the_cohorts_then_english(db, cohort):
    ann, ben, coach = cohort["ident"]["Ann"], cohort["ident"]["Ben"], cohort["ident"]["Coach C"]
    assert language_of(db, ann, ann.person_id) == "en" and chosen_language(db, ann, ann.person_id) is None
    set_cohort_language(db, coach, cohort["id"], "zh")
    assert cohort_language(db, coach, cohort["id"]) == "zh"
    assert language_of(db, ann, ann.person_id) == "zh"  # not chosen: the cohort's default
    set_language(db, ann, ann.person_id, "fr")
    assert language_of(db, ann, ann.person_id) == "fr" and chosen_language(db, ann, ann.person_id) == "fr"
    assert language_of(db, coach, ann.person_id) == "fr"  # the coach sees which language Ann uses
    assert language_of(db, ben, ben.person_id) == "zh"
    with pytest.raises(WorkbookError, match="'de' is not a language of the workbook; choose one of en, fr, zh"):
        set_language(db, ann, ann.person_id, "de")
    with pytest.raises(AccessDenied):  # nobody chooses another person's language, their coach neither
        set_language(db, coach, ann.person_id, "en")
    with pytest.raises(AccessDenied):
        set_cohort_language(db, ann, cohort["id"], "en")
    assert language_of(db, ann, ann.person_id) == "fr"


def test_a_raters_language_is_the_trainees_choice_for_them_or_their_own(db, cohort):
    from workbook.store import AccessCodeAuthenticator

    ann, coach = cohort["ident"]["Ann"], cohort["ident"]["Coach C"]
    rid = nominate_rater(db, ann, ann.person_id, "Pat Client", "pat@client.example", "client", "manager_profile", language="zh")
    approve_raters(db, coach, ann.person_id)
    code = next(i.code for i in send_rater_codes(db, coach, ann.person_id) if i.rater_id == rid)  # no SMTP: the coach gets it
    pat = AccessCodeAuthenticator(db).authenticate(code, source="t")
    assert rater_language(db, pat) == "zh"
    set_rater_language(db, pat, "fr")
    assert rater_language(db, pat) == "fr"
    with pytest.raises(WorkbookError, match="rater language: 'xx' is not a language"):
        nominate_rater(db, ann, ann.person_id, "Lee", "lee@client.example", "client", "manager_profile", language="xx")


def test_rater_email_goes_out_in_the_raters_language(smtp, db, cohort):
    ann, coach = cohort["ident"]["Ann"], cohort["ident"]["Coach C"]
    for name, language in (("Ida", "fr"), ("Jo", "zh"), ("Kim", None)):
        nominate_rater(db, ann, ann.person_id, name, f"{name.lower()}@client.example", "peer", "manager_profile", language=language)
    approve_raters(db, coach, ann.person_id)
    send_rater_codes(db, coach, ann.person_id)
    subjects = {rc[0]: str(m["Subject"]) for m, rc in zip(smtp.messages, smtp.recipients)}
    bodies = {a: smtp.bodies_to(a)[0] for a in subjects}
    from email.header import decode_header, make_header

    subjects = {a: str(make_header(decode_header(s))) for a, s in subjects.items()}
    assert subjects["kim@client.example"] == "Ann asks for your 360-degree feedback"  # the cohort's default: English
    assert "360" in subjects["ida@client.example"] and "demande" in subjects["ida@client.example"]
    assert "360" in subjects["jo@client.example"] and "反馈" in subjects["jo@client.example"]
    assert "code" in bodies["ida@client.example"] and "Ann" in bodies["ida@client.example"]
    assert "不要转发" in bodies["jo@client.example"] or "转发" in bodies["jo@client.example"]
    for body in bodies.values():  # the code itself in every language's message
        assert any(len(tok) == 17 and tok.count("-") == 2 for tok in body.split())


def test_export_import_carries_languages_and_a_version_2_document_still_imports(db, cohort, tmp_path):
    ann, coach = cohort["ident"]["Ann"], cohort["ident"]["Coach C"]
    set_cohort_language(db, coach, cohort["id"], "zh")
    set_language(db, ann, ann.person_id, "fr")
    nominate_rater(db, ann, ann.person_id, "Pat", "pat@client.example", "client", "manager_profile", language="zh")
    doc = export_cohort(db, ADMIN, "Cohort A")
    assert doc["version"] == 3
    assert {p["name"]: p["language"] for p in doc["people"]}["Ann"] == "fr" and doc["raters"][0]["language"] == "zh"
    other = Database(f"sqlite:///{tmp_path / 'other.db'}")
    import_cohort(other, ADMIN, json.dumps(doc))
    assert export_cohort(other, ADMIN, "Cohort A") == doc
    # a version 2 document (written before languages travelled): no language keys, no language setting
    old = json.loads(json.dumps(doc))
    old.update(version=2, cohort="Older")
    for p in old["people"]:
        p.pop("language")
    for r in old["raters"]:
        r.pop("language")
    old["settings"] = [c for c in old["settings"] if c["key"] != "language"]
    import_cohort(other, ADMIN, json.dumps(old))
    again = export_cohort(other, ADMIN, "Older")
    assert all(p["language"] is None for p in again["people"]) and not [c for c in again["settings"] if c["key"] == "language"]


def test_cli_sets_and_shows_the_cohort_language(settings_env, monkeypatch, capsys, admin):
    """``workbook cohort language NAME [LANGUAGE]``: sets it when given, prints cohort, code and the language's name."""
    from cli_run import run_cli

    from workbook.store import create_cohort, open_database

    cid = create_cohort(open_database(), admin, "Spring 2027")
    assert run_cli(monkeypatch, settings_env, "cohort", "language", "Spring 2027") == 0
    assert capsys.readouterr().out.strip() == "Spring 2027\ten\tEnglish"  # the default
    assert run_cli(monkeypatch, settings_env, "cohort", "language", "Spring 2027", "fr") == 0
    assert capsys.readouterr().out.strip() == "Spring 2027\tfr\tFrançais"
    assert cohort_language(open_database(), admin, cid) == "fr"
    assert run_cli(monkeypatch, settings_env, "cohort", "language", "Nobody's cohort") == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("workbook: error:") and "Nobody's cohort" in err and "\n" not in err
