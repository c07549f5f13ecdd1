"""`workbook export` → `workbook import` into a fresh database loses nothing a coach relies on: the
360 rounds (closed ones show the same results under the same anonymity rules, open ones stay open
with their dates), the raters' e-mail addresses (reminders reach the same people, through a real
SMTP server), a revoked rater stays revoked, and the cohort's chosen path. A version 1 document
(written before rounds travelled) still imports. Refusals of malformed documents: tests/unit/store/test_hostile.py."""
from __future__ import annotations

import dataclasses
import json
import re
from datetime import timedelta

import pytest
from test_raters import INST, ITEMS, answer_all

from workbook.analysis.person_360 import feedback_for
from workbook.auth.identity import Identity
from workbook.content.catalogue import catalogue
from workbook.render.person_360_html import feedback_html
from workbook.store import (
    AccessCodeAuthenticator,
    Database,
    approve_raters,
    close_round,
    cohort_by_name,
    cohort_path,
    feedback_responses,
    feedback_rounds,
    list_people,
    list_raters,
    nominate_rater,
    pulse_responses,
    rater_task,
    reissue_code,
    remind_raters,
    revoke_rater,
    save_answer,
    save_rater_answer,
    send_rater_codes,
    set_cohort_path,
    set_round_closing,
    start_pulse_round,
)
from workbook.store.models import utcnow
from workbook.store.transfer import export_cohort, import_cohort

ADMIN = Identity.admin()
CODE = re.compile(r"\b([0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5})\b")
ANN_RATERS = [("Pat", "peer", 4), ("Quinn", "peer", 2), ("Rae", "peer", 3), ("Sol", "peer", 5), ("Tia", "peer", 4),
              ("Mia", "manager", 1), ("Dee", "direct_report", 5), ("Vic", "peer", None)]  # Vic: revoked before answering
PULSE_ITEMS = ["mp1", "mp4"]


def _code_to(smtp, address: str, nth: int = -1) -> str:
    return CODE.search(smtp.bodies_to(address)[nth]).group(1)


def _other_path() -> str:
    """A path that is not the default, so that an import falling back to the default shows."""
    doc = catalogue().paths
    return next(p.id for p in doc.paths if p.id != doc.default)


def _fill(db, cohort, smtp) -> dict:
    """Ann: a closed main round (five peers, a manager and a direct report answered, Vic revoked) and
    an open pulse round one rater answered; Ben: an open main round with a closing date, nobody
    answered; the cohort follows a path other than the default."""
    ann, ben, coach = cohort["ident"]["Ann"], cohort["ident"]["Ben"], cohort["ident"]["Coach C"]
    set_cohort_path(db, coach, cohort["id"], _other_path())
    for item in ITEMS:
        save_answer(db, ann, ann.person_id, "m03", INST, item, 3)
    ids = {name: nominate_rater(db, ann, ann.person_id, name, f"{name.lower()}@client.example", cat, INST) for name, cat, _v in ANN_RATERS}
    approve_raters(db, coach, ann.person_id)
    send_rater_codes(db, coach, ann.person_id)
    auth = AccessCodeAuthenticator(db)
    revoke_rater(db, coach, ann.person_id, ids["Vic"])
    for name, _cat, value in ANN_RATERS:
        if value is not None:
            answer_all(db, auth.authenticate(_code_to(smtp, f"{name.lower()}@client.example"), source="t"), value, comment=f"{name} says <b>keep going</b>")
    close_round(db, coach, ann.person_id, INST)
    start_pulse_round(db, coach, ann.person_id, INST, PULSE_ITEMS)
    send_rater_codes(db, coach, ann.person_id)
    save_rater_answer(db, auth.authenticate(_code_to(smtp, "pat@client.example"), source="t"), "mp1", 5)
    for name in ("Uma", "Wes"):
        nominate_rater(db, ben, ben.person_id, name, f"{name.lower()}@ben.example", "peer", INST)
    set_round_closing(db, coach, ben.person_id, INST, utcnow().date() + timedelta(days=10))
    approve_raters(db, coach, ben.person_id)
    send_rater_codes(db, coach, ben.person_id)
    return {"ann": ann, "ben": ben, "coach": coach}


def _signed_in(db: Database, name: str = "Cohort A") -> dict:
    """After an import: the operator re-issues people's codes (none travel) and each signs in."""
    cid = cohort_by_name(db, name)
    auth = AccessCodeAuthenticator(db)
    return {p.name: auth.authenticate(reissue_code(db, ADMIN, p.id), source="t") for p in list_people(db, ADMIN, cid)} | {"cid": cid}


def _rounds(db, who: Identity) -> list:
    return [dataclasses.replace(r, id=0) for r in feedback_rounds(db, who, who.person_id, INST)]


def _raters(db, who: Identity) -> list:
    return [(r.category, r.label, r.email, r.status, r.reminders) for r in list_raters(db, who, who.person_id, INST)]


def _round_trip(src: Database, dst: Database, cohort, smtp) -> None:
    was = _fill(src, cohort, smtp)
    doc = export_cohort(src, ADMIN, "Cohort A")
    assert doc["version"] == 3
    import_cohort(dst, ADMIN, json.dumps(doc, ensure_ascii=False), where="cohort.json")
    now = _signed_in(dst)
    ann, ben, coach = now["Ann"], now["Ben"], now["Coach C"]

    # the closed round shows the same 360 results, under the same anonymity rules
    before, counts_before = feedback_for(src, was["ann"], was["ann"].person_id, catalogue().instrument(INST), seed=0)
    after, counts_after = feedback_for(dst, ann, ann.person_id, catalogue().instrument(INST), seed=0)
    assert before.categories["peer"]["shown"] and not before.categories["manager"]["shown"]  # something shown, something hidden
    peers = [name for name, cat, value in ANN_RATERS if cat == "peer" and value is not None]
    assert sorted(before.comments) == sorted(f"{n} says <b>keep going</b>" for n in peers)  # the hidden groups' comments are not among them
    assert after == before and counts_after == counts_before
    assert feedback_html(after, counts_after) == feedback_html(before, counts_before)
    # open rounds are open with their dates and counts (Ann's pulse, Ben's main round)
    for old, new in ((was["ann"], ann), (was["ben"], ben)):
        assert _rounds(dst, new) == _rounds(src, old)
        assert _raters(dst, new) == _raters(src, old)
    ann_rounds = _rounds(dst, ann)
    assert [(r.kind, r.closed, r.items) for r in ann_rounds] == [("main", True, None), ("pulse", False, tuple(PULSE_ITEMS))]
    [ben_round] = _rounds(dst, ben)
    assert not ben_round.closed and ben_round.closes_on == utcnow().date() + timedelta(days=10)
    assert ("peer", "Vic", "vic@client.example", "withdrawn", 0) in _raters(dst, ann)
    # the same path
    assert cohort_path(dst, coach, now["cid"]) == cohort_path(src, was["coach"], cohort["id"]) == _other_path()
    assert export_cohort(dst, ADMIN, "Cohort A") == doc  # and the same document again

    # reminders reach the same addresses: each a fresh code that signs in on the new server
    sent = len(smtp.messages)
    got = sorted(i.email for who in (ann, ben) for i in remind_raters(dst, coach, who.person_id))
    new_mail = sorted(a for rc in smtp.recipients[sent:] for a in rc)
    sent = len(smtp.messages)
    want = sorted(i.email for who in (was["ann"], was["ben"]) for i in remind_raters(src, was["coach"], who.person_id))
    assert got == new_mail == want == sorted(["quinn@client.example", "rae@client.example", "sol@client.example", "tia@client.example",
                                              "mia@client.example", "dee@client.example", "uma@ben.example", "wes@ben.example"])
    quinn_now = AccessCodeAuthenticator(dst).authenticate(_code_to(smtp, "quinn@client.example", -2), source="t")
    quinn_was = AccessCodeAuthenticator(src).authenticate(_code_to(smtp, "quinn@client.example", -1), source="t")
    assert rater_task(dst, quinn_now) == rater_task(src, quinn_was)
    assert rater_task(dst, quinn_now).items == tuple(PULSE_ITEMS) and not rater_task(dst, quinn_now).closed
    # the pulse round goes on: answered and closed, it compares against the imported main round
    for db, who, boss, rater in ((dst, ann, coach, quinn_now), (src, was["ann"], was["coach"], quinn_was)):
        save_rater_answer(db, rater, "mp1", 2)
        close_round(db, boss, who.person_id, INST, kind="pulse")
    items, base, pulse = pulse_responses(dst, ann, ann.person_id, INST)
    assert (items, base, pulse) == pulse_responses(src, was["ann"], was["ann"].person_id, INST)
    assert sorted(r["answers"].get("mp1") for r in pulse if r["answers"]) == [2, 5]


def test_export_import_keeps_rounds_rater_emails_and_path_sqlite(smtp, db, cohort, tmp_path):
    _round_trip(db, Database(f"sqlite:///{tmp_path / 'other.db'}"), cohort, smtp)


@pytest.mark.slow
def test_export_import_keeps_rounds_rater_emails_and_path_postgres(smtp, db, cohort, pg):
    _round_trip(db, Database(pg.create_database("transfer")), cohort, smtp)


# a document written by the previous version (1): people, raters and their answers, no rounds, no contacts
OLD = {
    "format": "servuction-workbook/cohort", "version": 1, "cohort": "Old cohort", "closed": False,
    "people": [{"key": "p1", "name": "Coach O", "role": "coach", "email": ""}, {"key": "p2", "name": "Ola", "role": "trainee", "email": "ola@x.example"}],
    "raters": [{"key": f"r{n}", "subject": "p2", "category": "peer", "instrument": INST, "label": f"peer {n}", "at": "2026-10-01T09:00:00"}
               for n in (1, 2, 3)],
    "answers": [{"person": "p2", "rater": f"r{n}", "module": "360", "exercise": INST, "item": "mp1", "attempt": 1, "value": n + 1,
                 "at": "2026-10-02T09:00:00"} for n in (1, 2, 3)],
    "progress": [{"person": "p2", "module": "m03", "status": "done", "at": "2026-10-02T10:00:00"}],
    "notes": [],
}


def test_a_version_1_document_still_imports(db):
    import_cohort(db, ADMIN, json.dumps(OLD), where="old.json")
    now = _signed_in(db, "Old cohort")
    ola, coach = now["Ola"], now["Coach O"]
    # as before: its raters belong to no round, so nothing shows until the coach closes them into one
    assert feedback_responses(db, ola, ola.person_id, INST) == [] and feedback_rounds(db, ola, ola.person_id, INST) == []
    assert [(r.label, r.email, r.status) for r in list_raters(db, ola, ola.person_id, INST)] == [(f"peer {n}", "", "operator") for n in (1, 2, 3)]
    assert cohort_path(db, coach, now["cid"]) == catalogue().paths.default  # no path chosen: the default
    close_round(db, coach, ola.person_id, INST)
    assert sorted(r["answers"]["mp1"] for r in feedback_responses(db, ola, ola.person_id, INST)) == [2, 3, 4]
    again = export_cohort(db, ADMIN, "Old cohort")
    assert again["version"] == 3 and [r["round"] for r in again["raters"]] == ["f1"] * 3 and again["rounds"][0]["closed_by"] == "p1"

