"""Write quotas: no one person (or rater) can fill the disk that everyone's answers live on.

Answers are append-only, so every save is a new row. Three limits keep that safe: a text longer
than ``max_text_chars`` (or an answer larger than ``max_answer_chars`` encoded) is refused; a save
identical to the latest row of the same item is not written again; and each person or rater has a
write budget (characters per day, rows per hour). Refusals are one line saying the limit and the fix.
"""
from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import Text, case, cast, func, select

from workbook.errors import InvalidAnswer, QuotaExceeded
from workbook.i18n import _, format_number
from workbook.settings import Settings

from .models import Answer, utcnow


def encoded_size(value: object) -> int:
    """Characters the value takes once stored as JSON."""
    return len(json.dumps(value, ensure_ascii=False, allow_nan=False))


def check_size(where: str, value: object, settings: Settings) -> None:
    """Refuse a text over ``max_text_chars`` anywhere in the value, or a value over ``max_answer_chars``."""
    for text in _strings(value):
        if len(text) > settings.max_text_chars:
            raise InvalidAnswer(_("{where}: a text of {n} characters; the limit is {limit}, shorten it").format(
                where=where, n=format_number(len(text)), limit=format_number(settings.max_text_chars)))
    size = encoded_size(value)
    if size > settings.max_answer_chars:
        raise InvalidAnswer(_("{where}: the answer is {n} characters once stored; the limit is {limit}, split it up").format(
            where=where, n=format_number(size), limit=format_number(settings.max_answer_chars)))


def _strings(value: object):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def repeated_row(s, person_id: int, rater_id: int | None, exercise: str, item: str, attempt: int, value: object,
                 language: str | None = None) -> int | None:
    """The id of the latest row for this item when it already holds ``value`` given in ``language`` (nothing to write)."""
    q = select(Answer.id, Answer.value, Answer.language).where(
        Answer.person_id == person_id, Answer.exercise == exercise, Answer.item == item, Answer.attempt == attempt,
        Answer.rater_id.is_(None) if rater_id is None else Answer.rater_id == rater_id,
    )
    row = s.execute(q.order_by(Answer.id.desc()).limit(1)).first()
    return row.id if row is not None and row.value == value and (language is None or row.language == language) else None


def check_budget(s, settings: Settings, person_id: int, rater_id: int | None, size: int) -> None:
    """Refuse the save when the writer has used up its characters for the day or rows for the hour
    (both read in one query: it runs before every save)."""
    now = utcnow()
    hour_ago = now - timedelta(hours=1)
    mine = Answer.rater_id.is_(None) if rater_id is None else Answer.rater_id == rater_id
    counted = s.execute(
        select(
            func.count(case((Answer.created_at >= hour_ago, 1))),
            func.coalesce(func.sum(func.length(cast(Answer.value, Text))), 0),
        ).where(Answer.person_id == person_id, mine, Answer.created_at >= now - timedelta(days=1))
    ).one()
    refuse_over_budget(settings, person_id, rater_id, counted[0] or 0, counted[1] or 0, size)


def refuse_over_budget(settings: Settings, person_id: int, rater_id: int | None, rows: int, used: int, size: int) -> None:
    """QuotaExceeded when ``rows`` saved in the last hour reach the limit, or ``used`` characters in the last day
    plus this answer's ``size`` go over it (the counts read by ``check_budget`` or ``store/save_state.py``)."""
    who = _("this rater") if rater_id is not None else _("person {id}").format(id=person_id)
    if rows >= settings.write_budget_rows_per_hour:
        raise QuotaExceeded(_("{who} saved {n} answers in the last hour (the limit is {limit}); wait a while, nothing saved so far is lost").format(
            who=who, n=format_number(rows), limit=format_number(settings.write_budget_rows_per_hour)))
    if used + size > settings.write_budget_chars_per_day:
        raise QuotaExceeded(_(
            "{who} saved {n} characters in the last 24 hours (the limit is {limit}); "
            "try again tomorrow or ask the operator to raise WORKBOOK_WRITE_BUDGET_CHARS_PER_DAY; nothing saved so far is lost"
        ).format(who=who, n=format_number(used), limit=format_number(settings.write_budget_chars_per_day)))
