"""A cohort's people from a CSV file (``name,role,email``, optionally ``login``: their JupyterHub user name): checked
whole, then invited in one transaction.

A coach with 30 trainees writes one file instead of 30 ``workbook invite`` commands. Any bad row
refuses the whole file with one line naming the row and column; nobody is invited then.
"""
from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from workbook.auth.identity import ROLES, Identity
from workbook.errors import ImportFormatError

from . import Database, invite_many

COLUMNS = ("name", "role", "email", "login")
MAX_ROWS = 1000


@dataclass(frozen=True)
class RosterRow:
    name: str
    role: str = "trainee"
    email: str = ""
    login: str = ""  # JupyterHub user name (setting auth_mode "jupyterhub"); empty: none


def _refuse(where: str, place: str, reason: str) -> ImportFormatError:
    return ImportFormatError(f"{where}: {place}: {reason}; nothing was imported, correct the file and run it again")


def _check_text(where: str, place: str, value: str, limit: int, required: bool) -> str:
    value = value.strip()
    bad = sorted({f"U+{ord(ch):04X}" for ch in value if unicodedata.category(ch) == "Cc"})
    if bad:
        raise _refuse(where, place, f"holds control characters ({', '.join(bad)})")
    if required and not value:
        raise _refuse(where, place, "is empty")
    if len(value) > limit:
        raise _refuse(where, place, f"{len(value)} characters; the limit is {limit}")
    return value


def parse_roster(text: str, where: str = "<roster>") -> list[RosterRow]:
    """Check a roster CSV whole; raise ImportFormatError naming the first bad row and column."""
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise _refuse(where, f"line {line}", "holds a NUL byte (not a text CSV file)")
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise _refuse(where, "CSV", str(exc)) from None
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise _refuse(where, "(top)", f"no rows; the first line names the columns ({', '.join(COLUMNS)})")
    header = [h.strip().lower().lstrip("\ufeff") for h in rows[0]]
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise _refuse(where, "line 1", f"unknown column {unknown[0][:40]!r}; the columns are {', '.join(COLUMNS)}")
    if "name" not in header or len(set(header)) != len(header):
        raise _refuse(where, "line 1", f"the header must name each of its columns once and include 'name' (got {', '.join(header)})")
    if len(rows) - 1 > MAX_ROWS:
        raise _refuse(where, "(top)", f"{len(rows) - 1} people; at most {MAX_ROWS} per file")
    out: list[RosterRow] = []
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise _refuse(where, f"row {n}", f"{len(row)} cells where the header has {len(header)}")
        cells = dict(zip(header, row))
        name = _check_text(where, f"row {n}, column name", cells["name"], 200, True)
        role = _check_text(where, f"row {n}, column role", cells.get("role", ""), 20, False).lower() or "trainee"
        if role not in ROLES:
            raise _refuse(where, f"row {n}, column role", f"{role!r} is not one of {', '.join(ROLES)}")
        email = _check_text(where, f"row {n}, column email", cells.get("email", ""), 320, False)
        if email and ("@" not in email or any(ch.isspace() for ch in email)):
            raise _refuse(where, f"row {n}, column email", f"{email[:60]!r} is not an e-mail address")
        login = _check_text(where, f"row {n}, column login", cells.get("login", ""), 200, False)
        if any(ch.isspace() for ch in login):
            raise _refuse(where, f"row {n}, column login", f"{login[:60]!r} is not a JupyterHub user name (no spaces)")
        if login and login in {r.login for r in out}:
            raise _refuse(where, f"row {n}, column login", f"{login[:60]!r} is given twice; one hub user is one person")
        out.append(RosterRow(name, role, email, login))
    return out


class Invited(NamedTuple):
    """One person a roster invited, with the access code shown only now."""

    person_id: int
    name: str
    role: str
    email: str
    code: str


CODES_COLUMNS = ("name", "role", "email", "code")


def import_roster(db: Database, actor: Identity, cohort_id: int, text: str, where: str = "<roster>") -> list[Invited]:
    """Invite everyone of a roster CSV into a cohort at once, in the file's order; codes shown once."""
    rows = parse_roster(text, where)
    invited = invite_many(db, actor, cohort_id, [(r.name, r.role, r.email, r.login or None) for r in rows])
    return [Invited(pid, name, role, row.email, code) for row, (pid, name, role, code) in zip(rows, invited)]


def codes_csv(invited: list[Invited]) -> str:
    """The invited people's codes as CSV (``name,role,email,code``) for a coach's mail merge."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CODES_COLUMNS)
    writer.writerows([(i.name, i.role, i.email, i.code) for i in invited])
    return out.getvalue()
