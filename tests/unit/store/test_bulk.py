"""Bulk saving (the demo cohort): the same checks as one save, all or nothing, one transaction."""
import pytest

from workbook.errors import AccessDenied, InvalidAnswer
from workbook.store import current_answers, progress, save_answers_bulk


def test_bulk_saves_answers_and_marks_modules_in_progress(db, admin, cohort):
    ann = cohort["people"]["Ann"]["id"]
    n = save_answers_bulk(db, admin, [(ann, "m01", "coproduction", "cp1", 4), (ann, "m01", "coproduction", "cp1", 5), (ann, "m01", "reflection", "text", "hi")])
    assert n == 3
    assert current_answers(db, admin, ann, "coproduction") == {"cp1": 5}  # latest row wins
    assert progress(db, admin, ann) == {"m01": "in_progress"}


def test_bulk_is_all_or_nothing_and_validates(db, admin, cohort):
    ann = cohort["people"]["Ann"]["id"]
    with pytest.raises(InvalidAnswer, match="coproduction/cp2: 9 is out of range"):
        save_answers_bulk(db, admin, [(ann, "m01", "coproduction", "cp1", 4), (ann, "m01", "coproduction", "cp2", 9)])
    assert current_answers(db, admin, ann, "coproduction") == {}


def test_bulk_is_for_administrators_only(db, cohort):
    ann = cohort["ident"]["Ann"]
    with pytest.raises(AccessDenied):
        save_answers_bulk(db, ann, [(ann.person_id, "m01", "reflection", "text", "x")])
