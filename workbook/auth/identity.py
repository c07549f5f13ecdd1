"""Identity: who is signed in, and the seam through which they sign in.

Two implementations of one :class:`Authenticator` interface (as nbgrader's ``auth/``):
personal access codes today (:class:`AccessCodeAuthenticator`, in ``store.people``) and
JupyterHub's login at scale (:class:`JupyterHubAuthenticator`). Pages and the store only
ever see an :class:`Identity`.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

ROLES = ("trainee", "coach", "hr")  # the roles of a cohort's people: every list of roles derives from these
STAFF_ROLES = ("coach", "hr")  # the roles that see a cohort (raters and the CLI's "admin" are not people of a cohort)
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
LOOKUP_LEN = 5
SECRET_LEN = 10
# scrypt's cost for access codes (~5 ms a code on one core, 2 MiB). The secret part is 10 random Crockford-base32
# characters from `secrets` (50 bits), not a human password: n=2**14 (16 MiB, ~40 ms) was sized for passwords. At
# n=2**11, r=8 a GPU bound by its memory bandwidth (~1 TB/s, 2 MiB read and written per try) tries at most ~3.7e5
# codes a second, so finding one code (2**49 tries on average) takes ~49 GPU-years; online guessing is slowed by
# signin_delay. The arithmetic: docs/operator/serve.md ("How access codes are stored"). Each stored hash records
# its cost (access_codes.cost, revision 0005): codes are checked at their own cost and re-hashed at this one at
# their next sign-in.
# tests/unit/auth pins it; the fast tests swap in a cheaper cost through _SCRYPT (tests/conftest.py), servers and
# slow tests always run with this one.
SCRYPT_COST = {"n": 2**11, "r": 8, "p": 1, "dklen": 32}
LEGACY_SCRYPT_COST = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}  # every code hashed before revision 0005
_SCRYPT = SCRYPT_COST


@dataclass(frozen=True)
class Identity:
    """The signed-in actor. ``role`` is trainee, coach, hr, rater or admin (the local operator)."""

    role: str
    person_id: int | None = None
    cohort_id: int | None = None
    name: str = ""
    rater_id: int | None = None

    @classmethod
    def admin(cls) -> Identity:
        """The operator at the server's own shell (the CLI): full access."""
        return cls(role="admin", name="operator")

    @property
    def is_staff(self) -> bool:
        return self.role in (*STAFF_ROLES, "admin")


class Authenticator(Protocol):
    """Turns credentials into an Identity, or raises AccessDenied with a plain message."""

    def authenticate(self, credential: str, source: str | Sequence[str] = "") -> Identity:
        """``source``: where the attempt comes from (a page, ``addr:<client address>``), so that
        wrong codes can be slowed down per source as well as per code."""
        ...


def new_code() -> tuple[str, str, str]:
    """A fresh access code as (display code, lookup part, secret part)."""
    lookup = "".join(secrets.choice(ALPHABET) for _ in range(LOOKUP_LEN))
    secret = "".join(secrets.choice(ALPHABET) for _ in range(SECRET_LEN))
    display = f"{lookup}-{secret[:5]}-{secret[5:]}"
    return display, lookup, secret


def normalise_code(code: str) -> tuple[str, str] | None:
    """Split a typed code into (lookup, secret); tolerant of case, spaces, dashes, O/0 and I/L/1."""
    cleaned = "".join(ch for ch in str(code).upper() if ch.isalnum())
    cleaned = cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    if len(cleaned) != LOOKUP_LEN + SECRET_LEN or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned[:LOOKUP_LEN], cleaned[LOOKUP_LEN:]


def cost_label(cost: dict[str, int]) -> str:
    """How a stored hash records its scrypt cost: ``"scrypt:n=2048,r=8,p=1"`` (the digest's length is fixed)."""
    return f"scrypt:n={cost['n']},r={cost['r']},p={cost['p']}"


LEGACY_COST_LABEL = cost_label(LEGACY_SCRYPT_COST)


def cost_of(label: str) -> dict[str, int]:
    """The scrypt parameters a stored label names; ValueError naming the label when it is not one."""
    kind, _, params = str(label).partition(":")
    try:
        values = dict(part.split("=", 1) for part in params.split(","))
        cost = {"n": int(values["n"]), "r": int(values["r"]), "p": int(values["p"]), "dklen": 32}
    except (KeyError, ValueError):
        cost = None
    if kind != "scrypt" or cost is None or cost_label(cost) != label or cost["n"] < 2 or cost["n"] & (cost["n"] - 1):
        raise ValueError(f"access code cost {label!r} is not a scrypt cost like {cost_label(SCRYPT_COST)!r}")
    return cost


def current_cost() -> str:
    """The label of the cost new hashes are made at."""
    return cost_label(_SCRYPT)


def hash_secret(secret: str, salt: bytes | None = None, cost: dict[str, int] | None = None) -> tuple[str, str]:
    """Salted scrypt of the secret part, as (salt hex, digest hex), at ``cost`` (default: the current one).
    The code itself is never stored."""
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, **(cost or _SCRYPT))
    return salt.hex(), digest.hex()


def verify_secret(secret: str, salt_hex: str, digest_hex: str, cost: str | None = None) -> bool:
    """Constant-time comparison of the secret's hash with the stored digest, at the stored ``cost`` label
    (default: the current cost)."""
    _, digest = hash_secret(secret, bytes.fromhex(salt_hex), cost_of(cost) if cost else None)
    return hmac.compare_digest(digest, digest_hex)


def dummy_verify(secret: str) -> None:
    """Spend the same time as a real verification at the current cost, so unknown lookups are not faster."""
    hash_secret(secret, b"\0" * 16)


HUB_USER_VARIABLE = "JUPYTERHUB_USER"  # set by JupyterHub in the environment of the single-user server it spawns
CODES_OFF = "access codes are off on this server: you are signed in through JupyterHub"


def hub_user(environ: dict[str, str] | None = None) -> str:
    """The JupyterHub user this server process runs for (empty outside a hub): set by the hub when it
    spawns the server, inherited by every kernel, never from anything a page sends."""
    return (os.environ if environ is None else environ).get(HUB_USER_VARIABLE, "").strip()


class JupyterHubAuthenticator:
    """Identity from JupyterHub's login (setting ``auth_mode = "jupyterhub"``): the hub user the server
    runs for, mapped to the person whose ``external_login`` it is. Nothing typed counts: a credential
    (an access code typed anyway) is refused."""

    def __init__(self, find_by_login, environ: dict[str, str] | None = None):
        self._find = find_by_login
        self._environ = environ

    def authenticate(self, credential: str = "", source: str | Sequence[str] = "") -> Identity:
        """The hub user's person; AccessDenied (one line) for any typed credential, outside a hub, or
        for a hub user nobody invited."""
        from workbook.errors import AccessDenied

        if credential:
            raise AccessDenied(CODES_OFF)
        login = hub_user(self._environ)
        if not login:
            raise AccessDenied(f"no JupyterHub user on this server ({HUB_USER_VARIABLE} is not set): "
                               "open the workbook through the hub, or set WORKBOOK_AUTH_MODE=codes")
        return self._find(login)
