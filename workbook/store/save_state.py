"""What a person's save must know, read in one statement: the exercise's current attempt, the item's latest row in
it (nothing is written when it already says the same), the writer's budget (rows in the last hour, characters in
the last day: ``quota.py``), whether the attempt has its version mark and whether the module has a progress event.

These were six statements a save (attempt, repeated row, budget, version mark, progress; the budget's two counts
in one). The statement is built once with bound parameters, so SQLAlchemy keys and compiles it once per engine;
every count is still read from the database at each save (a person may answer from several pages at once)."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import DateTime, Integer, String, Text, and_, bindparam, cast, func, select
from sqlalchemy.engine import Row

from workbook.content.catalogue import VERSION_ITEM

from .models import Answer, ProgressEvent, utcnow


def _statement():
    person = bindparam("person_id", type_=Integer)
    exercise, item = bindparam("exercise", type_=String), bindparam("item", type_=String)
    mine = and_(Answer.person_id == person, Answer.rater_id.is_(None))
    of_exercise = and_(mine, Answer.exercise == exercise)
    current = select(func.coalesce(func.max(Answer.attempt), 1)).where(of_exercise).scalar_subquery()
    attempt = func.coalesce(bindparam("attempt", type_=Integer), current)
    latest = select(func.max(Answer.id)).where(of_exercise, Answer.item == item, Answer.attempt == attempt).scalar_subquery()
    since = bindparam("hour_ago", type_=DateTime), bindparam("day_ago", type_=DateTime)
    return select(
        attempt.label("attempt"),
        latest.label("latest_id"),
        select(Answer.value).where(Answer.id == latest).scalar_subquery().label("latest_value"),
        select(Answer.language).where(Answer.id == latest).scalar_subquery().label("latest_language"),
        select(func.count()).where(mine, Answer.created_at >= since[0]).scalar_subquery().label("rows_hour"),
        select(func.coalesce(func.sum(func.length(cast(Answer.value, Text))), 0))
        .where(mine, Answer.created_at >= since[1]).scalar_subquery().label("chars_day"),
        select(func.count()).where(of_exercise, Answer.item == VERSION_ITEM, Answer.attempt == attempt)
        .scalar_subquery().label("version_marks"),
        select(func.count()).select_from(ProgressEvent)
        .where(ProgressEvent.person_id == person, ProgressEvent.module == bindparam("module", type_=String))
        .scalar_subquery().label("progress_events"),
    )


SAVE_STATE = _statement()


def save_state(s, person_id: int, module: str, exercise: str, item: str, attempt: int | None = None,
               now: datetime | None = None) -> Row:
    """Inside a transaction: ``attempt`` (the given one, else the exercise's current), ``latest_id``,
    ``latest_value``, ``latest_language`` (the item's latest row in it, or None), ``rows_hour``, ``chars_day``,
    ``version_marks`` and ``progress_events`` (the module's) of a person's own answers."""
    now = now or utcnow()
    return s.execute(SAVE_STATE, {
        "person_id": person_id, "module": module, "exercise": exercise, "item": item, "attempt": attempt,
        "hour_ago": now - timedelta(hours=1), "day_ago": now - timedelta(days=1),
    }).one()
