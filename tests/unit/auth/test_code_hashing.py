"""Access codes are hashed at production's scrypt cost. The fast tests run with a cheaper one (tests/conftest.py);
this test puts production's back and pins it, so a change of the cost cannot hide behind the tests' own. Each
stored hash records its cost (revision 0005): a code hashed at an earlier cost still signs in, once re-hashed."""
import hashlib

import pytest
from sqlalchemy import select

from workbook.auth import identity


def test_codes_are_hashed_at_the_production_scrypt_cost(monkeypatch):
    assert identity._SCRYPT is not identity.SCRYPT_COST  # this fast test starts with the tests' cheap cost …
    monkeypatch.undo()  # … and gets the package's own back
    assert identity._SCRYPT is identity.SCRYPT_COST
    # 2 MiB and ~5 ms a code: 50 random bits take ~49 GPU-years to find offline (docs/operator/serve.md)
    assert identity.SCRYPT_COST == {"n": 2**11, "r": 8, "p": 1, "dklen": 32}
    assert identity.current_cost() == "scrypt:n=2048,r=8,p=1"
    # what every code issued before revision 0005 was hashed at: the rows of that time are marked with it
    assert identity.LEGACY_SCRYPT_COST == {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
    assert identity.LEGACY_COST_LABEL == "scrypt:n=16384,r=8,p=1"
    salt = bytes(range(16))
    expected = hashlib.scrypt(b"ABCDE12345", salt=salt, n=2048, r=8, p=1, dklen=32).hex()
    assert identity.hash_secret("ABCDE12345", salt) == (salt.hex(), expected)
    assert identity.verify_secret("ABCDE12345", salt.hex(), expected)
    assert identity.verify_secret("ABCDE12345", salt.hex(), expected, "scrypt:n=2048,r=8,p=1")
    assert not identity.verify_secret("ABCDE12346", salt.hex(), expected)
    older = hashlib.scrypt(b"ABCDE12345", salt=salt, n=16384, r=8, p=1, dklen=32).hex()
    assert identity.verify_secret("ABCDE12345", salt.hex(), older, identity.LEGACY_COST_LABEL)
    assert not identity.verify_secret("ABCDE12345", salt.hex(), older)  # at today's cost it is another digest


def _derivations(monkeypatch) -> list[int]:
    """The ``n`` of every scrypt derivation from now on (the real one runs)."""
    seen = []
    real = hashlib.scrypt
    monkeypatch.setattr(hashlib, "scrypt", lambda *a, **k: seen.append(k["n"]) or real(*a, **k))
    return seen


def test_an_unknown_code_costs_one_derivation_at_the_current_cost(monkeypatch):
    monkeypatch.undo()
    seen = _derivations(monkeypatch)
    identity.dummy_verify("ABCDE12345")
    assert seen == [identity.SCRYPT_COST["n"]]


@pytest.mark.parametrize("label", ["", "scrypt", "scrypt:n=2048,r=8", "scrypt:n=2000,r=8,p=1", "bcrypt:n=2048,r=8,p=1",
                                   "scrypt:n=2048,r=8,p=1,x=2", "scrypt:n=02048,r=8,p=1"])
def test_a_stored_cost_that_is_not_one_is_refused_naming_it(label):
    with pytest.raises(ValueError, match="is not a scrypt cost"):
        identity.cost_of(label)


def _stored(db, lookup: str):
    from workbook.store.models import AccessCode

    with db.session() as s:
        row = s.get(AccessCode, lookup)
        return row.salt, row.digest, row.cost


def _make_legacy(db, code: str) -> str:
    """Store ``code``'s hash as the release before revision 0005 made it (its one cost, marked so)."""
    from workbook.store.models import AccessCode

    lookup, secret = identity.normalise_code(code)
    salt, digest = identity.hash_secret(secret, cost=identity.LEGACY_SCRYPT_COST)
    with db.session() as s:
        row = s.get(AccessCode, lookup)
        row.salt, row.digest, row.cost = salt, digest, identity.LEGACY_COST_LABEL
    return lookup


def test_a_code_hashed_at_an_earlier_cost_signs_in_and_is_rehashed_at_the_current_one(db, cohort, monkeypatch):
    from workbook.store import AccessCodeAuthenticator
    from workbook.store.models import AccessCode

    ann = cohort["people"]["Ann"]
    lookup = _make_legacy(db, ann["code"])
    old = _stored(db, lookup)
    auth = AccessCodeAuthenticator(db)
    seen = _derivations(monkeypatch)
    with pytest.raises(Exception, match="not valid"):
        auth.authenticate(ann["code"][:-1] + ("0" if ann["code"][-1] != "0" else "1"))
    assert _stored(db, lookup) == old, "a wrong code re-hashed the stored one"
    assert auth.authenticate(ann["code"]).person_id == ann["id"]
    assert seen == [2**14, 2**14, identity._SCRYPT["n"]]  # checked at its own cost, then hashed at today's once
    salt, digest, cost = _stored(db, lookup)
    assert cost == identity.current_cost() != identity.LEGACY_COST_LABEL and (salt, digest) != old[:2]
    seen.clear()
    assert auth.authenticate(ann["code"]).person_id == ann["id"]
    assert seen == [identity._SCRYPT["n"]], "the next sign-in costs one derivation at today's cost"
    with db.session() as s:
        assert {c for c in s.scalars(select(AccessCode.cost))} == {identity.current_cost()}


def test_a_new_code_records_the_cost_it_was_hashed_at(db, cohort):
    lookup, _secret = identity.normalise_code(cohort["people"]["Ben"]["code"])
    assert _stored(db, lookup)[2] == identity.current_cost() == identity.cost_label(identity._SCRYPT)


def test_a_stored_cost_altered_by_hand_is_one_line_naming_the_code(db, cohort):
    from workbook.errors import StoreError
    from workbook.store import AccessCodeAuthenticator
    from workbook.store.models import AccessCode

    lookup, _secret = identity.normalise_code(cohort["people"]["Cy"]["code"])
    with db.session() as s:
        s.get(AccessCode, lookup).cost = "scrypt:n=3,r=8,p=1"
    with pytest.raises(StoreError, match=f"access code {lookup}.*workbook reissue"):
        AccessCodeAuthenticator(db).authenticate(cohort["people"]["Cy"]["code"])
