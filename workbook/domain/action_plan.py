"""Action plans (Module 9) as pure data: SMART checks, status and overdue. No I/O.

SMART here is Doran's original reading (Management Review, 1981): an action is **S**pecific,
**M**easurable, **A**ssignable (someone owns it), **R**ealistic and **T**ime-related (it has a
due date). Each action is stored as a JSON value; every change is a new row (see
``workbook/store/action_plans.py``), so the latest value of an action id is its current state.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from workbook.errors import InvalidAnswer
from workbook.i18n import _, _l

SMART_VARIANT = _l("Doran (1981): Specific, Measurable, Assignable, Realistic, Time-related")  # in the language shown
STATUSES = ("planned", "in_progress", "done", "dropped")
STATUS_LABELS = {"planned": _l("planned"), "in_progress": _l("in progress"), "done": _l("done"), "dropped": _l("dropped")}  # said in the current language
CLOSED = ("done", "dropped")
MIN_WORDS = 4
MAX_FIELD = 2000
FIELDS = ("text", "owner", "measure", "due", "realistic", "status", "comment", "follow_up", "behaviours")
MAX_BEHAVIOURS = 10  # 360 items one action may target (a pulse round asks raters about these)


@dataclass(frozen=True)
class Action:
    """The current state of one action of a person's plan."""

    id: str
    text: str
    owner: str
    measure: str
    due: date | None
    realistic: bool = False
    status: str = "planned"
    comment: str = ""  # the person's own note on progress
    follow_up: str = ""  # the coach's follow-up note
    behaviours: tuple[str, ...] = ()  # ids of the 360 items (behaviours) the action works on
    by: str = ""  # role of whoever made the latest change
    changed_at: datetime | None = None
    history: list[dict] = field(default_factory=list, compare=False)

    def overdue(self, as_of: date) -> bool:
        """True when the due date has passed and the action is neither done nor dropped."""
        return self.due is not None and self.due < as_of and self.status not in CLOSED

    def days_late(self, as_of: date) -> int:
        return (as_of - self.due).days if self.overdue(as_of) else 0


def parse_due(raw: object, where: str = "due") -> date | None:
    """A due date from an ISO string or a date; None when empty."""
    if raw in (None, ""):
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        raise InvalidAnswer(_("{where}: {value} is not a date; write it as YYYY-MM-DD").format(where=where, value=repr(raw))) from None


def normalise(fields: dict, where: str = "action") -> dict:
    """Check and clean the fields of an action before saving; raise InvalidAnswer naming the field."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise InvalidAnswer(f"{where}: unknown field(s) {', '.join(sorted(unknown))}; known: {', '.join(FIELDS)}")
    out: dict = {}
    for key, raw in fields.items():
        if key == "due":
            due = parse_due(raw, f"{where}.due")
            out[key] = due.isoformat() if due else ""
        elif key == "realistic":
            out[key] = bool(raw)
        elif key == "behaviours":
            out[key] = _behaviours(raw, f"{where}.behaviours")
        elif key == "status":
            if raw not in STATUSES:
                raise InvalidAnswer(f"{where}.status: {raw!r} is not one of {', '.join(STATUSES)}")
            out[key] = raw
        else:
            text = "" if raw is None else str(raw).strip()
            if len(text) > MAX_FIELD:
                raise InvalidAnswer(_("{where}: {n} characters; the limit is {limit}").format(where=f"{where}.{key}", n=len(text), limit=MAX_FIELD))
            out[key] = text
    return out


def _behaviours(raw: object, where: str) -> list[str]:
    """A list of distinct item ids (their existence is checked by the store against the content)."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, (list, tuple)) or not all(isinstance(x, str) and 0 < len(x) <= 40 for x in raw):
        raise InvalidAnswer(f"{where}: expected a list of 360 item ids, got {str(raw)[:60]!r}")
    ids = list(dict.fromkeys(x.strip() for x in raw))
    if len(ids) > MAX_BEHAVIOURS:
        raise InvalidAnswer(_("{where}: {n} behaviours; an action targets at most {limit}").format(where=where, n=len(ids), limit=MAX_BEHAVIOURS))
    return ids


def targetable_items(instruments) -> dict[str, str]:
    """The behaviours an action may target: every current item of a 360 instrument (one whose
    items all have a rater phrasing), id -> the rater's phrasing."""
    return {it.id: it.text_360 for inst in instruments if inst.items and all(i.text_360 for i in inst.items) for it in inst.items}


def pulse_items(actions: list[Action], item_ids) -> list[str]:
    """The items a pulse round asks about: those the plan's actions (dropped ones aside) target,
    among ``item_ids`` (one instrument's items, in its order: the order raters see)."""
    targeted = {b for a in actions if a.status != "dropped" for b in a.behaviours}
    return [i for i in item_ids if i in targeted]


def smart_problems(fields: dict) -> list[str]:
    """What keeps an action from being SMART (Doran's reading), one short line each in the language shown; empty when SMART."""
    problems = []
    if len(str(fields.get("text", "")).split()) < MIN_WORDS:
        problems.append(_("Specific: describe the action in at least {words} words (what exactly, with whom).").format(words=MIN_WORDS))
    if not str(fields.get("measure", "")).strip():
        problems.append(_("Measurable: say how you will know it is done (a number, a document, an event)."))
    if not str(fields.get("owner", "")).strip():
        problems.append(_("Assignable: name who owns the action."))
    if not fields.get("realistic"):
        problems.append(_("Realistic: confirm it is achievable with the time and means you have."))
    if not fields.get("due"):
        problems.append(_("Time-related: give a due date."))
    return problems


def from_rows(action_id: str, rows: list[tuple[dict, str, datetime]], where: str = "") -> Action | None:
    """Fold the saved versions of one action (oldest first: value, author role, time) into its
    current state; None when the latest version deleted it."""
    state: dict = {}
    history = []
    last_by, last_at = "", None
    for value, by, at in rows:
        if not isinstance(value, dict):
            raise InvalidAnswer(f"{where or 'action plan'}: action {action_id} has a malformed saved value ({type(value).__name__}, expected an object)")
        if value.get("deleted"):
            state = {"deleted": True}
        else:
            state = {**{k: v for k, v in state.items() if k != "deleted"}, **{k: v for k, v in value.items() if k != "by"}}
        history.append({"at": at, "by": by, **value})
        last_by, last_at = by, at
    if not state or state.get("deleted"):
        return None
    return Action(
        id=action_id,
        text=str(state.get("text", "")),
        owner=str(state.get("owner", "")),
        measure=str(state.get("measure", "")),
        due=parse_due(state.get("due"), f"{where} action {action_id}.due"),
        realistic=bool(state.get("realistic", False)),
        status=str(state.get("status", "planned")),
        comment=str(state.get("comment", "")),
        follow_up=str(state.get("follow_up", "")),
        behaviours=tuple(x for x in state.get("behaviours", ()) or () if isinstance(x, str)),
        by=last_by,
        changed_at=last_at,
        history=history,
    )


def summary(actions: list[Action], as_of: date) -> dict[str, int]:
    """Counts of a plan's actions by status, plus overdue."""
    out = {s: 0 for s in STATUSES}
    for a in actions:
        out[a.status] = out.get(a.status, 0) + 1
    out["overdue"] = sum(a.overdue(as_of) for a in actions)
    out["total"] = len(actions)
    return out
