"""Write quotas: one trainee cannot fill the disk everyone's answers live on (issue #13)."""
from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from workbook.errors import InvalidAnswer, QuotaExceeded
from workbook.store import current_answers, save_answer
from workbook.store.models import Answer


def rows(db, person_id: int) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Answer).where(Answer.person_id == person_id))


def test_a_save_identical_to_the_latest_row_writes_nothing(db, cohort):
    ann = cohort["ident"]["Ann"]
    first = save_answer(db, ann, ann.person_id, "m01", "reflection", "text", "the same words")
    before = rows(db, ann.person_id)
    for _ in range(50):
        assert save_answer(db, ann, ann.person_id, "m01", "reflection", "text", "the same words") == first
    assert rows(db, ann.person_id) == before
    # a change is a new row, and changing back is a new row again (history is kept)
    save_answer(db, ann, ann.person_id, "m01", "reflection", "text", "other words")
    save_answer(db, ann, ann.person_id, "m01", "reflection", "text", "the same words")
    assert rows(db, ann.person_id) == before + 2


def test_a_text_over_the_limit_is_refused_in_one_line_and_the_saved_one_stays(db, cohort):
    ann = cohort["ident"]["Ann"]
    limit = db.settings.max_text_chars
    save_answer(db, ann, ann.person_id, "m01", "reflection", "text", "kept")
    with pytest.raises(InvalidAnswer) as exc:
        save_answer(db, ann, ann.person_id, "m01", "reflection", "text", "x" * (limit + 1))
    msg = str(exc.value)
    assert "\n" not in msg and "reflection/text" in msg and f"{limit + 1:,} characters" in msg and f"limit is {limit:,}" in msg
    # the limit holds inside structured answers too (a cell of a table, a journey-map field)
    with pytest.raises(InvalidAnswer, match="the limit is"):
        save_answer(db, ann, ann.person_id, "m01", "reflection", "text", {"cell": "y" * (limit + 1)})
    assert current_answers(db, ann, ann.person_id, "reflection") == {"text": "kept"}


def test_alternating_long_texts_exhaust_the_persons_budget_not_the_disk(db, cohort):
    """The attack from the issue: alternating long strings, each a new row. The writer is stopped at
    their daily budget; what they saved stays; another trainee still saves."""
    db.settings = replace(db.settings, write_budget_chars_per_day=200_000)
    ann, ben = cohort["ident"]["Ann"], cohort["ident"]["Ben"]
    a, b = "a" * 19_000, "b" * 19_000
    saved = 0
    with pytest.raises(QuotaExceeded) as exc:
        for n in range(100):
            save_answer(db, ann, ann.person_id, "m01", "reflection", "text", a if n % 2 else b)
            saved += 1
    assert 9 <= saved <= 10  # 200,000 / ~19,000 characters a row
    msg = str(exc.value)
    assert "\n" not in msg and "last 24 hours" in msg and "200,000" in msg and "nothing saved so far is lost" in msg
    assert current_answers(db, ann, ann.person_id, "reflection")["text"] in (a, b)
    save_answer(db, ben, ben.person_id, "m01", "reflection", "text", b)
    assert current_answers(db, ben, ben.person_id, "reflection")["text"] == b


def test_many_small_saves_hit_the_hourly_row_budget(db, cohort):
    db.settings = replace(db.settings, write_budget_rows_per_hour=30)
    ann = cohort["ident"]["Ann"]
    with pytest.raises(QuotaExceeded, match="in the last hour"):
        for n in range(100):
            save_answer(db, ann, ann.person_id, "m01", "reflection", "text", str(n))
    assert rows(db, ann.person_id) == 30
