"""Who may read or write whose data: one pure policy, called by every store function."""
from __future__ import annotations

from workbook.auth.identity import STAFF_ROLES, Identity
from workbook.errors import AccessDenied


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
    if role in STAFF_ROLES and actor.person_id == person_id:
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
    if actor.role == "admin" or (actor.role in STAFF_ROLES and actor.cohort_id == cohort_id):
        return
    raise AccessDenied(f"{actor.role} {actor.name or actor.person_id} may not see cohort {cohort_id}")


def check_nominate(actor: Identity, person_id: int) -> None:
    """Raise AccessDenied unless ``actor`` is the person themselves (a trainee nominates their own
    360 raters; nobody nominates for them), or the operator."""
    if actor.role == "admin" or (actor.role == "trainee" and actor.person_id == person_id):
        return
    raise AccessDenied(f"only the person themselves nominates their raters, not {actor.role} {actor.name or actor.person_id}")


def check_rater_admin(actor: Identity, person_cohort: int) -> None:
    """Raise AccessDenied unless ``actor`` is a coach of the person's cohort (or the operator): only
    they approve raters, send or see rater codes, remind raters and close a feedback round."""
    if actor.role == "admin" or (actor.role == "coach" and actor.cohort_id == person_cohort):
        return
    raise AccessDenied(f"{actor.role} {actor.name or actor.person_id} may not manage the raters of a person of cohort {person_cohort}; "
                       "a coach of that cohort approves raters, sends their codes and closes the round")
