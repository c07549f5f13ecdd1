"""Access codes are hashed at production's scrypt cost. The fast tests run with a cheaper one (tests/conftest.py);
this test puts production's back and pins it, so a change of the cost cannot hide behind the tests' own."""
import hashlib

from workbook.auth import identity


def test_codes_are_hashed_at_the_production_scrypt_cost(monkeypatch):
    assert identity._SCRYPT is not identity.SCRYPT_COST  # this fast test starts with the tests' cheap cost …
    monkeypatch.undo()  # … and gets the package's own back
    assert identity._SCRYPT is identity.SCRYPT_COST
    assert identity.SCRYPT_COST == {"n": 2**14, "r": 8, "p": 1, "dklen": 32}  # a stored hash holds no cost: never change it without a migration
    salt = bytes(range(16))
    expected = hashlib.scrypt(b"ABCDE12345", salt=salt, n=16384, r=8, p=1, dklen=32).hex()
    assert identity.hash_secret("ABCDE12345", salt) == (salt.hex(), expected)
    assert identity.verify_secret("ABCDE12345", salt.hex(), expected)
    assert not identity.verify_secret("ABCDE12346", salt.hex(), expected)
