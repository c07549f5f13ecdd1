"""SQLAlchemy tables. Answers are append-only: a save adds a row, the latest row wins."""
from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from workbook.auth.identity import LEGACY_COST_LABEL

SCHEMA_REVISION = "0005_code_cost"  # the head of migrations/versions: a model change comes with a revision


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Cohort(Base):
    __tablename__ = "cohorts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class Person(Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), default="")
    role: Mapped[str] = mapped_column(String(20))  # trainee | coach | hr
    external_login: Mapped[str | None] = mapped_column(String(200), nullable=True, unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    language: Mapped[str | None] = mapped_column(String(10), nullable=True)  # the interface language chosen; None: the cohort's


class Rater(Base):
    """A 360-degree rater invited by a trainee, in one category."""

    __tablename__ = "raters"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    category: Mapped[str] = mapped_column(String(30))  # manager | peer | direct_report | client
    instrument: Mapped[str] = mapped_column(String(100))
    label: Mapped[str] = mapped_column(String(200), default="")  # known to the inviter only
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    language: Mapped[str | None] = mapped_column(String(10), nullable=True)  # chosen by the trainee for them, or by the rater


class RaterContact(Base):
    """How to reach a nominated rater and where the invitation stands (coach and trainee see it;
    the rater's code never: only its hash, in ``access_codes``)."""

    __tablename__ = "rater_contacts"
    rater_id: Mapped[int] = mapped_column(ForeignKey("raters.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    nominated_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    approved_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)  # code last issued
    sent_by: Mapped[str] = mapped_column(String(10), default="")  # email | coach
    reminders: Mapped[int] = mapped_column(Integer, default=0)
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    follows: Mapped[int | None] = mapped_column(Integer, nullable=True)  # pulse: the same rater's earlier invitation
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)


class FeedbackRound(Base):
    """A 360 round of one person on one instrument; results are shown only once it is closed."""

    __tablename__ = "feedback_rounds"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    instrument: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10), default="main")  # main | pulse
    items: Mapped[object] = mapped_column(JSON, nullable=True)  # pulse: the item ids rated
    baseline_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # pulse: the round it follows
    opened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    closes_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # closed at the end of that day
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    closed_by: Mapped[int | None] = mapped_column(Integer, nullable=True)


class RoundRater(Base):
    """Which round a rater invitation belongs to (raters without one were imported: a closed round)."""

    __tablename__ = "round_raters"
    rater_id: Mapped[int] = mapped_column(ForeignKey("raters.id"), primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("feedback_rounds.id"), index=True)


class AccessCode(Base):
    """A personal access code: a public lookup part and a salted scrypt hash of the secret, with the scrypt cost it
    was hashed at (``cost``; rows from before revision 0005 hold the cost of that time)."""

    __tablename__ = "access_codes"
    lookup: Mapped[str] = mapped_column(String(16), primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(10))  # person | rater
    subject_id: Mapped[int] = mapped_column(Integer, index=True)
    salt: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(128))
    cost: Mapped[str] = mapped_column(String(40), server_default=LEGACY_COST_LABEL)  # identity.cost_label
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class PageSession(Base):
    """A signed-in session: held by one page's kernel, or by the browser's HttpOnly cookie; only
    its hash is stored. ``expires_at`` slides with use, never past ``created_at`` + session_hours."""

    __tablename__ = "page_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(10))
    subject_id: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class SigninTicket(Base):
    """A one-time ticket a page that signed in by code hands its browser, to be exchanged (once,
    within seconds) for the session cookie; only its hash is stored."""

    __tablename__ = "signin_tickets"
    ticket_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(10))
    subject_id: Mapped[int] = mapped_column(Integer, index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class SigninFailure(Base):
    __tablename__ = "signin_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(100), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class Answer(Base):
    """One saved answer. Never updated: the current answer is the row with the highest id."""

    __tablename__ = "answers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    rater_id: Mapped[int | None] = mapped_column(ForeignKey("raters.id"), nullable=True, index=True)
    module: Mapped[str] = mapped_column(String(50))
    exercise: Mapped[str] = mapped_column(String(100))
    item: Mapped[str] = mapped_column(String(100))
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    value: Mapped[object] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    language: Mapped[str | None] = mapped_column(String(10), nullable=True)  # the language it was given in (None: before 0004)

    __table_args__ = (
        Index("ix_answers_lookup", "person_id", "exercise", "item", "attempt"),
        Index("ix_answers_budget", "person_id", "created_at"),  # the write budget's last hour / day of a writer (quota.py)
    )


class ProgressEvent(Base):
    __tablename__ = "progress_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    module: Mapped[str] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(20))  # in_progress | done
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CoachNote(Base):
    __tablename__ = "coach_notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    body: Mapped[str] = mapped_column(Text)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CohortSetting(Base):
    """A per-cohort choice made by its coach (e.g. ``path``: the workbook path). Append-only: the
    latest row of a key wins and earlier choices stay."""

    __tablename__ = "cohort_settings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    key: Mapped[str] = mapped_column(String(50))
    value: Mapped[object] = mapped_column(JSON, nullable=True)
    set_by: Mapped[int | None] = mapped_column(Integer, nullable=True)  # person id; None: admin (CLI)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
