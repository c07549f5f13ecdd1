"""A page's AnswerWriter (#17): two statements a save after the first, and still every save checked against what
other pages of the same person did meanwhile (retakes, the write budget, repeated rows), never lost."""
from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import event, func, select

from workbook.errors import AccessDenied, QuotaExceeded
from workbook.store import AnswerWriter, answer_history, current_answers, save_answer, set_language, start_new_attempt
from workbook.store.models import Answer, ProgressEvent


def _statements(db) -> list[str]:
    seen: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda _c, _cur, statement, *_a: seen.append(statement.split()[0]))
    return seen


def test_after_its_first_save_a_writer_saves_in_one_read_and_one_write(db, cohort):
    ann = cohort["ident"]["Ann"]
    writer = AnswerWriter(db, ann, ann.person_id)
    seen = _statements(db)
    writer.save("m01", "coproduction", "cp1", 3)  # the first: person and language, then the version mark and progress
    first = len(seen)
    seen.clear()
    for item, value in (("cp2", 4), ("cp3", 5), ("cp4", 1)):
        writer.save("m01", "coproduction", item, value)
    assert seen == ["SELECT", "INSERT"] * 3, seen
    seen.clear()
    writer.save("m01", "coproduction", "cp4", 1)  # the same again: read, nothing written
    assert seen == ["SELECT"]
    assert first <= 6 and current_answers(db, ann, ann.person_id, "coproduction") == {"cp1": 3, "cp2": 4, "cp3": 5, "cp4": 1}
    with db.session() as s:
        marks = s.scalar(select(func.count()).where(Answer.person_id == ann.person_id, Answer.item == "_version"))
        events = s.scalar(select(func.count()).select_from(ProgressEvent).where(ProgressEvent.person_id == ann.person_id))
    assert (marks, events) == (1, 1), "one version mark per attempt and one progress event per module"
    assert current_answers(db, ann, ann.person_id, "coproduction").version is not None


def test_a_retake_started_on_another_page_takes_this_pages_next_answer(db, cohort):
    ann = cohort["ident"]["Ann"]
    here = AnswerWriter(db, ann, ann.person_id)
    here.save("m01", "coproduction", "cp1", 3)
    assert start_new_attempt(db, ann, ann.person_id, "m01", "coproduction") == 2  # another page (its own writer)
    here.save("m01", "coproduction", "cp1", 3)  # the same value, but in the new attempt: a new row, not "repeated"
    assert current_answers(db, ann, ann.person_id, "coproduction") == {"cp1": 3}
    assert [a for _item, a, _v, _t in answer_history(db, ann, ann.person_id, "coproduction") if _item == "cp1"] == [1, 2]


def test_the_write_budget_counts_every_page_of_the_person(db, cohort):
    ann = cohort["ident"]["Ann"]
    db.settings = replace(db.settings, write_budget_rows_per_hour=5)
    pages = [AnswerWriter(db, ann, ann.person_id), AnswerWriter(db, ann, ann.person_id)]
    for n in range(2):  # the attempt's version mark and two answers, then two texts: 5 rows in the hour
        pages[n].save("m01", "coproduction", f"cp{n + 1}", 2)
    pages[0].save("m01", "reflection", "text", "one")
    pages[1].save("m01", "reflection", "text", "two")
    with pytest.raises(QuotaExceeded, match="in the last hour"):
        pages[0].save("m01", "reflection", "text", "three")
    assert current_answers(db, ann, ann.person_id, "reflection") == {"text": "two"}, "nothing saved before is lost"


def test_a_row_said_again_on_another_page_in_another_language_is_written(db, cohort):
    """A writer keeps its page's language; the same value given on a page in another language is a new row."""
    from workbook.store import answer_languages

    ann = cohort["ident"]["Ann"]
    english = AnswerWriter(db, ann, ann.person_id)
    english.save("m01", "coproduction", "cp1", 4)
    set_language(db, ann, ann.person_id, "fr")
    french = AnswerWriter(db, ann, ann.person_id)  # a page opened (or rebuilt) after the change
    french.save("m01", "coproduction", "cp1", 4)
    english.save("m01", "coproduction", "cp2", 2)
    assert answer_languages(db, ann, ann.person_id, "coproduction") == {"fr": 1, "en": 1}


def test_a_writer_writes_only_for_its_own_person(db, cohort):
    ann, ben = cohort["ident"]["Ann"], cohort["ident"]["Ben"]
    with pytest.raises(AccessDenied):
        AnswerWriter(db, ann, ben.person_id).save("m01", "coproduction", "cp1", 3)
    with pytest.raises(AccessDenied):
        AnswerWriter(db, cohort["ident"]["Coach C"], ben.person_id).save("m01", "coproduction", "cp1", 3)
    assert current_answers(db, ben, ben.person_id, "coproduction") == {}
    assert save_answer(db, ben, ben.person_id, "m01", "coproduction", "cp1", 3)  # save_answer is a writer of one save
