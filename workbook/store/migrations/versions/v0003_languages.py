"""Each person's and each 360 rater's interface language (issue #15).

``people.language`` is the language a person chose (at sign-in or from any page); ``raters.language``
the one a trainee chose for a rater, or the rater for themselves. NULL: not chosen, so the cohort's
default language (a cohort setting) or English. Adding a nullable column keeps every row as it was.

Revision ID: 0003_languages
Revises: 0002_answers_budget
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_languages"
down_revision = "0002_answers_budget"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ALTER TABLE … ADD COLUMN on both databases (no table copy: SQLite's foreign keys stay satisfied)
    op.add_column("people", sa.Column("language", sa.String(length=10), nullable=True))
    op.add_column("raters", sa.Column("language", sa.String(length=10), nullable=True))


def downgrade() -> None:
    op.drop_column("raters", "language")
    op.drop_column("people", "language")
