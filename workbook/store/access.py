"""Who may read or write whose data: one pure policy, called by every store function."""
from __future__ import annotations

from ..auth import Identity
from ..errors import AccessDenied


def check_person(actor: Identity, person_id: int, person_cohort: int, action: str = "read") -> None:
    """Raise AccessDenied unless ``actor`` may ``action`` (read/write) data of that person.

    Trainees: only themselves. Coaches: people of their own cohort (read, and write coaching
    data). HR: read people of their own cohort. Raters: nothing here (see ``check_rater``).
    """
    role = actor.role
    if role == "admin":
        return
    if role == "trainee" and actor.person_id == person_id:
        return
    if role in ("coach", "hr") and actor.person_id == person_id:
        return
    if role == "coach" and actor.cohort_id == person_cohort:
        return
    if role == "hr" and actor.cohort_id == person_cohort and action == "read":
        return
    raise AccessDenied(f"{role} {actor.name or actor.person_id} may not {action} the data of person {person_id}")


def require_role(actor: Identity, *roles: str) -> None:
    """Raise AccessDenied unless the actor has one of ``roles`` (admin always passes)."""
    if actor.role == "admin" or actor.role in roles:
        return
    wanted = " or ".join(roles)
    raise AccessDenied(f"this page is for the {wanted}; you are signed in as {actor.role}")


def check_cohort(actor: Identity, cohort_id: int) -> None:
    """Raise AccessDenied unless actor is staff of that cohort."""
    if actor.role == "admin" or (actor.role in ("coach", "hr") and actor.cohort_id == cohort_id):
        return
    raise AccessDenied(f"{actor.role} {actor.name or actor.person_id} may not see cohort {cohort_id}")
