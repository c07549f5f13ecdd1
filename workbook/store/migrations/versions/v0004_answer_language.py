"""The language each answer was given in (issue #15): ``answers.language``.

A save records the language the person (or 360 rater) was answering in: their own choice, else their
cohort's default. Answers saved before this revision keep NULL ("not recorded"); reports say so rather
than guess. Adding a nullable column keeps every row as it was.

Revision ID: 0004_answer_language
Revises: 0003_languages
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_answer_language"
down_revision = "0003_languages"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ALTER TABLE … ADD COLUMN on both databases (no table copy: SQLite's foreign keys stay satisfied)
    op.add_column("answers", sa.Column("language", sa.String(length=10), nullable=True))


def downgrade() -> None:
    op.drop_column("answers", "language")
