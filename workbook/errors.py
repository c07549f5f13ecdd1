"""The few exceptions a user of the workbook can see.

Every message says what is wrong, where, and how to fix it, in one line (the way
papermill's ``exceptions.py`` does). Callers at the edges (CLI, pages) print
``str(exc)`` and nothing else.
"""
from __future__ import annotations


class WorkbookError(Exception):
    """Root of every error the workbook raises on purpose."""


class SettingsError(WorkbookError):
    """A setting (environment variable or config file) has a value we cannot use."""


class ContentError(WorkbookError):
    """A YAML file under ``exercises/`` is malformed; the message names file, place and reason."""


class StoreError(WorkbookError):
    """The database cannot be reached or written; nothing already saved was changed."""


class StoreUnavailable(StoreError):
    """The database is unreachable, read-only or full: retry later, the answer is kept."""


class AccessDenied(WorkbookError):
    """The signed-in person may not do this (another person's data, wrong role, wrong code)."""


class NotFound(WorkbookError):
    """An unknown person, cohort, module, instrument or item."""


class InvalidAnswer(WorkbookError):
    """An answer outside what its item accepts (out of range, too long, wrong type)."""


class QuotaExceeded(InvalidAnswer):
    """A person or rater wrote more than the write budget allows; what is saved stays saved."""


class ImportFormatError(WorkbookError):
    """A JSON or CSV document given to an import is malformed; nothing was imported."""


class MailError(WorkbookError):
    """An e-mail could not be handed to the SMTP server (the message names server and reason)."""


def place(loc: tuple | list) -> str:
    """A pydantic error location as the YAML reads it: ``items[3].scale`` (``(top)`` when empty)."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".") or "(top)"


def reason(err: dict, kind: str = "") -> str:
    """The reason of one pydantic error in plain words (``kind``: the exercise type refusing an extra field)."""
    if err["type"] == "missing":
        return "is missing"
    if err["type"] == "extra_forbidden":
        return f"is not a field of a {kind} exercise" if kind else "is not a known field"
    if err["type"] == "literal_error":
        expected = str(err.get("ctx", {}).get("expected", "")).replace(" or ", ", ")
        given = err["input"]
        return f"{given} is not one of {expected.replace(chr(39), '')}" if isinstance(given, int) else f"{given!r} is not one of {expected}"
    return str(err["msg"]).removeprefix("Value error, ")


def one_line(exc, where: str = "", kind: str = "") -> str:
    """A pydantic ``ValidationError`` as one line: ``where: place: reason`` of its first problem."""
    err = exc.errors()[0]
    why = reason(err, kind)
    # a model's own check (no location) names its fields in its message
    text = (why if not err["loc"] and err["type"] == "value_error" else f"{place(err['loc'])}: {why}").replace("\n", " ")
    return f"{where}: {text}" if where else text
