"""An index for the write budget; workbook 0.1's ``schema_version`` marker retired.

Every save checks the writer's budget (store/quota.py): the answers of one person written in the
last hour and the last day. With only ``ix_answers_person_id`` that reads every row the person ever
wrote (answers are append-only: a journey map is saved whole at each change); ``ix_answers_budget``
(person_id, created_at) reads only the rows of the window. The ``schema_version`` table is replaced
by Alembic's ``alembic_version``.

Revision ID: 0002_answers_budget
Revises: 0001_baseline
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_answers_budget"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_answers_budget", "answers", ["person_id", "created_at"], unique=False)
    op.drop_table("schema_version")


def downgrade() -> None:
    version = op.create_table(
        "schema_version",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("applied_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("version"),
    )
    op.execute(version.insert().values(version=1, applied_at=sa.func.current_timestamp()))
    op.drop_index("ix_answers_budget", table_name="answers")
