"""Baseline: the schema of workbook 0.1, whose databases carry no Alembic stamp (a ``schema_version``
table holding 1). On such a database only the tables it lacks are created; every row stays.

Revision ID: 0001_baseline
Revises:
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    have = set(sa.inspect(op.get_bind()).get_table_names())  # a workbook 0.1 database holds them all already
    if "access_codes" not in have:
        op.create_table('access_codes',
        sa.Column('lookup', sa.String(length=16), nullable=False),
        sa.Column('subject_kind', sa.String(length=10), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('salt', sa.String(length=64), nullable=False),
        sa.Column('digest', sa.String(length=128), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('lookup')
        )
        op.create_index(op.f('ix_access_codes_subject_id'), 'access_codes', ['subject_id'], unique=False)
    if "cohorts" not in have:
        op.create_table('cohorts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('closed_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name')
        )
    if "page_sessions" not in have:
        op.create_table('page_sessions',
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('subject_kind', sa.String(length=10), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('token_hash')
        )
        op.create_index(op.f('ix_page_sessions_subject_id'), 'page_sessions', ['subject_id'], unique=False)
    if "schema_version" not in have:
        op.create_table('schema_version',
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('applied_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('version')
        )
    if "signin_failures" not in have:
        op.create_table('signin_failures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id')
        )
        op.create_index(op.f('ix_signin_failures_at'), 'signin_failures', ['at'], unique=False)
        op.create_index(op.f('ix_signin_failures_key'), 'signin_failures', ['key'], unique=False)
    if "signin_tickets" not in have:
        op.create_table('signin_tickets',
        sa.Column('ticket_hash', sa.String(length=64), nullable=False),
        sa.Column('subject_kind', sa.String(length=10), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('ticket_hash')
        )
        op.create_index(op.f('ix_signin_tickets_subject_id'), 'signin_tickets', ['subject_id'], unique=False)
    if "cohort_settings" not in have:
        op.create_table('cohort_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=50), nullable=False),
        sa.Column('value', sa.JSON(), nullable=True),
        sa.Column('set_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], ),
        sa.PrimaryKeyConstraint('id')
        )
        op.create_index(op.f('ix_cohort_settings_cohort_id'), 'cohort_settings', ['cohort_id'], unique=False)
    if "people" not in have:
        op.create_table('people',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('email', sa.String(length=320), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('external_login', sa.String(length=200), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('external_login')
        )
        op.create_index(op.f('ix_people_cohort_id'), 'people', ['cohort_id'], unique=False)
    if "coach_notes" not in have:
        op.create_table('coach_notes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('coach_id', sa.Integer(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('shared', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['coach_id'], ['people.id'], ),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'], ),
        sa.PrimaryKeyConstraint('id')
        )
        op.create_index(op.f('ix_coach_notes_person_id'), 'coach_notes', ['person_id'], unique=False)
    if "feedback_rounds" not in have:
        op.create_table('feedback_rounds',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('instrument', sa.String(length=100), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('items', sa.JSON(), nullable=True),
        sa.Column('baseline_id', sa.Integer(), nullable=True),
        sa.Column('opened_at', sa.DateTime(), nullable=False),
        sa.Column('closes_on', sa.Date(), nullable=True),
        sa.Column('closed_at', sa.DateTime(), nullable=True),
        sa.Column('closed_by', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['subject_id'], ['people.id'], ),
        sa.PrimaryKeyConstraint('id')
        )
        op.create_index(op.f('ix_feedback_rounds_subject_id'), 'feedback_rounds', ['subject_id'], unique=False)
    if "progress_events" not in have:
        op.create_table('progress_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('module', sa.String(length=50), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'], ),
        sa.PrimaryKeyConstraint('id')
        )
        op.create_index(op.f('ix_progress_events_person_id'), 'progress_events', ['person_id'], unique=False)
    if "raters" not in have:
        op.create_table('raters',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('category', sa.String(length=30), nullable=False),
        sa.Column('instrument', sa.String(length=100), nullable=False),
        sa.Column('label', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['subject_id'], ['people.id'], ),
        sa.PrimaryKeyConstraint('id')
        )
        op.create_index(op.f('ix_raters_subject_id'), 'raters', ['subject_id'], unique=False)
    if "answers" not in have:
        op.create_table('answers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('rater_id', sa.Integer(), nullable=True),
        sa.Column('module', sa.String(length=50), nullable=False),
        sa.Column('exercise', sa.String(length=100), nullable=False),
        sa.Column('item', sa.String(length=100), nullable=False),
        sa.Column('attempt', sa.Integer(), nullable=False),
        sa.Column('value', sa.JSON(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'], ),
        sa.ForeignKeyConstraint(['rater_id'], ['raters.id'], ),
        sa.PrimaryKeyConstraint('id')
        )
        op.create_index('ix_answers_lookup', 'answers', ['person_id', 'exercise', 'item', 'attempt'], unique=False)
        op.create_index(op.f('ix_answers_person_id'), 'answers', ['person_id'], unique=False)
        op.create_index(op.f('ix_answers_rater_id'), 'answers', ['rater_id'], unique=False)
    if "rater_contacts" not in have:
        op.create_table('rater_contacts',
        sa.Column('rater_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('email', sa.String(length=320), nullable=False),
        sa.Column('nominated_by', sa.Integer(), nullable=True),
        sa.Column('approved_by', sa.Integer(), nullable=True),
        sa.Column('approved_at', sa.DateTime(), nullable=True),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.Column('sent_by', sa.String(length=10), nullable=False),
        sa.Column('reminders', sa.Integer(), nullable=False),
        sa.Column('reminded_at', sa.DateTime(), nullable=True),
        sa.Column('follows', sa.Integer(), nullable=True),
        sa.Column('withdrawn', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['rater_id'], ['raters.id'], ),
        sa.PrimaryKeyConstraint('rater_id')
        )
    if "round_raters" not in have:
        op.create_table('round_raters',
        sa.Column('rater_id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['rater_id'], ['raters.id'], ),
        sa.ForeignKeyConstraint(['round_id'], ['feedback_rounds.id'], ),
        sa.PrimaryKeyConstraint('rater_id')
        )
        op.create_index(op.f('ix_round_raters_round_id'), 'round_raters', ['round_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_round_raters_round_id'), table_name='round_raters')
    op.drop_table('round_raters')
    op.drop_table('rater_contacts')
    op.drop_index(op.f('ix_answers_rater_id'), table_name='answers')
    op.drop_index(op.f('ix_answers_person_id'), table_name='answers')
    op.drop_index('ix_answers_lookup', table_name='answers')
    op.drop_table('answers')
    op.drop_index(op.f('ix_raters_subject_id'), table_name='raters')
    op.drop_table('raters')
    op.drop_index(op.f('ix_progress_events_person_id'), table_name='progress_events')
    op.drop_table('progress_events')
    op.drop_index(op.f('ix_feedback_rounds_subject_id'), table_name='feedback_rounds')
    op.drop_table('feedback_rounds')
    op.drop_index(op.f('ix_coach_notes_person_id'), table_name='coach_notes')
    op.drop_table('coach_notes')
    op.drop_index(op.f('ix_people_cohort_id'), table_name='people')
    op.drop_table('people')
    op.drop_index(op.f('ix_cohort_settings_cohort_id'), table_name='cohort_settings')
    op.drop_table('cohort_settings')
    op.drop_index(op.f('ix_signin_tickets_subject_id'), table_name='signin_tickets')
    op.drop_table('signin_tickets')
    op.drop_index(op.f('ix_signin_failures_key'), table_name='signin_failures')
    op.drop_index(op.f('ix_signin_failures_at'), table_name='signin_failures')
    op.drop_table('signin_failures')
    op.drop_table('schema_version')
    op.drop_index(op.f('ix_page_sessions_subject_id'), table_name='page_sessions')
    op.drop_table('page_sessions')
    op.drop_table('cohorts')
    op.drop_index(op.f('ix_access_codes_subject_id'), table_name='access_codes')
    op.drop_table('access_codes')
