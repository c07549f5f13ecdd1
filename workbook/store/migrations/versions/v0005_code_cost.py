"""Each access code's hash records the scrypt cost it was made at (issue #17): ``access_codes.cost``.

Until now the cost was one constant (n=2**14, r=8, p=1), so it could not change without making every stored
code fail. Existing rows are marked with that cost (the column's default); a code is checked at its own cost and
re-hashed at the current one (``workbook.auth.identity.SCRYPT_COST``) at its next successful sign-in. Adding a
column with a default is a plain ALTER TABLE on both databases (no table copy).

Revision ID: 0005_code_cost
Revises: 0004_answer_language
Create Date: 2026-12-04
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_code_cost"
down_revision = "0004_answer_language"
branch_labels = None
depends_on = None

BEFORE = "scrypt:n=16384,r=8,p=1"  # the one cost of every hash made before this revision


def upgrade() -> None:
    op.add_column("access_codes", sa.Column("cost", sa.String(length=40), nullable=False, server_default=BEFORE))


def downgrade() -> None:
    # the earlier release checks every code at BEFORE: a code hashed at another cost would never match, so it is
    # revoked (its person gets a new code from their coach), never left to fail as "mistyped"
    codes = sa.table("access_codes", sa.column("cost", sa.String), sa.column("revoked_at", sa.DateTime))
    op.execute(codes.update().where(codes.c.cost != BEFORE, codes.c.revoked_at.is_(None)).values(revoked_at=sa.func.current_timestamp()))
    op.drop_column("access_codes", "cost")
